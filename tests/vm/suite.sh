#!/bin/bash
# Run in the VM: each given test script in turn, as one TAP stream
# ("# script" headers, numbering per script). Exit 1 if any failed.
set -u
failed=0
for t in "$@"; do
	echo "# $t"
	bash "$t" || failed=1
done
exit "$failed"
