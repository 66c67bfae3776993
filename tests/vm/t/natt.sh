#!/bin/bash
# ESP in UDP (RFC 3948): kipsec on the left, native xfrm with "encap
# espinudp" on the right, each namespace with a port-4500 UDP_ENCAP socket
# as a key daemon would hold (tests/vm/t/udp_encap.py). Tunnel mode over
# IPv4 and IPv6 and transport mode, directly and through a NAT (nftables
# masquerade in a middle namespace, which rewrites the left's address), with
# ping, TCP and UDP both ways and both sides' SA counters; the wire carries
# UDP to port 4500 and no bare ESP; IKE messages with the non-ESP marker
# reach the socket and NAT keepalives don't; plain ESP for an ESP-in-UDP SA
# is dropped and counted.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
T=$REPO/tests/vm/t
OUT=$REPO/build/vm/natt
L=$(ns left)
R=$(ns right)
M=$(ns nat)
FIFO=/tmp/natt.$$.fifo
PIDS=
cleanup() {
	[ -n "${CAPTURE_PIDS:-}" ] && kill $CAPTURE_PIDS 2>/dev/null
	[ -n "$PIDS" ] && stop_daemons
	for n in "$L" "$R" "$M"; do ip netns del "$n" 2>/dev/null; done
	rm -f "$OUT"/*.keys "$FIFO"
	rmmod kipsec 2>/dev/null
}
trap cleanup EXIT
rm -rf "$OUT"
mkdir -p "$OUT"
chmod 700 "$OUT"
umask 077
modprobe -q esp4
modprobe -q esp6
modprobe -q xfrm_user

kl() { ip netns exec "$L" "$KIPSEC" "$@"; }
# field DST SPI NAME: a number from the left's "sa get" output
field() { kl sa get dst "$1" spi "$2" | tr ' ' '\n' | grep -A1 -x "$3" | tail -1; }
stat_l() { kl stats | awk -v n="$1" '$1 == n { print $2 }'; }
# xfrm_packets NS SPI: packets of the right's SA, from "ip -s xfrm state"
xfrm_packets() {
	ip -n "$1" -s xfrm state | awk -v spi="$(printf '0x%08x' "$2")" '
		$1 == "proto" && $3 == "spi" { cur = (index($4, spi) == 1) }
		cur && /[0-9]+\(bytes\), [0-9]+\(packets\)/ {
			sub(/.*, /, ""); sub(/\(packets\).*/, ""); print; exit
		}'
}

KEY_LR=$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')
KEY_RL=$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf 'aead %s\n' "$KEY_LR" >"$OUT/lr.keys"
printf 'aead %s\n' "$KEY_RL" >"$OUT/rl.keys"

# Addresses: the left's outer address (LO), the right's (RO), the address
# the right sees the left at (LSEEN: LO, or the NAT's), inner hosts.
topology_direct() {
	ip netns add "$L" && ip netns add "$R" &&
	ip link add vl netns "$L" type veth peer name vr netns "$R" &&
	ip -n "$L" addr add 192.168.85.1/24 dev vl &&
	ip -n "$R" addr add 192.168.85.2/24 dev vr &&
	ip -n "$L" addr add fd00:85::1/64 dev vl nodad &&
	ip -n "$R" addr add fd00:85::2/64 dev vr nodad &&
	for n in "$L" "$R"; do ip -n "$n" link set lo up || return 1; done &&
	ip -n "$L" link set vl up && ip -n "$R" link set vr up &&
	ip -n "$L" addr add 10.8.1.1/32 dev lo && ip -n "$R" addr add 10.8.2.1/32 dev lo &&
	ip -n "$L" addr add fd00:81::1/128 dev lo && ip -n "$R" addr add fd00:82::1/128 dev lo &&
	ip -n "$L" route add 10.8.2.0/24 via 192.168.85.2 src 10.8.1.1 &&
	ip -n "$R" route add 10.8.1.0/24 via 192.168.85.1 src 10.8.2.1 &&
	ip -n "$L" route add fd00:82::/64 via fd00:85::2 src fd00:81::1 &&
	ip -n "$R" route add fd00:81::/64 via fd00:85::1 src fd00:82::1
}

# The left behind a NAT: L (10.7.0.1) -- M (masquerade) -- R (192.168.77.2).
topology_nat() { nat_topology "$L" "$M" "$R"; }

# Both namespaces: a port-4500 UDP_ENCAP socket and a traffic agent.
daemons() {
	local n
	for n in "$L" "$R"; do
		ip netns exec "$n" "$PY" "$T/udp_encap.py" hold 4500 "$OUT/$n.udp" "$OUT/$n.ready" &
		PIDS="$PIDS $!"
	done
	# The right's agent only serves; fd 7 keeps its stdin open (a FIFO
	# on the VM's tmpfs: the 9p share has none).
	rm -f "$FIFO" && mkfifo "$FIFO" || return 1
	ip netns exec "$R" "$PY" "$T/esp_traffic.py" agent --serve 5001 <"$FIFO" >/dev/null 2>&1 &
	PIDS="$PIDS $!"
	exec 7>"$FIFO"
	coproc LAGENT { ip netns exec "$L" "$PY" "$T/esp_traffic.py" agent 2>&1; }
	PIDS="$PIDS $LAGENT_PID"
	wait_for 60 test -e "$OUT/$L.ready" -a -e "$OUT/$R.ready" &&
	wait_for 60 bash -c "ip netns exec $R ss -ltn | grep -q ':5001 '"
}

stop_daemons() {
	exec 7>&-
	kill $PIDS 2>/dev/null
	wait $PIDS 2>/dev/null
	PIDS=
}

# agent_l CMD...: one command to the left's agent, its answer in REPLY
agent_l() {
	echo "$*" >&"${LAGENT[1]}"
	read -r -t 120 REPLY <&"${LAGENT[0]}"
}

# sas MODE LO RO LSEEN [LIN RIN]: the SA pair and policies on both
# sides, SPIs 0x7001 (left to right) and 0x7002, in UDP 4500 <-> 4500.
sas() {
	local mode=$1 lo=$2 ro=$3 lseen=$4 lin=${5:-} rin=${6:-}
	local tout=() tin=() sl=() sr=()
	if [ "$mode" = tunnel ]; then
		tout=(src "$lo" dst "$ro")
		tin=(src "$ro" dst "$lo")
		sl=(src "$lin" dst "$rin")
		sr=(src "$rin" dst "$lin")
	else
		sl=(src "$lo" dst "$ro")
		sr=(src "$ro" dst "$lo")
	fi
	kl sa add src "$lo" dst "$ro" spi 0x7001 mode "$mode" reqid 7 aead aes-gcm \
		keys "$OUT/lr.keys" replay-window 64 encap espinudp 4500 4500 &&
	kl sa add src "$ro" dst "$lo" spi 0x7002 mode "$mode" reqid 7 aead aes-gcm \
		keys "$OUT/rl.keys" replay-window 64 encap espinudp 4500 4500 &&
	kl policy add dir out "${sl[@]}" action protect tmpl mode "$mode" reqid 7 "${tout[@]}" \
		>/dev/null &&
	kl policy add dir in "${sr[@]}" action protect tmpl mode "$mode" reqid 7 "${tin[@]}" \
		>/dev/null || return 1
	ip -n "$R" xfrm state add src "$lseen" dst "$ro" proto esp spi 0x7001 reqid 7 mode "$mode" \
		replay-window 64 aead 'rfc4106(gcm(aes))' "0x$KEY_LR" 128 \
		encap espinudp 4500 4500 0.0.0.0 &&
	ip -n "$R" xfrm state add src "$ro" dst "$lseen" proto esp spi 0x7002 reqid 7 mode "$mode" \
		replay-window 64 aead 'rfc4106(gcm(aes))' "0x$KEY_RL" 128 \
		encap espinudp 4500 4500 0.0.0.0 || return 1
	if [ "$mode" = tunnel ]; then
		ip -n "$R" xfrm policy add src "$rin" dst "$lin" dir out \
			tmpl src "$ro" dst "$lseen" proto esp reqid 7 mode tunnel &&
		ip -n "$R" xfrm policy add src "$lin" dst "$rin" dir in \
			tmpl src "$lseen" dst "$ro" proto esp reqid 7 mode tunnel
	else
		ip -n "$R" xfrm policy add src "$ro" dst "$lseen" dir out \
			tmpl proto esp reqid 7 mode transport &&
		ip -n "$R" xfrm policy add src "$lseen" dst "$ro" dir in \
			tmpl proto esp reqid 7 mode transport
	fi
}

unsas() {
	kl policy flush && kl sa flush &&
	ip -n "$R" xfrm policy flush && ip -n "$R" xfrm state flush
}

# traffic NAME SRC DST: ping, TCP and UDP from the left through the SAs,
# on the wire as UDP to port 4500 only.
traffic() {
	local name=$1 src=$2 dst=$3 dev=${4:-vl} n=${5:-$L} lp rp
	local pcap="$OUT/${name// /_}.pcap"
	capture "$n" "$dev" "$pcap"
	agent_l pings "$src" "$dst" 3 0.2 56,1300
	check "$name: ping 56 and 1300 bytes both ways (${REPLY})" test "$REPLY" = "56=3/3 1300=3/3"
	agent_l traffic "$src" "$dst" 5001 100000 20 1000
	check "$name: TCP 100 KB and 20 UDP datagrams echoed (${REPLY})" \
		bash -c "[[ '$REPLY' == tcp=ok* && '$REPLY' == *udp=20/20 ]]"
	sleep 0.5
	kill $CAPTURE_PIDS 2>/dev/null
	wait $CAPTURE_PIDS 2>/dev/null
	CAPTURE_PIDS=
	lp=$(field "$RO" 0x7001 packets)
	rp=$(xfrm_packets "$R" 0x7001)
	check "$name: left sent on its SA, right took them all ($lp / $rp)" \
		test "${lp:-0}" -gt 0 -a "$lp" = "$rp"
	lp=$(field "$LO" 0x7002 packets)
	rp=$(xfrm_packets "$R" 0x7002)
	check "$name: right's replies decrypted by kipsec ($rp / $lp)" \
		test "${lp:-0}" -gt 0 -a "$lp" = "$rp"
	local udp esp
	udp=$(tcpdump -r "$pcap" -n 'udp port 4500' 2>/dev/null | wc -l)
	esp=$(tcpdump -r "$pcap" -n 'ip proto 50 or ip6 proto 50' 2>/dev/null | wc -l)
	check "$name: the wire has ESP in UDP 4500 ($udp packets), no bare ESP ($esp)" \
		test "$udp" -gt 0 -a "$esp" = 0
}

# The debug kernel (~5x slower) runs the cases that exercise distinct code:
# tunnel mode directly (with the marker, keepalive and mismatch checks) and
# transport mode through the NAT (the checksum rule).
FULL=1
[ "$KIPSEC_KERNEL" = debug ] && FULL=

check "load kipsec" kipsec_load

# --- directly connected ---
check "direct: namespaces" topology_direct
daemons
check "direct: UDP_ENCAP sockets on port 4500 and traffic agents" test -e "$OUT/$L.ready"

LO=192.168.85.1 RO=192.168.85.2
check "tunnel v4: SAs and policies (kipsec left, xfrm right)" \
	sas tunnel $LO $RO $LO 10.8.1.0/24 10.8.2.0/24
check "sa show tells the encapsulation" bash -c "ip netns exec $L $KIPSEC sa show | grep -q 'encap espinudp 4500 4500'"
traffic "tunnel v4" 10.8.1.1 10.8.2.1

# IKE messages (non-ESP marker: four zero bytes) go to the socket,
# keepalives (one 0xff byte) are swallowed.
ip netns exec "$R" "$PY" "$T/udp_encap.py" send $LO 4500 00000000c0ffee0000000001
ip netns exec "$R" "$PY" "$T/udp_encap.py" send $LO 4500 ff
check "an IKE message with the non-ESP marker reaches the port-4500 socket" \
	wait_for 10 grep -q "00000000c0ffee0000000001" "$OUT/$L.udp"
sleep 0.5
check "a NAT keepalive does not" bash -c "! grep -q ' ff$' $OUT/$L.udp"

# Plain ESP for an SA that expects UDP: the right sends without encap.
before=$(stat_l in-encap-mismatch)
ip -n "$R" xfrm state del src $RO dst $LO proto esp spi 0x7002
ip -n "$R" xfrm state add src $RO dst $LO proto esp spi 0x7002 reqid 7 mode tunnel \
	replay-window 64 aead 'rfc4106(gcm(aes))' "0x$KEY_RL" 128 seq 100
ip netns exec "$L" busybox ping -c 2 -i 0.2 -W 2 -I 10.8.1.1 10.8.2.1 >/dev/null 2>&1
check "plain ESP for an ESP-in-UDP SA dropped and counted (in-encap-mismatch)" \
	test "$(stat_l in-encap-mismatch)" -ge $((before + 2))
unsas

if [ -n "$FULL" ]; then
	check "transport v4: SAs and policies" sas transport $LO $RO $LO
	traffic "transport v4" $LO $RO
	unsas

	LO=fd00:85::1 RO=fd00:85::2
	check "tunnel v6: SAs and policies" sas tunnel $LO $RO $LO fd00:81::/64 fd00:82::/64
	traffic "tunnel v6" fd00:81::1 fd00:82::1
	unsas
fi
stop_daemons
for n in "$L" "$R"; do ip netns del "$n"; done
rm -f "$OUT"/*.ready

# --- the left behind a NAT ---
check "NAT: left -- masquerade -- right" topology_nat
daemons
LO=10.7.0.1 RO=192.168.77.2
if [ -n "$FULL" ]; then
	check "NAT tunnel: SAs (the right sees the left as the NAT's address)" \
		sas tunnel $LO $RO 192.168.77.254 10.8.1.0/24 10.8.2.0/24
	traffic "NAT tunnel" 10.8.1.1 10.8.2.1
	unsas
fi
check "NAT transport: SAs" sas transport $LO $RO 192.168.77.254
# Inner TCP/UDP checksums were computed over addresses the NAT changed.
traffic "NAT transport" $LO $RO
unsas
stop_daemons
for n in "$L" "$R" "$M"; do ip netns del "$n"; done
check "unload" rmmod kipsec
done_testing
