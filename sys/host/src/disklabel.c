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
 * Host mode: the disklabel routines (subr_disk.c, subr_disk_mbr.c): the
 * checksum, validation, and reading and writing the label in sector
 * LABELSECTOR at LABELOFFSET, as amd64 keeps it.
 *
 * Follows sys/kern/subr_disk.c and sys/kern/subr_disk_mbr.c.
 */

#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/disklabel.h>

#include <errno.h>

/* XOR of the label's 16-bit words, up to its last partition. */
u_int
dkcksum(struct disklabel *lp)
{
	const uint16_t *p = (const uint16_t *)lp;
	const uint16_t *end;
	uint16_t sum = 0;
	u_int n = lp->d_npartitions;

	if (n > MAXPARTITIONS)
		n = MAXPARTITIONS;
	end = (const uint16_t *)&lp->d_partitions[n];
	while (p < end)
		sum ^= *p++;
	return sum;
}

static bool
label_ok(struct disklabel *lp)
{

	return lp->d_magic == DISKMAGIC && lp->d_magic2 == DISKMAGIC &&
	    lp->d_npartitions <= MAXPARTITIONS && dkcksum(lp) == 0;
}

int
setdisklabel(struct disklabel *olp, struct disklabel *nlp,
    u_long openmask __unused, struct cpu_disklabel *clp __unused)
{

	if (!label_ok(nlp))
		return EINVAL;
	*olp = *nlp;
	return 0;
}

static int
label_io(dev_t dev, void (*strat)(struct buf *), void *sector, bool write)
{
	struct buf *bp;
	int error;

	bp = getiobuf(NULL, true);
	bp->b_dev = dev;
	bp->b_flags = write ? B_WRITE : B_READ;
	bp->b_data = sector;
	bp->b_bcount = bp->b_bufsize = bp->b_resid = DEV_BSIZE;
	bp->b_blkno = bp->b_rawblkno = LABELSECTOR;
	(*strat)(bp);
	error = biowait(bp);
	if (error == 0 && bp->b_resid != 0)
		error = EIO;
	putiobuf(bp);
	return error;
}

const char *
readdisklabel(dev_t dev, void (*strat)(struct buf *), struct disklabel *lp,
    struct cpu_disklabel *clp __unused)
{
	char sector[DEV_BSIZE];
	struct disklabel dl;

	if (label_io(dev, strat, sector, false) != 0)
		return "I/O error";
	memcpy(&dl, sector + LABELOFFSET,
	    sizeof(dl) < DEV_BSIZE - LABELOFFSET ?
	    sizeof(dl) : DEV_BSIZE - LABELOFFSET);
	if (!label_ok(&dl))
		return "no disk label";
	*lp = dl;
	return NULL;
}

int
writedisklabel(dev_t dev, void (*strat)(struct buf *), struct disklabel *lp,
    struct cpu_disklabel *clp __unused)
{
	char sector[DEV_BSIZE];
	int error;

	if (!label_ok(lp))
		return EINVAL;
	/* Only the label's bytes of the sector change. */
	if ((error = label_io(dev, strat, sector, false)) != 0)
		return error;
	memcpy(sector + LABELOFFSET, lp, sizeof(*lp));
	return label_io(dev, strat, sector, true);
}
