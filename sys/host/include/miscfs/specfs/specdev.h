/* Host mode: NetBSD <miscfs/specfs/specdev.h>; see host_kernel.h. */
#include <host_kernel.h>
