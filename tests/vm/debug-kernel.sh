#!/bin/bash
# Build (once) the debug/KUnit kernel from Debian's linux-source-6.1 and print
# its build directory (usable as KDIR for out-of-tree module builds).
# With --cached, build nothing: exit 1 unless it is already built.
#
# Cache: $KIPSEC_CACHE/debug-<key>, key = hash of debug.config, the source
# package version and the compiler version, so editing the config (or a
# security update of linux-source) builds a new kernel and anything else
# reuses the cached one. A build is only published (".done") once complete.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${KIPSEC_CACHE:-/var/cache/kipsec}
frag=$here/debug.config
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
key=$( { cat "$frag"; echo "$srcver"; gcc --version | head -1; } | sha256sum | cut -c1-12)
out=$cache/debug-$key
log() { echo "debug-kernel: $*" >&2; }

if [ -e "$out/.done" ]; then
	echo "$out"
	exit 0
fi
# --cached: only say whether it is built (exit 1 if not).
[ "${1:-}" != --cached ] || exit 1

# One build at a time: a second caller waits and then finds it done.
mkdir -p "$cache"
exec 9>"$cache/.debug-kernel.lock"
flock 9
if [ -e "$out/.done" ]; then
	echo "$out"
	exit 0
fi

src=$("$here/../kernel-source.sh")

rm -rf "$out"
mkdir -p "$out"
cp "$frag" "$out/.config"
log "configuring $out"
make -s -C "$src" O="$out" ARCH=x86_64 olddefconfig >&2

# olddefconfig silently drops options whose dependencies are missing: refuse
# to build a kernel that lacks something the tests rely on.
missing=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*) grep -qxF "$line" "$out/.config" || { log "config lost: $line"; missing=1; } ;;
	"# CONFIG_"*" is not set") grep -qxF "$line" "$out/.config" || { log "config lost: $line"; missing=1; } ;;
	esac
done < "$frag"
[ "$missing" = 0 ] || exit 1

log "building (this takes a while the first time)"
t0=$(date +%s)
make -s -C "$src" O="$out" ARCH=x86_64 -j"$(nproc)" bzImage modules >&2
make -s -C "$src" O="$out" ARCH=x86_64 INSTALL_MOD_PATH="$out/modroot" modules_install >&2
log "built in $(( $(date +%s) - t0 )) s"
touch "$out/.done"
echo "$out"
