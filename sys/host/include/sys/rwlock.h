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
 * Host mode: NetBSD's <sys/rwlock.h>: rwlock(9).  As the kernel's:
 * readers take it with one compare-and-swap; a writer raises
 * RW_HOST_WANTED, which holds new readers back, and sleeps until the
 * readers are gone.
 */

#ifndef _HOST_SYS_RWLOCK_H_
#define _HOST_SYS_RWLOCK_H_

#include <sys/types.h>
#include <pthread.h>

typedef struct krwlock {
	volatile u_int	rw_word;	/* reader count, RW_HOST_* */
	pthread_mutex_t	rw_m;		/* sleepers */
	pthread_cond_t	rw_cv;
} krwlock_t;

#define	RW_HOST_WANTED	0x40000000u	/* a writer waits for readers */
#define	RW_HOST_LOCKED	0x80000000u	/* a writer holds it */
#define	RW_HOST_READERS	0x3fffffffu

typedef enum krw_t {
	RW_READER = 0,
	RW_WRITER = 1
} krw_t;

void	rw_init(krwlock_t *);
void	rw_destroy(krwlock_t *);
void	rw_enter(krwlock_t *, const krw_t);
void	rw_exit(krwlock_t *);

#endif /* !_HOST_SYS_RWLOCK_H_ */
