#	config(1) glue for dm(4), the device-mapper.
#
# The C glue compiles from source; dm-core, the Rust part, comes in as the
# archive ./build.sh kernel builds for the kernel's architecture and
# copies beside these files (libdm_core.a).

defpseudo dm: disk
file	dev/dm/dm_compat.c	dm
file	dev/dm/dm_driver.c	dm
file	dev/dm/dm_io.c		dm
file	dev/dm/dm_ioctl.c	dm
file	dev/dm/dm_kapi.c	dm
file	dev/dm/dm_label.c	dm
object	dev/dm/libdm_core.a	dm
