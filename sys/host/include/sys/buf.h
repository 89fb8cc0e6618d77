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
 * Host mode: NetBSD's <sys/buf.h>: struct buf and buffer I/O, as
 * sys/kern/vfs_bio.c gives them.  Like NetBSD's, it includes
 * <sys/pool.h>, <sys/queue.h>, <sys/mutex.h>, <sys/condvar.h> and, in
 * the kernel, <sys/workqueue.h>.
 */

#ifndef _HOST_SYS_BUF_H_
#define _HOST_SYS_BUF_H_

#include <sys/pool.h>
#include <sys/queue.h>
#include <sys/mutex.h>
#include <sys/condvar.h>
#include <sys/workqueue.h>

struct vnode;

struct buf {
	int		b_error;	/* Errno value */
	int		b_flags;	/* Operation flags */
	int		b_cflags;	/* Cache flags */
	int		b_oflags;	/* Completion flags */
	int		b_bcount;	/* Valid bytes in buffer */
	int		b_resid;	/* Remaining I/O */
	int		b_bufsize;	/* Allocated buffer size */
	int64_t		b_blkno;	/* Underlying physical block number */
	int64_t		b_rawblkno;	/* Raw underlying physical block */
	void		*b_data;	/* Data buffer */
	dev_t		b_dev;		/* Device associated with buffer */
	struct vnode	*b_vp;		/* File vnode */
	void		(*b_iodone)(struct buf *);
	void		*b_private;	/* Private data for owner */
	kmutex_t	*b_objlock;	/* completion lock */
	int		b_prio;		/* priority for queue */
	TAILQ_ENTRY(buf) b_actq;	/* Device driver queue */
	/* host mode only: the soft interrupt's queue */
	struct buf	*b_hostnext;
	/* Set up by buf_init, kept across the cache's uses: last. */
	kmutex_t	b_hostlock;
	kcondvar_t	b_hostdone;
};

#define	B_ASYNC		0x00000100	/* Start I/O, do not wait. */
#define	B_READ		0x00100000	/* Read buffer. */
#define	B_WRITE		0x00000000	/* Write buffer (pseudo flag). */
#define	B_PHYS		0x00200000	/* I/O to user memory. */
#define	BC_BUSY		0x00000010	/* I/O in progress. */
#define	BO_DONE		0x00000200	/* I/O completed. */

#define	BPRIO_DEFAULT	1
#define	BIO_GETPRIO(bp)		((bp)->b_prio)
#define	BIO_SETPRIO(bp, p)	((bp)->b_prio = (p))
#define	BIO_COPYPRIO(bp1, bp2)	BIO_SETPRIO((bp1), BIO_GETPRIO(bp2))

void	buf_init(buf_t *);
void	buf_destroy(buf_t *);
void	biodone(buf_t *);
int	biowait(buf_t *);
buf_t	*getiobuf(struct vnode *, bool);
void	putiobuf(buf_t *);
void	nestiobuf_setup(buf_t *, buf_t *, int, size_t);
void	nestiobuf_done(buf_t *, int, int);
void	nestiobuf_iodone(buf_t *);
int	physio(void (*)(buf_t *), buf_t *, dev_t, int, void (*)(buf_t *),
	    struct uio *);
void	minphys(buf_t *);

#endif /* !_HOST_SYS_BUF_H_ */
