/*
 * Host mode: pool_cache(9).  A thread keeps a short stack of free
 * objects per cache, as the kernel keeps one per CPU, so a get and a put
 * in the I/O path are a few instructions with no lock; a full stack
 * hands objects back to malloc.  Objects are built by the constructor
 * when first allocated and torn down by the destructor when freed, as in
 * the kernel; in between, the cache never writes into them, so what the
 * constructor set up stays set up.
 */

#include <host_kernel.h>

#include <pthread.h>
#include <stdlib.h>

/* Objects a thread keeps per cache. */
#define	POOL_LOCAL_MAX	64
/* Caches at once: a thread finds its stack for each in a slot. */
#define	POOL_SLOTS	16

struct host_pool_cache {
	size_t		pc_size;
	int		(*pc_ctor)(void *, void *, int);
	void		(*pc_dtor)(void *, void *);
	void		*pc_arg;
	u_int		pc_slot;	/* in pool_slots[] */
	pthread_key_t	pc_key;		/* frees the stack at thread exit */
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
	pthread_mutex_lock(&pool_slot_lock);
	pool_slot_used[pc->pc_slot] = false;
	pthread_mutex_unlock(&pool_slot_lock);
	kmem_free(pc, sizeof(*pc));
}

void *
pool_cache_get(pool_cache_t pc, int flags)
{
	struct pool_local *pl;
	void *obj;

	if ((flags & PR_WAITOK) != 0)
		ASSERT_SLEEPABLE();
	pl = pool_slots[pc->pc_slot];
	if (pl != NULL && pl->pl_count > 0)
		return pl->pl_objs[--pl->pl_count];
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

	pl = pool_slots[pc->pc_slot];
	if (pl == NULL) {
		if ((pl = calloc(1, sizeof(*pl))) == NULL) {
			pool_obj_free(pc, obj);
			return;
		}
		pl->pl_pc = pc;
		pool_slots[pc->pc_slot] = pl;
		pthread_setspecific(pc->pc_key, pl);
	}
	if (pl->pl_count >= POOL_LOCAL_MAX) {
		pool_obj_free(pc, obj);
		return;
	}
	pl->pl_objs[pl->pl_count++] = obj;
}
