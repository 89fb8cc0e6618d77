#!/usr/bin/env bash
#
# The seed example, "0 10240 linear /dev/wd1a 384", on a file-backed
# disk in host mode: dm-hostd runs the driver, dmctl drives it, and real
# NBD clients (nbdcopy, qemu-io) read and write the dm device.
#
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${DM_BIN:-$top/target/debug}
work=$(mktemp -d "${TMPDIR:-/tmp}/dm-demo.XXXXXX")
hostd_pid=""
failures=0

cleanup() {
	if [ -n "$hostd_pid" ] && kill -0 "$hostd_pid" 2>/dev/null; then
		kill -TERM "$hostd_pid" 2>/dev/null || true
		wait "$hostd_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

step() {
	printf '\n== %s\n' "$*"
}

show() {
	printf '$ %s\n' "$*"
	"$@" 2>&1 | sed 's/^/  /'
}

check() {
	local what=$1
	shift
	if "$@" >/dev/null 2>&1; then
		printf '  ok: %s\n' "$what"
	else
		printf '  FAILED: %s\n' "$what"
		failures=$((failures + 1))
	fi
}

dmctl() {
	"$bin/dmctl" --control "$work/control" "$@"
}

nbd() {
	printf 'nbd+unix:///%s?socket=%s/nbd' "$1" "$work"
}

step "A 16 MiB file stands in for the disk /dev/wd1a"
truncate -s 16M "$work/wd1a.img"
printf '  %s\n' "$work/wd1a.img"

step "Start the driver in host mode (dm-hostd)"
# DM_HOSTD_WRAP runs the daemon under a checker (build.sh test: valgrind).
# shellcheck disable=SC2086
${DM_HOSTD_WRAP:-} "$bin/dm-hostd" --socket-dir "$work" \
    --disk "/dev/wd1a=$work/wd1a.img" 2>"$work/hostd.log" &
hostd_pid=$!
for _ in $(seq 400); do
	[ -S "$work/control" ] && [ -S "$work/nbd" ] && break
	sleep 0.05
done
check "control and NBD sockets are up" test -S "$work/nbd"
show dmctl version
show dmctl targets

step "Create device 'demo' with the table line: 0 10240 linear /dev/wd1a 384"
show dmctl create demo
printf '$ echo "0 10240 linear /dev/wd1a 384" | dmctl reload demo\n'
echo "0 10240 linear /dev/wd1a 384" | dmctl reload demo
show dmctl resume demo
show dmctl ls
show dmctl info demo
show dmctl table demo
show dmctl deps demo

step "Write 5 MiB of random data through NBD, read it back"
head -c 5M /dev/urandom >"$work/pattern"
show nbdinfo --size "$(nbd demo)"
check "device is 10240 sectors (5 MiB)" \
    test "$(nbdinfo --size "$(nbd demo)")" = 5242880
show nbdcopy "$work/pattern" "$(nbd demo)"
nbdcopy "$(nbd demo)" "$work/readback"
check "read back equals what was written" cmp "$work/pattern" "$work/readback"

step "The bytes sit in wd1a at byte 384 x 512 = 196608"
tail -c +196609 "$work/wd1a.img" | head -c 5242880 >"$work/on-disk"
check "wd1a bytes 196608..5439487 equal the pattern" \
    cmp "$work/pattern" "$work/on-disk"
head -c 196608 "$work/wd1a.img" >"$work/head"
check "wd1a's first 384 sectors (its label area) are untouched" \
    cmp -n 196608 "$work/head" /dev/zero
show qemu-io -f raw -c 'read -P 0x00 0 0' -c 'write -P 0x5a 512 1k' \
    -c 'read -P 0x5a 512 1k' "$(nbd demo)"
check "qemu-io's write landed at wd1a byte 196608 + 512" \
    cmp -n 1024 <(tail -c +197121 "$work/wd1a.img") \
    <(head -c 1024 /dev/zero | tr '\0' '\132')

step "A zero device and an error device"
show dmctl create zeros
echo "0 2048 zero" | dmctl reload zeros
show dmctl resume zeros
check "zero device reads zeros" \
    qemu-io -f raw -c 'read -P 0 0 1M' "$(nbd zeros)"
show dmctl create broken
echo "0 2048 error" | dmctl reload broken
show dmctl resume broken
printf '$ qemu-io -c "read 0 4k" %s\n' "$(nbd broken)"
qemu-io -f raw -c 'read 0 4k' "$(nbd broken)" 2>&1 | sed 's/^/  /' || true
check "error device fails reads with EIO" \
    sh -c "qemu-io -f raw -c 'read 0 4k' '$(nbd broken)' 2>&1 |
    grep -q 'read failed: Input/output error'"
show dmctl table broken

step "Errors are real: no such device, busy device, bad table"
show dmctl info nosuch || true
show dmctl remove nosuch || true
printf '$ echo "0 10240 linear /dev/wd1a 0" | dmctl reload demo\n'
echo "0 10240 linear /dev/wd1a 0" | dmctl reload demo 2>&1 |
    sed 's/^/  /' || true

step "Remove everything and stop"
show dmctl remove broken
show dmctl remove zeros
show dmctl remove demo
show dmctl ls
kill -TERM "$hostd_pid"
hostd_rc=0
wait "$hostd_pid" || hostd_rc=$?
hostd_pid=""
check "dm-hostd exited cleanly (status $hostd_rc)" test "$hostd_rc" -eq 0
check "dm-hostd removed its sockets" test ! -e "$work/control"
if [ -n "${DM_HOSTD_WRAP:-}" ]; then
	printf '  daemon log (%s):\n' "${DM_HOSTD_WRAP%% *}"
	sed 's/^/    /' "$work/hostd.log"
fi

echo
if [ "$failures" -ne 0 ]; then
	echo "demo: $failures check(s) FAILED"
	exit 1
fi
echo "demo: every check held"
