#!/bin/sh
# PID 1 of the kipsec test VM (packed as /init into the initramfs by run.sh).
#
# Stage 1 (busybox, in the initramfs): load the few modules the stock kernel
# needs, mount the host's root read-only over 9p with a tmpfs overlay on top,
# then switch_root into it.
# Stage 2 (same busybox, copied to /run/kipsec-vm): mount the repo share
# writable at its host path, bind the kernel's modules over /lib/modules, run
# the command, check kmemleak, record the exit status, power off.
#
# Parameters come from the kernel command line (kipsecvm.*=); the command
# itself is a script in the run dir so no quoting survives the cmdline.
# Everything here must stay POSIX sh for busybox.

log() { echo "kipsec-vm: $*"; }

# Without a status file the host reports a failure; powering off is better
# than hanging until the timeout.
die() {
	log "FATAL: $*"
	sync
	poweroff -f
	sleep 5
	echo o >/proc/sysrq-trigger 2>/dev/null
	while :; do sleep 60; done
}

params() {
	repo= run= kernel= modules=
	for w in $(cat /proc/cmdline); do
		case $w in
		kipsecvm.repo=*) repo=${w#*=} ;;
		kipsecvm.run=*) run=${w#*=} ;;
		kipsecvm.kernel=*) kernel=${w#*=} ;;
		kipsecvm.modules=*) modules=${w#*=} ;;
		esac
	done
	[ -n "$repo" ] && [ -n "$run" ] && [ -n "$kernel" ] ||
		die "missing kipsecvm.repo/run/kernel on the kernel command line"
}

stage1() {
	PATH=/bin
	export PATH
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	exec </dev/console >/dev/console 2>&1
	params

	# Only the stock kernel needs any; the order file is dependency-sorted.
	if [ -f /modules/order ]; then
		while read -r m; do
			insmod "/modules/$m" || die "insmod $m failed"
		done </modules/order
	fi

	mkdir -p /lower /ovl /newroot
	mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=524288,cache=loose hostroot /lower ||
		die "cannot mount the host root (9p tag hostroot)"
	# tmpfs upper: the tests may write anywhere without touching the host.
	mount -t tmpfs -o mode=755 tmpfs /ovl
	mkdir /ovl/upper /ovl/work
	mount -t overlay overlay -o lowerdir=/lower,upperdir=/ovl/upper,workdir=/ovl/work /newroot ||
		die "cannot mount the overlay root"
	for d in proc sys dev; do
		mount --move "/$d" "/newroot/$d" || die "cannot move /$d"
	done
	mount -t tmpfs -o mode=1777 tmpfs /newroot/tmp
	mount -t tmpfs -o mode=755 tmpfs /newroot/run
	mkdir /newroot/run/kipsec-vm
	cp /bin/busybox /init /newroot/run/kipsec-vm/ || die "cannot copy stage 2"
	exec switch_root /newroot /run/kipsec-vm/busybox sh /run/kipsec-vm/init stage2
	die "switch_root failed"
}

# kmemleak only reports objects that were already at least 5 s old when a
# scan started and whose contents did not change since the previous scan:
# scan, make sure 5 s have passed (a scan takes ~20 s under KASAN+TCG, so
# usually they have), scan again.
kmemleak_check() {
	kl=/sys/kernel/debug/kmemleak
	[ -e "$kl" ] || return 0
	t0=$(date +%s)
	# A leak check that could not run must not read as "no leaks".
	if ! echo scan >"$kl" 2>/dev/null; then
		log "kmemleak present but scan refused: it disabled itself (see dmesg)"
		echo "kmemleak refused to scan: it disabled itself, leaks unchecked" >"$run/kmemleak.log"
		return 1
	fi
	pause=$((t0 + 6 - $(date +%s)))
	[ "$pause" -le 0 ] || sleep "$pause"
	echo scan >"$kl"
	cat "$kl" >/run/kipsec-vm/kmemleak
	[ -s /run/kipsec-vm/kmemleak ] || return 0
	log "kmemleak reports leaks:"
	cat /run/kipsec-vm/kmemleak
	cp /run/kipsec-vm/kmemleak "$run/kmemleak.log"
	return 1
}

stage2() {
	bb=/run/kipsec-vm/busybox
	# Our own tools come from busybox; the command gets the host's.
	PATH=/run/kipsec-vm/bin
	export PATH
	$bb mkdir -p "$PATH"
	for a in mount mkdir cat cp date sleep sync poweroff hostname ip grep dmesg env; do
		$bb ln -sf ../busybox "$PATH/$a"
	done

	params
	mkdir -p /dev/pts /dev/shm
	mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
	mount -t tmpfs -o mode=1777 tmpfs /dev/shm
	if grep -qw debugfs /proc/filesystems; then
		mount -t debugfs debugfs /sys/kernel/debug
	fi
	# A checkout under /tmp or /run sits on the VM's own tmpfs there, where
	# its directory does not exist yet. cache=mmap: writes reach the host
	# at once, so logs survive a panic.
	mkdir -p "$repo"
	mount -t 9p -o trans=virtio,version=9p2000.L,msize=524288,cache=mmap repo "$repo" ||
		die "cannot mount the repo share at $repo"
	if [ -n "$modules" ]; then
		[ -d "$modules" ] || die "modules dir $modules missing"
		mkdir -p /lib/modules
		mount --bind "$modules" /lib/modules || die "cannot bind $modules over /lib/modules"
	fi
	hostname kipsec-vm
	ip link set lo up
	# Boot ran "quiet"; from now on let warnings (WARN, lockdep) reach the
	# console so the host sees them even if the VM dies afterwards.
	echo 5 >/proc/sys/kernel/printk

	cd "$repo" || die "cannot cd to $repo"
	env -i \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root TERM=dumb LANG=C.UTF-8 \
		KIPSEC_KERNEL="$kernel" KIPSEC_VM_RUN="$run" \
		/bin/bash "$run/cmd.sh" </dev/null >"$run/output.log" 2>&1
	rc=$?
	log "command exited with status $rc"

	if ! kmemleak_check && [ "$rc" = 0 ]; then
		rc=1
	fi
	dmesg >"$run/dmesg.log" 2>/dev/null
	echo "$rc" >"$run/status"
	sync
	poweroff -f
	die "poweroff failed"
}

case "${1:-}" in
stage2) stage2 ;;
*) stage1 ;;
esac
