# SPDX-License-Identifier: GPL-2.0
# Sourced (after lib.sh, with T = this directory and W a scratch directory
# that takes fifos) by the VM tests that drive traffic through
# esp_traffic.py agents (esp_interop.sh, bundle.sh). The caller kills
# $AGENT_PIDS on exit.
# An agent per namespace (tests/vm/t/esp_traffic.py), for the whole test:
# each case then starts no Python and runs no "ip netns exec".
declare -A AGENT_IN=() AGENT_OUT=() NS_PID=()
AGENT_PIDS=
start_agent() {	# NS [--serve PORT]
	local n=$1 fi fo
	shift
	mkfifo "$W/$n.in" "$W/$n.out" || return 1
	ip netns exec "$n" /usr/bin/python3 "$T/esp_traffic.py" agent "$@" \
		<"$W/$n.in" >"$W/$n.out" 2>"$W/$n.err" &
	NS_PID[$n]=$!  # ip execs python: a process inside NS, for /proc/PID/net
	AGENT_PIDS+=" $!"
	exec {fi}>"$W/$n.in" {fo}<"$W/$n.out"
	AGENT_IN[$n]=$fi AGENT_OUT[$n]=$fo
}
# agent NS CMD...: one command to NS's agent, its one-line answer in REPLY.
agent() {
	local n=$1
	shift
	echo "$*" >&"${AGENT_IN[$n]}" &&
	IFS= read -r -t 120 REPLY <&"${AGENT_OUT[$n]}" ||
		REPLY="error: no answer from the agent in $n ($(tail -n 2 "$W/$n.err" | tr '\n' ' '))"
}
side_exec() {	# ipsec_side.sh's hook: commands through the agents
	local n=$1 out=$2
	shift 2
	agent "$n" run "$out" "$@"
	[ "$REPLY" = rc=0 ]
}
