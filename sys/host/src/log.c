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
