/* Host mode: NetBSD <sys/kmem.h>; see host_kernel.h. */
#include <host_kernel.h>
