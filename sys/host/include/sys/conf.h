/* Host mode: NetBSD <sys/conf.h>; see host_kernel.h. */
#include <host_kernel.h>
