/* Host mode: NetBSD <sys/dkio.h>; see host_kernel.h. */
#include <host_kernel.h>
