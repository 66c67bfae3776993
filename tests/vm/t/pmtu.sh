#!/bin/bash
# Path MTU where inner and ESP packets share one destination: transport
# mode, and tunnel mode between the two hosts' own addresses (a
# host-to-host tunnel, as IKE daemons set up by default). kipsec on both
# sides, AES-GCM-128, over a veth with MTU 1500:
#
#   [L] lo 10.6.1.1 fd06:1::1 -- vl 192.168.60.1 === vr 192.168.60.2 -- lo 10.6.2.1 fd06:2::1 [R]
#
# Per case: one UDP GSO datagram (UDP_SEGMENT, DF) whose 4 segments fit the
# route but not inside ESP is refused with one ICMP (out-mtu rises by 1),
# not one per segment; 1 MB over TCP from L to R (SHA-256 echoed back) and
# a UDP echo burst; a DF ping too big once encapsulated is refused
# (EMSGSIZE or the ICMP error) and a smaller one answered; L's route to R
# then carries exactly the MTU left inside ESP (the ICMP output.c sent
# reached the sender); and on the wire from L: full-sized ESP packets and
# no fragment at all, although the route's MTU is below their size (they
# leave on the SA's own route, kmod/route.c; before it they were
# fragmented at the lowered MTU). Then UDP datagrams of 1450 and 3000
# bytes from an ordinary socket, which lets the stack fragment, are echoed
# (fragmented after encapsulation). Two more cases with an MTU of 1400
# configured on L's route to R (ip route ... mtu 1400; the device's stays
# 1500): ESP packets must fit that too, not only the device's MTU (before,
# they left above it, on route.c's copy, and a DF ping that fitted the
# route outside ESP but not inside was answered). One more with the
# interface's IPv6 MTU lowered to 1400 instead (net.ipv6.conf.vl.mtu, the
# route without an MTU of its own: before, ESP left at up to 1500 bytes,
# fragmented on the wire). Last, the veth is
# deleted while the SAs and their routes are still there: the deletion
# must finish (the netdevice notifier releases the SA's route and with it
# the device).
# KIPSEC_PMTU_FILTER: extended regex on the case names ("transport v4",
# "tunnel v6 (route mtu 1400)", ...) to run only some (~30 s each on the
# stock kernel under TCG, several times that on the debug kernel).
. "$(dirname "$0")/lib.sh"
T=$REPO/tests/vm/t
. "$T/ipsec_side.sh"

L=$(ns pl)
R=$(ns pr)
OUT=$REPO/build/vm/pmtu/$KIPSEC_KERNEL
PORT=5002
W=$SIDE_TMP
trap side_cleanup EXIT
rm -rf "$OUT"
mkdir -p "$OUT"

check "load kipsec" kipsec_load
check "two namespaces joined by a veth (MTU 1500)" \
	netns_pair "$L" "$R" 192.168.60 fd00:60 10.6 fd06:
# R forwards IPv6 and says so in its neighbour advertisements: IPv6's
# route GC drops a path MTU learnt through a gateway that isn't a router
# (rt6_age_exceptions), at any time. L learns R's flag afresh.
ip netns exec "$R" sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n "$L" -6 neigh flush dev vl
. "$T/agent.sh"
start_agent "$R" --serve "$PORT" && agent "$R" hello
check "agent and TCP/UDP echo server in R (got: $REPLY)" test "$REPLY" = hello
start_agent "$L" && agent "$L" hello
check "agent in L (got: $REPLY)" test "$REPLY" = hello

alg_set aes-gcm-128
out_mtu() { ip netns exec "$L" "$KIPSEC" stats | awk '$1 == "out-mtu" { print $2 }'; }

# wire PCAP FAMILY LIMIT: L's ESP on the wire: full-sized (within 100 bytes
# of LIMIT), none above LIMIT, and unfragmented.
wire() {
	local pcap=$1 fam=$2 lim=$3 frag big over esp
	if [ "$fam" = v4 ]; then
		frag='ip and ip[6:2] & 0x3fff != 0'
	else
		frag='ip6 and ip6[6] == 44'
	fi
	frag=$(tcpdump -n -r "$pcap" "$frag" 2>/dev/null | wc -l)
	esp=$(tcpdump -n -r "$pcap" esp 2>/dev/null | wc -l)
	# greater (>=) counts the Ethernet header: 14 bytes more than the IP packet.
	big=$(tcpdump -n -r "$pcap" "esp and greater $((lim - 100 + 14))" 2>/dev/null | wc -l)
	over=$(tcpdump -n -r "$pcap" "esp and greater $((lim + 1 + 14))" 2>/dev/null | wc -l)
	echo "$esp ESP packets from L, $big of $((lim - 100)) bytes or more, $over above $lim, $frag fragments"
	[ "$frag" = 0 ] && [ "$big" -gt 0 ] && [ "$over" = 0 ]
}

run_case() {	# MODE FAMILY [MTU [mtu6]]: MTU on L's route to R, or with mtu6 on vl for IPv6
	local mode=$1 fam=$2 rmtu=${3:-} mtu6= il ir plen pcap res pm udp gso mtu0 mtu1 mtug route gw exp
	local lim=${3:-1500} name="$1 $2${3:+ (route mtu $3)}" iph=28
	if [ "${4:-}" = mtu6 ]; then
		mtu6=$rmtu rmtu= name="$1 $2 (mtu6 $mtu6)"
	fi
	[[ $name =~ ${KIPSEC_PMTU_FILTER:-.} ]] || return 0
	if [ "$fam" = v4 ]; then il=10.6.1.1 ir=10.6.2.1 plen=32; else il=fd06:1::1 ir=fd06:2::1 plen=128 iph=48; fi
	# No path MTU learnt in an earlier case.
	ip -n "$L" route flush cache
	ip -n "$L" -6 route flush cache
	if [ "$rmtu" ]; then
		gw=$(ip -n "$L" route get "$ir" | grep -o 'via [^ ]*')
		if ! ip -n "$L" route replace "$ir/$plen" $gw dev vl mtu "$rmtu"; then
			not_ok "$name: route with mtu $rmtu"
			return
		fi
	fi
	if [ "$mtu6" ] && ! ip netns exec "$L" sysctl -qw "net.ipv6.conf.vl.mtu=$mtu6"; then
		not_ok "$name: IPv6 MTU $mtu6 on vl"
		return
	fi
	gen_keys && local klr=$KEYS && gen_keys && local krl=$KEYS
	if ! side_install kipsec "$L" "$mode" "$il" "$ir" "$il/$plen" "$ir/$plen" 0x6001 0x6002 \
		"$klr" "$krl" 6 || ! side_install kipsec "$R" "$mode" "$ir" "$il" "$ir/$plen" \
		"$il/$plen" 0x6002 0x6001 "$krl" "$klr" 6; then
		not_ok "$name: SAs and policies installed"
		return
	fi
	mtu0=$(out_mtu)
	# IP packets of LIMIT - 12 bytes: within the route, not within it once in ESP.
	agent "$L" udpgso "$il" "$ir" "$PORT" $((lim - 12 - iph)) 4
	gso=$REPLY
	mtug=$(out_mtu)
	pcap=$OUT/${mode}-$fam${3:+-$3}${4:+-$4}.pcap
	CAPTURE_PIDS=
	if ! capture "$L" vl "$pcap"; then
		not_ok "$name: capture on vl"
		return
	fi
	agent "$L" traffic "$il" "$ir" "$PORT" 1000000 20 1000
	res=$REPLY
	agent "$L" pmtu "$il" "$ir" $((lim - 50)) 1000
	pm=$REPLY
	sleep 1
	kill $CAPTURE_PIDS
	wait $CAPTURE_PIDS 2>/dev/null
	# Datagrams from sockets that let the stack fragment (the default),
	# after the capture: one that fits the route but not inside ESP, and
	# one beyond the link. Both are fragmented once encapsulated.
	agent "$L" udp "$il" "$ir" "$PORT" 10 1450
	udp=$REPLY
	agent "$L" udp "$il" "$ir" "$PORT" 10 3000
	udp+=" $REPLY"
	mtu1=$(out_mtu)
	route=$(ip -n "$L" route get "$ir" | tr -s '\n ' ' ')
	[ "$rmtu" ] && ip -n "$L" route del "$ir/$plen"
	[ "$mtu6" ] && ip netns exec "$L" sysctl -qw net.ipv6.conf.vl.mtu=1500

	[ "$gso" = gso=sent ] && [ "$mtug" = $((mtu0 + 1)) ]
	check "$name: a DF UDP GSO datagram of 4 too big segments refused once ($gso; out-mtu $mtu0 -> $mtug)" \
		test $? = 0
	[[ $res == tcp=ok*" udp=20/20" ]]
	check "$name: 1 MB TCP and 20 UDP echoes through the SAs ($res)" test $? = 0
	[[ $pm == pmtu=ok* ]]
	check "$name: a $((lim - 50))-byte DF ping refused, a 1000-byte one answered ($pm)" test $? = 0
	[ "$udp" = "udp=10/10 udp=10/10" ]
	check "$name: UDP echoes of 1450 and 3000 bytes from sockets that allow fragments ($udp)" \
		test $? = 0
	# AES-GCM-128 costs 34 bytes (ESP header and IV 16, ICV 16, trailer
	# 2; 4-byte alignment), tunnel mode the outer IP header too.
	exp=$((lim - 34))
	[ "$mode" = tunnel ] && exp=$((exp - iph + 8))
	[[ $route == *" mtu $exp "* ]]
	check "$name: the sender learnt the MTU left inside ESP, $exp (route: $route; out-mtu $mtu1)" \
		test $? = 0
	check "$name: on the wire, full-sized ESP within $lim bytes and no fragments" \
		wire "$pcap" "$fam" "$lim"
}

run_case transport v4
run_case tunnel v4
run_case tunnel v6
run_case transport v4 1400
run_case tunnel v6 1400
run_case transport v6
run_case transport v6 1400 mtu6

# The last case's SAs are still installed, their route copy cached.
del_veth() { timeout 60 ip -n "$L" link del vl; }
check "the veth is deleted while SAs hold routes on it (notifier releases them)" del_veth
check "no 'waiting for vl to become free' in the kernel log" \
	bash -c "! dmesg | grep -q 'waiting for vl to become free'"
side_flush kipsec "$L"
side_flush kipsec "$R"
check "unload" kipsec_unload
done_testing
