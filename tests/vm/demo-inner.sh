#!/bin/bash
# The demo's steps, run in the VM (or on a host that can load modules):
# two namespaces, kipsec-iked in each, an IKEv1-negotiated ESP tunnel
# through kipsec, traffic through it and the counters rising.
#
#   [east] lo 10.0.1.1                             [west] lo 10.0.2.1
#          ve 192.168.60.1 ======== veth ======== vw 192.168.60.2
set -euo pipefail
. "$(dirname "$0")/t/lib.sh"
A=$(ns east)
B=$(ns west)
D=$(mktemp -d /tmp/kipsec-demo.XXXXXX)
PIDS=
cleanup() {
	[ -z "$PIDS" ] || kill $PIDS 2>/dev/null || true
	sleep 0.5
	ip netns del "$A" 2>/dev/null || true
	ip netns del "$B" 2>/dev/null || true
	rmmod kipsec 2>/dev/null || true
	rm -rf "$D"
}
trap cleanup EXIT
say() { printf '\n$ %s\n' "$*"; }
# until_ok SECS CMD...: poll CMD until it succeeds or SECS pass.
until_ok() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		((SECONDS < end)) || return 1
		sleep 0.3
	done
}

say "uname -r"; uname -r
say "insmod kipsec.ko"; kipsec_load; grep kipsec /proc/modules
say "kipsec-iked --check-kernel --selftest"; "$IKED" --check-kernel --selftest

echo
echo "== two namespaces, east and west, joined by a veth; each has an inner host on lo"
ip netns add "$A"
ip netns add "$B"
ip link add ve netns "$A" type veth peer name vw netns "$B"
ip -n "$A" -batch - <<EOF2
link set lo up
addr add 192.168.60.1/24 dev ve
link set ve up
addr add 10.0.1.1/32 dev lo
route add 10.0.2.0/24 via 192.168.60.2 src 10.0.1.1
EOF2
ip -n "$B" -batch - <<EOF2
link set lo up
addr add 192.168.60.2/24 dev vw
link set vw up
addr add 10.0.2.1/32 dev lo
route add 10.0.1.0/24 via 192.168.60.1 src 10.0.2.1
EOF2

# conf SIDE LOCAL REMOTE LTS RTS START
conf() {
	printf 'conn tunnel\n' >"$D/$1.conf"
	printf '\t%s = %s\n' local "$2" remote "$3" local_ts "$4" remote_ts "$5" \
		ike aes256-sha256-modp2048 esp aes256gcm16 pfs ecp256 start_action "$6" \
		>>"$D/$1.conf"
	printf '%s : PSK "demo only: use a long random secret"\n' "$3" >"$D/$1.secrets"
	chmod 600 "$D/$1.secrets"
}
conf east 192.168.60.1 192.168.60.2 10.0.1.0/24 10.0.2.0/24 route
conf west 192.168.60.2 192.168.60.1 10.0.2.0/24 10.0.1.0/24 add
say "cat east.conf   # west's mirrors it, with start_action = add"; cat "$D/east.conf"

echo
echo "== west waits for the peer; east routes the tunnel: policies now, keys on demand"
ip netns exec "$B" "$IKED" -c "$D/west.conf" -s "$D/west.secrets" --ctl "$D/west.ctl" \
	2>"$D/west.log" &
PIDS="$PIDS $!"
until_ok 20 grep -q "listening" "$D/west.log"
ip netns exec "$A" "$IKED" -c "$D/east.conf" -s "$D/east.secrets" --ctl "$D/east.ctl" \
	2>"$D/east.log" &
EAST=$!
PIDS="$PIDS $EAST"
until_ok 20 grep -q "routed: protect policies" "$D/east.log"
say "ip netns exec east kipsec policy show   # protect policies, and no SA yet"
ip netns exec "$A" "$KIPSEC" policy show
say "ip netns exec east kipsec sa show"; ip netns exec "$A" "$KIPSEC" sa show

echo
echo "== traffic starts it: the first packet finds no SA, kipsec.ko raises an acquire"
echo "   event, east's kipsec-iked negotiates Main Mode + Quick Mode (with PFS)"
say "ip netns exec east icmp_stream.py -c 8 -i 0.5 10.0.2.1   # lost until the SAs are in"
ip netns exec "$A" /usr/bin/python3 "$(dirname "$0")/t/icmp_stream.py" -c 8 -i 0.5 \
	-s 10.0.1.1 10.0.2.1 || true
until_ok 60 grep -q "CHILD SA established" "$D/west.log"
until_ok 20 grep -q "CHILD SA established" "$D/east.log"
say "kipsec-iked log, east"; sed 's/^kipsec-iked\[[0-9.]*\] //' "$D/east.log"
say "kipsec-iked log, west"; sed 's/^kipsec-iked\[[0-9.]*\] //' "$D/west.log"

say "kipsec-iked --ctl east.ctl ctl list   # the IKE SA and its CHILD SA"
"$IKED" --ctl "$D/east.ctl" ctl list
say "ip netns exec east kipsec sa show"; ip netns exec "$A" "$KIPSEC" sa show

say "ip netns exec east ping -c 5 10.0.2.1   # inner host to inner host, through ESP"
ip netns exec "$A" busybox ping -c 5 -i 0.3 -W 5 10.0.2.1
say "ip netns exec west kipsec sa show   # packet counters rose on both SAs"
ip netns exec "$B" "$KIPSEC" sa show | grep -E "spi|packets" || ip netns exec "$B" "$KIPSEC" sa show
say "ip netns exec east ping -c 5 10.0.2.1"
ip netns exec "$A" busybox ping -c 5 -i 0.3 -W 5 10.0.2.1 | tail -2
say "ip netns exec west kipsec sa show   # ... and again"
ip netns exec "$B" "$KIPSEC" sa show | grep -E "spi|packets" || ip netns exec "$B" "$KIPSEC" sa show

echo
echo "== east stops: it sends Delete, west removes its SAs too"
kill "$EAST"
wait "$EAST" || true
PIDS=${PIDS/ $EAST/}
until_ok 10 grep -q "peer deleted the IKE SA" "$D/west.log"
say "ip netns exec west kipsec sa show   # empty"; ip netns exec "$B" "$KIPSEC" sa show
say "tail -2 west.log"; tail -2 "$D/west.log" | sed 's/^kipsec-iked\[[0-9.]*\] //'
echo
echo "demo done: kipsec-iked negotiated an IKEv1 tunnel through kipsec.ko in Debian's kernel."
