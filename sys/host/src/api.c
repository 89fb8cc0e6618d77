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
 * Host mode: the daemon's entry points (host_api.h), each the userland
 * side of one kernel operation on dm.
 *
 * Follows sys/kern/kern_module.c (MODULE_CMD_INIT and _FINI),
 * sys/kern/sys_generic.c (the control ioctl), sys/kern/vfs_vnops.c and
 * sys/kern/vfs_bio.c (a disk opened, read and written by the kernel).
 */

#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/device.h>
#include <sys/dkio.h>
#include <sys/fcntl.h>
#include <sys/ioccom.h>
#include <sys/kauth.h>
#include <sys/module.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/vnode.h>

#include <miscfs/specfs/specdev.h>

#include <host_internal.h>
#include <host_api.h>

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#define	HOST_DM_BMAJOR	169
#define	HOST_DM_CMAJOR	194
#define	HOST_DM_IOCTL	_IOWR(0xfd, 0, struct plistref)

extern int (*const host_modcmd_dm)(modcmd_t, void *);

int
host_init(void)
{

	return (*host_modcmd_dm)(MODULE_CMD_INIT, NULL);
}

int
host_fini(void)
{

	return (*host_modcmd_dm)(MODULE_CMD_FINI, NULL);
}

int
host_control(const char *req, size_t len, char **reply, size_t *replylen)
{
	struct plistref pref;
	char *copy;
	int error;

	*reply = NULL;
	*replylen = 0;
	/* As prop_dictionary_send_ioctl: the text and its NUL. */
	if ((copy = malloc(len + 1)) == NULL)
		return ENOMEM;
	memcpy(copy, req, len);
	copy[len] = '\0';
	pref.pref_plist = copy;
	pref.pref_len = len + 1;
	error = host_sys_ioctl(makedev(HOST_DM_CMAJOR, 0), HOST_DM_IOCTL,
	    &pref, sizeof(pref));
	if (error == 0 && pref.pref_plist != copy) {
		*reply = pref.pref_plist;
		*replylen = pref.pref_len;
	}
	/* A failure's message, left in an errno-aware caller's buffer (dm.4). */
	if (error != 0 && *reply == NULL && memcmp(copy, req, len) != 0) {
		*reply = copy;
		*replylen = strlen(copy) + 1;
		copy = NULL;
	}
	free(copy);
	return error;
}

int
host_open(uint32_t minor, bool writable)
{

	return host_spec_open(makedev(HOST_DM_BMAJOR, minor), S_IFBLK,
	    FREAD | (writable ? FWRITE : 0));
}

int
host_close(uint32_t minor, bool writable)
{

	return host_spec_close(makedev(HOST_DM_BMAJOR, minor), S_IFBLK,
	    FREAD | (writable ? FWRITE : 0));
}

/* A buf for LEN bytes at byte OFF of DEV, or NULL if they are not whole sectors. */
static struct buf *
host_buf(struct vnode *vp, dev_t dev, bool write, uint64_t off, void *data,
    size_t len)
{
	struct buf *bp;

	if (off % DEV_BSIZE != 0 || len % DEV_BSIZE != 0 || len > INT32_MAX)
		return NULL;
	bp = getiobuf(vp, true);
	bp->b_flags = write ? B_WRITE : B_READ;
	bp->b_dev = dev;
	bp->b_data = data;
	bp->b_bcount = bp->b_bufsize = bp->b_resid = (int)len;
	bp->b_blkno = bp->b_rawblkno = (int64_t)(off / DEV_BSIZE);
	return bp;
}

/* Waits for BP, frees it, and says how it went. */
static int
host_buf_wait(struct buf *bp)
{
	int error;

	error = biowait(bp);
	if (error == 0 && bp->b_resid != 0)
		error = EIO;
	putiobuf(bp);
	return error;
}

int
host_rw(uint32_t minor, bool write, uint64_t off, void *data, size_t len)
{
	struct buf *bp;

	bp = host_buf(NULL, makedev(HOST_DM_BMAJOR, minor), write, off, data,
	    len);
	if (bp == NULL)
		return EINVAL;
	bdev_strategy(bp);
	return host_buf_wait(bp);
}

int
host_flush(uint32_t minor)
{
	int force = 1;

	return cdev_ioctl(makedev(HOST_DM_CMAJOR, minor), DIOCCACHESYNC,
	    &force, FWRITE, curlwp);
}

int
host_mediasize(uint32_t minor, uint64_t *bytes)
{
	off_t sz;
	int error;

	error = cdev_ioctl(makedev(HOST_DM_CMAJOR, minor), DIOCGMEDIASIZE,
	    &sz, FREAD, curlwp);
	if (error == 0)
		*bytes = (uint64_t)sz;
	return error;
}

int
host_secsize(uint32_t minor, uint32_t *secsize)
{
	u_int sz;
	int error;

	error = cdev_ioctl(makedev(HOST_DM_CMAJOR, minor), DIOCGSECTORSIZE,
	    &sz, FREAD, curlwp);
	if (error == 0)
		*secsize = sz;
	return error;
}

int
host_disk_open(const char *path, bool writable, void **handle)
{
	struct pathbuf *pb;
	struct vnode *vp;
	int error;

	if ((pb = pathbuf_create(path)) == NULL)
		return ENOMEM;
	error = vn_open(NULL, pb, 0, FREAD | (writable ? FWRITE : 0), 0,
	    &vp, NULL, NULL);
	pathbuf_destroy(pb);
	if (error != 0)
		return error;
	VOP_UNLOCK(vp);
	*handle = vp;
	return 0;
}

int
host_disk_close(void *handle, bool writable)
{

	return vn_close(handle, FREAD | (writable ? FWRITE : 0), NOCRED);
}

int
host_disk_rw(void *handle, bool write, uint64_t off, void *data, size_t len)
{
	struct vnode *vp = handle;
	struct buf *bp;

	if ((bp = host_buf(vp, vp->v_rdev, write, off, data, len)) == NULL)
		return EINVAL;
	if (write) {
		mutex_enter(vp->v_interlock);
		vp->v_numoutput++;
		mutex_exit(vp->v_interlock);
	}
	VOP_STRATEGY(vp, bp);
	return host_buf_wait(bp);
}

int
host_disk_flush(void *handle)
{
	int force = 1;

	return VOP_IOCTL(handle, DIOCCACHESYNC, &force, FWRITE, NOCRED);
}

int
host_disk_size(void *handle, uint64_t *bytes)
{
	uint64_t sectors;
	unsigned int secsize;
	int error;

	if ((error = getdisksize(handle, &sectors, &secsize)) != 0)
		return error;
	*bytes = sectors * secsize;
	return 0;
}
