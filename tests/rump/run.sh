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
#   run.sh bench [FILE]
#                  the benchmark (tests/rump/dmbench.c), ours and stock in
#                  turns; its Markdown section to FILE (default
#                  target/rump/bench/section.md)

#   run.sh clients NetBSD's own dmctl(8) with libdm, and lvm2's dmsetup(8)
#                  with libdevmapper, built from the tree as rump clients,
#                  run a scenario each against ours and against stock;
#                  every difference judged (tests/rump/clients.sh,
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

# core_object ARCHIVE OBJ: what the glue calls from dm-core's archive,
# one object with every symbol but dm_core.h's entry points local, as
# build.sh makes it for a kernel.  Otherwise the archive's own globals
# win over the kernel's in the merge: compiler_builtins' weak log(), the
# libm logarithm, took the glue's calls to log(9).
core_object() {
	local s
	local -a u=() g=()
	for s in $(grep -oE '\bdm_core_[a-z_]+\(' "$top/sys/dev/dm/dm_core.h" |
	    tr -d '(' | sort -u); do
		u+=(-u "$s")
		g+=(-G "$s")
	done
	ld -r "${u[@]}" -o "$2.r" "$1"
	objcopy --strip-debug "${g[@]}" "$2.r" "$2"
	rm -f "$2.r"
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
	core_object "$R/rust/x86_64-unknown-none/release/libdm_core.a" \
	    "$o/obj/dm_core.o"
	component "$o/librumpdev_dm.so" "${objs[@]}" "$o/obj/dm_core.o"
	kcc "$o/obj" "$top/tests/rump/dmtest_component.c" "$o/obj/dmtest.o"
	component "$R/librumpdmtest.so" "$o/obj/dmtest.o"

	say "clients: h_rumpio, dmbench, dmctl with its rump transport"
	cc -O2 -Wall -Wextra -Werror -I"$dest/include" \
	    -o "$R/bin/h_rumpio" "$top/tests/rump/h_rumpio.c" \
	    -L"$dest/lib" -Wl,-rpath,"$dest/lib" -lrumpclient
	# A local rump kernel: librump in the process, the components
	# dlopen()ed before it boots.
	cc -O2 -Wall -Wextra -Werror -I"$dest/include" \
	    -o "$R/bin/dmbench" "$top/tests/rump/dmbench.c" \
	    -L"$dest/lib" -Wl,-rpath,"$dest/lib" -Wl,--no-as-needed \
	    -lrumpvfs -lrump -lrumpuser -lpthread -ldl
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

# ---- bench ----------------------------------------------------------------

# Long rounds per driver (the data path, and the control path with 1000
# and 5000 devices), requests per data-path load and path, control cycles
# per level of devices; short rounds per driver (the control path with
# one device).
BENCH_ROUNDS=${RUMP_BENCH_ROUNDS:-9}
BENCH_OPS=${RUMP_BENCH_OPS:-4096}
BENCH_CYCLES=${RUMP_BENCH_CYCLES:-100}
BENCH_LEVELS=1000,5000
BENCH_SHORT=${RUMP_BENCH_SHORT:-60}

# bench_round WHICH LIB ROUND LEVELS OPS: one dmbench process; its lines,
# prefixed with the round and the driver, to results.txt.  FILTER drops
# the lines a round is not for.
bench_round() {
	local b=$R/bench
	"$R/bin/dmbench" -c "$BENCH_CYCLES" -n "$4" -o "$5" \
	    "$b/disk.img" "$dest/lib/librumpdev.so" \
	    "$dest/lib/librumpdev_disk.so" "$2" "$R/librumpdmtest.so" \
	    >"$b/round.out" 2>"$b/round.err" ||
	    die "dmbench with $1 failed: $(tail -n 5 "$b/round.err")"
	awk -v r="$3" -v w="$1" -v skip="${FILTER:-}" \
	    'skip == "" || $1 != skip { print r, w, $0 }' "$b/round.out" \
	    >>"$b/results.txt"
}

# bench_pair ROUND LEVELS OPS: both drivers, ours first in odd rounds.
bench_pair() {
	local ours=$R/ours/librumpdev_dm.so stock=$dest/lib/librumpdev_dm.so
	if [ $(($1 % 2)) -eq 1 ]; then
		bench_round ours "$ours" "$@"
		bench_round stock "$stock" "$@"
	else
		bench_round stock "$stock" "$@"
		bench_round ours "$ours" "$@"
	fi
}

# bench_report < results.txt: the tables, with the goals the driver is held
# to and their verdicts.
bench_report() {
	awk '
	# The median of the numbers in string s; lo and hi their range.
	function med(s,   n, a, i, j, t) {
		n = split(s, a, " ")
		for (i = 2; i <= n; i++) {
			t = a[i] + 0
			for (j = i - 1; j >= 1 && a[j] + 0 > t; j--)
				a[j + 1] = a[j]
			a[j + 1] = t
		}
		lo = a[1] + 0
		hi = a[n] + 0
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	function add(k, v) { val[k] = (k in val) ? val[k] " " v : v }
	function cell(k, fmt,   m) {
		m = med(val[k])
		return sprintf(fmt " (" fmt "–" fmt ")", m, lo, hi)
	}
	# The first level'"'"'s reply sizes: "# reply bytes: create 488 ...".
	$3 == "#" && $4 == "reply" && !(($2, "seen") in rbytes) {
		rbytes[$2, "seen"] = 1
		for (i = 6; i < NF; i += 2) {
			if (!($i in rseen)) { rseen[$i] = 1; rorder[++nr] = $i }
			rbytes[$2, $i] = $(i + 1)
		}
	}
	$3 == "#" { next }
	$3 == "ctl" {
		key = $4 SUBSEP $5
		if (!(key in seen)) { seen[key] = 1; order[++nk] = key }
		if ($4 + 0 > maxn) maxn = $4 + 0
		add($2 SUBSEP key, $6)
	}
	$3 == "io" {
		if (!($4 in lseen)) { lseen[$4] = 1; lorder[++nl] = $4 }
		add($2 SUBSEP $4 SUBSEP $5, $6)
		io[$1, $2, $4, $5] = $6
		if ($5 == "direct")
			add($2 SUBSEP $4 SUBSEP "ratio",
			    io[$1, $2, $4, "dm"] / $6)
	}
	END {
		print "### Control path: µs per request\n"
		print "Median request time of each round; the median of " \
		    "the rounds (range).\n"
		print "| devices | request | ours | stock | ours/stock " \
		    "| goal | verdict |"
		print "|---:|---|---:|---:|---:|---|---|"
		for (i = 1; i <= nk; i++) {
			split(order[i], p, SUBSEP)
			o = cell("ours" SUBSEP order[i], "%.1f")
			om = med(val["ours" SUBSEP order[i]])
			olo = lo
			s = cell("stock" SUBSEP order[i], "%.1f")
			sm = med(val["stock" SUBSEP order[i]])
			shi = hi
			r = om / sm
			goal = ""
			v = ""
			if (p[2] == "version") {
				goal = "(baseline)"
			} else if (p[1] == 1) {
				goal = "≤ 1.0×"
				v = r <= 1 ? "met" : \
				    olo > shi ? "missed" : "not resolved"
			} else if (p[1] == maxn) {
				goal = "< 1.0×"
				v = r < 1 ? "met" : \
				    olo > shi ? "missed" : "not resolved"
			}
			printf "| %s | %s | %s | %s | %.2f | %s | %s |\n", \
			    p[1], p[2], o, s, r, goal, v
		}
		printf "\nReply sizes in bytes, ours/stock:"
		for (i = 1; i <= nr; i++)
			printf "%s %s %s/%s", (i > 1 ? "," : ""), rorder[i], \
			    rbytes["ours", rorder[i]], rbytes["stock", rorder[i]]
		print "."
		print "\n### Data path: through dm against the component " \
		    "directly\n"
		print "Raw nodes, queue depth 1; MiB/s (64 KiB) or IOPS " \
		    "(4 KiB) from the median request time of each round; " \
		    "the median of the rounds (range). dm/direct is taken " \
		    "in each round, from the requests that took turns.\n"
		print "| load | ours dm | ours direct | ours dm/direct " \
		    "| stock dm | stock direct | stock dm/direct " \
		    "| ours/stock | goal | verdict |"
		print "|---|---:|---:|---:|---:|---:|---:|---:|---|---|"
		name["seqread64k"] = "sequential read 64 KiB, MiB/s"
		name["seqwrite64k"] = "sequential write 64 KiB, MiB/s"
		name["randread4k"] = "random read 4 KiB, IOPS"
		name["randwrite4k"] = "random write 4 KiB, IOPS"
		for (i = 1; i <= nl; i++) {
			l = lorder[i]
			printf "| %s | %s | %s | %s", name[l], \
			    cell("ours" SUBSEP l SUBSEP "dm", "%.0f"), \
			    cell("ours" SUBSEP l SUBSEP "direct", "%.0f"), \
			    cell("ours" SUBSEP l SUBSEP "ratio", "%.3f")
			om = med(val["ours" SUBSEP l SUBSEP "ratio"])
			ohi = hi
			printf " | %s | %s | %s", \
			    cell("stock" SUBSEP l SUBSEP "dm", "%.0f"), \
			    cell("stock" SUBSEP l SUBSEP "direct", "%.0f"), \
			    cell("stock" SUBSEP l SUBSEP "ratio", "%.3f")
			sm = med(val["stock" SUBSEP l SUBSEP "ratio"])
			slo = lo
			v = om >= slo ? "met" : \
			    ohi < slo ? "missed" : "not resolved"
			printf " | %.3f | ≥ stock | %s |\n", om / sm, v
		}
	}'
}

# The section's prose: how the figures are made and judged.
bench_method() {
	cat <<'EOF'
`tests/rump/dmbench.c` boots the rump kernel inside its own process
(librump, the components loaded before it boots as `rump_server` loads
them), with our `librumpdev_dm.so` or the tree's, and nothing else
differs: a control request is one `ioctl` on `/dev/mapper/control`, a
data request one `pread`/`pwrite` on a raw node, each a system call
into the kernel of the same process. Through `rump_server` and
librumpclient every call would add socket round trips that cost more
than the driver's work, and their noise. One process per round and
driver, the drivers in turns (ours first in odd rounds, stock first in
even ones). The machine's speed changes from one process to the next
(other tenants, CPU clocks) by more than the drivers differ, so the
one-device rows come from many short rounds (a process of about 0.1 s
each: boot, then the cycles), each pair of processes run back to back;
the long rounds make the rest. The component is a 65 MiB file in tmpfs, registered with
etfs as block device `/dev/dmbk` (what the lines name: `/dev/dmbk 2048`,
an offset both drivers accept) and as raw device `/dev/rdmbk`. Times are
medians (per request within a round, then over the rounds): other
tenants of this machine take its CPUs in bursts, which hit single
requests.

- Control path: with N devices present (each with a linear line,
  resumed; the first is the data-path device), devices go through
  `create`, `reload` (one linear line), `resume`, `info` and `remove` in
  turn, each request timed alone; a `version` request after each cycle
  shows what every request costs before the driver does anything with
  it (copy-in and parsing of the plist, the reply and its mapping into
  the caller, which in a rump kernel is an mmap(2) of the host).
  Most of a request's time is proplib's (parsing, building and
  printing the dictionaries, each step under its locks), the same code
  for both drivers; the replies differ where the drivers answer
  differently: ours' `info` also carries `event_nr`, which lvm2 reads
  (NetBSD's libdm hands back an uninitialised number without it).
- Data path: sequential 64 KiB and random 4 KiB requests at queue depth
  1, through the dm device's raw node (one line: `/dev/dmbk` from 1 MiB
  on) and through `/dev/rdmbk` over the same span, in turns of 16
  requests, at the same offsets.

Verdicts: met when the median meets the goal; missed when it does not
and the ranges of the two drivers' rounds do not overlap; not resolved
when it does not but they overlap. Data path: the goal is ours'
dm/direct at least stock's within the measured spread, met when ours'
median is at or above the lowest of stock's rounds.

EOF
}

# The tree's release, from __NetBSD_Version__ (MMmmrrrr00).
netbsd_version() {
	local v
	v=$(awk '$1 == "#define" && $2 == "__NetBSD_Version__" { print $3 }' \
	    "$NETBSDSRCDIR/sys/sys/param.h")
	printf '%d.%d.%d' $((v / 100000000)) $((v / 1000000 % 100)) \
	    $((v / 100 % 10000))
}

cmd_bench() {
	if [ ! -x "$R/bin/dmbench" ] || [ ! -f "$R/ours/librumpdev_dm.so" ]; then
		die "run build first"
	fi
	local b=$R/bench i start disk shm=""
	local out=${1:-$b/section.md}
	mkdir -p "$b"
	: >"$b/results.txt"
	# The component in memory where there is a tmpfs: the host's disk
	# stays out of the figures.
	disk=$b/disk.img
	if [ -d /dev/shm ] && [ -w /dev/shm ]; then
		shm=$(mktemp -d /dev/shm/dmbench.XXXXXX)
		disk=$shm/disk.img
	fi
	rm -f "$b/disk.img"
	truncate -s 65M "$disk"
	[ "$disk" = "$b/disk.img" ] || ln -s "$disk" "$b/disk.img"
	start=$(date +%s)
	say "$BENCH_SHORT short rounds: the control path with one device"
	for i in $(seq 1 "$BENCH_SHORT"); do
		FILTER=io bench_pair "$i" 1 16
	done
	for i in $(seq 1 "$BENCH_ROUNDS"); do
		say "round $i of $BENCH_ROUNDS"
		bench_pair "$i" "$BENCH_LEVELS" "$BENCH_OPS"
	done
	rm -f "$b/disk.img"
	[ -z "$shm" ] || rm -rf "$shm"
	# shellcheck disable=SC2016 # Markdown's backquotes
	{
		printf '## Rump kernel: ours against stock dm(4)\n\n'
		printf 'Written by `./build.sh rumpbench` on %s; %s short ' \
		    "$(date -u +%F)" "$BENCH_SHORT"
		printf 'and %s long rounds per driver in %s s; every figure in ' \
		    "$BENCH_ROUNDS" \
		    "$(($(date +%s) - start))"
		printf 'target/rump/bench/results.txt. NetBSD %s rump kernel ' \
		    "$(netbsd_version)"
		printf '(`DIAGNOSTIC`); load average at the end %s.\n\n' \
		    "$(cut -d' ' -f1-3 /proc/loadavg)"
		bench_method
		bench_report <"$b/results.txt"
		printf '\nCommand: `NETBSDSRCDIR=... BUILDRUMPSH=... '
		printf './build.sh rumpbench` (`tests/rump/run.sh build`, '
		printf 'then `tests/rump/run.sh bench`; `RUMP_BENCH_SHORT` and '
		printf '`RUMP_BENCH_ROUNDS` set the rounds).\n\n'
	} >"$out"
	say "wrote $out"
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
bench) cmd_bench "${2:-}" ;;
clients) cmd_clients ;;
*)
	echo "usage: run.sh build | atf | bench [FILE] | clients" >&2
	exit 2
	;;
esac
