/* Host mode: NetBSD <sys/disklabel.h>; see host_kernel.h. */
#include <host_kernel.h>
