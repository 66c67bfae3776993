# SPDX-License-Identifier: GPL-2.0
# Sourced: run Libreswan's pluto (IKEv1) in a network namespace, in the VM,
# with its own configuration, NSS database, run directory and log.
#
# Libreswan conflicts with strongSwan's packages, so scripts/install-deps.sh
# unpacks its .deb into $PLUTO_ROOT instead of installing it (its libraries
# are installed normally). pluto and addconn look for their helpers under
# /usr/libexec/ipsec: the VM's root is a writable overlay, so that path is
# linked there to the unpacked copy (the host's root is never touched).
PLUTO_ROOT=/var/cache/kipsec/libreswan
PLUTO_BIN=/usr/libexec/ipsec

# pluto_available: the unpacked Libreswan is there and linked into place.
pluto_available() {
	[ -x "$PLUTO_ROOT$PLUTO_BIN/pluto" ] || return 1
	[ -e "$PLUTO_BIN" ] || ln -s "$PLUTO_ROOT$PLUTO_BIN" "$PLUTO_BIN"
	"$PLUTO_BIN/pluto" --version >/dev/null
}

# pluto_conf FILE LOCAL REMOTE LOCAL_SUBNET REMOTE_SUBNET MODE IKE ESP PFS AGGRESSIVE
# writes ipsec.conf for one IKEv1 PSK connection "t" (ids = the addresses)
# and FILE.secrets. IKE and ESP in Libreswan's syntax ("aes128-sha2_256;modp2048").
# A subnet "-" leaves it out (transport mode: the hosts themselves).
pluto_conf() {
	local f=$1 l=$2 r=$3 ls=$4 rs=$5 mode=$6 ike=$7 esp=$8 pfs=$9 aggr=${10}
	local d
	d=$(dirname "$f")
	cat >"$f" <<EOC
config setup
	ikev1-policy=accept
	dumpdir=$d
	plutodebug=none

conn t
	ikev2=no
	authby=secret
	left=$l
	leftid=$l
$([ "$ls" = - ] || printf '\tleftsubnet=%s' "$ls")
	right=$r
	rightid=$r
$([ "$rs" = - ] || printf '\trightsubnet=%s' "$rs")
	type=$mode
	ike=$ike
	esp=$esp
	pfs=$pfs
	aggressive=$aggr
	leftupdown=%disabled
	auto=add
EOC
	printf '%s %s : PSK "%s"\n' "$l" "$r" "$PSK" >"$f.secrets"
	chmod 600 "$f.secrets"
}

# pluto_start NS DIR: pluto in NS with DIR/ipsec.conf, log DIR/pluto.log,
# then the connection "t" loaded. PLUTO_WRAP, if set, is a command that
# runs pluto (its arguments) in a private mount namespace with
# /usr/libexec/ipsec in place (on the host, where that path stays untouched). DIR must take unix sockets (not 9p). Not
# in a subshell (it records the pid for pluto_stop): pluto_started DIR
# tells how it went.
pluto_start() {
	local n=$1 d=$2
	rm -rf "$d/run" "$d/nss" "$d/started"
	mkdir -p "$d/run" "$d/nss"
	_pluto_start "$n" "$d" >"$d/start.log" 2>&1 && touch "$d/started"
}

pluto_started() {
	[ -e "$1/started" ] || { cat "$1/start.log" "$1/addconn.log"; tail -5 "$1/pluto.log"; false; }
}

_pluto_start() {
	local n=$1 d=$2 i
	certutil -N -d "sql:$d/nss" --empty-password || return 1
	ip netns exec "$n" ${PLUTO_WRAP:-} "$PLUTO_BIN/pluto" --nofork --stderrlog --no-dnssec \
		--config "$d/ipsec.conf" --secretsfile "$d/ipsec.conf.secrets" \
		--ipsecdir "$d" --nssdir "$d/nss" --rundir "$d/run" >"$d/pluto.log" 2>&1 &
	PLUTO_PIDS="${PLUTO_PIDS:-} $!"
	for ((i = 0; i < 200; i++)); do
		[ -S "$d/run/pluto.ctl" ] && break
		sleep 0.1
	done
	[ -S "$d/run/pluto.ctl" ] || return 1
	ip netns exec "$n" "$PLUTO_BIN/addconn" --config "$d/ipsec.conf" \
		--ctlsocket "$d/run/pluto.ctl" t >"$d/addconn.log" 2>&1 || return 1
	ip netns exec "$n" "$PLUTO_BIN/whack" --ctlsocket "$d/run/pluto.ctl" --listen \
		>>"$d/addconn.log" 2>&1
}

# whack NS DIR ARGS...: whack against the pluto of DIR.
whack() {
	local n=$1 d=$2
	shift 2
	ip netns exec "$n" "$PLUTO_BIN/whack" --ctlsocket "$d/run/pluto.ctl" "$@"
}

# pluto_stop: every pluto started here.
pluto_stop() {
	[ -n "${PLUTO_PIDS:-}" ] || return 0
	kill $PLUTO_PIDS 2>/dev/null
	wait $PLUTO_PIDS 2>/dev/null
	PLUTO_PIDS=
}
