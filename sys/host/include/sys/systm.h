/* Host mode: NetBSD <sys/systm.h>; see host_kernel.h. */
#include <host_kernel.h>
