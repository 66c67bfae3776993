#!/bin/bash
# Dead Peer Detection (RFC 3706) in kipsec-iked, on the real module, with
# short timers (L: dpd_delay 2 s, dpd_timeout 8 s):
#
#   [L] lo 10.0.1.1                              [R] lo 10.0.2.1
#       vl 192.168.50.1 ======== veth ======== vr 192.168.50.2
#
# Cases: dpd_iked_clear    L kipsec-iked -> R kipsec-iked (dpd_delay 3 s): the
#                          idle IKE SA carries R-U-THERE / R-U-THERE-ACK (the
#                          same numbers in both logs); then R's namespace drops
#                          IKE both ways (nft): both declare the other dead and
#                          dpd_action = clear leaves no SA nor protect policy.
#        dpd_iked_restart  the same, dpd_action = restart on L; R's daemon is
#                          killed (-9): L declares it dead, removes its SAs and
#                          initiates again; R's daemon comes back (its kipsec
#                          flushed, as after a reboot): tunnel up, pings pass.
#        dpd_iked_hold     dpd_action = hold on L (start_action = start): R drops
#                          IKE, L declares it dead, removes its SAs and routes
#                          the connection; the next packet's acquire brings the
#                          tunnel back once R lets IKE in.
#        dpd_charon_restart L kipsec-iked (dpd_timeout 12 s) -> R strongSwan
#                          charon (native xfrm, dpd_delay 3s, dpd_timeout 8s in
#                          swanctl.conf, ike log level 2): both
#                          announce DPD, charon answers L's R-U-THEREs; then R
#                          drops IKE both ways: L's SAs go, L initiates again,
#                          and when R lets IKE in the tunnel is back.
# Tunnel 10.0.1.0/24 <-> 10.0.2.0/24. Logs: build/vm/ike_dpd/KERNEL/CASE/.
# KIPSEC_IKE_CASES (an extended regex on case names) runs a subset.
. "$(dirname "$0")/lib.sh"
. "$REPO/tests/ike/charon.sh"
. "$(dirname "$0")/ike_lib.sh"

peer_stop() { [ -z "${CHARON_PIDS:-}" ] || kill $CHARON_PIDS 2>/dev/null; }

check "kipsec.ko loads" kipsec_load
check "xfrm and ESP for charon (modules, or built in)" modprobe -a xfrm_user esp4
check "two namespaces joined by a veth, inner hosts routed via the peer" setup

# dpd_conf FILE LOCAL REMOTE LTS RTS START DELAY ACTION [TIMEOUT] (and FILE.secrets)
dpd_conf() {
	iked_conf "$1" "$2" "$3" "$4" "$5" tunnel aes128-sha256-modp2048 aes128-sha256 no "$6"
	printf '\t%s = %s\n' dpd_delay "$7" dpd_timeout "${9:-8}" dpd_action "$8" >>"$1"
}

# cut_ike / restore_ike: R's namespace drops IKE in and out (the peer
# vanishes for L), then no longer.
cut_ike() {
	ip netns exec "$R" nft -f - <<-EOF
	table inet cut_ike {
		chain in {
			type filter hook input priority 0;
			udp dport 500 drop
		}
		chain out {
			type filter hook output priority 0;
			udp dport 500 drop
		}
	}
	EOF
}

restore_ike() { ip netns exec "$R" nft delete table inet cut_ike; }

# no_kipsec_sas NS: NS's kipsec holds no SA (printed for the log).
no_kipsec_sas() {
	local s
	s=$(ip netns exec "$1" "$KIPSEC" sa show 2>&1)
	echo "SAs in $1: ${s:-none}"
	[ -z "$s" ]
}

# cleared NS: no SA and no protect policy (the daemon's IKE bypass stays).
cleared() {
	no_kipsec_sas "$1" && ! ip netns exec "$1" "$KIPSEC" policy show 2>&1 | grep -q protect
}

# same_seq LLOG RLOG: a number L sent in an R-U-THERE that R answered, and L took the ACK.
same_seq() {
	local s
	for s in $(grep -o 'sending R-U-THERE seq [0-9]*' "$1" | awk '{ print $4 }'); do
		grep -q "R-U-THERE seq $s received, sending R-U-THERE-ACK" "$2" &&
		grep -q "R-U-THERE-ACK seq $s received: peer alive" "$1" && { echo "seq $s"; return 0; }
	done
	return 1
}

# dead_line LOG ACTION [TIMEOUT]: L's log says the peer is dead, and why.
dead_line() {
	grep -E "DPD: peer 192.168.50.2 is dead: no answer to [0-9]+ R-U-THERE in ${3:-8} s \(dpd_timeout\); dpd_action = $2" "$1"
}

dpd_iked() {
	local name=$1 action=$2 d=$OUT/$1
	want "$name" || return 0
	mkdir -p "$d/L" "$d/R"
	dpd_conf "$d/L/iked.conf" 192.168.50.1 192.168.50.2 10.0.1.0/24 10.0.2.0/24 start 2 "$action"
	dpd_conf "$d/R/iked.conf" 192.168.50.2 192.168.50.1 10.0.2.0/24 10.0.1.0/24 add 3 clear
	check "$name: both configurations (dpd_delay, dpd_timeout, dpd_action) pass --check-config" eval \
		"$IKED -t -c $d/L/iked.conf -s $d/L/iked.conf.secrets && $IKED -t -c $d/R/iked.conf -s $d/R/iked.conf.secrets"
	iked_start "$R" "$d/R" R
	iked_start "$L" "$d/L" L
	check "$name: CHILD SA up on both sides" up_or_dead 60 both_up "$d"
	check "$name: both saw the other's DPD Vendor ID" eval \
		"grep -q 'peer supports DPD' $d/L/iked.log && grep -q 'peer supports DPD' $d/R/iked.log"
	check "$name: ping 10.0.2.1 through the SAs" ping_through "$L" 10.0.2.1
	check "$name: idle: L sends R-U-THERE, R answers with the same number, L takes the ACK" \
		within 15 same_seq "$d/L/iked.log" "$d/R/iked.log"
	check "$name: R's namespace drops IKE both ways" cut_ike
	if [ "$action" = clear ]; then
		check "$name: L declares R dead after dpd_timeout, dpd_action = clear" \
			within 25 dead_line "$d/L/iked.log" clear
		check "$name: L's kipsec: no SA, no protect policy left" within 5 cleared "$L"
		check "$name: R (dpd_delay 3 s) declares L dead too and clears" \
			within 15 eval "grep -q 'DPD: peer 192.168.50.1 is dead' $d/R/iked.log && cleared $R"
		check "$name: the IKE SAs and CHILD SAs were not deleted before (no Delete, no rekey)" \
			eval "! grep -q 'sent Delete' $d/L/iked.log"
		restore_ike
	elif [ "$action" = hold ]; then
		check "$name: L declares R dead after dpd_timeout, dpd_action = hold" \
			within 25 dead_line "$d/L/iked.log" hold
		check "$name: L routed the connection: protect policies out and in, no SA" \
			within 5 eval "[ \"\$(ip netns exec $L $KIPSEC policy show | grep -c protect)\" = 2 ] &&
				no_kipsec_sas $L && grep -q 'conn t: routed: protect policies' $d/L/iked.log"
		check "$name: R lets IKE in again" restore_ike
		# busybox ping gives up on the first refused send: a stream of 4
		ip netns exec "$L" /usr/bin/python3 "$REPO/tests/vm/t/icmp_stream.py" -c 4 -i 0.5 -w 1 \
			-s 10.0.1.1 10.0.2.1 >/dev/null 2>&1
		check "$name: the next packet's acquire negotiates the tunnel again" up_or_dead 60 eval \
			"grep -q 'acquire (policy [0-9]*, 10.0.1.1 -> 10.0.2.1): no IKE SA: initiating Main Mode' $d/L/iked.log &&
			 [ \"\$(grep -c 'CHILD SA established' $d/L/iked.log)\" = 2 ]"
		check "$name: ping 10.0.2.1 through the new SAs" within 20 ping_through "$L" 10.0.2.1
	else
		kill -9 "$PID_R" && wait "$PID_R" 2>/dev/null
		DAEMONS=${DAEMONS/ $PID_R/}
		restore_ike
		check "$name: R's daemon gone (kill -9): L declares it dead, dpd_action = restart" \
			within 25 dead_line "$d/L/iked.log" restart
		check "$name: L's log: SAs deleted, initiating again" \
			grep -q "dpd_action = restart: IKE SA and 1 CHILD SA deleted, initiating again" \
			"$d/L/iked.log"
		check "$name: L's kipsec: its SAs are gone" no_kipsec_sas "$L"
		# R comes back as after a reboot: an empty kipsec, a new daemon
		ip netns exec "$R" "$KIPSEC" sa flush && ip netns exec "$R" "$KIPSEC" policy flush
		mv "$d/R/iked.log" "$d/R/iked-before-kill.log"
		iked_start "$R" "$d/R" R
		check "$name: R is back: L's new Main Mode brings the tunnel up again" \
			up_or_dead 60 eval "[ \"\$(grep -c 'CHILD SA established' $d/L/iked.log)\" = 2 ] &&
				child_up $d/R/iked.log $PID_L $PID_R"
		check "$name: ping 10.0.2.1 through the new SAs" ping_through "$L" 10.0.2.1
		check "$name: DPD runs again on the new IKE SA" within 15 same_seq "$d/L/iked.log" \
			"$d/R/iked.log"
		check "$name: R's daemon stops and removes its SAs and policies" \
			iked_stop "$PID_R" "$R" "$d"
	fi
	check "$name: L's daemon stops and removes its SAs and policies" iked_stop "$PID_L" "$L" "$d"
	[ "$action" = restart ] ||
		check "$name: R's daemon stops, nothing left" iked_stop "$PID_R" "$R" "$d"
	check "$name: no key material in the logs" \
		eval "! grep -q 'debug: key ' $d/L/iked.log $d/R/iked.log"
}

dpd_charon() {
	local name=dpd_charon_restart d=$OUT/dpd_charon_restart c=$W/charon
	want "$name" || return 0
	mkdir -p "$d/L" "$d/R" "$c"
	# charon's threads can answer seconds late under emulation: a longer timeout on L
	dpd_conf "$d/L/iked.conf" 192.168.50.1 192.168.50.2 10.0.1.0/24 10.0.2.0/24 start 2 restart 12
	charon_conf "$c/swanctl.conf" t 192.168.50.2 192.168.50.1 10.0.2.0/24 10.0.1.0/24 tunnel \
		aes128-sha256-modp2048 aes128-sha256
	sed -i 's/^\t\tmobike = no$/&\n\t\tdpd_delay = 3s\n\t\tdpd_timeout = 8s/' "$c/swanctl.conf"
	check "$name: charon's connection has dpd_delay 3s, dpd_timeout 8s" \
		grep -q 'dpd_timeout = 8s' "$c/swanctl.conf"
	# ike 2 shows charon's DPD decisions; enc 1 its messages ([ HASH N(DPD) ])
	CHARON_IKE_LEVEL=2 charon_start "$R" "$c" kernel-netlink
	check "$name: charon runs in R (kernel-netlink: native xfrm)" grep -q "successfully loaded" \
		"$c/load.log"
	iked_start "$L" "$d/L" L
	check "$name: CHILD SA up in kipsec-iked (L)" up_or_dead 60 child_up "$d/L/iked.log" "$PID_L"
	check "$name: CHILD SA installed in charon" \
		within 30 eval "swan $c --list-sas 2>/dev/null | grep -q INSTALLED"
	check "$name: charon saw our DPD Vendor ID, we saw charon's" eval \
		"grep -q 'received DPD vendor ID' $c/charon.log && grep -q 'peer supports DPD' $d/L/iked.log"
	check "$name: ping 10.0.2.1 through the SAs" ping_through "$L" 10.0.2.1
	check "$name: idle: L's R-U-THERE answered by charon (its log: N(DPD) in, N(DPD_ACK) out)" \
		within 15 eval "grep -q 'R-U-THERE-ACK seq [0-9]* received: peer alive' $d/L/iked.log &&
			grep -q 'parsed INFORMATIONAL_V1 request [0-9]* \[ HASH N(DPD) \]' $c/charon.log &&
			grep -q 'generating INFORMATIONAL_V1 request [0-9]* \[ HASH N(DPD_ACK) \]' $c/charon.log"
	# charon probes only when nothing came in for its dpd_delay: L's own
	# R-U-THEREs (every 2 s) usually keep it quiet, so this one is conditional
	if grep -q 'generating INFORMATIONAL_V1 request [0-9]* \[ HASH N(DPD) \]' "$c/charon.log"; then
		check "$name: charon's own R-U-THERE answered by L (charon parsed N(DPD_ACK))" \
			within 10 eval "grep -q 'R-U-THERE seq [0-9]* received, sending R-U-THERE-ACK' $d/L/iked.log &&
				grep -q 'parsed INFORMATIONAL_V1 request [0-9]* \[ HASH N(DPD_ACK) \]' $c/charon.log"
	else
		echo "# $name: charon sent no R-U-THERE of its own (L's kept it from idling)"
	fi
	check "$name: R's namespace drops IKE both ways" cut_ike
	check "$name: L declares charon dead after dpd_timeout (12 s), dpd_action = restart" \
		within 30 dead_line "$d/L/iked.log" restart 12
	check "$name: L's kipsec: its SAs are gone" no_kipsec_sas "$L"
	check "$name: R lets IKE in again" restore_ike
	check "$name: L's new Main Mode brings the tunnel up again" up_or_dead 60 eval \
		"[ \"\$(grep -c 'CHILD SA established' $d/L/iked.log)\" = 2 ]"
	check "$name: ping 10.0.2.1 through the new SAs" within 20 ping_through "$L" 10.0.2.1
	check "$name: R's new xfrm SAs (charon) counted packets" xfrm_sas_counted_new "$R" "$d/sa-R.txt"
	check "$name: L's daemon stops and removes its SAs and policies" iked_stop "$PID_L" "$L" "$d"
	cp "$c/charon.log" "$d/R/" 2>/dev/null
	charon_done "$R" "$c" "$d/R"
	check "$name: no key material in the logs" eval "! grep -q 'debug: key ' $d/L/iked.log"
}

# xfrm_sas_counted_new NS FILE: charon may still hold the old (idle) pair
# beside the new one: some inbound and some outbound SA counted packets.
xfrm_sas_counted_new() {
	ip -n "$1" -s xfrm state >"$2" 2>&1 || return 1
	local pk
	pk=$(grep -oE '[0-9]+\(bytes\), [0-9]+\(packets\)' "$2" | grep -oE '[0-9]+\(packets' |
		grep -o '^[0-9]*' | grep -c '^[1-9]')
	echo "xfrm SAs with packets: $pk"
	[ "$pk" -ge 2 ]
}

dpd_iked dpd_iked_clear clear
dpd_iked dpd_iked_restart restart
dpd_iked dpd_iked_hold hold
dpd_charon

done_testing
