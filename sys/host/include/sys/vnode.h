/* Host mode: NetBSD <sys/vnode.h>; see host_kernel.h. */
#include <host_kernel.h>
