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
 * The kernel interface dm-core calls (the dmk_* functions of dm_core.h):
 * memory, locks, time, the console, components and disk(9).
 */

#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/disk.h>
#include <sys/dkio.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/rwlock.h>
#include <sys/vnode.h>

#include <miscfs/specfs/specdev.h>

#include "dm_glue.h"

/* kmem(9) guarantees this alignment; larger ones are arranged here. */
#define	DM_KMEM_ALIGN	8

int
dm_kapi_init(void)
{

	return 0;
}

void
dm_kapi_fini(void)
{
}

static uint8_t *
dm_kmem_alloc(size_t size, size_t align, km_flag_t flags)
{
	char *raw, *p;

	if (align <= DM_KMEM_ALIGN)
		return kmem_alloc(size, flags);
	/* Over-allocate; the word before the block remembers the start. */
	if ((raw = kmem_alloc(size + align + sizeof(void *), flags)) == NULL)
		return NULL;
	p = raw + sizeof(void *);
	p += (align - ((uintptr_t)p & (align - 1))) & (align - 1);
	((void **)p)[-1] = raw;
	return (uint8_t *)p;
}

uint8_t *
dmk_alloc(size_t size, size_t align)
{

	return dm_kmem_alloc(size, align, KM_SLEEP);
}

/* The I/O path's: NULL rather than a sleep. */
uint8_t *
dmk_alloc_nosleep(size_t size, size_t align)
{

	return dm_kmem_alloc(size, align, KM_NOSLEEP);
}

void
dmk_free(uint8_t *p, size_t size, size_t align)
{

	if (align <= DM_KMEM_ALIGN) {
		kmem_free(p, size);
		return;
	}
	kmem_free(((void **)p)[-1], size + align + sizeof(void *));
}

void
dmk_panic(const char *msg, size_t len)
{

	panic("%.*s", (int)len, msg);
}

void *
dmk_mutex_create(bool spin)
{
	kmutex_t *m;

	m = kmem_alloc(sizeof(*m), KM_SLEEP);
	/* The spin kind is taken from I/O completion. */
	mutex_init(m, MUTEX_DEFAULT, spin ? IPL_BIO : IPL_NONE);
	return m;
}

void
dmk_mutex_destroy(void *m)
{

	mutex_destroy(m);
	kmem_free(m, sizeof(kmutex_t));
}

void
dmk_mutex_enter(void *m)
{

	mutex_enter(m);
}

void
dmk_mutex_exit(void *m)
{

	mutex_exit(m);
}

void *
dmk_rw_create(void)
{
	krwlock_t *rw;

	rw = kmem_alloc(sizeof(*rw), KM_SLEEP);
	rw_init(rw);
	return rw;
}

void
dmk_rw_destroy(void *rw)
{

	rw_destroy(rw);
	kmem_free(rw, sizeof(krwlock_t));
}

void
dmk_rw_enter(void *rw, bool write)
{

	rw_enter(rw, write ? RW_WRITER : RW_READER);
}

void
dmk_rw_exit(void *rw)
{

	rw_exit(rw);
}

void *
dmk_cv_create(void)
{
	kcondvar_t *cv;

	cv = kmem_alloc(sizeof(*cv), KM_SLEEP);
	cv_init(cv, "dmwait");
	return cv;
}

void
dmk_cv_destroy(void *cv)
{

	cv_destroy(cv);
	kmem_free(cv, sizeof(kcondvar_t));
}

void
dmk_cv_wait(void *cv, void *m)
{

	cv_wait(cv, m);
}

int32_t
dmk_cv_wait_sig(void *cv, void *m)
{

	return cv_wait_sig(cv, m);
}

void
dmk_cv_broadcast(void *cv)
{

	cv_broadcast(cv);
}

uint64_t
dmk_uptime_ms(void)
{
	struct timeval tv;

	getmicrouptime(&tv);
	return (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000;
}

void
dmk_log(const char *msg, size_t len)
{

	printf("dm: %.*s\n", (int)len, msg);
}

static int
dm_comp_fmode(bool writable)
{

	return FREAD | (writable ? FWRITE : 0);
}

/*
 * Where the component starts on the disk whose label it could reach, for
 * dm-core's label rule (dm.4): a wedge (dk(4), named dkN) has none in
 * front of it, a partition starts at its offset, a whole disk (or what
 * cannot say) at 0.
 */
static uint64_t
dm_comp_label_start(struct vnode *vp)
{
	struct dkwedge_info dkw;
	struct partinfo pi;

	if (VOP_IOCTL(vp, DIOCGWEDGEINFO, &dkw, FREAD, NOCRED) == 0 &&
	    strncmp(dkw.dkw_devname, "dk", 2) == 0)
		return DM_LABEL_NONE;
	if (VOP_IOCTL(vp, DIOCGPARTINFO, &pi, FREAD, NOCRED) == 0 &&
	    pi.pi_secsize >= DEV_BSIZE)
		return pi.pi_offset * (pi.pi_secsize / DEV_BSIZE);
	return 0;
}

/*
 * Opens a component by path as cgd(4) does: the path must name a block
 * device; read-only devices open it for reading only.  The handle is
 * the vnode itself, so a request reaches it without another lookup.
 */
int32_t
dmk_comp_open(const char *path, bool writable, struct dmk_comp_info *info,
    void **handle)
{
	struct pathbuf *pb;
	struct vnode *vp;
	uint64_t numsec;
	unsigned int secsize;
	int error, fmode;

	fmode = dm_comp_fmode(writable);
	if ((pb = pathbuf_create(path)) == NULL)
		return ENOMEM;
	error = vn_open(NULL, pb, 0, fmode, 0, &vp, NULL, NULL);
	pathbuf_destroy(pb);
	if (error != 0)
		return error;
	VOP_UNLOCK(vp);
	if (vp->v_type != VBLK) {
		(void)vn_close(vp, fmode, curlwp->l_cred);
		return ENOTBLK;
	}
	if ((error = getdisksize(vp, &numsec, &secsize)) != 0) {
		(void)vn_close(vp, fmode, curlwp->l_cred);
		return error;
	}
	info->dev = vp->v_rdev;
	info->sectors = numsec * (secsize / DEV_BSIZE);
	info->secsize = secsize;
	info->dm_minor = major(vp->v_rdev) == dm_bmajor ?
	    (uint32_t)minor(vp->v_rdev) : 0;
	info->label_start = dm_comp_label_start(vp);
	*handle = vp;
	return 0;
}

void
dmk_comp_close(void *handle, bool writable)
{

	(void)vn_close(handle, dm_comp_fmode(writable), curlwp->l_cred);
}

static const struct dkdriver dm_dkdriver = {
	.d_strategy = dmstrategy,
	.d_minphys = minphys
};

int32_t
dmk_disk_attach(uint32_t minor, const char *name, const struct dm_dev *dev)
{
	struct dm_softc *sc;

	sc = kmem_zalloc(sizeof(*sc), KM_SLEEP);
	sc->sc_minor = minor;
	sc->sc_dev = dev;
	strlcpy(sc->sc_name, name, sizeof(sc->sc_name));
	mutex_init(&sc->sc_dk_lock, MUTEX_DEFAULT, IPL_BIO);
	mutex_init(&sc->sc_lock, MUTEX_DEFAULT, IPL_BIO);
	mutex_init(&sc->sc_label_lock, MUTEX_DEFAULT, IPL_NONE);
	TAILQ_INIT(&sc->sc_deferred);
	dm_label_default(sc, &sc->sc_label);
	sc->sc_label_default = true;
	/* disk(9) keeps the name pointer: a rename shows up by itself. */
	disk_init(&sc->sc_dk, sc->sc_name, &dm_dkdriver);
	disk_attach(&sc->sc_dk);
	dm_softc_insert(sc);
	return 0;
}

void
dmk_disk_detach(uint32_t minor)
{
	struct dm_softc *sc;

	if ((sc = dm_softc_lookup(minor)) == NULL)
		return;
	dm_softc_remove(sc);
	dm_io_fail_deferred(sc);
	disk_detach(&sc->sc_dk);
	disk_destroy(&sc->sc_dk);
	mutex_destroy(&sc->sc_label_lock);
	mutex_destroy(&sc->sc_lock);
	mutex_destroy(&sc->sc_dk_lock);
	kmem_free(sc, sizeof(*sc));
}

void
dmk_disk_rename(uint32_t minor, const char *name)
{
	struct dm_softc *sc;

	if ((sc = dm_softc_lookup(minor)) != NULL)
		strlcpy(sc->sc_name, name, sizeof(sc->sc_name));
}

void
dmk_disk_resize(uint32_t minor, uint64_t sectors, uint32_t secsize)
{
	struct dm_softc *sc;

	if ((sc = dm_softc_lookup(minor)) != NULL && secsize != 0)
		dm_label_resize(sc, sectors * DEV_BSIZE / secsize, secsize);
}

void
dmk_disk_regeometry(uint32_t minor)
{
	struct dm_softc *sc;

	if ((sc = dm_softc_lookup(minor)) != NULL)
		dm_label_regeometry(sc);
}

void
dmk_device_resumed(uint32_t minor)
{
	struct dm_softc *sc;

	if ((sc = dm_softc_lookup(minor)) != NULL)
		dm_io_restart(sc);
}
