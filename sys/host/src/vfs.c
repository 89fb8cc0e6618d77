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
 * Host mode: opening a component.  A name the daemon mapped opens the
 * host file or block device behind it; "/dev/mapper/NAME" opens that dm
 * device itself (stacking); anything else is taken as a host path.
 * Regular files pose as block devices.
 *
 * Follows sys/kern/vfs_vnops.c (vn_open, vn_close), sys/kern/vfs_lookup.c
 * (pathbufs) and sys/kern/subr_disk_open.c (getdisksize).
 */

#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/device.h>
#include <sys/disk.h>
#include <sys/disklabel.h>
#include <sys/dkio.h>
#include <sys/fcntl.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/vnode.h>

#include <miscfs/specfs/specdev.h>

#include <host_internal.h>
#include <host_api.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Linux's block device ioctls, by value: <linux/fs.h> would bring
 * Linux's _IOR and friends in over NetBSD's.
 */
#define	LINUX_BLKSSZGET		0x1268UL
#define	LINUX_BLKGETSIZE64	0x80081272UL
int	ioctl(int, unsigned long, ...);

/* Block major host files get: NetBSD's wd(4) on amd64. */
#define	HOST_FILE_BMAJOR	0
#define	HOST_DM_BMAJOR		169
#define	HOST_DM_CMAJOR		194

struct pathbuf {
	char	*pb_path;
};

struct host_map {
	char		*hm_name;
	char		*hm_path;	/* NULL for a dm device */
	uint32_t	hm_minor;
	struct host_map	*hm_next;
};

/* Distinct host files, so one file under two names is one dev_t. */
struct host_file {
	dev_t		hf_dev;
	ino_t		hf_ino;
	devminor_t	hf_minor;
	struct host_file *hf_next;
};

static pthread_mutex_t vfs_lock = PTHREAD_MUTEX_INITIALIZER;
/* Names hashed, so thousands of /dev/mapper names cost no scan. */
#define	VFS_HASH_SIZE	1024
static struct host_map *vfs_maps[VFS_HASH_SIZE];
static struct host_file *vfs_files;
/*
 * Host files get wd-style minors from 8 (wd1a) up: never dev_t 0, which
 * ends a deps list for NetBSD's libdm.
 */
static devminor_t vfs_next_minor = 8;

struct pathbuf *
pathbuf_create(const char *path)
{
	struct pathbuf *pb;

	pb = kmem_alloc(sizeof(*pb), KM_SLEEP);
	if ((pb->pb_path = strdup(path)) == NULL) {
		kmem_free(pb, sizeof(*pb));
		return NULL;
	}
	return pb;
}

void
pathbuf_destroy(struct pathbuf *pb)
{

	free(pb->pb_path);
	kmem_free(pb, sizeof(*pb));
}

/* FNV-1a. */
static struct host_map **
map_bucket(const char *name)
{
	uint32_t h = 2166136261u;

	for (; *name != '\0'; name++)
		h = (h ^ (uint8_t)*name) * 16777619u;
	return &vfs_maps[h % VFS_HASH_SIZE];
}

static int
map_add(const char *name, const char *path, uint32_t minor)
{
	struct host_map *m;

	host_unmap(name);
	m = kmem_zalloc(sizeof(*m), KM_SLEEP);
	m->hm_name = strdup(name);
	m->hm_path = path != NULL ? strdup(path) : NULL;
	m->hm_minor = minor;
	if (m->hm_name == NULL || (path != NULL && m->hm_path == NULL)) {
		free(m->hm_name);
		free(m->hm_path);
		kmem_free(m, sizeof(*m));
		return ENOMEM;
	}
	pthread_mutex_lock(&vfs_lock);
	m->hm_next = *map_bucket(name);
	*map_bucket(name) = m;
	pthread_mutex_unlock(&vfs_lock);
	return 0;
}

int
host_map_disk(const char *name, const char *path)
{

	return map_add(name, path, 0);
}

int
host_map_dm(const char *name, uint32_t minor)
{
	char path[160];

	snprintf(path, sizeof(path), "/dev/mapper/%s", name);
	return map_add(path, NULL, minor);
}

void
host_unmap(const char *name)
{
	struct host_map **pp, *m;

	pthread_mutex_lock(&vfs_lock);
	for (pp = map_bucket(name); (m = *pp) != NULL; pp = &m->hm_next) {
		if (strcmp(m->hm_name, name) == 0) {
			*pp = m->hm_next;
			free(m->hm_name);
			free(m->hm_path);
			kmem_free(m, sizeof(*m));
			break;
		}
	}
	pthread_mutex_unlock(&vfs_lock);
}

/* What NAME opens: *pathp (malloc'd) for a host file, else *dmp. */
static int
map_lookup(const char *name, char **pathp, bool *isdm, uint32_t *minorp)
{
	struct host_map *m;

	*isdm = false;
	pthread_mutex_lock(&vfs_lock);
	for (m = *map_bucket(name); m != NULL; m = m->hm_next) {
		if (strcmp(m->hm_name, name) == 0)
			break;
	}
	if (m != NULL && m->hm_path == NULL) {
		*isdm = true;
		*minorp = m->hm_minor;
		*pathp = NULL;
	} else
		*pathp = strdup(m != NULL ? m->hm_path : name);
	pthread_mutex_unlock(&vfs_lock);
	if (!*isdm && *pathp == NULL)
		return ENOMEM;
	return 0;
}

static devminor_t
file_minor(const struct stat *st)
{
	struct host_file *f;
	devminor_t m;

	pthread_mutex_lock(&vfs_lock);
	for (f = vfs_files; f != NULL; f = f->hf_next) {
		if (f->hf_dev == st->st_dev && f->hf_ino == st->st_ino)
			break;
	}
	if (f == NULL) {
		f = kmem_zalloc(sizeof(*f), KM_SLEEP);
		f->hf_dev = st->st_dev;
		f->hf_ino = st->st_ino;
		f->hf_minor = vfs_next_minor++;
		f->hf_next = vfs_files;
		vfs_files = f;
	}
	m = f->hf_minor;
	pthread_mutex_unlock(&vfs_lock);
	return m;
}

static struct vnode *
vnode_alloc(enum vtype type, dev_t rdev, int fd)
{
	struct vnode *vp;

	vp = kmem_zalloc(sizeof(*vp), KM_SLEEP);
	vp->v_type = type;
	/* As spec_node_init(): the special file part carries v_rdev. */
	vp->v_specnode = kmem_zalloc(sizeof(specnode_t), KM_SLEEP);
	vp->v_rdev = rdev;
	vp->v_hostfd = fd;
	vp->v_interlock = kmem_alloc(sizeof(kmutex_t), KM_SLEEP);
	mutex_init(vp->v_interlock, MUTEX_DEFAULT, IPL_NONE);
	return vp;
}

static void
vnode_free(struct vnode *vp)
{

	mutex_destroy(vp->v_interlock);
	kmem_free(vp->v_interlock, sizeof(kmutex_t));
	kmem_free(vp->v_specnode, sizeof(specnode_t));
	kmem_free(vp, sizeof(*vp));
}

static int
open_file(const char *path, int fmode, struct vnode **vpp)
{
	struct stat st;
	uint64_t bytes;
	int fd, ssz;

	fd = open(path, (fmode & FWRITE) != 0 ? O_RDWR : O_RDONLY);
	if (fd < 0)
		return errno;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return errno;
	}
	if (S_ISREG(st.st_mode)) {
		bytes = (uint64_t)st.st_size;
		ssz = DEV_BSIZE;
	} else if (S_ISBLK(st.st_mode)) {
		if (ioctl(fd, LINUX_BLKGETSIZE64, &bytes) != 0 ||
		    ioctl(fd, LINUX_BLKSSZGET, &ssz) != 0) {
			close(fd);
			return errno;
		}
	} else {
		*vpp = vnode_alloc(VNON, NODEV, fd);
		return 0;
	}
	*vpp = vnode_alloc(VBLK, makedev(HOST_FILE_BMAJOR, file_minor(&st)),
	    fd);
	(*vpp)->v_hostsecsize = (uint32_t)ssz;
	(*vpp)->v_hostsize = bytes;
	return 0;
}

int
vn_open(struct vnode *at __unused, struct pathbuf *pb, int nmode __unused,
    int fmode, int cmode __unused, struct vnode **vpp, bool *domove __unused,
    int *fdp __unused)
{
	char *path;
	uint32_t minor;
	bool isdm;
	int error;

	if ((error = map_lookup(pb->pb_path, &path, &isdm, &minor)) != 0)
		return error;
	if (!isdm) {
		error = open_file(path, fmode, vpp);
		free(path);
		return error;
	}
	/* A dm device as component: open it as the kernel would. */
	error = host_spec_open(makedev(HOST_DM_BMAJOR, minor), S_IFBLK,
	    fmode);
	if (error != 0)
		return error;
	*vpp = vnode_alloc(VBLK, makedev(HOST_DM_BMAJOR, minor), -1);
	return 0;
}

int
vn_close(struct vnode *vp, int flags, kauth_cred_t cred __unused)
{
	int error = 0;

	if (vp->v_hostfd >= 0)
		error = close(vp->v_hostfd) == 0 ? 0 : errno;
	else if (vp->v_type == VBLK)
		error = host_spec_close(vp->v_rdev, S_IFBLK, flags);
	vnode_free(vp);
	return error;
}

int
VOP_UNLOCK(struct vnode *vp __unused)
{

	return 0;
}

/*
 * As a disk driver: b_error is set when the transfer fails and left
 * alone otherwise (the buf's owner cleared it); the transfer completes
 * in the disk's interrupt.
 */
static void
strategy_file(struct vnode *vp, struct buf *bp)
{
	uint64_t off = (uint64_t)bp->b_blkno * DEV_BSIZE;
	size_t len = (size_t)bp->b_bcount, done = 0;
	ssize_t n;
	bool rd = (bp->b_flags & B_READ) != 0;
	int error = 0;

	if (bp->b_blkno < 0 || off + len > vp->v_hostsize)
		error = EINVAL;
	while (error == 0 && done < len) {
		if (rd)
			n = pread(vp->v_hostfd, (char *)bp->b_data + done,
			    len - done, (off_t)(off + done));
		else
			n = pwrite(vp->v_hostfd, (char *)bp->b_data + done,
			    len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			error = n < 0 ? errno : EIO;
			break;
		}
		done += (size_t)n;
	}
	if (error != 0)
		bp->b_error = error;
	bp->b_resid = (int)(len - done);
	host_hardintr_enter();
	biodone(bp);
	host_hardintr_exit();
}

int
VOP_STRATEGY(struct vnode *vp, struct buf *bp)
{

	if (vp->v_hostfd < 0) {
		bp->b_dev = vp->v_rdev;
		bdev_strategy(bp);
		return 0;
	}
	strategy_file(vp, bp);
	return 0;
}

int
VOP_IOCTL(struct vnode *vp, u_long cmd, void *data, int fflag,
    kauth_cred_t cred __unused)
{

	if (vp->v_hostfd < 0)
		return cdev_ioctl(makedev(HOST_DM_CMAJOR, minor(vp->v_rdev)),
		    cmd, data, fflag, curlwp);
	if (cmd == DIOCCACHESYNC)
		return fsync(vp->v_hostfd) == 0 ? 0 : errno;
	return ENOTTY;
}

int
getdisksize(struct vnode *vp, uint64_t *numsecp, unsigned int *secsizep)
{
	struct dkwedge_info dkw;
	struct partinfo pi;
	dev_t cdev;
	u_int ssz;
	int error;

	if (vp->v_hostfd >= 0) {
		*secsizep = vp->v_hostsecsize;
		*numsecp = vp->v_hostsize / vp->v_hostsecsize;
		return 0;
	}
	/*
	 * A dm device: asked as sys/kern/subr_disk_open.c asks, the wedge
	 * info first, then the partition info, with whatever locks the
	 * caller holds.
	 */
	cdev = makedev(HOST_DM_CMAJOR, minor(vp->v_rdev));
	if (cdev_ioctl(cdev, DIOCGWEDGEINFO, &dkw, FREAD, curlwp) == 0 &&
	    cdev_ioctl(cdev, DIOCGSECTORSIZE, &ssz, FREAD, curlwp) == 0) {
		*secsizep = ssz;
		*numsecp = dkw.dkw_size;
		return 0;
	}
	if ((error = cdev_ioctl(cdev, DIOCGPARTINFO, &pi, FREAD,
	    curlwp)) != 0)
		return error;
	*secsizep = pi.pi_secsize;
	*numsecp = pi.pi_size;
	return 0;
}
