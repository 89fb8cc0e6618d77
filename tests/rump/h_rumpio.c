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
 * h_rumpio: what the dm tests do in a rump kernel (RUMP_SERVER), as a
 * client of its server.
 *
 *	h_rumpio disk PATH HOSTFILE	HOSTFILE as block device PATH
 *	h_rumpio node PATH b|c MINOR	PATH: the block or raw node of dm
 *					minor MINOR
 *	h_rumpio read PATH OFFSET LEN OUT
 *					LEN bytes of PATH from OFFSET into
 *					host file OUT; stops at the end, as
 *					dd(1) does, and fails on an error
 *	h_rumpio write PATH OFFSET IN	host file IN into PATH at OFFSET
 *	h_rumpio hold PATH SECONDS	keeps PATH open that long
 *	h_rumpio size PATH		PATH's DIOCGMEDIASIZE, in bytes
 *	h_rumpio sync PATH		DIOCCACHESYNC on PATH
 *	h_rumpio halt			stops the server
 */

#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpdefs.h>

/* dmtest_component.c */
#define	DMTEST_CTL	4242
#define	DMTEST_DISK	1
#define	DMTEST_NODE	2

#define	CHUNK		(64 * 1024)

/* _IOR('d', 132, off_t) */
#define	DIOCGMEDIASIZE	0x40086484UL
/* _IOW('d', 118, int) */
#define	DIOCCACHESYNC	0x80046476UL

static void
usage(void)
{

	fprintf(stderr, "usage: h_rumpio disk PATH HOSTFILE | "
	    "node PATH b|c MINOR | read PATH OFFSET LEN OUT | "
	    "write PATH OFFSET IN | hold PATH SECONDS | size PATH | "
	    "sync PATH | halt\n");
	exit(2);
}

static long long
number(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || v < 0)
		errx(2, "not a number: %s", s);
	return v;
}

static void
dmtest_set(int node, const char *path, const char *value)
{
	int mib[2] = { DMTEST_CTL, node };
	char buf[2 * 1024 + 2];

	if ((size_t)snprintf(buf, sizeof(buf), "%s=%s", path, value) >=
	    sizeof(buf))
		errx(2, "name too long: %s", path);
	if (rump_sys___sysctl(mib, 2, NULL, NULL, buf, strlen(buf) + 1) == -1)
		err(1, "dmtest sysctl for %s", path);
}

static int
rump_open(const char *path, int flags)
{
	int fd;

	if ((fd = rump_sys_open(path, flags)) == -1)
		err(1, "open %s", path);
	return fd;
}

static void
do_read(const char *path, off_t off, long long len, const char *out)
{
	static char buf[CHUNK];
	off_t size;
	ssize_t n;
	size_t want;
	FILE *f;
	int fd;

	fd = rump_open(path, RUMP_O_RDONLY);
	if ((f = fopen(out, "w")) == NULL)
		err(1, "%s", out);
	while (len > 0) {
		want = len < CHUNK ? (size_t)len : CHUNK;
		if ((n = rump_sys_pread(fd, buf, want, off)) == -1)
			err(1, "read %s", path);
		/*
		 * A rump kernel loses the error of a raw read by a remote
		 * client (vunmapbuf() in sys/rump/librump/rumpkern/vm.c sets
		 * b_error to the copyout's result): a short read before the
		 * end of the disk is that error.
		 */
		if ((size_t)n < want &&
		    rump_sys_ioctl(fd, DIOCGMEDIASIZE, &size) == 0 &&
		    off + n < size)
			errx(1, "read %s: error at offset %lld", path,
			    (long long)(off + n));
		if (n == 0)
			break;
		if (fwrite(buf, 1, (size_t)n, f) != (size_t)n)
			err(1, "%s", out);
		off += n;
		len -= n;
	}
	if (fclose(f) != 0)
		err(1, "%s", out);
	rump_sys_close(fd);
}

static void
do_write(const char *path, off_t off, const char *in)
{
	static char buf[CHUNK];
	size_t n;
	FILE *f;
	int fd;

	fd = rump_open(path, RUMP_O_WRONLY);
	if ((f = fopen(in, "r")) == NULL)
		err(1, "%s", in);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (rump_sys_pwrite(fd, buf, n, off) != (ssize_t)n)
			err(1, "write %s", path);
		off += (off_t)n;
	}
	if (ferror(f))
		err(1, "%s", in);
	fclose(f);
	rump_sys_close(fd);
}

static void
do_size(const char *path)
{
	off_t size;
	int fd;

	fd = rump_open(path, RUMP_O_RDONLY);
	if (rump_sys_ioctl(fd, DIOCGMEDIASIZE, &size) == -1)
		err(1, "DIOCGMEDIASIZE %s", path);
	printf("%lld\n", (long long)size);
	rump_sys_close(fd);
}

static void
do_sync(const char *path)
{
	int fd, force = 1;

	fd = rump_open(path, RUMP_O_RDWR);
	if (rump_sys_ioctl(fd, DIOCCACHESYNC, &force) == -1)
		err(1, "DIOCCACHESYNC %s", path);
	rump_sys_close(fd);
}

int
main(int argc, char **argv)
{
	char kind[32];
	int fd;

	if (argc < 2)
		usage();
	if (rumpclient_init() == -1)
		err(1, "rumpclient_init (RUMP_SERVER=%s)",
		    getenv("RUMP_SERVER") ? getenv("RUMP_SERVER") : "");
	if (strcmp(argv[1], "halt") == 0 && argc == 2)
		rump_sys_reboot(0, NULL);
	else if (strcmp(argv[1], "disk") == 0 && argc == 4)
		dmtest_set(DMTEST_DISK, argv[2], argv[3]);
	else if (strcmp(argv[1], "node") == 0 && argc == 5 &&
	    (strcmp(argv[3], "b") == 0 || strcmp(argv[3], "c") == 0)) {
		snprintf(kind, sizeof(kind), "%s%lld", argv[3],
		    number(argv[4]));
		dmtest_set(DMTEST_NODE, argv[2], kind);
	}
	else if (strcmp(argv[1], "read") == 0 && argc == 6)
		do_read(argv[2], (off_t)number(argv[3]), number(argv[4]),
		    argv[5]);
	else if (strcmp(argv[1], "write") == 0 && argc == 5)
		do_write(argv[2], (off_t)number(argv[3]), argv[4]);
	else if (strcmp(argv[1], "hold") == 0 && argc == 4) {
		fd = rump_open(argv[2], RUMP_O_RDONLY);
		sleep((unsigned int)number(argv[3]));
		rump_sys_close(fd);
	} else if (strcmp(argv[1], "size") == 0 && argc == 3)
		do_size(argv[2]);
	else if (strcmp(argv[1], "sync") == 0 && argc == 3)
		do_sync(argv[2]);
	else
		usage();
	return 0;
}
