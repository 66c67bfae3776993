#!/bin/bash
# Host side of ike_interop.sh's capture: tshark decrypts the IKE and ESP
# traffic it recorded with the keys kipsec-iked exported (--export-keys),
# an oracle independent of both daemons. TAP lines.
# kipsec-iked's own --pcap record (isakmp.pcap: the messages it encrypted and
# decrypted, in cleartext) must show the same payloads as tshark decrypts.
#   tests/ike/decode.sh DIR   (DIR holds capture-L.pcap, capture-R.pcap,
#                              keys/ and isakmp.pcap)
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/tap.sh
d=$1
# each side captured what it sent: one file in time order
[ -s "$d/capture-L.pcap" ] && [ -s "$d/capture-R.pcap" ] &&
	mergecap -w "$d/capture.pcap" "$d/capture-L.pcap" "$d/capture-R.pcap"
if [ ! -s "$d/capture.pcap" ] || [ ! -s "$d/keys/ikev1_decryption_table" ]; then
	not_ok "ike decode: no capture or no exported keys in $d"
	done_testing
	exit
fi
ws() {
	WIRESHARK_CONFIG_DIR=$d/keys tshark -n -r "$d/capture.pcap" \
		-o esp.enable_encryption_decode:TRUE -o esp.enable_authentication_check:TRUE "$@" \
		2>/dev/null
}
ids=$(ws -Y 'isakmp.exchangetype == 2 && isakmp.id.type' -T fields -e frame.number | wc -l)
[ "$ids" -ge 2 ] && ok "tshark decrypts Main Mode messages 5 and 6 with the exported phase-1 key ($ids with an ID payload)" ||
	not_ok "tshark decrypts Main Mode messages 5 and 6 (found $ids with an ID payload)"
qm=$(ws -Y 'isakmp.exchangetype == 32 && isakmp.typepayload == 1' -T fields -e frame.number | wc -l)
[ "$qm" -ge 2 ] && ok "tshark decrypts Quick Mode messages 1 and 2 (SA payloads seen in $qm)" ||
	not_ok "tshark decrypts Quick Mode messages 1 and 2 (SA payloads seen in $qm)"
# exchange, message ID and payload types of each distinct encrypted message
payloads() { sort -u | sed '/^$/d'; }
fields=(-T fields -e isakmp.exchangetype -e isakmp.messageid -e isakmp.typepayload)
wire=$(ws -Y 'isakmp.flag_e == 1' "${fields[@]}" | payloads)
if [ -s "$d/isakmp.pcap" ]; then
	dump=$(tshark -n -r "$d/isakmp.pcap" "${fields[@]}" 2>/dev/null | payloads)
	bad=$(tshark -n -r "$d/isakmp.pcap" -Y '_ws.malformed || isakmp.flag_e == 1 || !isakmp' \
		-T fields -e frame.number 2>/dev/null | wc -l)
	if [ -n "$wire" ] && [ "$wire" = "$dump" ] && [ "$bad" = 0 ]; then
		ok "--pcap recorded the $(echo "$dump" | wc -l) encrypted messages in cleartext, payloads as tshark decrypts them from the wire"
	else
		not_ok "--pcap record matches the decrypted wire ($bad frames malformed or still flagged encrypted)"
		diff <(echo "$wire") <(echo "$dump") | sed 's/^/#   /'
	fi
	[ "$(stat -c %a "$d/isakmp.pcap")" = 600 ] && ok "--pcap file is mode 600" ||
		not_ok "--pcap file is mode 600 ($(stat -c %a "$d/isakmp.pcap"))"
else
	not_ok "kipsec-iked --pcap wrote $d/isakmp.pcap"
fi
esp=$(ws -Y esp -T fields -e frame.number | wc -l)
icmp=$(ws -Y 'esp && icmp && esp.icv_good == 1' -T fields -e frame.number | wc -l)
[ "$esp" -gt 0 ] && [ "$icmp" = "$esp" ] &&
	ok "tshark decrypts and authenticates all $esp ESP packets with the exported esp_sa (ICMP inside)" ||
	not_ok "tshark decrypts ESP with the exported esp_sa ($icmp of $esp packets)"
done_testing
