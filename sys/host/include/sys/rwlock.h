/* Host mode: NetBSD <sys/rwlock.h>; see host_kernel.h. */
#include <host_kernel.h>
