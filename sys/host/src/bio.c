/*
 * Host mode: buf(9) and bufferio(9) — getiobuf/putiobuf, biodone and
 * biowait, nested buffers, and physio for read(2)/write(2) on the
 * character device.
 */

#include <host_kernel.h>

#include <errno.h>

/* Bufs come from a cache, as the kernel's bufio_cache. */
static pool_cache_t buf_cache;
static pthread_once_t buf_cache_once = PTHREAD_ONCE_INIT;

/* A buf its owner embeds (as vnd(4) its xfers), before each use. */
void
buf_init(buf_t *bp)
{

	memset(bp, 0, offsetof(buf_t, b_hostlock));
	mutex_init(&bp->b_hostlock, MUTEX_DEFAULT, IPL_BIO);
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
	bp = pool_cache_get(buf_cache, waitok ? PR_WAITOK : PR_NOWAIT);
	if (bp == NULL)
		return NULL;
	/* Everything but the lock and condvar, which come set up. */
	memset(bp, 0, offsetof(buf_t, b_hostlock));
	bp->b_vp = vp;
	bp->b_objlock = &bp->b_hostlock;
	return bp;
}

void
putiobuf(buf_t *bp)
{

	pool_cache_put(buf_cache, bp);
}

/*
 * Completion: the buf's own iodone when it has one (which then owns the
 * buf), otherwise wake biowait.
 */
void
biodone(buf_t *bp)
{

	if (bp->b_iodone != NULL) {
		(*bp->b_iodone)(bp);
		return;
	}
	mutex_enter(&bp->b_hostlock);
	bp->b_oflags |= BO_DONE;
	bp->b_hostfin = true;
	cv_broadcast(&bp->b_hostdone);
	mutex_exit(&bp->b_hostlock);
}

int
biowait(buf_t *bp)
{

	mutex_enter(&bp->b_hostlock);
	while (!bp->b_hostfin)
		cv_wait(&bp->b_hostdone, &bp->b_hostlock);
	mutex_exit(&bp->b_hostlock);
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
	mutex_enter(&mbp->b_hostlock);
	mbp->b_resid -= donebytes;
	if (error != 0)
		mbp->b_error = error;
	last = mbp->b_resid == 0;
	if (last && mbp->b_error != 0)
		mbp->b_resid = mbp->b_bcount;
	mutex_exit(&mbp->b_hostlock);
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
