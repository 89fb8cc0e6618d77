#!/usr/bin/env bash
#
# The real-client conformance suite of the rump tier: NetBSD's own dm
# clients, built from a NetBSD tree as clients of a rump kernel, run a
# scenario against our driver and against the tree's stock dm; every
# command's result from both is listed, and every difference with its
# judgement (target/rump/clients-report.txt).  run.sh clients runs it.
#
#   clients.sh build   dmctl(8) from the tree's sbin/dmctl and lib/libdm,
#                      with the tree's proplib, for this host, its control
#                      node routed to the rump kernel (compat/rumpshim.c);
#                      built with AddressSanitizer, so that a client that
#                      touches freed memory says so
#   clients.sh run     the scenarios; the report
#
# NETBSDCLIENTSRC names a NetBSD tree with sbin/dmctl and lib/libdm
# (NetBSD's full source; the rump tree NETBSDSRCDIR names lacks them);
# default NETBSDSRCDIR.  The tree's proplib is NETBSDSRCDIR's.  Nothing
# built from the trees leaves target/rump/clients.
#
# A scenario (tests/rump/clients-dmctl.scn) is a line per command: the
# client's arguments, "" for an empty one; after " <<< " the text given on
# standard input, \n separating lines.  "@section NAME" starts a fresh
# rump kernel with disks d0, d1 (4 MiB each, /dev/d0 and /dev/d1);
# "@hold NAME SECONDS" keeps dm device NAME open in the background, "@wait"
# waits until it is closed.  A
# line "#= TEXT" after a command is the judgement of the difference that
# command shows between the drivers.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
R=$top/target/rump
C=$R/clients
compat=$top/tests/rump/compat
dest=$R/dest
src=${NETBSDCLIENTSRC:-${NETBSDSRCDIR:-}}

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
	cc -fsanitize=address -o "$C/bin/dmctl" "$C/obj/dmctl.o" \
	    "$C/obj/libdm_ioctl.o" "${objs[@]}" \
	    -Wl,--wrap=open,--wrap=close,--wrap=ioctl \
	    -L"$dest/lib" -Wl,-rpath,"$dest/lib" -lrumpclient
}

# server_start LIB: a fresh rump kernel with dm LIB and disks d0, d1.
server_start() {
	local d
	rm -rf "$work"
	mkdir -p "$work"
	RUMP_SERVER=unix://$work/rump.sock
	export RUMP_SERVER
	"$R/bin/rump_server" -l "$dest/lib/librumpvfs.so" \
	    -l "$dest/lib/librumpdev.so" -l "$dest/lib/librumpdev_disk.so" \
	    -l "$1" -l "$R/librumpdmtest.so" "$RUMP_SERVER" </dev/null \
	    >"$work/server.log" 2>&1 || die "rump_server did not start"
	for d in d0 d1; do
		dd if=/dev/zero of="$work/$d.img" bs=1M count=4 2>/dev/null
		"$R/bin/h_rumpio" disk "/dev/$d" "$work/$d.img"
	done
}

server_stop() {
	"$R/bin/h_rumpio" halt >/dev/null 2>&1 || true
	wait 2>/dev/null || true
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
	minor=$("$C/bin/dmctl" info "$1" 2>/dev/null |
	    sed -n 's/^Device minor: *//p' | tr -d '\t ')
	"$R/bin/h_rumpio" node "/dev/dmhold$minor" b "$minor" &&
	    { "$R/bin/h_rumpio" hold "/dev/dmhold$minor" "$2" & } &&
	    sleep 0.5
}

# scenario FILE LIB OUT: each command of FILE against dm LIB; OUT/N.cmd,
# OUT/N.rc, OUT/N.out.
scenario() {
	local file=$1 lib=$2 out=$3 line n=0 args input a rc live=0 dead=
	local -a argv
	rm -rf "$out"
	mkdir -p "$out"
	while IFS= read -r line; do
		case $line in
		'' | '#'*) continue ;;
		@section*)
			[ $live = 1 ] && server_stop
			server_start "$lib"
			live=1
			dead=
			continue
			;;
		@wait)
			wait
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
		if [ -n "$input" ]; then
			printf '%b\n' "$input" |
			    ASAN_OPTIONS=detect_leaks=0 timeout 30 \
			    "$C/bin/dmctl" "${argv[@]}" >"$out/$n.raw" 2>&1 ||
			    rc=$?
		else
			ASAN_OPTIONS=detect_leaks=0 timeout 30 \
			    "$C/bin/dmctl" "${argv[@]}" </dev/null \
			    >"$out/$n.raw" 2>&1 || rc=$?
		fi
		condense <"$out/$n.raw" >"$out/$n.out"
		if [ $rc != 0 ] && ! ASAN_OPTIONS=detect_leaks=0 \
		    "$C/bin/dmctl" version >/dev/null 2>&1; then
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
	awk '/^@/ || /^$/ || (/^#/ && !/^#=/) { next }
	    /^#=/ { sub(/^#= ?/, ""); print n, $0; next }
	    { n++ }' "$1"
}

# A result in one line: the exit status and the first line of output.
brief() {
	local first
	first=$(head -n 1 "$1.out")
	printf 'exit %s%s' "$(cat "$1.rc")" "${first:+, $first}"
}

# report CLIENT SCENARIO: both drivers' results side by side.
report() {
	local client=$1 scn=$2 o=$C/$1-ours s=$C/$1-stock n i same=0 diff=0
	local unjudged=0 judged asan_o asan_s gone_o gone_s j
	n=$(cat "$o/count")
	judgements "$scn" >"$C/$client.judge"
	printf '%s against ours and against stock: %s commands (%s)\n\n' \
	    "$client" "$n" "${scn#"$top"/}"
	for i in $(seq 1 "$n"); do
		printf '%3d  %s\n' "$i" "$(cat "$o/$i.cmd")"
		if cmp -s "$o/$i.out" "$s/$i.out" &&
		    cmp -s "$o/$i.rc" "$s/$i.rc"; then
			same=$((same + 1))
			printf '     both:  %s\n' "$(brief "$o/$i")"
			grep -q "^$i " "$C/$client.judge" &&
			    printf '     (a judgement on file expects a %s\n' \
			    'difference here: none now)'
			continue
		fi
		diff=$((diff + 1))
		printf '     DIFFERENT\n'
		printf '     ours:  exit %s\n' "$(cat "$o/$i.rc")"
		sed 's/^/            /' "$o/$i.out"
		printf '     stock: exit %s\n' "$(cat "$s/$i.rc")"
		sed 's/^/            /' "$s/$i.out"
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
	printf ' (%s unjudged); judgements on file: %s\n' "$unjudged" "$judged"
	printf '  client memory errors (ASan): ours %s, stock %s\n' \
	    "$asan_o" "$asan_s"
	printf '  rump kernel deaths: ours %s, stock %s\n' "$gone_o" "$gone_s"
	echo "$unjudged" >"$C/$client.unjudged"
}

cmd_run() {
	local scn=$top/tests/rump/clients-dmctl.scn out=$R/clients-report.txt
	[ -x "$C/bin/dmctl" ] || die "run build first"
	[ -f "$R/ours/librumpdev_dm.so" ] || die "run run.sh build first"
	work=$C/work
	say "NetBSD's dmctl against our dm (target/rump/clients/dmctl-ours)"
	scenario "$scn" "$R/ours/librumpdev_dm.so" "$C/dmctl-ours"
	say "NetBSD's dmctl against the tree's stock dm" \
	    "(target/rump/clients/dmctl-stock)"
	scenario "$scn" "$dest/lib/librumpdev_dm.so" "$C/dmctl-stock"
	report dmctl "$scn" >"$out"
	cat "$out"
	say "report: $out"
	[ "$(cat "$C/dmctl.unjudged")" = 0 ]
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
