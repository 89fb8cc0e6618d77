/* Host mode: NetBSD <sys/kauth.h>; see host_kernel.h. */
#include <host_kernel.h>
