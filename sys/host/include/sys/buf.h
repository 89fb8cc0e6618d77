/* Host mode: NetBSD <sys/buf.h>; see host_kernel.h. */
#include <host_kernel.h>
