#!/bin/bash
# make demo: build everything and show kipsec working in a real kernel.
#
# Debian's own kernel (booted in QEMU when this host can't load modules),
# kipsec.ko loaded, two namespaces each running kipsec-iked: east brings an
# IKEv1 tunnel up (Main Mode + Quick Mode with PFS), SAs and policies appear
# in kipsec, pings pass through ESP and the SA counters rise; east stops and
# its Delete empties west's kipsec. See tests/vm/demo-inner.sh.
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
