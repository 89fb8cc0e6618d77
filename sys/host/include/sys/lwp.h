/* Host mode: NetBSD <sys/lwp.h>; see host_kernel.h. */
#include <host_kernel.h>
