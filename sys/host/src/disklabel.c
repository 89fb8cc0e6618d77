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
