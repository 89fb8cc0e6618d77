/* Host mode: NetBSD <sys/namei.h>; see host_kernel.h. */
#include <host_kernel.h>
