#!/bin/bash
# Per-CPU SAs (issue 4): kipsec on both sides. The left sends under a
# per-cpu template with an SA for each vCPU and a fallback SA without a
# CPU. Checked: traffic sent from each vCPU goes out on that vCPU's SA
# (both sides' counters), the captured ESP of both SAs replayed from both
# vCPUs at once is dropped and counted by the receiver's windows and never
# delivered, and deleting a CPU's SA falls back to the shared SA while an
# acquire event names the CPU.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
ATTACK=$REPO/tests/vm/t/esp_attack.py
OUT=$REPO/build/vm/pcpu_sa
L=$(ns left)
R=$(ns right)
MON=
cleanup() {
	[ -n "${CAPTURE_PIDS:-}" ] && kill $CAPTURE_PIDS 2>/dev/null
	[ -n "$MON" ] && kill "$MON" 2>/dev/null
	rm -f "$OUT"/*.keys
	teardown "$L" "$R"
}
trap cleanup EXIT
rm -rf "$OUT"
mkdir -p "$OUT"
chmod 700 "$OUT"

# Receivers listen until told to stop, or at most this long.
RECV_SECS=600
N=30	# datagrams sent from each vCPU

kl() { ip netns exec "$L" "$KIPSEC" "$@"; }
kr() { ip netns exec "$R" "$KIPSEC" "$@"; }
stat_r() { kr stats | awk -v n="$1" '$1 == n { print $2 }'; }
# field SIDE DST SPI FIELD: a number from the SA's "sa get" output
field() {
	"$1" sa get dst "$2" spi "$3" | tr ' ' '\n' | grep -A1 -x "$4" | tail -1
}
out_l() { field kl 192.168.80.2 "$1" "$2"; }	# left's outbound SAs
in_r() { field kr 192.168.80.2 "$1" "$2"; }	# the same SAs, inbound on the right

# SPIs: 0x6000 the fallback (no CPU), 0x6010 + N for vCPU N; 0x6100 back.
setup() {
	local spi key
	umask 077
	ip netns add "$L" && ip netns add "$R" &&
	ip link add vl netns "$L" type veth peer name vr netns "$R" &&
	ip -n "$L" addr add 192.168.80.1/24 dev vl &&
	ip -n "$R" addr add 192.168.80.2/24 dev vr &&
	ip -n "$L" link set lo up && ip -n "$R" link set lo up &&
	ip -n "$L" link set vl up && ip -n "$R" link set vr up &&
	ip -n "$L" addr add 10.6.1.1/32 dev lo &&
	ip -n "$R" addr add 10.6.2.1/32 dev lo &&
	ip -n "$L" route add 10.6.2.0/24 via 192.168.80.2 src 10.6.1.1 &&
	ip -n "$R" route add 10.6.1.0/24 via 192.168.80.1 src 10.6.2.1 || return 1
	for spi in 0x6000 0x6010 0x6011 0x6100; do
		key=$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')
		printf 'aead %s\n' "$key" >"$OUT/$spi.keys"
	done
	# Left to right: the fallback and one SA per vCPU, on both sides.
	kl sa add src 192.168.80.1 dst 192.168.80.2 spi 0x6000 mode tunnel reqid 6 \
		aead aes-gcm keys "$OUT/0x6000.keys" replay-window 128 &&
	kr sa add src 192.168.80.1 dst 192.168.80.2 spi 0x6000 mode tunnel reqid 6 \
		aead aes-gcm keys "$OUT/0x6000.keys" replay-window 128 || return 1
	for cpu in 0 1; do
		spi=0x601$cpu
		kl sa add src 192.168.80.1 dst 192.168.80.2 spi $spi mode tunnel reqid 6 \
			aead aes-gcm keys "$OUT/$spi.keys" replay-window 128 cpu $cpu &&
		kr sa add src 192.168.80.1 dst 192.168.80.2 spi $spi mode tunnel reqid 6 \
			aead aes-gcm keys "$OUT/$spi.keys" replay-window 128 || return 1
	done
	# Right to left: one plain SA.
	kr sa add src 192.168.80.2 dst 192.168.80.1 spi 0x6100 mode tunnel reqid 6 \
		aead aes-gcm keys "$OUT/0x6100.keys" replay-window 128 &&
	kl sa add src 192.168.80.2 dst 192.168.80.1 spi 0x6100 mode tunnel reqid 6 \
		aead aes-gcm keys "$OUT/0x6100.keys" replay-window 128 &&
	kl policy add dir out src 10.6.1.0/24 dst 10.6.2.0/24 action protect \
		tmpl mode tunnel reqid 6 src 192.168.80.1 dst 192.168.80.2 per-cpu >/dev/null &&
	kl policy add dir in src 10.6.2.0/24 dst 10.6.1.0/24 action protect \
		tmpl mode tunnel reqid 6 src 192.168.80.2 dst 192.168.80.1 >/dev/null &&
	kr policy add dir out src 10.6.2.0/24 dst 10.6.1.0/24 action protect \
		tmpl mode tunnel reqid 6 src 192.168.80.2 dst 192.168.80.1 >/dev/null &&
	kr policy add dir in src 10.6.1.0/24 dst 10.6.2.0/24 action protect \
		tmpl mode tunnel reqid 6 src 192.168.80.1 dst 192.168.80.2 >/dev/null
}

check "load kipsec" kipsec_load
check "namespaces; left: fallback SA + one SA per vCPU under a per-cpu policy" setup
shows_cpus() {
	kl sa show >"$OUT/show" && kl -j sa show >"$OUT/show.json" &&
	grep -q 'spi 0x00006010 reqid 6 mode tunnel cpu 0$' "$OUT/show" &&
	grep -q 'spi 0x00006011 reqid 6 mode tunnel cpu 1$' "$OUT/show" &&
	grep -q 'spi 0x00006000 reqid 6 mode tunnel$' "$OUT/show" &&
	grep -q '"spi":24593,"reqid":6,"mode":"tunnel","cpu":1,' "$OUT/show.json"
}
check "sa show names each SA's CPU (text and JSON)" shows_cpus
check "policy show marks the template per-cpu" \
	bash -c "ip netns exec $L $KIPSEC policy show | grep -q 'tmpl esp tunnel reqid 6 src 192.168.80.1 dst 192.168.80.2 per-cpu'"

ip netns exec "$L" "$KIPSEC" monitor >"$OUT/events" 2>&1 &
MON=$!

# Datagrams from each vCPU to its own port (so the receivers can tell a
# replayed copy from a genuine one), captured on the way out.
ip netns exec "$R" "$PY" "$ATTACK" recv 5000 "$RECV_SECS" "$OUT/r0.ready" "$OUT/stop" >"$OUT/recv0" &
r0=$!
ip netns exec "$R" "$PY" "$ATTACK" recv 5001 "$RECV_SECS" "$OUT/r1.ready" "$OUT/stop" >"$OUT/recv1" &
r1=$!
wait_for 60 test -e "$OUT/r0.ready" -a -e "$OUT/r1.ready"
capture "$L" vl "$OUT/out.pcap"
ip netns exec "$L" taskset -c 0 "$PY" "$ATTACK" send 10.6.2.1 5000 "$N"
ip netns exec "$L" taskset -c 1 "$PY" "$ATTACK" send 10.6.2.1 5001 "$N"
sleep 1
kill $CAPTURE_PIDS 2>/dev/null
wait $CAPTURE_PIDS 2>/dev/null
CAPTURE_PIDS=

check "vCPU 0's datagrams left on its SA (left: $N packets on 0x6010)" test "$(out_l 0x6010 packets)" = "$N"
check "vCPU 1's datagrams left on its SA (left: $N packets on 0x6011)" test "$(out_l 0x6011 packets)" = "$N"
check "nothing on the fallback SA" test "$(out_l 0x6000 packets)" = 0
check "the right received them on the same SAs ($N + $N)" \
	test "$(in_r 0x6010 packets)/$(in_r 0x6011 packets)/$(in_r 0x6000 packets)" = "$N/$N/0"
check "no acquire while every vCPU has its SA" bash -c "! grep -q acquire $OUT/events"

# Replay everything captured (both SAs) three times from both vCPUs at once.
before=$(($(stat_r in-replay) + $(stat_r in-window)))
ip netns exec "$L" taskset -c 0 "$PY" "$ATTACK" replay "$OUT/out.pcap" vl 3 >/dev/null &
p0=$!
ip netns exec "$L" taskset -c 1 "$PY" "$ATTACK" replay "$OUT/out.pcap" vl 3 >/dev/null &
p1=$!
wait $p0 $p1
sleep 1
check "every replayed packet of both SAs dropped and counted (2 CPUs x 3 x $((2 * N)))" \
	test $(($(stat_r in-replay) + $(stat_r in-window) - before)) -ge $((12 * N))
check "each SA's own window caught its replays" \
	test $(($(in_r 0x6010 replay-drops) + $(in_r 0x6010 window-drops))) -ge $((6 * N)) -a \
	$(($(in_r 0x6011 replay-drops) + $(in_r 0x6011 window-drops))) -ge $((6 * N))
check "the SAs still count only the genuine packets" \
	test "$(in_r 0x6010 packets)/$(in_r 0x6011 packets)" = "$N/$N"
touch "$OUT/stop"
wait $r0 $r1
check "each datagram was delivered once (vCPU 0)" grep -qx "distinct $N total $N duplicates 0" "$OUT/recv0"
check "each datagram was delivered once (vCPU 1)" grep -qx "distinct $N total $N duplicates 0" "$OUT/recv1"

# vCPU 1 loses its SA: its traffic falls back, and an acquire names it.
check "delete vCPU 1's SA" kl sa del dst 192.168.80.2 spi 0x6011
check "vCPU 1 still reaches the right, on the fallback SA" \
	ip netns exec "$L" taskset -c 1 busybox ping -c 3 -i 0.2 -W 6 -w 20 -I 10.6.1.1 10.6.2.1
check "fallback SA carried vCPU 1's 3 pings" test "$(out_l 0x6000 packets)" = 3
cpu0_kept() {
	ip netns exec "$L" taskset -c 0 busybox ping -c 2 -i 0.2 -W 6 -w 20 -I 10.6.1.1 10.6.2.1 &&
	test "$(out_l 0x6010 packets)" = $((N + 2))
}
check "vCPU 0 kept its own SA" cpu0_kept
check "an acquire event names vCPU 1" \
	wait_for 10 grep -q "^acquire policy [0-9]* dir out .* reqid 6 cpu 1$" "$OUT/events"
_show "$(cat "$OUT/events")"
check "no acquire for any other CPU" bash -c "! grep acquire $OUT/events | grep -vq 'cpu 1$'"
kill "$MON" 2>/dev/null
wait "$MON" 2>/dev/null
MON=
ip netns del "$L"
ip netns del "$R"
check "unload" rmmod kipsec
done_testing
