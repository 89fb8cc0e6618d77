/* Host mode: NetBSD <ufs/ffs/fs.h>; see host_kernel.h. */
#include <host_kernel.h>
