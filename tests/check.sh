#!/bin/bash
# make check: every test layer in order, each as a TAP stream, then one
# closing line "N passed, N failed". Logs and timings in build/check/.
#
#   layers: gen (spec ↔ generated files), build (no warnings), style
#   (checkpatch, sparse), unit (host, ASan+UBSan), fuzz (libFuzzer on
#   kipsec-iked's network input, tests/fuzz/), ike-host (kipsec-iked
#   --no-kernel against charon and pluto in namespaces on the host, no VM),
#   vm-stock (Debian's kernel), debug kernel (cached; built in the
#   background meanwhile), vm-debug (KASAN/lockdep/kmemleak + KUnit);
#   each VM layer ends with tests/esp-decode.py over the ESP interop
#   captures.
#
# KIPSEC_LAYERS="unit vm-stock" runs a subset.
set -uo pipefail
cd "$(dirname "$0")/.."
out=build/check
rm -rf "$out" && mkdir -p "$out"
layers=${KIPSEC_LAYERS:-gen build style unit fuzz ike-host vm-stock debug-kernel vm-debug}
VM_TESTS=(tests/vm/t/load_unload.sh tests/vm/t/genl_netns.sh tests/vm/t/xfrm_oracle.sh
	tests/vm/t/esp_events.sh tests/vm/t/nl_badinput.sh tests/vm/t/esp_attack.sh tests/vm/t/esp_fuzz.sh
	tests/vm/t/esp_interop.sh tests/vm/t/pmtu.sh tests/vm/t/pcpu_sa.sh tests/vm/t/natt.sh tests/vm/t/bundle.sh
	tests/vm/t/ike_interop.sh tests/vm/t/ike_ondemand.sh tests/vm/t/ike_libreswan.sh
	tests/vm/t/ike_flood.sh tests/vm/t/ike_dpd.sh tests/vm/t/ike_ctl.sh tests/vm/t/ike_natt.sh
	tests/vm/t/ike_lifetime.sh
	tests/vm/t/ike_ah.sh)
# The debug kernel is there to catch memory and locking errors in the
# module; its layer runs one kipsec-iked case (ike_interop.sh's
# iked_charon_pfs, see vm_layer). The other IKE tests, whose kernel side
# (SAs added and deleted over netlink, acquires, ESP in UDP, bundles) the
# tests before them drive there, run on the stock kernel only: on debug
# their case filter left only their set-up (3.5 min in all).
STOCK_ONLY=" tests/vm/t/ike_ondemand.sh tests/vm/t/ike_libreswan.sh tests/vm/t/ike_flood.sh
	tests/vm/t/ike_dpd.sh tests/vm/t/ike_ctl.sh tests/vm/t/ike_natt.sh
	tests/vm/t/ike_lifetime.sh tests/vm/t/ike_ah.sh "
passed=0 failed=0

want() { [[ " $layers " == *" $1 "* ]]; }

# layer NAME CMD...: run CMD, show and keep its output, count its TAP lines.
# A command that fails without reporting a failing test counts as one.
layer() {
	local name=$1 t0 rc=0 p f fd tee_pid
	shift
	echo "=== $name"
	t0=$(date +%s)
	# Wait for this tee only: the background debug-kernel build is a child too.
	exec {fd}> >(tee "$out/$name.log")
	tee_pid=$!
	"$@" >&"$fd" 2>&1 || rc=$?
	exec {fd}>&-
	wait "$tee_pid"
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

. tests/tap.sh

# Compiler output that fails a build check.
WARNINGS='(warning|error):'

build_layer() {
	check "tools build (-Wall -Wextra -Werror)" make -s tools
	check "VM test programs build (-Wall -Wextra -Werror)" make -s vmtools
	check "make prof's QEMU plugin builds (-Wall -Wextra -Werror)" make -s build/bench/tcgprof.so
	# Touch the sources so a work tree that is already built shows its warnings.
	touch kmod/*.c
	check_silent "kipsec.ko builds without warnings" "$WARNINGS" make -s module
}

ike_host_layer() {
	# a layer subset may not have built kipsec-iked yet
	make -s tools && tests/ike/host_interop.sh
}

# A machine that has never built the debug kernel needs ~30 CPU-minutes for
# it (15 min of make -j2). The VM layers leave about half of the CPU idle
# (guests waiting on timers, peers and sleeps: 61 % of it over
# esp_interop, ike_lifetime and ike_dpd), so the build starts at once in the
# background at the lowest priority and takes what they leave; the
# debug-kernel layer then waits for it (debug-kernel.sh's lock) and finds
# it done. Measured on a fresh machine: the build (30 min at this priority)
# ended inside vm-stock, which took 30 min instead of 22 (the two vCPUs of
# this machine are not free when idle to us), so ~10 min saved in all.
# Its own session, so that an interrupted make check can stop the
# whole make tree; a new session is also a new scheduler autogroup
# (kernel.sched_autogroup_enabled), which competes with the others at its
# own nice value whatever its processes' are: set it to 19 too.
prebuild_pid=
prebuild_debug_kernel() {
	tests/vm/debug-kernel.sh --cached >/dev/null 2>&1 && return
	setsid bash -c '{ echo 19 > /proc/self/autogroup; } 2>/dev/null
		exec nice -n 19 ionice -c 3 tests/vm/debug-kernel.sh' \
		> "$out/debug-kernel-build.log" 2>&1 < /dev/null &
	prebuild_pid=$!
}

stop_prebuild() {
	[ -n "$prebuild_pid" ] && kill -0 "$prebuild_pid" 2>/dev/null &&
		kill -TERM -- "-$prebuild_pid" 2>/dev/null
	return 0
}

debug_layer() {
	if [ -n "$prebuild_pid" ]; then
		echo "# waiting for the background build (log: $out/debug-kernel-build.log)"
		wait "$prebuild_pid"
		sed 's/^/# /' "$out/debug-kernel-build.log"
		prebuild_pid=
	fi
	check "debug/KUnit kernel ready (built or cached)" tests/vm/debug-kernel.sh
	check_silent "kipsec.ko for the debug kernel builds without warnings" "$WARNINGS" \
		make -s module-debug
	check_silent "kipsec_kunit.ko builds without warnings" "$WARNINGS" make -s module-kunit
}

vm_layer() {	# kernel, extra in-VM scripts first
	local kernel=$1 rc=0 t tests=()
	shift
	for t in "${VM_TESTS[@]}"; do
		[ "$kernel" != stock ] && [[ $STOCK_ONLY == *[[:space:]]$t[[:space:]]* ]] && continue
		tests+=("$t")
	done
	# The VM runs the tools and the stock module from the work tree (a
	# layer subset may not have built them yet).
	make -s all vmtools 2>&1 | grep -v "Skipping BTF"
	# esp_interop.sh's captures, decoded on the host below (no stale ones).
	rm -rf "build/vm/esp_interop/$kernel"
	# The debug kernel is ~5x slower: a reduced interop matrix there.
	local interop=${KIPSEC_INTEROP:-default} ike_cases=${KIPSEC_IKE_CASES:-.}
	[ "$kernel" = stock ] || interop=${KIPSEC_INTEROP:-quick}
	# And two of its four pairs there: kipsec:kipsec runs kipsec's output
	# and input on both ends (each end also receives first), kipsec:xfrm
	# feeds it packets native xfrm made. xfrm:kipsec adds nothing for
	# KASAN or lockdep to see, and xfrm:xfrm is stock's control (~2 min).
	local pairs=${KIPSEC_INTEROP_PAIRS:-}
	[ "$kernel" = stock ] || pairs=${KIPSEC_INTEROP_PAIRS:-kipsec:kipsec kipsec:xfrm}
	# ike_interop.sh takes ~2.5 min on stock; on debug one case (~4 min),
	# the one whose capture decode.sh checks below.
	[ "$kernel" = stock ] || ike_cases=${KIPSEC_IKE_CASES:-iked_charon_pfs}
	# bundle.sh: ~90 s a case on debug; there one transport and one tunnel case.
	local bundle=${KIPSEC_BUNDLE_FILTER:-.}
	[ "$kernel" = stock ] || bundle=${KIPSEC_BUNDLE_FILTER:-^(transport v4|tunnel v6)$}
	# pmtu.sh: on debug one IPv4 case with the route copy and one IPv6
	# case with a configured route MTU.
	local pmtu=${KIPSEC_PMTU_FILTER:-.}
	[ "$kernel" = stock ] || pmtu=${KIPSEC_PMTU_FILTER:-'^(transport v4|tunnel v6 \(route mtu 1400\))$'}
	# esp_fuzz.sh: 2000 packets per SA on stock, 1000 on debug (~3 min).
	local esp_fuzz=${KIPSEC_ESP_FUZZ_N:-2000}
	[ "$kernel" = stock ] || esp_fuzz=${KIPSEC_ESP_FUZZ_N:-1000}
	# The limit leaves room for a loaded machine (the debug suite takes
	# ~30 min on an idle one).
	KIPSEC_ESP_FUZZ_N=$esp_fuzz KIPSEC_PMTU_FILTER=$pmtu KIPSEC_BUNDLE_FILTER=$bundle KIPSEC_IKE_CASES=$ike_cases \
		KIPSEC_INTEROP=$interop KIPSEC_INTEROP_PAIRS=$pairs tests/vm/run.sh --kernel "$kernel" --name "suite-$kernel" \
		--timeout 3600 -- tests/vm/suite.sh "$@" "${tests[@]}" || rc=$?
	# The harness fails a run whose console or dmesg shows a splat or leak,
	# even when every check inside passed: make that a test of its own.
	if [ "$rc" = 0 ]; then
		ok "$kernel kernel: no oops, WARN, KASAN, lockdep or leak report"
	else
		not_ok "$kernel kernel: run failed (exit $rc); see build/vm/suite-$kernel/"
	fi
	# What esp_interop.sh put on the wire, decrypted with tshark here on the
	# host (20 s to start in the VM, 0.4 s here): one line per case.
	tests/esp-decode.py "build/vm/esp_interop/$kernel"
	# kipsec-iked's exported keys against its capture, same way.
	tests/ike/decode.sh "build/vm/ike_interop/$kernel/iked_charon_pfs"
}

debug_vm_layer() {
	vm_layer debug tests/vm/t/kunit.sh
	tests/kunit-results.sh build/vm/kunit.ktap
}

trap stop_prebuild EXIT
trap 'exit 130' INT TERM
want debug-kernel && want vm-stock && prebuild_debug_kernel

want gen && layer gen check "generated API files match uapi/kipsec.yaml" python3 uapi/gen.py --check
want build && layer build build_layer
want style && layer style tests/style.sh
want unit && layer unit make -s unit
want fuzz && layer fuzz make -s fuzz
want ike-host && layer ike-host ike_host_layer
want vm-stock && layer vm-stock vm_layer stock
want debug-kernel && layer debug-kernel debug_layer
want vm-debug && layer vm-debug debug_vm_layer

echo
echo "=== summary (layer, tests, seconds)"
cat "$out/summary"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
