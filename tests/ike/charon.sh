# SPDX-License-Identifier: GPL-2.0
# Sourced: run strongSwan's charon in a network namespace with its own /run,
# configuration and log, driven through swanctl. Used by the VM tests
# (kernel-netlink: native xfrm) and by tests/ike/vectors.sh on the host
# (kernel-libipsec: userspace ESP, since the host kernel has no ESP).
#
# charon_start NS DIR KERNEL_PLUGIN: DIR holds swanctl.conf; the log goes to
# DIR/charon.log: ike and chd at CHARON_IKE_LEVEL (default 1; 4 logs the
# keys, test keys only), enc at CHARON_ENC_LEVEL (default 1). DIR must be on
# a file system that takes unix sockets (not 9p).
charon_start() {
	local n=$1 d=$2 kplug=$3
	# a previous charon's pid file and socket would stop or fool this one
	rm -rf "$d/run"
	mkdir -p "$d/run"
	cat >"$d/strongswan.conf" <<EOC
charon {
	load = random nonce openssl pem pkcs1 hmac sha1 sha2 aes curve25519 gmp kdf $kplug socket-default vici
	install_routes = no
	i_dont_care_about_security_and_use_aggressive_mode_psk = ${CHARON_AGGRESSIVE:-no}
	retransmit_tries = 3
	filelog {
		log {
			path = $d/charon.log
			default = 1
			ike = ${CHARON_IKE_LEVEL:-1}
			chd = ${CHARON_IKE_LEVEL:-1}
			enc = ${CHARON_ENC_LEVEL:-1}
			flush_line = yes
		}
	}
	plugins {
		vici {
			socket = unix://$d/run/charon.vici
		}
	}
}
swanctl {
	load = pem pkcs1 x509 revocation constraints pubkey openssl random
}
EOC
	ip netns exec "$n" unshare -m --propagation private sh -c \
		"mount --bind $d/run /run && STRONGSWAN_CONF=$d/strongswan.conf exec /usr/lib/ipsec/charon" \
		>"$d/charon.out" 2>&1 &
	CHARON_PIDS="${CHARON_PIDS:-} $!"
	local i
	for ((i = 0; i < 200; i++)); do
		[ -S "$d/run/charon.vici" ] && break
		sleep 0.1
	done
	[ -S "$d/run/charon.vici" ] || return 1
	STRONGSWAN_CONF=$d/strongswan.conf swanctl --load-all --uri "unix://$d/run/charon.vici" \
		--file "$d/swanctl.conf" >"$d/load.log" 2>&1
}

# swan DIR COMMAND ARGS...: swanctl against the charon of DIR.
swan() {
	local d=$1
	local cmd=$2
	shift 2
	STRONGSWAN_CONF=$d/strongswan.conf swanctl "$cmd" --uri "unix://$d/run/charon.vici" "$@"
}

# charon_conf FILE NAME LOCAL REMOTE LOCAL_TS REMOTE_TS MODE IKE ESP [START]
# writes a swanctl.conf for one IKEv1 PSK connection, ids = the addresses.
# CHARON_AGGRESSIVE=yes (for charon_conf and charon_start) uses and accepts
# Aggressive Mode. CHARON_CHILD_EXTRA: more lines for the child section
# (life_time, life_bytes, ...).
charon_conf() {
	local f=$1 name=$2 l=$3 r=$4 lts=$5 rts=$6 mode=$7 ike=$8 esp=$9 start=${10:-none}
	cat >"$f" <<EOC
connections {
	$name {
		version = 1
		local_addrs = $l
		remote_addrs = $r
		proposals = $ike
		encap = no
		mobike = no
		aggressive = ${CHARON_AGGRESSIVE:-no}
		local { auth = psk
			id = $l }
		remote { auth = psk
			id = $r }
		children {
			$name {
				local_ts = $lts
				remote_ts = $rts
				mode = $mode
				esp_proposals = $esp
				start_action = $start
				${CHARON_CHILD_EXTRA:-}
			}
		}
	}
}
secrets {
	ike-$name {
		id-a = $l
		id-b = $r
		secret = "kipsec test psk 0123456789"
	}
}
EOC
}

# charon_done NS DIR KEEP: stop the charons started here, keep DIR's log,
# load log and configuration in KEEP, empty NS's xfrm for the next case.
charon_done() {
	kill ${CHARON_PIDS:-} 2>/dev/null
	wait ${CHARON_PIDS:-} 2>/dev/null
	CHARON_PIDS=
	cp "$2/charon.log" "$2/load.log" "$2/swanctl.conf" "$3/" 2>/dev/null
	ip -n "$1" xfrm state flush
	ip -n "$1" xfrm policy flush
}
