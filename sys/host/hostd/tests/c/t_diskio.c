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
 * The disk ioctls of a dm disk, through the character device switch as
 * a NetBSD program would issue them: sizes, wedge info, cache sync and
 * the disklabel — default, written, read back, and where it lands on the
 * component.
 */

#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/conf.h>
#include <sys/disk.h>
#include <sys/disklabel.h>
#include <sys/dkio.h>
#include <sys/fcntl.h>
#include <sys/lwp.h>
#include <host_api.h>
#include <prop/proplib.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "t_check.h"

static int failures;

static int
control(const char *cmd, const char *extra)
{
	char req[2048];
	char *reply;
	size_t len;
	int error;

	snprintf(req, sizeof(req),
	    "<plist><dict><key>command</key><string>%s</string>"
	    "<key>version</key><array><integer>4</integer>"
	    "<integer>0</integer><integer>0</integer></array>"
	    "<key>name</key><string>lab</string>%s</dict></plist>",
	    cmd, extra);
	error = host_control(req, strlen(req), &reply, &len);
	free(reply);
	return error;
}

static int
dioc(u_long cmd, void *data, int flag)
{

	/* minor 1: the first dm device of this process */
	return cdev_ioctl(makedev(194, 1), cmd, data, flag, curlwp);
}

/*
 * DIOCGDISKINFO: the value of KEY in its geometry, or of "type"'s
 * length when KEY is NULL; -1 when the ioctl or the key fails.
 */
static int64_t
diskinfo(const char *key)
{
	struct plistref pref;
	prop_dictionary_t info, geom;
	const char *type;
	uint64_t v;
	int64_t rv = -1;

	if (dioc(DIOCGDISKINFO, &pref, FREAD) != 0)
		return -1;
	info = prop_dictionary_internalize(pref.pref_plist);
	free(pref.pref_plist);
	if (info == NULL)
		return -1;
	if (key == NULL) {
		if (prop_dictionary_get_string(info, "type", &type))
			rv = (int64_t)strlen(type);
	} else if (prop_dictionary_get_dict(info, "geometry", &geom) &&
	    prop_dictionary_get_uint64(geom, key, &v))
		rv = (int64_t)v;
	prop_object_release(info);
	return rv;
}

static void
read_at(const char *path, off_t off, void *buf, size_t len)
{
	int fd = open(path, O_RDONLY);

	CHECK(fd >= 0 && pread(fd, buf, len, off) == (ssize_t)len);
	if (fd >= 0)
		close(fd);
}

int
t_diskio_run(const char *comp)
{
	static const char table[] =
	    "<key>cmd_data</key><array><dict>"
	    "<key>start</key><integer>0</integer>"
	    "<key>length</key><integer>8192</integer>"
	    "<key>type</key><string>linear</string>"
	    "<key>params</key><string>/dev/tdisk 384</string>"
	    "</dict></array>";
	/* The same sectors in two lines: another table, the same disk. */
	static const char split[] =
	    "<key>cmd_data</key><array><dict>"
	    "<key>start</key><integer>0</integer>"
	    "<key>length</key><integer>4096</integer>"
	    "<key>type</key><string>linear</string>"
	    "<key>params</key><string>/dev/tdisk 384</string>"
	    "</dict><dict>"
	    "<key>start</key><integer>4096</integer>"
	    "<key>length</key><integer>4096</integer>"
	    "<key>type</key><string>linear</string>"
	    "<key>params</key><string>/dev/tdisk 4480</string>"
	    "</dict></array>";
	/* Elsewhere on the component: no label there. */
	static const char moved[] =
	    "<key>cmd_data</key><array><dict>"
	    "<key>start</key><integer>0</integer>"
	    "<key>length</key><integer>8192</integer>"
	    "<key>type</key><string>linear</string>"
	    "<key>params</key><string>/dev/tdisk 8000</string>"
	    "</dict></array>";
	/* A quarter of the size: the disk info follows. */
	static const char quarter[] =
	    "<key>cmd_data</key><array><dict>"
	    "<key>start</key><integer>0</integer>"
	    "<key>length</key><integer>2048</integer>"
	    "<key>type</key><string>linear</string>"
	    "<key>params</key><string>/dev/tdisk 384</string>"
	    "</dict></array>";
	struct disklabel lp, lp2;
	struct dkwedge_info dkw;
	struct partinfo pi;
	struct plistref pref;
	off_t msize;
	u_int ssize;
	int force = 1;
	char sector[DEV_BSIZE], zero[2 * DEV_BSIZE];

	CHECK(host_map_disk("/dev/tdisk", comp) == 0);
	CHECK(host_init() == 0);
	CHECK(control("create", "") == 0);
	/* No table, no size: no disk info yet. */
	CHECK(diskinfo("sectors-per-unit") == -1);
	CHECK(dioc(DIOCGDISKINFO, &pref, FREAD) == ENOTSUP);
	CHECK(control("reload", table) == 0);
	CHECK(control("resume", "") == 0);
	CHECK(diskinfo("sectors-per-unit") == 8192);
	CHECK(diskinfo("sector-size") == 512);
	CHECK(diskinfo("sectors-per-track") == 32);
	CHECK(diskinfo("tracks-per-cylinder") == 64);
	CHECK(diskinfo("cylinders-per-unit") == 4);
	CHECK(diskinfo(NULL) == (int64_t)strlen("ESDI"));

	CHECK(dioc(DIOCGMEDIASIZE, &msize, FREAD) == 0 &&
	    msize == 8192 * 512);
	CHECK(dioc(DIOCGSECTORSIZE, &ssize, FREAD) == 0 && ssize == 512);
	CHECK(dioc(DIOCCACHESYNC, &force, FWRITE) == 0);
	/* Only a writer flushes, as on every disk. */
	CHECK(dioc(DIOCCACHESYNC, &force, FREAD) == EBADF);
	CHECK(dioc(DIOCGWEDGEINFO, &dkw, FREAD) == 0);
	CHECK(strcmp(dkw.dkw_devname, "dm1") == 0);
	CHECK(strcmp((char *)dkw.dkw_wname, "lab") == 0);
	CHECK(dkw.dkw_offset == 0 && dkw.dkw_size == 8192);
	CHECK(strcmp(dkw.dkw_ptype, "") == 0);
	CHECK(dioc(_IOR('d', 250, int), &force, FREAD) == ENOTTY);
	CHECK(cdev_ioctl(makedev(194, 0), DIOCGMEDIASIZE, &msize, FREAD,
	    curlwp) == ENOTTY);

	/* No label written: the default one, a raw partition over all. */
	CHECK(dioc(DIOCGDINFO, &lp, FREAD) == 0);
	CHECK(lp.d_magic == DISKMAGIC && lp.d_magic2 == DISKMAGIC);
	CHECK(dkcksum(&lp) == 0);
	CHECK(lp.d_type == DKTYPE_DM && lp.d_secsize == 512);
	CHECK(lp.d_secperunit == 8192 && lp.d_npartitions == RAW_PART + 1);
	CHECK(lp.d_partitions[RAW_PART].p_size == 8192);
	CHECK(strncmp(lp.d_packname, "lab", 16) == 0);
	CHECK(dioc(DIOCGPARTINFO, &pi, FREAD) == 0);
	CHECK(pi.pi_offset == 0 && pi.pi_size == 8192 &&
	    pi.pi_secsize == 512 && pi.pi_fstype == FS_UNUSED);
	/* spec_read() divides by it: never 0 (BLKDEV_IOSIZE here). */
	CHECK(pi.pi_bsize == BLKDEV_IOSIZE);

	/* setgeometry: the default label and the disk's geometry follow. */
	CHECK(control("setgeometry", "<key>cmd_data</key><array>"
	    "<string>8 16 63 0</string></array>") == 0);
	CHECK(dioc(DIOCGDINFO, &lp, FREAD) == 0);
	CHECK(lp.d_nsectors == 63 && lp.d_ntracks == 16 &&
	    lp.d_ncylinders == 8 && lp.d_secpercyl == 1008);
	CHECK(lp.d_secperunit == 8192 && dkcksum(&lp) == 0);
	CHECK(dioc(DIOCGDEFLABEL, &lp, FREAD) == 0);
	CHECK(lp.d_nsectors == 63 && lp.d_ntracks == 16);
	CHECK(diskinfo("sectors-per-track") == 63);
	CHECK(diskinfo("tracks-per-cylinder") == 16);
	CHECK(diskinfo("cylinders-per-unit") == 8);
	CHECK(diskinfo("sectors-per-unit") == 8192);
	CHECK(dioc(DIOCGDINFO, &lp, FREAD) == 0);

	/* Write a label with an FFS partition a. */
	lp.d_partitions[0].p_offset = 64;
	lp.d_partitions[0].p_size = 8192 - 64;
	lp.d_partitions[0].p_fstype = FS_BSDFFS;
	lp.d_partitions[RAW_PART].p_fstype = FS_BSDFFS;
	strncpy(lp.d_packname, "written", sizeof(lp.d_packname));
	lp.d_checksum = 0;
	lp.d_checksum = dkcksum(&lp);
	CHECK(dioc(DIOCWDINFO, &lp, FREAD) == EBADF);
	lp2 = lp;
	lp2.d_checksum ^= 1;
	CHECK(dioc(DIOCWDINFO, &lp2, FWRITE) == EINVAL);
	lp2 = lp;
	lp2.d_npartitions = MAXPARTITIONS + 1;
	CHECK(dioc(DIOCSDINFO, &lp2, FWRITE) == EINVAL);
	CHECK(dioc(DIOCWDINFO, &lp, FWRITE) == 0);

	/* It sits in the dm disk's sector 1 = component sector 385... */
	read_at(comp, (384 + LABELSECTOR) * DEV_BSIZE, sector, DEV_BSIZE);
	memcpy(&lp2, sector + LABELOFFSET, sizeof(lp2));
	CHECK(lp2.d_magic == DISKMAGIC && dkcksum(&lp2) == 0);
	CHECK(strncmp(lp2.d_packname, "written", 16) == 0);
	/* ...and the component's own label area is untouched. */
	read_at(comp, 0, zero, sizeof(zero));
	memset(sector, 0, sizeof(sector));
	CHECK(memcmp(zero, sector, DEV_BSIZE) == 0 &&
	    memcmp(zero + DEV_BSIZE, sector, DEV_BSIZE) == 0);

	/* A table that maps elsewhere shows that disk's (default) label... */
	CHECK(control("reload", moved) == 0);
	CHECK(control("resume", "") == 0);
	CHECK(dioc(DIOCGDINFO, &lp2, FREAD) == 0);
	CHECK(strncmp(lp2.d_packname, "lab", 16) == 0);
	/* ...and a new table over the labelled sectors reads the label. */
	CHECK(control("reload", split) == 0);
	CHECK(control("resume", "") == 0);
	memset(&lp2, 0, sizeof(lp2));
	CHECK(dioc(DIOCGDINFO, &lp2, FREAD) == 0);
	CHECK(strncmp(lp2.d_packname, "written", 16) == 0);
	/* The same table again: the label stays, with no read. */
	CHECK(control("reload", split) == 0);
	CHECK(control("resume", "") == 0);
	memset(&lp2, 0, sizeof(lp2));
	CHECK(dioc(DIOCGDINFO, &lp2, FREAD) == 0);
	CHECK(strncmp(lp2.d_packname, "written", 16) == 0);
	CHECK(lp2.d_partitions[0].p_offset == 64 &&
	    lp2.d_partitions[0].p_fstype == FS_BSDFFS);
	CHECK(dioc(DIOCGWEDGEINFO, &dkw, FREAD) == 0 &&
	    strcmp(dkw.dkw_ptype, "ffs") == 0);
	CHECK(dioc(DIOCGDEFLABEL, &lp2, FREAD) == 0 &&
	    strncmp(lp2.d_packname, "lab", 16) == 0);

	/* A table of another size: the disk info follows it. */
	CHECK(control("reload", quarter) == 0);
	CHECK(control("resume", "") == 0);
	CHECK(diskinfo("sectors-per-unit") == 2048);
	CHECK(dioc(DIOCGMEDIASIZE, &msize, FREAD) == 0 &&
	    msize == 2048 * 512);

	/* The module refuses to unload while a device exists. */
	CHECK(host_fini() == EBUSY);
	CHECK(control("remove", "") == 0);
	CHECK(dioc(DIOCGDINFO, &lp2, FREAD) == ENXIO);
	CHECK(host_fini() == 0);
	return failures;
}
