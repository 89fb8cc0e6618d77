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
 * Host mode: the device switch tables, devsw_attach and the bdev/cdev
 * entry points the daemon drives, and the no* stubs.
 *
 * Follows sys/kern/subr_devsw.c, and sys/kern/sys_generic.c for
 * sys_ioctl().
 */

#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/fcntl.h>
#include <sys/lwp.h>

#include <host_internal.h>

#include <errno.h>

#define	HOST_NDEVSW	256

static const struct bdevsw *host_bdevsw[HOST_NDEVSW];
static const struct cdevsw *host_cdevsw[HOST_NDEVSW];

/* The majors NetBSD's sys/conf/majors gives the drivers host mode has. */
static const struct {
	const char	*name;
	devmajor_t	bmajor, cmajor;
} host_majors[] = {
	{ "dm", 169, 194 },
};

int
devsw_attach(const char *name, const struct bdevsw *bdev, devmajor_t *bmajor,
    const struct cdevsw *cdev, devmajor_t *cmajor)
{
	size_t i;

	for (i = 0; i < sizeof(host_majors) / sizeof(host_majors[0]); i++) {
		if (strcmp(host_majors[i].name, name) != 0)
			continue;
		if (*bmajor < 0)
			*bmajor = host_majors[i].bmajor;
		if (*cmajor < 0)
			*cmajor = host_majors[i].cmajor;
	}
	if (*bmajor < 0 || *bmajor >= HOST_NDEVSW ||
	    *cmajor < 0 || *cmajor >= HOST_NDEVSW)
		return ENXIO;
	if ((bdev != NULL && host_bdevsw[*bmajor] != NULL &&
	    host_bdevsw[*bmajor] != bdev) ||
	    (host_cdevsw[*cmajor] != NULL && host_cdevsw[*cmajor] != cdev))
		return EEXIST;
	if (bdev != NULL)
		host_bdevsw[*bmajor] = bdev;
	host_cdevsw[*cmajor] = cdev;
	return 0;
}

void
devsw_detach(const struct bdevsw *bdev, const struct cdevsw *cdev)
{
	int i;

	for (i = 0; i < HOST_NDEVSW; i++) {
		if (bdev != NULL && host_bdevsw[i] == bdev)
			host_bdevsw[i] = NULL;
		if (cdev != NULL && host_cdevsw[i] == cdev)
			host_cdevsw[i] = NULL;
	}
}

const struct bdevsw *
bdevsw_lookup(dev_t dev)
{
	devmajor_t maj = major(dev);

	return maj >= 0 && maj < HOST_NDEVSW ? host_bdevsw[maj] : NULL;
}

const struct cdevsw *
cdevsw_lookup(dev_t dev)
{
	devmajor_t maj = major(dev);

	return maj >= 0 && maj < HOST_NDEVSW ? host_cdevsw[maj] : NULL;
}

void
bdev_strategy(struct buf *bp)
{
	const struct bdevsw *d;

	if ((d = bdevsw_lookup(bp->b_dev)) == NULL) {
		bp->b_error = ENXIO;
		bp->b_resid = bp->b_bcount;
		biodone(bp);
		return;
	}
	(*d->d_strategy)(bp);
}

int
bdev_open(dev_t dev, int flag, int devtype, struct lwp *l)
{
	const struct bdevsw *d;

	if ((d = bdevsw_lookup(dev)) == NULL)
		return ENXIO;
	return (*d->d_open)(dev, flag, devtype, l);
}

int
bdev_close(dev_t dev, int flag, int devtype, struct lwp *l)
{
	const struct bdevsw *d;

	if ((d = bdevsw_lookup(dev)) == NULL)
		return ENXIO;
	return (*d->d_close)(dev, flag, devtype, l);
}

int
cdev_open(dev_t dev, int flag, int devtype, struct lwp *l)
{
	const struct cdevsw *d;

	if ((d = cdevsw_lookup(dev)) == NULL)
		return ENXIO;
	return (*d->d_open)(dev, flag, devtype, l);
}

int
cdev_close(dev_t dev, int flag, int devtype, struct lwp *l)
{
	const struct cdevsw *d;

	if ((d = cdevsw_lookup(dev)) == NULL)
		return ENXIO;
	return (*d->d_close)(dev, flag, devtype, l);
}

int
cdev_ioctl(dev_t dev, u_long cmd, void *data, int flag, struct lwp *l)
{
	const struct cdevsw *d;

	if ((d = cdevsw_lookup(dev)) == NULL)
		return ENXIO;
	return (*d->d_ioctl)(dev, cmd, data, flag, l);
}

/*
 * As sys_ioctl() (sys/kern/sys_generic.c): the argument is copied in,
 * and back out only when the driver returns 0.  A driver that maps a
 * reply and then fails leaks the mapping in the kernel, and the caller
 * never sees it: host mode stops there.
 */
int
host_sys_ioctl(dev_t dev, u_long cmd, void *arg, size_t size)
{
	char kbuf[64];
	int error;

	if (size > sizeof(kbuf))
		return ENOTTY;
	memcpy(kbuf, arg, size);
	error = cdev_ioctl(dev, cmd, kbuf, FREAD | FWRITE, curlwp);
	if (error == 0)
		memcpy(arg, kbuf, size);
	else if (memcmp(kbuf, arg, size) != 0)
		panic("ioctl 0x%lx on dev 0x%llx returned %d after changing "
		    "its argument: sys_ioctl() drops what was copied out",
		    cmd, (unsigned long long)dev, error);
	return error;
}

int
nodump(dev_t dev __unused, int64_t blkno __unused, void *va __unused,
    size_t size __unused)
{

	return ENODEV;
}

int
nodiscard(dev_t dev __unused, off_t pos __unused, off_t len __unused)
{

	return ENODEV;
}

void
nostop(struct tty *tp __unused, int flag __unused)
{
}

int
nopoll(dev_t dev __unused, int events __unused, struct lwp *l __unused)
{

	return 0;
}

off_t
nommap(dev_t dev __unused, off_t off __unused, int prot __unused)
{

	return (off_t)-1;
}

int
nokqfilter(dev_t dev __unused, struct knote *kn __unused)
{

	return ENODEV;
}

struct tty *
notty(dev_t dev __unused)
{

	return NULL;
}
