#!/bin/bash
# Install every Debian package kipsec's build, demo and tests need.
# Idempotent and quick when all are present: apt runs only for what's missing.
set -euo pipefail

pkgs=(
	# build: module against Debian's headers (their .kernelvariables says gcc-12)
	make gcc gcc-12 perl linux-headers-amd64 libmnl-dev libssl-dev libpcap-dev pkg-config
	# code generation and style checks
	python3 python3-yaml sparse
	# fuzzers (tests/fuzz/): clang's libFuzzer, llvm-symbolizer for reports
	clang libclang-rt-14-dev llvm-14
	# debug/KUnit kernel from Debian's source
	linux-source flex bison libelf-dev bc xz-utils
	# VM tests: QEMU TCG, busybox initramfs, tools used inside the VM
	qemu-system-x86 busybox-static kmod iproute2 tcpdump
	# attack tests: replaying and forging ESP packets
	python3-scapy
	# benchmark (make bench)
	iperf3
	# ESP interop captures decrypted on the host (ChaCha20-Poly1305, which
	# tshark 4.0 lacks, with python3-cryptography)
	tshark python3-cryptography
	# IKE interop peer (kipsec-iked against charon, in the VM)
	strongswan-charon strongswan-swanctl libcharon-extra-plugins
	libstrongswan-standard-plugins libstrongswan-extra-plugins
	# ESP-in-UDP through a NAT (natt.sh: masquerade in a middle namespace)
	nftables
	# Libreswan's libraries (Libreswan itself conflicts with strongSwan: its
	# .deb is unpacked below, for ike_libreswan.sh in the VM)
	libnss3-tools libldns3 libevent-core-2.1-7 libevent-pthreads-2.1-7 libcurl3-nss
	libunbound8 libldap-2.5-0 libnss3 libnspr4 libaudit1 libcap-ng0 libpam0g
	# the offline attack on Aggressive Mode with a PSK (ike_libreswan.sh)
	ike-scan
)

# unpack_libreswan: Libreswan's .deb from the mirror, unpacked (not
# installed) into /var/cache/kipsec/libreswan; tests/ike/pluto.sh uses it.
unpack_libreswan() {
	local dest=/var/cache/kipsec/libreswan tmp
	[ -x "$dest/usr/libexec/ipsec/pluto" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "install-deps: need root to unpack Libreswan into $dest" >&2
		return 1
	fi
	echo "install-deps: unpacking Libreswan into $dest" >&2
	tmp=$(mktemp -d)
	fetch() { (cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root libreswan); }
	fetch || { apt-get update -qq && fetch; } || { rm -rf "$tmp"; return 1; }
	rm -rf "$dest.new" && mkdir -p "$dest.new" &&
	dpkg-deb -x "$tmp"/libreswan_*.deb "$dest.new" &&
	rm -rf "$dest" && mv "$dest.new" "$dest"
	local rc=$?
	rm -rf "$tmp"
	return $rc
}

missing=()
for p in "${pkgs[@]}"; do
	# dpkg-query prints "install ok installed" only for fully installed packages
	if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
		missing+=("$p")
	fi
done
if [ "${#missing[@]}" -eq 0 ]; then
	unpack_libreswan
	exit
fi
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: need root to install: ${missing[*]}" >&2
	exit 1
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# wireshark-common (tshark) asks whether non-root users may capture: no, and
# never ask (captures are taken as root, inside the VM).
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
unpack_libreswan
