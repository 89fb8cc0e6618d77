#!/usr/bin/env bash
#
# The rump tier: dm(4) in a rump kernel built from a NetBSD tree (NetBSD's
# own kernel code in a userspace process, DIAGNOSTIC on), in place of the
# tree's stock dm, with the stock one beside it.  ./build.sh rump runs it.
#
#   run.sh build   the rump kernel (once; target/rump), our driver as a
#                  rump component (target/rump/ours/librumpdev_dm.so), the
#                  test component and the clients (target/rump/bin)
#   run.sh atf     the ATF suite (tests/dev/dm) in rump mode against ours
#                  and against stock; a report of both, case by case
#   run.sh clients NetBSD's own dmctl(8) and libdm, built from the tree as
#                  rump clients, run a scenario against ours and against
#                  stock; every difference judged (tests/rump/clients.sh,
#                  target/rump/clients-report.txt).  Skipped when no tree
#                  has their sources
#
# NETBSDSRCDIR names a NetBSD tree with sys/rump, BUILDRUMPSH a
# buildrump.sh checkout, NETBSDCLIENTSRC (default NETBSDSRCDIR) a NetBSD
# tree with sbin/dmctl and lib/libdm.  amd64 hosts only (the tree's amd64
# headers).
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
R=$top/target/rump
obj=$R/obj
dest=$R/dest
rumpmake=$obj/tooldir/rumpmake

say() {
	printf '==> %s\n' "$*"
}

die() {
	printf 'rump: %s\n' "$*" >&2
	exit 1
}

# The rump kernel, with buildrump.sh's fullbuild; again only when the tree
# or buildrump.sh changes place.
kernel() {
	local stamp=$R/kernel.stamp want
	want="$NETBSDSRCDIR $BUILDRUMPSH"
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
	    [ -x "$dest/bin/rump_server" ]; then
		return
	fi
	rm -f "$stamp"
	mkdir -p "$R"
	say "rump kernel with buildrump.sh (about 5 minutes on 2 cores;" \
	    "log: $R/buildrump.log)"
	if ! (cd "$R" && HOST_CFLAGS="-O -fcommon" \
	    "$BUILDRUMPSH/buildrump.sh" -s "$NETBSDSRCDIR" -o "$obj" \
	    -d "$dest" -T "$obj/tooldir" -j "${RUMP_JOBS:-2}" \
	    -V NOGCCERROR=1 -F CFLAGS=-fcommon fullbuild) \
	    >"$R/buildrump.log" 2>&1; then
		tail -n 30 "$R/buildrump.log" >&2
		die "buildrump.sh failed (log: $R/buildrump.log)"
	fi
	echo "$want" >"$stamp"
}

# kcc DIR SRC OBJ: compiles kernel C as the tree compiles its rump dm
# (sys/rump/dev/lib/libdm): its COMPILE.c and PICFLAGS, its headers.  DIR
# holds the machine/ and x86/ links its "-I." expects.  The tree's
# <sys/conf.h> casts enodev to every devsw type (nostop, nommap...), which
# newer gcc warns about on every use.
kcc() {
	local cc
	# shellcheck disable=SC2016 # make's variables, for rumpmake
	cc=$(cd "$NETBSDSRCDIR/sys/rump/dev/lib/libdm" &&
	    "$rumpmake" -V '${COMPILE.c} ${PICFLAGS}')
	# shellcheck disable=SC2086 # the tree's flags, word by word
	(cd "$1" && $cc -Wno-cast-function-type -I"$top/sys/dev/dm" "$2" \
	    -o "$3")
}

# component NAME OBJ...: one relocatable object, every global symbol
# renamed into the rump kernel's namespace by the tree's own rule
# (Makefile.rump's rump_symren), then a shared object to load.
component() {
	local name=$1 dir
	shift
	dir=$(dirname "$name")
	ld -r -o "$dir/merged.o" "$@"
	(cd "$dir" && "$rumpmake" -f "$NETBSDSRCDIR/sys/rump/Makefile.rump" \
	    rump_symren RUMP_SYMREN=merged.o >/dev/null)
	# A SysV hash: the rump kernel's loader counts a library's symbols
	# with it (with a GNU hash it sees none in one that exports none).
	cc -shared -Wl,--hash-style=sysv -o "$name" "$dir/merged.o"
	rm -f "$dir/merged.o"
}

cmd_build() {
	[ "$(uname -m)" = x86_64 ] || die "amd64 hosts only"
	kernel
	local o=$R/ours k f objs=()
	mkdir -p "$o/obj" "$R/bin"
	for k in amd64:machine x86:x86; do
		ln -sfn "$NETBSDSRCDIR/sys/arch/${k%%:*}/include" "$o/obj/${k#*:}"
	done
	say "the glue, with the tree's kernel flags and headers"
	for f in "$top"/sys/dev/dm/*.c \
	    "$top/sys/rump/dev/lib/libdm/dm_component.c"; do
		kcc "$o/obj" "$f" "$o/obj/$(basename "$f" .c).o"
		objs+=("$o/obj/$(basename "$f" .c).o")
	done
	say "dm-core for x86_64-unknown-none, position-independent, its" \
	    "proplib bindings from the tree's headers"
	(cd "$top" && BINDGEN_EXTRA_CLANG_ARGS="-I$o/obj" RUSTC_BOOTSTRAP=1 \
	    RUSTFLAGS="-C code-model=small -C relocation-model=pic" \
	    cargo build -q --release -p dm-core --target x86_64-unknown-none \
	    -Zbuild-std=core,alloc --target-dir "$R/rust")
	say "librumpdev_dm.so: glue and dm-core, in the rump namespace"
	component "$o/librumpdev_dm.so" "${objs[@]}" \
	    "$R/rust/x86_64-unknown-none/release/libdm_core.a"
	kcc "$o/obj" "$top/tests/rump/dmtest_component.c" "$o/obj/dmtest.o"
	component "$R/librumpdmtest.so" "$o/obj/dmtest.o"

	say "clients: h_rumpio, dmctl with its rump transport"
	cc -O2 -Wall -Wextra -Werror -I"$dest/include" \
	    -o "$R/bin/h_rumpio" "$top/tests/rump/h_rumpio.c" \
	    -L"$dest/lib" -Wl,-rpath,"$dest/lib" -lrumpclient
	(cd "$top" && RUSTFLAGS="-L $dest/lib -C link-arg=-Wl,-rpath,$dest/lib" \
	    cargo build -q --release -p dmctl --features rump \
	    --target-dir "$R/rust-host")
	cp "$R/rust-host/release/dmctl" "$R/bin/dmctl"
	# The kernel's console is the server's stdout: unbuffered, so a
	# panic's message is not lost with the process.
	cat >"$R/bin/rump_server" <<EOF
#!/bin/sh
RUMP_VERBOSE=1 LD_LIBRARY_PATH=$dest/lib \\
    exec stdbuf -o0 $dest/bin/rump_server "\$@"
EOF
	chmod +x "$R/bin/rump_server"
}

# The components a server loads, in order, with the dm one given.
server_libs() {
	local l
	for l in rumpvfs rumpdev rumpdev_disk; do
		printf '%s ' "$dest/lib/lib$l.so"
	done
	printf '%s %s\n' "$1" "$R/librumpdmtest.so"
}

# atf_run WHICH LIB: the suite against one driver, in target/rump/atf-WHICH.
atf_run() {
	local root=$R/atf-$1
	rm -rf "$root"
	mkdir -p "$root"
	cp "$top/tests/dev/dm/t_dm.sh" "$root/t_dm"
	chmod +x "$root/t_dm"
	cp "$top/tests/dev/dm/h_dm.sh" "$top/tests/dev/dm/Kyuafile" "$root/"
	(cd "$root" && kyua -v "test_suites.NetBSD.dm_rumpbin=$R/bin" \
	    -v "test_suites.NetBSD.dm_rumplibs=$(server_libs "$2")" \
	    test -k Kyuafile -r results.db) \
	    >"$root/kyua.log" 2>&1 || true
	(cd "$root" && kyua report -r results.db --verbose \
	    --results-filter=broken,failed) >"$root/report.txt" 2>&1 || true
}

# The result of each case in a kyua log: "case result".
results() {
	sed -n 's/^t_dm:\([^ ]*\)  ->  \([a-z]*\).*/\1 \2/p' "$1"
}

cmd_atf() {
	[ -f "$R/ours/librumpdev_dm.so" ] || die "run build first"
	say "ATF suite in rump mode, our dm (target/rump/atf-ours)"
	atf_run ours "$R/ours/librumpdev_dm.so"
	say "ATF suite in rump mode, the tree's stock dm (target/rump/atf-stock)"
	atf_run stock "$dest/lib/librumpdev_dm.so"
	results "$R/atf-ours/kyua.log" | sort >"$R/ours.res"
	results "$R/atf-stock/kyua.log" | sort >"$R/stock.res"
	printf '\n%-24s %-10s %s\n' case ours stock
	join -a 1 -a 2 -e - -o 0,1.2,2.2 "$R/ours.res" "$R/stock.res" |
	    awk '{ printf "%-24s %-10s %s\n", $1, $2, $3 }'
	printf '%-24s %-10s %s\n' passed \
	    "$(grep -c ' passed$' "$R/ours.res" || true)/$(wc -l <"$R/ours.res")" \
	    "$(grep -c ' passed$' "$R/stock.res" || true)/$(wc -l <"$R/stock.res")"
	! grep -qv ' passed$' "$R/ours.res"
}

cmd_clients() {
	local c=$top/tests/rump/clients.sh
	if ! bash "$c" sources; then
		say "real clients: skipped (NETBSDCLIENTSRC, a NetBSD tree with" \
		    "sbin/dmctl and lib/libdm, is not set)"
		return 0
	fi
	bash "$c" build && bash "$c" run
}

if [ -z "${NETBSDSRCDIR:-}" ] || [ -z "${BUILDRUMPSH:-}" ]; then
	die "NETBSDSRCDIR and BUILDRUMPSH must be set"
fi
case "${1:-}" in
build) cmd_build ;;
atf) cmd_atf ;;
clients) cmd_clients ;;
*)
	echo "usage: run.sh build | atf | clients" >&2
	exit 2
	;;
esac
