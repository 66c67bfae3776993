#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM (tests/bench/bench.sh boots it). Both stacks get the
# same topology: namespaces L and R on a veth pair, an ESP tunnel with
# AES-GCM-128 (rfc4106(gcm(aes)), AES-NI) between 192.168.90.1 and .2 for
# 10.9.1.0/24 <-> 10.9.2.0/24. kipsec on both ends, or xfrm on both ends;
# interleaved, RUNS times each:
#   - single-flow TCP throughput (iperf3)
#   - 64-byte UDP packets per second received (iperf3 -u -l 64 -b 0)
#   - 1400-byte UDP goodput received
# and the same three with no IPsec at all on that topology ("plain"): the
# ceiling any IPsec stack can reach here, since the stack, veth and iperf3
# costs are paid by both (plain/xfrm bounds kipsec/xfrm);
# then the same TCP and 64-byte figures through an AH tunnel
# (HMAC-SHA-256-128) instead of ESP; and, with one flow pinned to each vCPU
# (two flows, one tunnel): kipsec
# with per-CPU SAs (one SA per vCPU each way, a per-cpu template) against
# xfrm with its one SA pair: TCP and 64-byte UDP, summed over the flows.
# Then: raw AEAD throughput at 1420 bytes (tcrypt mode 211, the cipher's
# ceiling), installing NSAS SAs (kipsec: netlink batches; xfrm: ip -batch),
# kernel memory per SA (Slab + Percpu growth), and the 64-byte rate with
# NSAS SAs present.
set -u
. "$(dirname "$0")/../vm/t/lib.sh"

RUNS=${KIPSEC_BENCH_RUNS:-5}
SECS=${KIPSEC_BENCH_SECS:-5}
NSAS=${KIPSEC_BENCH_NSAS:-100000}
OUT=$REPO/build/vm/bench
FLOOD=$REPO/build/bench/sa_flood
. "$(dirname "$0")/topo.sh"
: > "$OUT/raw.txt"

# Two flows at once, one pinned to each vCPU (servers pinned likewise):
# the sum over both, in the unit of measure KIND.
measure2() {	# KIND
	local args cpu
	case $1 in
	tcp2) args=() ;;
	pps2) args=(-u -l 64 -b 0) ;;
	esac
	for cpu in 0 1; do
		ip netns exec $L taskset -c $cpu iperf3 -c 10.9.2.1 -B 10.9.1.1 -p $((5210 + cpu)) \
			-t "$SECS" -J "${args[@]}" > "$OUT/flow$cpu.json" 2>/dev/null &
	done
	wait
	"$PY" - "$1" "$OUT/flow0.json" "$OUT/flow1.json" <<'PYEOF'
import json, sys
kind, total = sys.argv[1], 0.0
try:
    for path in sys.argv[2:]:
        r = json.load(open(path))["end"]
        if kind == "tcp2":
            total += r["sum_received"]["bits_per_second"] / 1e6
        else:
            s = r["sum"]
            total += (s["packets"] - s["lost_packets"]) / s["seconds"]
    print("%.1f" % total)
except Exception:
    print("nan")
PYEOF
}

for run in $(seq 1 "$RUNS"); do
	for stack in kipsec-pcpu xfrm; do
		stack_down >/dev/null 2>&1
		stack_up $stack || { echo "bench: $stack setup failed"; exit 1; }
		for kind in tcp2 pps2; do
			v=$(measure2 $kind)
			echo "$stack $kind $v" >> "$OUT/raw.txt"
			echo "run $run $stack $kind $v"
		done
	done
	for stack in kipsec xfrm kipsec-ah xfrm-ah plain; do
		stack_down >/dev/null 2>&1
		stack_up $stack || { echo "bench: $stack setup failed"; exit 1; }
		ip netns exec $L busybox ping -c 1 -W 3 -I 10.9.1.1 10.9.2.1 >/dev/null ||
			echo "bench: warning: $stack tunnel did not answer a ping"
		kinds="tcp pps goodput"
		[[ $stack != *-ah ]] || kinds="tcp pps"
		for kind in $kinds; do
			v=$(measure $kind)
			echo "$stack $kind $v" >> "$OUT/raw.txt"
			echo "run $run $stack $kind $v"
		done
	done
done
stack_down >/dev/null 2>&1

# The cipher's ceiling: tcrypt always "fails" to load once it has run.
before=$(dmesg | wc -l)
modprobe tcrypt mode=211 sec=1 2>/dev/null
raw=$(dmesg | tail -n +"$((before + 1))" | grep -m1 "160 bit key, 1420 byte blocks" |
	sed -n 's/.*operations in \([0-9]*\) seconds (\([0-9]*\) bytes).*/\2 \1/p' |
	awk '{ printf "%.1f", $1 * 8 / $2 / 1e6 }')
echo "raw aead ${raw:-nan}" >> "$OUT/raw.txt"

mem_kb() { awk '/^Slab:|^Percpu:/ { s += $2 } END { print s }' /proc/meminfo; }
# What the memory per SA is made of: bytes per SA by slab cache (objects
# times object size) for the caches that grew by 4 bytes an SA or more, and
# per-CPU memory, into slabs.txt for the report.
slab_snap() {	# FILE
	{
		awk 'NR > 2 { print $1, $2 * $4 }' /proc/slabinfo
		awk '/^Percpu:/ { print "(percpu)", $2 * 1024 }' /proc/meminfo
	} | sort > "$1"
}
slab_growth() {	# STACK BEFORE AFTER
	join "$2" "$3" | awk -v s="$1" -v n="$NSAS" \
		'{ d = ($3 - $2) / n; if (d >= 4) printf "%s %s %.0f\n", s, $1, d }' |
		sort -k3 -n -r >> "$OUT/slabs.txt"
}
: > "$OUT/slabs.txt"

# Install NSAS SAs: kipsec through netlink, xfrm through ip -batch.
pps_with() {	# STACK: 64-byte rate with the tunnel up (and whatever else is installed)
	stack_up "$1" >/dev/null 2>&1
	measure pps
	ip netns exec $L "$KIPSEC" policy flush; ip -n $L xfrm policy flush
	ip netns exec $R "$KIPSEC" policy flush; ip -n $R xfrm policy flush
	for n in $L $R; do
		ip netns exec $n "$KIPSEC" sa del dst 192.168.90.2 spi 0x1001 2>/dev/null
		ip netns exec $n "$KIPSEC" sa del dst 192.168.90.1 spi 0x2002 2>/dev/null
		ip -n $n xfrm state deleteall src 192.168.90.1 2>/dev/null
		ip -n $n xfrm state deleteall src 192.168.90.2 2>/dev/null
	done
}
M=bm
ip netns add $M
ip -n $M link set lo up
sync
echo "kipsec pps1 $(pps_with kipsec)" >> "$OUT/raw.txt"
echo "xfrm pps1 $(pps_with xfrm)" >> "$OUT/raw.txt"

slab_snap "$OUT/slab0"
m0=$(mem_kb)
t=$(ip netns exec $L "$FLOOD" "$NSAS" | sed -n 's/.*: \([0-9]*\) SAs\/s.*/\1/p')
sleep 2
m1=$(mem_kb)
slab_snap "$OUT/slab1"
slab_growth kipsec "$OUT/slab0" "$OUT/slab1"
echo "kipsec install_rate ${t:-nan}" >> "$OUT/raw.txt"
echo "kipsec bytes_per_sa $(( (m1 - m0) * 1024 / NSAS ))" >> "$OUT/raw.txt"
echo "kipsec ppsN $(pps_with kipsec)" >> "$OUT/raw.txt"
ip netns exec $L "$KIPSEC" sa flush
sleep 3

"$PY" - "$NSAS" "$OUT/batch" <<'PYEOF'
import os, sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    for i in range(n):
        key = os.urandom(20).hex()
        f.write(f"xfrm state add src 10.200.0.1 dst 10.200.{(i & 0xffff) >> 8}.{(i & 0xff)} "
                f"proto esp spi {0x10000 + i} mode tunnel aead rfc4106(gcm(aes)) 0x{key} 128\n")
PYEOF
slab_snap "$OUT/slab0"
m0=$(mem_kb)
t0=$(date +%s.%N)
ip -n $L -batch "$OUT/batch" 2>"$OUT/batch.err" >/dev/null
t1=$(date +%s.%N)
sleep 2
m1=$(mem_kb)
slab_snap "$OUT/slab1"
slab_growth xfrm "$OUT/slab0" "$OUT/slab1"
rm -f "$OUT/slab0" "$OUT/slab1"
rm -f "$OUT/batch"
echo "xfrm install_rate $(awk -v a="$t0" -v b="$t1" -v n="$NSAS" 'BEGIN { printf "%.0f", n / (b - a) }')" >> "$OUT/raw.txt"
echo "xfrm bytes_per_sa $(( (m1 - m0) * 1024 / NSAS ))" >> "$OUT/raw.txt"
echo "xfrm ppsN $(pps_with xfrm)" >> "$OUT/raw.txt"
ip -n $L xfrm state flush
rm -f "$OUT"/k1* "$OUT"/k2*

"$PY" - "$OUT/raw.txt" "$RUNS" "$NSAS" > "$OUT/report.txt" <<'PYEOF'
import statistics, sys
raw, runs, nsas = sys.argv[1], sys.argv[2], sys.argv[3]
v = {}
for line in open(raw):
    stack, kind, val = line.split()
    try:
        v.setdefault((stack, kind), []).append(float(val))
    except ValueError:
        v.setdefault((stack, kind), []).append(float("nan"))
def med(s, k):
    x = [y for y in v.get((s, k), []) if y == y]
    return statistics.median(x) if x else float("nan")
def spread(s, k):
    x = [y for y in v.get((s, k), []) if y == y]
    return f"{min(x):.1f}..{max(x):.1f}" if x else "n/a"
def ratio(a, b):
    return a / b if b and b == b and a == a else float("nan")
print(f"kipsec vs native xfrm, AES-GCM-128, one boot, {runs} interleaved runs each (median, min..max)")
units = {"tcp": "Mbit/s", "pps": "packets/s", "goodput": "Mbit/s"}
for k, name in (("tcp", "single-flow TCP"), ("pps", "64-byte UDP"), ("goodput", "1400-byte UDP goodput")):
    a, b = med("kipsec", k), med("xfrm", k)
    print(f"{name:24s} kipsec {a:10.1f} ({spread('kipsec', k)})  xfrm {b:10.1f} ({spread('xfrm', k)}) {units[k]}"
          f"  ratio kipsec/xfrm {ratio(a, b):.2f}")
print("no IPsec on the same topology (the ceiling: what IPsec cannot beat here):")
for k, name in (("tcp", "single-flow TCP"), ("pps", "64-byte UDP"), ("goodput", "1400-byte UDP goodput")):
    a = med("plain", k)
    print(f"  {name:22s} plain {a:10.1f} ({spread('plain', k)}) {units[k]}"
          f"  ratio plain/xfrm {ratio(a, med('xfrm', k)):.2f}  kipsec/plain {ratio(med('kipsec', k), a):.2f}")
print(f"two flows, one per vCPU (kipsec: per-CPU SAs; xfrm: one SA pair):")
for k, name, unit in (("tcp2", "TCP", "Mbit/s"), ("pps2", "64-byte UDP", "packets/s")):
    a, b = med("kipsec-pcpu", k), med("xfrm", k)
    print(f"  {name:22s} kipsec {a:10.1f} ({spread('kipsec-pcpu', k)})  xfrm {b:10.1f} ({spread('xfrm', k)}) {unit}"
          f"  ratio kipsec/xfrm {ratio(a, b):.2f}")
    print(f"  {'':22s} scaling, 2 flows / 1 flow: kipsec {ratio(a, med('kipsec', k[:-1])):.2f}"
          f"  xfrm {ratio(b, med('xfrm', k[:-1])):.2f}")
print("AH HMAC-SHA-256-128, tunnel mode, one flow:")
for k, name, unit in (("tcp", "TCP", "Mbit/s"), ("pps", "64-byte UDP", "packets/s")):
    a, b = med("kipsec-ah", k), med("xfrm-ah", k)
    print(f"  {name:22s} kipsec {a:10.1f} ({spread('kipsec-ah', k)})  xfrm {b:10.1f} ({spread('xfrm-ah', k)}) {unit}"
          f"  ratio kipsec/xfrm {ratio(a, b):.2f}")
raw_aead = med("raw", "aead")
print(f"raw AEAD at 1420 bytes (tcrypt)      {raw_aead:.1f} Mbit/s")
print(f"1400-byte goodput / raw AEAD        kipsec {ratio(med('kipsec', 'goodput'), raw_aead):.2f}"
      f"  xfrm {ratio(med('xfrm', 'goodput'), raw_aead):.2f}"
      f"  plain (no crypto) {ratio(med('plain', 'goodput'), raw_aead):.2f}")
for s in ("kipsec", "xfrm"):
    print(f"{s:6s} {nsas} SAs: install {med(s, 'install_rate'):.0f} SAs/s, "
          f"{med(s, 'bytes_per_sa'):.0f} bytes of kernel memory per SA, "
          f"64-byte rate with 1 SA {med(s, 'pps1'):.0f} / with {nsas} {med(s, 'ppsN'):.0f} "
          f"(ratio {ratio(med(s, 'ppsN'), med(s, 'pps1')):.2f})")
PYEOF
{
	echo "kernel memory per SA by slab cache, bytes (caches that grew by >= 4 B an SA):"
	for s in kipsec xfrm; do
		printf '  %-6s %s\n' "$s" "$(awk -v s="$s" '$1 == s { printf "%s %s, ", $2, $3 }' "$OUT/slabs.txt" | sed 's/, $//')"
	done
} >> "$OUT/report.txt"
cat "$OUT/report.txt"
