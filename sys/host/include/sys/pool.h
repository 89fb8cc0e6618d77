/* Host mode: NetBSD <sys/pool.h>; see host_kernel.h. */
#include <host_kernel.h>
