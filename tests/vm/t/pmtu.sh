#!/bin/bash
# Path MTU where inner and ESP packets share one destination: transport
# mode, and tunnel mode between the two hosts' own addresses (a
# host-to-host tunnel, as IKE daemons set up by default). kipsec on both
# sides, AES-GCM-128, over a veth with MTU 1500:
#
#   [L] lo 10.6.1.1 fd06:1::1 -- vl 192.168.60.1 === vr 192.168.60.2 -- lo 10.6.2.1 fd06:2::1 [R]
#
# Per case: 1 MB over TCP from L to R (SHA-256 echoed back) and a UDP echo
# burst; a DF ping too big once encapsulated is refused (EMSGSIZE or the
# ICMP error) and a smaller one answered; L's route to R then carries the
# lowered path MTU (the ICMP output.c sent reached the sender) and its
# out-mtu counter rose; and on the wire from L: full-sized ESP packets and
# no fragment at all, although the route's MTU is below their size (they
# leave on the SA's own route, kmod/route.c; before it they were
# fragmented at the lowered MTU). Then UDP datagrams of 1450 and 3000
# bytes from an ordinary socket, which lets the stack fragment, are echoed
# (fragmented after encapsulation). Last, the veth is deleted while the SAs
# and their routes are still there: the deletion must finish (the
# netdevice notifier releases the SA's route and with it the device).
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
. "$T/agent.sh"
start_agent "$R" --serve "$PORT" && agent "$R" hello
check "agent and TCP/UDP echo server in R (got: $REPLY)" test "$REPLY" = hello
start_agent "$L" && agent "$L" hello
check "agent in L (got: $REPLY)" test "$REPLY" = hello

alg_set aes-gcm-128
out_mtu() { ip netns exec "$L" "$KIPSEC" stats | awk '$1 == "out-mtu" { print $2 }'; }

# wire PCAP FAMILY: L's ESP on the wire, full-sized and unfragmented.
wire() {
	local pcap=$1 fam=$2 frag big esp
	if [ "$fam" = v4 ]; then
		frag='ip and ip[6:2] & 0x3fff != 0'
	else
		frag='ip6 and ip6[6] == 44'
	fi
	frag=$(tcpdump -n -r "$pcap" "$frag" 2>/dev/null | wc -l)
	esp=$(tcpdump -n -r "$pcap" esp 2>/dev/null | wc -l)
	# greater counts the Ethernet header: 1414 is an IP packet of 1400.
	big=$(tcpdump -n -r "$pcap" 'esp and greater 1414' 2>/dev/null | wc -l)
	echo "$esp ESP packets from L, $big of 1400 bytes or more, $frag fragments"
	[ "$frag" = 0 ] && [ "$big" -gt 0 ]
}

run_case() {	# MODE FAMILY
	local mode=$1 fam=$2 il ir plen name="$1 $2" pcap res pm udp mtu0 mtu1 route
	if [ "$fam" = v4 ]; then il=10.6.1.1 ir=10.6.2.1 plen=32; else il=fd06:1::1 ir=fd06:2::1 plen=128; fi
	gen_keys && local klr=$KEYS && gen_keys && local krl=$KEYS
	if ! side_install kipsec "$L" "$mode" "$il" "$ir" "$il/$plen" "$ir/$plen" 0x6001 0x6002 \
		"$klr" "$krl" 6 || ! side_install kipsec "$R" "$mode" "$ir" "$il" "$ir/$plen" \
		"$il/$plen" 0x6002 0x6001 "$krl" "$klr" 6; then
		not_ok "$name: SAs and policies installed"
		return
	fi
	mtu0=$(out_mtu)
	pcap=$OUT/${mode}-$fam.pcap
	CAPTURE_PIDS=
	if ! capture "$L" vl "$pcap"; then
		not_ok "$name: capture on vl"
		return
	fi
	agent "$L" traffic "$il" "$ir" "$PORT" 1000000 20 1000
	res=$REPLY
	agent "$L" pmtu "$il" "$ir" 1450 1000
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

	[[ $res == tcp=ok*" udp=20/20" ]]
	check "$name: 1 MB TCP and 20 UDP echoes through the SAs ($res)" test $? = 0
	[[ $pm == pmtu=ok* ]]
	check "$name: a 1450-byte DF ping refused, a 1000-byte one answered ($pm)" test $? = 0
	[ "$udp" = "udp=10/10 udp=10/10" ]
	check "$name: UDP echoes of 1450 and 3000 bytes from sockets that allow fragments ($udp)" \
		test $? = 0
	[[ $route =~ " mtu 1"[34][0-9][0-9]" " ]] && [ "$mtu1" -gt "$mtu0" ]
	check "$name: the sender learnt the MTU left inside ESP (route: $route; out-mtu $mtu0 -> $mtu1)" \
		test $? = 0
	check "$name: on the wire, full-sized ESP and no fragments" wire "$pcap" "$fam"
}

run_case transport v4
run_case tunnel v4
run_case tunnel v6
run_case transport v6

# The last case's SAs are still installed, their route copy cached.
del_veth() { timeout 60 ip -n "$L" link del vl; }
check "the veth is deleted while SAs hold routes on it (notifier releases them)" del_veth
check "no 'waiting for vl to become free' in the kernel log" \
	bash -c "! dmesg | grep -q 'waiting for vl to become free'"
side_flush kipsec "$L"
side_flush kipsec "$R"
check "unload" kipsec_unload
done_testing
