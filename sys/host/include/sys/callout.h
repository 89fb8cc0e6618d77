/* Host mode: NetBSD <sys/callout.h>; see host_kernel.h. */
#include <host_kernel.h>
