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
 * Host mode: log(9) and the rate limiters ratecheck(9) and
 * ppsratecheck(9), with the semantics of NetBSD's sys/kern/subr_prf.c
 * (log) and sys/kern/kern_time.c (ratecheck, ppsratecheck).  The kernel
 * log is the daemon's standard error.
 */

#include <sys/types.h>
#include <sys/syslog.h>
#include <sys/time.h>

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>

void
host_log(int level __unused, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/*
 * True, and *lasttime set to now, when at least *mininterval has passed
 * since *lasttime, or *lasttime was never set.
 */
int
ratecheck(struct timeval *lasttime, const struct timeval *mininterval)
{
	struct timeval now, delta;

	getmicrouptime(&now);
	timersub(&now, lasttime, &delta);
	if (timercmp(&delta, mininterval, <) && timerisset(lasttime))
		return 0;
	*lasttime = now;
	return 1;
}

/*
 * True while fewer than maxpps events have been counted in the current
 * second (always for a negative maxpps, never for 0).  A second starts
 * at the first event after the previous one ended.
 */
int
ppsratecheck(struct timeval *lasttime, int *curpps, int maxpps)
{
	struct timeval now, delta;
	int rv;

	getmicrouptime(&now);
	timersub(&now, lasttime, &delta);
	if (!timerisset(lasttime) || delta.tv_sec >= 1) {
		*lasttime = now;
		*curpps = 0;
	}
	rv = maxpps < 0 || *curpps < maxpps;
	if (*curpps < INT_MAX)
		(*curpps)++;
	return rv;
}
