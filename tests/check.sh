#!/bin/bash
# make check: every test layer in order, each as a TAP stream, then one
# closing line "N passed, N failed". Logs and timings in build/check/.
#
#   layers: gen (spec ↔ generated files), build (no warnings), style
#   (checkpatch, sparse), unit (host, ASan+UBSan), debug kernel (cached),
#   vm-stock (Debian's kernel), vm-debug (KASAN/lockdep/kmemleak + KUnit).
#
# KIPSEC_LAYERS="unit vm-stock" runs a subset.
set -uo pipefail
cd "$(dirname "$0")/.."
out=build/check
rm -rf "$out" && mkdir -p "$out"
layers=${KIPSEC_LAYERS:-gen build style unit debug-kernel vm-stock vm-debug}
VM_TESTS=(tests/vm/t/load_unload.sh tests/vm/t/genl_netns.sh tests/vm/t/xfrm_oracle.sh)
passed=0 failed=0

want() { [[ " $layers " == *" $1 "* ]]; }

# layer NAME CMD...: run CMD, show and keep its output, count its TAP lines.
# A command that fails without reporting a failing test counts as one.
layer() {
	local name=$1 t0 rc=0 p f
	shift
	echo "=== $name"
	t0=$(date +%s)
	"$@" > >(tee "$out/$name.log") 2>&1 || rc=$?
	wait
	p=$(grep -c '^ok ' "$out/$name.log")
	f=$(grep -c '^not ok ' "$out/$name.log")
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "not ok - $name: exited $rc" | tee -a "$out/$name.log"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	printf '%-14s %4d passed %3d failed %5ds\n' "$name" "$p" "$f" "$(( $(date +%s) - t0 ))" \
		>> "$out/summary"
}

# tap DESC CMD...: one TAP line for one command (output kept as comments).
tap() {
	local desc=$1 o rc=0
	shift
	o=$("$@" 2>&1) || rc=$?
	[ "$rc" = 0 ] && echo "ok - $desc" || echo "not ok - $desc (exit $rc)"
	[ -z "$o" ] || printf '%s\n' "$o" | tail -40 | sed 's/^/#   /'
}

no_warnings() {	# build log on stdin: compiler warnings fail the build check
	! grep -E 'warning:|error:' | grep -v 'Skipping BTF'
}

build_layer() {
	tap "kipsec.ko and tools build" make -s all
	tap "kipsec.ko builds without warnings" sh -c \
		'touch kmod/*.c && make -s module 2>&1 | { ! grep -E "warning:|error:" | grep -v "Skipping BTF"; }'
}

debug_layer() {
	tap "debug/KUnit kernel ready (built or cached)" tests/vm/debug-kernel.sh
	tap "kipsec.ko for the debug kernel builds without warnings" sh -c \
		'make -s module-debug 2>&1 | { ! grep -E "warning:|error:" | grep -v "Skipping BTF"; }'
	tap "kipsec_kunit.ko builds without warnings" sh -c \
		'make -s module-kunit 2>&1 | { ! grep -E "warning:|error:" | grep -v "Skipping BTF"; }'
}

vm_layer() {	# kernel, extra in-VM scripts first
	local kernel=$1 rc=0
	shift
	# The VM runs the tools and the stock module from the work tree (a
	# layer subset may not have built them yet).
	make -s all 2>&1 | grep -v "Skipping BTF"
	tests/vm/run.sh --kernel "$kernel" --name "suite-$kernel" --timeout 1500 -- \
		tests/vm/suite.sh "$@" "${VM_TESTS[@]}" || rc=$?
	# The harness fails a run whose console or dmesg shows a splat or leak,
	# even when every check inside passed: make that a test of its own.
	[ "$rc" = 0 ] && echo "ok - $kernel kernel: no oops, WARN, KASAN, lockdep or leak report" ||
		echo "not ok - $kernel kernel: run failed (exit $rc); see build/vm/suite-$kernel/"
	return 0
}

debug_vm_layer() {
	vm_layer debug tests/vm/t/kunit.sh
	tests/kunit-results.sh build/vm/kunit.ktap
}

want gen && layer gen tap "generated API files match uapi/kipsec.yaml" python3 uapi/gen.py --check
want build && layer build build_layer
want style && layer style tests/style.sh
want unit && layer unit make -s unit
want debug-kernel && layer debug-kernel debug_layer
want vm-stock && layer vm-stock vm_layer stock
want vm-debug && layer vm-debug debug_vm_layer

echo
echo "=== summary (layer, tests, seconds)"
cat "$out/summary"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
