#!/usr/bin/env bash
#
# The real-client conformance suite of the rump tier: NetBSD's own dm
# clients, built from a NetBSD tree as clients of a rump kernel, run a
# scenario against our driver and against the tree's stock dm; every
# command's result from both is listed, with what each kernel logged, and
# every difference with its judgement (target/rump/clients-report.txt).
# run.sh clients runs it.
#
#   clients.sh build   dmctl(8) from the tree's sbin/dmctl and lib/libdm,
#                      and when the tree has external/gpl2/lvm2 (and we
#                      are root: lvm2 makes nodes) lvm2's dmsetup(8) on
#                      them, with the tree's proplib, for this host, the
#                      control node routed to the rump kernel
#                      (compat/rumpshim.c); built with AddressSanitizer,
#                      so that a client that touches freed memory says so
#   clients.sh run     the scenarios; the report
#
# NETBSDCLIENTSRC names a NetBSD tree with sbin/dmctl and lib/libdm, and
# external/gpl2/lvm2 for dmsetup (NetBSD's full source; the rump tree
# NETBSDSRCDIR names lacks them); default NETBSDSRCDIR.  The proplib is
# NETBSDSRCDIR's, the rump kernel's.  Nothing built from the trees leaves
# target/rump/clients.  (NetBSD's libdm writes each request and reply to
# /tmp/libdm_in and /tmp/libdm_out, as it does on NetBSD.)
#
# A scenario (tests/rump/clients-CLIENT.scn) is a line per command: the
# client's arguments, "" for an empty one; after " <<< " the text given on
# standard input, \n separating lines.  "@section NAME" starts a fresh
# rump kernel with disks d0, d1 (4 MiB each, /dev/d0 and /dev/d1);
# "@hold NAME SECONDS" keeps dm device NAME open in the background, "@wait"
# waits until it is closed; "@nodes", a command of the scenario, lists the
# nodes lvm2 made in its DM_DEV_DIR.  A line "#= TEXT" after a command is
# the judgement of the difference that command shows between the drivers;
# a difference without one fails the run, and so does a memory error
# AddressSanitizer reports in a client against our driver.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
R=$top/target/rump
C=$R/clients
compat=$top/tests/rump/compat
dest=$R/dest
src=${NETBSDCLIENTSRC:-${NETBSDSRCDIR:-}}
server_pid=
holds=()

say() {
	printf '==> %s\n' "$*"
}

die() {
	printf 'clients: %s\n' "$*" >&2
	exit 1
}

have_sources() {
	[ -n "$src" ] && [ -f "$src/sbin/dmctl/dmctl.c" ] &&
	    [ -f "$src/lib/libdm/libdm_ioctl.c" ]
}

# ccl OUT SRC [FLAGS...]: one client object, with the NetBSD compat
# header ahead of it.
ccl() {
	local out=$1 file=$2
	shift 2
	cc -O1 -g -U_FORTIFY_SOURCE -fsanitize=address -fno-omit-frame-pointer \
	    -include "$compat/netbsd.h" -I"$compat" -I"$C/inc" \
	    -I"$dest/include" "$@" -c "$file" -o "$out"
}

cmd_build() {
	local f o objs=()
	have_sources || die "NETBSDCLIENTSRC has no sbin/dmctl and lib/libdm"
	rm -rf "$C/obj"
	mkdir -p "$C/obj" "$C/inc/dev/dm" "$C/inc/sys" "$C/bin"
	ln -sfn "$NETBSDSRCDIR/common/include/prop" "$C/inc/prop"
	ln -sfn "$NETBSDSRCDIR/sys/sys/rbtree.h" "$C/inc/sys/rbtree.h"
	ln -sfn "$NETBSDSRCDIR/sys/dev/dm/netbsd-dm.h" \
	    "$C/inc/dev/dm/netbsd-dm.h"
	say "proplib from $NETBSDSRCDIR/common/lib/libprop, for this host"
	for f in prop_array prop_array_util prop_bool prop_data \
	    prop_dictionary prop_dictionary_util prop_ingest prop_number \
	    prop_object prop_stack prop_string; do
		o=$C/obj/$f.o
		ccl "$o" "$NETBSDSRCDIR/common/lib/libprop/$f.c" -w
		objs+=("$o")
	done
	ccl "$C/obj/rb.o" "$NETBSDSRCDIR/common/lib/libc/gen/rb.c" -w
	ccl "$C/obj/prop_kern.o" "$compat/prop_kern_linux.c" -w \
	    -I"$NETBSDSRCDIR/common/lib/libprop"
	ccl "$C/obj/rumpshim.o" "$compat/rumpshim.c" -Wall -Wextra -Werror
	objs+=("$C/obj/rb.o" "$C/obj/prop_kern.o" "$C/obj/rumpshim.o")
	say "dmctl and libdm from $src"
	ccl "$C/obj/libdm_ioctl.o" "$src/lib/libdm/libdm_ioctl.c" -w \
	    -I"$src/lib/libdm"
	ccl "$C/obj/dmctl.o" "$src/sbin/dmctl/dmctl.c" -w -I"$src/lib/libdm"
	objs+=("$C/obj/libdm_ioctl.o")
	link dmctl "$C/obj/dmctl.o" "${objs[@]}"
	rm -f "$C/bin/dmsetup" "$C/lvm2.why"
	if [ ! -f "$src/external/gpl2/lvm2/dist/tools/dmsetup.c" ]; then
		echo "no external/gpl2/lvm2 in $src" >"$C/lvm2.why"
		return
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "lvm2 makes device nodes (mknod), which needs root" \
		    >"$C/lvm2.why"
		return
	fi
	lvm2 "${objs[@]}"
}

# link NAME OBJ...: a client, its calls to the control node routed.
link() {
	local name=$1
	shift
	cc -fsanitize=address -o "$C/bin/$name" "$@" \
	    -Wl,--wrap=open,--wrap=close,--wrap=ioctl \
	    -L"$dest/lib" -Wl,-rpath,"$dest/lib" -lrumpclient
}

# lvm2 OBJ...: lvm2's dmsetup with its libdevmapper (1.02.40 and NetBSD's
# interface, libdm-nbsd-iface.c), as NetBSD's Makefiles build them
# (external/gpl2/lvm2/lib/libdevmapper, sbin/dmsetup), on libdm and
# proplib (OBJ).
lvm2() {
	local l=$src/external/gpl2/lvm2 f o lobjs=()
	local -a fl=(-I"$l/dist/libdm" -I"$l/dist/libdm/misc"
	    -I"$l/dist/libdm/mm" -I"$l/dist/libdm/datastruct"
	    -I"$l/dist/libdm/ioctl" -I"$l/dist/include"
	    -I"$l/lib/libdevmapper" -I"$src/lib/libdm" -D__NetBSD__
	    -D__LIB_DEVMAPPER__ -DDM_DEVICE_UID=0 -DDM_DEVICE_GID=5
	    -DDM_DEVICE_MODE=0640 -DDM_CONTROL_DEVICE_MODE=0660
	    -DLVM_LOCKDIR_MODE=0770 -w)
	say "dmsetup and libdevmapper from $l"
	mkdir -p "$C/obj/lvm2"
	for f in datastruct/bitset datastruct/hash datastruct/list \
	    libdm-common libdm-file libdm-deptree libdm-string libdm-report \
	    mm/dbg_malloc mm/pool regex/matcher regex/parse_rx regex/ttree \
	    ioctl/libdm-nbsd-iface ioctl/libdm_netbsd; do
		o=$C/obj/lvm2/$(basename "$f").o
		ccl "$o" "$l/dist/libdm/$f.c" "${fl[@]}"
		lobjs+=("$o")
	done
	ccl "$C/obj/lvm2/dmsetup.o" "$l/dist/tools/dmsetup.c" "${fl[@]}"
	link dmsetup "$C/obj/lvm2/dmsetup.o" "${lobjs[@]}" "$@"
}

# server_start LIB: a fresh rump kernel with dm LIB and disks d0, d1.
# The server stays in the foreground (-s), in the background of this
# shell: a detached one points its console at /dev/null once it has
# booted, and its console is where the kernel log (the driver's
# "dm: ..." lines) and a panic's message go (server.log).
server_start() {
	local d i
	rm -rf "$work"
	mkdir -p "$work"
	RUMP_SERVER=unix://$work/rump.sock
	export RUMP_SERVER
	"$R/bin/rump_server" -s -l "$dest/lib/librumpvfs.so" \
	    -l "$dest/lib/librumpdev.so" -l "$dest/lib/librumpdev_disk.so" \
	    -l "$1" -l "$R/librumpdmtest.so" "$RUMP_SERVER" </dev/null \
	    >"$work/server.log" 2>&1 &
	server_pid=$!
	for i in $(seq 1 100); do
		[ -S "$work/rump.sock" ] && break
		kill -0 "$server_pid" 2>/dev/null ||
		    die "rump_server did not start: $(cat "$work/server.log")"
		[ "$i" = 100 ] && die "rump_server did not start in 10 s"
		sleep 0.1
	done
	for d in d0 d1; do
		dd if=/dev/zero of="$work/$d.img" bs=1M count=4 2>/dev/null
		"$R/bin/h_rumpio" disk "/dev/$d" "$work/$d.img"
	done
}

server_stop() {
	"$R/bin/h_rumpio" halt >/dev/null 2>&1 || true
	holds_wait
	wait "$server_pid" 2>/dev/null || true
}

# The @hold clients still running: waited for.
holds_wait() {
	local p
	for p in "${holds[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	holds=()
}

# The output of one command, an AddressSanitizer report reduced to a line:
# the error, where the access was, the first frame of the client's own
# code, where the memory was freed (the whole report stays in N.raw).
condense() {
	awk '/^==[0-9]+==ERROR: AddressSanitizer/ {
		err = $3; sub(/:$/, "", err); if ($2 == "ERROR:") err = $4
		asan = 1; stack = "access"; next }
	    asan && /^(READ|WRITE) of size/ { acc = $1; next }
	    asan && /^freed by/ { stack = "free"; next }
	    asan && /^previously allocated/ { stack = "alloc"; next }
	    asan && /^ *#[0-9]+ / {
		if ($0 ~ /interceptor/) next
		fn = $4; loc = $5; sub(/.*\//, "", loc)
		if (stack == "access" && at == "") at = fn " (" loc ")"
		if (stack == "access" && own == "" &&
		    $5 ~ /(lib\/libdm|sbin\/dmctl|lvm2)\//)
			own = fn " (" loc ")"
		if (stack == "free" && fr == "") fr = fn " (" loc ")"
		next }
	    asan && /ABORTING/ {
		printf "[ASan] %s: %s in %s", err, acc, at
		if (own != "" && own != at) printf ", called from %s", own
		if (fr != "") printf "; freed in %s", fr
		printf "\n"; asan = 0; next }
	    asan || /^=+$/ { next }
	    { print }'
}

# hold NAME SECONDS: dm device NAME open in the rump kernel meanwhile.
hold() {
	local minor
	minor=$(ASAN_OPTIONS=detect_leaks=0 "$C/bin/dmctl" info "$1" \
	    2>/dev/null | sed -n 's/^Device minor: *//p' | tr -d '\t ')
	"$R/bin/h_rumpio" node "/dev/dmhold$minor" b "$minor" || return 1
	"$R/bin/h_rumpio" hold "/dev/dmhold$minor" "$2" &
	holds+=("$!")
	sleep 0.5
}

# client ARGS...: the client of this scenario against this section's
# kernel, leaks not reported (the clients leak by design, exiting soon).
# lvm2 makes its nodes under DM_DEV_DIR, in the host's file system; the
# control node there reaches the rump kernel's (DM_RUMP_DEVDIR).
client() {
	ASAN_OPTIONS=detect_leaks=0 DM_DEV_DIR=$work/dev \
	    DM_RUMP_DEVDIR=$work/dev timeout 30 "$prog" "$@"
}

# The nodes lvm2 made: kind, major, minor and name of each.
nodes() {
	local f maj min
	find "$work/dev/mapper" -mindepth 1 | sort | while read -r f; do
		read -r maj min <<<"$(stat -c '%t %T' "$f")"
		printf '%s %d,%d %s\n' "$(stat -c %F "$f")" "0x$maj" "0x$min" \
		    "${f#"$work"/}"
	done
}

# scenario FILE LIB OUT: each command of FILE against dm LIB; OUT/N.cmd,
# OUT/N.rc, OUT/N.out, and OUT/N.klog, what the kernel logged meanwhile.
scenario() {
	local file=$1 lib=$2 out=$3 line n=0 args input a rc live=0 klog dead=
	local -a argv
	rm -rf "$out"
	mkdir -p "$out"
	while IFS= read -r line; do
		case $line in
		'' | '#'*) continue ;;
		@section*)
			[ $live = 1 ] && server_stop
			server_start "$lib"
			mkdir -p "$work/dev"
			live=1
			dead=
			continue
			;;
		@wait)
			holds_wait
			continue
			;;
		@hold*)
			read -ra argv <<<"${line#@hold }"
			hold "${argv[0]}" "${argv[1]}" || true
			continue
			;;
		esac
		n=$((n + 1))
		args=${line%% <<< *}
		input=
		[ "$args" != "$line" ] && input=${line#* <<< }
		read -ra argv <<<"$args"
		for a in "${!argv[@]}"; do
			[ "${argv[$a]}" = '""' ] && argv[a]=
		done
		printf '%s\n' "$line" >"$out/$n.cmd"
		if [ -n "$dead" ]; then
			echo "[not run: the rump kernel died at $dead]" \
			    >"$out/$n.out"
			echo - >"$out/$n.rc"
			continue
		fi
		rc=0
		klog=$(wc -c <"$work/server.log")
		if [ "$line" = @nodes ]; then
			nodes >"$out/$n.raw"
		elif [ -n "$input" ]; then
			printf '%b\n' "$input" |
			    client "${argv[@]}" >"$out/$n.raw" 2>&1 || rc=$?
		else
			client "${argv[@]}" </dev/null >"$out/$n.raw" 2>&1 ||
			    rc=$?
		fi
		condense <"$out/$n.raw" >"$out/$n.out"
		tail -c +$((klog + 1)) "$work/server.log" >"$out/$n.klog"
		if [ $rc != 0 ] &&
		    ! client version >/dev/null 2>&1 </dev/null; then
			printf '[rump kernel died: %s]\n' \
			    "$(grep -a -i -m 1 'panic' "$work/server.log" ||
			    echo 'no panic message, its process faulted')" \
			    >>"$out/$n.out"
			dead="command $n"
		fi
		echo "$rc" >"$out/$n.rc"
	done <"$file"
	[ $live = 1 ] && server_stop
	echo "$n" >"$out/count"
}

# judgements FILE: "N TEXT" for each "#=" line, N the command it follows.
judgements() {
	awk '(/^@/ && !/^@nodes$/) || /^$/ || (/^#/ && !/^#=/) { next }
	    /^#=/ { sub(/^#= ?/, ""); print n, $0; next }
	    { n++ }' "$1"
}

# A result in short: the exit status and the output, its first line only
# when it is longer than three.
brief() {
	local first lines
	first=$(head -n 1 "$1.out")
	lines=$(wc -l <"$1.out")
	printf 'exit %s%s\n' "$(cat "$1.rc")" "${first:+, $first}"
	if [ "$lines" -gt 3 ]; then
		printf '            (and %d more lines)\n' $((lines - 1))
	elif [ "$lines" -gt 1 ]; then
		sed '1d; s/^/            /' "$1.out"
	fi
}

# klogs CLIENT N: what each kernel logged during command N (shown, not
# compared: NetBSD's dm logs nothing).
klogs() {
	local w f
	for w in ours stock; do
		f=$C/$1-$w/$2.klog
		if [ -s "$f" ]; then
			tr -d '\000' <"$f" |
			    awk -v w="$w" '{ print "     kernel log (" w "): " $0 }'
		fi
	done
}

# report CLIENT SCENARIO: both drivers' results side by side.
report() {
	local client=$1 scn=$2 o=$C/$1-ours s=$C/$1-stock n i same=0 diff=0
	local unjudged=0 stale=0 judged asan_o asan_s gone_o gone_s j
	n=$(cat "$o/count")
	judgements "$scn" >"$C/$client.judge"
	printf '%s against ours and against stock: %s commands (%s)\n\n' \
	    "$client" "$n" "${scn#"$top"/}"
	for i in $(seq 1 "$n"); do
		printf '%3d  %s\n' "$i" "$(cat "$o/$i.cmd")"
		if cmp -s "$o/$i.out" "$s/$i.out" &&
		    cmp -s "$o/$i.rc" "$s/$i.rc"; then
			same=$((same + 1))
			printf '     both:  '
			brief "$o/$i"
			klogs "$client" "$i"
			if grep -q "^$i " "$C/$client.judge"; then
				stale=$((stale + 1))
				printf '     (a judgement on file expects a %s\n' \
				    'difference here: none now)'
			fi
			continue
		fi
		diff=$((diff + 1))
		printf '     DIFFERENT\n'
		printf '     ours:  exit %s\n' "$(cat "$o/$i.rc")"
		sed 's/^/            /' "$o/$i.out"
		printf '     stock: exit %s\n' "$(cat "$s/$i.rc")"
		sed 's/^/            /' "$s/$i.out"
		klogs "$client" "$i"
		j=$(sed -n "s/^$i //p" "$C/$client.judge")
		if [ -n "$j" ]; then
			printf '%s\n' "$j" | sed 's/^/     judgement: /'
		else
			unjudged=$((unjudged + 1))
			printf '     judgement: NONE (unjudged difference)\n'
		fi
	done
	judged=$(cut -d ' ' -f 1 "$C/$client.judge" | sort -u | wc -l)
	asan_o=$(cat "$o"/*.out | grep -c '^\[ASan\]' || true)
	asan_s=$(cat "$s"/*.out | grep -c '^\[ASan\]' || true)
	gone_o=$(cat "$o"/*.out | grep -c '^\[rump kernel died' || true)
	gone_s=$(cat "$s"/*.out | grep -c '^\[rump kernel died' || true)
	printf '\nsummary (%s): %s commands, %s identical, %s different' \
	    "$client" "$n" "$same" "$diff"
	printf ' (%s unjudged); judgements on file: %s (%s without a' \
	    "$unjudged" "$judged" "$stale"
	printf ' difference)\n'
	printf '  client memory errors (ASan): ours %s, stock %s\n' \
	    "$asan_o" "$asan_s"
	printf '  rump kernel deaths: ours %s, stock %s\n' "$gone_o" "$gone_s"
	echo "$unjudged" >"$C/$client.unjudged"
	echo "$asan_o" >"$C/$client.asan"
}

# suite CLIENT: CLIENT's scenario against ours and stock; its report.
suite() {
	local scn=$top/tests/rump/clients-$1.scn
	prog=$C/bin/$1
	say "NetBSD's $1 against our dm (target/rump/clients/$1-ours)"
	scenario "$scn" "$R/ours/librumpdev_dm.so" "$C/$1-ours"
	say "NetBSD's $1 against the tree's stock dm" \
	    "(target/rump/clients/$1-stock)"
	scenario "$scn" "$dest/lib/librumpdev_dm.so" "$C/$1-stock"
	report "$1" "$scn" >"$C/$1-report.txt"
}

cmd_run() {
	local out=$R/clients-report.txt c clients=dmctl
	[ -x "$C/bin/dmctl" ] || die "run build first"
	[ -f "$R/ours/librumpdev_dm.so" ] || die "run run.sh build first"
	work=$C/work
	[ -x "$C/bin/dmsetup" ] && clients="dmctl dmsetup"
	for c in $clients; do
		suite "$c"
	done
	{
		printf 'Real-client conformance: NetBSD clients built from %s\n' \
		    "$src"
		printf '(dmctl with lib/libdm; dmsetup with lvm2 libdevmapper'
		printf ' and NetBSD'"'"'s interface; proplib from %s;\n' \
		    "${NETBSDSRCDIR:-the rump tree}"
		printf 'AddressSanitizer on), against our dm and the tree'"'"'s'
		printf ' stock dm in a NetBSD rump kernel.\n'
		printf 'Each command: exit status and output from both, what'
		printf ' each kernel logged meanwhile;\neach difference with its'
		printf ' judgement (tests/rump/clients-*.scn).'
		printf '  Raw output: target/rump/clients/CLIENT-{ours,stock}/.\n\n'
		for c in $clients; do
			sed -n '/^summary/,$p' "$C/$c-report.txt"
		done
		[ -x "$C/bin/dmsetup" ] ||
		    printf '(dmsetup: not built, %s)\n' "$(cat "$C/lvm2.why")"
		for c in $clients; do
			printf '\n'
			cat "$C/$c-report.txt"
		done
	} >"$out"
	cat "$out"
	say "report: $out"
	# An unjudged difference fails the run, and so does a client memory
	# error against ours: no judgement excuses one.
	for c in $clients; do
		[ "$(cat "$C/$c.unjudged")" = 0 ] || return 1
		[ "$(cat "$C/$c.asan")" = 0 ] || return 1
	done
}

case "${1:-}" in
build)
	[ -n "${NETBSDSRCDIR:-}" ] || die "NETBSDSRCDIR must be set"
	cmd_build
	;;
run) cmd_run ;;
sources)
	have_sources
	;;
*)
	echo "usage: clients.sh build | run | sources" >&2
	exit 2
	;;
esac
