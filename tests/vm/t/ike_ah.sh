#!/bin/bash
# AH (RFC 4302) and AH+ESP bundles negotiated by kipsec-iked in Quick Mode
# (ah = in kipsec-iked.conf), against strongSwan's charon (native xfrm) and
# against itself:
#
#   [L] lo 10.0.1.1                              [R] lo 10.0.2.1
#       vl 192.168.50.1 ======== veth ======== vr 192.168.50.2
#
# Cases (KIPSEC_IKE_CASES, an extended regex on the names, picks a subset):
#   ah_charon      L kipsec-iked initiates AH only (ah = sha256, PFS modp2048,
#                  tunnel 10.0.1.0/24 <-> 10.0.2.0/24) to charon in R
#                  (ah_proposals = sha256-modp2048, IKEv1)
#   charon_ah      charon in R initiates AH only (sha1, no PFS) to L
#   bundle_charon  L offers an AH+ESP bundle to charon, which has both
#                  proposals: charon does not do bundles in IKEv1, so no
#                  CHILD SA may come up, and both logs say why
#   bundle_iked    kipsec-iked <-> kipsec-iked AH+ESP bundle in tunnel mode
#   bundle_iked_transport  the same in transport mode between the veth addresses
# AH cases: the CHILD SA in both logs, kipsec's two SAs proto ah with the
# SPIs charon's xfrm has, pings through, both sides' AH counters risen, the
# wire shows only AH (proto 51, carrying IPIP) and no ESP. Bundle cases: an
# AH and an ESP SA per direction on both sides with the SPIs "ctl list"
# shows, pings through, all four SAs counted packets on both sides, every
# protected packet on the wire is IP -> AH -> ESP, and "ctl down" on L
# removes all four SAs on both sides (R by L's Deletes, one per protocol).
# Logs: build/vm/ike_ah/KERNEL/CASE/.
. "$(dirname "$0")/lib.sh"
. "$REPO/tests/ike/charon.sh"
. "$(dirname "$0")/ike_lib.sh"

peer_stop() {
	[ -n "${CHARON_PIDS:-}" ] && kill $CHARON_PIDS 2>/dev/null
	[ -n "${CAPTURE_PIDS:-}" ] && kill $CAPTURE_PIDS 2>/dev/null
}

check "kipsec.ko loads" kipsec_load
check "xfrm, ESP and AH for charon (modules, or built in)" modprobe -a xfrm_user esp4 ah4
for m in xfrm4_tunnel tunnel4; do
	modprobe -q "$m" 2>/dev/null
done
check "two namespaces joined by a veth, inner hosts routed via the peer" setup

# ah_conf FILE LOCAL REMOTE LTS RTS MODE START KEY VALUE...: kipsec-iked's
# side (and FILE.secrets); the proposal keys (ah, esp, pfs) come as extra.
ah_conf() {
	local f=$1
	printf '# written by ike_ah.sh\nconn t\n' >"$f"
	printf '\t%s = %s\n' local "$2" remote "$3" local_ts "$4" remote_ts "$5" mode "$6" \
		ike aes128-sha256-modp2048 start_action "$7" lifetime 600 >>"$f"
	shift 7
	printf '\t%s = %s\n' "$@" >>"$f"
	printf '%s : PSK "%s"\n' "$(sed -n 's/^\tremote = //p' "$f")" "$PSK" >"$f.secrets"
	chmod 600 "$f.secrets"
}

# swan_ah_conf FILE LOCAL REMOTE LTS RTS PROPOSALS_LINES: charon's side.
swan_ah_conf() {
	cat >"$1" <<EOC
connections {
	t {
		version = 1
		local_addrs = $2
		remote_addrs = $3
		proposals = aes128-sha256-modp2048
		encap = no
		mobike = no
		local { auth = psk
			id = $2 }
		remote { auth = psk
			id = $3 }
		children {
			t {
				local_ts = $4
				remote_ts = $5
				mode = tunnel
				$6
			}
		}
	}
}
secrets {
	ike-t {
		id-a = $2
		id-b = $3
		secret = "$PSK"
	}
}
EOC
}


# The capture may miss packets under emulation (the SA counters are exact):
# what it holds must all be of the right kind, at least one each way.
# wire_ah PCAP: AH carrying IPIP (tunnel mode, next header 4) both ways, no ESP.
wire_ah() {
	local ah ahip lr rl esp
	ah=$(count "$1" 'ip proto 51')
	ahip=$(count "$1" 'ip proto 51 and ip[20] = 4')
	lr=$(count "$1" 'ip proto 51 and src 192.168.50.1')
	rl=$(count "$1" 'ip proto 51 and src 192.168.50.2')
	esp=$(count "$1" 'ip proto 50')
	echo "AH: $ah (carrying IPIP: $ahip; L->R $lr, R->L $rl), ESP: $esp"
	[ "$ahip" = "$ah" ] && [ "$lr" -ge 1 ] && [ "$rl" -ge 1 ] && [ "$esp" = 0 ]
}

# wire_bundle PCAP: every IPsec packet is AH whose next header is ESP (50),
# both ways; no bare ESP; no cleartext ICMP between the inner hosts.
wire_bundle() {
	local ah ahesp lr rl esp icmp
	ah=$(count "$1" 'ip proto 51')
	ahesp=$(count "$1" 'ip proto 51 and ip[20] = 50')
	lr=$(count "$1" 'ip proto 51 and ip[20] = 50 and src 192.168.50.1')
	rl=$(count "$1" 'ip proto 51 and ip[20] = 50 and src 192.168.50.2')
	esp=$(count "$1" 'ip proto 50')
	icmp=$(count "$1" 'icmp')
	echo "AH: $ah (AH -> ESP: $ahesp; L->R $lr, R->L $rl), bare ESP: $esp, clear ICMP: $icmp"
	[ "$ahesp" = "$ah" ] && [ "$lr" -ge 1 ] && [ "$rl" -ge 1 ] && [ "$esp" = 0 ] &&
		[ "$icmp" = 0 ]
}

# sas NS PROTO: the SPIs of NS's kipsec SAs of PROTO, sorted.
sas() {
	ip netns exec "$1" "$KIPSEC" sa show | grep -oE "proto $2 spi 0x[0-9a-f]{8}" |
		awk '{ print $4 }' | sort | tr '\n' ' '
}

# xfrm_ah_spis NS: the SPIs of NS's xfrm AH states, sorted.
xfrm_ah_spis() {
	ip -n "$1" xfrm state | grep -oE 'proto ah spi 0x[0-9a-f]{8}' | awk '{ print $4 }' |
		sort | tr '\n' ' '
}

# same_ah_spis: L's kipsec AH SAs and R's xfrm AH states are the same two SPIs
# (no ESP SA on either side).
same_ah_spis() {
	local k x
	k=$(sas "$L" ah)
	x=$(xfrm_ah_spis "$R")
	echo "kipsec (L) AH: $k; xfrm (R) AH: $x; kipsec ESP: $(sas "$L" esp)"
	[[ $k =~ ^0x[0-9a-f]{8}\ 0x[0-9a-f]{8}\ $ ]] && [ "$k" = "$x" ] &&
		[ -z "$(sas "$L" esp)" ] && ! ip -n "$R" xfrm state | grep -q 'proto esp'
}

# counted NS N: exactly N kipsec SAs in NS, each with packets > 0.
counted() {
	local pk
	pk=$(ip netns exec "$1" "$KIPSEC" -j sa show | grep -o '"stats":{"packets":[0-9]*' |
		grep -o '[0-9]*$' | tr '\n' ' ')
	echo "kipsec SA packets ($1): $pk"
	[ "$(wc -w <<<"$pk")" = "$2" ] && ! [[ " $pk " =~ \ 0\  ]]
}

ctl() { local side=$1; shift; "$IKED" --ctl "$W/$side.ctl" ctl "$@"; }

# ctl_spis SIDE: every SPI (ESP and AH) "ctl list" shows, sorted.
ctl_spis() {
	ctl "$1" list | grep "^child t installed" | grep -oE '(in|out) 0x[0-9a-f]{8}' |
		awk '{ print $2 }' | sort | tr '\n' ' '
}

# bundle_sas SIDE NS: two AH and two ESP SAs in NS, exactly those "ctl list" names.
bundle_sas() {
	local ah esp c k
	ah=$(sas "$2" ah)
	esp=$(sas "$2" esp)
	c=$(ctl_spis "$1")
	k=$(echo $ah $esp | tr ' ' '\n' | sort | tr '\n' ' ')
	echo "$1: kipsec AH: $ah ESP: $esp; ctl list: $c"
	[ "$(wc -w <<<"$ah")" = 2 ] && [ "$(wc -w <<<"$esp")" = 2 ] && [ "$c" = "$k" ]
}

# ids NS: NS's kipsec SAs as "dst ADDR proto P spi SPI", sorted.
ids() {
	ip netns exec "$1" "$KIPSEC" sa show | grep -oE 'dst [0-9.]+ proto [a-z]+ spi 0x[0-9a-f]{8}' |
		sort
}

# crossed: L and R hold the same four SAs (destination, protocol, SPI):
# each side's inbound AH and ESP SAs are the other's outbound ones.
crossed() {
	local l r
	l=$(ids "$L")
	r=$(ids "$R")
	echo "L: $l"
	echo "R: $r"
	[ "$(wc -l <<<"$l")" = 4 ] && [ "$l" = "$r" ] &&
		[ "$(grep -c 'dst 192.168.50.1 ' <<<"$l")" = 2 ]
}

no_sas() { [ -z "$(ip netns exec "$1" "$KIPSEC" sa show 2>&1)" ]; }

# two_tmpls NS: NS's protect policies (out and in) list ESP, then AH in transport mode.
two_tmpls() {
	local j n
	j=$(ip netns exec "$1" "$KIPSEC" -j policy show)
	n=$(grep -oE '"tmpls":\[\{"proto":"esp"[^]]*\},\{"proto":"ah","mode":"transport"' <<<"$j" |
		wc -l)
	echo "policies with ESP inside AH: $n"
	[ "$n" = 2 ]
}

ah_charon() {
	local name=ah_charon d=$OUT/ah_charon c=$W/ah_charon
	want "$name" || return 0
	mkdir -p "$d/L" "$d/R" "$c"
	ah_conf "$d/L/iked.conf" 192.168.50.1 192.168.50.2 10.0.1.0/24 10.0.2.0/24 tunnel start \
		ah sha256 pfs modp2048
	swan_ah_conf "$c/swanctl.conf" 192.168.50.2 192.168.50.1 10.0.2.0/24 10.0.1.0/24 \
		"ah_proposals = sha256-modp2048"
	charon_start "$R" "$c" kernel-netlink
	check "$name: charon runs in R" grep -q "successfully loaded" "$c/load.log"
	wire "$R" vr "$d/wire.pcap"
	iked_start "$L" "$d/L" L
	check "$name: CHILD SA up in kipsec-iked: AH SPIs, hmac(sha256)" \
		up_or_dead 60 eval "child_up $d/L/iked.log $PID_L &&
		grep -q 'CHILD SA established, AH SPIs in .*(hmac(sha256))' $d/L/iked.log"
	check "$name: CHILD SA installed in charon" \
		within 30 eval "swan $c --list-sas 2>/dev/null | grep -q INSTALLED"
	check "$name: kipsec (L) and xfrm (R) hold the same AH SPI pair, no ESP" same_ah_spis
	check "$name: ping 10.0.2.1 through the AH tunnel" ping_through "$L" 10.0.2.1
	wire_stop 1.5
	check "$name: the wire: AH (carrying IPIP) both ways, no ESP" wire_ah "$d/wire.pcap"
	check "$name: kipsec's AH SAs (L) counted packets" counted "$L" 2
	check "$name: charon's xfrm AH SAs (R) counted packets" xfrm_sas_counted "$R" "$d/sa-R.txt"
	check "$name: kipsec-iked in L stops and removes its SAs and policies" \
		iked_stop "$PID_L" "$L" "$d"
	check "$name: charon deleted its AH SAs on L's Delete (protocol AH)" \
		within 15 eval "! ip -n $R xfrm state | grep -q 'proto ah'"
	charon_done "$R" "$c" "$d/R"
}

charon_ah() {
	local name=charon_ah d=$OUT/charon_ah c=$W/charon_ah
	want "$name" || return 0
	mkdir -p "$d/L" "$d/R" "$c"
	ah_conf "$d/L/iked.conf" 192.168.50.1 192.168.50.2 10.0.1.0/24 10.0.2.0/24 tunnel add \
		ah sha256,sha1
	swan_ah_conf "$c/swanctl.conf" 192.168.50.2 192.168.50.1 10.0.2.0/24 10.0.1.0/24 \
		"ah_proposals = sha1"
	charon_start "$R" "$c" kernel-netlink
	iked_start "$L" "$d/L" L
	within 20 grep -q "listening on" "$d/L/iked.log"
	wire "$R" vr "$d/wire.pcap"
	check "$name: charon (R) initiates AH sha1" swan "$c" --initiate --child t --timeout 60
	check "$name: CHILD SA up in kipsec-iked (responder): AH, hmac(sha1)" \
		up_or_dead 30 eval "child_up $d/L/iked.log $PID_L &&
		grep -q 'CHILD SA established, AH SPIs in .*(hmac(sha1))' $d/L/iked.log"
	check "$name: kipsec (L) and xfrm (R) hold the same AH SPI pair, no ESP" same_ah_spis
	check "$name: ping 10.0.2.1 through the AH tunnel" ping_through "$L" 10.0.2.1
	wire_stop 1.5
	check "$name: the wire: AH (carrying IPIP) both ways, no ESP" wire_ah "$d/wire.pcap"
	check "$name: kipsec's AH SAs (L) counted packets" counted "$L" 2
	check "$name: charon's xfrm AH SAs (R) counted packets" xfrm_sas_counted "$R" "$d/sa-R.txt"
	check "$name: kipsec-iked in L stops and removes its SAs and policies" \
		iked_stop "$PID_L" "$L" "$d"
	charon_done "$R" "$c" "$d/R"
}

# charon has no AH+ESP bundles in IKEv1: offered one (it has both proposal
# lists), it must not come up on either side, and the refusal is logged.
bundle_charon() {
	local name=bundle_charon d=$OUT/bundle_charon c=$W/bundle_charon
	want "$name" || return 0
	mkdir -p "$d/L" "$d/R" "$c"
	ah_conf "$d/L/iked.conf" 192.168.50.1 192.168.50.2 10.0.1.0/24 10.0.2.0/24 tunnel start \
		ah sha256 esp aes128-sha256
	swan_ah_conf "$c/swanctl.conf" 192.168.50.2 192.168.50.1 10.0.2.0/24 10.0.1.0/24 \
		"esp_proposals = aes128-sha256
				ah_proposals = sha256"
	charon_start "$R" "$c" kernel-netlink
	iked_start "$L" "$d/L" L
	check "$name: Quick Mode offered as AH+ESP, refused (logged by kipsec-iked)" \
		within 40 grep -qE "peer refused our Quick Mode|Quick Mode reply's SA is not one we offered" \
		"$d/L/iked.log"
	check "$name: charon's log says why (no acceptable proposal)" \
		grep -qiE "no acceptable proposal|NO_PROPOSAL_CHOSEN" "$c/charon.log"
	check "$name: no CHILD SA in kipsec-iked, no SA in kipsec (L)" \
		eval "! grep -q 'CHILD SA established' $d/L/iked.log && no_sas $L"
	check "$name: no SA in charon's xfrm (R)" eval "[ -z \"\$(ip -n $R xfrm state)\" ]"
	check "$name: kipsec-iked in L stops cleanly" iked_stop "$PID_L" "$L" "$d"
	charon_done "$R" "$c" "$d/R"
}

# bundle_iked NAME MODE LTS RTS DST
bundle_iked() {
	local name=$1 mode=$2 lts=$3 rts=$4 dst=$5 d=$OUT/$1
	want "$name" || return 0
	mkdir -p "$d/L" "$d/R"
	ah_conf "$d/L/iked.conf" 192.168.50.1 192.168.50.2 "$lts" "$rts" "$mode" add \
		esp aes128-sha256 ah sha512,sha256 pfs modp2048
	ah_conf "$d/R/iked.conf" 192.168.50.2 192.168.50.1 "$rts" "$lts" "$mode" add \
		esp aes256-sha1,aes128-sha256 ah sha256 pfs modp2048
	IKED_EXTRA="--ctl $W/R.ctl" iked_start "$R" "$d/R" R
	IKED_EXTRA="--ctl $W/L.ctl" iked_start "$L" "$d/L" L
	within 20 eval "grep -q 'listening on' $d/L/iked.log && grep -q 'listening on' $d/R/iked.log"
	wire "$R" vr "$d/wire.pcap"
	check "$name: ctl up t (L)" ctl L up t
	check "$name: CHILD SA up on both sides" up_or_dead 60 both_up "$d"
	check "$name: both logs: an AH+ESP bundle, AH hmac(sha256)" eval \
		"grep -q 'is an AH+ESP bundle: AH SPIs in 0x[0-9a-f]* out 0x[0-9a-f]* (hmac(sha256)' $d/L/iked.log &&
		grep -q 'is an AH+ESP bundle: AH SPIs' $d/R/iked.log &&
		grep -q 'Quick Mode from the peer: AH+ESP bundle' $d/R/iked.log"
	check "$name: L holds an AH and an ESP SA per direction, the SPIs ctl list shows" \
		bundle_sas L "$L"
	check "$name: R too" bundle_sas R "$R"
	check "$name: L's inbound SPIs are R's outbound ones and back" crossed
	check "$name: kipsec policies (L) have two templates, ESP inside, AH outside" two_tmpls "$L"
	check "$name: ping $dst through the bundle" ping_through "$L" "$dst"
	wire_stop 1.5
	check "$name: the wire: IP -> AH -> ESP both ways, nothing bare" wire_bundle "$d/wire.pcap"
	check "$name: all four SAs (L) counted packets" counted "$L" 4
	check "$name: all four SAs (R) counted packets" counted "$R" 4
	check "$name: ctl down t (L)" ctl L down t
	check "$name: L removed its four SAs" within 10 no_sas "$L"
	check "$name: R removed its four SAs on L's Deletes (ESP and AH)" within 15 no_sas "$R"
	check "$name: R's log: the peer deleted the CHILD SA" \
		grep -q "peer deleted CHILD SA" "$d/R/iked.log"
	check "$name: both daemons stop and remove their SAs and policies" \
		eval "iked_stop $PID_L $L $d && iked_stop $PID_R $R $d"
}

ah_charon
charon_ah
bundle_charon
bundle_iked bundle_iked tunnel 10.0.1.0/24 10.0.2.0/24 10.0.2.1
bundle_iked bundle_iked_transport transport 192.168.50.1/32 192.168.50.2/32 192.168.50.2
done_testing
