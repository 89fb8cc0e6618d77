#	config(1) glue for dm(4), the device-mapper.
#
# The C glue compiles from source; dm-core, the Rust part, comes in as
# one object that ./build.sh kernel links from its archive for the
# kernel's architecture (what the glue calls, ld -r) and copies beside
# these files: config(1) takes objects, not archives.

defpseudo dm: disk
file	dev/dm/dm_compat.c	dm
file	dev/dm/dm_driver.c	dm
file	dev/dm/dm_io.c		dm
file	dev/dm/dm_ioctl.c	dm
file	dev/dm/dm_kapi.c	dm
file	dev/dm/dm_label.c	dm
object	dev/dm/dm_core.o	dm
