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
 * dm(4): proplib's 2020 names for kernels whose proplib predates them
 * (NetBSD 9.x, the 7.99 rump tree); see dm_compat.h.
 */

#include <sys/param.h>
#include <sys/types.h>

#include "dm_glue.h"

#if defined(__NetBSD_Version__) && __NetBSD_Version__ < 999000000

#include <sys/errno.h>
#include <sys/ioccom.h>
#include <sys/kmem.h>
#include <sys/systm.h>

prop_number_t
prop_number_create_signed(intmax_t v)
{

	return prop_number_create_integer(v);
}

prop_number_t
prop_number_create_unsigned(uintmax_t v)
{

	return prop_number_create_unsigned_integer(v);
}

/* False when the object is no number or its value is negative. */
bool
prop_number_uint64_value(prop_number_t pn, uint64_t *vp)
{

	if (prop_object_type(pn) != PROP_TYPE_NUMBER)
		return false;
	if (!prop_number_unsigned(pn) && prop_number_integer_value(pn) < 0)
		return false;
	*vp = prop_number_unsigned_integer_value(pn);
	return true;
}

prop_string_t
prop_string_create_copy(const char *s)
{

	return prop_string_create_cstring(s);
}

const char *
prop_string_value(prop_string_t ps)
{

	return prop_string_cstring_nocopy(ps);
}

const char *
prop_dictionary_keysym_value(prop_dictionary_keysym_t pdk)
{

	return prop_dictionary_keysym_cstring_nocopy(pdk);
}

/*
 * The older proplib caps every copy-in at one global limit (64 KiB in
 * 7.99); this one takes the caller's, as NetBSD 10's does.
 */
int
prop_dictionary_copyin_ioctl_size(const struct plistref *pref,
    const u_long cmd, prop_dictionary_t *dictp, size_t lim)
{
	prop_dictionary_t dict;
	char *buf;
	size_t len;
	int error;

	if ((cmd & IOC_IN) == 0)
		return EFAULT;
	len = pref->pref_len;
	if (len >= lim)
		return E2BIG;
	buf = kmem_alloc(len + 1, KM_SLEEP);
	if ((error = copyin(pref->pref_plist, buf, len)) != 0) {
		kmem_free(buf, len + 1);
		return error;
	}
	buf[len] = '\0';
	dict = prop_dictionary_internalize(buf);
	kmem_free(buf, len + 1);
	if (dict == NULL)
		return EIO;
	*dictp = dict;
	return 0;
}

#endif /* __NetBSD_Version__ < 999000000 */
