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
 * NetBSD userland that NetBSD's dm clients (sbin/dmctl, lib/libdm,
 * lvm2's libdevmapper and dmsetup) expect and glibc lacks, for building
 * them on Linux as clients of a rump kernel.  Included ahead of every
 * source file (cc -include).  What a rump kernel answers is NetBSD's:
 * dev_t is split as NetBSD splits it.
 */

#ifndef _DM_COMPAT_NETBSD_H_
#define _DM_COMPAT_NETBSD_H_

#define	_GNU_SOURCE	1

#include <sys/types.h>
#include <sys/sysmacros.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/ioccom.h>

#ifndef __dead
#define	__dead		__attribute__((__noreturn__))
#endif
#ifndef __unused
#define	__unused	__attribute__((__unused__))
#endif
#ifndef MAXPATHLEN
#define	MAXPATHLEN	PATH_MAX
#endif
#ifndef __predict_true
#define	__predict_true(x)	__builtin_expect((x) != 0, 1)
#define	__predict_false(x)	__builtin_expect((x) != 0, 0)
#endif
#ifndef __RCSID
#define	__RCSID(s)	struct __hack
#endif
#ifndef __KERNEL_RCSID
#define	__KERNEL_RCSID(n, s) struct __hack
#endif

/* <sys/types.h>: NetBSD's dev_t layout. */
#undef major
#undef minor
#undef makedev
#define	major(x)	((int32_t)((((x) & 0x000fff00) >> 8)))
#define	minor(x)	((int32_t)((((x) & 0xfff00000) >> 12) | \
			    (((x) & 0x000000ff) >> 0)))
#define	makedev(x, y)	((dev_t)((((x) << 8) & 0x000fff00) | \
			    (((y) << 12) & 0xfff00000) | \
			    (((y) << 0) & 0x000000ff)))

#define	getprogname()	((const char *)program_invocation_short_name)

char	*devname(dev_t, mode_t);
char	*fgetln(FILE *, size_t *);
size_t	 strlcpy(char *, const char *, size_t);
size_t	 strlcat(char *, const char *, size_t);

#endif /* !_DM_COMPAT_NETBSD_H_ */
