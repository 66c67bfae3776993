#!/bin/bash
# Run in the VM: each given test script in turn, as one TAP stream
# ("# script" headers, numbering per script), each followed by a
# "# script: N s" comment line so that slow scripts show in the log.
# Exit 1 if any failed.
set -u
failed=0
for t in "$@"; do
	echo "# $t"
	t0=$(date +%s)
	bash "$t" || failed=1
	echo "# $t: $(( $(date +%s) - t0 )) s"
done
exit "$failed"
