# SPDX-License-Identifier: GPL-2.0
# Sourced by the IKE tests, in the VM (tests/vm/t/ike_lib.sh) and on the
# host (tests/ike/host_interop.sh): case selection and bounded waits.

# want CASE: is CASE selected by KIPSEC_IKE_CASES (an extended regex)?
want() { [[ $1 =~ ${KIPSEC_IKE_CASES:-.} ]]; }

# within SECS CMD...: poll CMD every 0.3 s until it succeeds or SECS of wall
# time pass (a count of tries would stretch under emulation).
within() {
	local end=$((SECONDS + $1))
	shift
	while ((SECONDS < end)); do
		"$@" && return 0
		sleep 0.3
	done
	"$@"
}

# up_or_dead SECS CMD...: like within, but stops when CMD returns 2 (the
# daemon it waits for died).
up_or_dead() {
	local end=$((SECONDS + $1)) rc
	shift
	while ((SECONDS < end)); do
		"$@"
		rc=$?
		[ "$rc" = 0 ] && return 0
		[ "$rc" = 2 ] && return 1
		sleep 0.3
	done
	"$@"
}
