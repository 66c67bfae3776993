#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Where the 64-byte UDP path spends its instructions, per stack (no IPsec,
# native xfrm, kipsec), counted by the tcgprof QEMU plugin in one boot of
# Debian's stock kernel: see tests/bench/prof-inner.sh and tcgprof.c.
# Not a test, and not a timing: guest instructions per datagram received.
#   make prof   (SECS=5 STACKS="plain xfrm kipsec" TOP=40 by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd -P)
out=$repo/build/vm/prof
mkdir -p "$out"
rm -f "$out"/*.prof "$out"/req "$out"/.req
export KIPSEC_PROF_SECS=${SECS:-5} KIPSEC_PROF_STACKS=${STACKS:-plain xfrm kipsec}
export KIPSEC_VM_QEMU_ARGS="-plugin $repo/build/bench/tcgprof.so,dir=$out"
tests/vm/run.sh --kernel stock --name prof --mem 3072 --timeout 3600 -- tests/bench/prof-inner.sh
python3 tests/bench/tcgprof-report.py "$out" "${TOP:-40}" > "$out/report.txt"
echo
echo "report: build/vm/prof/report.txt"
cat "$out/report.txt"
