/* Host mode: NetBSD <sys/kernel.h>; see host_kernel.h. */
#include <host_kernel.h>
