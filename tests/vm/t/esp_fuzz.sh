#!/bin/bash
# Fuzzing kipsec's inbound ESP behind the ICV. R forges ESP packets with
# the keys of L's inbound SAs (esp_fuzz.py: AES-GCM-128, valid ICVs,
# increasing sequence numbers) around mutated contents: truncated, bit
# flipped and junk-extended inner packets, IPv4 header lengths, total
# lengths and options of junk, IPv6 payload lengths and extension headers,
# version nibbles, pad lengths beyond the payload, wrong pad bytes, any next
# header, payloads of nothing but the trailer, 4in6/6in4 in tunnels. Four
# SAs: tunnel and transport mode, IPv4 and IPv6 outside. Then two AH SAs
# (HMAC-SHA-256-128, tunnel v4 and transport v6): half their packets carry
# a valid ICV around the same mutated payloads, the other half go for what
# AH parses before its ICV check (IPv4 options and IPv6 extension headers
# in front of AH, whose mutable parts it zeroes; AH's length and next
# header; truncations, flipped bits).
#
#   [L] vl 192.168.72.1 fd00:72::1 ===== vr 192.168.72.2 fd00:72::2 [R]
#       lo 10.72.1.1 fd72:1::1                 (inner sources 10.72.2.1, fd72:2::1)
#
# Per ESP SA: no ICV failure and no replay drop (so every packet got past the
# ICV into the code under test), every control datagram (one valid UDP
# datagram in 50) delivered to L's listener exactly once despite the
# garbage around it, the SA still listed; per AH SA: no more ICV, replay
# and window drops than packets sent unsigned; at the end kipsec.ko unloads.
# The debug kernel's harness adds KASAN, UBSAN, lockdep and kmemleak.
# KIPSEC_ESP_FUZZ_N packets per SA (default 2000), KIPSEC_ESP_FUZZ_SEED
# (default 1): the same seed sends the same packets.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
FUZZ=$REPO/tests/vm/t/esp_fuzz.py
L=$(ns fl)
R=$(ns fr)
N=${KIPSEC_ESP_FUZZ_N:-2000}
SEED=${KIPSEC_ESP_FUZZ_SEED:-1}
CTL=50
PORT=5072
W=$(mktemp -d)
RECV_PID=
cleanup() {
	[ -n "$RECV_PID" ] && kill "$RECV_PID" 2>/dev/null
	teardown "$L" "$R"
	rm -rf "$W"
}
trap cleanup EXIT

k() { ip netns exec "$L" "$KIPSEC" "$@"; }
stat_of() { k stats | awk -v n="$1" '$1 == n { print $2 }'; }
sa_field() {	# DST SPI FIELD [PROTO]
	k sa get dst "$1" spi "$2" proto "${4:-esp}" | tr ' ' '\n' | grep -A1 -x "$3" | tail -1
}

check "load kipsec" kipsec_load
check "two namespaces joined by a veth" netns_pair "$L" "$R" 192.168.72 fd00:72 10.72 fd72:
# The packets come in bursts faster than the debug kernel decrypts them:
# room in the receive backlog, so that none is lost before kipsec sees it.
backlog=$(sysctl -n net.core.netdev_max_backlog)
sysctl -qw net.core.netdev_max_backlog=100000
MAC=$(ip -n "$L" -br link show vl | awk '{ print $3 }')

# sa_up NAME PROTO MODE SRC DST SPI REQID SEL_SRC SEL_DST [SELECTOR...]: an
# inbound SA and its policy in L, ESP with AES-GCM-128 or AH with
# HMAC-SHA-256-128; the key into $W/NAME.hex.
sa_up() {
	local name=$1 proto=$2 mode=$3 src=$4 dst=$5 spi=$6 reqid=$7 ssel=$8 dsel=$9 tmpl=
	local alg=(aead aes-gcm) keylen=20
	shift 9
	[ "$proto" = esp ] || { alg=(auth sha256); keylen=32; }
	head -c "$keylen" /dev/urandom | od -An -tx1 | tr -d ' \n' >"$W/$name.hex"
	printf '%s %s\n' "${alg[0]}" "$(cat "$W/$name.hex")" >"$W/$name.keys"
	chmod 600 "$W/$name.hex" "$W/$name.keys"
	[ "$mode" = tunnel ] && tmpl="src $src dst $dst"
	# shellcheck disable=SC2086 # tmpl: words on purpose
	k sa add src "$src" dst "$dst" spi "$spi" proto "$proto" mode "$mode" reqid "$reqid" \
		"${alg[@]}" keys "$W/$name.keys" replay-window 64 &&
	k policy add dir in src "$ssel" dst "$dsel" "$@" action protect \
		tmpl proto "$proto" mode "$mode" reqid "$reqid" $tmpl >/dev/null
}

ip netns exec "$L" "$PY" "$FUZZ" recv "$PORT" 600 "$W/ready" "$W/stop" >"$W/recv.out" 2>&1 &
RECV_PID=$!
check "control listener in L" wait_for 20 test -e "$W/ready"

icv0=$(stat_of in-icv-fail)
sent_ctl=0
run() {	# NAME MODE SRC DST SPI REQID SSEL DSEL INSRC INDST [SELECTOR...]
	local name=$1 mode=$2 src=$3 dst=$4 spi=$5 reqid=$6 ssel=$7 dsel=$8 insrc=$9 indst=${10}
	local out pk ic rp wd
	shift 10
	if ! sa_up "$name" esp "$mode" "$src" "$dst" "$spi" "$reqid" "$ssel" "$dsel" "$@"; then
		not_ok "$name: SA and policy in L"
		return
	fi
	out=$(ip netns exec "$R" "$PY" "$FUZZ" send vr "$MAC" "$mode" "$src" "$dst" "$insrc" \
		"$indst" "$spi" "$(cat "$W/$name.hex")" 1 "$N" "$SEED" "$PORT" "$CTL" 2>&1)
	check "$name: $N forged packets sent ($out)" test "$out" = "sent $N controls $(((N + CTL - 1) / CTL))"
	sent_ctl=$((sent_ctl + (N + CTL - 1) / CTL))
	# Until the last one is through (the debug kernel lags behind).
	wait_for 60 test "$(( $(sa_field "$dst" "$spi" seq-in) ))" -ge "$N"
	pk=$(sa_field "$dst" "$spi" packets)
	ic=$(sa_field "$dst" "$spi" icv-failures)
	rp=$(sa_field "$dst" "$spi" replay-drops)
	wd=$(sa_field "$dst" "$spi" window-drops)
	[ "$ic" = 0 ] && [ "$rp" = 0 ] && [ "$wd" = 0 ] && [ "$pk" -ge $((N / CTL)) ]
	check "$name: all $N past the ICV and the replay window ($pk accepted, icv-failures $ic, replay $rp, window $wd, seq-in $(sa_field "$dst" "$spi" seq-in))" \
		test $? = 0
}

run "tunnel v4" tunnel 192.168.72.2 192.168.72.1 0x7201 1 10.72.2.0/24 10.72.1.0/24 \
	10.72.2.1 10.72.1.1
run "tunnel v6" tunnel fd00:72::2 fd00:72::1 0x7202 2 fd72:2::/64 fd72:1::/64 \
	fd72:2::1 fd72:1::1
run "transport v4" transport 192.168.72.2 192.168.72.1 0x7203 3 192.168.72.2/32 \
	192.168.72.1/32 - - proto udp
run "transport v6" transport fd00:72::2 fd00:72::1 0x7204 4 fd00:72::2/128 \
	fd00:72::1/128 - - proto udp

check "no ICV failure in the namespace's counters after ESP" test "$(stat_of in-icv-fail)" = "$icv0"
# The AH SAs take the same selectors: the ESP ones make room.
k policy flush
k sa flush
ah_unsigned=0
# ah_run NAME MODE SRC DST SPI REQID SSEL DSEL INSRC INDST [SELECTOR...]
ah_run() {
	local name=$1 mode=$2 src=$3 dst=$4 spi=$5 reqid=$6 ssel=$7 dsel=$8 insrc=$9 indst=${10}
	local out pk bad unsigned
	shift 10
	if ! sa_up "$name" ah "$mode" "$src" "$dst" "$spi" "$reqid" "$ssel" "$dsel" "$@"; then
		not_ok "$name: SA and policy in L"
		return
	fi
	out=$(ip netns exec "$R" "$PY" "$FUZZ" ahsend vr "$MAC" "$mode" "$src" "$dst" "$insrc" \
		"$indst" "$spi" "$(cat "$W/$name.hex")" 1 "$N" "$SEED" "$PORT" "$CTL" 2>&1)
	unsigned=${out##* }
	[[ $unsigned =~ ^[0-9]+$ ]] || unsigned=0
	ah_unsigned=$((ah_unsigned + unsigned))
	check "$name: $N forged packets sent ($out)" \
		test "${out% unsigned *}" = "sent $N controls $(((N + CTL - 1) / CTL))"
	sent_ctl=$((sent_ctl + (N + CTL - 1) / CTL))
	# The last packet is a signed one.
	wait_for 60 test "$(( $(sa_field "$dst" "$spi" seq-in ah) ))" -ge "$N"
	pk=$(sa_field "$dst" "$spi" packets ah)
	bad=$(( $(sa_field "$dst" "$spi" icv-failures ah) + $(sa_field "$dst" "$spi" replay-drops ah) +
		$(sa_field "$dst" "$spi" window-drops ah) ))
	check "$name: every signed packet past the ICV ($pk accepted; ICV, replay and window drops $bad <= $unsigned unsigned)" \
		test "$pk" -ge $((N / CTL)) -a "$bad" -le "$unsigned"
}

ah_run "AH tunnel v4" tunnel 192.168.72.2 192.168.72.1 0x7301 5 10.72.2.0/24 10.72.1.0/24 \
	10.72.2.1 10.72.1.1
ah_run "AH transport v6" transport fd00:72::2 fd00:72::1 0x7302 6 fd00:72::2/128 \
	fd00:72::1/128 - - proto udp

touch "$W/stop"
wait "$RECV_PID"
RECV_PID=
got=$(cat "$W/recv.out")
check "every control datagram delivered once among the garbage (sent $sent_ctl, got: $got)" \
	test "$got" = "controls $sent_ctl $sent_ctl"
check "ICV failures in the namespace's counters: at most AH's unsigned packets ($ah_unsigned)" \
	test "$(stat_of in-icv-fail)" -le "$((icv0 + ah_unsigned))"
echo "# L's counters after the fuzz:"
k stats | sed 's/^/#   /'
sysctl -qw net.core.netdev_max_backlog="$backlog"
ip netns del "$L"
ip netns del "$R"
check "kipsec.ko unloads after the fuzz" wait_for 30 rmmod kipsec
done_testing
