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
 * Host mode: NetBSD's <sys/atomic.h>: atomic_ops(3) and membar_ops(3),
 * the ones dm uses, over the compiler's atomics.
 */

#ifndef _HOST_SYS_ATOMIC_H_
#define _HOST_SYS_ATOMIC_H_

#include <sys/types.h>

static inline u_int
atomic_cas_uint(volatile u_int *p, u_int expected, u_int new)
{

	__atomic_compare_exchange_n(p, &expected, new, false,
	    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	return expected;
}

static inline u_int
atomic_dec_uint_nv(volatile u_int *p)
{

	return __atomic_sub_fetch(p, 1, __ATOMIC_RELAXED);
}

/* As NetBSD's: any pointer or integer type, atomic as a whole. */
#define	atomic_load_acquire(p)		__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define	atomic_store_release(p, v)	\
	__atomic_store_n((p), (v), __ATOMIC_RELEASE)

static inline void
membar_release(void)
{

	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static inline void
membar_acquire(void)
{

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

#endif /* !_HOST_SYS_ATOMIC_H_ */
