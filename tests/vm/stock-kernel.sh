#!/bin/bash
# Fetch (once) Debian's stock kernel image matching the packaged headers and
# print the directory it is unpacked in:
#   $KIPSEC_CACHE/stock-<release>/boot/vmlinuz-<release>
#   $KIPSEC_CACHE/stock-<release>/lib/modules/<release>   (depmod done)
# The host can't load modules, so this image is only ever booted under QEMU.
# A directory is only published (".done") once complete, so an interrupted
# run is simply redone next time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${KIPSEC_CACHE:-/var/cache/kipsec}
log() { echo "stock-kernel: $*" >&2; }
die() { log "error: $*"; exit 1; }

kver=$("$here/../../scripts/kver.sh") || die "cannot resolve the stock kernel release (scripts/kver.sh failed)"
out=$cache/stock-$kver

if [ -e "$out/.done" ]; then
	echo "$out"
	exit 0
fi

command -v dpkg >/dev/null || die "dpkg not found"
command -v depmod >/dev/null || die "depmod not found (install the kmod package)"
mkdir -p "$cache" || die "cannot create cache root $cache"

# Parallel first runs would otherwise download twice and replace each
# other's result; the loser of the race finds it done.
exec 9>"$cache/.stock-$kver.lock"
flock 9
if [ -e "$out/.done" ]; then
	echo "$out"
	exit 0
fi

# Work in a sibling temp dir and rename at the end: a half-unpacked tree is
# never visible under the final name.
tmp=$(mktemp -d "$cache/.stock-$kver.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"

log "downloading linux-image-$kver"
# apt-get download writes into the cwd; _apt must be able to write there.
mkdir "$tmp/deb"
chmod 777 "$tmp/deb"
(cd "$tmp/deb" && apt-get download -q "linux-image-$kver" >&2) ||
	die "apt-get download linux-image-$kver failed (try 'apt-get update'?)"
deb=$(ls "$tmp"/deb/linux-image-"$kver"_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || die "apt-get download produced no linux-image-$kver .deb"

log "unpacking $(basename "$deb")"
mkdir "$tmp/root"
dpkg -x "$deb" "$tmp/root" || die "dpkg -x $deb failed"
[ -f "$tmp/root/boot/vmlinuz-$kver" ] || die "package has no boot/vmlinuz-$kver"
[ -d "$tmp/root/lib/modules/$kver" ] || die "package has no lib/modules/$kver"

# The .deb ships no modules.dep (postinst normally runs depmod).
log "depmod"
depmod -b "$tmp/root" "$kver" || die "depmod -b $tmp/root $kver failed"

rm -rf "$out"
mv "$tmp/root" "$out"
touch "$out/.done"
log "ready: $out"
echo "$out"
