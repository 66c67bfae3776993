#!/bin/bash
# kipsec-iked against real peers on the host: userspace only, no VM, no
# kipsec.ko. kipsec-iked runs with --no-kernel (negotiates, installs
# nothing) in namespace L, the peer in namespace R, joined by a veth:
#
#   [L] kipsec-iked  vl 192.168.61.1 ==== veth ==== vr 192.168.61.2  peer [R]
#
# IKEv1 PSK, tunnel 10.0.1.0/24 <-> 10.0.2.0/24, against:
# - strongSwan's charon with kernel-libipsec (userspace ESP): iked>charon
#   and charon>iked, Main and Aggressive Mode, with and without PFS;
# - Libreswan's pluto (the copy scripts/install-deps.sh unpacked; the
#   host's /usr/libexec/ipsec and /etc are never touched): iked>pluto and
#   pluto>iked, Main and Aggressive Mode, PFS.
# Phase 1 completes on both sides. charon's Quick Mode completes too
# (ESP in UDP: libipsec takes nothing else, so charon fakes a NAT and
# kipsec-iked follows with NAT-T); pluto's stops at its kernel, which on
# the host has no ESP. The comments above charon_case and pluto_case say
# exactly what each case proves. Traffic is the VM's tests.
# Logs: build/ike-host/CASE/. KIPSEC_IKE_CASES (an extended regex on case
# names) runs a subset.
set -u
cd "$(dirname "$0")/../.."
REPO=$PWD
. tests/tap.sh
. tests/ike/charon.sh
. tests/ike/pluto.sh
. tests/ike/poll.sh

IKED=$REPO/ikehelper/kipsec-iked
OUT=$REPO/build/ike-host
# charon's and pluto's sockets: a short path on tmpfs
W=$(mktemp -d /tmp/ike-host.XXXXXX)
L=ikeh-L-$$ R=ikeh-R-$$
LA=192.168.61.1 RA=192.168.61.2
PSK='kipsec test psk 0123456789'
DAEMONS=

cleanup() {
	[ -n "$DAEMONS" ] && kill $DAEMONS 2>/dev/null
	[ -n "${CHARON_PIDS:-}" ] && kill $CHARON_PIDS 2>/dev/null
	[ -n "${PLUTO_PIDS:-}" ] && kill $PLUTO_PIDS 2>/dev/null
	wait ${DAEMONS:-} ${CHARON_PIDS:-} ${PLUTO_PIDS:-} 2>/dev/null
	ip netns del "$L" 2>/dev/null
	ip netns del "$R" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
rm -rf "$OUT" && mkdir -p "$OUT"

setup() {
	ip netns add "$L" && ip netns add "$R" &&
	ip link add vl netns "$L" type veth peer name vr netns "$R" &&
	ip -n "$L" addr add $LA/24 dev vl && ip -n "$L" link set vl up &&
	ip -n "$L" link set lo up &&
	ip -n "$R" addr add $RA/24 dev vr && ip -n "$R" link set vr up &&
	ip -n "$R" link set lo up &&
	ip -n "$L" addr add 10.0.1.1/32 dev lo && ip -n "$R" addr add 10.0.2.1/32 dev lo
}

# iked_conf FILE LOCAL REMOTE LTS RTS IKE ESP PFS START AGGRESSIVE (and FILE.secrets)
iked_conf() {
	printf '# written by host_interop.sh\nconn t\n' >"$1"
	printf '\t%s = %s\n' local "$2" remote "$3" local_ts "$4" remote_ts "$5" mode tunnel \
		ike "$6" esp "$7" pfs "$8" start_action "$9" lifetime 600 aggressive "${10}" >>"$1"
	printf '%s : PSK "%s"\n' "$3" "$PSK" >"$1.secrets"
	chmod 600 "$1.secrets"
}

# iked_start DIR: kipsec-iked --no-kernel in L with DIR/iked.conf, log
# DIR/iked.log, its control socket in W (not the host's /run); PID_L its pid.
iked_start() {
	ip netns exec "$L" "$IKED" --no-kernel -c "$1/iked.conf" -s "$1/iked.conf.secrets" -v \
		--ctl "$W/$(basename "$1").ctl" --retransmit 1000 --tries 6 2>"$1/iked.log" &
	PID_L=$!
	DAEMONS="$DAEMONS $PID_L"
}

iked_stop() {
	kill "$PID_L" 2>/dev/null && wait "$PID_L" 2>/dev/null
	DAEMONS=${DAEMONS/ $PID_L/}
}

# child_up LOG: the CHILD SA is in LOG; status 2 when kipsec-iked died.
child_up() {
	kill -0 "$PID_L" 2>/dev/null || { echo "kipsec-iked exited"; return 2; }
	grep -qs "CHILD SA established" "$1" || return 1
}

# iked_phase1 LOG STARTER MODE ROLE: kipsec-iked's log shows phase 1 in
# MODE (as initiator, or as responder to STARTER) and the IKE SA as ROLE.
iked_phase1() {
	local pat="initiating $3 Mode"
	if [ "$2" != iked ]; then
		pat="$3 Mode from $RA"
		[ "$3" = Aggressive ] && pat="$3 Mode (allowed by aggressive = yes)"
	fi
	grep -qs "$pat" "$1" && grep -q "IKE SA established ($4)" "$1"
}

# iked_spis LOG: "IN OUT" (8 hex digits each) of the CHILD SA in LOG.
iked_spis() {
	grep -m1 "CHILD SA established" "$1" |
		sed -nE 's/.*SPIs in 0x([0-9a-f]{8}) out 0x([0-9a-f]{8}).*/\1 \2/p'
}

# iked_qm_spis LOG: "THEIRS OURS" from kipsec-iked's debug line of the
# Quick Mode it answered, or " OURS" of the one it started.
iked_qm_spis() {
	local l
	l=$(grep -m1 "conn t: Quick Mode from the peer: its SPI" "$1")
	if [ -n "$l" ]; then
		sed -nE 's/.*its SPI 0x([0-9a-f]{8}), ours 0x([0-9a-f]{8}).*/\1 \2/p' <<<"$l"
	else
		grep -m1 "conn t: Quick Mode: our SPI" "$1" | sed -nE 's/.*our SPI 0x([0-9a-f]{8}).*/ \1/p'
	fi
}

# --- kipsec-iked <-> charon (kernel-libipsec) ---------------------------------------
# libipsec, charon's userspace ESP, takes only ESP in UDP: charon fakes a
# NAT (its NAT-D hash), both sides float to port 4500 and Quick Mode
# negotiates UDP-encapsulated tunnel mode, which charon installs in
# libipsec (its policies need a local address inside local_ts: the inner
# hosts on lo). Proved here, per case: phase 1 in the mode asked for on
# both sides, NAT-T (kipsec-iked sees the peer "behind a NAT", IKE on port
# 4500), the CHILD SA established in kipsec-iked (--no-kernel: negotiated,
# not installed) and INSTALLED in charon as TUNNEL-in-UDP with the PFS
# group iff PFS, and the same SPI pair on both sides. Traffic through the
# SAs is the VM's test (ike_interop.sh, ike_natt.sh).

# charon_sas_ok DIR LOG: charon lists the IKE SA ESTABLISHED and the CHILD
# SA INSTALLED, ESP in UDP, and its SPIs are kipsec-iked's, crossed.
charon_sas_ok() {
	local sas in out ci co
	sas=$(swan "$1" --list-sas 2>&1)
	echo "$sas"
	grep -q "ESTABLISHED" <<<"$sas" && grep -q "INSTALLED, TUNNEL-in-UDP" <<<"$sas" || return 1
	read -r in out <<<"$(iked_spis "$2")"
	ci=$(sed -nE 's/^ +in +([0-9a-f]{8}),.*/\1/p' <<<"$sas" | head -1)
	co=$(sed -nE 's/^ +out +([0-9a-f]{8}),.*/\1/p' <<<"$sas" | head -1)
	echo "kipsec-iked in ${in:-?} out ${out:-?}; charon in ${ci:-?} out ${co:-?}"
	[ -n "$in" ] && [ "$in" = "$co" ] && [ "$out" = "$ci" ]
}

# charon_pfs LOG PFS: charon's selected ESP proposal has the group, and its
# Quick Mode messages a KE payload, iff PFS.
charon_pfs() {
	local sel grp
	sel=$(grep -m1 "selected proposal: ESP:" "$1")
	echo "$sel"
	[ -n "$sel" ] || return 1
	if [ "$2" = no ]; then
		! grep -qE "/(MODP|ECP)_" <<<"$sel" && ! grep -q "QUICK_MODE.* KE " "$1"
	else
		# modp2048 -> MODP_2048, ecp256 -> ECP_256
		grp=$(sed -E 's/^([a-z]+)([0-9]+)$/\U\1_\2/' <<<"$2")
		grep -q "/$grp/" <<<"$sel" && grep -q "QUICK_MODE.* KE ID ID" "$1"
	fi
}

# charon_case NAME STARTER MODE PFS: one negotiation; STARTER iked or charon,
# MODE Main or Aggressive, PFS no or a group.
charon_case() {
	want "$1" || return 0
	local name=$1 starter=$2 mode=$3 pfs=$4 d=$OUT/$1 c=$W/$1 aggr=no
	local ike=aes128-sha256-modp2048 esp=aes128-sha256 cesp what role=initiator
	[ "$mode" = Aggressive ] && aggr=yes
	[ "$starter" = charon ] && role=responder
	cesp=$esp
	[ "$pfs" = no ] || cesp=$esp-$pfs
	what="$mode Mode, ${pfs/no/no PFS}, $starter initiates"
	mkdir -p "$d" "$c"
	iked_conf "$d/iked.conf" $LA $RA 10.0.1.0/24 10.0.2.0/24 "$ike" "$esp" "$pfs" \
		"$([ "$starter" = iked ] && echo start || echo add)" "$aggr"
	CHARON_AGGRESSIVE=$aggr charon_conf "$c/swanctl.conf" t $RA $LA 10.0.2.0/24 10.0.1.0/24 \
		tunnel "$ike" "$cesp"
	# level 2: the Quick Mode payloads and the selected proposal
	CHARON_IKE_LEVEL=2 CHARON_AGGRESSIVE=$aggr charon_start "$R" "$c" \
		'kernel-libipsec kernel-netlink'
	check "$name: charon runs in R (kernel-libipsec) with the connection loaded" \
		grep -q "successfully loaded" "$c/load.log"
	iked_start "$d"
	within 10 grep -qs "listening on" "$d/iked.log"
	[ "$starter" = charon ] &&
		check "$name: charon initiates: swanctl --initiate succeeds ($what)" \
			swan "$c" --initiate --child t --timeout 20
	check "$name: CHILD SA established in kipsec-iked ($what)" \
		up_or_dead 20 child_up "$d/iked.log"
	check "$name: kipsec-iked's phase 1 was $mode Mode, as $role" \
		within 10 iked_phase1 "$d/iked.log" "$starter" "$mode" $role
	check "$name: charon's phase 1 was $mode Mode" grep -qE \
		"(initiating a|initiating) $mode Mode IKE_SA" "$c/charon.log"
	check "$name: NAT-T: charon faked a NAT, kipsec-iked saw it and IKE moved to port 4500" \
		eval "grep -q 'faking NAT situation to enforce UDP encapsulation' $c/charon.log &&
		grep -q 'NAT-D: the peer is behind a NAT' $d/iked.log &&
		grep -q 'sending packet: from $RA\[4500\] to $LA\[4500\]' $c/charon.log"
	check "$name: charon lists the IKE SA and the CHILD SA INSTALLED (ESP in UDP), SPIs = kipsec-iked's" \
		within 10 charon_sas_ok "$c" "$d/iked.log"
	check "$name: charon's Quick Mode: ${pfs/no/no PFS}" charon_pfs "$c/charon.log" "$pfs"
	iked_stop
	kill ${CHARON_PIDS:-} 2>/dev/null
	wait ${CHARON_PIDS:-} 2>/dev/null
	CHARON_PIDS=
	cp "$c/charon.log" "$c/load.log" "$c/swanctl.conf" "$d/" 2>/dev/null
}

# --- kipsec-iked <-> pluto (Libreswan, kernel xfrm without ESP) ---------------------
# pluto installs its SAs through xfrm, and the host kernel has no ESP: Add
# SA fails with "Protocol not supported", and pluto abandons Quick Mode
# there (before sending its next message). Proved here, per case (PFS
# modp2048 always):
# - phase 1 in the mode asked for, established on both sides;
# - kipsec-iked initiating: pluto verified and accepted Quick Mode message
#   1 (its HASH, the SA with the PFS KE, the proxy IDs) and failed only at
#   the kernel; no message 2 came, so kipsec-iked has no CHILD SA;
# - pluto initiating: pluto's message 1 carried the PFS group, and pluto
#   processed kipsec-iked's message 2 (its transition out of STATE_QUICK_I1
#   runs after the HASH, SA and KE checks) up to the kernel's refusal; no
#   message 3 came, so kipsec-iked has no CHILD SA;
# - both ways: the SA pluto failed to add (towards L) has the SPI
#   kipsec-iked chose for its side (kipsec-iked's debug log).
# The Quick Mode SAs with pluto are proved in the VM (ike_libreswan.sh).

# pluto_wrap FILE: a command that runs its arguments in a private mount
# namespace whose /usr/libexec/ipsec is the unpacked Libreswan (pluto
# refuses to start without /usr/libexec/ipsec/addconn); the host's own
# /usr/libexec is never written to.
pluto_wrap() {
	cat >"$1" <<EOW
#!/bin/sh
exec unshare -m --propagation private sh -c 'mount -t tmpfs kipsec-libexec /usr/libexec &&
	ln -s $PLUTO_ROOT/usr/libexec/ipsec /usr/libexec/ipsec && exec "\$@"' pluto-wrap "\$@"
EOW
	chmod +x "$1"
}

# pluto_kernel_only LOG STATE: pluto's Quick Mode transition out of STATE
# failed in the kernel's Add SA (no ESP on the host) and nowhere else.
pluto_kernel_only() {
	grep -E "ERROR|had internal error|hit fail" "$1"
	grep -qE "ERROR: \"t\" #2: netlink response for Add SA esp\.[0-9a-f]{1,8}@$LA: Protocol not supported" "$1" &&
	grep -q "\"t\" #2: setup_half_ipsec_sa() hit fail" "$1" &&
	grep -q "\"t\" #2: state transition function for $2 had internal error" "$1"
}

# pluto_spi_match ILOG PLOG: the SA pluto tried to add towards L has the
# SPI kipsec-iked chose for its side of the Quick Mode.
pluto_spi_match() {
	local theirs ours p
	read -r theirs ours <<<"$(iked_qm_spis "$1")"
	[ -n "$ours" ] || read -r ours <<<"$theirs"
	# pluto prints the SPI without leading zeros
	p=$(sed -nE "s/.*netlink response for Add SA esp\.([0-9a-f]{1,8})@$LA:.*/\1/p" "$2" | head -1)
	[ -z "$p" ] || p=$(printf "%08x" "$((16#$p))")
	echo "kipsec-iked's SPI ${ours:-?}; pluto's Add SA esp.${p:-?}@$LA"
	[ -n "$ours" ] && [ "$ours" = "$p" ]
}

# pluto_case NAME STARTER MODE
pluto_case() {
	want "$1" || return 0
	local name=$1 starter=$2 mode=$3 d=$OUT/$1 c=$W/$1 aggr=no role what
	[ "$mode" = Aggressive ] && aggr=yes
	role=initiator
	[ "$starter" = pluto ] && role=responder
	what="$mode Mode, PFS modp2048, $starter initiates"
	mkdir -p "$d" "$c"
	iked_conf "$d/iked.conf" $LA $RA 10.0.1.0/24 10.0.2.0/24 aes128-sha256-modp2048 \
		aes128-sha256 modp2048 "$([ "$starter" = iked ] && echo start || echo add)" "$aggr"
	pluto_conf "$c/ipsec.conf" $RA $LA 10.0.2.0/24 10.0.1.0/24 tunnel \
		'aes128-sha2_256;modp2048' 'aes128-sha2_256;modp2048' yes "$aggr"
	pluto_start "$R" "$c"
	check "$name: pluto runs in R with the connection loaded" pluto_started "$c"
	iked_start "$d"
	within 10 grep -qs "listening on" "$d/iked.log"
	[ "$starter" = pluto ] &&
		whack "$R" "$c" --initiate --name t --asynchronous >"$c/initiate.log" 2>&1
	check "$name: kipsec-iked's phase 1 ($what) was $mode Mode, as $role" \
		within 15 iked_phase1 "$d/iked.log" "$starter" "$mode" $role
	if [ "$starter" = iked ]; then
		check "$name: pluto responded in $mode Mode and established the IKE SA" \
			within 10 eval "grep -q '\"t\" #1: responding to $mode Mode' $c/pluto.log &&
			grep -qE '\"t\" #1: IKE SA established \{auth=PRESHARED_KEY .*group=MODP2048\}' $c/pluto.log"
		check "$name: pluto accepted Quick Mode message 1 (HASH, SA with PFS, proxy IDs)" \
			within 10 eval "grep -q '\"t\" #1: the peer proposed: 10.0.2.0/24 -<all>-> 10.0.1.0/24' $c/pluto.log &&
			grep -q '\"t\" #2: responding to Quick Mode proposal' $c/pluto.log"
		check "$name: ... and failed only at the kernel's Add SA (no ESP on the host)" \
			within 10 pluto_kernel_only "$c/pluto.log" STATE_QUICK_R0
	else
		check "$name: pluto initiated $mode Mode and established the IKE SA" \
			within 10 eval "grep -q '\"t\" #1: initiating IKEv1 $mode Mode connection' $c/pluto.log &&
			grep -qE '\"t\" #1: IKE SA established \{auth=PRESHARED_KEY .*group=MODP2048\}' $c/pluto.log"
		check "$name: pluto sent Quick Mode message 1 with PFS modp2048" \
			within 10 eval "grep -q '\"t\" #2: initiating Quick Mode .*pfsgroup=MODP2048' $c/pluto.log &&
			grep -q '\"t\" #2: sent Quick Mode request' $c/pluto.log"
		check "$name: pluto processed kipsec-iked's message 2 up to the kernel's Add SA (no ESP on the host)" \
			within 10 pluto_kernel_only "$c/pluto.log" STATE_QUICK_I1
	fi
	check "$name: pluto's SA towards kipsec-iked has the SPI kipsec-iked chose" \
		pluto_spi_match "$d/iked.log" "$c/pluto.log"
	check "$name: ... so kipsec-iked, its IKE SA up, has no CHILD SA" \
		eval "grep -q 'IKE SA established' $d/iked.log && ! grep -q 'CHILD SA established' $d/iked.log"
	iked_stop
	pluto_stop
	cp "$c/pluto.log" "$c/ipsec.conf" "$c/start.log" "$c/addconn.log" "$c/initiate.log" \
		"$d/" 2>/dev/null
}

check "two namespaces joined by a veth" setup

charon_case iked_charon_main iked Main no
charon_case iked_charon_main_pfs iked Main modp2048
charon_case charon_iked_main charon Main no
charon_case charon_iked_main_pfs charon Main ecp256
charon_case iked_charon_aggressive iked Aggressive no
charon_case iked_charon_aggressive_pfs iked Aggressive ecp256
charon_case charon_iked_aggressive charon Aggressive no
charon_case charon_iked_aggressive_pfs charon Aggressive modp2048

if [ -x "$PLUTO_ROOT/usr/libexec/ipsec/pluto" ]; then
	# addconn and whack run from the unpacked copy, pluto through the wrapper
	PLUTO_BIN=$PLUTO_ROOT/usr/libexec/ipsec
	PLUTO_WRAP=$W/pluto-wrap
	pluto_wrap "$PLUTO_WRAP"
	pluto_case iked_pluto_main iked Main
	pluto_case pluto_iked_main pluto Main
	pluto_case iked_pluto_aggressive iked Aggressive
	pluto_case pluto_iked_aggressive pluto Aggressive
else
	not_ok "Libreswan's pluto is not unpacked in $PLUTO_ROOT (scripts/install-deps.sh)"
fi

done_testing
