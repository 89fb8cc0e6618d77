/*
 * Host mode: NetBSD <sys/time.h>.  struct timeval and the timer macros
 * are the host's; the kernel's rate limiters, ratecheck(9) and
 * ppsratecheck(9) (sys/kern/kern_time.c), are sys/host/src/log.c's.
 */

#include_next <sys/time.h>

#ifndef _HOST_SYS_TIME_H_
#define _HOST_SYS_TIME_H_

int	ratecheck(struct timeval *, const struct timeval *);
int	ppsratecheck(struct timeval *, int *, int);

#endif /* !_HOST_SYS_TIME_H_ */
