#!/bin/bash
# kipsec-iked on demand and rekeying, on the real module: start_action =
# route installs the connection's policies without SAs, the first packet's
# acquire starts Main Mode + Quick Mode, and the soft expire of the short-
# lived CHILD SA (lifetime 45 s: soft at 36..40 s) starts a make-before-
# break rekey under a steady 10/s ICMP stream that must lose nothing.
#
#   [L] lo 10.0.1.1                              [R] lo 10.0.2.1
#       vl 192.168.50.1 ======== veth ======== vr 192.168.50.2
#
# Cases: route_iked  L kipsec-iked (route) -> R kipsec-iked (add)
#        route_charon L kipsec-iked (route) -> R strongSwan charon (native xfrm)
#        route_pcpu_iked per_cpu = yes: one more pair for each CPU that sends
# Tunnel 10.0.1.0/24 <-> 10.0.2.0/24, PFS modp2048. In the first two the
# IKE SA lives 30 s: its rekey (a new Main Mode taking over the CHILD SA)
# happens under the same stream, before the CHILD SA's. Logs:
# build/vm/ike_ondemand/KERNEL/CASE/. KIPSEC_IKE_CASES (an extended regex on
# case names) runs a subset.
. "$(dirname "$0")/lib.sh"
. "$REPO/tests/ike/charon.sh"
. "$(dirname "$0")/ike_lib.sh"

LIFE=45
STREAM=$REPO/tests/vm/t/icmp_stream.py
peer_stop() { [ -z "${CHARON_PIDS:-}" ] || kill $CHARON_PIDS 2>/dev/null; }

check "kipsec.ko loads" kipsec_load
check "xfrm and ESP for charon (modules, or built in)" modprobe -a xfrm_user esp4
check "two namespaces joined by a veth, inner hosts routed via the peer" setup

# route_conf FILE LOCAL REMOTE LTS RTS START [PER_CPU [LIFETIME]] (and FILE.secrets)
route_conf() {
	printf '# written by ike_ondemand.sh\nconn t\n' >"$1"
	printf '\t%s = %s\n' local "$2" remote "$3" local_ts "$4" remote_ts "$5" mode tunnel \
		ike aes128-sha256-modp2048 esp aes128-sha256 pfs modp2048 start_action "$6" \
		per_cpu "${7:-no}" lifetime "${8:-$LIFE}" ike_lifetime "${IKE_LIFE:-10800}" >>"$1"
	printf '%s : PSK "%s"\n' "$3" "$PSK" >"$1.secrets"
	chmod 600 "$1.secrets"
}

# routed NS: two protect policies (out, in) and no SA in NS's kipsec.
routed() {
	local p s
	p=$(ip netns exec "$1" "$KIPSEC" policy show 2>&1)
	s=$(ip netns exec "$1" "$KIPSEC" sa show 2>&1)
	echo "$p"
	echo "SAs: ${s:-none}"
	[ "$(grep -c protect <<<"$p")" = 2 ] && [ -z "$s" ]
}

# spis_of LINE: the "in 0x.. out 0x.." SPIs of a "CHILD SA established" line, sorted.
spis_of() {
	grep -oE '(in|out) 0x[0-9a-f]{8}' <<<"$1" | awk '{ print $2 }' | sort | tr '\n' ' '
}

# sa_spis NS iked|charon: the SPIs of NS's SAs (kipsec or xfrm), sorted.
sa_spis() {
	if [ "$2" = charon ]; then ip -n "$1" xfrm state; else ip netns exec "$1" "$KIPSEC" sa show; fi |
		grep -oE 'spi 0x[0-9a-f]{8}' | awk '{ print $2 }' | sort | tr '\n' ' '
}

# same_spis NS KIND WANT: NS holds exactly the SAs WANT names.
same_spis() {
	local got
	got=$(sa_spis "$1" "$2")
	echo "SAs: $got (want $3)"
	[ "$got" = "$3" ]
}

# hold_ike / release_ike: R drops incoming IKE, then no longer.
hold_ike() {
	ip netns exec "$R" nft -f - <<-EOF
	table inet hold_ike {
		chain in {
			type filter hook input priority 0;
			udp dport 500 drop
		}
	}
	EOF
}

release_ike() { ip netns exec "$R" nft delete table inet hold_ike; }

# charon_one_ike DIR: the charon of DIR holds exactly one IKE SA.
charon_one_ike() {
	local l
	l=$(swan "$1" --list-sas 2>&1)
	echo "$l" | grep IKEv1
	[ "$(grep -c IKEv1 <<<"$l")" = 1 ]
}

no_sas() { [ -z "$(sa_spis "$L" iked)" ] && [ -z "$(sa_spis "$R" iked)" ]; }

# deleted_behind_back SPI LOG: delete L's inbound SA SPI with the CLI; L's
# daemon says so, and neither side keeps an SA.
deleted_behind_back() {
	ip netns exec "$L" "$KIPSEC" sa del dst 192.168.50.1 spi "$1" &&
	within 10 grep -q "inbound SA $1 was deleted from the kernel by someone else" "$2" &&
	within 10 no_sas
}

reacquired() {
	grep -q 'IKE SA up, no CHILD SA: initiating Quick Mode' "$1" &&
	[ "$(sa_spis "$L" iked | wc -w)" = 2 ] && ping_through "$L" 10.0.2.1
}

ondemand_case() {
	local name=$1 peer=$2 d=$OUT/$1 c=$W/$1 t_up first new n_mm n_qm secs
	want "$name" || return 0
	mkdir -p "$d/L" "$d/R" "$c"
	IKE_LIFE=30 route_conf "$d/L/iked.conf" 192.168.50.1 192.168.50.2 10.0.1.0/24 10.0.2.0/24 route
	check "$name: L's configuration (start_action = route, lifetime $LIFE) passes --check-config" \
		"$IKED" -t -c "$d/L/iked.conf" -s "$d/L/iked.conf.secrets"
	iked_start "$L" "$d/L" L
	check "$name: L's daemon routed the connection: protect policies out and in, no SA" \
		within 20 routed "$L"
	check "$name: the log says why: routed, negotiating on the first packet" \
		grep -q "conn t: routed: protect policies" "$d/L/iked.log"
	# The first packet is dropped and asks for SAs; R drops IKE until its
	# daemon is ready (charon answers NO-PROPOSAL-CHOSEN before its
	# configuration is loaded), so Main Mode waits and the next packets'
	# acquires (one a second) come while it is under way.
	check "$name: R drops IKE (nft) until its daemon is ready" hold_ike
	# (busybox ping gives up on the first refused send: not used for this)
	ip netns exec "$L" /usr/bin/python3 "$STREAM" -c 20 -i 0.5 -w 1 -s 10.0.1.1 10.0.2.1 \
		>"$d/first-stream.txt" 2>&1 &
	local bg=$!
	check "$name: the first packet's acquire starts Main Mode" within 10 grep -q \
		"acquire (policy [0-9]*, 10.0.1.1 -> 10.0.2.1): no IKE SA: initiating Main Mode" \
		"$d/L/iked.log"
	check "$name: acquires while Main Mode is under way start nothing more" within 10 grep -q \
		"acquire (10.0.1.1 -> 10.0.2.1): phase 1 already under way: ignored" "$d/L/iked.log"
	if [ "$peer" = iked ]; then
		IKE_LIFE=30 route_conf "$d/R/iked.conf" 192.168.50.2 192.168.50.1 10.0.2.0/24 \
			10.0.1.0/24 add
		iked_start "$R" "$d/R" R
		within 20 grep -q "listening on" "$d/R/iked.log"
	else
		charon_conf "$c/swanctl.conf" t 192.168.50.2 192.168.50.1 10.0.2.0/24 10.0.1.0/24 \
			tunnel aes128-sha256-modp2048 aes128-sha256-modp2048
		charon_start "$R" "$c" kernel-netlink
		check "$name: charon runs in R (kernel-netlink: native xfrm)" grep -q \
			"successfully loaded" "$c/load.log"
	fi
	check "$name: ... and now lets it in" release_ike
	check "$name: CHILD SA up in kipsec-iked (L)" up_or_dead 60 child_up "$d/L/iked.log" "$PID_L"
	t_up=$SECONDS
	if [ "$peer" = iked ]; then
		check "$name: CHILD SA up in kipsec-iked (R)" within 20 child_up "$d/R/iked.log" "$PID_R"
	else
		check "$name: CHILD SA installed in charon" \
			within 30 eval "swan $c --list-sas 2>/dev/null | grep -q INSTALLED"
	fi
	wait "$bg"
	n_mm=$(grep -c "conn t: initiating Main Mode" "$d/L/iked.log")
	n_qm=$(grep -c "conn t: initiating Quick Mode" "$d/L/iked.log")
	echo "# $name: acquires ignored during the negotiation or with SAs up: $(grep -c \
		'under way: ignored\|is installed: ignored' "$d/L/iked.log")"
	check "$name: one Main Mode and one Quick Mode whatever the acquires (got $n_mm, $n_qm), one SA pair" \
		eval "[ $n_mm = 1 ] && [ $n_qm = 1 ] && [ \"\$(sa_spis $L iked | wc -w)\" = 2 ]"
	check "$name: ping 10.0.2.1 through the SAs" ping_through "$L" 10.0.2.1
	check "$name: L's kipsec SAs counted packets" kipsec_sas_counted "$L" "$d/sa-L.json"
	if [ "$peer" = iked ]; then
		check "$name: R's kipsec SAs counted packets" kipsec_sas_counted "$R" "$d/sa-R.json"
	else
		check "$name: R's xfrm SAs (charon) counted packets" xfrm_sas_counted "$R" "$d/sa-R.txt"
	fi
	first=$(spis_of "$(grep "CHILD SA established" "$d/L/iked.log" | head -1)")
	check "$name: L's SAs are those it negotiated, with soft < hard lifetime" eval \
		"[ \"\$(sa_spis $L iked)\" = '$first' ] && grep -qE 'lifetime $LIFE s, soft (3[6-9]|4[01]) s' $d/L/iked.log"
	# a steady stream until past the old pair's hard lifetime: the rekey
	# (soft at <= 90%) and the old pair's deletion happen inside it
	secs=$((LIFE + 3 - (SECONDS - t_up)))
	check "$name: 10 pings/s for $secs s across the rekey: every one answered" \
		ip netns exec "$L" /usr/bin/python3 "$STREAM" -c $((secs * 10)) -i 0.1 -s 10.0.1.1 10.0.2.1
	check "$name: L's daemon rekeyed on the soft expire" eval \
		"grep -q 'soft expire of .* SA 0x[0-9a-f]*: rekeying CHILD SA' $d/L/iked.log &&
		 grep -q 'CHILD SA established.*(rekey)' $d/L/iked.log &&
		 grep -q 'rekey done: deleting the old CHILD SA' $d/L/iked.log"
	check "$name: L rekeyed phase 1: a new IKE SA took over the CHILD SA, the old one was deleted" \
		eval "grep -q 'IKE SA reached its soft lifetime: rekeying phase 1' $d/L/iked.log &&
		grep -qE 'the new IKE SA takes over [1-9][0-9]* CHILD SAs? of an older one, which is deleted' \
			$d/L/iked.log &&
		grep -q 'phase-1 rekey done: deleting the old IKE SA' $d/L/iked.log"
	if [ "$peer" = iked ]; then
		check "$name: R's new IKE SA took over the CHILD SA; R took L's Delete of the old one" \
			eval "grep -qE 'takes over [1-9][0-9]* CHILD SAs? of an older one \(the peer replaced it' \
				$d/R/iked.log && grep -q 'peer deleted the IKE SA' $d/R/iked.log"
	else
		# The second phase-1 rekey (IKE SA lifetime 30 s: soft at 22..27 s
		# after the first) may fall at the end of the stream: for a second
		# both IKE SAs exist, by design (make before break).
		check "$name: charon holds one IKE SA (the old one deleted)" eval \
			"within 10 charon_one_ike $c >/dev/null || charon_one_ike $c"
	fi
	new=$(spis_of "$(grep "CHILD SA established" "$d/L/iked.log" | tail -1)")
	echo "# $name: SPIs before $first, after $new"
	check "$name: new SPIs" eval "[ -n '$new' ] && [ '$new' != '$first' ]"
	check "$name: L holds only the new pair (old one deleted)" same_spis "$L" iked "$new"
	check "$name: R holds only the new pair (old one deleted on L's Delete)" \
		within 10 same_spis "$R" "$peer" "$new"
	check "$name: L's new kipsec SAs counted packets" kipsec_sas_counted "$L" "$d/sa-L-new.json"
	if [ "$peer" = iked ]; then
		check "$name: R's new kipsec SAs counted packets" kipsec_sas_counted "$R" "$d/sa-R-new.json"
		check "$name: R took L's Delete for the old pair" \
			grep -q "peer deleted CHILD SA" "$d/R/iked.log"
		# someone deletes L's inbound SA: L forgets the pair (deletes the
		# outbound SA, tells R); the next packets' acquire brings a new
		# pair with a Quick Mode under the IKE SA that is still up
		local in_spi
		in_spi=$(grep "CHILD SA established" "$d/L/iked.log" | tail -1 |
			grep -oE 'in 0x[0-9a-f]{8}' | awk '{ print $2 }')
		check "$name: an SA deleted behind L's back: L forgets its pair, R deletes its own" \
			deleted_behind_back "$in_spi" "$d/L/iked.log"
		ip netns exec "$L" /usr/bin/python3 "$STREAM" -c 4 -i 0.5 -w 1 -s 10.0.1.1 10.0.2.1 \
			>/dev/null 2>&1
		check "$name: ... and the next packet's acquire brings a new pair (Quick Mode only)" \
			within 30 reacquired "$d/L/iked.log"
	else
		check "$name: R's new xfrm SAs counted packets" xfrm_sas_counted "$R" "$d/sa-R-new.txt"
	fi
	check "$name: L's daemon stops and removes its SAs and its routed policies" \
		iked_stop "$PID_L" "$L" "$d"
	if [ "$peer" = iked ]; then
		check "$name: R's daemon stops and removes its SAs and policies" \
			iked_stop "$PID_R" "$R" "$d"
	else
		check "$name: charon took kipsec-iked's Delete: no xfrm SA left in R" \
			within 10 eval "[ -z \"\$(ip -n $R xfrm state)\" ]"
		charon_done "$R" "$c" "$d/R"
	fi
	check "$name: no key material in the logs" \
		eval "! grep -q 'debug: key ' $d/L/iked.log ${d}/R/iked.log 2>/dev/null"
}

# sa_cpus NS: "SPI cpu CPU packets N" for each outbound SA (to 192.168.50.2) of NS's kipsec.
sa_cpus() {
	ip netns exec "$1" "$KIPSEC" -j sa show | /usr/bin/python3 -c '
import json, sys
for sa in json.load(sys.stdin):
    if sa["dst"] == "192.168.50.2":
        print("0x%08x cpu %s packets %d" % (sa["spi"], sa.get("cpu", "any"), sa["stats"]["packets"]))'
}

# cpu_sa_counted NS CPU: the outbound SA of CPU carried packets.
cpu_sa_counted() {
	local out
	out=$(sa_cpus "$1")
	echo "$out"
	grep -qE "cpu $2 packets [1-9]" <<<"$out"
}

# pinned_ping CPU: 3 pings from L on CPU, all answered (the first may ask for that CPU's SA).
pinned_ping() {
	ip netns exec "$L" taskset -c "$1" busybox ping -c 3 -i 0.3 -W 5 10.0.2.1 |
		grep -q '3 packets received'
}

# route + per_cpu = yes: the first packet brings the shared pair, then an
# acquire for each CPU sending without an SA of its own one pair more with
# that CPU on its outbound SA.
pcpu_case() {
	local name=route_pcpu_iked d=$OUT/route_pcpu_iked
	want "$name" || return 0
	mkdir -p "$d/L" "$d/R"
	route_conf "$d/L/iked.conf" 192.168.50.1 192.168.50.2 10.0.1.0/24 10.0.2.0/24 route yes 600
	route_conf "$d/R/iked.conf" 192.168.50.2 192.168.50.1 10.0.2.0/24 10.0.1.0/24 add no 600
	iked_start "$R" "$d/R" R
	iked_start "$L" "$d/L" L
	check "$name: L routed the connection with a per-cpu template" within 20 eval \
		"routed $L && ip netns exec $L $KIPSEC policy show | grep -q 'tmpl esp tunnel reqid 1 .* per-cpu'"
	ip netns exec "$L" taskset -c 0 busybox ping -c 1 -W 1 10.0.2.1 >/dev/null 2>&1
	check "$name: the first packet brings up the shared pair" \
		up_or_dead 60 child_up "$d/L/iked.log" "$PID_L" "$PID_R"
	check "$name: CPU 0 sends, asks for its own SA: a Quick Mode for CPU 0" \
		within 40 eval "pinned_ping 0; grep -q 'Quick Mode with PFS modp2048 for CPU 0' $d/L/iked.log &&
			sa_cpus $L | grep -q 'cpu 0 '"
	check "$name: CPU 1 likewise" \
		within 40 eval "pinned_ping 1; grep -q 'Quick Mode with PFS modp2048 for CPU 1' $d/L/iked.log &&
			sa_cpus $L | grep -q 'cpu 1 '"
	check "$name: pings from CPU 0 pass on CPU 0's SA" eval "pinned_ping 0 && cpu_sa_counted $L 0"
	check "$name: pings from CPU 1 pass on CPU 1's SA" eval "pinned_ping 1 && cpu_sa_counted $L 1"
	check "$name: three pairs in L (shared, CPU 0, CPU 1) and R" eval \
		"[ \"\$(sa_spis $L iked | wc -w)\" = 6 ] && [ \"\$(sa_spis $R iked | wc -w)\" = 6 ] &&
		 [ \"\$(sa_cpus $L | grep -c 'cpu any')\" = 1 ]"
	check "$name: L's daemon stops and removes its SAs and policies" iked_stop "$PID_L" "$L" "$d"
	check "$name: R's daemon stops and removes its SAs and policies" iked_stop "$PID_R" "$R" "$d"
}

ondemand_case route_iked iked
ondemand_case route_charon charon
pcpu_case

done_testing
