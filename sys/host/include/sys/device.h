/* Host mode: NetBSD <sys/device.h>; see host_kernel.h. */
#include <host_kernel.h>
