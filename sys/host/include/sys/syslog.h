/*
 * Host mode: NetBSD <sys/syslog.h>, the kernel's log(9) and its
 * priorities.  log(9) is host_log (sys/host/src/log.c): the name "log"
 * belongs to libm's log(3) in userland.
 */

#ifndef _HOST_SYS_SYSLOG_H_
#define _HOST_SYS_SYSLOG_H_

#define	LOG_EMERG	0
#define	LOG_ALERT	1
#define	LOG_CRIT	2
#define	LOG_ERR		3
#define	LOG_WARNING	4
#define	LOG_NOTICE	5
#define	LOG_INFO	6
#define	LOG_DEBUG	7

#define	log	host_log
void	host_log(int, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));

#endif /* !_HOST_SYS_SYSLOG_H_ */
