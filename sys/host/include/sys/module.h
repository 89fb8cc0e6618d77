/* Host mode: NetBSD <sys/module.h>; see host_kernel.h. */
#include <host_kernel.h>
