#!/bin/bash
# The genl family is visible and answers in two network namespaces, each
# with its own state; bad requests get extack errors naming the attribute.
. "$(dirname "$0")/lib.sh"

A=$(ns a)
B=$(ns b)
cleanup() {
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	rmmod kipsec 2>/dev/null
}
trap cleanup EXIT

check "load kipsec" kipsec_load
check "create namespaces" sh -c "ip netns add $A && ip netns add $B"

for i in 1 2 3; do
	ip netns exec "$A" "$KIPSEC" info >/dev/null
done
ip netns exec "$B" "$KIPSEC" info >/dev/null
ja=$(ip netns exec "$A" "$KIPSEC" -j info)
jb=$(ip netns exec "$B" "$KIPSEC" -j info)
jinit=$("$KIPSEC" -j info)
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

check "namespace A counts its own requests (4)" test "$(field "$ja" nl_requests)" = 4
check "namespace B counts its own requests (2)" test "$(field "$jb" nl_requests)" = 2
check "initial namespace unaffected (1)" test "$(field "$jinit" nl_requests)" = 1
check "each namespace answers with its own cookie" \
	test "$(printf '%s\n' "$(field "$ja" netns_cookie)" "$(field "$jb" netns_cookie)" \
		"$(field "$jinit" netns_cookie)" | sort -u | wc -l)" = 3
check "API version 1" test "$(field "$ja" api_version)" = 1

avail=$(python3 -c 'import json,sys
algs = json.loads(sys.argv[1])["algorithms"]
print(" ".join(a["name"] for a in algs if a["available"]))' "$ja")
for alg in "rfc4106(gcm(aes))" "rfc7539esp(chacha20,poly1305)" "cbc(aes)" "cbc(des3_ede)" \
	   "hmac(sha1)" "hmac(sha256)" "hmac(sha384)" "hmac(sha512)"; do
	check "crypto API has $alg" grep -qF -- " $alg " <<<" $avail "
done
check "filter by algorithm returns just that one" \
	sh -c "'$KIPSEC' info alg 'hmac(sha256)' | grep -c '^  ' | grep -qx 1"

check_fails "unknown algorithm rejected with extack naming alg-name" \
	"kipsec does not support this algorithm (attribute alg-name)" \
	ip netns exec "$A" "$KIPSEC" info alg "gcm(nope)"
check_fails "overlong alg-name rejected by the policy, naming the attribute" \
	"(attribute alg-name)" \
	"$KIPSEC" info alg "$(printf 'x%.0s' $(seq 100))"
check "kipsec-iked finds the kernel API and algorithms" "$IKED" --check-kernel

# A namespace that goes away takes its state with it; a new one starts at 0.
ip netns del "$A"
ip netns add "$A"
ja=$(ip netns exec "$A" "$KIPSEC" -j info)
check "a recreated namespace starts fresh" test "$(field "$ja" nl_requests)" = 1
done_testing
