#!/bin/bash
# kipsec-iked's NAT traversal (RFC 3947, RFC 3948) against a real NAT and a
# real peer. L is behind a NAT (nftables masquerade in M, as natt.sh):
#
#   [L] lo 10.8.1.1                [M] masquerade                [R] lo 10.8.2.1
#       vl 10.7.0.1 ====== ml 10.7.0.254   mr 192.168.77.254 ====== vr 192.168.77.2
#
# Cases (KIPSEC_IKE_CASES, an extended regex on the names, picks a subset):
#   natt_charon  L kipsec-iked initiates to strongSwan charon in R (native xfrm)
#   natt_charon_aggressive  the same in Aggressive Mode
#   natt_iked    L kipsec-iked initiates to kipsec-iked in R
#   natt_iked_transport  the same in transport mode (NAT-OA)
#   charon_natt  charon in L initiates to kipsec-iked in R
#   force_charon no NAT (L and R on one veth, 192.168.50.x): force_encap = yes
#                on kipsec-iked, encap = yes on charon
# Each: the NAT found (logged on both sides), IKE moved to port 4500, SAs
# installed as ESP in UDP on both sides (kipsec sa show, ip xfrm state),
# pings through, the wire in the middle carries IKE and ESP in UDP 4500 and
# no bare ESP, keepalives from L, both sides' SA counters risen.
# Logs: build/vm/ike_natt/KERNEL/CASE/.
. "$(dirname "$0")/lib.sh"
. "$REPO/tests/ike/charon.sh"
. "$(dirname "$0")/ike_lib.sh"

M=$(ns M)
peer_stop() {
	[ -n "${CAPTURE_PIDS:-}" ] && kill $CAPTURE_PIDS 2>/dev/null
	[ -z "${CHARON_PIDS:-}" ] || kill $CHARON_PIDS 2>/dev/null
	ip netns del "$M" 2>/dev/null
}

check "kipsec.ko loads" kipsec_load
check "xfrm and ESP for charon (modules, or built in)" modprobe -a xfrm_user esp4

# L's inner host reaches R's by M, from its own address.
topology_nat() {
	nat_topology "$L" "$M" "$R" &&
	ip -n "$L" route add 10.8.2.0/24 via 10.7.0.254 src 10.8.1.1
}

# natt_conf FILE LOCAL REMOTE LTS RTS START [EXTRA KEY VALUE...] (and FILE.secrets,
# for the ID $RID, default REMOTE); mode $MODE, default tunnel
natt_conf() {
	local f=$1 l=$2 r=$3 lts=$4 rts=$5 start=$6
	shift 6
	printf '# written by ike_natt.sh\nconn t\n' >"$f"
	printf '\t%s = %s\n' local "$l" remote "$r" local_ts "$lts" remote_ts "$rts" \
		mode "${MODE:-tunnel}" ike aes128-sha256-modp2048 esp aes128-sha256 pfs modp2048 \
		start_action "$start" lifetime 600 nat_keepalive 1 "$@" >>"$f"
	printf '%s : PSK "%s"\n' "${RID:-$r}" "$PSK" >"$f.secrets"
	chmod 600 "$f.secrets"
}

# swan_natt_conf FILE LOCAL REMOTE REMOTE_ID LTS RTS ENCAP: charon's side.
swan_natt_conf() {
	cat >"$1" <<EOC
connections {
	t {
		version = 1
		local_addrs = $2
		remote_addrs = $3
		proposals = aes128-sha256-modp2048
		encap = $7
		aggressive = ${CHARON_AGGRESSIVE:-no}
		mobike = no
		local { auth = psk
			id = $2 }
		remote { auth = psk
			id = $4 }
		children {
			t {
				local_ts = $5
				remote_ts = $6
				mode = tunnel
				esp_proposals = aes128-sha256-modp2048
			}
		}
	}
}
secrets {
	ike-t {
		id-a = $2
		id-b = $4
		secret = "$PSK"
	}
}
EOC
}


# wire_ok PCAP: IKE floated (marker + ISAKMP on 4500), ESP in UDP 4500, no
# bare ESP, keepalives (UDP length 9: one byte).
wire_ok() {
	local ike500 ike4500 espudp esp ka
	ike500=$(count "$1" 'udp port 500')
	ike4500=$(count "$1" 'udp port 4500 and udp[4:2] > 12 and udp[8:4] = 0')
	espudp=$(count "$1" 'udp port 4500 and udp[4:2] > 12 and udp[8:4] != 0')
	esp=$(count "$1" 'ip proto 50')
	ka=$(count "$1" 'udp port 4500 and udp[4:2] = 9 and udp[8] = 0xff')
	echo "IKE on 500: $ike500, IKE on 4500: $ike4500, ESP in UDP: $espudp, bare ESP: $esp," \
		"keepalives: $ka"
	[ "$ike500" -ge 4 ] && [ "$ike4500" -ge 2 ] && [ "$espudp" -ge 6 ] && [ "$esp" = 0 ] &&
		[ "$ka" -ge 1 ]
}

# kipsec_encap NS: both of NS's kipsec SAs are ESP in UDP, port 4500 at our end.
kipsec_encap() {
	local s
	s=$(ip netns exec "$1" "$KIPSEC" sa show)
	echo "$s"
	[ "$(grep -c 'encap espinudp' <<<"$s")" = 2 ] &&
		[ "$(grep -cE 'encap espinudp (4500 [0-9]+|[0-9]+ 4500)' <<<"$s")" = 2 ]
}

# xfrm_encap NS: both xfrm SAs in NS are ESP in UDP.
xfrm_encap() {
	local s
	s=$(ip -n "$1" xfrm state)
	echo "$s"
	[ "$(grep -c 'encap type espinudp' <<<"$s")" = 2 ]
}

# natt_common NAME DIR PEERKIND: the checks after the CHILD SA is up.
natt_common() {
	local name=$1 d=$2 kind=$3 pcap=$2/wire.pcap
	check "$name: L found the NAT in front of it" \
		grep -qE "NAT-D: (we are behind a NAT|no NAT in front of us, but force_encap)" \
		"$d/L/iked.log"
	check "$name: L moved IKE to port 4500" grep -q "IKE moves to port 4500" "$d/L/iked.log"
	check "$name: L's CHILD SA is ESP in UDP" grep -q "is ESP in UDP: port 4500 <->" \
		"$d/L/iked.log"
	check "$name: kipsec SAs in L carry encap espinudp" kipsec_encap "$L"
	if [ "$kind" = charon ]; then
		check "$name: xfrm SAs in R (charon) carry encap espinudp" xfrm_encap "$R"
	else
		check "$name: kipsec SAs in R carry encap espinudp" kipsec_encap "$R"
	fi
	check "$name: ping 10.8.2.1 through the SAs" ping_through "$L" 10.8.2.1
	# a keepalive every second from L: one more on the wire
	sleep 1.5
	wire_stop
	check "$name: the wire: IKE floated to 4500, ESP only in UDP 4500, keepalives" \
		wire_ok "$pcap"
	check "$name: kipsec SAs (L) counted packets" kipsec_sas_counted "$L" "$d/sa-L.json"
	if [ "$kind" = charon ]; then
		check "$name: xfrm SAs (R) counted packets" xfrm_sas_counted "$R" "$d/sa-R.txt"
	else
		check "$name: kipsec SAs (R) counted packets" kipsec_sas_counted "$R" "$d/sa-R.json"
	fi
	check "$name: kipsec-iked in L stops and removes its SAs and policies" \
		iked_stop "$PID_L" "$L" "$d"
}

natt_charon() {
	local name=natt_charon d=$OUT/natt_charon c=$W/natt_charon
	want "$name" || return 0
	mkdir -p "$d/L" "$d/R" "$c"
	natt_conf "$d/L/iked.conf" 10.7.0.1 192.168.77.2 10.8.1.0/24 10.8.2.0/24 start
	# charon sees L at the NAT's address, with L's own address as its ID
	swan_natt_conf "$c/swanctl.conf" 192.168.77.2 192.168.77.254 10.7.0.1 10.8.2.0/24 \
		10.8.1.0/24 no
	charon_start "$R" "$c" kernel-netlink
	check "$name: charon runs in R" grep -q "successfully loaded" "$c/load.log"
	wire "$M" mr "$d/wire.pcap"
	iked_start "$L" "$d/L" L
	check "$name: CHILD SA up in kipsec-iked" up_or_dead 60 child_up "$d/L/iked.log" "$PID_L"
	check "$name: CHILD SA installed in charon" \
		within 30 eval "swan $c --list-sas 2>/dev/null | grep -q INSTALLED"
	check "$name: charon found the NAT (remote host behind it)" \
		grep -q "remote host is behind NAT" "$c/charon.log"
	natt_common "$name" "$d" charon
	charon_done "$R" "$c" "$d/R"
}

# Aggressive Mode through the NAT: NAT-D in messages 2 and 3, message 3
# already on port 4500.
natt_charon_aggressive() {
	local name=natt_charon_aggressive d=$OUT/natt_charon_aggressive c=$W/natt_charon_aggr
	want "$name" || return 0
	mkdir -p "$d/L" "$d/R" "$c"
	natt_conf "$d/L/iked.conf" 10.7.0.1 192.168.77.2 10.8.1.0/24 10.8.2.0/24 start \
		aggressive yes
	CHARON_AGGRESSIVE=yes swan_natt_conf "$c/swanctl.conf" 192.168.77.2 192.168.77.254 \
		10.7.0.1 10.8.2.0/24 10.8.1.0/24 no
	CHARON_AGGRESSIVE=yes charon_start "$R" "$c" kernel-netlink
	iked_start "$L" "$d/L" L
	check "$name: CHILD SA up in kipsec-iked" up_or_dead 60 child_up "$d/L/iked.log" "$PID_L"
	check "$name: CHILD SA installed in charon" \
		within 30 eval "swan $c --list-sas 2>/dev/null | grep -q INSTALLED"
	check "$name: Aggressive Mode, the NAT found on both sides" eval \
		"grep -q 'initiating Aggressive Mode' $d/L/iked.log &&
		grep -q 'NAT-D: we are behind a NAT' $d/L/iked.log &&
		grep -q 'remote host is behind NAT' $c/charon.log"
	check "$name: L moved IKE to port 4500" grep -q "IKE moves to port 4500" "$d/L/iked.log"
	check "$name: kipsec SAs in L carry encap espinudp" kipsec_encap "$L"
	check "$name: xfrm SAs in R (charon) carry encap espinudp" xfrm_encap "$R"
	check "$name: ping 10.8.2.1 through the SAs" ping_through "$L" 10.8.2.1
	check "$name: xfrm SAs (R) counted packets" xfrm_sas_counted "$R" "$d/sa-R.txt"
	check "$name: kipsec-iked in L stops and removes its SAs and policies" \
		iked_stop "$PID_L" "$L" "$d"
	charon_done "$R" "$c" "$d/R"
}

natt_iked() {
	local name=natt_iked d=$OUT/natt_iked
	want "$name" || return 0
	mkdir -p "$d/L" "$d/R"
	natt_conf "$d/L/iked.conf" 10.7.0.1 192.168.77.2 10.8.1.0/24 10.8.2.0/24 start
	# R: the peer is the NAT's address, its ID L's own address
	RID=10.7.0.1 natt_conf "$d/R/iked.conf" 192.168.77.2 192.168.77.254 10.8.2.0/24 10.8.1.0/24 add \
		remote_id 10.7.0.1
	wire "$M" mr "$d/wire.pcap"
	iked_start "$R" "$d/R" R
	within 20 grep -q "listening on" "$d/R/iked.log"
	iked_start "$L" "$d/L" L
	check "$name: CHILD SA up on both sides" up_or_dead 60 both_up "$d"
	check "$name: R found the NAT in front of its peer" \
		grep -q "NAT-D: the peer is behind a NAT" "$d/R/iked.log"
	check "$name: R followed its peer to port 4500" \
		grep -q "peer moved to the NAT-T port: 192.168.77.254" "$d/R/iked.log"
	natt_common "$name" "$d" iked
	check "$name: kipsec-iked in R stops and removes its SAs and policies" \
		iked_stop "$PID_R" "$R" "$d"
}

# charon behind the NAT initiates to kipsec-iked: the responder's side of
# floating (charon moves to 4500 and proposes UDP-Encapsulated-Tunnel).
charon_natt() {
	local name=charon_natt d=$OUT/charon_natt c=$W/charon_natt
	want "$name" || return 0
	mkdir -p "$d/L" "$d/R" "$c"
	RID=10.7.0.1 natt_conf "$d/R/iked.conf" 192.168.77.2 192.168.77.254 10.8.2.0/24 \
		10.8.1.0/24 add remote_id 10.7.0.1
	swan_natt_conf "$c/swanctl.conf" 10.7.0.1 192.168.77.2 192.168.77.2 10.8.1.0/24 \
		10.8.2.0/24 no
	charon_start "$L" "$c" kernel-netlink
	iked_start "$R" "$d/R" R
	within 20 grep -q "listening on" "$d/R/iked.log"
	check "$name: charon (L) initiates through the NAT" swan "$c" --initiate --child t \
		--timeout 60
	check "$name: CHILD SA up in kipsec-iked (R)" up_or_dead 30 child_up "$d/R/iked.log" \
		"$PID_R"
	check "$name: R found the NAT in front of its peer" \
		grep -q "NAT-D: the peer is behind a NAT" "$d/R/iked.log"
	check "$name: R followed charon to port 4500" \
		grep -q "peer moved to the NAT-T port: 192.168.77.254" "$d/R/iked.log"
	check "$name: kipsec SAs in R carry encap espinudp" kipsec_encap "$R"
	check "$name: xfrm SAs in L (charon) carry encap espinudp" xfrm_encap "$L"
	check "$name: ping 10.8.2.1 through the SAs" ping_through "$L" 10.8.2.1
	check "$name: kipsec SAs (R) counted packets" kipsec_sas_counted "$R" "$d/sa-R.json"
	check "$name: xfrm SAs (L) counted packets" xfrm_sas_counted "$L" "$d/sa-L.txt"
	check "$name: kipsec-iked in R stops and removes its SAs and policies" \
		iked_stop "$PID_R" "$R" "$d"
	charon_done "$L" "$c" "$d/L"
}

# Transport mode through the NAT: L names itself 10.7.0.1 in its proxy ID,
# R knows it as the NAT's address; NAT-OA reconciles the two.
natt_iked_transport() {
	local name=natt_iked_transport d=$OUT/natt_iked_transport
	want "$name" || return 0
	mkdir -p "$d/L" "$d/R"
	MODE=transport natt_conf "$d/L/iked.conf" 10.7.0.1 192.168.77.2 10.7.0.1/32 \
		192.168.77.2/32 start
	MODE=transport RID=10.7.0.1 natt_conf "$d/R/iked.conf" 192.168.77.2 192.168.77.254 \
		192.168.77.2/32 192.168.77.254/32 add remote_id 10.7.0.1
	iked_start "$R" "$d/R" R
	within 20 grep -q "listening on" "$d/R/iked.log"
	iked_start "$L" "$d/L" L
	check "$name: CHILD SA up on both sides" up_or_dead 60 both_up "$d"
	check "$name: R got L's original address in NAT-OAi" \
		grep -q "NAT-OAi: 10.7.0.1" "$d/R/iked.log"
	check "$name: R took L's proxy ID 10.7.0.1 for the NAT's address" \
		grep -q "proxy ID is the address before the NAT (NAT-OA)" "$d/R/iked.log"
	check "$name: kipsec SAs in L carry encap espinudp" kipsec_encap "$L"
	check "$name: kipsec SAs in R carry encap espinudp" kipsec_encap "$R"
	check "$name: ping 192.168.77.2 through the transport SAs" ping_through "$L" 192.168.77.2
	check "$name: kipsec SAs (L) counted packets" kipsec_sas_counted "$L" "$d/sa-L.json"
	check "$name: kipsec SAs (R) counted packets" kipsec_sas_counted "$R" "$d/sa-R.json"
	check "$name: both daemons stop and remove their SAs and policies" \
		eval "iked_stop $PID_L $L $d && iked_stop $PID_R $R $d"
}

force_charon() {
	local name=force_charon d=$OUT/force_charon c=$W/force_charon
	want "$name" || return 0
	mkdir -p "$d/L" "$d/R" "$c"
	natt_conf "$d/L/iked.conf" 192.168.50.1 192.168.50.2 10.0.1.0/24 10.0.2.0/24 start \
		force_encap yes
	swan_natt_conf "$c/swanctl.conf" 192.168.50.2 192.168.50.1 192.168.50.1 10.0.2.0/24 \
		10.0.1.0/24 yes
	charon_start "$R" "$c" kernel-netlink
	wire "$R" vr "$d/wire.pcap"
	iked_start "$L" "$d/L" L
	check "$name: CHILD SA up in kipsec-iked" up_or_dead 60 child_up "$d/L/iked.log" "$PID_L"
	check "$name: CHILD SA installed in charon" \
		within 30 eval "swan $c --list-sas 2>/dev/null | grep -q INSTALLED"
	check "$name: kipsec-iked saw charon's faked NAT too" \
		grep -q "the peer is behind a NAT" "$d/L/iked.log"
	local pcap=$d/wire.pcap
	check "$name: L moved IKE to port 4500" grep -q "IKE moves to port 4500" "$d/L/iked.log"
	check "$name: kipsec SAs in L carry encap espinudp 4500 4500" \
		eval "[ \"\$(ip netns exec $L $KIPSEC sa show | grep -c 'encap espinudp 4500 4500')\" = 2 ]"
	check "$name: xfrm SAs in R (charon) carry encap espinudp" xfrm_encap "$R"
	check "$name: ping 10.0.2.1 through the SAs" ping_through "$L" 10.0.2.1
	sleep 1.5
	wire_stop
	check "$name: the wire: IKE floated to 4500, ESP only in UDP 4500, keepalives" \
		wire_ok "$pcap"
	check "$name: kipsec SAs (L) counted packets" kipsec_sas_counted "$L" "$d/sa-L.json"
	check "$name: xfrm SAs (R) counted packets" xfrm_sas_counted "$R" "$d/sa-R.txt"
	check "$name: kipsec-iked in L stops and removes its SAs and policies" \
		iked_stop "$PID_L" "$L" "$d"
	charon_done "$R" "$c" "$d/R"
}

check "three namespaces: L -- M (masquerade) -- R" topology_nat
natt_charon
natt_charon_aggressive
natt_iked
natt_iked_transport
charon_natt
ip netns del "$L" && ip netns del "$R" && ip netns del "$M"
check "two namespaces on one veth (no NAT)" setup
force_charon
done_testing
