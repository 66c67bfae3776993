#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM that tests/bench/prof.sh boots with the tcgprof plugin.
# On the benchmark's topology (topo.sh), for each stack in STACKS (plain,
# xfrm, kipsec by default): the stack up, a warm-up, a tcgprof snapshot,
# SECS seconds of 64-byte UDP (iperf3 -u -l 64 -b 0), another snapshot.
# Leaves, in build/vm/prof: NAME-0.prof and NAME-1.prof per stack,
# phases.txt (NAME RECEIVED SENT) and kallsyms, for tcgprof-report.py.
set -u
. "$(dirname "$0")/../vm/t/lib.sh"

SECS=${KIPSEC_PROF_SECS:-5}
STACKS=${KIPSEC_PROF_STACKS:-plain xfrm kipsec}
OUT=$REPO/build/vm/prof
. "$(dirname "$0")/topo.sh"
: > "$OUT/phases.txt"

# snapshot NAME: ask the plugin (on the host, polling OUT/req over 9p) for
# NAME.prof and wait for it. req appears whole, through a rename.
snapshot() {
	echo "$1" > "$OUT/.req" && mv "$OUT/.req" "$OUT/req" || return 1
	wait_for 60 test -f "$OUT/$1.prof"
}

for stack in $STACKS; do
	stack_down >/dev/null 2>&1
	stack_up "$stack" || { echo "prof: $stack setup failed"; exit 1; }
	ip netns exec $L busybox ping -c 1 -W 3 -I 10.9.1.1 10.9.2.1 >/dev/null ||
		echo "prof: warning: $stack tunnel did not answer a ping"
	SECS=1 measure pps >/dev/null	# warm-up: caches, neighbours, translations
	rm -f "$OUT/$stack"-[01].prof
	snapshot "$stack-0" || { echo "prof: no snapshot from the plugin (is it loaded?)"; exit 1; }
	counts=$(measure pkts)	# the VM has no /dev/fd for < <(...)
	read -r got sent <<<"$counts"
	snapshot "$stack-1" || { echo "prof: no second snapshot"; exit 1; }
	echo "$stack ${got:-0} ${sent:-0}" >> "$OUT/phases.txt"
	echo "prof: $stack: ${got:-0} of ${sent:-0} datagrams received in $SECS s"
done
stack_down >/dev/null 2>&1
# Every module the stacks pulled in (crypto templates included) is loaded now.
cat /proc/kallsyms > "$OUT/kallsyms"
