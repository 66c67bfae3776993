#!/bin/bash
# AH+ESP bundles (issue 4): kipsec in L, native xfrm (or kipsec: the
# "kipsec-kipsec" cases) in R, both configured with the same bundle, ESP
# inside and AH outside:
#
#   [L] lo 10.7.1.1 fd00:71::1                      [R] lo 10.7.2.1 fd00:72::1
#       vl 192.168.60.1 fd00:60::1 ===== veth ===== vr 192.168.60.2 fd00:60::2
#
#   transport: ESP transport + AH transport between the inner hosts;
#   tunnel:    ESP tunnel between the veth addresses (policies for the inner
#              prefixes) + AH transport between the same gateways,
# each for IPv4 and IPv6, and the tunnel for IPv6 inside IPv4 (v6in4) and
# IPv4 inside IPv6 (v4in6), where AH protects the outer family. Per case: pings both ways (kipsec sends and
# receives), TCP and UDP both ways, the four SAs' packet counters equal on
# both sides (ESP and AH alike), no kipsec drop counter rising, and every
# packet either side sent between the SA endpoints is IP -> AH -> ESP on the
# wire (tcpdump). Then R's out policy is cut down to ESP only (and, in
# transport mode, to AH only): L must drop those pings and count them in
# in-bundle-incomplete. Also `kipsec policy show` lists both templates.
# On the stock kernel transport and tunnel v4 run once more with every
# layer asynchronous (force_async).
#
# Cases (names): transport v4, tunnel v4, transport v6, tunnel v6, tunnel
# v6in4, tunnel v4in6; transport v4 async, tunnel v4 async; against kipsec
# in R: transport v4 kipsec, tunnel v6 kipsec, tunnel v4in6 kipsec.
# KIPSEC_BUNDLE_FILTER: extended regex on the case names ("^tunnel v6$",
# "transport v4 async", ...) to run only some (each takes 15-30 s on the
# stock kernel under TCG, ~90 s on the debug kernel).
. "$(dirname "$0")/lib.sh"
T=$REPO/tests/vm/t
. "$T/ipsec_side.sh"

L=$(ns bL)
R=$(ns bR)
OUT=$REPO/build/vm/bundle/$KIPSEC_KERNEL
W=$SIDE_TMP
PORT=5001
AGENT_PIDS=

trap side_cleanup EXIT
rm -rf "$OUT"
mkdir -p "$OUT"

check "load kipsec" kipsec_load
for m in xfrm_user esp4 esp6 ah4 ah6 xfrm4_tunnel xfrm6_tunnel tunnel4 tunnel6; do
	modprobe -q "$m" 2>/dev/null
done

setup_ns() { netns_pair "$L" "$R" 192.168.60 fd00:60 10.7 fd00:7; }
check "two namespaces joined by a veth, inner hosts routed via the peer" setup_ns

# One agent per namespace (esp_traffic.py), serving TCP and UDP on PORT:
# the cases then start no Python and no "ip netns exec".
. "$T/agent.sh"
# Started here, not under check: its $(...) would keep the fds to itself.
start_agent "$L" --serve "$PORT"
start_agent "$R" --serve "$PORT"
agents() {
	agent "$L" hello && [ "$REPLY" = hello ] &&
	agent "$R" hello && [ "$REPLY" = hello ]
}
check "traffic agents in both namespaces" agents

# Both sides send on the veth: one capture each for the whole test.
capture "$L" vl "$OUT/left.pcap"
capture "$R" vr "$OUT/right.pcap"

# --- one case ---------------------------------------------------------------------
# case_vars MODE FAM K [async|kipsec]: addresses and SPIs (unique per case K,
# for the capture); FAM v4, v6, v6in4 or v4in6 (inner in outer); PEER, what
# R runs: xfrm, or kipsec for a "kipsec" case.
case_vars() {
	MODE=$1 FAM=$2 K=$3 PEER=xfrm
	[ "${4:-}" = kipsec ] && PEER=kipsec
	case $FAM in
	v4 | v4in6) HL=10.7.1.1 HR=10.7.2.1 PLEN=32 NL=10.7.1.0/24 NR=10.7.2.0/24 ;;
	*) HL=fd00:71::1 HR=fd00:72::1 PLEN=128 NL=fd00:71::/64 NR=fd00:72::/64 ;;
	esac
	case $FAM in
	v4 | v6in4) GL=192.168.60.1 GR=192.168.60.2 BPF_NOT=arp ;;
	*) GL=fd00:60::1 GR=fd00:60::2 BPF_NOT=icmp6 ;;
	esac
	if [ "$MODE" = tunnel ]; then
		SL=$GL SR=$GR SELL=$NL SELR=$NR
		TMPL_LR="src $GL dst $GR" TMPL_RL="src $GR dst $GL"
	else
		SL=$HL SR=$HR SELL=$HL/$PLEN SELR=$HR/$PLEN TMPL_LR= TMPL_RL=
	fi
	# ESP and AH, left to right and right to left.
	printf -v ESP_LR '0x%08x' $((0x7000 + K * 0x100 + 1))
	printf -v AH_LR '0x%08x' $((0x7000 + K * 0x100 + 2))
	printf -v ESP_RL '0x%08x' $((0x7000 + K * 0x100 + 3))
	printf -v AH_RL '0x%08x' $((0x7000 + K * 0x100 + 4))
	REQ_ESP=$((70 + K * 2)) REQ_AH=$((71 + K * 2))
}

# R's out policy with templates $@ ("esp", "ah" or both, innermost first).
xfrm_out_policy() {
	local t tmpl=
	for t in "$@"; do
		case $t in
		esp) tmpl+=" tmpl $TMPL_RL proto esp reqid $REQ_ESP mode $MODE" ;;
		ah) tmpl+=" tmpl $TMPL_RL proto ah reqid $REQ_AH mode transport" ;;
		esac
	done
	echo "xfrm policy update src $SELR dst $SELL dir out$tmpl"
}

install() {
	local f=$W/case$K
	alg_set aes-gcm-128 && gen_keys && ESP_K1=$KEYS && gen_keys && ESP_K2=$KEYS &&
	ESP_X1=$(xfrm_alg "$ESP_K1") && ESP_X2=$(xfrm_alg "$ESP_K2") && ESP_A=$(kipsec_alg) &&
	kipsec_keyfile "$ESP_K1" "$f.esp1.keys" && kipsec_keyfile "$ESP_K2" "$f.esp2.keys" &&
	alg_set ah-sha256 && gen_keys && AH_K1=$KEYS && gen_keys && AH_K2=$KEYS &&
	AH_X1=$(xfrm_alg "$AH_K1") && AH_X2=$(xfrm_alg "$AH_K2") && AH_A=$(kipsec_alg) &&
	kipsec_keyfile "$AH_K1" "$f.ah1.keys" && kipsec_keyfile "$AH_K2" "$f.ah2.keys" || return 1
	# Native: the same bundle, innermost template first. Replay windows
	# of 32: native's cap without ESN. For 6in4 and 4in6 native needs
	# the families spelled out: an SA without a selector gets one of its
	# own family, which never matches the inner flow (ESP: the inner
	# selector; AH, in transport mode, may not have another family's:
	# af-unspec), and AH's template names the tunnel's endpoints (one
	# without addresses takes the policy's family, not the AH SAs').
	cat >"$f.xfrm" <<-EOF
	xfrm state flush
	xfrm policy flush
	xfrm state add src $SL dst $SR proto esp spi $ESP_LR reqid $REQ_ESP mode $MODE replay-window 32 $ESP_X1 sel src $SELL dst $SELR
	xfrm state add src $SL dst $SR proto ah spi $AH_LR reqid $REQ_AH mode transport replay-window 32 $AH_X1 flag af-unspec
	xfrm state add src $SR dst $SL proto esp spi $ESP_RL reqid $REQ_ESP mode $MODE replay-window 32 $ESP_X2 sel src $SELR dst $SELL
	xfrm state add src $SR dst $SL proto ah spi $AH_RL reqid $REQ_AH mode transport replay-window 32 $AH_X2 flag af-unspec
	xfrm policy add src $SELR dst $SELL dir out tmpl $TMPL_RL proto esp reqid $REQ_ESP mode $MODE tmpl $TMPL_RL proto ah reqid $REQ_AH mode transport
	xfrm policy add src $SELL dst $SELR dir in tmpl $TMPL_LR proto esp reqid $REQ_ESP mode $MODE tmpl $TMPL_LR proto ah reqid $REQ_AH mode transport
	EOF
	# R runs one of the two: the other's policies would drop what the
	# first lets in (native's input policy check runs after kipsec's).
	if [ "$PEER" = xfrm ]; then
		side_exec "$R" "$f.flush.log" "$KIPSEC" policy flush &&
		side_exec "$R" "$f.xfrm.log" ip -batch "$f.xfrm" || { cat "$f.xfrm.log"; return 1; }
	else
		printf 'xfrm state flush\nxfrm policy flush\n' >"$f.xfrm-flush"
		side_exec "$R" "$f.flush.log" ip -batch "$f.xfrm-flush" &&
		kipsec_side "$R" "$f.R" "$SELR" "$SELL" "$TMPL_RL" "$TMPL_LR" || return 1
	fi
	kipsec_side "$L" "$f" "$SELL" "$SELR" "$TMPL_LR" "$TMPL_RL"
}

# kipsec_side NS F SEL_ME SEL_PEER TMPL_OUT TMPL_IN: NS's half of the bundle
# in kipsec (the same four SAs as native's), its policies in F.policy and
# F.policy.json, the out policy's index in F.out-index, drop counters in
# F.stats-before.
kipsec_side() {
	local n=$1 f=$2
	cat >"$f.kipsec" <<-EOF
	set -e
	K=$KIPSEC
	trap 'echo "failed: \$BASH_COMMAND" >&2' ERR
	\$K sa flush
	\$K policy flush
	\$K sa add src $SL dst $SR spi $ESP_LR proto esp mode $MODE reqid $REQ_ESP $ESP_A keys $W/case$K.esp1.keys replay-window 32
	\$K sa add src $SL dst $SR spi $AH_LR proto ah mode transport reqid $REQ_AH $AH_A keys $W/case$K.ah1.keys replay-window 32
	\$K sa add src $SR dst $SL spi $ESP_RL proto esp mode $MODE reqid $REQ_ESP $ESP_A keys $W/case$K.esp2.keys replay-window 32
	\$K sa add src $SR dst $SL spi $AH_RL proto ah mode transport reqid $REQ_AH $AH_A keys $W/case$K.ah2.keys replay-window 32
	\$K policy add dir out src $3 dst $4 action protect tmpl proto esp mode $MODE reqid $REQ_ESP $5 tmpl proto ah mode transport reqid $REQ_AH >$f.out-index
	\$K policy add dir in src $4 dst $3 action protect tmpl proto esp mode $MODE reqid $REQ_ESP $6 tmpl proto ah mode transport reqid $REQ_AH
	\$K policy show >$f.policy
	\$K -j policy show >$f.policy.json
	\$K -j stats >$f.stats-before
	EOF
	side_exec "$n" "$f.kipsec.log" bash "$f.kipsec" || { cat "$f.kipsec.log"; return 1; }
}

# kipsec_out_policy LAYERS...: R's (kipsec) out policy replaced by one with
# those templates ("esp", "ah" or both, innermost first).
kipsec_out_policy() {
	local f=$W/case$K.R t tmpl=
	for t in "$@"; do
		case $t in
		esp) tmpl+=" tmpl proto esp mode $MODE reqid $REQ_ESP $TMPL_RL" ;;
		ah) tmpl+=" tmpl proto ah mode transport reqid $REQ_AH" ;;
		esac
	done
	printf '%s policy del %s && %s policy add dir out src %s dst %s action protect%s >%s\n' \
		"$KIPSEC" "$(cat "$f.out-index")" "$KIPSEC" "$SELR" "$SELL" "$tmpl" "$f.out-index.new" \
		>"$f.partial"
	printf 'mv %s %s\n' "$f.out-index.new" "$f.out-index" >>"$f.partial"
	side_exec "$R" "$f.partial.log" bash "$f.partial" || { cat "$f.partial.log"; return 1; }
}

# r_out_policy LAYERS...: R's out policy (native or kipsec) with those templates.
r_out_policy() {
	if [ "$PEER" = kipsec ]; then
		kipsec_out_policy "$@"
		return
	fi
	xfrm_out_policy "$@" >"$W/case$K.partial"
	side_exec "$R" "$W/case$K.partial.log" ip -batch "$W/case$K.partial" ||
		{ cat "$W/case$K.partial.log"; return 1; }
}

policy_shown() {
	local f=$W/case$K
	cat "$f.policy"
	grep -qx "    tmpl esp $MODE reqid $REQ_ESP${TMPL_LR:+ $TMPL_LR}" "$f.policy" &&
	grep -qx "    tmpl ah transport reqid $REQ_AH" "$f.policy" &&
	[ "$(grep -c '^    tmpl ' "$f.policy")" = 4 ] &&
	grep -q "\"tmpls\":\[{\"proto\":\"esp\",\"mode\":\"$MODE\",\"reqid\":$REQ_ESP[^]]*},{\"proto\":\"ah\",\"mode\":\"transport\",\"reqid\":$REQ_AH}\]" \
		"$f.policy.json"
}

# want_reply WANT: REPLY (an agent's answer) must be WANT exactly.
want_reply() {
	echo "$REPLY"
	[ "$REPLY" = "$1" ]
}
pings_lr() { agent "$L" pings "$HL" "$HR" 3 0.2 56,1300 && want_reply "56=3/3 1300=3/3"; }
pings_rl() { agent "$R" pings "$HR" "$HL" 3 0.2 56,1300 && want_reply "56=3/3 1300=3/3"; }
traffic() {	# FROM-NS SRC DST
	agent "$1" traffic "$2" "$3" "$PORT" 100000 20 1000
	echo "$REPLY"
	[[ $REPLY == "tcp=ok:"*" udp=20/20" ]]
}

# Both sides' counters for the four SAs: kipsec's (L) and R's must be equal
# per SA, ESP and AH equal per direction, and not zero.
counters() {
	local f=$W/case$K kl xr
	side_exec "$L" "$f.sa.json" "$KIPSEC" -j sa show || return 1
	agent "$L" sa-packets "$f.sa.json" "$ESP_LR" "$AH_LR" "$ESP_RL" "$AH_RL"
	kl=$REPLY
	if [ "$PEER" = xfrm ]; then
		side_exec "$R" "$f.xfrm.sa" ip -s xfrm state || return 1
		xr=$(xfrm_sa_packets "$f.xfrm.sa" "$ESP_LR" "$AH_LR" "$ESP_RL" "$AH_RL")
	else
		side_exec "$R" "$f.R.sa.json" "$KIPSEC" -j sa show || return 1
		agent "$R" sa-packets "$f.R.sa.json" "$ESP_LR" "$AH_LR" "$ESP_RL" "$AH_RL"
		xr=$REPLY
	fi
	echo "L kipsec: $kl"
	echo "R $PEER: $xr"
	[ "$kl" = "$xr" ] || return 1
	set -- ${kl//=/ }
	[ "$2" -gt 0 ] && [ "$2" = "$4" ] && [ "$6" -gt 0 ] && [ "$6" = "$8" ]
}

# out-mtu may rise: tunnel mode answers TCP's full-sized DF segments with
# "fragmentation needed" (output.c), as in esp_interop.sh.
no_drops() {	# NS F: F.stats-before is NS's
	side_exec "$1" "$2.stats-after" "$KIPSEC" -j stats || return 1
	agent "$1" stats-delta "$2.stats-before" "$2.stats-after" out-mtu
	echo "$REPLY"
	[[ $REPLY == ok* ]]
}

# wire PCAP SRC ESP AH [partial]: every packet of this case's SAs that SRC
# sent is AH (spi AH) carrying ESP (spi ESP), and there are some; with
# "partial", packets of only one of the two SAs are allowed too (native's in
# partial()). Nothing from SRC (but ARP and neighbour discovery) is without
# AH or ESP. Fragments after the first (kipsec fragments transport-mode
# packets too big for the link, see output.c) show no headers: counted apart.
wire() {
	local pcap=$1 src=$2 esp=$3 ah=$4 all bundled mine clear frags
	all=$(tcpdump -n -r "$pcap" "src host $src and not $BPF_NOT" 2>/dev/null)
	frags=$(grep -cE 'ip-proto-51$|frag \([1-9][0-9]*\|' <<<"$all")
	all=$(grep -vE 'ip-proto-51$|frag \([1-9][0-9]*\|' <<<"$all")
	bundled=$(grep -cE "AH\(spi=$ah,[^)]*\): ESP\(spi=$esp," <<<"$all")
	mine=$(grep -cE "spi=($ah|$esp)," <<<"$all")
	clear=$(grep -vE "AH\(spi=|ESP\(spi=" <<<"$all" | grep -c .)
	grep -E "spi=($ah|$esp)," <<<"$all" | head -n 2
	echo "$bundled of $mine packets of the case from $src are AH($ah) -> ESP($esp);" \
		"$clear from $src without AH or ESP; $frags later fragments"
	[ "$bundled" -gt 0 ] && [ "$clear" = 0 ] && { [ "${5:-}" = partial ] || [ "$bundled" = "$mine" ]; }
}

# R sends with fewer layers than the bundle: L must drop and count.
partial() {	# LAYERS...
	local f=$W/case$K before after
	before=$(stat_l in-bundle-incomplete)
	r_out_policy "$@" || return 1
	if [[ $HL == *:* ]]; then
		side_exec "$R" "$f.partial.ping" busybox ping -6 -c 3 -i 0.2 -W 1 -I "$HR" "$HL"
	else
		side_exec "$R" "$f.partial.ping" busybox ping -c 3 -i 0.2 -W 1 -I "$HR" "$HL"
	fi
	local rc=$?
	after=$(stat_l in-bundle-incomplete)
	r_out_policy esp ah || return 1
	tail -n 2 "$f.partial.ping"
	echo "in-bundle-incomplete: $before -> $after (ping rc $rc)"
	[ "$rc" != 0 ] && [ "$((after - before))" -ge 3 ]
}
stat_l() {
	side_exec "$L" "$W/stats" "$KIPSEC" stats &&
	awk -v n="$1" '$1 == n { print $2 }' "$W/stats"
}

run_case() {
	case_vars "$@"
	local c="$MODE $FAM${4:+ $4}" peer="native xfrm"
	[ "$PEER" = kipsec ] && peer="kipsec in R"
	check "$c: kipsec and $peer configured with ESP inside AH" install
	check "$c: kipsec policy show lists both templates, innermost first" policy_shown
	check "$c: ping L -> R (56 and 1300 bytes)" pings_lr
	check "$c: ping R -> L (56 and 1300 bytes)" pings_rl
	check "$c: TCP and UDP L -> R" traffic "$L" "$HL" "$HR"
	check "$c: TCP and UDP R -> L" traffic "$R" "$HR" "$HL"
	check "$c: ESP and AH SA counters equal, L = R, both directions" counters
	check "$c: no kipsec drop counter rose in L" no_drops "$L" "$W/case$K"
	[ "$PEER" = xfrm ] || check "$c: no kipsec drop counter rose in R" no_drops "$R" "$W/case$K.R"
	check "$c: only ESP from R: dropped, counted (in-bundle-incomplete)" partial esp
	if [ "$MODE" = transport ]; then
		check "$c: only AH from R: dropped, counted (in-bundle-incomplete)" partial ah
	fi
}

FILTER=${KIPSEC_BUNDLE_FILTER:-.}
# wanted MODE FAM K [async]: the case's name matches the filter.
wanted() { [[ "$1 $2${4:+ $4}" =~ $FILTER ]]; }
CASES=()
for args in "transport v4 1" "tunnel v4 2" "transport v6 3" "tunnel v6 4" "tunnel v6in4 7" \
	"tunnel v4in6 8" "transport v4 9 kipsec" "tunnel v6 10 kipsec" "tunnel v4in6 11 kipsec"; do
	wanted $args || continue
	CASES+=("$args")
	run_case $args
done

# Every layer asynchronous (pcrypt for ESP, cryptd for AH): output applies
# AH from ESP's completion, input hands the AH SA to ESP through the skb.
# Not on the debug kernel: pcrypt trips lockdep inside 6.1's padata itself
# (see esp_attack.sh).
if [ "$KIPSEC_KERNEL" != debug ] && { wanted transport v4 5 async || wanted tunnel v4 6 async; }; then
	reload_async() { rmmod kipsec && kipsec_load force_async=1; }
	check "reload kipsec with force_async=1" reload_async
	for args in "transport v4 5 async" "tunnel v4 6 async"; do
		wanted $args || continue
		CASES+=("$args")
		run_case $args
	done
fi

sleep 1
kill $CAPTURE_PIDS 2>/dev/null
wait $CAPTURE_PIDS 2>/dev/null
CAPTURE_PIDS=
for args in "${CASES[@]}"; do
	case_vars $args
	set -- $args
	check "$MODE $FAM${4:+ $4}: kipsec's packets on the wire: IP -> AH -> ESP" \
		wire "$OUT/left.pcap" "$SL" "$ESP_LR" "$AH_LR"
	check "$MODE $FAM${4:+ $4}: native's packets on the wire: IP -> AH -> ESP (or one layer: partial)" \
		wire "$OUT/right.pcap" "$SR" "$ESP_RL" "$AH_RL" partial
done
done_testing
