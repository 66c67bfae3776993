#!/bin/bash
# A flood of Main Mode first messages can't exhaust kipsec-iked: each
# connection keeps at most --max-half-open responder SAs waiting (the rest
# are dropped, and the log says so), and other connections keep working.
# Then kipsec-iked as a daemon (--daemon, --pid-file) logging to syslog.
# Negotiation only (--no-kernel): what is under test is the daemon.
#
#   L: kipsec-iked, conns t (peer 192.168.50.2) and u (peer 192.168.50.3),
#      --max-half-open 16
#   R: ike_flood.py from 192.168.50.2 (t's peer address), then kipsec-iked
#      from 192.168.50.3 initiating u (R's route prefers 192.168.50.2: the
#      daemon must send from its connection's address)
# Logs: build/vm/ike_flood/KERNEL/.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ike_lib.sh"

FLOOD=$(dirname "$0")/ike_flood.py

# conf FILE LOCAL REMOTE...: one connection per REMOTE (t, u, ...), the
# responder's side (start_action add) unless START is set.
conf() {
	local f=$1 l=$2 name r
	shift 2
	: >"$f"
	: >"$f.secrets"
	name=t
	for r in "$@"; do
		printf 'conn %s\n' "$name" >>"$f"
		printf '\t%s = %s\n' local "$l" remote "$r" mode transport \
			ike aes128-sha256-modp2048 esp aes128gcm16 pfs no \
			start_action "${START:-add}" >>"$f"
		printf '%s : PSK "%s"\n' "$r" "$PSK" >>"$f.secrets"
		name=u
	done
	chmod 600 "$f.secrets"
}

check "two namespaces joined by a veth" setup
check "a second address on R's side" ip -n "$R" addr add 192.168.50.3/24 dev vr

mkdir -p "$OUT/L" "$OUT/R"
conf "$OUT/L/iked.conf" 192.168.50.1 192.168.50.2 192.168.50.3
IKED_EXTRA="--no-kernel --max-half-open 16" iked_start "$L" "$OUT/L" L
check "kipsec-iked listens in L" within 20 grep -q "listening on" "$OUT/L/iked.log"

flood() { ip netns exec "$R" /usr/bin/python3 "$FLOOD" 192.168.50.2 192.168.50.1 "$@"; }
res=$(flood 300 3)
echo "# $res"
check "300 first messages from t's peer: exactly 16 answered ($res)" \
	test "$res" = "sent 300 answered 16"
check "... and the log says why the rest were dropped" grep -q \
	"conn t: 16 half-open IKE SAs with 192.168.50.2 already (--max-half-open): [0-9]* first message" \
	"$OUT/L/iked.log"
res=$(flood 50 1)
check "a second flood while those wait: none answered ($res)" test "$res" = "sent 50 answered 0"
check "the daemon is still running" kill -0 "$PID_L"

START=start conf "$OUT/R/iked.conf" 192.168.50.3 192.168.50.1
IKED_EXTRA=--no-kernel iked_start "$R" "$OUT/R" R
check "meanwhile connection u (another peer) negotiates: L's side" \
	up_or_dead 60 child_up "$OUT/L/iked.log" "$PID_L" "$PID_R"
check "... and R's side" up_or_dead 30 child_up "$OUT/R/iked.log" "$PID_R"
kill "$PID_L"
wait "$PID_L"
rc=$?
DAEMONS=${DAEMONS/ $PID_L/}
check "L's daemon exits 0 on SIGTERM ($rc)" test "$rc" = 0

# --- --daemon and syslog ------------------------------------------------------
# syslog_catcher FILE: the VM has no syslog daemon: a socket at /dev/log
# writing each message it gets to FILE as a line (in the background).
syslog_catcher() {
	/usr/bin/python3 -c '
import os, socket, sys
try:
    os.unlink("/dev/log")
except OSError:
    pass
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
f = open(sys.argv[1], "a", buffering=1)
while True:
    f.write(s.recv(65536).decode(errors="replace").rstrip("\n") + "\n")
' "$1" >/dev/null 2>&1 &
	SYSLOG_PID=$!
}
peer_stop() { [ -z "${SYSLOG_PID:-}" ] || kill "$SYSLOG_PID"; }

SYSLOG=$OUT/syslog.txt
syslog_catcher "$SYSLOG"	# not under check: that runs in a subshell
check "a syslog socket at /dev/log" within 10 test -S /dev/log
kill "$PID_R" 2>/dev/null
wait "$PID_R" 2>/dev/null
DAEMONS=${DAEMONS/ $PID_R/}
check "kipsec-iked --daemon returns once listening" ip netns exec "$L" "$IKED" --no-kernel \
	--daemon --pid-file "$W/iked.pid" -c "$OUT/L/iked.conf" -s "$OUT/L/iked.conf.secrets"
pid=$(cat "$W/iked.pid" 2>/dev/null)
check "its pid file names the running daemon ($pid)" kill -0 "${pid:-0}"
# facility daemon (3): info is <30>, warning <28>
# (logged before detaching: under the parent's pid)
check "syslog: <30>... kipsec-iked[PID]: listening on UDP port 500" \
	within 10 grep -q "^<30>.*kipsec-iked\[[0-9]*\]: listening on UDP port 500" "$SYSLOG"
mv "$OUT/R/iked.log" "$OUT/R/iked-before.log"
IKED_EXTRA=--no-kernel iked_start "$R" "$OUT/R" R
check "connection u negotiates with the daemon: R's side" \
	up_or_dead 60 child_up "$OUT/R/iked.log" "$PID_R"
check "... and the daemon says so in syslog" \
	within 10 grep -q "^<30>.*kipsec-iked\[$pid\]: conn u: CHILD SA established" "$SYSLOG"
kill "${pid:-0}"
check "SIGTERM: it exits and removes its pid file" \
	within 10 eval "! kill -0 ${pid:-0} 2>/dev/null && [ ! -e $W/iked.pid ]"

done_testing
