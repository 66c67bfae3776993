#!/bin/bash
# kipsec-iked against Libreswan's pluto (IKEv1) in the VM: kipsec on L's
# side, native xfrm under pluto on R's (the topology of ike_lib.sh).
#
# Cases (the left name is L's daemon):
#   iked>pluto   tunnel, Main Mode, PFS modp2048, kipsec-iked initiates
#   iked<pluto   tunnel, Main Mode, no PFS, pluto initiates (whack)
#   iked<pluto   Aggressive Mode, transport, AES-GCM: refused (and logged)
#                until the connection allows it, then accepted
# Each case: both sides report the SA, 3 pings pass, the kipsec SAs and
# pluto's xfrm SAs counted packets, and kipsec-iked's SIGTERM removes its
# SAs and policies and sends Deletes that pluto acts on.
# Then ike-scan and psk-crack, the tools an attacker uses: with Aggressive
# Mode enabled, ike-scan gets a handshake whose hash psk-crack turns back
# into the pre-shared key from a dictionary (why it is off by default);
# with it disabled, ike-scan gets nothing.
# Logs: build/vm/ike_libreswan/KERNEL/CASE/.
. "$(dirname "$0")/lib.sh"
. "$REPO/tests/ike/pluto.sh"
. "$(dirname "$0")/ike_lib.sh"

peer_stop() { pluto_stop; }

check "kipsec.ko loads" kipsec_load
check "xfrm and ESP for pluto (modules, or built in)" modprobe -a xfrm_user esp4
check "Libreswan's pluto is unpacked and runs" pluto_available
check "two namespaces joined by a veth, inner hosts routed via the peer" setup

# pluto_sa_up DIR: pluto's log shows the IPsec SA established.
pluto_sa_up() { grep -q "IPsec SA established" "$1/pluto.log"; }

# pair_gone LOG: no xfrm SA in R has an SPI of the pair in kipsec-iked's
# LOG. (Not "no SA at all": pluto, when it initiated, answers the Delete of
# the CHILD SA by starting to replace it, "must remain up per local policy".)
pair_gone() {
	local st spi
	st=$(ip -n "$R" xfrm state)
	for spi in $(grep -m1 "CHILD SA established" "$1" | grep -oE '(in|out) 0x[0-9a-f]{8}' |
		awk '{ print $2 }'); do
		! grep -q "spi $spi" <<<"$st" || { echo "R still has SPI $spi"; return 1; }
	done
	[ -n "${spi:-}" ]
}

# pluto_done NAME DIR: pluto stopped, its files kept, R's xfrm emptied.
pluto_done() {
	pluto_stop
	cp "$2/pluto.log" "$2/ipsec.conf" "$OUT/$1/R/" 2>/dev/null
	ip -n "$R" xfrm state flush
	ip -n "$R" xfrm policy flush
}

# aggressive_refused NAME DIR PLUTO_DIR: with the connection not allowing
# it, kipsec-iked refuses pluto's Aggressive Mode and logs why.
aggressive_refused() {
	local name=$1 d=$2 c=$3
	iked_start "$L" "$d/L" L
	within 20 grep -q "listening on" "$d/L/iked.log"
	whack "$R" "$c" --initiate --name t --asynchronous >/dev/null 2>&1
	check "$name: pluto's Aggressive Mode is refused by default, and the log says why" \
		within 20 grep -q "Aggressive Mode from 192.168.50.2 refused: with a pre-shared key" \
		"$d/L/iked.log"
	check "$name: ... and no SA was installed" eval \
		"[ -z \"\$(ip netns exec $L $KIPSEC sa show)\" ]"
	kill "$PID_L" && wait "$PID_L"
	DAEMONS=${DAEMONS/ $PID_L/}
	mv "$d/L/iked.log" "$d/L/iked-refusing.log"
	# pluto keeps retrying the refused exchange: a fresh one
	whack "$R" "$c" --terminate --name t >/dev/null 2>&1
	pluto_stop
	mv "$c/pluto.log" "$d/R/pluto-refused.log"
	pluto_start "$R" "$c"
	check "$name: pluto again" pluto_started "$c"
}

# pluto_case NAME STARTER MODE IKED_IKE IKED_ESP PFS PLUTO_IKE PLUTO_ESP AGGRESSIVE
pluto_case() {
	want "$1" || return 0
	local name=$1 starter=$2 mode=$3 ike=$4 esp=$5 pfs=$6 pike=$7 pesp=$8 aggr=$9
	local d=$OUT/$1 c=$W/$1 lts=10.0.1.0/24 rts=10.0.2.0/24 dst=10.0.2.1 pls pts
	pls=$rts pts=$lts
	if [ "$mode" = transport ]; then
		lts=192.168.50.1/32 rts=192.168.50.2/32 dst=192.168.50.2 pls=- pts=-
	fi
	mkdir -p "$d/L" "$d/R" "$c"
	iked_conf "$d/L/iked.conf" 192.168.50.1 192.168.50.2 "$lts" "$rts" "$mode" "$ike" \
		"$esp" "$pfs" "$([ "$starter" = iked ] && echo start || echo add)" no
	pluto_conf "$c/ipsec.conf" 192.168.50.2 192.168.50.1 "$pls" "$pts" "$mode" "$pike" \
		"$pesp" "$([ "$pfs" = no ] && echo no || echo yes)" "$aggr"
	pluto_start "$R" "$c"
	check "$name: pluto runs in R with the connection loaded" pluto_started "$c"
	if [ "$aggr" = yes ]; then
		aggressive_refused "$name" "$d" "$c"
		iked_conf "$d/L/iked.conf" 192.168.50.1 192.168.50.2 "$lts" "$rts" "$mode" "$ike" \
			"$esp" "$pfs" add yes
	fi
	iked_start "$L" "$d/L" L
	if [ "$starter" = pluto ]; then
		within 20 grep -q "listening on" "$d/L/iked.log"
		whack "$R" "$c" --initiate --name t >"$c/initiate.log" 2>&1 &
	fi
	check "$name: SA up in kipsec-iked ($mode, ${pfs/no/no PFS}, $([ "$aggr" = yes ] &&
		echo Aggressive || echo Main) Mode, $starter initiates)" \
		up_or_dead 60 child_up "$d/L/iked.log" "$PID_L"
	check "$name: SA established in pluto" within 30 pluto_sa_up "$c"
	check "$name: ping $dst through the SAs" ping_through "$L" "$dst"
	check "$name: kipsec SAs (L) counted packets" kipsec_sas_counted "$L" "$d/sa-L.json"
	check "$name: xfrm SAs (pluto, R) counted packets" xfrm_sas_counted "$R" "$d/sa-R.txt"
	check "$name: kipsec-iked stops and removes its SAs and policies" \
		iked_stop "$PID_L" "$L" "$d"
	check "$name: pluto took kipsec-iked's Delete: the SA pair left R's xfrm" \
		within 10 pair_gone "$d/L/iked.log"
	pluto_done "$name" "$c"
}

pluto_case iked_pluto_pfs iked tunnel aes128-sha256-modp2048 aes128-sha256 modp2048 \
	'aes128-sha2_256;modp2048' 'aes128-sha2_256;modp2048' no
pluto_case pluto_iked pluto tunnel aes256-sha1-modp2048 aes256-sha1 no \
	'aes256-sha1;modp2048' 'aes256-sha1' no
pluto_case pluto_iked_aggressive pluto transport aes256-sha256-modp2048 aes128gcm16 no \
	'aes256-sha2_256;modp2048' 'aes_gcm128-null' yes

# --- ike-scan and psk-crack -------------------------------------------------------
# scan DIR TRIES: ike-scan's Aggressive Mode probe from R (AES-256, SHA-1,
# PSK, group 14, ID_IPV4_ADDR 192.168.50.2) to kipsec-iked in L, its
# handshake's hash data in DIR/psk.txt. ike-scan sends random bytes as its
# DH value, which kipsec-iked rejects unless it happens to lie in the
# group's prime-order subgroup (half of them do): up to TRIES probes, each
# with a fresh value, until one gets a handshake.
scan() {
	local i
	for ((i = 1; i <= $2; i++)); do
		rm -f "$1/psk.txt"
		ip netns exec "$R" ike-scan -A --sport=0 --retry=1 --timeout=1000 \
			--trans=7/256,2,1,14 --dhgroup=14 --idtype=1 --id=0xc0a83202 \
			--pskcrack="$1/psk.txt" 192.168.50.1 >"$1/ike-scan.txt" 2>&1
		grep -q 'Aggressive Mode Handshake returned' "$1/ike-scan.txt" && break
	done
	echo "ike-scan probes: $((i > $2 ? $2 : i))"
}

scan_case() {
	# psk-crack reads one word per dictionary line: a key without spaces
	local name=psk_crack d=$OUT/psk_crack weak=kipsec-weak-psk
	want "$name" || return 0
	mkdir -p "$d/L"
	PSK=$weak iked_conf "$d/L/iked.conf" 192.168.50.1 192.168.50.2 10.0.1.0/24 10.0.2.0/24 tunnel \
		aes256-sha1-modp2048 aes128gcm16 no add no
	iked_start "$L" "$d/L" L
	within 20 grep -q "listening on" "$d/L/iked.log"
	scan "$d" 4
	check "$name: Aggressive Mode off: ike-scan -A gets no handshake, the log says why" eval \
		"! grep -q 'Aggressive Mode Handshake returned' $d/ike-scan.txt && ! [ -s $d/psk.txt ] &&
		grep -q 'Aggressive Mode from 192.168.50.2 refused' $d/L/iked.log"
	kill "$PID_L" && wait "$PID_L"
	DAEMONS=${DAEMONS/ $PID_L/}
	mv "$d/L/iked.log" "$d/L/iked-refusing.log"
	PSK=$weak iked_conf "$d/L/iked.conf" 192.168.50.1 192.168.50.2 10.0.1.0/24 10.0.2.0/24 tunnel \
		aes256-sha1-modp2048 aes128gcm16 no add yes
	iked_start "$L" "$d/L" L
	within 20 grep -q "listening on" "$d/L/iked.log"
	scan "$d" 16
	check "$name: aggressive = yes: ike-scan -A gets kipsec-iked's handshake" \
		grep -q 'Aggressive Mode Handshake returned' "$d/ike-scan.txt"
	printf '%s\n' password kipsec "$weak" secret >"$d/dict.txt"
	psk-crack -d "$d/dict.txt" "$d/psk.txt" >"$d/psk-crack.txt" 2>&1
	check "$name: ... whose hash psk-crack cracks back into the PSK from a dictionary" \
		grep -q "key \"$weak\" matches" "$d/psk-crack.txt"
	kill "$PID_L" && wait "$PID_L"
	DAEMONS=${DAEMONS/ $PID_L/}
}
scan_case

done_testing
