#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kipsec vs the kernel's own xfrm, in one boot of Debian's stock kernel
# (QEMU, 2 vCPUs): see tests/bench/bench-inner.sh for what is measured.
# Not a test: figures swing +-30 % between runs on a shared machine, so
# the two stacks are interleaved and only ratios from the same boot mean
# anything. Usage: make bench   (RUNS=5 SECS=5 NSAS=100000 by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
export KIPSEC_BENCH_RUNS=${RUNS:-5} KIPSEC_BENCH_SECS=${SECS:-5} KIPSEC_BENCH_NSAS=${NSAS:-100000}
tests/vm/run.sh --kernel stock --name bench --mem 3072 --timeout 5400 -- tests/bench/bench-inner.sh
echo
echo "report: build/vm/bench/report.txt"
cat build/vm/bench/report.txt
