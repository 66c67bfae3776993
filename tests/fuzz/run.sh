#!/bin/bash
# The fuzzers (make fuzz; a layer of make check), as TAP.
#
# fuzz_ike: kipsec-iked's network input (tests/fuzz/fuzz_ike.c). First its
# seed corpus is written and each seed checked to reach as deep into the
# daemon as meant; then libFuzzer mutates from it for KIPSEC_FUZZ_SECS
# (default 60) with a fixed seed, under ASan, UBSan and LeakSanitizer. Any
# crash, sanitizer report, leak or input slower than 10 s fails, and
# leaves the input in build/fuzz/artifacts/ (replay: build/fuzz/fuzz_ike
# FILE; FUZZ_IKE_LOG=1 shows the daemon's log).
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/tap.sh
out=build/fuzz
secs=${KIPSEC_FUZZ_SECS:-60}
corpus=$out/corpus/fuzz_ike
rm -rf "$corpus" "$out/artifacts"
mkdir -p "$corpus" "$out/artifacts"

# The seed checks print their own TAP lines; renumber them into ours.
seeds=$("$out/fuzz_ike_seeds" "$corpus" 2>&1)
src=$?
bad=$_failed
while IFS= read -r line; do
	case $line in
	"ok "*) ok "${line#ok * - }" ;;
	"not ok "*) not_ok "${line#not ok * - }" ;;
	esac
done <<<"$seeds"
if [ "$src" != 0 ] && [ "$_failed" = "$bad" ]; then
	not_ok "fuzz_ike_seeds: exit $src"
	_show "$seeds"
fi

log=$out/fuzz_ike.log
"$out/fuzz_ike" -seed=1 -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-max_len=8192 -print_final_stats=1 -artifact_prefix="$out/artifacts/" \
	"$corpus" >"$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
if [ "$rc" = 0 ] && [ -n "$runs" ]; then
	ok "fuzz_ike: $runs inputs in $secs s ($cov edges), no crash, sanitizer report or leak"
else
	sed -n '/==ERROR\|^SUMMARY\|deadly signal\|Test unit written/p' "$log" | head -20 | sed 's/^/# /'
	not_ok "fuzz_ike: exit $rc after ${runs:-?} inputs (log: $log, input: $out/artifacts/)"
fi
done_testing
