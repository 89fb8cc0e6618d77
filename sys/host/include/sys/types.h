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
 * Host mode: NetBSD's <sys/types.h>, the kernel's view.  Linux's header
 * gives the base types (u_char, off_t, dev_t: 64 bits, as NetBSD's);
 * this adds what NetBSD's declares beyond them: bool (the kernel's
 * <sys/stdbool.h>), the fixed-width types (<sys/stdint.h>), dev_t's
 * major/minor encoding, kauth_cred_t and the forward declarations of
 * the structures that cross subsystems.  NetBSD's <machine/types.h>
 * brings <sys/cdefs.h> in; its kernel markers are here too, Linux's
 * <sys/cdefs.h> being glibc's own.
 */

#ifndef _HOST_SYS_TYPES_H_
#define _HOST_SYS_TYPES_H_

#include_next <sys/types.h>

#include <stdbool.h>
#include <stdint.h>

/* sys/cdefs.h */
#define	__KERNEL_RCSID(n, s)
#ifndef __unused
#define	__unused	__attribute__((__unused__))
#endif
#ifndef __printflike
#define	__printflike(a, b) __attribute__((__format__(__printf__, a, b)))
#endif
#ifndef __dead
#define	__dead		__attribute__((__noreturn__))
#endif
#ifndef __predict_true
#define	__predict_true(e)	__builtin_expect((e) != 0, 1)
#define	__predict_false(e)	__builtin_expect((e) != 0, 0)
#endif

/* Major, minor numbers, dev_t's: NetBSD's encoding, not Linux's. */
typedef int32_t	__devmajor_t, __devminor_t;
#define	devmajor_t	__devmajor_t
#define	devminor_t	__devminor_t
#define	NODEVMAJOR	(-1)
#undef major
#undef minor
#undef makedev
#define	major(x)	((devmajor_t)(((uint32_t)(x) & 0x000fff00) >> 8))
#define	minor(x)	((devminor_t)((((uint32_t)(x) & 0xfff00000) >> 12) | \
			    (((uint32_t)(x) & 0x000000ff) >> 0)))
#define	makedev(x, y)	((dev_t)((((dev_t)(x) << 8) & 0x000fff00) | \
			    (((dev_t)(y) << 12) & 0xfff00000) | \
			    (((dev_t)(y) << 0) & 0x000000ff)))

struct kauth_cred;
typedef struct kauth_cred *kauth_cred_t;

struct lwp;
typedef struct lwp lwp_t;
struct proc;
typedef struct proc proc_t;
struct buf;
typedef struct buf buf_t;
struct tty;
struct uio;

#endif /* !_HOST_SYS_TYPES_H_ */
