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
 * Host mode: pool_cache(9).  A thread keeps a short stack of free
 * objects per cache, as the kernel keeps one per CPU, so a get and a put
 * in the I/O path are a few instructions with no lock; a full stack
 * moves half of its objects to the cache's depot, an empty one takes
 * from there, as the kernel's per-CPU groups and its global depot do
 * (objects taken in one thread and put back in another travel that way).  Objects are built by the constructor
 * when first allocated and torn down by the destructor when freed, as in
 * the kernel; in between, the cache never writes into them, so what the
 * constructor set up stays set up.
 *
 * Follows sys/kern/subr_pool.c.
 */

#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/pool.h>

#include <host_internal.h>

#include <pthread.h>
#include <stdlib.h>

/* Objects a thread keeps per cache; the depot holds more. */
#define	POOL_LOCAL_MAX	64
#define	POOL_DEPOT_MAX	4096
/* Caches at once: a thread finds its stack for each in a slot. */
#define	POOL_SLOTS	16

struct host_pool_cache {
	size_t		pc_size;
	int		(*pc_ctor)(void *, void *, int);
	void		(*pc_dtor)(void *, void *);
	void		*pc_arg;
	u_int		pc_slot;	/* in pool_slots[] */
	pthread_key_t	pc_key;		/* frees the stack at thread exit */
	pthread_mutex_t	pc_depot_lock;
	u_int		pc_ndepot;
	void		*pc_depot[POOL_DEPOT_MAX];
};

/* The count and the top of the stack share a cache line. */
struct pool_local {
	u_int		pl_count;
	struct host_pool_cache *pl_pc;
	void		*pl_objs[POOL_LOCAL_MAX];
};

static __thread struct pool_local *pool_slots[POOL_SLOTS];
static bool pool_slot_used[POOL_SLOTS];
static pthread_mutex_t pool_slot_lock = PTHREAD_MUTEX_INITIALIZER;

static void
pool_obj_free(struct host_pool_cache *pc, void *obj)
{

	if (pc->pc_dtor != NULL)
		(*pc->pc_dtor)(pc->pc_arg, obj);
	free(obj);
}

/* Thread exit: what the thread kept goes back to malloc. */
static void
pool_local_free(void *arg)
{
	struct pool_local *pl = arg;

	while (pl->pl_count > 0)
		pool_obj_free(pl->pl_pc, pl->pl_objs[--pl->pl_count]);
	free(pl);
}

/* An empty stack refills with up to half a stack from the depot. */
static void
pool_depot_take(struct host_pool_cache *pc, struct pool_local *pl)
{

	pthread_mutex_lock(&pc->pc_depot_lock);
	while (pc->pc_ndepot > 0 && pl->pl_count < POOL_LOCAL_MAX / 2)
		pl->pl_objs[pl->pl_count++] = pc->pc_depot[--pc->pc_ndepot];
	pthread_mutex_unlock(&pc->pc_depot_lock);
}

/* A full stack gives half its objects to the depot (or to malloc). */
static void
pool_depot_give(struct host_pool_cache *pc, struct pool_local *pl)
{

	pthread_mutex_lock(&pc->pc_depot_lock);
	while (pl->pl_count > POOL_LOCAL_MAX / 2) {
		if (pc->pc_ndepot == POOL_DEPOT_MAX) {
			pthread_mutex_unlock(&pc->pc_depot_lock);
			pool_obj_free(pc, pl->pl_objs[--pl->pl_count]);
			pthread_mutex_lock(&pc->pc_depot_lock);
			continue;
		}
		pc->pc_depot[pc->pc_ndepot++] = pl->pl_objs[--pl->pl_count];
	}
	pthread_mutex_unlock(&pc->pc_depot_lock);
}

pool_cache_t
pool_cache_init(size_t size, u_int align __unused, u_int align_offset __unused,
    u_int flags __unused, const char *wchan __unused,
    struct pool_allocator *palloc __unused, int ipl __unused,
    int (*ctor)(void *, void *, int), void (*dtor)(void *, void *), void *arg)
{
	struct host_pool_cache *pc;

	pc = kmem_zalloc(sizeof(*pc), KM_SLEEP);
	pc->pc_size = size > 0 ? size : 1;
	pc->pc_ctor = ctor;
	pc->pc_dtor = dtor;
	pc->pc_arg = arg;
	pthread_mutex_init(&pc->pc_depot_lock, NULL);
	pthread_mutex_lock(&pool_slot_lock);
	for (pc->pc_slot = 0; pc->pc_slot < POOL_SLOTS; pc->pc_slot++)
		if (!pool_slot_used[pc->pc_slot])
			break;
	if (pc->pc_slot == POOL_SLOTS)
		panic("pool_cache_init: more than %d caches", POOL_SLOTS);
	pool_slot_used[pc->pc_slot] = true;
	pthread_mutex_unlock(&pool_slot_lock);
	if (pthread_key_create(&pc->pc_key, pool_local_free) != 0)
		panic("pool_cache_init: no thread key");
	return pc;
}

/* The calling thread's objects must all be back (as at module unload). */
void
pool_cache_destroy(pool_cache_t pc)
{
	struct pool_local *pl;

	if ((pl = pool_slots[pc->pc_slot]) != NULL) {
		pool_local_free(pl);
		pool_slots[pc->pc_slot] = NULL;
		pthread_setspecific(pc->pc_key, NULL);
	}
	pthread_key_delete(pc->pc_key);
	while (pc->pc_ndepot > 0)
		pool_obj_free(pc, pc->pc_depot[--pc->pc_ndepot]);
	pthread_mutex_destroy(&pc->pc_depot_lock);
	pthread_mutex_lock(&pool_slot_lock);
	pool_slot_used[pc->pc_slot] = false;
	pthread_mutex_unlock(&pool_slot_lock);
	kmem_free(pc, sizeof(*pc));
}

/* The calling thread's stack for PC, made on first use (NULL: none). */
static struct pool_local *
pool_local(struct host_pool_cache *pc)
{
	struct pool_local *pl;

	if ((pl = pool_slots[pc->pc_slot]) != NULL)
		return pl;
	if ((pl = calloc(1, sizeof(*pl))) == NULL)
		return NULL;
	pl->pl_pc = pc;
	pool_slots[pc->pc_slot] = pl;
	pthread_setspecific(pc->pc_key, pl);
	return pl;
}

void *
pool_cache_get(pool_cache_t pc, int flags)
{
	struct pool_local *pl;
	void *obj;

	if ((flags & PR_WAITOK) != 0)
		ASSERT_SLEEPABLE();
	else if (host_nowait_fail())
		return NULL;
	if ((pl = pool_local(pc)) != NULL) {
		if (pl->pl_count == 0)
			pool_depot_take(pc, pl);
		if (pl->pl_count > 0)
			return pl->pl_objs[--pl->pl_count];
	}
	if ((obj = malloc(pc->pc_size)) == NULL) {
		if ((flags & PR_WAITOK) != 0)
			panic("pool_cache_get: out of memory");
		return NULL;
	}
	if (pc->pc_ctor != NULL && (*pc->pc_ctor)(pc->pc_arg, obj, flags) != 0) {
		free(obj);
		return NULL;
	}
	return obj;
}

void
pool_cache_put(pool_cache_t pc, void *obj)
{
	struct pool_local *pl;

	if ((pl = pool_local(pc)) == NULL) {
		pool_obj_free(pc, obj);
		return;
	}
	if (pl->pl_count >= POOL_LOCAL_MAX)
		pool_depot_give(pc, pl);
	pl->pl_objs[pl->pl_count++] = obj;
}
