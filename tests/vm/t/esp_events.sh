#!/bin/bash
# Events and limits: acquire for traffic with no SA, soft and hard expiry by
# packets and by time, sequence number exhaustion without ESN, sa-deleted on
# delete; and cleartext that a protect policy covers is dropped on input.
# kipsec on the left, the kernel's own xfrm on the right.
. "$(dirname "$0")/lib.sh"

L=$(ns left)
R=$(ns right)
OUT=$REPO/build/vm/esp_events
MONPID=
cleanup() {
	[ -n "$MONPID" ] && kill "$MONPID" 2>/dev/null
	teardown "$L" "$R"
}
trap cleanup EXIT
rm -rf "$OUT"
mkdir -p "$OUT"
chmod 700 "$OUT"

check "load kipsec" kipsec_load
modprobe -q esp4
modprobe -q xfrm_user
ip netns add "$L"
ip netns add "$R"
ip link add vl netns "$L" type veth peer name vr netns "$R"
ip -n "$L" addr add 192.168.60.1/24 dev vl
ip -n "$R" addr add 192.168.60.2/24 dev vr
for n in "$L" "$R"; do ip -n "$n" link set lo up; done
ip -n "$L" link set vl up
ip -n "$R" link set vr up
ip -n "$L" addr add 10.1.1.1/32 dev lo
ip -n "$R" addr add 10.1.2.1/32 dev lo
ip -n "$L" route add 10.1.2.0/24 via 192.168.60.2 src 10.1.1.1
ip -n "$R" route add 10.1.1.0/24 via 192.168.60.1 src 10.1.2.1

k() { ip netns exec "$L" "$KIPSEC" "$@"; }
ping_r() { ip netns exec "$L" busybox ping -c "${1:-1}" -i 0.2 -W 2 -I 10.1.1.1 10.1.2.1 >/dev/null 2>&1; }
stat_of() { k stats | awk -v n="$1" '$1 == n { print $2 }'; }

ip netns exec "$L" "$KIPSEC" monitor > "$OUT/monitor.log" 2>&1 &
MONPID=$!
sleep 0.5

# Acquire: a protect policy and no SA: the packet is dropped, one event.
check "policy out without SA" k policy add dir out src 10.1.1.0/24 dst 10.1.2.0/24 \
	action protect tmpl mode tunnel reqid 7 src 192.168.60.1 dst 192.168.60.2
check_fails "traffic with no SA is dropped" "" ping_r 2
check "acquire event names the policy, flow and reqid" \
	wait_for 5 grep -q "^acquire policy 1 dir out src 10.1.1.1 dst 10.1.2.1 proto icmp.* reqid 7" \
	"$OUT/monitor.log"
check "acquires are rate-limited (one per second per policy)" \
	test "$(grep -c '^acquire' "$OUT/monitor.log")" -le 2
check "out-no-sa counted" test "$(stat_of out-no-sa)" -ge 1

KEY=$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf 'aead %s\n' "$KEY" > "$OUT/k"
# Outbound SA with packet limits: soft at 2, hard at 4.
check "SA with soft/hard packet limits" k sa add src 192.168.60.1 dst 192.168.60.2 \
	spi 0x7001 mode tunnel reqid 7 aead aes-gcm keys "$OUT/k" soft packets 2 hard packets 4
ping_r 6
check "soft expire event at the soft packet limit" \
	wait_for 5 grep -q "^expire soft .*spi 0x00007001" "$OUT/monitor.log"
check "hard expire event at the hard packet limit" \
	wait_for 5 grep -q "^expire hard .*spi 0x00007001" "$OUT/monitor.log"
check "sa-deleted after the hard expiry" \
	wait_for 5 grep -q "^sa-deleted .*spi 0x00007001" "$OUT/monitor.log"
check_fails "hard-expired SA is gone" "no SA" k sa get dst 192.168.60.2 spi 0x7001

# Time limits: soft after 1 s, hard after 2 s.
check "SA with time limits" k sa add src 192.168.60.1 dst 192.168.60.2 \
	spi 0x7002 mode tunnel reqid 7 aead aes-gcm keys "$OUT/k" soft add-secs 1 hard add-secs 2
check "soft expire by time" wait_for 5 grep -q "^expire soft .*spi 0x00007002" "$OUT/monitor.log"
check "hard expire by time" wait_for 5 grep -q "^expire hard .*spi 0x00007002" "$OUT/monitor.log"

# Without ESN the sequence number must not wrap: start just below 2^32.
check "SA near the end of its sequence space" k sa add src 192.168.60.1 dst 192.168.60.2 \
	spi 0x7003 mode tunnel reqid 7 aead aes-gcm keys "$OUT/k" seq 0xfffffffe
ping_r 3
check "the SA stopped sending at 2^32-1" test "$(stat_of out-seq-overflow)" -ge 1
check "exhausted SA raises a hard expire" \
	wait_for 5 grep -q "^expire hard .*spi 0x00007003" "$OUT/monitor.log"
check "add an SA to delete" k sa add src 192.168.60.1 dst 192.168.60.2 spi 0x7004 mode tunnel \
	reqid 7 aead aes-gcm keys "$OUT/k"
check "delete an SA" k sa del dst 192.168.60.2 spi 0x7004
check "sa-deleted event on delete" wait_for 5 grep -q "^sa-deleted .*spi 0x00007004" "$OUT/monitor.log"

# Inbound: cleartext a protect policy covers is dropped and counted.
k policy flush
check "policy in: protect 10.1.2.0/24 -> 10.1.1.0/24" k policy add dir in priority 10 src 10.1.2.0/24 \
	dst 10.1.1.0/24 action protect tmpl mode tunnel reqid 7 src 192.168.60.2 dst 192.168.60.1
before=$(stat_of in-policy-block)
ip netns exec "$R" busybox ping -c 2 -i 0.2 -W 1 -I 10.1.2.1 10.1.1.1 >/dev/null 2>&1
check "cleartext that must be protected is dropped and counted" \
	test "$(stat_of in-policy-block)" -ge $((before + 2))
check "a bypass policy checked first (priority 0 < 10)" \
	k policy add dir in priority 0 src 10.1.2.0/24 dst 10.1.1.0/24 proto icmp action bypass
check "lets that cleartext through" ip netns exec "$R" busybox ping -c 1 -W 2 -I 10.1.2.1 10.1.1.1
check "discard policy out drops and counts" sh -c "
	ip netns exec '$L' '$KIPSEC' policy add dir out priority 0 dst 10.1.2.1 action discard &&
	! ip netns exec '$L' busybox ping -c 1 -W 1 -I 10.1.1.1 10.1.2.1 >/dev/null 2>&1 &&
	test \"\$(ip netns exec '$L' '$KIPSEC' stats | awk '\$1 == \"out-policy-block\" { print \$2 }')\" -ge 1"
# Dumps that do not fit one netlink message: 3000 SAs, 100 policies (~20 KB).
k sa flush
k policy flush
check "3000 SAs installed in one batch" ip netns exec "$L" "$REPO/build/bench/sa_flood" 3000
check "sa show lists all 3000 (multi-part dump)" \
	test "$(k sa show | grep -c '^src ')" = 3000
check "sa show -j lists all 3000" sh -c "ip netns exec '$L' '$KIPSEC' -j sa show |
	/usr/bin/python3 -c 'import json, sys; assert len(json.load(sys.stdin)) == 3000'"
for i in $(seq 1 100); do
	echo "policy add dir out priority $i dst 10.3.$((i / 256)).$((i % 256)) action bypass"
done > "$OUT/policies"
check "100 policies added by one kipsec -b" ip netns exec "$L" "$KIPSEC" -b "$OUT/policies"
check "policy show lists all 100 in priority order" sh -c "
	ip netns exec '$L' '$KIPSEC' policy show | awk '/^dir / { print \$4 }' > '$OUT/prio' &&
	test \$(wc -l < '$OUT/prio') = 100 && sort -n -c '$OUT/prio'"
# A batch stops at its first failing line, and says which.
printf '# comment\npolicy add dir out priority 500 dst 10.4.0.1 action bypass\npolicy add dir sideways action bypass\npolicy add dir out priority 501 dst 10.4.0.2 action bypass\n' \
	> "$OUT/badbatch"
check "kipsec -b stops at a failing line and names it" sh -c "
	! ip netns exec '$L' '$KIPSEC' -b - < '$OUT/badbatch' 2> '$OUT/badbatch.err' &&
	grep -q '^kipsec: stdin:3: \"policy add\" failed' '$OUT/badbatch.err' &&
	ip netns exec '$L' '$KIPSEC' policy show | grep -qw 'priority 500' &&
	! ip netns exec '$L' '$KIPSEC' policy show | grep -qw 'priority 501'"
check "flush removes them all" sh -c "ip netns exec '$L' '$KIPSEC' sa flush &&
	ip netns exec '$L' '$KIPSEC' policy flush &&
	test -z \"\$(ip netns exec '$L' '$KIPSEC' sa show)\" &&
	test -z \"\$(ip netns exec '$L' '$KIPSEC' policy show)\""

kill "$MONPID"
wait "$MONPID" 2>/dev/null
MONPID=
check "monitor saw no malformed events" sh -c "! grep -q 'skipped' '$OUT/monitor.log'"
rm -f "$OUT/k"
done_testing
