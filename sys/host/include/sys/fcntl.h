/* Host mode: NetBSD <sys/fcntl.h>; see host_kernel.h. */
#include <host_kernel.h>
