#!/bin/bash
# Bad genl input: every request attribute missing, too short or long, out of
# range, of the wrong type or unknown, and the semantic errors, each rejected
# with an extack naming the attribute and changing nothing; unprivileged
# callers get EPERM for changes. The cases are in tests/vm/nl_badinput.c
# (built by `make vmtools`); its TAP lines are renumbered into this script's.
. "$(dirname "$0")/lib.sh"

PROG=$REPO/build/vm/nl_badinput
N=$(ns badinput)
cleanup() {
	ip netns del "$N" 2>/dev/null
	rmmod kipsec 2>/dev/null
}
trap cleanup EXIT

check "nl_badinput is built (make vmtools)" test -x "$PROG"
check "load kipsec" kipsec_load
check "create namespace" ip netns add "$N"

out=$(ip netns exec "$N" "$PROG" 2>&1)
rc=$?
plan='' lines=0
while IFS= read -r line; do
	case $line in
	"ok "*) ok "${line#ok * - }"; lines=$((lines + 1)) ;;
	"not ok "*) not_ok "${line#not ok * - }"; lines=$((lines + 1)) ;;
	1..*) plan=${line#1..} ;;
	*) printf '%s\n' "$line" ;;
	esac
done <<<"$out"
# A crash or a bail-out leaves the plan unmet: that fails too.
check "nl_badinput ran to its plan ($lines of ${plan:-no plan}, exit $rc)" \
	test "$plan" = "$lines"

check "delete namespace" ip netns del "$N"
check "unload kipsec" kipsec_unload
done_testing
