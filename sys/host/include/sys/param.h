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
 * Host mode: NetBSD's <sys/param.h>, the kernel's view: the types, and
 * in the kernel <sys/errno.h>, <sys/time.h> and <sys/uio.h>; amd64's
 * <machine/param.h> sizes; MIN and MAX; the thread priorities; and
 * mstohz(), which reads hz: a file that converts milliseconds needs
 * <sys/kernel.h> too, as on NetBSD.  Linux's header comes first for the
 * macros both have (howmany, roundup, NBBY, MAXPATHLEN).
 */

#ifndef _HOST_SYS_PARAM_H_
#define _HOST_SYS_PARAM_H_

#include <sys/types.h>

#include_next <sys/param.h>

#include <errno.h>
#include <sys/time.h>
#include <sys/uio.h>

/* <machine/param.h>, amd64 */
#undef DEV_BSHIFT
#undef DEV_BSIZE
#define	DEV_BSHIFT	9
#define	DEV_BSIZE	(1 << DEV_BSHIFT)
#define	BLKDEV_IOSIZE	2048
#ifndef MAXPHYS
#define	MAXPHYS		(64 * 1024)
#endif

#undef NODEV
#define	NODEV		((dev_t)-1)

#ifndef MIN
#define	MIN(a, b)	((a) < (b) ? (a) : (b))
#endif
#ifndef MAX
#define	MAX(a, b)	((a) > (b) ? (a) : (b))
#endif

/* Kernel thread priorities. */
#define	PRI_BIO		220

/*
 * Milliseconds to ticks of hz (declared in <sys/kernel.h>), as NetBSD's:
 * rounded down, so that a wait shorter than a tick is none.
 */
#define	mstohz(ms)	((ms) >= 0x20000 ?				\
	((ms) + 0u) / 1000u * hz : ((ms) + 0u) * hz / 1000u)

#endif /* !_HOST_SYS_PARAM_H_ */
