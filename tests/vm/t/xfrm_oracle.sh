#!/bin/bash
# The native xfrm oracle: ESP tunnel between two namespaces with the
# kernel's own IPsec, while kipsec is loaded in the same kernel.
#
#   [ns left] 10.0.1.1/32 (lo)              [ns right] 10.0.2.1/32 (lo)
#        veth 192.168.50.1 ====== ESP ====== veth 192.168.50.2
#
# Only addresses inside namespaces this test creates are used.
. "$(dirname "$0")/lib.sh"

L=$(ns left)
R=$(ns right)
CAP=$REPO/build/vm/xfrm_oracle
cleanup() {
	[ -n "${CAPTURE_PIDS:-}" ] && kill $CAPTURE_PIDS 2>/dev/null
	teardown "$L" "$R"
}
trap cleanup EXIT

check "load kipsec alongside native xfrm" kipsec_load
modprobe -q esp4 2>/dev/null
modprobe -q xfrm_user 2>/dev/null

ip netns add "$L"
ip netns add "$R"
ip link add vl netns "$L" type veth peer name vr netns "$R"
ip -n "$L" addr add 192.168.50.1/24 dev vl
ip -n "$R" addr add 192.168.50.2/24 dev vr
ip -n "$L" link set vl up
ip -n "$R" link set vr up
ip -n "$L" link set lo up
ip -n "$R" link set lo up
ip -n "$L" addr add 10.0.1.1/32 dev lo
ip -n "$R" addr add 10.0.2.1/32 dev lo
ip -n "$L" route add 10.0.2.0/24 via 192.168.50.2 src 10.0.1.1
ip -n "$R" route add 10.0.1.0/24 via 192.168.50.1 src 10.0.2.1

# Test keys, generated per run: never used anywhere else.
K1=0x$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')
K2=0x$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')
xfrm_side() {	# ns local remote localnet remotenet
	local n=$1 lo=$2 re=$3 ln=$4 rn=$5 out_key in_key out_spi in_spi
	if [ "$lo" = 192.168.50.1 ]; then
		out_key=$K1 in_key=$K2 out_spi=0x1001 in_spi=0x2002
	else
		out_key=$K2 in_key=$K1 out_spi=0x2002 in_spi=0x1001
	fi
	ip -n "$n" xfrm state add src "$lo" dst "$re" proto esp spi $out_spi reqid 1 mode tunnel \
		replay-window 64 aead 'rfc4106(gcm(aes))' "$out_key" 128 &&
	ip -n "$n" xfrm state add src "$re" dst "$lo" proto esp spi $in_spi reqid 1 mode tunnel \
		replay-window 64 aead 'rfc4106(gcm(aes))' "$in_key" 128 &&
	ip -n "$n" xfrm policy add src "$ln" dst "$rn" dir out \
		tmpl src "$lo" dst "$re" proto esp reqid 1 mode tunnel &&
	ip -n "$n" xfrm policy add src "$rn" dst "$ln" dir in \
		tmpl src "$re" dst "$lo" proto esp reqid 1 mode tunnel
}
check "native ESP SAs and policies on the left" \
	xfrm_side "$L" 192.168.50.1 192.168.50.2 10.0.1.0/24 10.0.2.0/24
check "native ESP SAs and policies on the right" \
	xfrm_side "$R" 192.168.50.2 192.168.50.1 10.0.2.0/24 10.0.1.0/24

# Capture what each side sends: a receiver's packet socket also sees the
# decrypted inner packets xfrm re-injects, so inbound is no proof of anything.
mkdir -p "$(dirname "$CAP")"
# Not through check: its $(...) would own tcpdump's stdout and our PID list.
if capture "$L" vl "$CAP-left.pcap" && capture "$R" vr "$CAP-right.pcap"; then
	ok "capturing on both sides"
else
	not_ok "capturing on both sides"
fi
check "ping through the native ESP tunnel" \
	ip netns exec "$L" busybox ping -c 5 -W 2 -I 10.0.1.1 10.0.2.1
check "kipsec answers while xfrm carries traffic" "$KIPSEC" info
# tcpdump may still hold the last replies in its socket: give it up to 10 s
# to write them before stopping it (a SIGTERM does not drain the socket).
esp_count() { tcpdump -n -r "$1" esp 2>/dev/null | wc -l; }
both_captured() {
	[ "$(esp_count "$CAP-left.pcap")" -ge 5 ] && [ "$(esp_count "$CAP-right.pcap")" -ge 5 ]
}
wait_for 10 both_captured
kill $CAPTURE_PIDS
wait $CAPTURE_PIDS 2>/dev/null
CAPTURE_PIDS=

# sa_packets NS: packets of NS's SA from the left, from "ip -s xfrm state"'s
# "<bytes>(bytes), <packets>(packets)" line.
sa_packets() {
	ip -n "$1" -s xfrm state list src 192.168.50.1 |
		sed -n 's/.*(bytes), \([0-9]*\)(packets).*/\1/p' | head -1
}
out_pkts=$(sa_packets "$L")
in_pkts=$(sa_packets "$R")
check "left's outbound SA counted 5+ packets (got ${out_pkts:-none})" test "${out_pkts:-0}" -ge 5
check "right's inbound SA counted 5+ packets (got ${in_pkts:-none})" test "${in_pkts:-0}" -ge 5
for side in left right; do
	esp=$(esp_count "$CAP-$side.pcap")
	clear=$(tcpdump -n -r "$CAP-$side.pcap" icmp 2>/dev/null | wc -l)
	check "$side sends ESP on the wire ($esp packets)" test "$esp" -ge 5
	check "$side sends no cleartext ICMP ($clear packets)" test "$clear" = 0
done
done_testing
