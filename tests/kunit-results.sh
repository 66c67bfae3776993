#!/bin/bash
# Parse the KTAP the KUnit suites printed (with the kernel's own kunit.py)
# and print one TAP line per test case, parameters included.
set -uo pipefail
ktap=$(realpath -- "${1:?usage: kunit-results.sh KTAP_FILE}")
src=$("$(dirname "$0")/kernel-source.sh") || exit 1
if [ ! -s "$ktap" ]; then
	echo "not ok - kunit: no KTAP output ($ktap missing)"
	exit 1
fi
json=${ktap%.ktap}.json
python3 "$src/tools/testing/kunit/kunit.py" parse --json="$json" "$ktap" > "${ktap%.ktap}.parsed" 2>&1
tail -3 "${ktap%.ktap}.parsed" | sed 's/^/# /'
python3 - "$json" <<'PY'
import json, sys
failed = 0
def walk(group, path):
    global failed
    for case in group.get("test_cases", []):
        ok = case["status"] == "PASS"
        failed += not ok
        print(f"{'ok' if ok else 'not ok'} - kunit: {path}.{case['name']}")
    for sub in group.get("sub_groups", []):
        walk(sub, f"{path}.{sub['name']}" if path else sub["name"])
with open(sys.argv[1]) as f:
    walk(json.load(f), "")
sys.exit(1 if failed else 0)
PY
