/* Host mode: NetBSD <sys/disk.h>; see host_kernel.h. */
#include <host_kernel.h>
