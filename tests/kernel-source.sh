#!/bin/bash
# Unpack (once) Debian's linux-source-6.1 into the cache and print its
# directory: checkpatch (tests/style.sh) and the debug kernel
# (tests/vm/debug-kernel.sh) come from it. On a fresh machine the style
# layer is the first to ask, before any kernel is built.
set -euo pipefail
cache=${KIPSEC_CACHE:-/var/cache/kipsec}
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
src=$cache/src/linux-source-$srcver

if [ ! -e "$src/.unpacked" ]; then
	# One unpacker at a time; a second caller waits and finds it done.
	mkdir -p "$cache"
	exec 8>"$cache/.source.lock"
	flock 8
	if [ ! -e "$src/.unpacked" ]; then
		echo "kernel-source: unpacking linux-source $srcver" >&2
		rm -rf "$src"
		mkdir -p "$src"
		tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$src" --strip-components=1
		touch "$src/.unpacked"
	fi
fi
echo "$src"
