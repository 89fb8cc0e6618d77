/* Host mode: NetBSD <sys/condvar.h>; see host_kernel.h. */
#include <host_kernel.h>
