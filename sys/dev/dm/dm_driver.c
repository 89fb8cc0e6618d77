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
 * dm(4): the device-mapper pseudo-device.  Attach, module glue, the
 * block and character device switches, open/close, read/write and the
 * table of attached dm disks.  Decisions are dm-core's: this file turns
 * kernel entry points into calls of dm_core.h.
 */

#include <sys/param.h>
#include <sys/types.h>
#include <sys/atomic.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/module.h>
#include <sys/mutex.h>
#include <sys/stat.h>

#include "dm_glue.h"

void	dmattach(int);

static dev_type_open(dmopen);
static dev_type_close(dmclose);
static dev_type_read(dmread);
static dev_type_write(dmwrite);
static dev_type_ioctl(dmioctl);
static dev_type_size(dmsize);

const struct bdevsw dm_bdevsw = {
	.d_open = dmopen,
	.d_close = dmclose,
	.d_strategy = dmstrategy,
	.d_ioctl = dmioctl,
	.d_dump = nodump,
	.d_psize = dmsize,
	.d_discard = nodiscard,
	.d_flag = D_DISK | D_MPSAFE
};

const struct cdevsw dm_cdevsw = {
	.d_open = dmopen,
	.d_close = dmclose,
	.d_read = dmread,
	.d_write = dmwrite,
	.d_ioctl = dmioctl,
	.d_stop = nostop,
	.d_tty = notty,
	.d_poll = nopoll,
	.d_mmap = nommap,
	.d_kqfilter = nokqfilter,
	.d_discard = nodiscard,
	.d_flag = D_DISK | D_MPSAFE
};

devmajor_t dm_bmajor = DM_BMAJOR, dm_cmajor = DM_CMAJOR;

/*
 * Attached dm disks by minor, in a two-level table read without a lock:
 * every I/O looks its disk up, and a shared lock there is one more cache
 * line that every CPU writes.  Readers see a softc only once it is
 * filled in.  A disk is looked up while it is open or from dm-core's
 * commands on it, and dm-core detaches only a closed disk, so the softc
 * stays valid for the caller.  Leaves come as minors need them and stay
 * until the driver detaches.
 */
#define	DM_LEAF_SHIFT	10
#define	DM_LEAF_SIZE	(1U << DM_LEAF_SHIFT)
#define	DM_LEAVES	((DM_MINOR_MAX >> DM_LEAF_SHIFT) + 1)
static struct dm_softc **dm_leaves[DM_LEAVES];
static kmutex_t dm_leaves_lock;		/* insert and remove */
static bool dm_attached;

struct dm_softc *
dm_softc_lookup(uint32_t minor)
{
	struct dm_softc **leaf;

	if (minor > DM_MINOR_MAX)
		return NULL;
	leaf = atomic_load_acquire(&dm_leaves[minor >> DM_LEAF_SHIFT]);
	if (leaf == NULL)
		return NULL;
	return atomic_load_acquire(&leaf[minor & (DM_LEAF_SIZE - 1)]);
}

static void
dm_softc_set(uint32_t minor, struct dm_softc *sc)
{
	struct dm_softc **leaf;

	KASSERT(minor <= DM_MINOR_MAX);
	mutex_enter(&dm_leaves_lock);
	leaf = dm_leaves[minor >> DM_LEAF_SHIFT];
	if (leaf == NULL) {
		leaf = kmem_zalloc(DM_LEAF_SIZE * sizeof(*leaf), KM_SLEEP);
		atomic_store_release(&dm_leaves[minor >> DM_LEAF_SHIFT], leaf);
	}
	atomic_store_release(&leaf[minor & (DM_LEAF_SIZE - 1)], sc);
	mutex_exit(&dm_leaves_lock);
}

void
dm_softc_insert(struct dm_softc *sc)
{

	dm_softc_set(sc->sc_minor, sc);
}

void
dm_softc_remove(struct dm_softc *sc)
{

	dm_softc_set(sc->sc_minor, NULL);
}

static void
dm_leaves_free(void)
{
	size_t i;

	for (i = 0; i < DM_LEAVES; i++) {
		if (dm_leaves[i] == NULL)
			continue;
		kmem_free(dm_leaves[i], DM_LEAF_SIZE * sizeof(*dm_leaves[i]));
		dm_leaves[i] = NULL;
	}
}

/*
 * Pseudo-device attach: set up the glue and create dm-core.
 */
void
dmattach(int n __unused)
{
	int error;

	if (dm_attached)
		return;
	mutex_init(&dm_leaves_lock, MUTEX_DEFAULT, IPL_NONE);
	if ((error = dm_io_init()) != 0) {
		aprint_error("dm: cannot set up I/O: error %d\n", error);
		mutex_destroy(&dm_leaves_lock);
		return;
	}
	if ((error = dm_core_init()) != 0) {
		aprint_error("dm: cannot initialise the core: error %d\n",
		    error);
		dm_io_fini();
		mutex_destroy(&dm_leaves_lock);
		return;
	}
	dm_attached = true;
}

static int
dm_detach_all(void)
{
	int error;

	if (!dm_attached)
		return 0;
	if (dm_core_device_count() != 0)
		return EBUSY;
	/* The I/O queues release their last jobs into dm-core first. */
	dm_io_fini();
	if ((error = dm_core_fini()) != 0)
		return error;
	dm_leaves_free();
	mutex_destroy(&dm_leaves_lock);
	dm_attached = false;
	return 0;
}

MODULE(MODULE_CLASS_DRIVER, dm, NULL);

static int
dm_modcmd(modcmd_t cmd, void *arg __unused)
{
	int error;

	switch (cmd) {
	case MODULE_CMD_INIT:
		dmattach(1);
		if (!dm_attached)
			return ENOMEM;
#ifdef _MODULE
		error = devsw_attach("dm", &dm_bdevsw, &dm_bmajor,
		    &dm_cdevsw, &dm_cmajor);
		if (error != 0 && error != EEXIST) {
			(void)dm_detach_all();
			return error;
		}
#endif
		return 0;
	case MODULE_CMD_FINI:
		/* Refuse while any dm device exists. */
		if (dm_core_device_count() != 0)
			return EBUSY;
		/* No entry point may run while the core goes. */
#ifdef _MODULE
		devsw_detach(&dm_bdevsw, &dm_cdevsw);
#endif
		if ((error = dm_detach_all()) != 0) {
#ifdef _MODULE
			(void)devsw_attach("dm", &dm_bdevsw, &dm_bmajor,
			    &dm_cdevsw, &dm_cmajor);
#endif
			return error;
		}
		return 0;
	default:
		return ENOTTY;
	}
}

/* Every open of a node; dm-core keeps which nodes are open. */
static int
dmopen(dev_t dev, int flags __unused, int fmt, struct lwp *l __unused)
{

	if (minor(dev) == DM_CONTROL_MINOR)
		return 0;
	return dm_core_open(minor(dev), fmt == S_IFCHR);
}

/* The last close of a node (spec_close calls no other). */
static int
dmclose(dev_t dev, int flags __unused, int fmt, struct lwp *l __unused)
{

	if (minor(dev) == DM_CONTROL_MINOR)
		return 0;
	return dm_core_close(minor(dev), fmt == S_IFCHR);
}

static int
dmread(dev_t dev, struct uio *uio, int flag __unused)
{

	if (minor(dev) == DM_CONTROL_MINOR)
		return ENODEV;
	return physio(dmstrategy, NULL, dev, B_READ, minphys, uio);
}

static int
dmwrite(dev_t dev, struct uio *uio, int flag __unused)
{

	if (minor(dev) == DM_CONTROL_MINOR)
		return ENODEV;
	return physio(dmstrategy, NULL, dev, B_WRITE, minphys, uio);
}

/*
 * Size in DEV_BSIZE units for dump and swap; -1 when unknown or larger
 * than an int can say.
 */
static int
dmsize(dev_t dev)
{
	uint64_t sectors;
	uint32_t secsize;

	if (minor(dev) == DM_CONTROL_MINOR)
		return -1;
	if (dm_core_size(minor(dev), &sectors, &secsize) != 0)
		return -1;
	if (sectors > INT_MAX)
		return -1;
	return (int)sectors;
}

void
dmstrategy(struct buf *bp)
{
	struct dm_softc *sc;

	sc = minor(bp->b_dev) == DM_CONTROL_MINOR ? NULL :
	    dm_softc_lookup(minor(bp->b_dev));
	if (sc == NULL) {
		bp->b_error = ENXIO;
		bp->b_resid = bp->b_bcount;
		biodone(bp);
		return;
	}
	dm_io_start(sc, bp);
}

/*
 * The control ioctl is served on every minor; disk ioctls only on dm
 * disks, which fall back to the control ioctl for anything else.
 */
static int
dmioctl(dev_t dev, u_long cmd, void *data, int flag, struct lwp *l)
{
	struct dm_softc *sc;
	int error;

	if (minor(dev) != DM_CONTROL_MINOR) {
		if ((sc = dm_softc_lookup(minor(dev))) == NULL)
			return ENXIO;
		error = dm_ioctl_disk(sc, cmd, data, flag, l);
		if (error != ENOTTY)
			return error;
	}
	return dm_ioctl_control(cmd, data, flag, l);
}
