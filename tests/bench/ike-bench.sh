#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# IKEv1 negotiations per second, kipsec-iked against strongSwan's charon as
# the responder, in one boot of Debian's stock kernel (QEMU TCG, 2 vCPUs):
# see tests/bench/ike-bench-inner.sh for what is measured. Not a test: the
# two responders are interleaved and only ratios from the same boot mean
# anything. Usage: make ike-bench  (RUNS=3 N=100 IKE_GROUPS="modp2048 ecp256")
set -euo pipefail
cd "$(dirname "$0")/../.."
export KIPSEC_IKEB_RUNS=${RUNS:-3} KIPSEC_IKEB_N=${N:-100}
export KIPSEC_IKEB_GROUPS=${IKE_GROUPS:-modp2048 ecp256}
tests/vm/run.sh --kernel stock --name ike-bench --timeout 3600 -- tests/bench/ike-bench-inner.sh
echo
echo "report: build/vm/ike-bench/report.txt"
cat build/vm/ike-bench/report.txt
