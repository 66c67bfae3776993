#!/bin/bash
# Kernel style for kmod/ and the KUnit tests: checkpatch (from Debian's
# linux-source, unpacked by kernel-source.sh) and sparse. TAP output.
set -uo pipefail
cd "$(dirname "$0")/.."
. tests/tap.sh

files=(kmod/*.c kmod/*.h tests/kunit/*.c)
if ! src=$(tests/kernel-source.sh); then
	not_ok "checkpatch (linux-source could not be unpacked; see above)"
else
	# Generated files are checked too: the generator must emit kernel style.
	check_silent "checkpatch --strict clean (${#files[@]} files)" ': (ERROR|WARNING|CHECK):' \
		perl "$src/scripts/checkpatch.pl" --no-tree --terse --show-types --strict \
		--ignore FILE_PATH_CHANGES -f "${files[@]}"
fi

# sparse, through kbuild (C=2 checks every file), in a scratch copy so the
# stock objects in the work tree are left alone.
kver=$(scripts/kver.sh)
rm -rf build/sparse && mkdir -p build/sparse
cp --parents Kbuild kmod/*.c kmod/*.h uapi/linux/kipsec.h build/sparse/
# Only our files: the kernel's own headers are not ours to fix.
check_silent "sparse clean" "$PWD/build/sparse/.*(warning|error):" \
	make -s -C "/usr/src/linux-headers-$kver" M="$PWD/build/sparse" CC=gcc-12 C=2 modules
done_testing
