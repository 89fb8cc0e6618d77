/*-
 * Copyright (c) 2026 The NetBSD Foundation, Inc.
 * All rights reserved.
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions
 * are met:
 * 1. Redistributions of source code must retain the above copyright
 *    notice, this list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright
 *    notice, this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 *
 * THIS SOFTWARE IS PROVIDED BY THE NETBSD FOUNDATION, INC. AND CONTRIBUTORS
 * ``AS IS'' AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED
 * TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR
 * PURPOSE ARE DISCLAIMED.  IN NO EVENT SHALL THE FOUNDATION OR CONTRIBUTORS
 * BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR
 * CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF
 * SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS
 * INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN
 * CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE)
 * ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE
 * POSSIBILITY OF SUCH DAMAGE.
 */

/*
 * dm(4): proplib's 2020 names (NetBSD 10) for kernels whose proplib
 * predates them (NetBSD 9.x, the 7.99 rump tree), defined in dm_compat.c.
 * dm-core calls them too: dm-prop generates its bindings with this header.
 */

#ifndef _DEV_DM_DM_PROP_COMPAT_H_
#define _DEV_DM_DM_PROP_COMPAT_H_

#include <sys/param.h>

#include <prop/proplib.h>

#if defined(__NetBSD_Version__) && __NetBSD_Version__ < 999000000

prop_number_t	prop_number_create_signed(intmax_t);
prop_number_t	prop_number_create_unsigned(uintmax_t);
bool		prop_number_uint64_value(prop_number_t, uint64_t *);
prop_string_t	prop_string_create_copy(const char *);
const char	*prop_string_value(prop_string_t);
const char	*prop_dictionary_keysym_value(prop_dictionary_keysym_t);
int		prop_dictionary_copyin_ioctl_size(const struct plistref *,
		    const u_long, prop_dictionary_t *, size_t);

#endif /* __NetBSD_Version__ < 999000000 */

#endif /* !_DEV_DM_DM_PROP_COMPAT_H_ */
