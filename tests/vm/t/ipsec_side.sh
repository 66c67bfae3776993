# SPDX-License-Identifier: GPL-2.0
# Sourced by esp_interop.sh (after lib.sh): one IPsec endpoint configured
# either with the kernel's own xfrm (ip xfrm) or with kipsec (the kipsec
# CLI), behind the same functions, so a test can swap either side.
#
#   alg_set NAME             sets ALG_* for one of ALGS
#   gen_keys                 sets KEYS: fresh random key material for ALG_*
#   side_install KIND NS MODE SA_LOCAL SA_REMOTE SEL_LOCAL SEL_REMOTE \
#                SPI_OUT SPI_IN KEYS_OUT KEYS_IN REQID
#                            replace NS's SAs and policies with one pair
#   side_flush KIND NS       remove them
#   side_stats KIND NS FILE [PID]      drop counters before traffic
#   side_counters KIND NS DIR [PID]    SA packet counters and drop counters
#                            after, into DIR/<ns>.sa and DIR/<ns>.stats
#   xfrm_sa_packets FILE SPI...        "SPI=N ..." from ip -s xfrm state
#   side_exec NS OUT CMD...  how commands run inside NS (overridable)
#
# Keys are hex strings: "KEY" for AEAD algorithms (key + 4-byte salt/nonce),
# "ENC:AUTH" otherwise (ENC empty for the null cipher and for AH).

# Every algorithm the interop matrix covers. Wireshark 4.0 has no
# ChaCha20-Poly1305 for ESP (WS_ENC empty): the host decoder checks that one
# itself.
ALGS=(aes-gcm-128 aes-gcm-256 chacha20-poly1305 aes-cbc-128-sha1 aes-cbc-256-sha256
	aes-cbc-128-sha384 aes-cbc-256-sha512 3des-cbc-sha1 null-sha256)
# AH (RFC 4302) with each integrity algorithm: ALG_PROTO=ah.
AH_ALGS=(ah-sha1 ah-sha256 ah-sha384 ah-sha512 ah-xcbc)

# alg_set NAME: ALG_PROTO (esp or ah), ALG_AEAD or ALG_ENC+ALG_AUTH (crypto
# API names; AH: ALG_AUTH only), key lengths in bytes, ALG_ICV in bytes, and
# the names Wireshark's esp_sa table uses.
alg_set() {
	ALG_NAME=$1 ALG_AEAD= ALG_ENC= ALG_AUTH= ALG_AEAD_LEN=0 ALG_ENC_LEN=0 ALG_AUTH_LEN=0
	ALG_ICV=16 WS_ENC= WS_AUTH=NULL ALG_PROTO=esp
	case $1 in
	ah-sha1) ALG_PROTO=ah ALG_AUTH='hmac(sha1)' ALG_AUTH_LEN=20 ALG_ICV=12 ;;
	ah-sha256) ALG_PROTO=ah ALG_AUTH='hmac(sha256)' ALG_AUTH_LEN=32 ALG_ICV=16 ;;
	ah-sha384) ALG_PROTO=ah ALG_AUTH='hmac(sha384)' ALG_AUTH_LEN=48 ALG_ICV=24 ;;
	ah-sha512) ALG_PROTO=ah ALG_AUTH='hmac(sha512)' ALG_AUTH_LEN=64 ALG_ICV=32 ;;
	ah-xcbc) ALG_PROTO=ah ALG_AUTH='xcbc(aes)' ALG_AUTH_LEN=16 ALG_ICV=12 ;;
	aes-gcm-128) ALG_AEAD='rfc4106(gcm(aes))' ALG_AEAD_LEN=20
		WS_ENC='AES-GCM with 16 octet ICV [RFC4106]' ;;
	aes-gcm-256) ALG_AEAD='rfc4106(gcm(aes))' ALG_AEAD_LEN=36
		WS_ENC='AES-GCM with 16 octet ICV [RFC4106]' ;;
	chacha20-poly1305) ALG_AEAD='rfc7539esp(chacha20,poly1305)' ALG_AEAD_LEN=36
		WS_ENC= ;;  # Wireshark 4.0 has none (4.2+ only RFC 8750's implicit IV)
	aes-cbc-128-sha1) ALG_ENC='cbc(aes)' ALG_ENC_LEN=16 ALG_AUTH='hmac(sha1)'
		ALG_AUTH_LEN=20 ALG_ICV=12 WS_ENC='AES-CBC [RFC3602]' WS_AUTH='HMAC-SHA-1-96 [RFC2404]' ;;
	aes-cbc-256-sha256) ALG_ENC='cbc(aes)' ALG_ENC_LEN=32 ALG_AUTH='hmac(sha256)'
		ALG_AUTH_LEN=32 ALG_ICV=16 WS_ENC='AES-CBC [RFC3602]' WS_AUTH='HMAC-SHA-256-128 [RFC4868]' ;;
	aes-cbc-128-sha384) ALG_ENC='cbc(aes)' ALG_ENC_LEN=16 ALG_AUTH='hmac(sha384)'
		ALG_AUTH_LEN=48 ALG_ICV=24 WS_ENC='AES-CBC [RFC3602]' WS_AUTH='HMAC-SHA-384-192 [RFC4868]' ;;
	aes-cbc-256-sha512) ALG_ENC='cbc(aes)' ALG_ENC_LEN=32 ALG_AUTH='hmac(sha512)'
		ALG_AUTH_LEN=64 ALG_ICV=32 WS_ENC='AES-CBC [RFC3602]' WS_AUTH='HMAC-SHA-512-256 [RFC4868]' ;;
	3des-cbc-sha1) ALG_ENC='cbc(des3_ede)' ALG_ENC_LEN=24 ALG_AUTH='hmac(sha1)'
		ALG_AUTH_LEN=20 ALG_ICV=12 WS_ENC='TripleDES-CBC [RFC2451]' WS_AUTH='HMAC-SHA-1-96 [RFC2404]' ;;
	null-sha256) ALG_ENC='ecb(cipher_null)' ALG_ENC_LEN=0 ALG_AUTH='hmac(sha256)'
		ALG_AUTH_LEN=32 ALG_ICV=16 WS_ENC='NULL' WS_AUTH='HMAC-SHA-256-128 [RFC4868]' ;;
	*) echo "ipsec_side.sh: unknown algorithm $1" >&2; return 1 ;;
	esac
}

# randhex N: N random bytes as hex into RANDHEX (bash's $SRANDOM comes from
# getrandom(2); no process is started, which counts under emulation).
randhex() {
	local n=$(($1 * 2)) w
	RANDHEX=
	while [ "${#RANDHEX}" -lt "$n" ]; do
		printf -v w '%08x' "$SRANDOM"
		RANDHEX+=$w
	done
	RANDHEX=${RANDHEX:0:n}
}

# gen_keys: a fresh key string for the current algorithm into KEYS.
gen_keys() {
	local e
	if [ -n "$ALG_AEAD" ]; then
		randhex "$ALG_AEAD_LEN"
		KEYS=$RANDHEX
	else
		randhex "$ALG_ENC_LEN"
		e=$RANDHEX
		randhex "$ALG_AUTH_LEN"
		KEYS=$e:$RANDHEX
	fi
}

# xfrm_alg KEYS: the algorithm part of "ip xfrm state add" (ICV in bits).
xfrm_alg() {
	if [ "$ALG_PROTO" = ah ]; then
		echo "auth-trunc '$ALG_AUTH' 0x${1#*:} $((ALG_ICV * 8))"
	elif [ -n "$ALG_AEAD" ]; then
		echo "aead '$ALG_AEAD' 0x$1 $((ALG_ICV * 8))"
	else
		local enc=${1%%:*} auth=${1#*:}
		# The null cipher takes an empty key: "" (ip -batch keeps it).
		[ -n "$enc" ] && enc=0x$enc || enc='""'
		echo "enc '$ALG_ENC' $enc auth-trunc '$ALG_AUTH' 0x$auth $((ALG_ICV * 8))"
	fi
}

# kipsec_alg: the algorithm part of "kipsec sa add" (ICV in bytes).
kipsec_alg() {
	if [ "$ALG_PROTO" = ah ]; then
		echo "auth '$ALG_AUTH' icv $ALG_ICV"
	elif [ -n "$ALG_AEAD" ]; then
		echo "aead '$ALG_AEAD' icv $ALG_ICV"
	else
		echo "enc '$ALG_ENC' auth '$ALG_AUTH' icv $ALG_ICV"
	fi
}

# kipsec_keyfile KEYS FILE: the CLI's key file ("aead HEX" or "enc HEX" +
# "auth HEX"; the null cipher has no enc line).
kipsec_keyfile() {
	if [ -n "$ALG_AEAD" ]; then
		printf 'aead %s\n' "$1" >"$2"
	else
		local enc=${1%%:*} auth=${1#*:}
		{
			[ -z "$enc" ] || printf 'enc %s\n' "$enc"
			printf 'auth %s\n' "$auth"
		} >"$2"
	fi
}

# Where side scripts and key files go (tmpfs in the VM, never the repo).
SIDE_TMP=${SIDE_TMP:-/tmp/ipsec_side.$$}
mkdir -p "$SIDE_TMP"
chmod 700 "$SIDE_TMP"

# side_cleanup: the exit trap of the tests built on this file: captures and
# agents stopped, namespaces L and R, the module and SIDE_TMP gone.
side_cleanup() {
	[ -n "${CAPTURE_PIDS:-}" ] && kill $CAPTURE_PIDS 2>/dev/null
	[ -n "${AGENT_PIDS:-}" ] && kill $AGENT_PIDS 2>/dev/null
	ip netns del "$L" 2>/dev/null
	ip netns del "$R" 2>/dev/null
	rmmod kipsec 2>/dev/null
	rm -rf "$SIDE_TMP"
}

# slurp FILE: its contents into SLURP, without starting a process (each
# start costs 0.1-1 s under emulation).
slurp() {
	SLURP=
	IFS= read -r -d '' SLURP <"$1"
}

# copy_file FROM TO, the same way.
copy_file() {
	slurp "$1"
	printf '%s' "$SLURP" >"$2"
}

# side_exec NS OUT CMD...: CMD inside NS, its output into OUT; CMD's words
# must not contain spaces. Plain "ip netns exec" here; a test that keeps an
# agent process in each namespace overrides it (no namespace switch, no
# mount namespace set-up per command: ~0.5 s less each under emulation).
side_exec() {
	local n=$1 out=$2
	shift 2
	ip netns exec "$n" "$@" >"$out" 2>&1
}

# side_install KIND NS MODE SA_LOCAL SA_REMOTE SEL_LOCAL SEL_REMOTE SPI_OUT
#              SPI_IN KEYS_OUT KEYS_IN REQID
# Replaces what NS has with one SA pair and an out + in policy. Tunnel mode:
# the SAs between SA_LOCAL and SA_REMOTE, policies for the SEL_ prefixes;
# transport mode: the same with the templates naming no addresses. Prints
# the commands' output on failure. Takes kipsec's drop counters right after.
side_install() {
	local kind=$1 n=$2 mode=$3 lo=$4 re=$5 lsel=$6 rsel=$7 spi_out=$8 spi_in=$9
	local key_out=${10} key_in=${11} reqid=${12} tmpl_out= tmpl_in= f=$SIDE_TMP/$n
	if [ "$mode" = tunnel ]; then
		tmpl_out="src $lo dst $re" tmpl_in="src $re dst $lo"
	fi
	case $kind in
	xfrm)
		# One ip process per side and case. The selector on the SA: without
		# one, ip gives it the outer family's 0/0 and an inner flow of the
		# other family finds no SA.
		cat >"$f.install" <<-EOF
		xfrm state flush
		xfrm policy flush
		xfrm state add src $lo dst $re proto $ALG_PROTO spi $spi_out reqid $reqid mode $mode replay-window 64 $(xfrm_alg "$key_out") sel src $lsel dst $rsel
		xfrm state add src $re dst $lo proto $ALG_PROTO spi $spi_in reqid $reqid mode $mode replay-window 64 $(xfrm_alg "$key_in") sel src $rsel dst $lsel
		xfrm policy add src $lsel dst $rsel dir out tmpl $tmpl_out proto $ALG_PROTO reqid $reqid mode $mode
		xfrm policy add src $rsel dst $lsel dir in tmpl $tmpl_in proto $ALG_PROTO reqid $reqid mode $mode
		EOF
		side_exec "$n" "$f.log" ip -batch "$f.install" || { cat "$f.log"; return 1; }
		;;
	kipsec)
		kipsec_keyfile "$key_out" "$f.out.keys"
		kipsec_keyfile "$key_in" "$f.in.keys"
		# Path MTUs learned in a previous case must not shape this one.
		cat >"$f.install" <<-EOF
		set -e
		K=$KIPSEC
		trap 'echo "failed: \$BASH_COMMAND" >&2' ERR
		ip route flush cache
		ip -6 route flush cache
		\$K sa flush
		\$K policy flush
		\$K sa add src $lo dst $re spi $spi_out proto $ALG_PROTO mode $mode reqid $reqid $(kipsec_alg) keys $f.out.keys replay-window 1024
		\$K sa add src $re dst $lo spi $spi_in proto $ALG_PROTO mode $mode reqid $reqid $(kipsec_alg) keys $f.in.keys replay-window 1024
		\$K policy add dir out src $lsel dst $rsel action protect tmpl proto $ALG_PROTO mode $mode reqid $reqid $tmpl_out
		\$K policy add dir in src $rsel dst $lsel action protect tmpl proto $ALG_PROTO mode $mode reqid $reqid $tmpl_in
		\$K -j stats >$f.stats-before
		EOF
		side_exec "$n" "$f.log" bash "$f.install" || { cat "$f.log"; return 1; }
		;;
	*) echo "side_install: unknown kind $kind"; return 1 ;;
	esac
}

side_flush() {
	local kind=$1 n=$2 f=$SIDE_TMP/$2
	case $kind in
	xfrm)
		printf 'xfrm state flush\nxfrm policy flush\n' >"$f.flush"
		side_exec "$n" "$f.log" ip -batch "$f.flush"
		;;
	kipsec)
		printf '%s sa flush && %s policy flush\n' "$KIPSEC" "$KIPSEC" >"$f.flush"
		side_exec "$n" "$f.log" bash "$f.flush"
		;;
	esac
}

# xfrm_stat PID FILE: the xfrm drop counters of PID's namespace into FILE;
# empty where the kernel has none (the debug kernel is built without
# CONFIG_XFRM_STATISTICS: native xfrm's drops are then not compared).
xfrm_stat() {
	if [ -e "/proc/$1/net/xfrm_stat" ]; then
		copy_file "/proc/$1/net/xfrm_stat" "$2"
	else
		: >"$2"
	fi
}

# side_counters KIND NS DIR [PID]: NS's SA list with counters into DIR/NS.sa
# and its drop counters into DIR/NS.stats (kipsec: "kipsec -j stats";
# xfrm: /proc/net/xfrm_stat, read through PID, a process in NS).
side_counters() {
	local kind=$1 n=$2 d=$3 pid=${4:-}
	case $kind in
	xfrm)
		side_exec "$n" "$d/$n.sa" ip -s xfrm state
		[ -z "$pid" ] || xfrm_stat "$pid" "$d/$n.stats"
		;;
	kipsec)
		printf '%s -j sa show >%s 2>&1; %s -j stats >%s 2>&1\n' \
			"$KIPSEC" "$d/$n.sa" "$KIPSEC" "$d/$n.stats" >"$SIDE_TMP/$n.counters"
		side_exec "$n" "$SIDE_TMP/$n.log" bash "$SIDE_TMP/$n.counters"
		;;
	esac
}

# side_stats KIND NS FILE [PID]: only the drop counters, before traffic
# (side_install took kipsec's already).
side_stats() {
	local kind=$1 n=$2 f=$3 pid=${4:-}
	case $kind in
	xfrm) [ -z "$pid" ] || xfrm_stat "$pid" "$f" ;;
	kipsec) copy_file "$SIDE_TMP/$n.stats-before" "$f" ;;
	esac
}

# xfrm_sa_packets FILE SPI...: packet counters from "ip -s xfrm state".
xfrm_sa_packets() {
	local f=$1 spi line cur= out= want
	shift
	declare -A pk=()
	while IFS= read -r line; do
		if [[ $line =~ proto\ (esp|ah)\ spi\ (0x[0-9a-f]+) ]]; then
			cur=$((BASH_REMATCH[2]))
		elif [[ -n $cur && $line =~ \(bytes\),\ ([0-9]+)\(packets\) ]]; then
			pk[$cur]=${BASH_REMATCH[1]}
			cur=
		fi
	done <"$f"
	for spi in "$@"; do
		want=$((spi))
		out+="$spi=${pk[$want]:--1} "
	done
	echo "${out% }"
}
