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
 * dmbench: one round of the rump benchmark (tests/rump/bench.sh).  The
 * rump kernel runs in this process (librump, and the components named on
 * the command line, loaded before it boots, as rump_server loads them),
 * so a control request is a system call into the kernel and nothing
 * else: no RPC to a server, whose socket round trips would be most of
 * each figure and would drown the driver's share in their noise.
 *
 *	dmbench [-c cycles] [-n levels] [-o ops] hostfile lib ...
 *
 * hostfile becomes block device /dev/dmbk and raw device /dev/rdmbk of
 * the rump kernel (etfs); the libraries are the rump components, dm's
 * among them, and tests/rump/dmtest_component.c's last.
 *
 * Data path: dm device "bench" maps the component from 1 MiB on with one
 * linear line.  Sequential 64 KiB and random 4 KiB requests at queue
 * depth 1, read and write, ops of each (default 2048) go through its raw
 * node and through the component's raw node over the same span, in
 * turns.  Lines "io LOAD dm|direct VALUE": MiB/s or IOPS, from the
 * median request time.
 *
 * Control path: with N devices in the kernel (each with a linear line,
 * resumed), cycles devices (default 100) go through create, reload,
 * resume, info and remove, one after the other, each request timed
 * alone, and a version request follows each (the fixed cost of a
 * request: copy-in, parsing, reply, its mapping into the caller).
 * Lines "ctl N OP MICROSECONDS", the median.  The levels are the values
 * of N, ascending and comma-separated (default 1,1000,5000); the first
 * device is "bench" itself.  Lines "# ..." are remarks: the reply sizes,
 * how long making the devices took.
 */

#include <sys/types.h>
#include <sys/mman.h>

#include <dlfcn.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpdefs.h>

#ifndef __UNCONST
#define	__UNCONST(a)	((void *)(uintptr_t)(const void *)(a))
#endif
#ifndef __arraycount
#define	__arraycount(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* dmtest_component.c */
#define	DMTEST_CTL	4242
#define	DMTEST_NODE	2

/* The kernel's struct plistref and NETBSD_DM_IOCTL, _IOWR(0xfd, 0, ...). */
struct plistref {
	void	*pref_plist;
	size_t	 pref_len;
};
#define	NETBSD_DM_IOCTL	(0xc0000000UL | \
	((sizeof(struct plistref) & 0x1fff) << 16) | (0xfdUL << 8))

#define	COMPONENT	"/dev/dmbk"
#define	RCOMPONENT	"/dev/rdmbk"
#define	DMNODE		"/dev/rdmbench"
#define	OFFSET		2048		/* sectors: where the lines start */
#define	LINE		2048		/* sectors: a control device's line */
#define	SEQ		(64 * 1024)
#define	RND		4096

static int ctlfd;
static size_t reply_len;	/* of the last request's reply */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * One control request, plist text in; the reply's text into reply
 * (when given).  Returns the time the ioctl took, in seconds.
 */
static double
dm_request(const char *req, char *reply, size_t rlen)
{
	struct plistref pref;
	void *sent;
	double t0, t1;
	int rv, e;

	pref.pref_plist = sent = __UNCONST(req);
	pref.pref_len = strlen(req) + 1;
	t0 = now();
	rv = rump_sys_ioctl(ctlfd, NETBSD_DM_IOCTL, &pref);
	t1 = now();
	e = errno;
	if (reply != NULL)
		reply[0] = '\0';
	reply_len = 0;
	if (pref.pref_plist != sent && pref.pref_plist != NULL) {
		reply_len = pref.pref_len;
		if (reply != NULL) {
			snprintf(reply, rlen, "%.*s", (int)pref.pref_len,
			    (const char *)pref.pref_plist);
		}
		munmap(pref.pref_plist, pref.pref_len);
	}
	if (rv == -1) {
		errno = e;
		err(1, "request failed: %s", req);
	}
	return t1 - t0;
}

#define	HEAD	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<!DOCTYPE plist PUBLIC \"-//Apple Computer//DTD PLIST 1.0//EN\" " \
	"\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n" \
	"<plist version=\"1.0\">\n<dict>\n"
#define	TAIL	"\t<key>flags</key>\n\t<integer>0x0</integer>\n" \
	"\t<key>version</key>\n\t<array>\n\t\t<integer>0x4</integer>\n" \
	"\t\t<integer>0x0</integer>\n\t\t<integer>0x0</integer>\n" \
	"\t</array>\n</dict>\n</plist>\n"

/* A request with a command and a name. */
static void
simple(char *buf, size_t len, const char *cmd, const char *name)
{

	snprintf(buf, len, HEAD "\t<key>command</key>\n\t<string>%s</string>\n"
	    "\t<key>name</key>\n\t<string>%s</string>\n" TAIL, cmd, name);
}

/* A reload with one linear line over the component from OFFSET. */
static void
reload(char *buf, size_t len, const char *name, uint64_t sectors)
{

	snprintf(buf, len, HEAD "\t<key>cmd_data</key>\n\t<array>\n"
	    "\t\t<dict>\n\t\t\t<key>length</key>\n"
	    "\t\t\t<integer>0x%" PRIx64 "</integer>\n"
	    "\t\t\t<key>params</key>\n\t\t\t<string>%s %d</string>\n"
	    "\t\t\t<key>start</key>\n\t\t\t<integer>0x0</integer>\n"
	    "\t\t\t<key>type</key>\n\t\t\t<string>linear</string>\n"
	    "\t\t</dict>\n\t</array>\n"
	    "\t<key>command</key>\n\t<string>reload</string>\n"
	    "\t<key>name</key>\n\t<string>%s</string>\n" TAIL,
	    sectors, COMPONENT, OFFSET, name);
}

/* The value of integer KEY in a reply, or -1. */
static long long
reply_int(const char *reply, const char *key)
{
	char k[64];
	const char *p;

	snprintf(k, sizeof(k), "<key>%s</key>", key);
	if ((p = strstr(reply, k)) == NULL ||
	    (p = strstr(p, "<integer>")) == NULL)
		return -1;
	return strtoll(p + strlen("<integer>"), NULL, 0);
}

/* create, reload, resume: a device with one line; returns its minor. */
static long long
device(const char *name, uint64_t sectors)
{
	char req[2048], reply[4096];
	long long minor;

	simple(req, sizeof(req), "create", name);
	dm_request(req, reply, sizeof(reply));
	if ((minor = reply_int(reply, "minor")) < 0)
		errx(1, "create %s: no minor in the reply", name);
	reload(req, sizeof(req), name, sectors);
	dm_request(req, NULL, 0);
	simple(req, sizeof(req), "resume", name);
	dm_request(req, NULL, 0);
	return minor;
}

enum { C_CREATE, C_RELOAD, C_RESUME, C_INFO, C_REMOVE, C_VERSION, C_NOPS };
static const char *const opnames[C_NOPS] = {
	"create", "reload", "resume", "info", "remove", "version"
};

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of n samples (sorts them). */
static double
median(double *v, int n)
{

	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * cycles devices through the five requests, with n devices there; the
 * median time of each request.
 */
static void
control(int n, int cycles)
{
	char name[64], req[2048], reply[4096];
	double *t[C_NOPS];
	size_t len[C_NOPS];
	int i, op;

	for (op = 0; op < C_NOPS; op++)
		if ((t[op] = calloc((size_t)cycles, sizeof(double))) == NULL)
			errx(1, "no memory");
	for (i = 0; i < cycles; i++) {
		snprintf(name, sizeof(name), "cycle%d", i);
		simple(req, sizeof(req), "create", name);
		t[C_CREATE][i] = dm_request(req, reply, sizeof(reply));
		len[C_CREATE] = reply_len;
		if (reply_int(reply, "minor") < 0)
			errx(1, "create %s: no minor in the reply", name);
		reload(req, sizeof(req), name, LINE);
		t[C_RELOAD][i] = dm_request(req, NULL, 0);
		len[C_RELOAD] = reply_len;
		simple(req, sizeof(req), "resume", name);
		t[C_RESUME][i] = dm_request(req, NULL, 0);
		len[C_RESUME] = reply_len;
		simple(req, sizeof(req), "info", name);
		t[C_INFO][i] = dm_request(req, reply, sizeof(reply));
		len[C_INFO] = reply_len;
		if (reply_int(reply, "minor") < 0)
			errx(1, "info %s: no minor in the reply", name);
		simple(req, sizeof(req), "remove", name);
		t[C_REMOVE][i] = dm_request(req, NULL, 0);
		len[C_REMOVE] = reply_len;
		/* The ioctl's fixed cost: a request no device takes part in. */
		t[C_VERSION][i] = dm_request(HEAD "\t<key>command</key>\n"
		    "\t<string>version</string>\n" TAIL, NULL, 0);
		len[C_VERSION] = reply_len;
	}
	printf("# reply bytes:");
	for (op = 0; op < C_NOPS; op++)
		printf(" %s %zu", opnames[op], len[op]);
	printf("\n");
	for (op = 0; op < C_NOPS; op++) {
		printf("ctl %d %s %.2f\n", n, opnames[op],
		    median(t[op], cycles) * 1e6);
		free(t[op]);
	}
	fflush(stdout);
}

/* One stream of requests: a path, its offsets, its request times. */
struct stream {
	int	 fd;
	off_t	 base;		/* where the span starts on fd */
	uint64_t rnd;		/* xorshift64 state */
	int	 next;		/* requests made */
	double	*t;
};

/*
 * n more requests of size bs on a stream, sequential or random over span
 * bytes, reading or writing; each one's time recorded.
 */
static void
io(struct stream *s, off_t span, size_t bs, int random, int wr, int n,
    void *buf)
{
	double t0;
	off_t off;
	ssize_t got;
	int i;

	for (i = 0; i < n; i++, s->next++) {
		if (random) {
			s->rnd ^= s->rnd << 13;
			s->rnd ^= s->rnd >> 7;
			s->rnd ^= s->rnd << 17;
			off = (off_t)(s->rnd % (uint64_t)(span / (off_t)bs)) *
			    (off_t)bs;
		} else
			off = (off_t)((uint64_t)s->next * bs %
			    (uint64_t)span);
		t0 = now();
		got = wr ? rump_sys_pwrite(s->fd, buf, bs, s->base + off) :
		    rump_sys_pread(s->fd, buf, bs, s->base + off);
		if (s->t != NULL)
			s->t[s->next] = now() - t0;
		if (got != (ssize_t)bs)
			err(1, "%s at %lld: %zd", wr ? "write" : "read",
			    (long long)(s->base + off), got);
	}
}

/*
 * Each load: ops requests through dm and as many on the component
 * directly, in turns of TURN requests (which goes first alternates), so
 * both see the machine alike; the figure is from the median request
 * time, which a burst of other work on the machine leaves alone.
 */
#define	TURN	16

static void
datapath(off_t span, int ops)
{
	static const struct {
		const char *name;
		size_t bs;
		int random, wr;
	} loads[] = {
		{ "seqread64k", SEQ, 0, 0 },
		{ "seqwrite64k", SEQ, 0, 1 },
		{ "randread4k", RND, 1, 0 },
		{ "randwrite4k", RND, 1, 1 },
	};
	struct stream st[2];
	double m[2], *keep;
	void *buf;
	int l, i, k, turn;

	if (posix_memalign(&buf, 4096, SEQ) != 0)
		errx(1, "no memory");
	memset(buf, 0xa5, SEQ);
	memset(st, 0, sizeof(st));
	if ((st[0].fd = rump_sys_open(DMNODE, RUMP_O_RDWR)) == -1)
		err(1, "open %s", DMNODE);
	if ((st[1].fd = rump_sys_open(RCOMPONENT, RUMP_O_RDWR)) == -1)
		err(1, "open %s", RCOMPONENT);
	st[1].base = (off_t)OFFSET * 512;
	for (k = 0; k < 2; k++)
		if ((st[k].t = calloc((size_t)ops, sizeof(double))) == NULL)
			errx(1, "no memory");
	for (l = 0; l < (int)__arraycount(loads); l++) {
		for (k = 0; k < 2; k++) {
			/* A few unmeasured requests first. */
			keep = st[k].t;
			st[k].t = NULL;
			st[k].rnd = 0x9e3779b97f4a7c15ULL + (uint64_t)l;
			st[k].next = 0;
			io(&st[k], span, loads[l].bs, loads[l].random,
			    loads[l].wr, TURN, buf);
			st[k].t = keep;
			st[k].rnd = 0x9e3779b97f4a7c15ULL + (uint64_t)l;
			st[k].next = 0;
		}
		for (i = 0, turn = 0; i < ops; i += TURN, turn++)
			for (k = 0; k < 2; k++)
				io(&st[(k + turn) % 2], span, loads[l].bs,
				    loads[l].random, loads[l].wr,
				    ops - i < TURN ? ops - i : TURN, buf);
		for (k = 0; k < 2; k++)
			m[k] = median(st[k].t, ops);
		if (loads[l].bs == SEQ) {
			printf("io %s dm %.1f\n", loads[l].name,
			    SEQ / m[0] / 1048576);
			printf("io %s direct %.1f\n", loads[l].name,
			    SEQ / m[1] / 1048576);
		} else {
			printf("io %s dm %.0f\n", loads[l].name, 1 / m[0]);
			printf("io %s direct %.0f\n", loads[l].name,
			    1 / m[1]);
		}
		fflush(stdout);
	}
	for (k = 0; k < 2; k++) {
		rump_sys_close(st[k].fd);
		free(st[k].t);
	}
	free(buf);
}

static void
usage(void)
{

	fprintf(stderr, "usage: dmbench [-c cycles] [-n levels] [-o ops] "
	    "hostfile lib ...\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	char req[2048], name[64], levels[256], *lv, *last;
	int mib[2] = { DMTEST_CTL, DMTEST_NODE };
	int ch, cycles = 100, ops = 2048, have, want, i, fd;
	long long minor;
	off_t size;
	double t0;

	snprintf(levels, sizeof(levels), "1,1000,5000");
	while ((ch = getopt(argc, argv, "c:n:o:")) != -1) {
		switch (ch) {
		case 'c':
			cycles = atoi(optarg);
			break;
		case 'n':
			snprintf(levels, sizeof(levels), "%s", optarg);
			break;
		case 'o':
			ops = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2 || cycles < 1 || ops < 1)
		usage();

	/* The components, as rump_server -l loads them. */
	for (i = 1; i < argc; i++)
		if (dlopen(argv[i], RTLD_LAZY | RTLD_GLOBAL) == NULL)
			errx(1, "%s", dlerror());
	if (rump_init() != 0)
		errx(1, "rump_init failed");

	if ((fd = open(argv[0], O_RDONLY)) == -1)
		err(1, "%s", argv[0]);
	size = lseek(fd, 0, SEEK_END);
	close(fd);
	if (size < (off_t)OFFSET * 512 + 4 * SEQ)
		errx(1, "%s: too small", argv[0]);
	size -= (off_t)OFFSET * 512;
	size -= size % SEQ;
	if (rump_pub_etfs_register(COMPONENT, argv[0], RUMP_ETFS_BLK) != 0 ||
	    rump_pub_etfs_register(RCOMPONENT, argv[0], RUMP_ETFS_CHR) != 0)
		errx(1, "cannot register %s", argv[0]);
	if ((ctlfd = rump_sys_open("/dev/mapper/control", RUMP_O_RDWR)) == -1)
		err(1, "/dev/mapper/control");

	minor = device("bench", (uint64_t)size / 512);
	snprintf(req, sizeof(req), "%s=c%lld", DMNODE, minor);
	if (rump_sys___sysctl(mib, 2, NULL, NULL, req, strlen(req) + 1) == -1)
		err(1, "dmtest sysctl for %s", DMNODE);
	printf("# component %lld MiB, dm device minor %lld\n",
	    (long long)(size >> 20), minor);
	datapath(size, ops);

	have = 1;
	for (lv = strtok_r(levels, ",", &last); lv != NULL;
	    lv = strtok_r(NULL, ",", &last)) {
		want = atoi(lv);
		t0 = now();
		for (; have < want; have++) {
			snprintf(name, sizeof(name), "dev%d", have);
			device(name, LINE);
		}
		printf("# %d devices made in %.2f s\n", have, now() - t0);
		control(have, cycles);
	}
	return 0;
}
