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
 * Host mode: NetBSD's <sys/conf.h>: the device switch tables, their
 * entry points' types, devsw_attach() and the bdev/cdev calls through
 * them.
 */

#ifndef _HOST_SYS_CONF_H_
#define _HOST_SYS_CONF_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/device_if.h>
#include <sys/mutex.h>

struct buf;
struct knote;
struct lwp;
struct tty;
struct uio;

#define	dev_type_open(n)	int n(dev_t, int, int, struct lwp *)
#define	dev_type_close(n)	int n(dev_t, int, int, struct lwp *)
#define	dev_type_read(n)	int n(dev_t, struct uio *, int)
#define	dev_type_write(n)	int n(dev_t, struct uio *, int)
#define	dev_type_ioctl(n)	int n(dev_t, u_long, void *, int, struct lwp *)
#define	dev_type_stop(n)	void n(struct tty *, int)
#define	dev_type_tty(n)		struct tty * n(dev_t)
#define	dev_type_poll(n)	int n(dev_t, int, struct lwp *)
#define	dev_type_mmap(n)	off_t n(dev_t, off_t, int)
#define	dev_type_strategy(n)	void n(struct buf *)
#define	dev_type_dump(n)	int n(dev_t, int64_t, void *, size_t)
#define	dev_type_size(n)	int n(dev_t)
#define	dev_type_kqfilter(n)	int n(dev_t, struct knote *)
#define	dev_type_discard(n)	int n(dev_t, off_t, off_t)

struct bdevsw {
	dev_type_open((*d_open));
	dev_type_close((*d_close));
	dev_type_strategy((*d_strategy));
	dev_type_ioctl((*d_ioctl));
	dev_type_dump((*d_dump));
	dev_type_size((*d_psize));
	dev_type_discard((*d_discard));
	int	d_flag;
};

struct cdevsw {
	dev_type_open((*d_open));
	dev_type_close((*d_close));
	dev_type_read((*d_read));
	dev_type_write((*d_write));
	dev_type_ioctl((*d_ioctl));
	dev_type_stop((*d_stop));
	dev_type_tty((*d_tty));
	dev_type_poll((*d_poll));
	dev_type_mmap((*d_mmap));
	dev_type_kqfilter((*d_kqfilter));
	dev_type_discard((*d_discard));
	int	d_flag;
};

#define	D_OTHER		0x0000
#define	D_DISK		0x0002
#define	D_MPSAFE	0x0100

dev_type_open(bdev_open);
dev_type_close(bdev_close);
dev_type_strategy(bdev_strategy);

dev_type_open(cdev_open);
dev_type_close(cdev_close);
dev_type_ioctl(cdev_ioctl);

dev_type_dump(nodump);
dev_type_discard(nodiscard);
dev_type_stop(nostop);
dev_type_tty(notty);
dev_type_poll(nopoll);
dev_type_mmap(nommap);
dev_type_kqfilter(nokqfilter);

int	devsw_attach(const char *, const struct bdevsw *, devmajor_t *,
	    const struct cdevsw *, devmajor_t *);
void	devsw_detach(const struct bdevsw *, const struct cdevsw *);
const struct bdevsw *bdevsw_lookup(dev_t);
const struct cdevsw *cdevsw_lookup(dev_t);

#endif /* !_HOST_SYS_CONF_H_ */
