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

_n=0
_failed=0
ok() { _n=$((_n + 1)); echo "ok $_n - $*"; }
not_ok() { _n=$((_n + 1)); _failed=$((_failed + 1)); echo "not ok $_n - $*"; }

# check DESC CMD...: run CMD, its output indented under the TAP line.
check() {
	local desc=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" = 0 ]; then ok "$desc"; else not_ok "$desc (exit $rc)"; fi
	[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/#   /'
	return 0
}

# check_fails DESC EXPECTED_STDERR_SUBSTRING CMD...: CMD must fail saying so.
check_fails() {
	local desc=$1 want=$2 out rc=0
	shift 2
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" != 0 ] && [[ $out == *"$want"* ]]; then
		ok "$desc"
	else
		not_ok "$desc (exit $rc, wanted failure saying: $want)"
	fi
	[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/#   /'
	return 0
}

done_testing() {
	echo "1..$_n"
	[ "$_failed" = 0 ]
}

# Load kipsec.ko with the modules it depends on (insmod does not resolve them).
kipsec_load() {
	local dep
	for dep in $(modinfo -F depends "$KO" | tr ',' ' '); do
		modprobe "$dep" || return 1
	done
	insmod "$KO"
}

kipsec_unload() {
	rmmod kipsec
}

# Namespaces get a per-run suffix so reruns and leftovers never collide.
NS_SUFFIX=$$
ns() { echo "$1-$NS_SUFFIX"; }
