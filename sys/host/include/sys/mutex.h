/* Host mode: NetBSD <sys/mutex.h>; see host_kernel.h. */
#include <host_kernel.h>
