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
 * dm(4) I/O: carry out the actions dm-core maps a request to.  One
 * nested buf per component piece, kept in the piece as vnd(4) keeps its
 * bufs in its xfers (a delayed piece waits for a callout, then goes out
 * from a workqueue); zero fill, errors and dropped writes done here.
 * The request completes once, with the first error, when every piece is
 * done.
 */

#include <sys/param.h>
#include <sys/types.h>
#include <sys/atomic.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/callout.h>
#include <sys/disk.h>
#include <sys/dkio.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/kmem.h>
#include <sys/kernel.h>
#include <sys/mutex.h>
#include <sys/pool.h>
#include <sys/vnode.h>
#include <sys/workqueue.h>

#include <miscfs/specfs/specdev.h>

#include "dm_glue.h"

/* What a piece keeps of its request's flags: direction and kind. */
#ifdef B_MEDIA_FLAGS
#define	DM_BUF_FLAGS	(B_READ | B_PHYS | B_MEDIA_FLAGS)
#else
#define	DM_BUF_FLAGS	(B_READ | B_PHYS)
#endif

/* The structure a workqueue item is embedded in. */
#define	DM_WORK_OWNER(wk, type, field)					\
	((type *)(void *)((char *)(wk) - offsetof(type, field)))

struct dm_job;

/* One component piece of a request. */
struct dm_piece {
	struct buf		p_buf;		/* to the component */
	struct dm_job		*p_job;
	const struct dm_action	*p_act;
	void			*p_bounce;	/* copy of a corrupted write */
	callout_t		p_callout;	/* a delayed piece's timer */
	struct work		p_work;		/* its issue, in a thread */
	bool			p_delayed;
};

/* One request in flight. */
struct dm_job {
	struct buf	*j_bp;
	struct dm_softc	*j_sc;
	struct dm_io	j_io;		/* dm-core's request */
	size_t		j_mapped;	/* bytes the actions cover */
	volatile u_int	j_pending;	/* actions not yet complete */
	volatile u_int	j_error;	/* the first error */
	struct work	j_work;		/* its release, in a thread */
	struct dm_piece	*j_more;	/* pieces beyond the first */
	size_t		j_nmore;
	size_t		j_used;		/* pieces handed out */
	struct dm_piece	j_first;	/* most requests have one piece */
};

/*
 * Jobs come from a cache: one per request, on every I/O.  Everything a
 * request needs is allocated before its first piece is issued, without
 * sleeping (swap may live on a dm device, and the pager must not wait
 * for memory it is freeing): a request that finds no memory waits in
 * dm_starved and is retried from a thread, as cgd(4) retries.  A job
 * that holds more than its first piece is released in a thread after it
 * completes: completion runs in interrupt context, where kmem_free may
 * not (sys/kern/subr_kmem.c); the others are released where they
 * complete (dm_job_light).
 */
static pool_cache_t dm_job_cache;
/*
 * dm_release_wq releases jobs and retries starved requests; dm_delay_wq
 * issues delayed pieces.
 */
static struct workqueue *dm_release_wq, *dm_delay_wq;

/* Requests that found no memory, and their retry. */
#define	DM_STARVED_MS	10
static kmutex_t dm_starved_lock;
static TAILQ_HEAD(, buf) dm_starved = TAILQ_HEAD_INITIALIZER(dm_starved);
static bool dm_starved_queued;	/* the retry is on its way */
static callout_t dm_starved_callout;
static struct work dm_starved_work;

static void dm_piece_iodone(struct buf *);

static void
dm_piece_init(struct dm_job *job, struct dm_piece *p)
{

	buf_init(&p->p_buf);
	p->p_buf.b_private = p;
	p->p_job = job;
}

static int
dm_job_ctor(void *arg __unused, void *obj, int flags __unused)
{
	struct dm_job *job = obj;

	dm_piece_init(job, &job->j_first);
	return 0;
}

static void
dm_job_dtor(void *arg __unused, void *obj)
{
	struct dm_job *job = obj;

	buf_destroy(&job->j_first.p_buf);
}

static void dm_job_release(struct work *, void *);
static void dm_piece_delayed(struct work *, void *);
static void dm_starved_timeout(void *);

int
dm_io_init(void)
{
	int error;

	dm_job_cache = pool_cache_init(sizeof(struct dm_job), 0, 0, 0,
	    "dmjob", NULL, IPL_BIO, dm_job_ctor, dm_job_dtor, NULL);
	error = workqueue_create(&dm_release_wq, "dmrelease", dm_job_release,
	    NULL, PRI_BIO, IPL_BIO, WQ_MPSAFE);
	if (error != 0)
		goto fail;
	error = workqueue_create(&dm_delay_wq, "dmdelay", dm_piece_delayed,
	    NULL, PRI_BIO, IPL_BIO, WQ_MPSAFE);
	if (error != 0) {
		workqueue_destroy(dm_release_wq);
		goto fail;
	}
	mutex_init(&dm_starved_lock, MUTEX_DEFAULT, IPL_NONE);
	callout_init(&dm_starved_callout, CALLOUT_MPSAFE);
	callout_setfunc(&dm_starved_callout, dm_starved_timeout, NULL);
	return 0;
fail:
	pool_cache_destroy(dm_job_cache);
	return error;
}

/* Every device is gone; the queues finish what they hold first. */
void
dm_io_fini(void)
{

	callout_halt(&dm_starved_callout, NULL);
	callout_destroy(&dm_starved_callout);
	workqueue_destroy(dm_delay_wq);
	workqueue_destroy(dm_release_wq);
	mutex_destroy(&dm_starved_lock);
	pool_cache_destroy(dm_job_cache);
}

/* disk(9) statistics are the caller's to serialise. */
static void
dm_stats_start(struct dm_softc *sc)
{

	mutex_enter(&sc->sc_dk_lock);
	disk_busy(&sc->sc_dk);
	mutex_exit(&sc->sc_dk_lock);
}

static void
dm_stats_done(struct dm_softc *sc, const struct buf *bp)
{

	mutex_enter(&sc->sc_dk_lock);
	disk_unbusy(&sc->sc_dk, bp->b_bcount - bp->b_resid,
	    (bp->b_flags & B_READ) != 0);
	mutex_exit(&sc->sc_dk_lock);
}

/* Thread context: retry every starved request now. */
static void
dm_starved_retry(void)
{
	TAILQ_HEAD(, buf) q;
	struct buf *bp;

	TAILQ_INIT(&q);
	mutex_enter(&dm_starved_lock);
	while ((bp = TAILQ_FIRST(&dm_starved)) != NULL) {
		TAILQ_REMOVE(&dm_starved, bp, b_actq);
		TAILQ_INSERT_TAIL(&q, bp, b_actq);
	}
	dm_starved_queued = false;
	mutex_exit(&dm_starved_lock);
	while ((bp = TAILQ_FIRST(&q)) != NULL) {
		TAILQ_REMOVE(&q, bp, b_actq);
		dmstrategy(bp);
	}
}

/*
 * Sends the retry on its way if anything waits: at once, or after
 * DM_STARVED_MS when the wait is for memory that nothing in flight is
 * about to give back.
 */
static void
dm_starved_kick(bool later)
{

	mutex_enter(&dm_starved_lock);
	if (TAILQ_EMPTY(&dm_starved) || dm_starved_queued) {
		mutex_exit(&dm_starved_lock);
		return;
	}
	dm_starved_queued = true;
	mutex_exit(&dm_starved_lock);
	if (later)
		callout_schedule(&dm_starved_callout,
		    MAX(mstohz(DM_STARVED_MS), 1));
	else
		workqueue_enqueue(dm_release_wq, &dm_starved_work, NULL);
}

static void
dm_starved_timeout(void *arg __unused)
{

	workqueue_enqueue(dm_release_wq, &dm_starved_work, NULL);
}

static void
dm_io_starve(struct buf *bp)
{

	mutex_enter(&dm_starved_lock);
	TAILQ_INSERT_TAIL(&dm_starved, bp, b_actq);
	mutex_exit(&dm_starved_lock);
	dm_starved_kick(true);
}

static void
dm_piece_release(struct dm_piece *p)
{

	if (p->p_bounce != NULL)
		kmem_free(p->p_bounce, p->p_act->count * DEV_BSIZE);
	if (p->p_delayed) {
		callout_halt(&p->p_callout, NULL);
		callout_destroy(&p->p_callout);
	}
}

/*
 * In a thread, after the request completed: free what it held and let
 * dm-core unpin its table.
 */
static void
dm_job_release(struct work *wk, void *arg __unused)
{
	struct dm_job *job;
	size_t i;

	if (wk == &dm_starved_work) {
		dm_starved_retry();
		return;
	}
	job = DM_WORK_OWNER(wk, struct dm_job, j_work);
	if (job->j_used > 0)
		dm_piece_release(&job->j_first);
	for (i = 0; i + 1 < job->j_used; i++)
		dm_piece_release(&job->j_more[i]);
	for (i = 0; i < job->j_nmore; i++)
		buf_destroy(&job->j_more[i].p_buf);
	if (job->j_nmore > 0)
		kmem_free(job->j_more, job->j_nmore * sizeof(*job->j_more));
	dm_core_io_done(&job->j_io);
	pool_cache_put(dm_job_cache, job);
	/* Memory came free: the starved may go now. */
	dm_starved_kick(false);
}

/*
 * Whether the job can be released where it completes: nothing to free
 * (one piece at most, no copy, no callout) and dm-core's request frees
 * nothing either.  Most requests are such; the thread hop would cost
 * each of them a wakeup.
 */
static bool
dm_job_light(const struct dm_job *job)
{

	if (job->j_nmore != 0)
		return false;
	if (job->j_used > 0 && (job->j_first.p_bounce != NULL ||
	    job->j_first.p_delayed))
		return false;
	return dm_core_io_light(&job->j_io);
}

/* Interrupt context: complete the request; release the job. */
static void
dm_job_finish(struct dm_job *job)
{
	struct buf *bp = job->j_bp;

	bp->b_error = (int)job->j_error;
	bp->b_resid = job->j_error != 0 ? bp->b_bcount :
	    bp->b_bcount - (int)job->j_mapped;
	dm_stats_done(job->j_sc, bp);
	biodone(bp);
	if (!dm_job_light(job)) {
		workqueue_enqueue(dm_release_wq, &job->j_work, NULL);
		return;
	}
	dm_core_io_done(&job->j_io);
	pool_cache_put(dm_job_cache, job);
}

static void
dm_job_done(struct dm_job *job, int error)
{

	if (error != 0)
		(void)atomic_cas_uint(&job->j_error, 0, (u_int)error);
	/* The last piece sees every other piece's error. */
	membar_release();
	if (atomic_dec_uint_nv(&job->j_pending) != 0)
		return;
	membar_acquire();
	dm_job_finish(job);
}

static char *
dm_piece_data(const struct dm_piece *p)
{

	return (char *)p->p_job->j_bp->b_data +
	    p->p_act->offset * DEV_BSIZE;
}

/* A corrupted write goes out from a copy: never the caller's data. */
static bool
dm_action_bounces(const struct buf *bp, const struct dm_action *a)
{

	return (bp->b_flags & B_READ) == 0 && a->corrupt_byte != 0 &&
	    a->corrupt_byte <= a->count * DEV_BSIZE;
}

static void
dm_job_unprepare(struct dm_job *job, size_t n)
{
	struct dm_piece *p;
	size_t i;

	for (i = 0; i < n; i++) {
		p = i == 0 ? &job->j_first : &job->j_more[i - 1];
		if (p->p_bounce != NULL)
			kmem_free(p->p_bounce, p->p_act->count * DEV_BSIZE);
	}
	for (i = 0; i < job->j_nmore; i++)
		buf_destroy(&job->j_more[i].p_buf);
	if (job->j_nmore > 0)
		kmem_free(job->j_more, job->j_nmore * sizeof(*job->j_more));
}

/*
 * Every piece of the request, with the copies corrupted writes go out
 * from, before any is issued; ENOMEM, holding nothing, when memory is
 * short.
 */
static int
dm_job_prepare(struct dm_job *job, const struct dm_mapped *m)
{
	const struct dm_action *a;
	struct dm_piece *p;
	size_t i, n = 0;

	for (i = 0; i < m->count; i++)
		if (m->actions[i].kind == DM_ACT_IO)
			n++;
	job->j_used = 0;
	job->j_nmore = n > 1 ? n - 1 : 0;
	job->j_more = NULL;
	if (job->j_nmore > 0) {
		job->j_more = kmem_zalloc(job->j_nmore * sizeof(*job->j_more),
		    KM_NOSLEEP);
		if (job->j_more == NULL)
			return ENOMEM;
		for (i = 0; i < job->j_nmore; i++)
			dm_piece_init(job, &job->j_more[i]);
	}
	for (i = 0, n = 0; i < m->count; i++) {
		a = &m->actions[i];
		if (a->kind != DM_ACT_IO)
			continue;
		p = n == 0 ? &job->j_first : &job->j_more[n - 1];
		p->p_act = a;
		p->p_bounce = NULL;
		n++;
		if (!dm_action_bounces(job->j_bp, a))
			continue;
		p->p_bounce = kmem_alloc(a->count * DEV_BSIZE, KM_NOSLEEP);
		if (p->p_bounce == NULL) {
			dm_job_unprepare(job, n);
			return ENOMEM;
		}
	}
	return 0;
}

static struct dm_piece *
dm_piece_next(struct dm_job *job)
{

	return job->j_used++ == 0 ? &job->j_first :
	    &job->j_more[job->j_used - 2];
}

static void
dm_piece_iodone(struct buf *cbp)
{
	struct dm_piece *p = cbp->b_private;
	const struct dm_action *a = p->p_act;
	size_t len = a->count * DEV_BSIZE;
	int error;

	error = cbp->b_error;
	if (error == 0 && cbp->b_resid != 0)
		error = EIO;
	/* Read corruption lands in the caller's buffer after the read. */
	if (error == 0 && (cbp->b_flags & B_READ) != 0 &&
	    a->corrupt_byte != 0 && a->corrupt_byte <= len)
		dm_piece_data(p)[a->corrupt_byte - 1] = (char)a->corrupt_value;
	dm_job_done(p->p_job, error);
}

static void
dm_piece_issue(struct dm_piece *p)
{

	VOP_STRATEGY(p->p_buf.b_vp, &p->p_buf);
}

/* A component may sleep in its strategy: not from the callout. */
static void
dm_piece_timeout(void *arg)
{
	struct dm_piece *p = arg;

	workqueue_enqueue(dm_delay_wq, &p->p_work, NULL);
}

static void
dm_piece_delayed(struct work *wk, void *arg __unused)
{

	dm_piece_issue(DM_WORK_OWNER(wk, struct dm_piece, p_work));
}

/*
 * Clock ticks for a wait of at least MS milliseconds: mstohz() rounds
 * down, and a callout runs at the n-th tick from now, which comes up to a
 * tick early.
 */
static int
dm_ms_ticks(uint32_t ms)
{
	int ticks;

	ticks = mstohz(ms);
	if ((uint64_t)ticks * 1000 < (uint64_t)ms * hz)
		ticks++;
	return ticks + 1;
}

/*
 * Sets the piece's buf up for this request: every field the last
 * request or the component's driver changed.  biodone() clears
 * b_iodone before calling it (sys/kern/vfs_bio.c), so it is set anew.
 */
static void
dm_piece_setup(struct dm_piece *p, struct buf *bp, struct vnode *vp,
    size_t len)
{
	struct buf *cbp = &p->p_buf;

	cbp->b_error = 0;
	cbp->b_iodone = dm_piece_iodone;
	cbp->b_vp = vp;
	cbp->b_objlock = vp->v_interlock;
	cbp->b_flags = B_ASYNC | (bp->b_flags & DM_BUF_FLAGS);
	cbp->b_cflags = BC_BUSY;
	cbp->b_oflags = 0;
	cbp->b_data = dm_piece_data(p);
	cbp->b_bcount = cbp->b_bufsize = cbp->b_resid = (int)len;
	cbp->b_blkno = cbp->b_rawblkno = p->p_act->sector;
	cbp->b_dev = vp->v_rdev;
	BIO_COPYPRIO(cbp, bp);
}

static void
dm_piece_start(struct dm_job *job, const struct dm_action *a)
{
	struct buf *bp = job->j_bp;
	struct vnode *vp = a->comp;
	struct dm_piece *p;
	size_t len = a->count * DEV_BSIZE;

	p = dm_piece_next(job);
	KASSERT(p->p_act == a);
	p->p_delayed = false;
	dm_piece_setup(p, bp, vp, len);
	if (p->p_bounce != NULL) {
		memcpy(p->p_bounce, p->p_buf.b_data, len);
		((char *)p->p_bounce)[a->corrupt_byte - 1] =
		    (char)a->corrupt_value;
		p->p_buf.b_data = p->p_bounce;
	}
	if ((bp->b_flags & B_READ) == 0) {
		mutex_enter(vp->v_interlock);
		vp->v_numoutput++;
		mutex_exit(vp->v_interlock);
	}
	if (a->delay_ms != 0) {
		p->p_delayed = true;
		callout_init(&p->p_callout, CALLOUT_MPSAFE);
		callout_reset(&p->p_callout, dm_ms_ticks(a->delay_ms),
		    dm_piece_timeout, p);
		return;
	}
	dm_piece_issue(p);
}

static void
dm_action_run(struct dm_job *job, const struct dm_action *a)
{
	struct buf *bp = job->j_bp;

	switch (a->kind) {
	case DM_ACT_IO:
		dm_piece_start(job, a);
		return;
	case DM_ACT_ZERO:
		if ((bp->b_flags & B_READ) != 0)
			memset((char *)bp->b_data + a->offset * DEV_BSIZE, 0,
			    a->count * DEV_BSIZE);
		dm_job_done(job, 0);
		return;
	case DM_ACT_ERROR:
		dm_job_done(job, a->error);
		return;
	case DM_ACT_DROP:
		dm_job_done(job, 0);
		return;
	default:
		dm_job_done(job, EIO);
		return;
	}
}

static void
dm_io_fail(struct buf *bp, int error)
{

	bp->b_error = error;
	bp->b_resid = bp->b_bcount;
	biodone(bp);
}

/*
 * Maps the request into the job; a suspended device's requests wait in
 * sc_deferred.  Whether the device is suspended is asked again under
 * sc_lock (mapping allocates, which a spin mutex forbids), to close the
 * race with resume, which restarts the queue under the same lock after
 * clearing the suspension.
 */
static int
dm_io_map(struct dm_softc *sc, struct buf *bp, struct dm_io *io,
    struct dm_mapped *m)
{
	uint64_t sector = (uint64_t)bp->b_blkno;
	uint64_t count = (uint64_t)bp->b_bcount / DEV_BSIZE;
	bool write = (bp->b_flags & B_READ) == 0;
	int error;

	for (;;) {
		error = dm_core_map(sc->sc_dev, sector, count, write, io, m);
		if (error != DM_MAP_DEFERRED)
			return error;
		mutex_enter(&sc->sc_lock);
		if (dm_core_suspended(sc->sc_dev)) {
			TAILQ_INSERT_TAIL(&sc->sc_deferred, bp, b_actq);
			mutex_exit(&sc->sc_lock);
			return DM_MAP_DEFERRED;
		}
		mutex_exit(&sc->sc_lock);
	}
}

void
dm_io_start(struct dm_softc *sc, struct buf *bp)
{
	struct dm_mapped m;
	struct dm_job *job;
	size_t i;
	int error;

	if (bp->b_blkno < 0 || bp->b_bcount < 0 ||
	    bp->b_bcount % DEV_BSIZE != 0) {
		dm_io_fail(bp, EINVAL);
		return;
	}
	if ((job = pool_cache_get(dm_job_cache, PR_NOWAIT)) == NULL) {
		dm_io_starve(bp);
		return;
	}
	error = dm_io_map(sc, bp, &job->j_io, &m);
	if (error != 0) {
		pool_cache_put(dm_job_cache, job);
		if (error == ENOMEM)
			dm_io_starve(bp);
		else if (error != DM_MAP_DEFERRED)
			dm_io_fail(bp, error);
		return;
	}
	job->j_bp = bp;
	if (dm_job_prepare(job, &m) != 0) {
		dm_core_io_done(&job->j_io);
		pool_cache_put(dm_job_cache, job);
		dm_io_starve(bp);
		return;
	}
	job->j_sc = sc;
	job->j_mapped = (size_t)m.sectors * DEV_BSIZE;
	/*
	 * Each action holds the job until it completes.  The actions live
	 * in the job, and the loop reads one only before issuing it, while
	 * the ones still to come keep the job alive.  A request with
	 * nothing to do is done at once.
	 */
	job->j_pending = m.count > 0 ? (u_int)m.count : 1;
	job->j_error = 0;
	dm_stats_start(sc);
	for (i = 0; i < m.count; i++)
		dm_action_run(job, &m.actions[i]);
	if (m.count == 0)
		dm_job_done(job, 0);
}

/*
 * The device resumed: map the held requests again.
 */
void
dm_io_restart(struct dm_softc *sc)
{
	TAILQ_HEAD(, buf) q;
	struct buf *bp;

	TAILQ_INIT(&q);
	mutex_enter(&sc->sc_lock);
	while ((bp = TAILQ_FIRST(&sc->sc_deferred)) != NULL) {
		TAILQ_REMOVE(&sc->sc_deferred, bp, b_actq);
		TAILQ_INSERT_TAIL(&q, bp, b_actq);
	}
	mutex_exit(&sc->sc_lock);
	while ((bp = TAILQ_FIRST(&q)) != NULL) {
		TAILQ_REMOVE(&q, bp, b_actq);
		dm_io_start(sc, bp);
	}
}

/*
 * The device goes away: fail what it held back.
 */
void
dm_io_fail_deferred(struct dm_softc *sc)
{
	struct buf *bp;

	mutex_enter(&sc->sc_lock);
	while ((bp = TAILQ_FIRST(&sc->sc_deferred)) != NULL) {
		TAILQ_REMOVE(&sc->sc_deferred, bp, b_actq);
		mutex_exit(&sc->sc_lock);
		dm_io_fail(bp, ENXIO);
		mutex_enter(&sc->sc_lock);
	}
	mutex_exit(&sc->sc_lock);
}

/*
 * DIOCCACHESYNC: flush every component of the active table; the first
 * error is the result.  As for every disk, only a writer may.
 */
int
dm_io_sync(struct dm_softc *sc, int flag)
{
	const struct dm_action *a;
	struct dm_mapped m;
	struct dm_io io;
	size_t i;
	int error, force = 1, rv = 0;

	if ((flag & FWRITE) == 0)
		return EBADF;
	if ((error = dm_core_sync(sc->sc_dev, &io, &m)) != 0)
		return error;
	for (i = 0; i < m.count; i++) {
		a = &m.actions[i];
		if (a->kind != DM_ACT_SYNC)
			continue;
		error = VOP_IOCTL(a->comp, DIOCCACHESYNC, &force, FWRITE,
		    curlwp->l_cred);
		if (error != 0 && rv == 0)
			rv = error;
	}
	dm_core_io_done(&io);
	return rv;
}
