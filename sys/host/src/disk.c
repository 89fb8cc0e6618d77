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
 * Host mode: disk(9) — registration, busy accounting and the disk info
 * dictionary DIOCGDISKINFO returns.
 *
 * Follows sys/kern/subr_disk.c.
 */

#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/disk.h>
#include <sys/kmem.h>

#include <pthread.h>

static pthread_mutex_t disk_lock = PTHREAD_MUTEX_INITIALIZER;
static LIST_HEAD(, disk) disk_list;

void
disk_init(struct disk *dk, const char *name, const struct dkdriver *driver)
{

	memset(dk, 0, sizeof(*dk));
	dk->dk_blkshift = DK_BSIZE2BLKSHIFT(DEV_BSIZE);
	dk->dk_byteshift = DK_BSIZE2BYTESHIFT(DEV_BSIZE);
	dk->dk_name = name;
	dk->dk_driver = driver;
}

void
disk_attach(struct disk *dk)
{

	pthread_mutex_lock(&disk_lock);
	LIST_INSERT_HEAD(&disk_list, dk, dk_hostlink);
	pthread_mutex_unlock(&disk_lock);
}

void
disk_detach(struct disk *dk)
{

	pthread_mutex_lock(&disk_lock);
	LIST_REMOVE(dk, dk_hostlink);
	pthread_mutex_unlock(&disk_lock);
}

void
disk_destroy(struct disk *dk)
{

	if (dk->dk_info != NULL)
		prop_object_release(dk->dk_info);
	dk->dk_info = NULL;
}

/*
 * As the kernel's, the statistics are the caller's to serialise; host
 * mode checks that the caller does.  The flag is read and written with
 * plain ordered loads and stores, no locked instruction (which the
 * kernel's path does not pay either): an update that overlaps another
 * finds it set.
 */
static void
disk_stats_enter(struct disk *dk)
{

	if (__atomic_load_n(&dk->dk_hoststats, __ATOMIC_ACQUIRE) != 0)
		panic("disk %s: statistics updated concurrently", dk->dk_name);
	__atomic_store_n(&dk->dk_hoststats, 1, __ATOMIC_RELEASE);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static void
disk_stats_exit(struct disk *dk)
{

	__atomic_store_n(&dk->dk_hoststats, 0, __ATOMIC_RELEASE);
}

void
disk_busy(struct disk *dk)
{

	disk_stats_enter(dk);
	dk->dk_busy++;
	disk_stats_exit(dk);
}

void
disk_unbusy(struct disk *dk, long bcount, int read)
{

	disk_stats_enter(dk);
	dk->dk_busy--;
	if (read) {
		dk->dk_rxfer++;
		dk->dk_rbytes += (uint64_t)bcount;
	} else {
		dk->dk_wxfer++;
		dk->dk_wbytes += (uint64_t)bcount;
	}
	disk_stats_exit(dk);
}

/*
 * As NetBSD: {"type", "geometry": {sectors-per-unit, sector-size, ...}},
 * the fields a geometry lacks left out, and no dictionary for a disk of
 * no size.
 */
void
disk_set_info(device_t dev __unused, struct disk *dk, const char *type)
{
	struct disk_geom *dg = &dk->dk_geom;
	prop_dictionary_t info, geom;

	if (dg->dg_secsize == 0)
		dg->dg_secsize = DEV_BSIZE;
	dk->dk_blkshift = DK_BSIZE2BLKSHIFT(dg->dg_secsize);
	dk->dk_byteshift = DK_BSIZE2BYTESHIFT(dg->dg_secsize);
	if (dg->dg_secperunit == 0 && dg->dg_ncylinders == 0)
		return;
	if (dg->dg_secperunit == 0)
		dg->dg_secperunit = (int64_t)dg->dg_nsectors *
		    dg->dg_ntracks * dg->dg_ncylinders;
	if (dg->dg_ncylinders == 0 && dg->dg_ntracks && dg->dg_nsectors)
		dg->dg_ncylinders = dg->dg_secperunit /
		    (dg->dg_ntracks * dg->dg_nsectors);
	info = prop_dictionary_create();
	geom = prop_dictionary_create();
	if (info == NULL || geom == NULL)
		goto out;
	prop_dictionary_set_uint64(geom, "sectors-per-unit",
	    (uint64_t)dg->dg_secperunit);
	prop_dictionary_set_uint32(geom, "sector-size", dg->dg_secsize);
	/* NetBSD stores these two as uint16: the same number on the wire. */
	if (dg->dg_nsectors)
		prop_dictionary_set_uint32(geom, "sectors-per-track",
		    dg->dg_nsectors);
	if (dg->dg_ntracks)
		prop_dictionary_set_uint32(geom, "tracks-per-cylinder",
		    dg->dg_ntracks);
	if (dg->dg_ncylinders)
		prop_dictionary_set_uint64(geom, "cylinders-per-unit",
		    dg->dg_ncylinders);
	prop_dictionary_set(info, "geometry", geom);
	if (type != NULL)
		prop_dictionary_set_string(info, "type", type);
	if (dk->dk_info != NULL)
		prop_object_release(dk->dk_info);
	dk->dk_info = info;
	info = NULL;
out:
	if (geom != NULL)
		prop_object_release(geom);
	if (info != NULL)
		prop_object_release(info);
}
