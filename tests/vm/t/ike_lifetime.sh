#!/bin/bash
# kipsec-iked's CHILD SA lifetimes on the real module: RESPONDER-LIFETIME
# (RFC 2407 4.6.3.1) and lifetimes in kilobytes (lifebytes), against itself
# and against strongSwan's charon (native xfrm).
#
#   [L] lo 10.0.1.1                              [R] lo 10.0.2.1
#       vl 192.168.50.1 ======== veth ======== vr 192.168.50.2
#
# Cases (tunnel 10.0.1.0/24 <-> 10.0.2.0/24, PFS modp2048; L initiates
# unless said otherwise):
#   resp_life_iked   L lifetime 900 s, no lifebytes; R lifetime 300 s,
#                    lifebytes 300000: R applies its own (300 s, 293 KB) and
#                    sends RESPONDER-LIFETIME, L applies it; all four kernel
#                    SAs carry 300 s and 300032 bytes
#   bytes_iked       L lifebytes 200000 (196 KB), R none: both install the
#                    byte limit; a ~3.7 KB/s ICMP stream (10/s) for 75 s: the
#                    byte soft expire (the time one is 8 minutes away) rekeys
#                    make-before-break, no request lost, no hard expire, only
#                    the newest pair left on both sides
#   bytes_charon     L lifebytes 200000 -> charon (life_bytes 200000): charon
#                    reads our 196 KB (its log: "received 196000 lifebytes";
#                    it counts 1000 bytes a KB), its xfrm SAs carry a byte
#                    limit, L's kipsec SAs the negotiated one. charon 5.9.8
#                    installs its own configured limits whatever was
#                    negotiated: hence the same life_bytes on its side.
#   resp_life_charon charon initiates with life_time 1200 s and no byte
#                    limit; L (lifetime 300, lifebytes 200000) answers with
#                    RESPONDER-LIFETIME, which charon receives (N((24576)) in
#                    its log; 5.9.8 has no name for it and keeps its 1200 s:
#                    L's 300 s SAs rekey first, from L)
# Logs: build/vm/ike_lifetime/KERNEL/CASE/. KIPSEC_IKE_CASES (an extended
# regex on case names) runs a subset.
. "$(dirname "$0")/lib.sh"
. "$REPO/tests/ike/charon.sh"
. "$(dirname "$0")/ike_lib.sh"

STREAM=$REPO/tests/vm/t/icmp_stream.py
peer_stop() { [ -z "${CHARON_PIDS:-}" ] || kill $CHARON_PIDS 2>/dev/null; }

check "kipsec.ko loads" kipsec_load
check "xfrm and ESP for charon (modules, or built in)" modprobe -a xfrm_user esp4
check "two namespaces joined by a veth, inner hosts routed via the peer" setup

# life_conf FILE LOCAL REMOTE LTS RTS START LIFETIME LIFEBYTES (and FILE.secrets)
life_conf() {
	printf '# written by ike_lifetime.sh\nconn t\n' >"$1"
	printf '\t%s = %s\n' local "$2" remote "$3" local_ts "$4" remote_ts "$5" mode tunnel \
		ike aes128-sha256-modp2048 esp aes128-sha256 pfs modp2048 start_action "$6" \
		lifetime "$7" lifebytes "$8" >>"$1"
	printf '%s : PSK "%s"\n' "$3" "$PSK" >"$1.secrets"
	chmod 600 "$1.secrets"
}

# sa_life NS: "0xSPI hard_secs H soft_secs S hard_bytes B soft_bytes T" per kipsec SA.
sa_life() {
	ip netns exec "$1" "$KIPSEC" -j sa show | /usr/bin/python3 -c '
import json, sys
for sa in json.load(sys.stdin):
    l = sa.get("lifetime", {})
    print("0x%08x hard_secs %d soft_secs %d hard_bytes %d soft_bytes %d" % (sa["spi"],
          l.get("hard_add_secs", 0), l.get("soft_add_secs", 0), l.get("hard_bytes", 0),
          l.get("soft_bytes", 0)))'
}

# lifes NS N SECS BYTES SOFT_MIN SOFT_MAX: N kipsec SAs in NS, each with hard
# add-time SECS and hard bytes BYTES (0: none, and then no soft bytes), its
# soft bytes between SOFT_MIN and SOFT_MAX (and soft seconds below SECS).
lifes() {
	local out
	out=$(sa_life "$1")
	echo "$out"
	[ "$(grep -c . <<<"$out")" = "$2" ] &&
	awk -v s="$3" -v b="$4" -v lo="$5" -v hi="$6" '
		$3 != s || $5 <= 0 || $5 >= s || $7 != b { bad = 1 }
		b && ($9 < lo || $9 > hi) { bad = 1 }
		!b && $9 != 0 { bad = 1 }
		END { exit bad }' <<<"$out"
}

# soft_secs_in NS LO HI: every kipsec SA's soft add-time within LO..HI.
soft_secs_in() {
	local out
	out=$(sa_life "$1")
	echo "$out"
	awk -v lo="$2" -v hi="$3" '$5 < lo || $5 > hi { bad = 1 } END { exit bad }' <<<"$out"
}

# sa_spis NS: the SPIs of NS's kipsec SAs, sorted.
sa_spis() {
	ip netns exec "$1" "$KIPSEC" sa show | grep -oE 'spi 0x[0-9a-f]{8}' | awk '{ print $2 }' |
		sort | tr '\n' ' '
}

# spis_of LINE: the "in 0x.. out 0x.." SPIs of a "CHILD SA established" line, sorted.
spis_of() {
	grep -oE '(in|out) 0x[0-9a-f]{8}' <<<"$1" | awk '{ print $2 }' | sort | tr '\n' ' '
}

# same_spis NS WANT: NS holds exactly the kipsec SAs WANT names.
same_spis() {
	local got
	got=$(sa_spis "$1")
	echo "SAs: $got (want $2)"
	[ "$got" = "$2" ]
}

# only_newest NS LOG: NS holds exactly the pair of LOG's last "CHILD SA established".
only_newest() {
	same_spis "$1" "$(spis_of "$(grep "CHILD SA established" "$2" | tail -1)")"
}

# xfrm_bytes NS LO HI: every xfrm SA in NS has a hard byte limit within LO..HI
# and a soft one below it ("limit: soft S(bytes), hard H(bytes)").
xfrm_bytes() {
	local out
	out=$(ip -s -n "$1" xfrm state | grep -E 'limit: soft [0-9]+\(bytes\)')
	echo "$out"
	[ "$(grep -c . <<<"$out")" = 2 ] &&
	sed -E 's/.*soft ([0-9]+)\(bytes\), hard ([0-9]+)\(bytes\).*/\1 \2/' <<<"$out" |
		awk -v lo="$2" -v hi="$3" '$2 < lo || $2 > hi || $1 >= $2 || $1 <= 0 { bad = 1 }
			END { exit bad }'
}

resp_life_iked() {
	local name=resp_life_iked d=$OUT/resp_life_iked
	want "$name" || return 0
	mkdir -p "$d/L" "$d/R"
	life_conf "$d/L/iked.conf" 192.168.50.1 192.168.50.2 10.0.1.0/24 10.0.2.0/24 start 900 0
	life_conf "$d/R/iked.conf" 192.168.50.2 192.168.50.1 10.0.2.0/24 10.0.1.0/24 add 300 300000
	check "$name: both configurations (lifebytes 0 and 300000) pass --check-config" eval \
		"$IKED -t -c $d/L/iked.conf -s $d/L/iked.conf.secrets && $IKED -t -c $d/R/iked.conf -s $d/R/iked.conf.secrets"
	iked_start "$R" "$d/R" R
	iked_start "$L" "$d/L" L
	check "$name: CHILD SA up on both sides" up_or_dead 60 both_up "$d"
	check "$name: R (responder) applies its shorter lifetimes and sends RESPONDER-LIFETIME" grep -q \
		"initiator proposed lifetime 900 s, no byte limit; ours is shorter: applying 300 s, 293 KB and sending RESPONDER-LIFETIME" \
		"$d/R/iked.log"
	check "$name: L (initiator) logs the RESPONDER-LIFETIME and applies it" grep -q \
		"peer sent RESPONDER-LIFETIME 300 s, 293 KB: applying lifetime 300 s, 293 KB (we offered 900 s, no byte limit)" \
		"$d/L/iked.log"
	check "$name: L's kipsec SAs: hard 300 s and 300032 bytes, soft bytes at 80..90 %" \
		lifes "$L" 2 300 300032 240025 270029
	check "$name: R's kipsec SAs: hard 300 s and 300032 bytes, soft bytes at 92.5..95 %" \
		lifes "$R" 2 300 300032 277529 285031
	check "$name: soft seconds: L (initiator) at 240..270 s, R at 277..285 s" eval \
		"soft_secs_in $L 240 270 && soft_secs_in $R 277 285"
	check "$name: ping 10.0.2.1 through the SAs" ping_through "$L" 10.0.2.1
	check "$name: L's daemon stops and removes its SAs and policies" iked_stop "$PID_L" "$L" "$d"
	check "$name: R's daemon stops and removes its SAs and policies" iked_stop "$PID_R" "$R" "$d"
}

bytes_iked() {
	local name=bytes_iked d=$OUT/bytes_iked first new n
	want "$name" || return 0
	mkdir -p "$d/L" "$d/R"
	life_conf "$d/L/iked.conf" 192.168.50.1 192.168.50.2 10.0.1.0/24 10.0.2.0/24 start 600 200000
	life_conf "$d/R/iked.conf" 192.168.50.2 192.168.50.1 10.0.2.0/24 10.0.1.0/24 add 600 0
	iked_start "$R" "$d/R" R
	iked_start "$L" "$d/L" L
	check "$name: CHILD SA up on both sides" up_or_dead 60 both_up "$d"
	check "$name: the initiator's 196 KB is accepted as it is (no RESPONDER-LIFETIME)" eval \
		"! grep -q RESPONDER-LIFETIME $d/L/iked.log $d/R/iked.log"
	check "$name: L's kipsec SAs: hard 200704 bytes, soft at 80..90 %" \
		lifes "$L" 2 600 200704 160563 180634
	check "$name: R's kipsec SAs: hard 200704 bytes, soft at 92.5..95 %" \
		lifes "$R" 2 600 200704 185651 190669
	first=$(spis_of "$(grep "CHILD SA established" "$d/L/iked.log" | head -1)")
	# 10 requests/s of 375 bytes each way: ~3.7 KB/s on each SA, the soft
	# limit after 43..48 s; the time-based soft expire is 8 minutes away
	check "$name: 10 pings/s of 347 bytes for 75 s across the byte rekey: every one answered" \
		ip netns exec "$L" /usr/bin/python3 "$STREAM" -c 750 -i 0.1 -p 300 -s 10.0.1.1 10.0.2.1
	check "$name: L rekeyed on the soft expire, made the new pair first, then deleted the old one" \
		eval "grep -q 'soft expire of .* SA 0x[0-9a-f]*: rekeying CHILD SA' $d/L/iked.log &&
		 grep -q 'CHILD SA established.*, 200704 bytes, soft [0-9]* bytes (rekey)' $d/L/iked.log &&
		 grep -q 'rekey done: deleting the old CHILD SA' $d/L/iked.log"
	check "$name: no SA reached its hard limit" eval \
		"! grep -q 'reached its hard lifetime' $d/L/iked.log $d/R/iked.log"
	n=$(grep -c "CHILD SA established" "$d/L/iked.log")
	new=$(spis_of "$(grep "CHILD SA established" "$d/L/iked.log" | tail -1)")
	echo "# $name: $n CHILD SAs in L's log; SPIs first $first, last $new"
	check "$name: new SPIs" eval "[ -n '$new' ] && [ '$new' != '$first' ]"
	check "$name: L holds only the newest pair" within 10 only_newest "$L" "$d/L/iked.log"
	check "$name: R holds only the newest pair" within 10 only_newest "$R" "$d/L/iked.log"
	check "$name: R took L's Delete for the old pair" grep -q "peer deleted CHILD SA" \
		"$d/R/iked.log"
	check "$name: the new pair carries the byte limit too" \
		lifes "$L" 2 600 200704 160563 180634
	check "$name: L's daemon stops and removes its SAs and policies" iked_stop "$PID_L" "$L" "$d"
	check "$name: R's daemon stops and removes its SAs and policies" iked_stop "$PID_R" "$R" "$d"
}

bytes_charon() {
	local name=bytes_charon d=$OUT/bytes_charon c=$W/bytes_charon
	want "$name" || return 0
	mkdir -p "$d/L" "$c"
	life_conf "$d/L/iked.conf" 192.168.50.1 192.168.50.2 10.0.1.0/24 10.0.2.0/24 start 600 200000
	CHARON_CHILD_EXTRA="life_bytes = 200000
				rekey_bytes = 170000" charon_conf "$c/swanctl.conf" t 192.168.50.2 \
		192.168.50.1 10.0.2.0/24 10.0.1.0/24 tunnel aes128-sha256-modp2048 \
		aes128-sha256-modp2048
	charon_start "$R" "$c" kernel-netlink
	check "$name: charon runs in R (kernel-netlink: native xfrm)" grep -q "successfully loaded" \
		"$c/load.log"
	iked_start "$L" "$d/L" L
	check "$name: CHILD SA up in kipsec-iked" up_or_dead 60 child_up "$d/L/iked.log" "$PID_L"
	check "$name: CHILD SA installed in charon" \
		within 30 eval "swan $c --list-sas 2>/dev/null | grep -q INSTALLED"
	check "$name: charon took our 196 KB (its log)" grep -qE "received (19[5-9][0-9]{3}|200[0-9]{3}) lifebytes" \
		"$c/charon.log"
	check "$name: charon's xfrm SAs carry the byte limit (hard 196 KB, soft below)" \
		xfrm_bytes "$R" 196000 200704
	check "$name: L's kipsec SAs: hard 200704 bytes, soft at 80..90 %" \
		lifes "$L" 2 600 200704 160563 180634
	check "$name: ping 10.0.2.1 through the SAs" ping_through "$L" 10.0.2.1
	check "$name: xfrm SAs (charon, R) counted packets" xfrm_sas_counted "$R" "$d/sa-R.txt"
	check "$name: kipsec-iked stops and removes its SAs and policies" \
		iked_stop "$PID_L" "$L" "$d"
	charon_done "$R" "$c" "$d"
}

resp_life_charon() {
	local name=resp_life_charon d=$OUT/resp_life_charon c=$W/resp_life_charon
	want "$name" || return 0
	mkdir -p "$d/L" "$c"
	life_conf "$d/L/iked.conf" 192.168.50.1 192.168.50.2 10.0.1.0/24 10.0.2.0/24 add 300 200000
	CHARON_CHILD_EXTRA="rekey_time = 1000s
				life_time = 1200s" charon_conf "$c/swanctl.conf" t \
		192.168.50.2 192.168.50.1 10.0.2.0/24 10.0.1.0/24 tunnel aes128-sha256-modp2048 \
		aes128-sha256-modp2048
	charon_start "$R" "$c" kernel-netlink
	check "$name: charon runs in R (kernel-netlink: native xfrm)" grep -q "successfully loaded" \
		"$c/load.log"
	iked_start "$L" "$d/L" L
	within 20 grep -q "listening on" "$d/L/iked.log"
	check "$name: charon initiates (life_time 1200 s)" swan "$c" --initiate --child t --timeout 60
	check "$name: CHILD SA up in kipsec-iked" up_or_dead 30 child_up "$d/L/iked.log" "$PID_L"
	check "$name: L (responder) applies its shorter lifetimes and sends RESPONDER-LIFETIME" grep -q \
		"initiator proposed lifetime 1200 s, no byte limit; ours is shorter: applying 300 s, 196 KB and sending RESPONDER-LIFETIME" \
		"$d/L/iked.log"
	check "$name: charon received it in Quick Mode message 2 (a notify after HASH(2) verified)" \
		grep -qE "parsed QUICK_MODE response [0-9]+ \[.* N\(" "$c/charon.log"
	check "$name: L's kipsec SAs: hard 300 s and 200704 bytes, soft bytes at 92.5..95 %" \
		lifes "$L" 2 300 200704 185651 190669
	echo "# $name: charon's xfrm SAs (what it made of it):"
	ip -s -n "$R" xfrm state | grep -E 'limit:|expire add:' | sed 's/^/#   /'
	check "$name: ping 10.0.2.1 through the SAs" ping_through "$L" 10.0.2.1
	check "$name: kipsec-iked stops and removes its SAs and policies" \
		iked_stop "$PID_L" "$L" "$d"
	charon_done "$R" "$c" "$d"
}

resp_life_iked
bytes_iked
bytes_charon
resp_life_charon

done_testing
