#!/usr/bin/env bash
#
# kmodcheck.sh: checks an amd64 dm.kmod against the NetBSD tree it was
# built for, on the module file itself:
#   - every dm_core_* entry point of dm_core.h is defined in the module;
#   - every undefined symbol is a kernel symbol of the tree: declared in
#     its sys/ or common/include headers and defined in the kernel's
#     sources (sys/ without rump, modules and other architectures, and
#     common/lib); the defining file is listed for each;
#   - no global symbol the module defines is also defined by the kernel
#     (kobj refuses a module that redefines one);
#   - only relocation types the tree's kobj_reloc() accepts
#     (sys/arch/amd64/amd64/kobj_machdep.c, read from the tree);
#   - no GOT, PLT, TLS, init/fini or DWARF sections, no TLS symbols;
#   - no FPU/SIMD instructions.
#
# usage: kmodcheck.sh MODULE DM_CORE_H NETBSDSRCDIR READELF OBJDUMP
set -eu

[ $# -eq 5 ] || {
	echo "usage: kmodcheck.sh module dm_core.h netbsdsrcdir readelf objdump" >&2
	exit 2
}
mod=$1 hdr=$2 src=$3 readelf=$4 objdump=$5
fail=0

bad() {
	printf 'FAIL: %s\n' "$*"
	fail=1
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$readelf" -sW "$mod" >"$tmp/syms"
awk '$7 == "UND" && $8 != "" { print $8 }' "$tmp/syms" | sort -u >"$tmp/und"
awk '$1 ~ /^[0-9]+:$/ && $7 != "UND" && $5 != "LOCAL" && $8 != "" {
	print $8 }' "$tmp/syms" | sort -u >"$tmp/def"

# dm-core's entry points, each defined in the module.
grep -oE '\bdm_core_[a-z_]+\(' "$hdr" | tr -d '(' | sort -u >"$tmp/core"
echo "dm-core entry points defined in the module ($(wc -l <"$tmp/core")):"
while read -r s; do
	if grep -qx "$s" "$tmp/def"; then
		printf '  %s\n' "$s"
	else
		bad "$s is not defined in $mod"
	fi
done <"$tmp/core"

# The sources of an amd64 kernel in the tree: amd64 and x86 first (their
# definitions replace the generic ones), then the machine-independent
# kernel and its libraries (libkern, and libc and proplib from common/lib)
# without other architectures' files.
srcs() {
	local d
	for d in "$@"; do
		[ ! -d "$src/$d" ] ||
		    find "$src/$d" -type f \( -name '*.c' -o -name '*.S' \)
	done
}
{
	srcs sys/arch/amd64 sys/arch/x86 sys/lib/libkern/arch/x86_64 \
	    common/lib/libc/arch/x86_64
	srcs sys/kern sys/uvm sys/conf sys/miscfs sys/ufs sys/lib/libkern \
	    common/lib/libc common/lib/libprop |
	    grep -vE "^$src/(sys/lib/libkern|common/lib/libc)/arch/"
	find "$src/sys/dev" -maxdepth 1 -type f -name '*.c'
} >"$tmp/srcs"
find "$src/sys" "$src/common/include" -path "$src/sys/rump" -prune \
    -o -type f -name '*.h' -print >"$tmp/hdrs"

# One pass over the sources for lines that can define the symbols: a KNF
# function definition (the name at the start of a line, nothing after its
# parameters), a file-scope variable, an assembler entry or alias.
alt=$(cat "$tmp/und" "$tmp/def" | paste -sd"|" -)
xargs grep -HE "^($alt)\(([^()]|\([^()]*\))*\)?[ 	]*\{?[ 	]*$|^[A-Za-z_][A-Za-z0-9_ 	*]*[ 	*]($alt)(\[[^]]*\])*[ 	]*(=.*)?;|^[ 	]*(ENTRY|NENTRY|ENTRY_NP|ALIAS|STRONG_ALIAS|WEAK_ALIAS)\(($alt)[,)]|^($alt):" \
    <"$tmp/srcs" 2>/dev/null |
    grep -vE ':(static|extern|typedef|return)[ 	]' >"$tmp/deflines" || true
xargs grep -hoE "\b($alt)\b" <"$tmp/hdrs" 2>/dev/null | sort -u \
    >"$tmp/declared" || true

# definer SYM: the first kernel source file that defines SYM, if any.
definer() {
	grep -E ":($1\(([^()]|\([^()]*\))*\)?[ 	]*\{?[ 	]*$|[^(]*[ 	*]$1(\[[^]]*\])*[ 	]*(=.*)?;|[ 	]*[A-Z_]*ENTRY[A-Z_]*\($1[,)]|[ 	]*[A-Z_]*ALIAS\($1[,)]|$1:)" \
	    "$tmp/deflines" | head -n 1 | cut -d: -f1 | sed "s|^$src/||"
}

echo "undefined symbols, each a kernel symbol of the tree ($(wc -l <"$tmp/und")):"
while read -r s; do
	f=$(definer "$s")
	if [ -z "$f" ]; then
		bad "$s: defined nowhere in the tree's kernel sources"
	elif ! grep -qx "$s" "$tmp/declared"; then
		bad "$s: declared in no header of the tree"
	else
		printf '  %-40s %s\n' "$s" "$f"
	fi
done <"$tmp/und"

echo "global symbols the module defines: $(wc -l <"$tmp/def")"
while read -r s; do
	f=$(definer "$s")
	[ -z "$f" ] || bad "$s is defined by the module and by the kernel ($f)"
done <"$tmp/def"

# Relocation types: those of the tree's kobj_reloc(), nothing else.
km=$src/sys/arch/amd64/amd64/kobj_machdep.c
grep -oE 'case[ 	]+R_X86_64_[A-Z0-9_]+' "$km" | awk '{ print $2 }' |
    sort -u >"$tmp/accepted"
echo "relocation types kobj_reloc() accepts: $(paste -sd' ' "$tmp/accepted")"
"$readelf" -rW "$mod" | awk '$3 ~ /^R_X86_64_/ { print $3 }' | sort |
    uniq -c >"$tmp/relocs"
echo "relocations in the module:"
while read -r n t; do
	printf '  %-20s %6d\n' "$t" "$n"
	grep -qx "$t" "$tmp/accepted" || bad "relocation type $t ($n)"
done <"$tmp/relocs"

# Sections kobj cannot give meaning to, and debugging information.
"$readelf" -SW "$mod" | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) .*/\1/p' \
    >"$tmp/sections"
s=$(grep -E '^(\.rela?)?\.(got|plt|got\.plt|plt\.got|tdata|tbss|init|fini|init_array|fini_array|preinit_array|ctors|dtors|debug_.*|zdebug_.*|interp|dynamic)(\..*)?$' \
    "$tmp/sections" || true)
[ -z "$s" ] || bad "sections: $(echo "$s" | paste -sd' ')"
n=$(awk '$4 == "TLS"' "$tmp/syms" | wc -l)
[ "$n" -eq 0 ] || bad "$n TLS symbols"
echo "sections: $(wc -l <"$tmp/sections"), no GOT/PLT/TLS/init/DWARF: $([ -z "$s" ] && echo yes || echo no)"

n=$("$objdump" -d --no-show-raw-insn "$mod" | grep -E '^ +[0-9a-f]+:' |
    sed 's/^[^:]*:[[:space:]]*//' |
    grep -cE '%[xyz]mm|%st\b|%st\(|fxsave|fxrstor|ldmxcsr|stmxcsr' || true)
echo "FPU/SIMD instructions: $n"
[ "$n" -eq 0 ] || fail=1

if [ "$fail" -ne 0 ]; then
	echo "$mod: FAILED"
	exit 1
fi
echo "$mod: all checks passed"
