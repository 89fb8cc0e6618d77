/* Host mode: NetBSD <sys/atomic.h>; see host_kernel.h. */
#include <host_kernel.h>
