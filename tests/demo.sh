#!/bin/bash
# make demo: build everything and show kipsec working in a real kernel.
#
# The full demo (an IKEv1-negotiated tunnel through kipsec between two
# namespaces, traffic passing, counters rising) needs the ESP data path and
# kipsec-iked. Until they land, this shows the foundation they stand on:
# Debian's own kernel booted in QEMU, kipsec.ko loaded, the netlink API
# answering from two namespaces, and the daemon's kernel and crypto checks.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== building kipsec.ko (for Debian's $(scripts/kver.sh) kernel) and the tools"
make -s all 2>&1 | grep -v "Skipping BTF" || true
if [ -w /sys/module ] && grep -q "^CONFIG_MODULES=y" "/boot/config-$(uname -r)" 2>/dev/null &&
	[ "$(uname -r)" = "$(scripts/kver.sh)" ]; then
	echo "== this host runs the kernel kipsec was built for: running here"
	KIPSEC_KERNEL=stock exec tests/vm/demo-inner.sh
fi
echo "== this host cannot load the module: booting Debian's kernel in QEMU (takes ~1 min)"
tests/vm/run.sh --kernel stock --name demo --timeout 600 -- tests/vm/demo-inner.sh
