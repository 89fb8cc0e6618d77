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
 * Routes a NetBSD dm client, built for Linux, to the rump kernel that
 * RUMP_SERVER names: open(2) of a /dev path opens it in the rump kernel
 * (the host descriptor returned stands for it), and ioctl(2) and
 * close(2) of such a descriptor go there too.  When DM_RUMP_DEVDIR names
 * a host directory (lvm2's DM_DEV_DIR, where it makes its nodes), a path
 * in it opens the same path under the rump kernel's /dev.  Linked with
 * -Wl,--wrap=open,--wrap=close,--wrap=ioctl, so only the client's own
 * calls are routed, not the C library's.
 *
 * Also the NetBSD libc functions the clients use that glibc lacks:
 * sysctlbyname(3) for kern.drivers (answered by the rump kernel's
 * dmtest.drivers, dmtest_component.c), devname(3) (which knows no name,
 * as for a node missing from /dev), fgetln(3), strlcpy(3), strlcat(3).
 */

#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpdefs.h>

#include "netbsd.h"
#include "sys/sysctl.h"

#define	MAXFD	1024

/* dmtest_component.c */
#define	DMTEST_CTL	4242
#define	DMTEST_DRIVERS	3

int	__real_open(const char *, int, ...);
int	__real_close(int);
int	__real_ioctl(int, unsigned long, ...);
int	__wrap_open(const char *, int, ...);
int	__wrap_close(int);
int	__wrap_ioctl(int, unsigned long, ...);

/* rumpfd[h] - 1: the rump descriptor host descriptor h stands for. */
static int rumpfd[MAXFD];

static void
rump_up(void)
{
	static int up;

	if (up)
		return;
	if (rumpclient_init() == -1)
		err(1, "rumpclient_init (RUMP_SERVER=%s)",
		    getenv("RUMP_SERVER") ? getenv("RUMP_SERVER") : "");
	up = 1;
}

static int
rump_flags(int flags)
{
	int r;

	switch (flags & O_ACCMODE) {
	case O_WRONLY:
		r = RUMP_O_WRONLY;
		break;
	case O_RDWR:
		r = RUMP_O_RDWR;
		break;
	default:
		r = RUMP_O_RDONLY;
		break;
	}
	if (flags & O_NONBLOCK)
		r |= RUMP_O_NONBLOCK;
	if (flags & O_EXCL)
		r |= RUMP_O_EXCL;
	return r;
}

int
__wrap_open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int h, r, e, saved = errno;

	char rpath[PATH_MAX];
	const char *dir;
	size_t len;

	va_start(ap, flags);
	mode = (flags & O_CREAT) ? (mode_t)va_arg(ap, int) : 0;
	va_end(ap);
	dir = getenv("DM_RUMP_DEVDIR");
	len = dir != NULL ? strlen(dir) : 0;
	if (len > 0 && strncmp(path, dir, len) == 0 && path[len] == '/') {
		if ((size_t)snprintf(rpath, sizeof(rpath), "/dev%s",
		    path + len) >= sizeof(rpath)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		path = rpath;
	}
	if (strncmp(path, "/dev/", 5) != 0)
		return __real_open(path, flags, mode);
	rump_up();
	if ((r = rump_sys_open(path, rump_flags(flags))) == -1)
		return -1;
	if ((h = __real_open("/dev/null", O_RDONLY)) == -1 || h >= MAXFD) {
		e = h == -1 ? errno : EMFILE;
		if (h != -1)
			__real_close(h);
		rump_sys_close(r);
		errno = e;
		return -1;
	}
	rumpfd[h] = r + 1;
	errno = saved;
	return h;
}

/*
 * librumpclient sets errno on success too; NetBSD's system calls leave it
 * alone, and the clients report an earlier call's errno after a close.
 */
static int
keep_errno(int rv, int saved)
{

	if (rv != -1)
		errno = saved;
	return rv;
}

int
__wrap_close(int h)
{
	int r, saved = errno;

	if (h >= 0 && h < MAXFD && rumpfd[h] != 0) {
		r = rumpfd[h] - 1;
		rumpfd[h] = 0;
		__real_close(h);
		return keep_errno(rump_sys_close(r), saved);
	}
	return __real_close(h);
}

int
__wrap_ioctl(int h, unsigned long cmd, ...)
{
	va_list ap;
	void *arg;
	int saved = errno;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (h >= 0 && h < MAXFD && rumpfd[h] != 0)
		return keep_errno(rump_sys_ioctl(rumpfd[h] - 1, cmd, arg),
		    saved);
	return __real_ioctl(h, cmd, arg);
}

int
sysctlbyname(const char *name, void *oldp, size_t *oldlenp,
    const void *newp, size_t newlen)
{
	int mib[2] = { DMTEST_CTL, DMTEST_DRIVERS };
	int saved = errno;

	if (strcmp(name, "kern.drivers") != 0 || newp != NULL ||
	    newlen != 0) {
		errno = ENOENT;
		return -1;
	}
	rump_up();
	return keep_errno(rump_sys___sysctl(mib, 2, oldp, oldlenp, NULL, 0),
	    saved);
}

char *
devname(dev_t dev __unused, mode_t type __unused)
{

	return NULL;
}

char *
fgetln(FILE *fp, size_t *len)
{
	static char *line;
	static size_t size;
	ssize_t n;

	if ((n = getline(&line, &size, fp)) <= 0)
		return NULL;
	*len = (size_t)n;
	return line;
}

size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size > 0) {
		size--;
		memcpy(dst, src, n < size ? n : size);
		dst[n < size ? n : size] = '\0';
	}
	return n;
}

size_t
strlcat(char *dst, const char *src, size_t size)
{
	size_t d = strnlen(dst, size);

	if (d == size)
		return d + strlen(src);
	return d + strlcpy(dst + d, src, size - d);
}
