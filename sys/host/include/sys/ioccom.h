/* Host mode: NetBSD <sys/ioccom.h>; see host_kernel.h. */
#include <host_kernel.h>
