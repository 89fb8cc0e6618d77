/* Host mode: NetBSD <sys/workqueue.h>; see host_kernel.h. */
#include <host_kernel.h>
