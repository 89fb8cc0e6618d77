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
 * Host mode: NetBSD's <sys/disk.h>: disk(9) and the wedge information.
 * Like NetBSD's, in the kernel it includes <sys/device.h>, <sys/dkio.h>,
 * <sys/time.h>, <sys/queue.h>, <sys/mutex.h> and <prop/proplib.h>.
 */

#ifndef _HOST_SYS_DISK_H_
#define _HOST_SYS_DISK_H_

#include <sys/types.h>
#include <sys/device.h>
#include <sys/dkio.h>
#include <sys/time.h>
#include <sys/queue.h>
#include <sys/mutex.h>

#include <prop/proplib.h>

struct dkwedge_info {
	char		dkw_devname[16]; /* device-style name (e.g. "dk0") */
	uint8_t		dkw_wname[128];	/* wedge name (Unicode, UTF-8) */
	char		dkw_parent[16];	/* parent disk device name */
	int64_t		dkw_offset;	/* LBA offset of wedge in parent */
	uint64_t	dkw_size;	/* size of wedge in blocks */
	char		dkw_ptype[32];	/* partition type string */
};

#define	DKW_PTYPE_UNUSED	""
#define	DKW_PTYPE_FFS		"ffs"

struct buf;

struct disk_geom {
	int64_t		dg_secperunit;	/* # of data sectors per unit */
	uint32_t	dg_secsize;	/* # of bytes per sector */
	uint32_t	dg_nsectors;	/* # of data sectors per track */
	uint32_t	dg_ntracks;	/* # of tracks per cylinder */
	uint32_t	dg_ncylinders;	/* # of data cylinders per unit */
	uint32_t	dg_secpercyl;	/* # of data sectors per cylinder */
	uint32_t	dg_pcylinders;	/* # of physical cylinders per unit */
	uint32_t	dg_sparespertrack;
	uint32_t	dg_sparespercyl;
	uint32_t	dg_acylinders;
};

struct dkdriver {
	void	(*d_strategy)(struct buf *);
	void	(*d_minphys)(struct buf *);
};

struct disk {
	const char	*dk_name;	/* disk name */
	int		dk_busy;	/* busy counter */
	volatile u_int	dk_hoststats;	/* statistics being updated */
	uint64_t	dk_rbytes;
	uint64_t	dk_wbytes;
	uint64_t	dk_rxfer;
	uint64_t	dk_wxfer;
	struct disk_geom dk_geom;
	int		dk_blkshift;	/* shift to convert DEV_BSIZE to blks */
	int		dk_byteshift;	/* shift to convert bytes to blks */
	prop_dictionary_t dk_info;	/* reference to disk-info dictionary */
	const struct dkdriver *dk_driver; /* pointer to driver */
	LIST_ENTRY(disk) dk_hostlink;
};

#define	DK_BSIZE2BLKSHIFT(b)	((ffs((b) / DEV_BSIZE)) - 1)
#define	DK_BSIZE2BYTESHIFT(b)	(ffs((b)) - 1)

void	disk_init(struct disk *, const char *, const struct dkdriver *);
void	disk_attach(struct disk *);
void	disk_detach(struct disk *);
void	disk_destroy(struct disk *);
void	disk_busy(struct disk *);
void	disk_unbusy(struct disk *, long, int);
void	disk_set_info(device_t, struct disk *, const char *);

#endif /* !_HOST_SYS_DISK_H_ */
