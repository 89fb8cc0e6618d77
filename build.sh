#!/usr/bin/env bash
#
# The one entry point of the dm project.  Run "./build.sh help".
#
set -eu

top=$(cd "$(dirname "$0")" && pwd)
cd "$top"

# Debian packages the project needs: clang/libclang for bindgen, kyua and
# atf-sh for the ATF suite, qemu-utils and libnbd-bin for real NBD clients,
# valgrind for leak checks, mandoc for manual pages, shellcheck for scripts.
APT_PACKAGES="build-essential clang libclang-dev kyua atf-sh qemu-utils \
libnbd-bin valgrind mandoc shellcheck binutils-aarch64-linux-gnu"

say() {
	printf '==> %s\n' "$*"
}

die() {
	printf 'build.sh: %s\n' "$*" >&2
	exit 1
}

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		die "need root to run: $*"
	fi
}

# apt_need PKG...: installs the Debian packages not yet installed.
apt_need() {
	local missing="" p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		    grep -q 'install ok installed' || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		say "installing Debian packages:$missing"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
		    >/dev/null
		# shellcheck disable=SC2086
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		    $missing >/dev/null
	fi
}

cmd_deps() {
	# shellcheck disable=SC2086
	apt_need $APT_PACKAGES
	command -v cargo >/dev/null 2>&1 ||
	    die "cargo not found: install Rust with rustup first"
	# rust-toolchain.toml names the toolchain; this fetches it if absent.
	rustup show active-toolchain >/dev/null
	# The kernel targets, and rust-src for rebuilding core/alloc
	# GOT-free for a loadable module (see cmd_kernel).
	local t
	for t in x86_64-unknown-none aarch64-unknown-none-softfloat; do
		rustup target list --installed | grep -qx "$t" ||
		    rustup target add "$t" >/dev/null
	done
	rustup component list --installed | grep -q '^rust-src' ||
	    rustup component add rust-src >/dev/null
	# cargo-fuzz drives libFuzzer; it runs on this stable toolchain with
	# RUSTC_BOOTSTRAP=1 (sanitizer flags), so no nightly is needed.
	command -v cargo-fuzz >/dev/null 2>&1 ||
	    cargo install -q --locked cargo-fuzz
}

# ---- fuzz -------------------------------------------------------------------

FUZZ_TARGETS="prop_internalize dm_commands table_lines"

# fuzz_run SECONDS [SCRATCH]: every target for SECONDS, from and into its
# corpus (fuzz/corpus/TARGET, committed); with SCRATCH, the inputs found
# go to a directory under it instead, leaving the committed corpus as it
# is. A crash fails with its input saved in fuzz/artifacts.
fuzz_run() {
	local t leaks dirs
	for t in $FUZZ_TARGETS; do
		mkdir -p "fuzz/corpus/$t"
		dirs=("corpus/$t")
		if [ -n "${2:-}" ]; then
			mkdir -p "$2/$t"
			dirs=("$2/$t" "corpus/$t")
		fi
		# dm_commands's inputs do not balance mallocs and frees one by
		# one, so libFuzzer would run LeakSanitizer after nearly every
		# input (14x slower); leaks are still checked at exit.
		leaks=1
		[ "$t" = dm_commands ] && leaks=0
		# libFuzzer adds what it finds to the first directory.
		(cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run -O "$t" "${dirs[@]}" \
		    -- -max_total_time="$1" -rss_limit_mb=4096 \
		    -detect_leaks="$leaks" 2>&1) |
		    grep -E '^(Done|INFO: seed corpus|SUMMARY)|^thread|panicked' |
		    sed "s/^/$t: /"
		[ "${PIPESTATUS[0]}" -eq 0 ] || return 1
	done
}

# fuzz_smoke SECONDS: fuzz_run from the committed corpus, which a test
# run leaves untouched.
fuzz_smoke() {
	local scratch rv=0
	scratch=$(mktemp -d)
	fuzz_run "$1" "$scratch" || rv=1
	rm -rf "$scratch"
	return "$rv"
}

cmd_fuzz() {
	cmd_deps
	fuzz_run "${1:-300}"
}

# ---- kernel -----------------------------------------------------------------

KDIR=target/kernel

# dm-core's entry points: the functions dm_core.h declares.
core_entries() {
	grep -oE '\bdm_core_[a-z_]+\(' sys/dev/dm/dm_core.h | tr -d '(' |
	    sort -u
}

# dm-core for the NetBSD kernel.  amd64: core and alloc rebuilt with
# static relocations and PLT calls, because NetBSD's amd64 module loader
# rejects the GOTPCREL relocations of the prebuilt ones; frame pointers
# for ddb backtraces; no debugging information (a module loader loads it
# as data).  aarch64: the prebuilt soft-float target.  dm-prop's bindings
# come from NETBSDSRCDIR's proplib headers for the MACHINE built there
# (amd64 unless told), from this repository's for the other.
kernel_archives() {
	(
		[ "${MACHINE:-amd64}" = amd64 ] || unset NETBSDSRCDIR
		CARGO_PROFILE_RELEASE_DEBUG=0 RUSTC_BOOTSTRAP=1 \
		    RUSTFLAGS="-C relocation-model=static -Z plt=yes \
-C force-frame-pointers=yes" cargo build -q --release -p dm-core \
		    --target x86_64-unknown-none -Zbuild-std=core,alloc \
		    --target-dir "$KDIR"
	) && (
		[ "${MACHINE:-amd64}" = evbarm64 ] || unset NETBSDSRCDIR
		CARGO_PROFILE_RELEASE_DEBUG=0 \
		    RUSTFLAGS="-C force-frame-pointers=yes" cargo build -q \
		    --release -p dm-core --target aarch64-unknown-none-softfloat \
		    --target-dir "$KDIR"
	)
}

# kernel_object ARCH LD OBJCOPY: KDIR/ARCH/dm_core.o, the object a module
# or kernel links: what the glue calls from the archive (ld -r on
# dm_core.h's entry points; config(1) takes objects, not archives), each
# kind of section merged into one, every symbol but the entry points
# local, without debugging information or unwind tables.
kernel_object() {
	local arch=$1 ld=$2 objcopy=$3 s u="" g=""
	for s in $(core_entries); do
		u="$u -u $s"
		g="$g -G $s"
	done
	printf '%s\n' 'SECTIONS' '{' \
	    '	.text : { *(.text .text.*) }' \
	    '	.rodata : { *(.rodata .rodata.*) }' \
	    '	.data : { *(.data .data.*) }' \
	    '	.bss : { *(.bss .bss.*) *(COMMON) }' '}' >"$KDIR/merge.ld"
	# shellcheck disable=SC2086 # one option per word
	"$ld" -r -T "$KDIR/merge.ld" $u -o "$KDIR/$arch/dm_core.r.o" \
	    "$KDIR/$arch/release/libdm_core.a" &&
	    "$objcopy" --strip-debug -R .eh_frame -R .llvmbc -R .llvmcmd \
		-R .comment $g "$KDIR/$arch/dm_core.r.o" "$KDIR/$arch/dm_core.o"
}

# kernel_check ARCH OBJDUMP READELF FPREGEX: checks KDIR/ARCH/dm_core.o:
# no FPU/SIMD instructions, no GOTPCREL, no unwinder, no debugging
# information, undefined symbols only from the glue (dmk_*) and proplib
# (prop_*), and no global symbol but dm_core.h's entry points.
kernel_check() {
	local arch=$1 objdump=$2 readelf=$3 fp=$4 o n s
	o=$KDIR/$arch/dm_core.o
	n=$("$objdump" -d --no-show-raw-insn "$o" | grep -E '^ +[0-9a-f]+:' |
	    sed 's/^[^:]*:[[:space:]]*//' | grep -cE "$fp" || true)
	echo "$arch: $n FPU/SIMD instructions"
	[ "$n" -eq 0 ] || return 1
	n=$("$readelf" -rW "$o" | grep -c GOTPCREL || true)
	echo "$arch: $n GOTPCREL relocations"
	[ "$n" -eq 0 ] || return 1
	n=$("$readelf" -sW "$o" | grep -cE '_Unwind_|rust_eh_personality' ||
	    true)
	echo "$arch: $n unwinder symbols"
	[ "$n" -eq 0 ] || return 1
	n=$("$readelf" -SW "$o" | grep -cE '\] \.(debug_|eh_frame)' || true)
	echo "$arch: $n debugging or unwind sections"
	[ "$n" -eq 0 ] || return 1
	s=$("$readelf" -sW "$o" | awk '$7 == "UND" && $8 != "" { print $8 }' |
	    grep -vE '^(dmk_[a-z_]+|prop_[a-z_0-9]+)$' || true)
	if [ -n "$s" ]; then
		echo "$arch: undefined symbols outside the allow-list: $s"
		return 1
	fi
	echo "$arch: undefined symbols: dmk_* and prop_* only"
	s=$("$readelf" -sW "$o" | awk '$1 ~ /^[0-9]+:$/ && $7 != "UND" && $5 != "LOCAL" &&
	    $8 != "" { print $8 }' | sort | comm -3 - <(core_entries))
	if [ -n "$s" ]; then
		echo "$arch: global symbols other than the entry points: $s"
		return 1
	fi
	echo "$arch: global symbols: the $(core_entries | wc -l) entry points"
}

kernel_checks() {
	kernel_archives || return 1
	kernel_object x86_64-unknown-none ld objcopy &&
	    kernel_check x86_64-unknown-none objdump readelf \
	    '%[xyz]mm|%st\b|%st\(|fxsave|fxrstor|ldmxcsr|stmxcsr' &&
	    kernel_object aarch64-unknown-none-softfloat aarch64-linux-gnu-ld \
	    aarch64-linux-gnu-objcopy &&
	    kernel_check aarch64-unknown-none-softfloat \
	    aarch64-linux-gnu-objdump aarch64-linux-gnu-readelf \
	    '(^|[[:space:],[{])([qdsh]([0-9]|[12][0-9]|3[01])|v([0-9]|[12][0-9]|3[01])\.[0-9]*[bhsdq]|fp[cs]r)(,|\]|\}|$)'
}

# put FILE... DIR: copies files into the NetBSD tree, each replacing the
# file it finds (removed first: a tree made with "cp -al" shares its files
# with another, which must not change).
put() {
	local dir=${*: -1} f
	mkdir -p "$dir"
	for f in "${@:1:$#-1}"; do
		rm -f "$dir/$(basename "$f")"
		cp "$f" "$dir/"
	done
}

# kmake DIR ARG...: the tree's make in DIR.  NetBSD's build.sh leaves a
# wrapper, nbmake-MACHINE, in TOOLDIR; without one (buildrump.sh's tools),
# nbmake with what the wrapper would set.  When the tools' gcc is the
# host's behind NetBSD's name (buildrump.sh), it is told it builds for
# NetBSD, without position independence, and that its newer warnings are
# no errors.
kmake() {
	local dir=$1 gcc=$TOOLDIR/bin/$KGNU-gcc
	shift
	if [ -x "$TOOLDIR/bin/nbmake-$KMACHINE" ]; then
		(cd "$dir" && "$TOOLDIR/bin/nbmake-$KMACHINE" "$@")
		return
	fi
	set -- USETOOLS=yes TOOLDIR="$TOOLDIR" MAKECONF=/dev/null MKCTF=no "$@"
	if "$gcc" -dM -E - </dev/null | grep -q '__linux__'; then
		set -- EXTERNAL_TOOLCHAIN="$TOOLDIR" TOOLCHAIN_MISSING=yes \
		    NOGCCERROR=yes COPTS="-O2 -fno-pie -D__NetBSD__ -U__linux__" \
		    "$@"
	fi
	(cd "$dir" && env MACHINE="$KMACHINE" MACHINE_ARCH="$KARCH" \
	    MAKEFLAGS="-m $NETBSDSRCDIR/share/mk" "$TOOLDIR/bin/nbmake" "$@")
}

# dm.kmod in the tree's sys/modules/dm; on amd64 its PLT32 relocations
# become PC32 (kmod-pc32), and tools/kmodcheck.sh checks the module.
kernel_module() {
	local m=$NETBSDSRCDIR/sys/modules/dm
	say "dm.kmod in $m"
	kmake "$m" cleandir >/dev/null 2>&1 || true
	kmake "$m" dependall || return 1
	[ "$KMACHINE" = amd64 ] || return 0
	cargo build -q --release -p kmod-pc32 &&
	    target/release/kmod-pc32 "$m/dm.kmod" || return 1
	cp "$m/dm.kmod" "$KDIR/dm.kmod"
	say "checks on the module ($KDIR/dm.kmod), against $NETBSDSRCDIR"
	bash tools/kmodcheck.sh "$KDIR/dm.kmod" sys/dev/dm/dm_core.h \
	    "$NETBSDSRCDIR" "$TOOLDIR/bin/$KGNU-readelf" \
	    "$TOOLDIR/bin/$KGNU-objdump" | tee "$KDIR/kmodcheck.txt"
	[ "${PIPESTATUS[0]}" -eq 0 ]
}

# A kernel with dm built in, from sys/arch/MACHINE/conf/$KERNEL (DM is
# ours: GENERIC with pseudo-device dm).  With NetBSD's build.sh and its
# tools, NetBSD's kernel build; otherwise config(1) from TOOLDIR and the
# glue's objects compiled by the kernel Makefile config(1) writes, with
# the kernel's flags.
kernel_config() {
	local conf=$NETBSDSRCDIR/sys/arch/$KMACHINE/conf b f objs=""
	[ ! -f "sys/arch/$KMACHINE/conf/$KERNEL" ] ||
	    put "sys/arch/$KMACHINE/conf/$KERNEL" "$conf"
	if [ -x "$NETBSDSRCDIR/build.sh" ] &&
	    [ -x "$TOOLDIR/bin/nbmake-$KMACHINE" ]; then
		(cd "$NETBSDSRCDIR" && ./build.sh -U -u -T "$TOOLDIR" \
		    -m "$KMACHINE" kernel="$KERNEL")
		return
	fi
	[ -f "$conf/$KERNEL" ] || die "no $conf/$KERNEL in the tree"
	b=$top/$KDIR/compile/$KERNEL
	rm -rf "$b"
	mkdir -p "$b"
	say "config(1): $TOOLDIR/bin/nbconfig -b $b -s $NETBSDSRCDIR/sys" \
	    "$conf/$KERNEL"
	"$TOOLDIR/bin/nbconfig" -b "$b" -s "$NETBSDSRCDIR/sys" \
	    "$conf/$KERNEL" || return 1
	grep -q 'dev/dm/dm_core\.o' "$b/Makefile" ||
	    die "config(1)'s Makefile does not link dev/dm/dm_core.o"
	for f in sys/dev/dm/*.c; do
		objs="$objs $(basename "$f" .c).o"
	done
	say "the glue with the kernel's flags:$objs"
	# shellcheck disable=SC2086 # one target per word
	kmake "$b" $objs
}

# Builds and checks dm-core for the kernel; with a NetBSD tree and its
# tools, overlays sys/dev/dm (glue, files.dm, dm_core.o) and
# sys/modules/dm onto the tree and builds dm.kmod, and a kernel if asked.
cmd_kernel() {
	cmd_deps
	say "dm-core for the kernel targets, and its checks"
	kernel_checks
	if [ -z "${NETBSDSRCDIR:-}" ] || [ -z "${TOOLDIR:-}" ]; then
		cat >&2 <<'EOF'
build.sh kernel: the Rust archives are built and checked (target/kernel).
To build the module or a kernel, set
  NETBSDSRCDIR  a NetBSD source tree (its sys/dev/dm and sys/modules/dm
                are replaced: use a copy)
  TOOLDIR       its tools (NetBSD's "build.sh tools", or buildrump.sh's)
  MACHINE       amd64 (default) or evbarm64
  KERNEL        a kernel config to build as well (e.g. DM)
and run ./build.sh kernel again.
EOF
		exit 1
	fi
	KMACHINE=${MACHINE:-amd64}
	local rust=x86_64-unknown-none
	KARCH=x86_64
	KGNU=x86_64--netbsd
	if [ "$KMACHINE" = evbarm64 ]; then
		rust=aarch64-unknown-none-softfloat
		KARCH=aarch64
		KGNU=aarch64--netbsd
	fi
	say "overlaying sys/dev/dm and sys/modules/dm onto $NETBSDSRCDIR"
	put sys/dev/dm/*.c sys/dev/dm/*.h sys/dev/dm/files.dm \
	    "$KDIR/$rust/dm_core.o" "$NETBSDSRCDIR/sys/dev/dm"
	put sys/modules/dm/Makefile sys/modules/dm/dm.ioconf \
	    "$NETBSDSRCDIR/sys/modules/dm"
	kernel_module
	if [ -n "${KERNEL:-}" ]; then
		kernel_config
	fi
}

# ---- test -----------------------------------------------------------------

passed=0
failed=0
failed_steps=""
logdir=""

# step NAME CMD...: runs one check, records it, keeps going on failure.
step() {
	local name=$1 log
	shift
	log="$logdir/$(printf '%s' "$name" | tr -c 'A-Za-z0-9' '_').log"
	say "$name"
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failed_steps="$failed_steps
  - $name (log: $log)"
		tail -n 40 "$log" | sed 's/^/    /'
	fi
}

# Adds the per-test counts that cargo's "test result:" lines report.
count_cargo_tests() {
	local log=$1 p f
	p=$(sed -n 's/^test result: [a-zA-Z]*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\1/p' \
	    "$log" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^test result: [a-zA-Z]*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\2/p' \
	    "$log" | awk '{s+=$1} END {print s+0}')
	printf '    %s tests passed, %s failed\n' "$p" "$f"
	passed=$((passed + p))
	failed=$((failed + f))
}

# Adds kyua's "N/M passed (F failed)" counts.
count_kyua() {
	local line p t f
	line=$(grep -E '^[0-9]+/[0-9]+ passed' "$1" | tail -n 1)
	if [ -z "$line" ]; then
		echo "    kyua ran no test"
		failed=$((failed + 1))
		return
	fi
	p=${line%%/*}
	t=${line#*/}
	t=${t%% *}
	f=$((t - p))
	printf '    %s\n' "$line"
	passed=$((passed + p))
	failed=$((failed + f))
}

# Every test target but the benchmarks: those run under ./build.sh bench,
# at full size and with their own tools (fio, gungraun's runner); clippy
# above still compiles them.
cargo_tests() {
	cargo test --workspace --lib --bins --tests --examples --no-fail-fast 2>&1
}

# The programs the test run calls, each with the Debian package (or the
# cargo crate) that provides it.
TEST_TOOLS="kyua:kyua atf-sh:atf-sh qemu-io:qemu-utils \
qemu-img:qemu-utils nbdcopy:libnbd-bin nbdinfo:libnbd-bin \
valgrind:valgrind mandoc:mandoc shellcheck:shellcheck clang:clang \
cc:build-essential aarch64-linux-gnu-ld:binutils-aarch64-linux-gnu \
aarch64-linux-gnu-objdump:binutils-aarch64-linux-gnu \
aarch64-linux-gnu-readelf:binutils-aarch64-linux-gnu \
ld:binutils objdump:binutils readelf:binutils cmp:diffutils dd:coreutils \
truncate:coreutils mknod:coreutils cargo-fuzz:cargo-fuzz(cargo)"

# check_tools: fails, naming each missing program and its package,
# before any test runs.
check_tools() {
	local t missing=""
	for t in $TEST_TOOLS; do
		command -v "${t%%:*}" >/dev/null 2>&1 ||
		    missing="$missing
  ${t%%:*} (package ${t#*:})"
	done
	[ -z "$missing" ] || die "programs the tests need are missing:$missing"
}

valgrind_ctest() {
	cargo build -q -p proplib-ctest &&
	    valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect --error-exitcode=9 \
		target/debug/proplib-ctest
}

valgrind_demo() {
	cargo build -q -p dm-hostd -p dmctl &&
	    DM_HOSTD_WRAP="valgrind -q --error-exitcode=9 --leak-check=full \
--errors-for-leak-kinds=definite --show-possibly-lost=no" bash sys/host/demo.sh
}

# The glue, host mode and the proplib C ABI under ASan+UBSan: the C test
# program and the seed scenario (the daemon's exit status carries
# LeakSanitizer's verdict, and the demo checks it).
asan_checks() {
	DM_SANITIZE=1 cargo build -q -p dm-hostd -p dmctl -p proplib-ctest \
	    --target-dir target/asan || return 1
	export ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	target/asan/debug/proplib-ctest &&
	    DM_BIN=$top/target/asan/debug bash sys/host/demo.sh
}

# The ATF suite under kyua, against host mode: the test programs go to
# target/atf as they would be installed, dm_hostbin points at the daemon.
atf_suite() {
	local root=$top/target/atf
	cargo build -q -p dm-hostd -p dmctl || return 1
	rm -rf "$root"
	mkdir -p "$root"
	cp tests/dev/dm/t_dm.sh "$root/t_dm"
	chmod +x "$root/t_dm"
	cp tests/dev/dm/h_dm.sh tests/dev/dm/Kyuafile "$root/"
	(cd "$root" && kyua -v "test_suites.NetBSD.dm_hostbin=$top/target/debug" \
	    test -k Kyuafile -r results.db)
	local rc=$?
	(cd "$root" && kyua report -r results.db --results-filter=broken,failed \
	    --verbose) || true
	return $rc
}

cmd_test() {
	cmd_deps
	check_tools
	logdir=$top/target/test-logs
	rm -rf "$logdir"
	mkdir -p "$logdir"

	step "rustfmt check" cargo fmt --all -- --check
	step "clippy (-D warnings)" cargo clippy --workspace --all-targets \
	    --all-features -- -D warnings
	step "shellcheck" shellcheck build.sh .ci/run sys/host/demo.sh \
	    tests/dev/dm/t_dm.sh tests/dev/dm/h_dm.sh tests/anita/run.sh \
	    tests/rump/run.sh tests/rump/clients.sh
	step "mandoc -Tlint (dm.4, dmctl.8)" mandoc -Tlint -Wwarning \
	    share/man/man4/dm.4 usr.sbin/dmctl/dmctl.8

	say "cargo test (all crates, including the C programs built with -Werror)"
	if cargo_tests >"$logdir/cargo-test.log" 2>&1; then
		:
	else
		failed=$((failed + 1))
		failed_steps="$failed_steps
  - cargo test (log: $logdir/cargo-test.log)"
		grep -E '^(test .* FAILED|error|---- )' "$logdir/cargo-test.log" |
		    head -n 40 | sed 's/^/    /'
	fi
	count_cargo_tests "$logdir/cargo-test.log"

	step "proplib C ABI program under valgrind" valgrind_ctest
	say "ATF suite (tests/dev/dm) under kyua, in host mode"
	if atf_suite >"$logdir/atf.log" 2>&1; then
		:
	else
		failed_steps="$failed_steps
  - ATF suite (log: $logdir/atf.log)"
		grep -E ' ->  (failed|broken)' "$logdir/atf.log" | sed 's/^/    /'
	fi
	count_kyua "$logdir/atf.log"

	step "C glue, host mode and proplib C ABI under ASan+UBSan" asan_checks
	step "fuzz smoke: 20 s per target from the committed corpus" fuzz_smoke 20
	step "seed scenario with dm-hostd under valgrind" valgrind_demo
	step "dm-core for the kernel (amd64, aarch64): no FPU, no GOT, symbols" \
	    kernel_checks
	if rump_ready; then
		step "rump tier: the ATF suite in a NetBSD rump kernel" rump_tier
	else
		say "rump tier: skipped ($RUMP_NEEDS)"
	fi

	echo
	if [ "$failed" -ne 0 ]; then
		printf 'failed:%s\n' "$failed_steps"
	fi
	printf '%d passed, %d failed\n' "$passed" "$failed"
	[ "$failed" -eq 0 ]
}

# ---- rump -----------------------------------------------------------------

RUMP_NEEDS="needs NETBSDSRCDIR, a NetBSD source tree with sys/rump, and \
BUILDRUMPSH, a buildrump.sh checkout"

rump_ready() {
	[ -n "${NETBSDSRCDIR:-}" ] && [ -n "${BUILDRUMPSH:-}" ] &&
	    [ -d "$NETBSDSRCDIR/sys/rump" ] && [ -x "$BUILDRUMPSH/buildrump.sh" ]
}

rump_tier() {
	local rc=0
	bash tests/rump/run.sh build || return 1
	bash tests/rump/run.sh atf || rc=1
	bash tests/rump/run.sh clients || rc=1
	return $rc
}

# The driver in a rump kernel built from NETBSDSRCDIR, in place of its
# stock dm, and the ATF suite against both (tests/rump/run.sh).
cmd_rump() {
	if ! rump_ready; then
		cat >&2 <<'EOF'
build.sh rump: runs the driver in a rump kernel (NetBSD's kernel code in
a process, DIAGNOSTIC on) built from a NetBSD tree, beside its stock dm.
Set
  NETBSDSRCDIR  a NetBSD source tree with sys/rump (e.g. the buildrump-src
                branch of github.com/rumpkernel/src-netbsd)
  BUILDRUMPSH   a buildrump.sh checkout (github.com/rumpkernel/buildrump.sh)
and optionally
  NETBSDCLIENTSRC  a NetBSD tree with sbin/dmctl, lib/libdm and
                external/gpl2/lvm2 (NetBSD's full source; default
                NETBSDSRCDIR), for the real-client suite
                (tests/rump/clients.sh)
and run ./build.sh rump again.
EOF
		exit 1
	fi
	cmd_deps
	rump_tier
}

# ---- demo -----------------------------------------------------------------

# ---- rump benchmark ---------------------------------------------------------

RUMPBENCH_HEAD='## Rump kernel: ours against stock dm(4)'

# rumpbench_section FILE: the rump benchmark's section of FILE, if any:
# from its heading to the next heading of its level or the kept part.
rumpbench_section() {
	[ -f "$1" ] || return 0
	awk -v h="$RUMPBENCH_HEAD" -v k="$BENCH_KEEP" '
	    $0 == h { f = 1; print; next }
	    f && (/^## / || $0 == k) { exit }
	    f { print }' "$1"
}

# rumpbench_splice SECTION: puts SECTION into BENCHMARKS.md in place of
# the old one, else before the kept part, else at the end.
rumpbench_splice() {
	local new
	new=$(mktemp)
	if [ ! -f BENCHMARKS.md ]; then
		printf '# Benchmarks\n\n' >BENCHMARKS.md
	fi
	awk -v h="$RUMPBENCH_HEAD" -v k="$BENCH_KEEP" -v sec="$1" '
	    function put(   l) {
		while ((getline l < sec) > 0)
			print l
		done = 1
	    }
	    $0 == h { skip = 1; if (!done) put(); next }
	    skip && (/^## / || $0 == k) { skip = 0 }
	    skip { next }
	    $0 == k && !done { put() }
	    { print }
	    END { if (!done) { print ""; put() } }' BENCHMARKS.md >"$new"
	mv "$new" BENCHMARKS.md
}

# The rump benchmark (tests/rump/run.sh bench): ours against the stock
# dm of the same rump kernel; its section of BENCHMARKS.md.
rumpbench_run() {
	local sec rv=0
	sec=$(mktemp)
	if bash tests/rump/run.sh build && bash tests/rump/run.sh bench "$sec"
	then
		rumpbench_splice "$sec"
		say "wrote the rump section of BENCHMARKS.md"
	else
		rv=1
	fi
	rm -f "$sec"
	return "$rv"
}

cmd_rumpbench() {
	if ! rump_ready; then
		cat >&2 <<EOF
build.sh rumpbench: times the driver against the stock dm of a rump kernel
built from a NetBSD tree, and writes its section of BENCHMARKS.md. It
$RUMP_NEEDS;
set them as for ./build.sh rump and run it again.
EOF
		exit 1
	fi
	cmd_deps
	say "rump benchmark: ours and stock dm in turns (a few minutes)"
	rumpbench_run
}

# ---- bench ------------------------------------------------------------------

# Everything after this line in BENCHMARKS.md is kept across runs: the
# record of what changed and what it did to the figures.
BENCH_KEEP='<!-- Kept by ./build.sh bench: everything below. -->'

bench_machine() {
	printf -- '- CPU: %s, %s CPUs; memory %s\n' \
	    "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" \
	    "$(nproc)" \
	    "$(free -h | awk '/^Mem:/ { print $2 }')"
	printf -- '- %s; %s; %s\n' "$(uname -sr)" "$(rustc --version)" \
	    "$(fio --version)"
	if systemd-detect-virt -q 2>/dev/null; then
		printf -- '- virtual machine (%s): expect noise; ratios are ' \
		    "$(systemd-detect-virt)"
		printf 'measured side by side in one run for that reason\n'
	fi
}

# bench: runs every benchmark and writes BENCHMARKS.md.
# gungraun's runner, the version the lock file pins for the library (the
# two must match), kept under target/tools; prints its path.
gungraun_runner() {
	local v bin="$top/target/tools/bin/gungraun-runner"
	v=$(awk '$0 == "name = \"gungraun\"" { getline; gsub(/"/, "", $3);
	    print $3 }' "$top/Cargo.lock")
	[ -n "$v" ] || die "Cargo.lock names no gungraun"
	if ! "$bin" --version 2>/dev/null | grep -qF "$v"; then
		say "installing gungraun-runner $v (a few minutes, once)" >&2
		cargo install -q --locked --version "$v" \
		    --root "$top/target/tools" gungraun-runner >&2
	fi
	printf '%s\n' "$bin"
}

# iocost_report < gungraun's output: the instructions per request as a
# table (READS in sys/host/hostd/benches/iocost.rs: 1000).
iocost_report() {
	printf '## Instructions per 4 KiB request (callgrind)\n\n'
	printf 'One process, no NBD: the cost of the request path alone, counted\n'
	printf 'by callgrind (gungraun), setup left out; 1000 reads (writes)\n'
	printf 'after 1000 unmeasured ones, spread over 47 MiB. pread(2) and\n'
	printf 'pwrite(2) count only the user-space side of the system call,\n'
	printf 'which every row makes once.\n\n'
	printf '| through | per read | more than the block layer '
	printf '| per write | more than the block layer |\n'
	printf '|---|---:|---:|---:|---:|\n'
	awk -v reads=1000 '
	    /::(read|write)_4k / {
		dir = $1 ~ /read_4k/ ? "r" : "w"
		split($2, a, ":"); name = a[1]
		if (!(name in seen)) { seen[name] = 1; order[++k] = name }
	    }
	    /::write_4k_flushed / { dir = "f"; split($2, a, ":"); name = a[1] }
	    /^ *Instructions:/ { split($2, v, "|"); n[name, dir] = v[1] / reads }
	    /^ *LL Hits:/ && dir == "f" {
		# Less the 1024 lines the 64 KiB flush itself brings back.
		split($3, v, "|"); lines[name] = v[1] / reads - 1024
	    }
	    END {
		label["pread"] = "pread(2)/pwrite(2) on the component"
		label["block"] = "host block layer, no dm"
		label["linear"] = "dm-linear, 1 line"
		label["lines1000"] = "dm-linear, 1000 lines"
		label["striped"] = "dm-striped, 2 stripes of 32 KiB"
		for (i = 1; i <= k; i++) {
			m = order[i]
			printf "| %s", label[m]
			for (j = 1; j <= 2; j++) {
				d = j == 1 ? "r" : "w"
				more = m == "pread" || m == "block" ? "" : \
				    sprintf("+%.0f", n[m, d] - n["block", d])
				printf " | %.0f | %s", n[m, d], more
			}
			printf " |\n"
		}
		printf "\nCache lines a 4 KiB write brings in from beyond L1, "
		printf "with 64 KiB of other data\nwritten before each (as "
		printf "the socket and the kernel run between two\nrequests "
		printf "in dm-hostd): the LL hits callgrind counts, less "
		printf "those of the flush.\n\n"
		printf "| write through | cache lines | more than the block "
		printf "layer |\n|---|---:|---:|\n"
		printf "| %s | %.0f |  |\n", label["block"], lines["block"]
		printf "| %s | %.0f | +%.0f |\n", label["linear"], \
		    lines["linear"], lines["linear"] - lines["block"]
	    }'
	printf '\n'
}

cmd_bench() {
	cmd_deps
	# fio's nbd engine drives the data-path benchmark; valgrind (a test
	# dependency already) the instruction counts. Nothing else needs fio.
	apt_need fio valgrind
	local runner
	runner=$(gungraun_runner)
	local report kept log counts rump
	report=$(mktemp)
	kept=$(mktemp)
	counts=$(mktemp)
	rump=$(mktemp)
	log="$top/target/bench.log"
	mkdir -p "$top/target"
	: >"$log"
	if [ -f BENCHMARKS.md ] && grep -qxF "$BENCH_KEEP" BENCHMARKS.md; then
		awk -v k="$BENCH_KEEP" 'f { print } $0 == k { f = 1 }' \
		    BENCHMARKS.md >"$kept"
	fi
	# The rump section stays as it is unless the rump benchmark runs
	# (last, below).
	rumpbench_section BENCHMARKS.md >"$rump"
	say "mapping lookup (criterion; about 2 minutes)"
	DM_BENCH_REPORT=$report cargo bench -q -p dm-core --bench lookup -- \
	    --warm-up-time 1 --measurement-time 3 >>"$log" 2>&1
	say "control path and memory (about 1 minute)"
	DM_BENCH_REPORT=$report cargo bench -q -p dm-hostd --bench control \
	    >>"$log" 2>&1
	say "instructions per read (callgrind; under a minute)"
	GUNGRAUN_RUNNER=$runner cargo bench -q -p dm-hostd --features callgrind \
	    --bench iocost >"$counts" 2>>"$log"
	cat "$counts" >>"$log"
	iocost_report <"$counts" >>"$report"
	say "data path with fio (about 13 minutes)"
	DM_BENCH_REPORT=$report cargo bench -q -p dm-hostd --bench datapath \
	    >>"$log" 2>&1
	# shellcheck disable=SC2016
	{
		printf '# Benchmarks\n\n'
		printf 'Written by `./build.sh bench` on %s; ' "$(date -u +%F)"
		printf 'the full output is in target/bench.log.\n\n'
		bench_machine
		printf '\nCommands (each appends its tables here through '
		printf '`DM_BENCH_REPORT`, but iocost, whose output this script '
		printf 'turns into its table):\n\n'
		printf '    cargo bench -p dm-core --bench lookup -- '
		printf -- '--warm-up-time 1 --measurement-time 3\n'
		printf '    cargo bench -p dm-hostd --bench control\n'
		printf '    GUNGRAUN_RUNNER=target/tools/bin/gungraun-runner '
		printf 'cargo bench -p dm-hostd --features callgrind --bench iocost\n'
		printf '    cargo bench -p dm-hostd --bench datapath\n\n'
		cat "$report"
		cat "$rump"
		printf '%s\n' "$BENCH_KEEP"
		cat "$kept"
	} >BENCHMARKS.md
	rm -f "$report" "$kept" "$counts" "$rump"
	say "wrote BENCHMARKS.md"
	if rump_ready; then
		say "rump benchmark: ours and stock dm in turns (a few minutes)"
		rumpbench_run
	else
		say "rump benchmark: skipped ($RUMP_NEEDS); its section, if" \
		    "any, is kept"
	fi
}

cmd_demo() {
	cmd_deps
	say "building dm-hostd and dmctl"
	cargo build -q -p dm-hostd -p dmctl
	bash sys/host/demo.sh
}

# Regenerates sys/dev/dm/dm_core.h from dm-core with cbindgen.
cmd_header() {
	DM_UPDATE_HEADER=1 cargo test -q -p dm-core --test header >/dev/null
	say "wrote sys/dev/dm/dm_core.h"
}

cmd_help() {
	cat <<'EOF'
usage: ./build.sh <command>

  deps    install what the project needs (Debian packages, Rust toolchain)
  demo    run the seed example and print what happens
  test    every check: rustfmt, clippy, shellcheck, mandoc, the Rust
          tests (unit, property, golden, end to end with real NBD
          clients), the C programs (-Wall -Werror), the ATF suite under
          kyua, valgrind and ASan+UBSan runs, a fuzz smoke, and the
          kernel-archive checks; ends with "N passed, N failed"
  kernel  build dm-core for the NetBSD kernel and check the archives; with
          NETBSDSRCDIR and TOOLDIR, build dm.kmod (and KERNEL) in that tree
  rump    with NETBSDSRCDIR and BUILDRUMPSH: build a rump kernel from that
          tree, the driver as its dm, and run the ATF suite against ours
          and the tree's stock dm; prints both columns.  With
          NETBSDCLIENTSRC (a tree with sbin/dmctl and lib/libdm, and
          external/gpl2/lvm2; default NETBSDSRCDIR) also NetBSD's own dmctl
          and lvm2's dmsetup against both, every difference judged
          (target/rump/clients-report.txt)
  fuzz [SECONDS]
          run each fuzz target for SECONDS (default 300)
  bench   run every benchmark (mapping lookup, control path and memory,
          instructions per read under callgrind, data path through NBD
          with fio, and rumpbench when its variables are set) and write
          BENCHMARKS.md
  rumpbench
          with NETBSDSRCDIR and BUILDRUMPSH (as for rump): time the
          driver against the tree's stock dm in the same rump kernel
          (control requests at 1, 1000 and 5000 devices; data path
          through dm against the component) and write that section of
          BENCHMARKS.md
  header  regenerate sys/dev/dm/dm_core.h (cbindgen) after changing dm-core's
          C interface; the test run fails while it is stale
  help    this text
EOF
}

case "${1:-help}" in
deps) cmd_deps ;;
test) cmd_test ;;
demo) cmd_demo ;;
header) cmd_header ;;
kernel) cmd_kernel ;;
rump) cmd_rump ;;
rumpbench) cmd_rumpbench ;;
fuzz) cmd_fuzz "${2:-300}" ;;
bench) cmd_bench ;;
help | -h | --help) cmd_help ;;
*)
	cmd_help >&2
	exit 2
	;;
esac
