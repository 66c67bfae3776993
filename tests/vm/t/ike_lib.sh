# SPDX-License-Identifier: GPL-2.0
# Sourced (after lib.sh; it sources tests/ike/poll.sh: want, within,
# up_or_dead) by the VM tests that run kipsec-iked against a peer
# (ike_interop.sh: kipsec-iked and charon; ike_libreswan.sh: Libreswan's
# pluto). Sets L and R (namespace names), OUT (build/vm/NAME/KERNEL, kept),
# W (a scratch directory on tmpfs), PSK, and DAEMONS (kipsec-iked pids);
# the exit trap stops the daemons, calls the test's peer_stop if it has
# one, and removes the namespaces, the module and W.
#
#   [L] lo 10.0.1.1, fd00:1::1                   [R] lo 10.0.2.1, fd00:2::1
#       vl 192.168.50.1 ======== veth ======== vr 192.168.50.2
#          fd00:50::1                                fd00:50::2

. "$REPO/tests/ike/poll.sh"

IKE_TEST=$(basename "$0" .sh)
L=$(ns L)
R=$(ns R)
OUT=$REPO/build/vm/$IKE_TEST/$KIPSEC_KERNEL
W=$(mktemp -d "/tmp/$IKE_TEST.XXXXXX")
PSK='kipsec test psk 0123456789'
DAEMONS=

cleanup() {
	[ -n "$DAEMONS" ] && kill $DAEMONS 2>/dev/null
	[ "$(type -t peer_stop)" != function ] || peer_stop
	sleep 0.5
	ip netns del "$L" 2>/dev/null
	ip netns del "$R" 2>/dev/null
	rmmod kipsec 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
rm -rf "$OUT" && mkdir -p "$OUT"

# setup: the two namespaces, the veth, the inner hosts routed via the peer.
setup() { netns_pair "$L" "$R" 192.168.50 fd00:50 10.0 fd00:; }

# iked_conf FILE LOCAL REMOTE LTS RTS MODE IKE ESP PFS START [AGGRESSIVE]
# (and FILE.secrets)
iked_conf() {
	printf '# written by ike_interop.sh\nconn t\n' >"$1"
	printf '\t%s = %s\n' local "$2" remote "$3" local_ts "$4" remote_ts "$5" mode "$6" \
		ike "$7" esp "$8" pfs "$9" start_action "${10}" lifetime 600 \
		aggressive "${11:-no}" >>"$1"
	printf '%s : PSK "%s"\n' "$3" "$PSK" >"$1.secrets"
	chmod 600 "$1.secrets"
}

# iked_start NS DIR: kipsec-iked in NS with DIR/iked.conf, log DIR/iked.log
iked_start() {
	ip netns exec "$1" "$IKED" -c "$2/iked.conf" -s "$2/iked.conf.secrets" -v \
		--retransmit 1000 --tries 6 ${IKED_EXTRA:-} 2>"$2/iked.log" &
	DAEMONS="$DAEMONS $!"
	eval "PID_$3=$!"
}

# child_up LOG PID...: the CHILD SA is in LOG; fails at once if a daemon died.
child_up() {
	local log=$1 pid
	shift
	for pid in "$@"; do
		kill -0 "$pid" 2>/dev/null || { echo "daemon $pid exited"; return 2; }
	done
	# no log yet (the daemon's shell has not opened it): not up, and not dead
	grep -q "CHILD SA established" "$log" 2>/dev/null || return 1
}

# both_up DIR: both daemons of a pair report the CHILD SA.
both_up() {
	child_up "$1/L/iked.log" "$PID_L" "$PID_R" && child_up "$1/R/iked.log"
}

# iked_stop PID NS DIR: SIGTERM; the daemon must exit and leave no SA or policy.
iked_stop() {
	local pid=$1 n=$2 d=$3
	kill "$pid" && wait "$pid"
	DAEMONS=${DAEMONS/ $pid/}
	ip netns exec "$n" "$KIPSEC" sa show >"$d/sa-after-$n.txt" 2>&1 &&
	ip netns exec "$n" "$KIPSEC" policy show >>"$d/sa-after-$n.txt" 2>&1 &&
	! grep -q . "$d/sa-after-$n.txt"
}

# kipsec_sas_counted NS FILE: two SAs in NS, each with packets > 0.
kipsec_sas_counted() {
	local pk
	ip netns exec "$1" "$KIPSEC" -j sa show >"$2" 2>&1 || return 1
	pk=$(grep -o '"stats":{"packets":[0-9]*' "$2" | grep -o '[0-9]*$' | tr '\n' ' ')
	echo "kipsec SA packets: $pk"
	[[ $pk =~ ^[1-9][0-9]*\ [1-9][0-9]*\ $ ]]
}

# xfrm_sas_counted NS FILE: two xfrm SAs in NS, each with packets > 0.
xfrm_sas_counted() {
	ip -n "$1" -s xfrm state >"$2" 2>&1 || return 1
	local pk
	# the "lifetime current" line (pluto also sets packet limits)
	pk=$(grep -oE '[0-9]+\(bytes\), [0-9]+\(packets\)' "$2" | grep -oE '[0-9]+\(packets' |
		grep -o '^[0-9]*' | tr '\n' ' ')
	echo "xfrm SA packets: $pk"
	[[ $pk =~ ^[1-9][0-9]*\ [1-9][0-9]*\ $ ]]
}

# ping_through NS DST: 3 pings, all answered (icmp_ping.py waits for a late
# last reply, busybox ping does not).
ping_through() {
	ip netns exec "$1" /usr/bin/python3 "$(dirname "$0")/icmp_ping.py" -c 3 -i 0.3 "$2" |
		tee /dev/stderr | grep -qx '56=3/3'
}

# wire NS DEV FILE: capture both directions on DEV (capture() in lib.sh
# takes only what DEV sends).
wire() {
	ip netns exec "$1" tcpdump -U -n -i "$2" -w "$3" >/dev/null 2>"$3.log" &
	CAPTURE_PIDS="${CAPTURE_PIDS:-} $!"
	wait_for 20 grep -q "listening on" "$3.log"
}

# wire_stop [SECONDS]: let the last packets land (default 0.5 s), then stop
# every capture.
wire_stop() {
	sleep "${1:-0.5}"
	kill ${CAPTURE_PIDS:-} 2>/dev/null
	wait ${CAPTURE_PIDS:-} 2>/dev/null
	CAPTURE_PIDS=
}

# count PCAP FILTER: packets in PCAP that FILTER matches.
count() { tcpdump -r "$1" -n "$2" 2>/dev/null | wc -l; }
