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
 * Host mode: NetBSD's <sys/pool.h>: pool_cache(9).  Each thread keeps
 * the objects it put back and takes them again, as the kernel's per-CPU
 * caches do; objects are constructed once.
 */

#ifndef _HOST_SYS_POOL_H_
#define _HOST_SYS_POOL_H_

#include <stdbool.h>
#include <stdint.h>

#include <sys/param.h>
#include <sys/mutex.h>
#include <sys/condvar.h>
#include <sys/queue.h>
#include <sys/time.h>

struct pool_allocator;
typedef struct host_pool_cache *pool_cache_t;

#define	PR_WAITOK	0x01	/* Note: matches KM_SLEEP */
#define	PR_NOWAIT	0x02	/* Note: matches KM_NOSLEEP */

pool_cache_t pool_cache_init(size_t, u_int, u_int, u_int, const char *,
	    struct pool_allocator *, int, int (*)(void *, void *, int),
	    void (*)(void *, void *), void *);
void	pool_cache_destroy(pool_cache_t);
void	*pool_cache_get(pool_cache_t, int);
void	pool_cache_put(pool_cache_t, void *);

#endif /* !_HOST_SYS_POOL_H_ */
