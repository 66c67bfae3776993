# SPDX-License-Identifier: GPL-2.0
# Sourced by the in-VM tests. Runs inside the VM, cwd = repo root,
# KIPSEC_KERNEL=stock|debug. Each check prints a TAP line.
set -u

REPO=$(pwd -P)
KIPSEC=$REPO/tools/kipsec
IKED=$REPO/ikehelper/kipsec-iked
case ${KIPSEC_KERNEL:-} in
stock) KMOD_DIR=$REPO ;;
debug) KMOD_DIR=$REPO/build/debug ;;
*) echo "lib.sh: KIPSEC_KERNEL must be stock or debug" >&2; exit 2 ;;
esac
KO=$KMOD_DIR/kipsec.ko

# shellcheck source=../../tap.sh
. "$REPO/tests/tap.sh"

# kipsec_load [PARAM=VALUE...]: load kipsec.ko with the modules it depends
# on (insmod does not resolve them).
kipsec_load() {
	local dep
	for dep in $(modinfo -F depends "$KO" | tr ',' ' '); do
		modprobe "$dep" || return 1
	done
	insmod "$KO" "$@"
}

kipsec_unload() {
	rmmod kipsec
}

# teardown NS...: for EXIT traps: the namespaces deleted, then kipsec.ko
# unloaded if nothing holds it any more; quiet about what is already gone.
teardown() {
	local n
	for n in "$@"; do
		ip netns del "$n" 2>/dev/null
	done
	rmmod kipsec 2>/dev/null
}

# Namespaces get a per-run suffix so reruns and leftovers never collide.
NS_SUFFIX=$$
ns() { echo "$1-$NS_SUFFIX"; }

# netns_pair L R V4 V6 IN4 IN6: namespaces L and R joined by a veth (vl in
# L, vr in R) carrying V4.1/24 and V6::1/64 (L), V4.2 and V6::2 (R); on lo
# the inner hosts IN4.1.1 and IN6N::1 (N = 1 in L, 2 in R), each routed via
# the peer (IN4.N.0/24, IN6N::/64); neighbours resolved before returning.
# E.g. netns_pair "$L" "$R" 192.168.50 fd00:50 10.0 fd00: gives 10.0.1.1
# and fd00:1::1 behind 192.168.50.1 and fd00:50::1.
netns_pair() {
	local l=$1 r=$2 v4=$3 v6=$4 in4=$5 in6=$6 n
	ip netns add "$l" && ip netns add "$r" &&
	ip link add vl netns "$l" type veth peer name vr netns "$r" || return 1
	for n in "$l" "$r"; do
		ip netns exec "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 || return 1
	done
	_pair_side "$l" vl 1 2 "$v4" "$v6" "$in4" "$in6" &&
	_pair_side "$r" vr 2 1 "$v4" "$v6" "$in4" "$in6" &&
	ip netns exec "$l" busybox ping -c 1 -W 5 "$v4.2" >/dev/null &&
	ip netns exec "$l" busybox ping -6 -c 1 -W 5 "$v6::2" >/dev/null
}

# nat_topology L M R: L behind a NAT: L (10.7.0.1) -- M (nftables
# masquerade out of mr) -- R (192.168.77.2); inner hosts 10.8.1.1 (L, whose
# default route is M) and 10.8.2.1 (R, routed to 10.8.1.0/24 via M).
nat_topology() {
	local l=$1 m=$2 r=$3 n
	ip netns add "$l" && ip netns add "$r" && ip netns add "$m" &&
	ip link add vl netns "$l" type veth peer name ml netns "$m" &&
	ip link add vr netns "$r" type veth peer name mr netns "$m" &&
	ip -n "$l" addr add 10.7.0.1/24 dev vl &&
	ip -n "$m" addr add 10.7.0.254/24 dev ml &&
	ip -n "$m" addr add 192.168.77.254/24 dev mr &&
	ip -n "$r" addr add 192.168.77.2/24 dev vr &&
	for n in "$l" "$r" "$m"; do ip -n "$n" link set lo up || return 1; done &&
	ip -n "$l" link set vl up && ip -n "$r" link set vr up &&
	ip -n "$m" link set ml up && ip -n "$m" link set mr up &&
	ip netns exec "$m" sysctl -qw net.ipv4.ip_forward=1 &&
	ip -n "$l" route add default via 10.7.0.254 &&
	ip -n "$l" addr add 10.8.1.1/32 dev lo && ip -n "$r" addr add 10.8.2.1/32 dev lo &&
	ip -n "$r" route add 10.8.1.0/24 via 192.168.77.254 src 10.8.2.1 &&
	ip netns exec "$m" nft -f - <<-EOF
	table ip nat {
		chain post {
			type nat hook postrouting priority srcnat;
			oifname "mr" masquerade
		}
	}
	EOF
}

# _pair_side NS DEV N PEER V4 V6 IN4 IN6: one end of netns_pair.
_pair_side() {
	ip -n "$1" -batch - <<-EOF
	link set lo up
	addr add $5.$3/24 dev $2
	addr add $6::$3/64 dev $2 nodad
	link set $2 up
	addr add $7.$3.1/32 dev lo
	addr add $8$3::1/128 dev lo nodad
	route add $7.$4.0/24 via $5.$4 src $7.$3.1
	route add $8$4::/64 via $6::$4 src $8$3::1
	EOF
}

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds or time runs out.
wait_for() {
	local i tries=$(($1 * 10))
	shift
	for ((i = 0; i < tries; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# capture NS DEV FILE: tcpdump what NS sends on DEV into FILE, returning
# once it is really capturing (startup takes seconds in the VM). Call it
# directly, not in $(...): the caller keeps CAPTURE_PIDS to stop it.
capture() {
	local n=$1 dev=$2 file=$3
	ip netns exec "$n" tcpdump -U -q -n -Q out -i "$dev" -w "$file" >/dev/null 2>"$file.log" &
	CAPTURE_PIDS="${CAPTURE_PIDS:-} $!"
	wait_for 20 grep -q "listening on" "$file.log"
}
