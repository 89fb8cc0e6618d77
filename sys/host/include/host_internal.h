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
 * Host mode: the emulation's own interfaces, shared by the files of
 * sys/host/src and the C tests that drive them.  Nothing here is a
 * NetBSD interface; the dm glue never includes this file.
 */

#ifndef _HOST_INTERNAL_H_
#define _HOST_INTERNAL_H_

#include <sys/types.h>

/* The credentials behind kauth_cred_t (opaque to drivers, as NetBSD's). */
struct kauth_cred {
	uint32_t	cr_uid;
};

/*
 * Interrupt context (sys/cpu.h's cpu_intr_p(), cpu_softintr_p()): a
 * thread enters and leaves a hardware interrupt around a disk's
 * completion; the soft interrupt thread enters its context for good.
 */
void	host_hardintr_enter(void);
void	host_hardintr_exit(void);
void	host_softintr_enter(void);

/* Opens and closes through the special file layer (host/src/spec.c). */
int	host_spec_open(dev_t, int, int);
int	host_spec_close(dev_t, int, int);

/* ioctl(2) on a character device, as sys_ioctl() runs it. */
int	host_sys_ioctl(dev_t, u_long, void *, size_t);

/* Whether this no-sleep allocation fails (host_fail_nowait). */
bool	host_nowait_fail(void);

#endif /* !_HOST_INTERNAL_H_ */
