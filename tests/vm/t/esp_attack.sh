#!/bin/bash
# Attacks on an inbound kipsec SA, with native xfrm as the honest sender:
# captured ESP replayed from two CPUs at once (none may be accepted again),
# a bit-flipped packet with a fresh sequence number (an ICV failure that
# must not move the replay window), an unknown SPI. Run twice: with
# synchronous crypto and with every transform behind pcrypt (asynchronous
# completions, the module's force_async parameter). Then AH: tampered outer
# headers (see ah_scenario).
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
ATTACK=$REPO/tests/vm/t/esp_attack.py
OUT=$REPO/build/vm/esp_attack
L=$(ns left)
R=$(ns right)
cleanup() {
	[ -n "${CAPTURE_PIDS:-}" ] && kill $CAPTURE_PIDS 2>/dev/null
	teardown "$L" "$R"
}
trap cleanup EXIT
rm -rf "$OUT"
mkdir -p "$OUT"
chmod 700 "$OUT"
modprobe -q esp4
modprobe -q ah4
modprobe -q xfrm_user

k() { ip netns exec "$L" "$KIPSEC" "$@"; }
stat_of() { k stats | awk -v n="$1" '$1 == n { print $2 }'; }
sa_field() {	# SPI FIELD: a number from the SA's "sa get" output
	k sa get dst 192.168.70.1 spi "$1" | tr ' ' '\n' | grep -A1 -x "$2" | tail -1
}

setup() {
	ip netns add "$L"
	ip netns add "$R"
	ip link add vl netns "$L" type veth peer name vr netns "$R"
	ip -n "$L" addr add 192.168.70.1/24 dev vl
	ip -n "$R" addr add 192.168.70.2/24 dev vr
	for n in "$L" "$R"; do ip -n "$n" link set lo up; done
	ip -n "$L" link set vl up
	ip -n "$R" link set vr up
	ip -n "$L" addr add 10.2.1.1/32 dev lo
	ip -n "$R" addr add 10.2.2.1/32 dev lo
	ip -n "$L" route add 10.2.2.0/24 via 192.168.70.2 src 10.2.1.1
	ip -n "$R" route add 10.2.1.0/24 via 192.168.70.1 src 10.2.2.1
	local k1 k2
	k1=$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')
	k2=$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')
	printf 'aead %s\n' "$k1" > "$OUT/in.keys"
	printf 'aead %s\n' "$k2" > "$OUT/out.keys"
	ip -n "$R" xfrm state add src 192.168.70.2 dst 192.168.70.1 proto esp spi 0x3003 reqid 3 \
		mode tunnel replay-window 64 aead 'rfc4106(gcm(aes))' "0x$k1" 128 &&
	ip -n "$R" xfrm state add src 192.168.70.1 dst 192.168.70.2 proto esp spi 0x3004 reqid 3 \
		mode tunnel replay-window 64 aead 'rfc4106(gcm(aes))' "0x$k2" 128 &&
	ip -n "$R" xfrm policy add src 10.2.2.0/24 dst 10.2.1.0/24 dir out \
		tmpl src 192.168.70.2 dst 192.168.70.1 proto esp reqid 3 mode tunnel &&
	ip -n "$R" xfrm policy add src 10.2.1.0/24 dst 10.2.2.0/24 dir in \
		tmpl src 192.168.70.1 dst 192.168.70.2 proto esp reqid 3 mode tunnel &&
	k sa add src 192.168.70.2 dst 192.168.70.1 spi 0x3003 mode tunnel reqid 3 \
		aead aes-gcm keys "$OUT/in.keys" replay-window 64 &&
	k sa add src 192.168.70.1 dst 192.168.70.2 spi 0x3004 mode tunnel reqid 3 \
		aead aes-gcm keys "$OUT/out.keys" replay-window 64 &&
	k policy add dir out src 10.2.1.0/24 dst 10.2.2.0/24 action protect \
		tmpl mode tunnel reqid 3 src 192.168.70.1 dst 192.168.70.2 >/dev/null &&
	k policy add dir in src 10.2.2.0/24 dst 10.2.1.0/24 action protect \
		tmpl mode tunnel reqid 3 src 192.168.70.2 dst 192.168.70.1 >/dev/null
}

scenario() {	# NAME MODULE_PARAMS...
	local name=$1 n=40 before seq_in
	shift
	check "$name: load kipsec $*" kipsec_load "$@"
	check "$name: namespaces, native xfrm on the right, kipsec on the left" setup

	ip netns exec "$L" "$PY" "$ATTACK" recv 5000 40 "$OUT/$name.ready" > "$OUT/$name.recv" &
	local rpid=$!
	wait_for 30 test -e "$OUT/$name.ready"
	capture "$R" vr "$OUT/$name.pcap"
	sleep 1
	ip netns exec "$R" "$PY" "$ATTACK" send 10.2.1.1 5000 "$n"
	sleep 1
	kill $CAPTURE_PIDS 2>/dev/null
	wait $CAPTURE_PIDS 2>/dev/null
	CAPTURE_PIDS=
	check "$name: $n datagrams through the tunnel" \
		test "$(sa_field 0x3003 packets)" = "$n"

	# Replay everything, three times, from both vCPUs at once.
	before=$(( $(stat_of in-replay) + $(stat_of in-window) ))
	ip netns exec "$R" taskset -c 0 "$PY" "$ATTACK" replay "$OUT/$name.pcap" vr 3 &
	local p0=$!
	ip netns exec "$R" taskset -c 1 "$PY" "$ATTACK" replay "$OUT/$name.pcap" vr 3 &
	local p1=$!
	wait $p0 $p1
	sleep 1
	check "$name: every replayed packet dropped and counted (2 CPUs x 3 x $n)" \
		test $(( $(stat_of in-replay) + $(stat_of in-window) - before )) -ge $((6 * n))
	check "$name: SA still counts only the $n genuine packets" \
		test "$(sa_field 0x3003 packets)" = "$n"
	check "$name: per-SA replay counters" \
		test $(( $(sa_field 0x3003 replay-drops) + $(sa_field 0x3003 window-drops) )) -ge $((6 * n))

	seq_in=$(sa_field 0x3003 seq-in)
	before=$(stat_of in-icv-fail)
	ip netns exec "$R" "$PY" "$ATTACK" forge "$OUT/$name.pcap" vr flip
	sleep 0.5
	check "$name: bit-flipped packet dropped as an ICV failure" \
		test "$(stat_of in-icv-fail)" = $((before + 1))
	check "$name: ... and the replay window did not move" \
		test "$(sa_field 0x3003 seq-in)" = "$seq_in"
	before=$(stat_of in-no-sa)
	ip netns exec "$R" "$PY" "$ATTACK" forge "$OUT/$name.pcap" vr spi
	sleep 0.5
	check "$name: unknown SPI dropped and counted" test "$(stat_of in-no-sa)" -ge $((before + 1))

	wait "$rpid"
	check "$name: the receiver got each datagram once (no replay reached it)" \
		grep -qx "distinct $n total $n duplicates 0" "$OUT/$name.recv"
	_show "$(cat "$OUT/$name.recv")"
	ip netns del "$L"
	ip netns del "$R"
	check "$name: unload" rmmod kipsec
}

# AH (RFC 4302), native xfrm sending in tunnel mode with HMAC-SHA-256-128:
# genuine packets captured while kipsec has no inbound SA (so none was
# accepted yet), then sent again with one outer IPv4 header field changed
# each. The ICV covers source, destination, protocol, identification and
# length: those must fail (a changed protocol is no AH any more: not
# delivered, counted as no SA); TTL and TOS are mutable: those pass.
ah_field() {	# DST SPI FIELD
	k sa get dst "$1" spi "$2" proto ah | tr ' ' '\n' | grep -A1 -x "$3" | tail -1
}

ah_setup() {
	ip netns add "$L"
	ip netns add "$R"
	ip link add vl netns "$L" type veth peer name vr netns "$R"
	ip -n "$L" addr add 192.168.70.1/24 dev vl
	ip -n "$L" addr add 192.168.70.3/24 dev vl
	ip -n "$R" addr add 192.168.70.2/24 dev vr
	for n in "$L" "$R"; do ip -n "$n" link set lo up; done
	ip -n "$L" link set vl up
	ip -n "$R" link set vr up
	ip -n "$L" addr add 10.2.1.1/32 dev lo
	ip -n "$R" addr add 10.2.2.1/32 dev lo
	ip -n "$L" route add 10.2.2.0/24 via 192.168.70.2 src 10.2.1.1
	ip -n "$R" route add 10.2.1.0/24 via 192.168.70.1 src 10.2.2.1
	# A forged source must reach AH, not the reverse path filter.
	ip netns exec "$L" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.vl.rp_filter=0
	local k1 k2
	k1=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
	k2=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
	printf 'auth %s\n' "$k1" > "$OUT/ah-in.keys"
	printf 'auth %s\n' "$k2" > "$OUT/ah-out.keys"
	chmod 600 "$OUT/ah-in.keys" "$OUT/ah-out.keys"
	ip -n "$R" xfrm state add src 192.168.70.2 dst 192.168.70.1 proto ah spi 0x5003 reqid 5 \
		mode tunnel replay-window 64 auth-trunc 'hmac(sha256)' "0x$k1" 128 &&
	ip -n "$R" xfrm state add src 192.168.70.1 dst 192.168.70.2 proto ah spi 0x5004 reqid 5 \
		mode tunnel replay-window 64 auth-trunc 'hmac(sha256)' "0x$k2" 128 &&
	ip -n "$R" xfrm policy add src 10.2.2.0/24 dst 10.2.1.0/24 dir out \
		tmpl src 192.168.70.2 dst 192.168.70.1 proto ah reqid 5 mode tunnel &&
	ip -n "$R" xfrm policy add src 10.2.1.0/24 dst 10.2.2.0/24 dir in \
		tmpl src 192.168.70.1 dst 192.168.70.2 proto ah reqid 5 mode tunnel &&
	k sa add src 192.168.70.1 dst 192.168.70.2 spi 0x5004 proto ah mode tunnel reqid 5 \
		auth sha256 keys "$OUT/ah-out.keys" replay-window 64 &&
	k sa add src 192.168.70.2 dst 192.168.70.3 spi 0x5003 proto ah mode tunnel reqid 5 \
		auth sha256 keys "$OUT/ah-in.keys" replay-window 64 &&
	k policy add dir out src 10.2.1.0/24 dst 10.2.2.0/24 action protect \
		tmpl proto ah mode tunnel reqid 5 src 192.168.70.1 dst 192.168.70.2 >/dev/null &&
	k policy add dir in src 10.2.2.0/24 dst 10.2.1.0/24 action protect \
		tmpl proto ah mode tunnel reqid 5 src 192.168.70.2 dst 192.168.70.1 >/dev/null
}

ah_scenario() {	# NAME MODULE_PARAMS...
	local name=$1 n=12 icv0 nosa0 nah
	shift
	check "$name: load kipsec $*" kipsec_load "$@"
	check "$name: namespaces, native xfrm AH on the right, kipsec AH on the left" ah_setup
	capture "$R" vr "$OUT/$name.pcap"
	sleep 1
	ip netns exec "$R" "$PY" "$ATTACK" send 10.2.1.1 5000 "$n"
	sleep 1
	kill $CAPTURE_PIDS 2>/dev/null
	wait $CAPTURE_PIDS 2>/dev/null
	CAPTURE_PIDS=
	nah=$(tcpdump -nr "$OUT/$name.pcap" 'ip proto 51' 2>/dev/null | wc -l)
	check "$name: $n AH packets captured, none accepted (no inbound SA yet; got $nah)" \
		test "$nah" = "$n"
	check "$name: inbound AH SA added" \
		k sa add src 192.168.70.2 dst 192.168.70.1 spi 0x5003 proto ah mode tunnel reqid 5 \
		auth sha256 keys "$OUT/ah-in.keys" replay-window 64

	icv0=$(stat_of in-icv-fail)
	nosa0=$(stat_of in-no-sa)
	rm -f "$OUT/$name.stop"
	ip netns exec "$L" "$PY" "$ATTACK" recv 5000 300 "$OUT/$name.ready" "$OUT/$name.stop" \
		> "$OUT/$name.recv" &
	local rpid=$!
	wait_for 30 test -e "$OUT/$name.ready"
	# Frame i carries datagram id=i. Frame 3 goes again unchanged last: an
	# ICV failure must not have used up its sequence number. Frame 7 twice:
	# the second is a replay.
	ip netns exec "$R" "$PY" "$ATTACK" ah "$OUT/$name.pcap" vr 0:src 1:dst 2:proto 3:id 4:len \
		5:ttl 6:tos 7:none 7:none 3:none
	sleep 1
	touch "$OUT/$name.stop"
	wait "$rpid"
	_show "$(cat "$OUT/$name.recv")"
	check "$name: delivered: TTL and TOS changed (mutable), genuine, the id-tampered one resent intact" \
		grep -qx "ids 3 5 6 7" "$OUT/$name.recv"
	check "$name: ... each once (the replay dropped)" grep -qx "distinct 4 total 4 duplicates 0" \
		"$OUT/$name.recv"
	check "$name: source, identification, length changed: 3 ICV failures on the SA" \
		test "$(ah_field 192.168.70.1 0x5003 icv-failures)" = 3
	check "$name: destination changed: an ICV failure on the SA of that destination" \
		test "$(ah_field 192.168.70.3 0x5003 icv-failures)" = 1
	check "$name: 4 ICV failures in the namespace's counters" \
		test "$(stat_of in-icv-fail)" = $((icv0 + 4))
	check "$name: protocol changed: no AH any more, dropped as no SA" \
		test "$(stat_of in-no-sa)" -ge $((nosa0 + 1))
	check "$name: the replay dropped and counted on the SA" \
		test "$(ah_field 192.168.70.1 0x5003 replay-drops)" = 1
	check "$name: the SA counts the 4 genuine packets" \
		test "$(ah_field 192.168.70.1 0x5003 packets)" = 4
	ip netns del "$L"
	ip netns del "$R"
	check "$name: unload" rmmod kipsec
}

# The stock kernel runs both. The debug kernel (~5x slower) runs the
# synchronous case only: with pcrypt on two CPUs, Debian 6.1.192's padata
# itself trips lockdep ("possible recursive locking detected" on
# pd_list->lock in padata_do_serial, a padata worker with no kipsec frame).
scenario sync
[ "$KIPSEC_KERNEL" = debug ] || scenario async force_async=1
ah_scenario ah-sync
# cryptd (AH's asynchronous wrapper) does not go through padata.
ah_scenario ah-async force_async=1
rm -f "$OUT"/*.keys
done_testing
