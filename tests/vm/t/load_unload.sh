#!/bin/bash
# kipsec.ko loads, answers over netlink and unloads cleanly, ten times over.
# Leaks and splats are caught by the harness (kmemleak scan, console/dmesg).
. "$(dirname "$0")/lib.sh"

check "module file present for the $KIPSEC_KERNEL kernel" test -f "$KO"
for i in $(seq 1 10); do
	if ! kipsec_load; then
		not_ok "load #$i"
		break
	fi
	if [ ! -d /sys/module/kipsec ] || ! "$KIPSEC" info >/dev/null; then
		not_ok "load #$i: module present and answering"
		break
	fi
	if ! kipsec_unload || [ -d /sys/module/kipsec ]; then
		not_ok "unload #$i"
		break
	fi
	[ "$i" = 10 ] && ok "10 load/info/unload cycles"
done
check_fails "CLI explains a missing module" "is the kipsec module loaded" "$KIPSEC" info
done_testing
