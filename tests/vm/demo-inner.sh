#!/bin/bash
# The demo's steps, run in the VM (or on a host that can load modules).
set -euo pipefail
. "$(dirname "$0")/t/lib.sh"
A=$(ns east)
B=$(ns west)
trap 'ip netns del "$A" 2>/dev/null; ip netns del "$B" 2>/dev/null; rmmod kipsec 2>/dev/null' EXIT
say() { printf '\n$ %s\n' "$*"; }

say "uname -r"; uname -r
say "insmod kipsec.ko"; kipsec_load; grep kipsec /proc/modules
ip netns add "$A"
ip netns add "$B"
say "ip netns exec east kipsec info"; ip netns exec "$A" "$KIPSEC" info
say "ip netns exec west kipsec -j info alg 'rfc4106(gcm(aes))'"
ip netns exec "$B" "$KIPSEC" -j info alg 'rfc4106(gcm(aes))'
say "kipsec info alg 'gcm(nope)'   # a bad request: the kernel says which attribute"
"$KIPSEC" info alg 'gcm(nope)' || true
say "kipsec-iked --check-kernel --selftest"; "$IKED" --check-kernel --selftest
say "rmmod kipsec"; rmmod kipsec
trap - EXIT
ip netns del "$A"
ip netns del "$B"
echo
echo "demo done: kipsec loaded in Debian's kernel, answered per namespace, unloaded."
