#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Sourced inside the VM by bench-inner.sh and prof-inner.sh, after
# tests/vm/t/lib.sh, with OUT (a directory for keys and logs) and SECS set:
# the benchmark topology (namespaces L and R on a veth pair, 10.9.1.0/24 and
# 10.9.2.0/24 behind them, iperf3 servers in R), the stacks it can carry
# (stack_up/stack_down) and one iperf3 measurement (measure).
PY=/usr/bin/python3
mkdir -p "$OUT"
chmod 700 "$OUT"
L=bl R=br

modprobe aesni_intel 2>/dev/null
modprobe esp4
modprobe xfrm_user
kipsec_load || { echo "bench: cannot load kipsec"; exit 1; }
ip netns add $L
ip netns add $R
ip link add vl netns $L type veth peer name vr netns $R
ip -n $L addr add 192.168.90.1/24 dev vl
ip -n $R addr add 192.168.90.2/24 dev vr
for n in $L $R; do ip -n $n link set lo up; done
ip -n $L link set vl up
ip -n $R link set vr up
ip -n $L addr add 10.9.1.1/32 dev lo
ip -n $R addr add 10.9.2.1/32 dev lo
ip -n $L route add 10.9.2.0/24 via 192.168.90.2 src 10.9.1.1
ip -n $R route add 10.9.1.0/24 via 192.168.90.1 src 10.9.2.1
ip netns exec $R iperf3 -s -D -B 10.9.2.1 --logfile "$OUT/iperf3-server.log"
for cpu in 0 1; do
	ip netns exec $R taskset -c $cpu iperf3 -s -D -B 10.9.2.1 -p $((5210 + cpu)) \
		--logfile "$OUT/iperf3-server$cpu.log"
done

K1=$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')
K2=$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf 'aead %s\n' "$K1" > "$OUT/k1"
printf 'aead %s\n' "$K2" > "$OUT/k2"
for d in 1 2; do	# AH (HMAC-SHA-256-128) keys: k1ah, k2ah
	printf 'auth %s\n' "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" > "$OUT/k${d}ah"
done
for i in 0 1; do	# per-CPU SAs' keys: k1c0 (L to R, vCPU 0), ...
	for d in 1 2; do
		printf 'aead %s\n' "$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
			> "$OUT/k${d}c$i"
	done
done
chmod 600 "$OUT"/k1* "$OUT"/k2*	# keys: readable by their owner only

# STACK kipsec-pcpu: kipsec plus one SA per vCPU each way (SPI + 0x10 + cpu)
# under a per-cpu template.
side_up() {	# STACK NS LOCAL REMOTE LNET RNET KOUT KIN SPIOUT SPIIN
	local s=$1 n=$2 lo=$3 re=$4 ln=$5 rn=$6 ko=$7 ki=$8 so=$9 si=${10} pcpu= cpu
	[ "$s" != plain ] || return 0	# the routes alone: cleartext
	if [ "$s" = kipsec-pcpu ]; then
		pcpu=per-cpu
		for cpu in 0 1; do
			ip netns exec "$n" "$KIPSEC" sa add src "$lo" dst "$re" \
				spi $((so + 0x10 + cpu)) mode tunnel reqid 1 aead aes-gcm \
				keys "$OUT/${ko}c$cpu" replay-window 128 cpu $cpu &&
			ip netns exec "$n" "$KIPSEC" sa add src "$re" dst "$lo" \
				spi $((si + 0x10 + cpu)) mode tunnel reqid 1 aead aes-gcm \
				keys "$OUT/${ki}c$cpu" replay-window 128 cpu $cpu || return 1
		done
	fi
	if [ "$s" = kipsec-ah ]; then
		ip netns exec "$n" "$KIPSEC" sa add src "$lo" dst "$re" spi "$so" proto ah \
			mode tunnel reqid 1 auth sha256 keys "$OUT/${ko}ah" replay-window 128 &&
		ip netns exec "$n" "$KIPSEC" sa add src "$re" dst "$lo" spi "$si" proto ah \
			mode tunnel reqid 1 auth sha256 keys "$OUT/${ki}ah" replay-window 128 &&
		ip netns exec "$n" "$KIPSEC" policy add dir out src "$ln" dst "$rn" action protect \
			tmpl proto ah mode tunnel reqid 1 src "$lo" dst "$re" >/dev/null &&
		ip netns exec "$n" "$KIPSEC" policy add dir in src "$rn" dst "$ln" action protect \
			tmpl proto ah mode tunnel reqid 1 src "$re" dst "$lo" >/dev/null
	elif [ "$s" = xfrm-ah ]; then
		local aout ain
		aout=0x$(awk '{print $2}' "$OUT/${ko}ah")
		ain=0x$(awk '{print $2}' "$OUT/${ki}ah")
		ip -n "$n" xfrm state add src "$lo" dst "$re" proto ah spi "$so" reqid 1 mode tunnel \
			replay-window 128 auth-trunc 'hmac(sha256)' "$aout" 128 &&
		ip -n "$n" xfrm state add src "$re" dst "$lo" proto ah spi "$si" reqid 1 mode tunnel \
			replay-window 128 auth-trunc 'hmac(sha256)' "$ain" 128 &&
		ip -n "$n" xfrm policy add src "$ln" dst "$rn" dir out \
			tmpl src "$lo" dst "$re" proto ah reqid 1 mode tunnel &&
		ip -n "$n" xfrm policy add src "$rn" dst "$ln" dir in \
			tmpl src "$re" dst "$lo" proto ah reqid 1 mode tunnel
	elif [ "$s" != xfrm ]; then
		ip netns exec "$n" "$KIPSEC" sa add src "$lo" dst "$re" spi "$so" mode tunnel reqid 1 \
			aead aes-gcm keys "$OUT/$ko" replay-window 128 &&
		ip netns exec "$n" "$KIPSEC" sa add src "$re" dst "$lo" spi "$si" mode tunnel reqid 1 \
			aead aes-gcm keys "$OUT/$ki" replay-window 128 &&
		ip netns exec "$n" "$KIPSEC" policy add dir out src "$ln" dst "$rn" action protect \
			tmpl mode tunnel reqid 1 src "$lo" dst "$re" $pcpu >/dev/null &&
		ip netns exec "$n" "$KIPSEC" policy add dir in src "$rn" dst "$ln" action protect \
			tmpl mode tunnel reqid 1 src "$re" dst "$lo" >/dev/null
	else
		local kout kin
		kout=0x$(awk '{print $2}' "$OUT/$ko")
		kin=0x$(awk '{print $2}' "$OUT/$ki")
		ip -n "$n" xfrm state add src "$lo" dst "$re" proto esp spi "$so" reqid 1 mode tunnel \
			replay-window 128 aead 'rfc4106(gcm(aes))' "$kout" 128 &&
		ip -n "$n" xfrm state add src "$re" dst "$lo" proto esp spi "$si" reqid 1 mode tunnel \
			replay-window 128 aead 'rfc4106(gcm(aes))' "$kin" 128 &&
		ip -n "$n" xfrm policy add src "$ln" dst "$rn" dir out \
			tmpl src "$lo" dst "$re" proto esp reqid 1 mode tunnel &&
		ip -n "$n" xfrm policy add src "$rn" dst "$ln" dir in \
			tmpl src "$re" dst "$lo" proto esp reqid 1 mode tunnel
	fi
}

stack_up() {
	side_up "$1" $L 192.168.90.1 192.168.90.2 10.9.1.0/24 10.9.2.0/24 k1 k2 0x1001 0x2002 &&
	side_up "$1" $R 192.168.90.2 192.168.90.1 10.9.2.0/24 10.9.1.0/24 k2 k1 0x2002 0x1001
}

stack_down() {
	for n in $L $R; do
		ip netns exec $n "$KIPSEC" policy flush
		ip netns exec $n "$KIPSEC" sa flush
		ip -n $n xfrm policy flush
		ip -n $n xfrm state flush
	done
}

# iperf3 JSON -> one number: tcp (Mbit/s received), pps (UDP datagrams
# received per second), goodput (UDP Mbit/s received); pkts: 64-byte UDP as
# for pps, printing the datagrams received and sent.
measure() {	# KIND
	local args
	case $1 in
	tcp) args=() ;;
	pps|pkts) args=(-u -l 64 -b 0) ;;
	goodput) args=(-u -l 1400 -b 0) ;;
	esac
	ip netns exec $L iperf3 -c 10.9.2.1 -B 10.9.1.1 -t "$SECS" -J "${args[@]}" 2>/dev/null |
		"$PY" -c '
import json, sys
kind = sys.argv[1]
try:
    r = json.load(sys.stdin)["end"]
except Exception:
    print("nan"); sys.exit()
if kind == "tcp":
    print("%.1f" % (r["sum_received"]["bits_per_second"] / 1e6))
else:
    s = r["sum"]
    got = s["packets"] - s["lost_packets"]
    if kind == "pkts":
        print(got, s["packets"]); sys.exit()
    print("%.0f" % (got / s["seconds"]) if kind == "pps" else "%.1f" % (got * 1400 * 8 / s["seconds"] / 1e6))
' "$1"
}
