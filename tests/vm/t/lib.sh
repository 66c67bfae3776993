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

# Namespaces get a per-run suffix so reruns and leftovers never collide.
NS_SUFFIX=$$
ns() { echo "$1-$NS_SUFFIX"; }

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
