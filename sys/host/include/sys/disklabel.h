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
 * Host mode: NetBSD's <sys/disklabel.h>: the disklabel, its partitions,
 * struct partinfo (DIOCGPARTINFO), and the kernel's label routines of
 * sys/kern/subr_disk.c and subr_disk_mbr.c.
 */

#ifndef _HOST_SYS_DISKLABEL_H_
#define _HOST_SYS_DISKLABEL_H_

#include <sys/types.h>

#include <machine/disklabel.h>

#define	DISKMAGIC	((uint32_t)0x82564557)	/* The disk magic number */

#define	NDDATA		5
#define	NSPARE		5

#define	DKTYPE_DM	20	/* device-mapper pseudo-disk devices */

#define	FS_UNUSED	0	/* unused */
#define	FS_BSDFFS	7	/* 4.2BSD fast file system */

struct partition {		/* the partition table */
	uint32_t	p_size;		/* number of sectors in partition */
	uint32_t	p_offset;	/* starting sector */
	union {
		uint32_t fsize; /* FFS, ADOS: filesystem basic fragment size */
		uint32_t cdsession;	/* ISO9660: session offset */
	} __partition_u2;
#define	p_fsize		__partition_u2.fsize
	uint8_t		p_fstype;	/* filesystem type, see below */
	uint8_t		p_frag;		/* filesystem fragments per block */
	union {
		uint16_t cpg;		/* UFS: FS cylinders per group */
		uint16_t sgs;		/* LFS: FS segment shift */
	} __partition_u1;
#define	p_cpg		__partition_u1.cpg
};

struct disklabel {
	uint32_t	d_magic;	/* the magic number */
	uint16_t	d_type;		/* drive type */
	uint16_t	d_subtype;	/* controller/d_type specific */
	char		d_typename[16];	/* type name, e.g. "eagle" */
	union {
		char	un_d_packname[16]; /* pack identifier */
		struct {
			char *un_d_boot0; /* primary bootstrap name */
			char *un_d_boot1; /* secondary bootstrap name */
		} un_b;
		uint64_t un_d_pad;	/* force 8 byte alignment */
	} d_un;
#define	d_packname	d_un.un_d_packname
	uint32_t	d_secsize;	/* # of bytes per sector */
	uint32_t	d_nsectors;	/* # of data sectors per track */
	uint32_t	d_ntracks;	/* # of tracks per cylinder */
	uint32_t	d_ncylinders;	/* # of data cylinders per unit */
	uint32_t	d_secpercyl;	/* # of data sectors per cylinder */
	uint32_t	d_secperunit;	/* # of data sectors per unit */
	uint16_t	d_sparespertrack; /* # of spare sectors per track */
	uint16_t	d_sparespercyl;	/* # of spare sectors per cylinder */
	uint32_t	d_acylinders;	/* # of alt. cylinders per unit */
	uint16_t	d_rpm;		/* rotational speed */
	uint16_t	d_interleave;	/* hardware sector interleave */
	uint16_t	d_trackskew;	/* sector 0 skew, per track */
	uint16_t	d_cylskew;	/* sector 0 skew, per cylinder */
	uint32_t	d_headswitch;	/* head switch time, usec */
	uint32_t	d_trkseek;	/* track-to-track seek, usec */
	uint32_t	d_flags;	/* generic flags */
	uint32_t	d_drivedata[NDDATA]; /* drive-type specific data */
	uint32_t	d_spare[NSPARE]; /* reserved for future use */
	uint32_t	d_magic2;	/* the magic number (again) */
	uint16_t	d_checksum;	/* xor of data incl. partitions */
	uint16_t	d_npartitions;	/* number of partitions in following */
	uint32_t	d_bbsize;	/* size of boot area at sn0, bytes */
	uint32_t	d_sbsize;	/* max size of fs superblock, bytes */
	struct partition d_partitions[MAXPARTITIONS];
};

struct partinfo {
	uint64_t	pi_offset;
	uint64_t	pi_size;
	uint32_t	pi_secsize;
	uint32_t	pi_bsize;
	uint8_t		pi_fstype;
	uint8_t		pi_frag;
	uint16_t	pi_cpg;
	uint32_t	pi_fsize;
};

struct buf;

u_int	dkcksum(struct disklabel *);
int	setdisklabel(struct disklabel *, struct disklabel *, u_long,
	    struct cpu_disklabel *);
const char *readdisklabel(dev_t, void (*)(struct buf *), struct disklabel *,
	    struct cpu_disklabel *);
int	writedisklabel(dev_t, void (*)(struct buf *), struct disklabel *,
	    struct cpu_disklabel *);

#endif /* !_HOST_SYS_DISKLABEL_H_ */
