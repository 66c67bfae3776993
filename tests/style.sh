#!/bin/bash
# Kernel style for kmod/ and the KUnit tests: checkpatch (from Debian's
# linux-source, unpacked by debug-kernel.sh) and sparse. TAP output.
set -uo pipefail
cd "$(dirname "$0")/.."
cache=${KIPSEC_CACHE:-/var/cache/kipsec}
n=0 failed=0
result() {	# rc desc output
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
	[ -z "$3" ] || printf '%s\n' "$3" | sed 's/^/#   /'
}

src=$(ls -d "$cache"/src/linux-source-*/ 2>/dev/null | tail -1)
files=(kmod/*.c kmod/*.h tests/kunit/*.c)
if [ -z "$src" ]; then
	result 1 "checkpatch (no kernel source unpacked: run tests/vm/debug-kernel.sh)" ""
else
	# Generated files are checked too: the generator must emit kernel style.
	out=$(perl "$src/scripts/checkpatch.pl" --no-tree --terse --show-types --strict \
		--ignore FILE_PATH_CHANGES -f "${files[@]}" 2>&1)
	bad=$(printf '%s\n' "$out" | grep -E ': (ERROR|WARNING|CHECK):' || true)
	result "$([ -z "$bad" ] && echo 0 || echo 1)" "checkpatch --strict clean (${#files[@]} files)" "$bad"
fi

# sparse, through kbuild (C=2 checks every file), in a scratch copy so the
# stock objects in the work tree are left alone.
kver=$(scripts/kver.sh)
rm -rf build/sparse && mkdir -p build/sparse
cp --parents Kbuild kmod/*.c kmod/*.h uapi/linux/kipsec.h build/sparse/
out=$(make -s -C "/usr/src/linux-headers-$kver" M="$PWD/build/sparse" CC=gcc-12 C=2 modules 2>&1)
# Only our files: the kernel's own headers are not ours to fix.
bad=$(printf '%s\n' "$out" | grep -E '(warning|error):' | grep -F "$PWD/build/sparse/" || true)
result "$([ -z "$bad" ] && echo 0 || echo 1)" "sparse clean" "$bad"
echo "1..$n"
[ "$failed" = 0 ]
