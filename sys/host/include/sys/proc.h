/* Host mode: NetBSD <sys/proc.h>; see host_kernel.h. */
#include <host_kernel.h>
