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
 * Host mode: buf(9) and bufferio(9) — getiobuf/putiobuf, biodone and
 * biowait, nested buffers, and physio for read(2)/write(2) on the
 * character device.  Follows sys/kern/vfs_bio.c: biodone() from a
 * hardware interrupt hands the buf to a soft interrupt, and biodone2()
 * marks it done, clears b_iodone before calling it, and refuses a
 * second completion.
 */

#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/cpu.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/condvar.h>
#include <sys/pool.h>
#include <sys/vnode.h>

#include <host_internal.h>

#include <errno.h>
#include <stddef.h>
#include <pthread.h>
#include <stdlib.h>

/* Bufs come from a cache, as the kernel's bufio_cache. */
static pool_cache_t buf_cache;
static pthread_once_t buf_cache_once = PTHREAD_ONCE_INIT;

/* A buf its owner embeds (as vnd(4) its xfers), before each use. */
void
buf_init(buf_t *bp)
{

	memset(bp, 0, offsetof(buf_t, b_hostlock));
	/* As the kernel's buffer_lock: adaptive. */
	mutex_init(&bp->b_hostlock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&bp->b_hostdone, "biowait");
	bp->b_objlock = &bp->b_hostlock;
}

void
buf_destroy(buf_t *bp)
{

	cv_destroy(&bp->b_hostdone);
	mutex_destroy(&bp->b_hostlock);
}

static int
buf_ctor(void *arg __unused, void *obj, int flags __unused)
{

	buf_init(obj);
	return 0;
}

static void
buf_dtor(void *arg __unused, void *obj)
{

	buf_destroy(obj);
}

static void
buf_cache_init(void)
{

	buf_cache = pool_cache_init(sizeof(buf_t), 0, 0, 0, "bufpl", NULL,
	    IPL_BIO, buf_ctor, buf_dtor, NULL);
}

buf_t *
getiobuf(struct vnode *vp, bool waitok)
{
	buf_t *bp;

	pthread_once(&buf_cache_once, buf_cache_init);
	if (waitok)
		ASSERT_SLEEPABLE();
	bp = pool_cache_get(buf_cache, waitok ? PR_WAITOK : PR_NOWAIT);
	if (bp == NULL)
		return NULL;
	/* Everything but the lock and condvar, which come set up. */
	memset(bp, 0, offsetof(buf_t, b_hostlock));
	bp->b_vp = vp;
	bp->b_objlock = vp != NULL ? vp->v_interlock : &bp->b_hostlock;
	return bp;
}

void
putiobuf(buf_t *bp)
{

	pool_cache_put(buf_cache, bp);
}

/* ---- the soft interrupt that completes I/O (biodone_softint) ---- */

/* Soft interrupt threads: completions run on more than one at once. */
#define	SOFTBIO_THREADS	2

static pthread_mutex_t softbio_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t softbio_cv = PTHREAD_COND_INITIALIZER;
static buf_t *softbio_head, **softbio_tail = &softbio_head;
static pthread_once_t softbio_once = PTHREAD_ONCE_INIT;

static void biodone2(buf_t *);

/* A write is done: the vnode's count of writes in flight drops. */
static void
vwakeup(buf_t *bp)
{
	struct vnode *vp;

	if ((vp = bp->b_vp) == NULL)
		return;
	KASSERT(bp->b_objlock == vp->v_interlock);
	if (--vp->v_numoutput < 0)
		panic("vwakeup: vnode %p: v_numoutput %d < 0", vp,
		    vp->v_numoutput);
}

static void *
softbio_main(void *arg __unused)
{
	buf_t *bp;

	host_softintr_enter();
	pthread_mutex_lock(&softbio_lock);
	for (;;) {
		while ((bp = softbio_head) == NULL)
			pthread_cond_wait(&softbio_cv, &softbio_lock);
		if ((softbio_head = bp->b_hostnext) == NULL)
			softbio_tail = &softbio_head;
		pthread_mutex_unlock(&softbio_lock);
		biodone2(bp);
		pthread_mutex_lock(&softbio_lock);
	}
	return NULL;
}

static void
softbio_start(void)
{
	pthread_t t;
	int i;

	for (i = 0; i < SOFTBIO_THREADS; i++) {
		if (pthread_create(&t, NULL, softbio_main, NULL) != 0)
			panic("biodone: cannot start a soft interrupt thread");
		pthread_detach(t);
	}
}

static void
softbio_schedule(buf_t *bp)
{

	pthread_once(&softbio_once, softbio_start);
	bp->b_hostnext = NULL;
	pthread_mutex_lock(&softbio_lock);
	*softbio_tail = bp;
	softbio_tail = &bp->b_hostnext;
	pthread_cond_signal(&softbio_cv);
	pthread_mutex_unlock(&softbio_lock);
}

void
biodone(buf_t *bp)
{

	if (cpu_intr_p())
		softbio_schedule(bp);
	else
		biodone2(bp);
}

/*
 * The buf's b_iodone is cleared before it runs, so a buf reused for
 * another transfer must have it set again; an async buf without one
 * would go to brelse(), which host mode does not have: a glue that
 * relies on either is stopped here.
 */
static void
biodone2(buf_t *bp)
{
	void (*callout)(buf_t *);

	mutex_enter(bp->b_objlock);
	if ((bp->b_oflags & BO_DONE) != 0)
		panic("biodone2 already: buf %p", bp);
	bp->b_oflags |= BO_DONE;
	if ((bp->b_flags & B_READ) == 0)
		vwakeup(bp);
	if ((callout = bp->b_iodone) != NULL) {
		bp->b_iodone = NULL;
		mutex_exit(bp->b_objlock);
		(*callout)(bp);
	} else if ((bp->b_flags & B_ASYNC) != 0) {
		mutex_exit(bp->b_objlock);
		panic("biodone2: async buf %p (dev 0x%llx, blkno %lld, "
		    "%d bytes) without b_iodone would be brelse()d", bp,
		    (unsigned long long)bp->b_dev, (long long)bp->b_blkno,
		    bp->b_bcount);
	} else {
		cv_broadcast(&bp->b_hostdone);
		mutex_exit(bp->b_objlock);
	}
}

int
biowait(buf_t *bp)
{

	mutex_enter(bp->b_objlock);
	while ((bp->b_oflags & BO_DONE) == 0)
		cv_wait(&bp->b_hostdone, bp->b_objlock);
	mutex_exit(bp->b_objlock);
	return bp->b_error;
}

void
nestiobuf_iodone(buf_t *bp)
{
	buf_t *mbp = bp->b_private;
	int error, donebytes;

	error = bp->b_error;
	if (error == 0 && bp->b_resid != 0)
		error = EIO;
	donebytes = bp->b_bufsize;
	putiobuf(bp);
	nestiobuf_done(mbp, donebytes, error);
}

void
nestiobuf_setup(buf_t *mbp, buf_t *bp, int offset, size_t size)
{

	bp->b_vp = mbp->b_vp;
	bp->b_dev = mbp->b_dev;
	bp->b_cflags = BC_BUSY;
	bp->b_flags = B_ASYNC | (mbp->b_flags & B_READ);
	bp->b_iodone = nestiobuf_iodone;
	bp->b_data = (char *)mbp->b_data + offset;
	bp->b_resid = bp->b_bcount = (int)size;
	bp->b_bufsize = (int)size;
	bp->b_private = mbp;
}

void
nestiobuf_done(buf_t *mbp, int donebytes, int error)
{
	bool last;

	if (donebytes == 0)
		return;
	mutex_enter(mbp->b_objlock);
	mbp->b_resid -= donebytes;
	if (error != 0)
		mbp->b_error = error;
	last = mbp->b_resid == 0;
	if (last && mbp->b_error != 0)
		mbp->b_resid = mbp->b_bcount;
	mutex_exit(mbp->b_objlock);
	if (last)
		biodone(mbp);
}

void
minphys(buf_t *bp)
{

	if (bp->b_bcount > MAXPHYS)
		bp->b_bcount = MAXPHYS;
}

/*
 * read(2)/write(2) on the raw device: the uio in MAXPHYS pieces, each
 * through the strategy routine and waited for.
 */
int
physio(void (*strategy)(buf_t *), buf_t *obp __unused, dev_t dev, int flags,
    void (*minphys_fn)(buf_t *), struct uio *uio)
{
	struct iovec *iov;
	buf_t *bp;
	size_t done;
	int error = 0, i;

	for (i = 0; i < uio->uio_iovcnt && error == 0; i++) {
		iov = &uio->uio_iov[i];
		done = 0;
		while (done < iov->iov_len) {
			bp = getiobuf(NULL, true);
			bp->b_flags = flags & B_READ;
			bp->b_dev = dev;
			bp->b_data = (char *)iov->iov_base + done;
			bp->b_bcount = (int)(iov->iov_len - done > INT32_MAX ?
			    INT32_MAX : iov->iov_len - done);
			(*minphys_fn)(bp);
			bp->b_resid = bp->b_bcount;
			bp->b_blkno = uio->uio_offset / DEV_BSIZE;
			(*strategy)(bp);
			error = biowait(bp);
			done += (size_t)(bp->b_bcount - bp->b_resid);
			uio->uio_offset += bp->b_bcount - bp->b_resid;
			uio->uio_resid -= (size_t)(bp->b_bcount - bp->b_resid);
			if (error != 0 || bp->b_resid != 0) {
				putiobuf(bp);
				break;
			}
			putiobuf(bp);
		}
	}
	return error;
}
