#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM (tests/bench/ike-bench.sh boots it). IKEv1 negotiations
# per second, Main Mode + Quick Mode with PSK, kipsec-iked against strongSwan's
# charon as the responder, both installing real SAs and policies (kipsec-iked
# in kipsec.ko, charon in xfrm through kernel-netlink).
#
#   [I] initiator: vl 192.168.71.1 ... 192.168.71.N /16 ==== vr 192.168.70.1/16 [R] responder
#
# The load: one kipsec-iked in I with --no-kernel (negotiates, installs
# nothing) and N connections with distinct identities: connection i has its
# own address 192.168.71.i (its ID) and its own proxy ID 10.71.i.0/24 <->
# 10.70.0.0/16, start_action = start, so all N Main Modes leave at once.
# The responder: kipsec-iked with N connections (it picks a connection by the
# peer's address), or charon with one connection accepting 192.168.71.0/24
# (its best case: one lookup, no per-peer configuration). Same proposals for
# both: IKE (default aes128-sha256-modp2048) and ESP aes128-sha256, no PFS.
#
# Per run, from the initiator's log (monotonic ms): a negotiation's latency =
# "CHILD SA established" - "initiating Main Mode" of its connection; the rate
# = N / (last established - first initiated). The responder must hold 2N SAs
# (kipsec sa show / ip xfrm state) and N in + N out policies, else the run
# counts as failed. Also the CPU time (utime + stime, from /proc) per
# negotiation of the responder and of the initiator: the initiator does
# the same work as a responder (a DH each) on the same 2 vCPUs, so it caps
# the rate both responders can reach. kipsec and charon alternate, RUNS
# times each, for every IKE group in GROUPS.
set -u
. "$(dirname "$0")/../vm/t/lib.sh"
. "$REPO/tests/ike/charon.sh"

RUNS=${KIPSEC_IKEB_RUNS:-3}
N=${KIPSEC_IKEB_N:-100}
GROUPS_=${KIPSEC_IKEB_GROUPS:-modp2048 ecp256}
ESP=aes128-sha256
PSK='kipsec bench psk 0123456789'
OUT=$REPO/build/vm/ike-bench
PY=/usr/bin/python3
I=$(ns ibI) R=$(ns ibR)
W=$(mktemp -d /tmp/ike-bench.XXXXXX)
PIDS=
rm -rf "$OUT" && mkdir -p "$OUT"
: >"$OUT/raw.txt"

cleanup() {
	[ -n "$PIDS" ] && kill $PIDS 2>/dev/null
	kill ${CHARON_PIDS:-} 2>/dev/null
	sleep 0.5
	ip netns del "$I" 2>/dev/null
	ip netns del "$R" 2>/dev/null
	rmmod kipsec 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT

((N >= 1 && N <= 250)) || { echo "ike-bench: N must be 1..250"; exit 2; }
modprobe xfrm_user
for m in esp4 xfrm4_tunnel; do modprobe $m 2>/dev/null; done
kipsec_load || { echo "ike-bench: cannot load kipsec"; exit 1; }
ip netns add "$I" && ip netns add "$R" &&
ip link add vl netns "$I" type veth peer name vr netns "$R" || exit 1
{
	echo "link set lo up"
	for ((i = 1; i <= N; i++)); do echo "addr add 192.168.71.$i/16 dev vl"; done
	echo "link set vl up"
} | ip -n "$I" -batch - || exit 1
ip -n "$R" -batch - <<EOF || exit 1
link set lo up
addr add 192.168.70.1/16 dev vr
link set vr up
EOF
ip netns exec "$I" busybox ping -c 1 -W 5 192.168.70.1 >/dev/null || exit 1

# the initiator's configuration: N connections to 192.168.70.1
init_conf() {	# DIR IKE
	local d=$1 ike=$2 i
	mkdir -p "$d"
	for ((i = 1; i <= N; i++)); do
		printf 'conn c%d\n' "$i"
		printf '\t%s = %s\n' local "192.168.71.$i" remote 192.168.70.1 \
			local_ts "10.71.$i.0/24" remote_ts 10.70.0.0/16 mode tunnel ike "$ike" \
			esp "$ESP" pfs no start_action start
	done >"$d/iked.conf"
	printf '192.168.70.1 : PSK "%s"\n' "$PSK" >"$d/iked.conf.secrets"
	chmod 600 "$d/iked.conf.secrets"
}

# kipsec-iked as the responder: the same N connections seen from R
resp_conf() {	# DIR IKE
	local d=$1 ike=$2 i
	mkdir -p "$d"
	for ((i = 1; i <= N; i++)); do
		printf 'conn c%d\n' "$i"
		printf '\t%s = %s\n' local 192.168.70.1 remote "192.168.71.$i" \
			local_ts 10.70.0.0/16 remote_ts "10.71.$i.0/24" mode tunnel ike "$ike" \
			esp "$ESP" pfs no start_action add
	done >"$d/iked.conf"
	for ((i = 1; i <= N; i++)); do
		printf '192.168.71.%d : PSK "%s"\n' "$i" "$PSK"
	done >"$d/iked.conf.secrets"
	chmod 600 "$d/iked.conf.secrets"
}

# charon as the responder: one connection for the whole range, one PSK
charon_resp_conf() {	# FILE IKE
	cat >"$1" <<EOC
connections {
	bench {
		version = 1
		local_addrs = 192.168.70.1
		remote_addrs = 192.168.71.0/24
		proposals = aes128-sha256-$2
		encap = no
		mobike = no
		local { auth = psk
			id = 192.168.70.1 }
		remote { auth = psk }
		children {
			bench {
				local_ts = 10.70.0.0/16
				remote_ts = 10.71.0.0/16
				mode = tunnel
				esp_proposals = $ESP
				start_action = none
			}
		}
	}
}
secrets {
	ike-bench {
		secret = "$PSK"
	}
}
EOC
}

# cpu_ms PID: user + system CPU time of PID so far, in ms
cpu_ms() {
	awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"
}

# SAs and policies held in R: kipsec's protect policies (not the daemon's
# two IKE bypass ones), xfrm's in and out (not charon's fwd ones)
kipsec_sas() { ip netns exec "$R" "$KIPSEC" -j sa show | grep -o '"spi":' | wc -l; }
kipsec_pols() { ip netns exec "$R" "$KIPSEC" -j policy show | grep -o '"action":"protect"' | wc -l; }
xfrm_sas() { ip -n "$R" xfrm state | grep -c '^src'; }
xfrm_pols() { ip -n "$R" xfrm policy | grep -E -c '^[[:space:]]*dir (in|out) '; }

# wait_count SECS WANT FUNC: FUNC's count reaches WANT within SECS
wait_count() {
	local end=$((SECONDS + $1)) want=$2 f=$3
	while ((SECONDS < end)); do
		[ "$($f)" -ge "$want" ] && return 0
		sleep 0.5
	done
	[ "$($f)" -ge "$want" ]
}

# one STACK GROUP RUN: one measurement; appends "STACK-GROUP KEY VALUE" to raw.txt
one() {
	local stack=$1 grp=$2 run=$3 d=$W/$1-$2-$3 rpid ipid cpu0 cpu1 sas pols tag=$1-$2
	mkdir -p "$d/I" "$d/R"
	init_conf "$d/I" "aes128-sha256-$grp"
	if [ "$stack" = kipsec ]; then
		resp_conf "$d/R" "aes128-sha256-$grp"
		ip netns exec "$R" "$IKED" -c "$d/R/iked.conf" -s "$d/R/iked.conf.secrets" \
			--ctl "" 2>"$d/R/iked.log" &
		rpid=$!
		# listening: its first log line comes after the socket is bound
		wait_for 20 grep -q 'listening\|socket' "$d/R/iked.log"
		sleep 1
	else
		charon_resp_conf "$d/R/swanctl.conf" "$grp"
		CHARON_IKE_LEVEL=0 CHARON_ENC_LEVEL=0 charon_start "$R" "$d/R" kernel-netlink ||
			{ echo "ike-bench: charon did not start"; cat "$d/R/charon.out" "$d/R/load.log"; }
		rpid=$(pgrep -n -x charon)
	fi
	cpu0=$(cpu_ms "$rpid")
	ip netns exec "$I" "$IKED" -c "$d/I/iked.conf" -s "$d/I/iked.conf.secrets" --ctl "" \
		--no-kernel --retransmit 6000 --tries 4 2>"$d/I/iked.log" &
	ipid=$!
	PIDS="$rpid $ipid"
	# the initiator's N CHILD SAs, then the responder's 2N SAs
	local end=$((SECONDS + 150))
	while ((SECONDS < end)) && [ "$(grep -c 'CHILD SA established' "$d/I/iked.log")" -lt "$N" ]; do
		kill -0 "$ipid" 2>/dev/null || break
		sleep 0.5
	done
	if [ "$stack" = kipsec ]; then
		wait_count 30 $((2 * N)) kipsec_sas
		sas=$(kipsec_sas) pols=$(kipsec_pols)
	else
		wait_count 30 $((2 * N)) xfrm_sas
		sas=$(xfrm_sas) pols=$(xfrm_pols)
	fi
	cpu1=$(cpu_ms "$rpid")
	echo "$tag icpu_ms $(cpu_ms "$ipid")" >>"$OUT/raw.txt"
	echo "$tag sas $sas" >>"$OUT/raw.txt"
	echo "$tag pols $pols" >>"$OUT/raw.txt"
	echo "$tag cpu_ms $((cpu1 - cpu0))" >>"$OUT/raw.txt"
	"$PY" - "$d/I/iked.log" "$N" "$tag" "$run" >>"$OUT/raw.txt" <<'PYEOF'
import re, sys
log, n, tag, run = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
t0, t1 = {}, {}
pat = re.compile(r'^kipsec-iked\[(\d+)\.(\d+)\] \w+: conn (c\d+): (initiating Main Mode|CHILD SA established)')
for line in open(log):
    m = pat.match(line)
    if not m:
        continue
    t = int(m.group(1)) * 1000 + int(m.group(2))
    (t0 if m.group(4).startswith('init') else t1).setdefault(m.group(3), t)
done = [c for c in t1 if c in t0]
print(tag, 'established', len(done))
if len(done) == n:
    span = max(t1.values()) - min(t0.values())
    print(tag, 'rate', '%.2f' % (n * 1000.0 / span if span else float('nan')))
    for c in done:
        print(tag, 'lat', t1[c] - t0[c])
else:
    print(tag, 'rate', 'nan')
PYEOF
	kill "$ipid" 2>/dev/null
	wait "$ipid" 2>/dev/null
	if [ "$stack" = kipsec ]; then
		kill "$rpid" 2>/dev/null
		wait "$rpid" 2>/dev/null
		ip netns exec "$R" "$KIPSEC" sa flush 2>/dev/null
		ip netns exec "$R" "$KIPSEC" policy flush 2>/dev/null
	else
		charon_done "$R" "$d/R" "$d/R"
	fi
	PIDS=
	grep "^$tag " "$OUT/raw.txt" | grep -v ' lat ' | tail -6 | tr '\n' ' '
	echo "(run $run)"
	mkdir -p "$OUT/logs/$stack-$grp-$run"
	cp "$d"/I/iked.log "$OUT/logs/$stack-$grp-$run/initiator.log"
	cp "$d"/R/*.log "$OUT/logs/$stack-$grp-$run/" 2>/dev/null
	rm -rf "$d"
	sleep 1
}

for grp in $GROUPS_; do
	for ((run = 1; run <= RUNS; run++)); do
		one kipsec "$grp" "$run"
		one charon "$grp" "$run"
	done
done

"$PY" - "$OUT/raw.txt" "$RUNS" "$N" "$GROUPS_" >"$OUT/report.txt" <<'PYEOF'
import statistics, sys
raw, runs, n, groups = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].split()
v = {}
for line in open(raw):
    tag, key, val = line.split()
    v.setdefault((tag, key), []).append(float(val))
def pct(x, p):
    x = sorted(x)
    return x[min(len(x) - 1, int(round(p / 100.0 * (len(x) - 1))))] if x else float('nan')
print('IKEv1 Main Mode + Quick Mode (PSK, ESP aes128-sha256 tunnel, no PFS),')
print('%d concurrent negotiations per run (distinct addresses/IDs/proxy IDs),' % n)
print('initiator: kipsec-iked --no-kernel; %d runs per responder, interleaved.' % runs)
print('Responder installs real SAs: kipsec (kipsec.ko) / charon (xfrm).')
print()
print('%-18s %8s %14s %9s %9s %10s %10s %9s' % ('responder', 'neg/s', 'runs (min..max)',
      'lat p50', 'lat p99', 'cpu ms/neg', '(initiator)', 'SAs+pols'))
for g in groups:
    r = {}
    for s in ('kipsec', 'charon'):
        t = s + '-' + g
        rates = [x for x in v.get((t, 'rate'), []) if x == x]
        lat = v.get((t, 'lat'), [])
        cpu = v.get((t, 'cpu_ms'), [])
        sas = v.get((t, 'sas'), [])
        pols = v.get((t, 'pols'), [])
        ok = sum(1 for x, y in zip(sas, pols) if x == 2 * n and y == 2 * n)
        r[s] = statistics.median(rates) if rates else float('nan')
        icpu = v.get((t, 'icpu_ms'), [])
        print('%-18s %8.1f %14s %7.0fms %7.0fms %10.1f %10.1f %6d/%d' % (
            s + ' ' + g, r[s],
            '%.1f..%.1f' % (min(rates), max(rates)) if rates else '-',
            pct(lat, 50), pct(lat, 99),
            statistics.median(cpu) / n if cpu else float('nan'),
            statistics.median(icpu) / n if icpu else float('nan'), ok, len(sas)))
    print('%-18s %8.2f' % ('ratio kipsec/charon', r['kipsec'] / r['charon']
          if r['charon'] == r['charon'] and r['charon'] else float('nan')))
    print()
PYEOF
cat "$OUT/report.txt"
