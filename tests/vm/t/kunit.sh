#!/bin/bash
# Debug kernel only: load kipsec_kunit.ko (the KUnit suites linked with the
# kmod/ code they test); its suites run at load. The KTAP they print is
# saved to build/vm/kunit.ktap for tests/kunit-results.sh on the host.
. "$(dirname "$0")/lib.sh"

KUNIT_KO=$REPO/build/kunit/kipsec_kunit.ko
KTAP=$REPO/build/vm/kunit.ktap
rm -f "$KTAP"
check "kipsec_kunit.ko present" test -f "$KUNIT_KO"
before=$(dmesg | wc -l)
for dep in $(modinfo -F depends "$KUNIT_KO" | tr ',' ' '); do
	modprobe "$dep"
done
check "kipsec_kunit.ko loads (suites run)" insmod "$KUNIT_KO"
check "kipsec_kunit.ko unloads" rmmod kipsec_kunit
# Module-run suites print no KTAP header of their own: add one.
log=$(dmesg --notime | tail -n +"$((before + 1))")
nsuites=$(grep -cE '^(not )?ok [0-9]+ ' <<<"$log")
printf 'KTAP version 1\n1..%s\n%s\n' "$nsuites" "$log" > "$KTAP"
check "KUnit printed results for $nsuites suites" test "$nsuites" -ge 2
done_testing
