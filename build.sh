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
libnbd-bin valgrind mandoc shellcheck"

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

cmd_deps() {
	local missing="" p
	for p in $APT_PACKAGES; do
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
	command -v cargo >/dev/null 2>&1 ||
	    die "cargo not found: install Rust with rustup first"
	# rust-toolchain.toml names the toolchain; this fetches it if absent.
	rustup show active-toolchain >/dev/null
	# The kernel build's target: core/alloc prebuilt without SSE.
	rustup target list --installed | grep -qx x86_64-unknown-none ||
	    rustup target add x86_64-unknown-none >/dev/null
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

cargo_tests() {
	cargo test --workspace --all-targets --no-fail-fast 2>&1
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
	logdir=$top/target/test-logs
	rm -rf "$logdir"
	mkdir -p "$logdir"

	step "rustfmt check" cargo fmt --all -- --check
	step "clippy (-D warnings)" cargo clippy --workspace --all-targets -- \
	    -D warnings
	step "shellcheck" shellcheck build.sh .ci/run sys/host/demo.sh \
	    tests/dev/dm/t_dm.sh tests/dev/dm/h_dm.sh tests/anita/run.sh
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

	step "seed scenario with dm-hostd under valgrind" valgrind_demo
	step "dm-core for the kernel target (x86_64-unknown-none)" \
	    cargo build -q --release -p dm-core --target x86_64-unknown-none

	echo
	if [ "$failed" -ne 0 ]; then
		printf 'failed:%s\n' "$failed_steps"
	fi
	printf '%d passed, %d failed\n' "$passed" "$failed"
	[ "$failed" -eq 0 ]
}

# ---- demo -----------------------------------------------------------------

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
  test    all checks: rustfmt, clippy, unit/property/golden tests, the C
          programs (built with -Wall -Werror), valgrind; ends with
          "N passed, N failed"
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
help | -h | --help) cmd_help ;;
*)
	cmd_help >&2
	exit 2
	;;
esac
