#!/bin/bash
# Runs two strongSwan charons (IKEv1, PSK, Main Mode + Quick Mode with PFS)
# in two network namespaces on the host and keeps their logs at ike/chd
# level 4, where charon prints g^xy, SKEYID..., the phase-1 key and the ESP
# keys: the source of the known-answer vectors in tests/unit/test_keymat.c.
# Usage: tests/ike/vectors.sh OUTDIR [IKE_PROPOSAL ESP_PROPOSAL]
set -eu
cd "$(dirname "$0")/../.."
. tests/ike/charon.sh
OUT=$1 IKE=${2:-aes128-sha256-modp2048} ESP=${3:-aes128-sha256-modp2048}
A=ikevec-a-$$ B=ikevec-b-$$
cleanup() {
	[ -n "${CHARON_PIDS:-}" ] && kill $CHARON_PIDS 2>/dev/null
	ip netns del $A 2>/dev/null
	ip netns del $B 2>/dev/null
	true
}
trap cleanup EXIT
rm -rf "$OUT" && mkdir -p "$OUT/a" "$OUT/b"
ip netns add $A && ip netns add $B
ip link add va netns $A type veth peer name vb netns $B
ip -n $A addr add 192.168.77.1/24 dev va && ip -n $A link set va up && ip -n $A link set lo up
ip -n $B addr add 192.168.77.2/24 dev vb && ip -n $B link set vb up && ip -n $B link set lo up
charon_conf "$OUT/a/swanctl.conf" t 192.168.77.1 192.168.77.2 10.0.1.0/24 10.0.2.0/24 tunnel "$IKE" "$ESP"
charon_conf "$OUT/b/swanctl.conf" t 192.168.77.2 192.168.77.1 10.0.2.0/24 10.0.1.0/24 tunnel "$IKE" "$ESP"
CHARON_IKE_LEVEL=4 CHARON_ENC_LEVEL=4 charon_start $A "$OUT/a" 'kernel-libipsec kernel-netlink'
CHARON_IKE_LEVEL=4 charon_start $B "$OUT/b" 'kernel-libipsec kernel-netlink'
swan "$OUT/a" --initiate --child t --timeout 30 >"$OUT/initiate.log" 2>&1
swan "$OUT/a" --list-sas
