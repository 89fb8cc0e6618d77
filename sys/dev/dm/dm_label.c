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
 * dm(4) disklabels.  A dm disk shows the label written in its own label
 * sector, or else a default one: one raw partition over the whole device
 * in the geometry dm has always reported.  Because every component
 * offset starts past the component's label area, the dm disk's label
 * sector never lands on a component's label.
 *
 * Why not dksubr(9), as cgd(4) does: dk_attach wants a device_t from
 * autoconf per disk, while dm disks (up to 2^20 of them) come and go by
 * ioctl; dk_strategy sends every buf through a bufq and dk_start, a lock
 * and a queue per request that dm's direct mapping does without; and
 * dksubr reads the label on first open only, while a dm disk's label
 * changes with its table (it is read again on the first label ioctl
 * after a resume that changed the mapping).  What dm needs of it (open masks,
 * the label ioctls, DIOCGPARTINFO as disk_ioctl answers it) is here and
 * in dm-core.
 */

#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/disk.h>
#include <sys/disklabel.h>
#include <sys/dkio.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/mutex.h>

#include <prop/proplib.h>
#include <ufs/ffs/fs.h>

#include "dm_glue.h"

/*
 * The geometry of UNITS sectors: the one setgeometry gave, or 64 tracks
 * of 32 sectors, which NetBSD's dm has always reported.  An empty disk
 * (one without a table, as at attach, where dm-core holds its lock) has
 * none to ask for.
 */
void
dm_label_geometry(struct dm_softc *sc, uint64_t units, struct disk_geom *dg)
{
	struct dm_geometry g;

	memset(dg, 0, sizeof(*dg));
	dg->dg_secperunit = (int64_t)units;
	if (units != 0 && dm_core_geometry(sc->sc_minor, &g) == 0) {
		dg->dg_nsectors = g.sectors;
		dg->dg_ntracks = g.heads;
		dg->dg_ncylinders = g.cylinders;
		return;
	}
	dg->dg_nsectors = 32;
	dg->dg_ntracks = 64;
	dg->dg_ncylinders = (uint32_t)(units / (32 * 64));
}

/*
 * The geometry of the device as it is now, its sector size included; of
 * no size without a table.
 */
static void
dm_label_now(struct dm_softc *sc, struct disk_geom *dg)
{
	uint64_t sectors;
	uint32_t secsize;

	if (dm_core_size(sc->sc_minor, &sectors, &secsize) != 0 ||
	    secsize == 0) {
		sectors = 0;
		secsize = DEV_BSIZE;
	}
	dm_label_geometry(sc, sectors * DEV_BSIZE / secsize, dg);
	dg->dg_secsize = secsize;
}

/* The default label of a device of geometry DG. */
static void
dm_label_make(struct dm_softc *sc, const struct disk_geom *dg,
    struct disklabel *lp)
{
	uint64_t units = (uint64_t)dg->dg_secperunit;

	memset(lp, 0, sizeof(*lp));
	lp->d_magic = lp->d_magic2 = DISKMAGIC;
	lp->d_type = DKTYPE_DM;
	strlcpy(lp->d_typename, "dm", sizeof(lp->d_typename));
	/* The pack name need not be NUL-terminated: all 16 bytes count. */
	memcpy(lp->d_packname, sc->sc_name,
	    strnlen(sc->sc_name, sizeof(lp->d_packname)));
	lp->d_secsize = dg->dg_secsize;
	lp->d_nsectors = dg->dg_nsectors;
	lp->d_ntracks = dg->dg_ntracks;
	lp->d_secpercyl = dg->dg_nsectors * dg->dg_ntracks;
	lp->d_secperunit = units > UINT32_MAX ? UINT32_MAX : (uint32_t)units;
	lp->d_ncylinders = dg->dg_ncylinders;
	lp->d_rpm = 3600;
	lp->d_interleave = 1;
	lp->d_bbsize = BBSIZE;
	lp->d_sbsize = SBLOCKSIZE;
	lp->d_npartitions = RAW_PART + 1;
	lp->d_partitions[RAW_PART].p_offset = 0;
	lp->d_partitions[RAW_PART].p_size = lp->d_secperunit;
	lp->d_partitions[RAW_PART].p_fstype = FS_UNUSED;
	lp->d_checksum = 0;
	lp->d_checksum = dkcksum(lp);
}

void
dm_label_default(struct dm_softc *sc, struct disklabel *lp)
{
	struct disk_geom dg;

	dm_label_now(sc, &dg);
	dm_label_make(sc, &dg, lp);
}

/*
 * Gives disk(9) a geometry, with what disk_set_info() would set at once;
 * the info dictionary DIOCGDISKINFO returns (a dozen allocations) is made
 * when asked for.
 */
static void
dm_label_setgeom(struct dm_softc *sc, const struct disk_geom *dg)
{

	KASSERT(mutex_owned(&sc->sc_label_lock));
	sc->sc_dk.dk_geom = *dg;
	sc->sc_dk.dk_blkshift = DK_BSIZE2BLKSHIFT(dg->dg_secsize);
	sc->sc_dk.dk_byteshift = DK_BSIZE2BYTESHIFT(dg->dg_secsize);
	sc->sc_info_stale = true;
}

/*
 * A new table is live: disk(9) learns its size now.  The label is read
 * again when next asked for (a label ioctl), not here, so that a resume
 * does no I/O through the device it resumes.
 */
void
dm_label_resize(struct dm_softc *sc, uint64_t units, uint32_t secsize)
{
	struct disk_geom dg;

	dm_label_geometry(sc, units, &dg);
	dg.dg_secsize = secsize;
	mutex_enter(&sc->sc_label_lock);
	dm_label_setgeom(sc, &dg);
	sc->sc_label_gen++;
	sc->sc_label_stale = true;
	mutex_exit(&sc->sc_label_lock);
}

/*
 * Reads the label of the current table, or falls back to the default.
 * A table that changes meanwhile makes the read stale: it is dropped.
 */
static void
dm_label_refresh(struct dm_softc *sc)
{
	struct disklabel lp;
	u_int gen;
	bool dflt;

	mutex_enter(&sc->sc_label_lock);
	gen = sc->sc_label_gen;
	mutex_exit(&sc->sc_label_lock);
	dm_label_default(sc, &lp);
	dflt = readdisklabel(makedev(dm_bmajor, sc->sc_minor), dmstrategy,
	    &lp, &sc->sc_cpulabel) != NULL;
	if (dflt)
		dm_label_default(sc, &lp);
	mutex_enter(&sc->sc_label_lock);
	if (sc->sc_label_gen == gen) {
		sc->sc_label = lp;
		sc->sc_label_default = dflt;
		sc->sc_label_stale = false;
	}
	mutex_exit(&sc->sc_label_lock);
}

/* Brings the label up to date with the table, if the table changed. */
void
dm_label_current(struct dm_softc *sc)
{
	bool stale;

	mutex_enter(&sc->sc_label_lock);
	stale = sc->sc_label_stale;
	mutex_exit(&sc->sc_label_lock);
	if (stale)
		dm_label_refresh(sc);
}

/*
 * setgeometry: disk(9) and a default label follow the new geometry; a
 * label on the disk keeps its own.  A disk without a table has no size
 * to give a geometry.  A resume meanwhile has the last word.
 */
void
dm_label_regeometry(struct dm_softc *sc)
{
	struct disklabel lp;
	struct disk_geom dg;
	u_int gen;

	mutex_enter(&sc->sc_label_lock);
	gen = sc->sc_label_gen;
	mutex_exit(&sc->sc_label_lock);
	dm_label_now(sc, &dg);
	dm_label_make(sc, &dg, &lp);
	mutex_enter(&sc->sc_label_lock);
	if (sc->sc_label_gen == gen) {
		if (dg.dg_secperunit != 0)
			dm_label_setgeom(sc, &dg);
		if (sc->sc_label_default)
			sc->sc_label = lp;
	}
	mutex_exit(&sc->sc_label_lock);
}

/*
 * DIOCGDISKINFO: the info dictionary of the current geometry, made now
 * if the geometry changed since it was last made.
 */
static int
dm_label_diskinfo(struct dm_softc *sc, u_long cmd, void *data)
{
	prop_dictionary_t info;
	int error;

	mutex_enter(&sc->sc_label_lock);
	if (sc->sc_info_stale) {
		disk_set_info(NULL, &sc->sc_dk, "ESDI");
		sc->sc_info_stale = false;
	}
	if ((info = sc->sc_dk.dk_info) != NULL)
		prop_object_retain(info);
	mutex_exit(&sc->sc_label_lock);
	if (info == NULL)
		return ENOTSUP;
	error = prop_dictionary_copyout_ioctl(data, cmd, info);
	prop_object_release(info);
	return error;
}

/*
 * The raw partition: the device as it is now, with the file system
 * fields of the label as last read.  No label read here: getdisksize()
 * asks this of every component, and a dm component is opened while
 * dm-core holds its lock.
 */
static void
dm_label_partinfo(struct dm_softc *sc, struct partinfo *pi)
{
	const struct partition *p;
	uint64_t sectors;
	uint32_t secsize;

	if (dm_core_size(sc->sc_minor, &sectors, &secsize) != 0 ||
	    secsize == 0) {
		sectors = 0;
		secsize = DEV_BSIZE;
	}
	memset(pi, 0, sizeof(*pi));
	pi->pi_offset = 0;
	pi->pi_size = sectors * DEV_BSIZE / secsize;
	pi->pi_secsize = secsize;
	mutex_enter(&sc->sc_label_lock);
	p = &sc->sc_label.d_partitions[RAW_PART];
	pi->pi_fstype = p->p_fstype;
	pi->pi_frag = p->p_frag;
	pi->pi_cpg = p->p_cpg;
	pi->pi_fsize = p->p_fsize;
	/*
	 * spec_read() divides by it: the file system's block size where
	 * the label gives one, else BLKDEV_IOSIZE, as disk_ioctl() answers
	 * (sys/kern/subr_disk.c).
	 */
	pi->pi_bsize = MAX(BLKDEV_IOSIZE, pi->pi_secsize);
	if (p->p_fstype == FS_BSDFFS && p->p_frag * p->p_fsize != 0)
		pi->pi_bsize = p->p_frag * p->p_fsize;
	mutex_exit(&sc->sc_label_lock);
}

static int
dm_label_set(struct dm_softc *sc, struct disklabel *nlp, bool write)
{
	struct disklabel lp;
	int error;

	mutex_enter(&sc->sc_label_lock);
	lp = sc->sc_label;
	mutex_exit(&sc->sc_label_lock);
	if ((error = setdisklabel(&lp, nlp, 0, &sc->sc_cpulabel)) != 0)
		return error;
	if (write && (error = writedisklabel(makedev(dm_bmajor, sc->sc_minor),
	    dmstrategy, &lp, &sc->sc_cpulabel)) != 0)
		return error;
	mutex_enter(&sc->sc_label_lock);
	sc->sc_label = lp;
	sc->sc_label_default = false;
	mutex_exit(&sc->sc_label_lock);
	return 0;
}

int
dm_label_ioctl(struct dm_softc *sc, u_long cmd, void *data, int flag)
{

	switch (cmd) {
	case DIOCGDINFO:
	case DIOCSDINFO:
	case DIOCWDINFO:
		dm_label_current(sc);
		break;
	default:
		break;
	}
	switch (cmd) {
	case DIOCGDINFO:
		mutex_enter(&sc->sc_label_lock);
		*(struct disklabel *)data = sc->sc_label;
		mutex_exit(&sc->sc_label_lock);
		return 0;
	case DIOCGDEFLABEL:
		dm_label_default(sc, data);
		return 0;
	case DIOCGPARTINFO:
		dm_label_partinfo(sc, data);
		return 0;
	case DIOCGDISKINFO:
		return dm_label_diskinfo(sc, cmd, data);
	case DIOCSDINFO:
	case DIOCWDINFO:
		if ((flag & FWRITE) == 0)
			return EBADF;
		return dm_label_set(sc, data, cmd == DIOCWDINFO);
	default:
		return ENOTTY;
	}
}
