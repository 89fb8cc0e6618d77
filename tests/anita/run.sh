#!/bin/sh
#
# Runs the dm test suite in a NetBSD VM with anita(1): installs a release
# into a QEMU VM, boots it with the kernel (or module) built from this
# tree, and runs kyua on /usr/tests/dev/dm.
#
# usage: run.sh RELEASE_URL [WORKDIR]
#
#   RELEASE_URL  a NetBSD release directory for amd64, e.g. one built by
#                NetBSD's "build.sh release" with this tree overlaid
#                (./build.sh kernel), or an official one plus the
#                DM_KMOD file below
#   WORKDIR      anita's work directory (default: ./anita-work)
#
# Environment:
#   DM_KMOD      a dm.kmod to install and load before the tests (when the
#                release's kernel does not have "pseudo-device dm")
#   ANITA        the anita command (default: anita)
#
# This needs anita, QEMU with KVM or patience, and network access to the
# release; none of that exists on the Linux build machines of this
# project, so it is not part of ./build.sh test.
set -eu

url=${1:?usage: run.sh RELEASE_URL [WORKDIR]}
work=${2:-./anita-work}
anita=${ANITA:-anita}

script=$(mktemp)
trap 'rm -f "$script"' EXIT
{
	echo 'set -e'
	if [ -n "${DM_KMOD:-}" ]; then
		echo 'modload /stand/amd64/dm.kmod || modload dm'
	fi
	echo 'cd /usr/tests/dev/dm'
	echo 'kyua test -k /usr/tests/dev/dm/Kyuafile'
	echo 'kyua report --verbose --results-filter=broken,failed'
} >"$script"

"$anita" --workdir "$work" --memory-size 1G --disk-size 4G \
    --run "$(tr '\n' ';' <"$script")" test "$url"
