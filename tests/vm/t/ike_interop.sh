#!/bin/bash
# kipsec-iked on the real thing: IKEv1 Main Mode + Quick Mode negotiated in
# the VM, SAs and policies installed in kipsec, traffic through the tunnel,
# kipsec's SA counters rising; against kipsec-iked and against strongSwan's
# charon (on native xfrm), in both roles, with and without PFS.
#
#   [L] lo 10.0.1.1                              [R] lo 10.0.2.1
#       vl 192.168.50.1 ======== veth ======== vr 192.168.50.2
#
# Cases (INITIATOR>RESPONDER, the left name is L's daemon):
#   iked>iked    tunnel 10.0.1.0/24 <-> 10.0.2.0/24, no PFS
#   iked<iked    transport between the veth addresses, PFS ecp256, R starts,
#                Aggressive Mode (both sides allow it)
#   iked>iked    IPv6 tunnel fd00:1::/64 <-> fd00:2::/64, PFS modp2048
#   iked<iked    IPv6 transport between the veth addresses, R starts
#   iked>charon  tunnel, PFS modp2048 (charon on xfrm in R)
#   iked<charon  tunnel, no PFS, charon initiates (swanctl --initiate)
#   iked>charon  IPv6 tunnel, PFS ecp256
#   iked<charon  Aggressive Mode: refused (and logged) until the connection
#                allows it, then AES-GCM-128 tunnel
#   iked>charon  selectors with a protocol and port, one side a range
#                (see charon_selectors)
#   qm_refused   Quick Modes refused with NO-PROPOSAL-CHOSEN and
#                INVALID-ID-INFORMATION both ways (see charon_refusals)
# Each case: both sides report the CHILD SA, 3 pings pass, every kipsec SA
# of the case counted packets (charon's xfrm SAs too), and after SIGTERM the
# daemon has removed its SAs and policies.
# The first charon case runs kipsec-iked with --export-keys and captures
# both directions: tests/ike/decode.sh decrypts them with tshark on the host.
# Logs: build/vm/ike_interop/KERNEL/CASE/. KIPSEC_IKE_CASES (an extended regex on
# case names) runs a subset.
. "$(dirname "$0")/lib.sh"
. "$REPO/tests/ike/charon.sh"
. "$(dirname "$0")/ike_lib.sh"

peer_stop() {
	[ -n "${CHARON_PIDS:-}" ] && kill $CHARON_PIDS 2>/dev/null
	[ -n "${CAPTURE_PIDS:-}" ] && kill $CAPTURE_PIDS 2>/dev/null
}

check "kipsec.ko loads" kipsec_load
check "xfrm and ESP for charon (modules, or built in)" modprobe -a xfrm_user esp4
check "two namespaces joined by a veth, inner hosts routed via the peer" setup


# --- kipsec-iked <-> kipsec-iked -------------------------------------------------
# kipsec_unprotected NS: no SA and no protect policy left in NS's kipsec
# (the running daemon's bypass policies for IKE stay).
kipsec_unprotected() {
	[ -z "$(ip netns exec "$1" "$KIPSEC" sa show 2>&1)" ] &&
	! ip netns exec "$1" "$KIPSEC" policy show 2>&1 | grep -q protect
}

# kipsec_sa_count NS N: exactly N SAs in NS.
kipsec_sa_count() {
	local n
	n=$(ip netns exec "$1" "$KIPSEC" -j sa show | grep -o '"spi":' | wc -l)
	echo "$n SAs"
	[ "$n" = "$2" ]
}

# restart_l DIR: L's daemon killed, L's kipsec flushed, L's daemon again
# (it initiates, with INITIAL-CONTACT).
restart_l() {
	local d=$1
	kill -9 "$PID_L" && wait "$PID_L" 2>/dev/null
	DAEMONS=${DAEMONS/ $PID_L/}
	ip netns exec "$L" "$KIPSEC" sa flush && ip netns exec "$L" "$KIPSEC" policy flush &&
	mv "$d/L/iked.log" "$d/L/iked-before-crash.log" &&
	iked_start "$L" "$d/L" L
}

iked_pair() {
	want "$1" || return 0
	local name=$1 mode=$2 lts=$3 rts=$4 ike=$5 esp=$6 pfs=$7 starter=$8 dst=$9 crash=${10:-}
	local aggr=${11:-no} la=${IKE_LA:-192.168.50.1} ra=${IKE_RA:-192.168.50.2}
	local d=$OUT/$name t0 t1
	mkdir -p "$d/L" "$d/R"
	iked_conf "$d/L/iked.conf" "$la" "$ra" "$lts" "$rts" "$mode" "$ike" "$esp" \
		"$pfs" "$([ "$starter" = L ] && echo start || echo add)" "$aggr"
	iked_conf "$d/R/iked.conf" "$ra" "$la" "$rts" "$lts" "$mode" "$ike" "$esp" \
		"$pfs" "$([ "$starter" = R ] && echo start || echo add)" "$aggr"
	check "$name: both configurations pass --check-config" eval \
		"$IKED -t -c $d/L/iked.conf -s $d/L/iked.conf.secrets && $IKED -t -c $d/R/iked.conf -s $d/R/iked.conf.secrets"
	t0=$(date +%s.%N)
	# the responder first; the initiator's retransmission covers a race anyway
	if [ "$starter" = L ]; then iked_start "$R" "$d/R" R; iked_start "$L" "$d/L" L
	else iked_start "$L" "$d/L" L; iked_start "$R" "$d/R" R; fi
	check "$name: CHILD SA up on both sides ($mode, ${pfs/no/no PFS}, $([ "$aggr" = yes ] &&
		echo Aggressive || echo Main) Mode)" up_or_dead 60 both_up "$d"
	t1=$(date +%s.%N)
	echo "# $name: negotiated in $(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s (TCG)"
	check "$name: ping $dst through the SAs" ping_through "$L" "$dst"
	check "$name: L's kipsec SAs counted packets" kipsec_sas_counted "$L" "$d/sa-L.json"
	check "$name: R's kipsec SAs counted packets" kipsec_sas_counted "$R" "$d/sa-R.json"
	if [ -n "$crash" ]; then
		restart_l "$d"
		check "$name: L's daemon, restarted after a crash, brings the CHILD SA up again" \
			up_or_dead 60 child_up "$d/L/iked.log" "$PID_L" "$PID_R"
		check "$name: R took L's INITIAL-CONTACT and removed the stale SAs" \
			within 10 grep -q "INITIAL-CONTACT: 1 stale IKE SA removed" "$d/R/iked.log"
		check "$name: R's kipsec holds only the new SA pair" within 10 kipsec_sa_count "$R" 2
		check "$name: ping $dst through the new SAs" ping_through "$L" "$dst"
		check "$name: L's daemon stops and removes its SAs and policies" \
			iked_stop "$PID_L" "$L" "$d"
		check "$name: R deleted its SAs and policies on L's Delete" within 10 kipsec_unprotected "$R"
	else
		check "$name: L's daemon stops and removes its SAs and policies" \
			iked_stop "$PID_L" "$L" "$d"
	fi
	check "$name: R's daemon stops and removes its SAs and policies" iked_stop "$PID_R" "$R" "$d"
	check "$name: no key material in the logs" \
		eval "! grep -q 'debug: key ' $d/L/iked.log $d/R/iked.log"
}

iked_pair iked_iked_tunnel tunnel 10.0.1.0/24 10.0.2.0/24 aes128-sha256-modp2048 aes128-sha256 \
	no L 10.0.2.1 crash
iked_pair iked_iked_transport_pfs_aggressive transport 192.168.50.1/32 192.168.50.2/32 \
	aes256-sha1-ecp256,aes128-sha256-modp2048 aes256gcm16 ecp256 R 192.168.50.2 "" yes
# IPv6 end to end: IKE, proxy IDs (ID_IPV6_ADDR_SUBNET, ID_IPV6_ADDR) and ESP
IKE_LA=fd00:50::1 IKE_RA=fd00:50::2 iked_pair iked_iked_v6_tunnel tunnel fd00:1::/64 \
	fd00:2::/64 aes128-sha256-modp2048 aes128-sha256 modp2048 L fd00:2::1
IKE_LA=fd00:50::1 IKE_RA=fd00:50::2 iked_pair iked_iked_v6_transport transport \
	fd00:50::1/128 fd00:50::2/128 aes256-sha256-ecp384 aes128gcm16 no R fd00:50::2

# --- kipsec-iked <-> charon ---------------------------------------------------------
charon_case() {
	want "$1" || return 0
	local name=$1 starter=$2 ike=$3 esp=$4 pfs=$5 export=${6:-} cesp d=$OUT/$1 c=$W/$1
	# IPv4 unless IKE_V6 is set
	local la=192.168.50.1 ra=192.168.50.2 lts=10.0.1.0/24 rts=10.0.2.0/24 dst=10.0.2.1
	[ -z "${IKE_V6:-}" ] ||
		la=fd00:50::1 ra=fd00:50::2 lts=fd00:1::/64 rts=fd00:2::/64 dst=fd00:2::1
	# charon's vici socket can't live on the 9p share: its files go to tmpfs
	mkdir -p "$d/L" "$d/R" "$c"
	cesp=$esp
	[ "$pfs" = no ] || cesp=$esp-$pfs
	iked_conf "$d/L/iked.conf" "$la" "$ra" "$lts" "$rts" tunnel "$ike" \
		"$esp" "$pfs" "$([ "$starter" = iked ] && echo start || echo add)"
	charon_conf "$c/swanctl.conf" t "$ra" "$la" "$rts" "$lts" tunnel "$ike" "$cesp"
	charon_start "$R" "$c" kernel-netlink
	IKED_EXTRA=
	if [ -n "$export" ]; then
		mkdir -p "$d/keys"
		IKED_EXTRA="--export-keys $d/keys --pcap $d/isakmp.pcap"
		capture "$L" vl "$d/capture-L.pcap"
		capture "$R" vr "$d/capture-R.pcap"
	fi
	check "$name: charon runs in R (kernel-netlink: native xfrm)" grep -q "successfully loaded" \
		"$c/load.log"
	iked_start "$L" "$d/L" L
	if [ "$starter" = charon ]; then
		within 20 grep -q "listening on" "$d/L/iked.log"
		check "$name: charon initiates" swan "$c" --initiate --child t --timeout 60
	fi
	check "$name: CHILD SA up in kipsec-iked" up_or_dead 60 child_up "$d/L/iked.log" "$PID_L"
	check "$name: CHILD SA installed in charon" \
		within 30 eval "swan $c --list-sas 2>/dev/null | grep -q INSTALLED"
	check "$name: ping $dst through the SAs" ping_through "$L" "$dst"
	check "$name: kipsec SAs (L) counted packets" kipsec_sas_counted "$L" "$d/sa-L.json"
	check "$name: xfrm SAs (charon, R) counted packets" xfrm_sas_counted "$R" "$d/sa-R.txt"
	check "$name: kipsec-iked stops and removes its SAs and policies" \
		iked_stop "$PID_L" "$L" "$d"
	check "$name: charon took kipsec-iked's Delete: no xfrm SA left in R" \
		within 10 eval "[ -z \"\$(ip -n $R xfrm state)\" ]"
	if [ -n "$export" ]; then
		sleep 1
		kill ${CAPTURE_PIDS:-} 2>/dev/null
		wait ${CAPTURE_PIDS:-} 2>/dev/null
		CAPTURE_PIDS=
		check "$name: --export-keys wrote both tables, mode 600" eval \
			"[ \"\$(stat -c %a $d/keys/esp_sa $d/keys/ikev1_decryption_table)\" = \"600
600\" ] && [ \"\$(wc -l <$d/keys/esp_sa)\" = 2 ]"
	fi
	charon_done "$R" "$c" "$d/R"
}

# charon_aggressive: charon (Aggressive Mode) initiates to kipsec-iked, which
# refuses while its connection does not allow it, and accepts once it does.
charon_aggressive() {
	local name=charon_iked_aggressive d=$OUT/charon_iked_aggressive c=$W/charon_iked_aggressive
	want "$name" || return 0
	mkdir -p "$d/L" "$c"
	iked_conf "$d/L/iked.conf" 192.168.50.1 192.168.50.2 10.0.1.0/24 10.0.2.0/24 tunnel \
		aes256-sha256-modp2048 aes128gcm16 no add no
	CHARON_AGGRESSIVE=yes charon_conf "$c/swanctl.conf" t 192.168.50.2 192.168.50.1 \
		10.0.2.0/24 10.0.1.0/24 tunnel aes256-sha256-modp2048 aes128gcm16
	CHARON_AGGRESSIVE=yes charon_start "$R" "$c" kernel-netlink
	iked_start "$L" "$d/L" L
	within 20 grep -q "listening on" "$d/L/iked.log"
	check "$name: charon's Aggressive Mode is refused by default" eval \
		"! swan $c --initiate --child t --timeout 4 >/dev/null 2>&1"
	check "$name: ... and the log says why" grep -q \
		"Aggressive Mode from 192.168.50.2 refused: with a pre-shared key" "$d/L/iked.log"
	kill "$PID_L" && wait "$PID_L"
	DAEMONS=${DAEMONS/ $PID_L/}
	mv "$d/L/iked.log" "$d/L/iked-refusing.log"
	# a fresh charon: the refused attempt's queued Quick Mode would add a second pair
	kill ${CHARON_PIDS:-} 2>/dev/null
	wait ${CHARON_PIDS:-} 2>/dev/null
	CHARON_PIDS=
	mv "$c/charon.log" "$d/charon-refused.log"
	CHARON_AGGRESSIVE=yes charon_start "$R" "$c" kernel-netlink
	iked_conf "$d/L/iked.conf" 192.168.50.1 192.168.50.2 10.0.1.0/24 10.0.2.0/24 tunnel \
		aes256-sha256-modp2048 aes128gcm16 no add yes
	iked_start "$L" "$d/L" L
	within 20 grep -q "listening on" "$d/L/iked.log"
	check "$name: with aggressive = yes, charon's Aggressive Mode + Quick Mode succeed" \
		swan "$c" --initiate --child t --timeout 60
	check "$name: CHILD SA up in kipsec-iked" up_or_dead 30 child_up "$d/L/iked.log" "$PID_L"
	check "$name: ping 10.0.2.1 through the SAs" ping_through "$L" 10.0.2.1
	check "$name: kipsec SAs (L) counted packets" kipsec_sas_counted "$L" "$d/sa-L.json"
	check "$name: xfrm SAs (charon, R) counted packets" xfrm_sas_counted "$R" "$d/sa-R.txt"
	check "$name: kipsec-iked stops and removes its SAs and policies" \
		iked_stop "$PID_L" "$L" "$d"
	charon_done "$R" "$c" "$d"
}

# charon_selectors: proxy IDs with a protocol and a port, L's local side
# written as a range. L initiates with local_ts 10.0.1.0-10.0.1.255[udp]
# (sent as an ID_IPV4_ADDR_RANGE; charon, configured with the /24, compares
# what it selects) and remote_ts 10.0.2.0/24[udp/7777]. Both kernels install
# policies for UDP to and from port 7777 only: UDP echoes go through the
# SAs and are counted; ICMP matches no policy on either side and passes in
# the clear, outside the SAs' counters.
charon_selectors() {
	local name=iked_charon_selectors d=$OUT/iked_charon_selectors c=$W/iked_charon_selectors
	local echo_pid before after
	want "$name" || return 0
	mkdir -p "$d/L" "$d/R" "$c"
	iked_conf "$d/L/iked.conf" 192.168.50.1 192.168.50.2 '10.0.1.0-10.0.1.255[udp]' \
		'10.0.2.0/24[udp/7777]' tunnel aes128-sha256-modp2048 aes128-sha256 no start
	charon_conf "$c/swanctl.conf" t 192.168.50.2 192.168.50.1 '10.0.2.0/24[udp/7777]' \
		'10.0.1.0/24[udp]' tunnel aes128-sha256-modp2048 aes128-sha256
	charon_start "$R" "$c" kernel-netlink
	ip netns exec "$R" /usr/bin/python3 "$(dirname "$0")/udp_echo.py" serve 10.0.2.1 7777 &
	echo_pid=$!
	IKED_EXTRA="--pcap $d/isakmp.pcap"
	iked_start "$L" "$d/L" L
	IKED_EXTRA=
	check "$name: CHILD SA up in kipsec-iked" up_or_dead 60 child_up "$d/L/iked.log" "$PID_L"
	check "$name: CHILD SA installed in charon" \
		within 30 eval "swan $c --list-sas 2>/dev/null | grep -q INSTALLED"
	check "$name: kipsec's policies select UDP to and from port 7777" eval \
		"ip netns exec $L $KIPSEC policy show | tee $d/policies-L.txt | grep -q 'proto udp dport 7777' &&
		 grep -q 'proto udp sport 7777' $d/policies-L.txt"
	check "$name: charon's xfrm policies select UDP to and from port 7777" eval \
		"ip -n $R xfrm policy | tee $d/policies-R.txt | grep -q 'proto udp dport 7777' &&
		 grep -q 'proto udp sport 7777' $d/policies-R.txt"
	check "$name: L's Quick Mode carried an ID_IPV4_ADDR_RANGE with protocol UDP (tshark)" \
		eval "tshark -n -r $d/isakmp.pcap -Y 'isakmp.id.type == 7 && isakmp.id.protoid == 17' \
			-T fields -e frame.number 2>/dev/null | grep -q ."
	check "$name: UDP to 10.0.2.1:7777 echoed" ip netns exec "$L" /usr/bin/python3 \
		"$(dirname "$0")/udp_echo.py" send 10.0.1.1 10.0.2.1 7777 5
	check "$name: kipsec SAs (L) counted packets" kipsec_sas_counted "$L" "$d/sa-L.json"
	check "$name: xfrm SAs (charon, R) counted packets" xfrm_sas_counted "$R" "$d/sa-R.txt"
	before=$(grep -o '"packets":[0-9]*' "$d/sa-L.json" | tr '\n' ' ')
	check "$name: ping 10.0.2.1 passes outside the SAs" ping_through "$L" 10.0.2.1
	ip netns exec "$L" "$KIPSEC" -j sa show >"$d/sa-L-after-ping.json"
	after=$(grep -o '"packets":[0-9]*' "$d/sa-L-after-ping.json" | tr '\n' ' ')
	check "$name: the pings did not touch the SAs' counters ($before)" [ "$before" = "$after" ]
	kill "$echo_pid"
	wait "$echo_pid" 2>/dev/null
	check "$name: kipsec-iked stops and removes its SAs and policies" \
		iked_stop "$PID_L" "$L" "$d"
	check "$name: charon took kipsec-iked's Delete: no xfrm SA left in R" \
		within 10 eval "[ -z \"\$(ip -n $R xfrm state)\" ]"
	charon_done "$R" "$c" "$d/R"
}

# charon_refusals: Quick Modes refused both ways, with the notification the
# other side acts on. charon proposes ESP L does not accept, then proxy IDs
# L does not have, then a range no prefix covers (kipsec's policies select
# prefixes) (L answers NO-PROPOSAL-CHOSEN, INVALID-ID-INFORMATION twice);
# then L proposes ESP charon does not accept (charon's NO-PROPOSAL-CHOSEN
# ends L's exchange at once instead of its retransmissions).
charon_refusals() {
	local name=qm_refused d=$OUT/qm_refused c k
	want "$name" || return 0
	mkdir -p "$d/L"
	iked_conf "$d/L/iked.conf" 192.168.50.1 192.168.50.2 10.0.1.0/24 10.0.2.0/24 tunnel \
		aes128-sha256-modp2048 aes128-sha256 no add
	iked_start "$L" "$d/L" L
	within 20 grep -q "listening on" "$d/L/iked.log"
	for k in esp id range; do
		c=$W/qm_refused_$k
		mkdir -p "$c" "$d/charon-$k"
		if [ $k = esp ]; then
			charon_conf "$c/swanctl.conf" t 192.168.50.2 192.168.50.1 10.0.2.0/24 \
				10.0.1.0/24 tunnel aes128-sha256-modp2048 aes256gcm16
		else
			charon_conf "$c/swanctl.conf" t 192.168.50.2 192.168.50.1 \
				"$([ $k = id ] && echo 10.0.3.0/24 || echo 10.0.2.5-10.0.2.9)" \
				10.0.1.0/24 tunnel aes128-sha256-modp2048 aes128-sha256
		fi
		charon_start "$R" "$c" kernel-netlink
		check "$name: charon's Quick Mode with $(case $k in esp) echo "ESP aes256gcm16";;
			id) echo "local_ts 10.0.3.0/24";; *) echo "local_ts 10.0.2.5-10.0.2.9";;
			esac) fails" \
			eval "! swan $c --initiate --child t --timeout 8 >/dev/null 2>&1"
		if [ $k = esp ]; then
			check "$name: L logs why and sends NO-PROPOSAL-CHOSEN" eval \
				"grep -q 'no acceptable ESP proposal' $d/L/iked.log &&
				 grep -q 'sent NO-PROPOSAL-CHOSEN' $d/L/iked.log"
			check "$name: charon received NO-PROPOSAL-CHOSEN" within 10 grep -q \
				"received NO_PROPOSAL_CHOSEN error notify" "$c/charon.log"
		else
			[ $k = id ] || check "$name: L logs that the range is not one prefix" grep -q \
				"proxy ID refused: range 10.0.2.5-10.0.2.9 is not one prefix" \
				"$d/L/iked.log"
			check "$name: L logs why and sends INVALID-ID-INFORMATION" eval \
				"grep -q 'proxy IDs do not match' $d/L/iked.log &&
				 grep -q 'sent INVALID-ID-INFORMATION' $d/L/iked.log"
			check "$name: charon received INVALID-ID-INFORMATION" within 10 grep -q \
				"received INVALID_ID_INFORMATION error notify" "$c/charon.log"
		fi
		check "$name: no SA in L's kipsec or charon's xfrm" eval \
			"[ -z \"\$(ip netns exec $L $KIPSEC sa show)\" ] && [ -z \"\$(ip -n $R xfrm state)\" ]"
		charon_done "$R" "$c" "$d/charon-$k"
	done
	kill "$PID_L" && wait "$PID_L"
	DAEMONS=${DAEMONS/ $PID_L/}
	mv "$d/L/iked.log" "$d/L/iked-responder.log"

	c=$W/qm_refused_init
	mkdir -p "$c" "$d/charon-init"
	charon_conf "$c/swanctl.conf" t 192.168.50.2 192.168.50.1 10.0.2.0/24 10.0.1.0/24 tunnel \
		aes128-sha256-modp2048 aes256gcm16
	charon_start "$R" "$c" kernel-netlink
	iked_conf "$d/L/iked.conf" 192.168.50.1 192.168.50.2 10.0.1.0/24 10.0.2.0/24 tunnel \
		aes128-sha256-modp2048 aes128-sha256 no start
	iked_start "$L" "$d/L" L
	check "$name: L's Quick Mode with ESP charon does not accept ends on charon's NO-PROPOSAL-CHOSEN" \
		within 20 grep -q "peer refused our Quick Mode (SPI 0x[0-9a-f]*): NO-PROPOSAL-CHOSEN" \
		"$d/L/iked.log"
	kill "$PID_L" && wait "$PID_L"
	DAEMONS=${DAEMONS/ $PID_L/}
	charon_done "$R" "$c" "$d/charon-init"
}

charon_case iked_charon_pfs iked aes128-sha256-modp2048 aes128-sha256 modp2048 export
charon_case charon_iked charon 3des-sha1-modp1536 aes256-sha1 no
IKE_V6=1 charon_case iked_charon_v6 iked aes256-sha384-ecp256 aes256gcm16 ecp256
charon_aggressive
charon_selectors
charon_refusals

done_testing
