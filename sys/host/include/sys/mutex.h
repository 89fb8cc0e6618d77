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
 * Host mode: NetBSD's <sys/mutex.h>: mutex(9).  Held in place, as the
 * kernel's: no allocation per lock, and an uncontended enter or exit is
 * one atomic operation.  Waiters sleep on the word with futex(2).  A
 * mutex at IPL_VM and above is a spin mutex, as NetBSD's.
 */

#ifndef _HOST_SYS_MUTEX_H_
#define _HOST_SYS_MUTEX_H_

#include <sys/types.h>
#include <sys/intr.h>

typedef struct kmutex {
	volatile u_int	mtx_word;	/* MTX_HOST_* */
	bool		mtx_spin;	/* taken at IPL_VM and above */
	void *volatile	mtx_owner;	/* the holder's lwp, for DIAGNOSTIC */
} kmutex_t;

#define	MTX_HOST_FREE		0u
#define	MTX_HOST_LOCKED		1u
#define	MTX_HOST_CONTENDED	2u	/* locked, and someone may sleep */

#define	MUTEX_DEFAULT	0
#define	MUTEX_SPIN	1

void	mutex_init(kmutex_t *, int, int);
void	mutex_destroy(kmutex_t *);
void	mutex_enter(kmutex_t *);
void	mutex_exit(kmutex_t *);
int	mutex_owned(const kmutex_t *);

#endif /* !_HOST_SYS_MUTEX_H_ */
