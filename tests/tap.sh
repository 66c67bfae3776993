# SPDX-License-Identifier: GPL-2.0
# TAP output for kipsec's shell tests, on the host and in the VM: sourced.
# "ok N - what" / "not ok N - what"; a command's output follows as "#   ".

_n=0
_failed=0
ok() { _n=$((_n + 1)); echo "ok $_n - $*"; }
not_ok() { _n=$((_n + 1)); _failed=$((_failed + 1)); echo "not ok $_n - $*"; }

# _show OUTPUT: a command's output, indented as TAP comments (last 40 lines).
_show() {
	[ -z "$1" ] || printf '%s\n' "$1" | tail -n 40 | sed 's/^/#   /'
}

# check DESC CMD...: one test, passing when CMD succeeds.
check() {
	local desc=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" = 0 ]; then ok "$desc"; else not_ok "$desc (exit $rc)"; fi
	_show "$out"
	return 0
}

# check_fails DESC EXPECTED_OUTPUT_SUBSTRING CMD...: CMD must fail saying so.
check_fails() {
	local desc=$1 want=$2 out rc=0
	shift 2
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" != 0 ] && [[ $out == *"$want"* ]]; then
		ok "$desc"
	else
		not_ok "$desc (exit $rc, wanted failure saying: $want)"
	fi
	_show "$out"
	return 0
}

# check_silent DESC PATTERN CMD...: CMD succeeds and prints nothing matching
# the extended regex PATTERN (compiler warnings, checker reports).
check_silent() {
	local desc=$1 pat=$2 out rc=0 bad
	shift 2
	out=$("$@" 2>&1) || rc=$?
	bad=$(printf '%s\n' "$out" | grep -E -- "$pat" || true)
	if [ "$rc" = 0 ] && [ -z "$bad" ]; then ok "$desc"; else not_ok "$desc (exit $rc)"; fi
	_show "${bad:-$([ "$rc" = 0 ] || printf '%s' "$out")}"
	return 0
}

done_testing() {
	echo "1..$_n"
	[ "$_failed" = 0 ]
}
