#!/bin/bash
# kipsec-iked's control socket and SIGHUP reload, two kipsec-iked on the
# real module:
#
#   [L] lo 10.0.1.1, fd00:1::1                   [R] lo 10.0.2.1, fd00:2::1
#       vl 192.168.50.1 ======== veth ======== vr 192.168.50.2
#          fd00:50::1                                fd00:50::2
#
# conn t: tunnel 10.0.1.0/24 <-> 10.0.2.0/24, start_action = add on both
# sides: nothing happens until "ctl up t" on L. "ctl list" must show the
# SPIs kipsec holds; "ctl down t" deletes the SAs on both sides. Then
# SIGHUP: unchanged files keep the SAs (same SPIs, pings pass); a broken
# file is refused (logged with file and line) and the old configuration
# stays; a new conn u (IPv6 tunnel fd00:1::/64 <-> fd00:2::/64: the daemon
# opens its IPv6 socket on reload) comes up with "ctl up u"; conn t removed
# from L's file deletes t's SAs on both sides while u's stay; u changed
# (start_action = start) is deleted and negotiated anew. A client that
# is not root is refused: by the socket's mode, and (socket made
# world-writable) by the daemon's SO_PEERCRED check.
# Logs: build/vm/ike_ctl/KERNEL/. One scenario, named ctl_reload for
# KIPSEC_IKE_CASES (the debug layer picks another: nothing runs there).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ike_lib.sh"
if ! want ctl_reload; then
	done_testing
	exit
fi

# The sockets live in a directory others may enter (W is 0700): the
# non-root client must reach the socket for the daemon's own check to act.
CTLD=$(mktemp -d /tmp/ike_ctl_sock.XXXXXX)
chmod 755 "$CTLD"
peer_stop() { rm -rf "$CTLD"; }

ctl() { local side=$1; shift; "$IKED" --ctl "$CTLD/$side.ctl" ctl "$@"; }

# conf FILE SIDE CONNS...: kipsec-iked.conf for SIDE (L or R) with the named
# connections (t, u), and its secrets.
conf() {
	local f=$1 side=$2 c a b n=1 m=2
	shift 2
	[ "$side" = R ] && n=2 m=1
	printf '# written by ike_ctl.sh\n' >"$f"
	for c in "$@"; do
		if [ "$c" = t ]; then
			printf 'conn t\n\tlocal = 192.168.50.%s\n\tremote = 192.168.50.%s\n' $n $m
			printf '\tlocal_ts = 10.0.%s.0/24\n\tremote_ts = 10.0.%s.0/24\n' $n $m
		else
			printf 'conn u\n\tlocal = fd00:50::%s\n\tremote = fd00:50::%s\n' $n $m
			printf '\tlocal_ts = fd00:%s::/64\n\tremote_ts = fd00:%s::/64\n' $n $m
			printf '\tesp = aes128gcm16\n\tpfs = modp2048\n'
		fi
		printf '\tstart_action = add\n\tlifetime = 600\n'
	done >>"$f"
	printf '192.168.50.%s : PSK "%s"\nfd00:50::%s : PSK "%s"\n' $m "$PSK" $m "$PSK" >"$f.secrets"
	chmod 600 "$f.secrets"
}

# spis_ctl SIDE CONN: the SPIs "ctl list" shows for CONN's CHILD SAs, sorted.
spis_ctl() {
	ctl "$1" list | grep "^child $2 installed" | grep -oE '(in|out) 0x[0-9a-f]{8}' |
		awk '{ print $2 }' | sort | tr '\n' ' '
}

# spis_kernel NS: the SPIs of NS's kipsec SAs, sorted.
spis_kernel() {
	ip netns exec "$1" "$KIPSEC" sa show | grep -oE 'spi 0x[0-9a-f]{8}' | awk '{ print $2 }' |
		sort | tr '\n' ' '
}

# same_spis SIDE NS CONN: CONN has a CHILD SA in "ctl list", and kipsec holds
# exactly its SPIs (ALL) or them among others (SOME).
same_spis() {
	local c k
	c=$(spis_ctl "$1" "$3")
	k=$(spis_kernel "$2")
	echo "ctl list: $c; kipsec sa show: $k"
	[ -n "$c" ] || return 1
	if [ "${4:-ALL}" = ALL ]; then [ "$c" = "$k" ]; else
		for s in $c; do [[ " $k " == *" $s "* ]] || return 1; done
	fi
}

no_sa() { [ -z "$(spis_kernel "$1")" ]; }

# gone NS SPIS: none of SPIS is in NS's kipsec any more.
gone() {
	local k s
	k=$(spis_kernel "$1")
	echo "kipsec: $k"
	for s in $2; do [[ " $k " != *" $s "* ]] || return 1; done
}

no_protect() { ! ip netns exec "$1" "$KIPSEC" policy show | grep -q protect; }


# hup SIDE LOG WANT: SIGHUP to SIDE's daemon; its log then says WANT (a
# regex, on a line after the SIGHUP) and the daemon still runs.
hup() {
	local pid n
	eval "pid=\$PID_$1"
	n=$(wc -l <"$2")
	kill -HUP "$pid" && within 20 eval "tail -n +$((n + 1)) '$2' | grep -qE '$3'" &&
	kill -0 "$pid"
}

# child_both CONN: CONN has a CHILD SA in ctl list on both sides.
child_both() { [ -n "$(spis_ctl L "$1")" ] && [ -n "$(spis_ctl R "$1")" ]; }
up_conn() { ctl L up "$1" && within 60 child_both "$1"; }
none_listed() { ctl "$1" list | grep -qx '0 IKE SAs'; }

# raw SIDE TEXT: TEXT (Python escapes) sent on a raw connection to SIDE's
# socket; prints the answer (until the daemon closes).
raw() {
	/usr/bin/python3 - "$CTLD/$1.ctl" "$2" <<-'PY'
	import socket, sys
	s = socket.socket(socket.AF_UNIX)
	s.settimeout(15)
	s.connect(sys.argv[1])
	s.sendall(sys.argv[2].encode().decode('unicode_escape').encode('latin1'))
	out = b''
	while True:
	    try:
	        b = s.recv(4096)
	    except ConnectionResetError:
	        b = b''
	    if not b:
	        break
	    out += b
	sys.stdout.write(out.decode('latin1'))
	PY
}

# stalled_client SIDE: while a client holds a connection and sends half a
# line (and another sends nothing), ctl list still answers at once and the
# silent ones are dropped at their deadline.
stalled_client() {
	/usr/bin/python3 - "$CTLD/$1.ctl" "$IKED" <<-'PY'
	import socket, subprocess, sys, time
	a = socket.socket(socket.AF_UNIX); a.connect(sys.argv[1])
	b = socket.socket(socket.AF_UNIX); b.connect(sys.argv[1]); b.sendall(b'lis')
	t = time.time()
	r = subprocess.run([sys.argv[2], '--ctl', sys.argv[1], 'ctl', 'list'],
	                   capture_output=True, timeout=5)
	print('list answered in %.1f s, exit %d' % (time.time() - t, r.returncode))
	a.settimeout(20)
	t = time.time()
	closed = a.recv(100) == b''
	print('silent client closed by the daemon after %.1f s: %s' % (time.time() - t, closed))
	sys.exit(0 if r.returncode == 0 and closed else 1)
	PY
}

as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }

check "kipsec.ko loads" kipsec_load
check "two namespaces joined by a veth, inner hosts routed via the peer" setup
mkdir -p "$OUT/L" "$OUT/R"
LL=$OUT/L/iked.log
RL=$OUT/R/iked.log
conf "$OUT/L/iked.conf" L t
conf "$OUT/R/iked.conf" R t
IKED_EXTRA="--ctl $CTLD/L.ctl" iked_start "$L" "$OUT/L" L
IKED_EXTRA="--ctl $CTLD/R.ctl" iked_start "$R" "$OUT/R" R
check "both daemons listen, each on its control socket" \
	within 20 eval "grep -q 'listening on' $LL && grep -q 'listening on' $RL"
check "the control socket is a socket of mode 600" \
	eval "[ \"\$(stat -c %F:%a $CTLD/L.ctl)\" = 'socket:600' ]"
check "ctl conns lists conn t (start_action add, no SA)" \
	eval "ctl L conns | grep -q '^conn t 192.168.50.1 -> 192.168.50.2 .* start_action add .*ike_sas 0 child_sas 0'"
check "start_action = add: no SA before ctl up" no_sa "$L"
check "ctl up t: Main Mode + Quick Mode start" \
	eval "ctl L up t | grep -q 'conn t: initiating Main Mode, then Quick Mode'"
check "CHILD SA up on both sides" up_or_dead 60 both_up "$OUT"
check "ping 10.0.2.1 through the SAs" ping_through "$L" 10.0.2.1
check "ctl list (L) shows the IKE SA: initiator, established, peer, cookies" \
	eval "ctl L list | grep -qE '^ike t initiator established peer 192.168.50.2 cookies [0-9a-f]{16}:[0-9a-f]{16} aes128-sha256-modp2048 age [0-9]+s lifetime 10800s'"
check "ctl list (L) shows the CHILD SA with the SPIs kipsec sa show has" same_spis L "$L" t
check "ctl list (R) too (responder)" same_spis R "$R" t
check "ctl list shows proposal, mode, age and lifetime, and no key" \
	eval "ctl L list | grep -qE '^child t installed in 0x[0-9a-f]{8} out 0x[0-9a-f]{8} aes128-sha256 tunnel age [0-9]+s lifetime 600s\$' && ! ctl L list | grep -qiE 'key|[0-9a-f]{32}'"
check "ctl up t again: already up, nothing started" \
	eval "ctl L up t | grep -q 'already up' && [ \$(grep -c 'initiating Main Mode' $LL) = 1 ]"
check_fails "ctl up of an unknown connection is refused" 'unknown connection "nosuch"' \
	ctl L up nosuch
check_fails "ctl without a daemon: says it is not running" "the daemon is not running" \
	"$IKED" --ctl "$CTLD/none.ctl" ctl list
check_fails "ctl with a bad command: usage, locally" "unknown command" ctl L flush
check_fails "a client as nobody cannot open the socket (mode 600)" "permission denied" \
	as_nobody "$IKED" --ctl "$CTLD/L.ctl" ctl list
chmod 666 "$CTLD/L.ctl"
check_fails "a client as nobody on a world-writable socket: the daemon refuses it (SO_PEERCRED)" \
	"permission denied: the control socket is for root only" \
	as_nobody "$IKED" --ctl "$CTLD/L.ctl" ctl down t
chmod 600 "$CTLD/L.ctl"
check "... logs the refusal with the client's uid, and the SAs stay" \
	eval "grep -q 'uid 65534 refused: only root' $LL && same_spis L '$L' t"
check "a client sending garbage gets an error and is closed" \
	eval "raw L 'li\\x01st\\n' | grep -x 'error: malformed request (bytes outside printable ASCII)'"
check "a client sending an overlong line gets an error and is closed" \
	eval "raw L \"\$(printf 'x%.0s' {1..400})\" | grep -x 'error: request too long'"
check "slow clients stall nothing; the daemon drops them at their deadline" stalled_client L
check "... and the SAs are still there" same_spis L "$L" t

T_SPIS=$(spis_ctl L t)
check "ctl down t: Delete sent, SAs gone" eval "ctl L down t | grep -q 'deleted 1 IKE SA and 1 CHILD SA'"
check "... on L: no SA, no protect policy" eval "no_sa '$L' && no_protect '$L'"
check "... on R (it took L's Delete): no SA, no protect policy" \
	within 10 eval "no_sa '$R' && no_protect '$R'"
check "... and ctl list on both shows no SA" eval "none_listed L && within 5 none_listed R"

check "ctl up t again: up again" up_conn t
check "ping 10.0.2.1 through the new SAs" ping_through "$L" 10.0.2.1
T_SPIS=$(spis_ctl L t)
echo "# conn t: SPIs $T_SPIS"

check "SIGHUP, files unchanged (L): reloaded, t unchanged" \
	hup L "$LL" 'reloaded: 1 connection unchanged, 0 changed, 0 removed, 0 added'
check "SIGHUP, files unchanged (R): reloaded, t unchanged" \
	hup R "$RL" 'reloaded: 1 connection unchanged, 0 changed, 0 removed, 0 added'
check "... t keeps its SAs: the same SPIs in ctl list and kipsec" \
	eval "[ \"\$(spis_ctl L t)\" = '$T_SPIS' ] && same_spis L '$L' t && same_spis R '$R' t"
check "... pings keep passing" ping_through "$L" 10.0.2.1

cp "$OUT/L/iked.conf" "$OUT/L/iked.conf.good"
printf '\tlifetime = 5\n' >>"$OUT/L/iked.conf"
check "SIGHUP with a broken file: refused, logged with file and line" \
	hup L "$LL" "error: reload refused: $OUT/L/iked.conf:[0-9]+: lifetime: expected seconds between 20 and 604800, got \"5\"; the running configuration stays"
check "... the daemon runs on the old configuration: same SAs, pings pass" \
	eval "[ \"\$(spis_ctl L t)\" = '$T_SPIS' ] && same_spis L '$L' t && ping_through '$L' 10.0.2.1"

conf "$OUT/L/iked.conf" L t u
conf "$OUT/R/iked.conf" R t u
check "SIGHUP adding conn u (R): t unchanged, u added" \
	hup R "$RL" 'reloaded: 1 connection unchanged, 0 changed, 0 removed, 1 added'
check "SIGHUP adding conn u (L): t unchanged, u added" \
	hup L "$LL" 'reloaded: 1 connection unchanged, 0 changed, 0 removed, 1 added'
check "... ctl conns lists t and u" \
	eval "ctl L conns | grep -q '^conn t ' && ctl L conns | grep -q '^conn u fd00:50::1 -> fd00:50::2 .*esp aes128gcm16'"
check "... t still has its SAs" eval "[ \"\$(spis_ctl L t)\" = '$T_SPIS' ]"
check "ctl up u: the new connection comes up (IPv6, PFS)" up_conn u
check "ping fd00:2::1 through u's SAs" ping_through "$L" fd00:2::1
check "kipsec holds u's SPIs beside t's (L and R)" \
	eval "same_spis L '$L' u SOME && same_spis R '$R' u SOME && same_spis L '$L' t SOME"
U_SPIS=$(spis_ctl L u)

conf "$OUT/L/iked.conf" L u
conf "$OUT/R/iked.conf" R u
check "SIGHUP with conn t removed (L): t brought down" \
	hup L "$LL" 'reloaded: 1 connection unchanged, 0 changed, 1 removed, 0 added'
check "... L sent Delete for t" grep -q "conn t: sent Delete for 1 CHILD SA and the IKE SA" "$LL"
check "... t's SAs are gone on L" gone "$L" "$T_SPIS"
check "... and on R (L's Delete)" within 10 gone "$R" "$T_SPIS"
check "SIGHUP with conn t removed (R): nothing left to delete" \
	hup R "$RL" 'reloaded: 1 connection unchanged, 0 changed, 1 removed, 0 added'
check "... u keeps its SAs on both sides, and pings pass" \
	eval "[ \"\$(spis_ctl L u)\" = '$U_SPIS' ] && same_spis L '$L' u && same_spis R '$R' u && ping_through '$L' fd00:2::1"
# a changed connection: brought down, then added again (and, being
# start_action = start now, negotiated again at once)
sed -i 's/start_action = add/start_action = start/' "$OUT/L/iked.conf"
check "SIGHUP with conn u changed (start_action = start) (L): down, then added again" \
	hup L "$LL" 'reloaded: 0 connections unchanged, 1 changed, 0 removed, 0 added'
check "... L sent Delete for u's old SAs" \
	grep -q "conn u: sent Delete for 1 CHILD SA and the IKE SA" "$LL"
check "... the old SAs are gone on both sides" \
	eval "gone '$L' '$U_SPIS' && within 10 gone '$R' '$U_SPIS'"
check "... new ones negotiated at once (start_action = start): kipsec holds them, pings pass" \
	eval "within 60 child_both u && same_spis L '$L' u && same_spis R '$R' u && ping_through '$L' fd00:2::1"
check_fails "... ctl up t: now an unknown connection" 'unknown connection "t"' ctl L up t

check "L's daemon stops and removes its SAs and policies" iked_stop "$PID_L" "$L" "$OUT"
check "... and its control socket" test ! -e "$CTLD/L.ctl"
check "R's daemon stops and removes its SAs and policies" iked_stop "$PID_R" "$R" "$OUT"
check "no key material in the logs" eval "! grep -q 'debug: key ' $LL $RL"
done_testing
