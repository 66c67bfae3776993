// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of ikehelper/natt.c: the NAT-T vendor IDs (each the MD5 of its
 * name, recomputed here with libcrypto), their recognition in a message,
 * NAT-D hashing (RFC 3947 3.2, against a digest computed here by hand) and
 * the checks that find a NAT on either side, encapsulation mode numbering,
 * NAT-OA and the non-ESP marker.
 */
#include <arpa/inet.h>
#include <string.h>

#include <openssl/evp.h>

#include "isakmp.h"
#include "natt.h"
#include "tap.h"

static const uint8_t icky[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t rcky[8] = { 9, 10, 11, 12, 13, 14, 15, 16 };

static struct kipsec_addr v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct kipsec_addr x = { .family = AF_INET, .len = 4, .bytes = { a, b, c, d } };

	return x;
}

/* Build a message of @w's payloads and parse it back into @m. */
static int reparse(struct ike_wbuf *w, struct ike_msg *m)
{
	const char *why;
	uint8_t bad;
	size_t len = isakmp_finish(w);

	if (!len || isakmp_parse_header(w->b, len, m, &why) < 0)
		return -1;
	return isakmp_parse_payloads(m, w->b + ISAKMP_HDR_LEN, len - ISAKMP_HDR_LEN, m->np, false,
				     &why, &bad);
}

static void test_vids(void)
{
	static const char *const names[] = { NULL, "draft-ietf-ipsec-nat-t-ike-02",
					     "draft-ietf-ipsec-nat-t-ike-02\n",
					     "draft-ietf-ipsec-nat-t-ike-03", "RFC 3947" };
	uint8_t md[16], buf[512];
	unsigned int mdlen;
	struct ike_wbuf w;
	struct ike_msg m;
	int v;

	for (v = NATT_DRAFT_02; v <= NATT_RFC3947; v++) {
		EVP_Digest(names[v], strlen(names[v]), md, &mdlen, EVP_md5(), NULL);
		CHECK(mdlen == 16 && !memcmp(md, natt_vid_bytes(v), 16) &&
		      natt_vid_parse(md, 16) == (enum natt_vid)v,
		      "VID %s is MD5(\"%s\") and is recognised", natt_vid_name(v),
		      v == NATT_DRAFT_02N ? "draft-ietf-ipsec-nat-t-ike-02\\n" : names[v]);
	}
	memset(md, 0xaf, sizeof(md));
	CHECK(natt_vid_parse(md, 16) == NATT_NONE, "another vendor's VID is not NAT-T");
	CHECK(natt_vid_parse(natt_vid_bytes(NATT_RFC3947), 15) == NATT_NONE,
	      "a 15-byte prefix of RFC 3947's VID is not recognised");
	CHECK(natt_vid_bytes(NATT_NONE) == NULL, "no bytes for NATT_NONE");

	/* all four in a message: the newest wins, whatever the order */
	isakmp_begin(&w, buf, sizeof(buf), icky, rcky, ISAKMP_EXCH_IDPROT, 0, 0);
	isakmp_pl(&w, ISAKMP_NP_VID, md, 16);	/* unknown vendor */
	natt_put_vids(&w);
	CHECK(reparse(&w, &m) == 0 && m.n == 5 && natt_vid_best(&m) == NATT_RFC3947,
	      "our VIDs (4 + a foreign one) parse and RFC 3947 is preferred (%d payloads)", m.n);
	isakmp_begin(&w, buf, sizeof(buf), icky, rcky, ISAKMP_EXCH_IDPROT, 0, 0);
	isakmp_pl(&w, ISAKMP_NP_VID, natt_vid_bytes(NATT_DRAFT_02), 16);
	isakmp_pl(&w, ISAKMP_NP_VID, natt_vid_bytes(NATT_DRAFT_03), 16);
	isakmp_pl(&w, ISAKMP_NP_VID, natt_vid_bytes(NATT_DRAFT_02N), 16);
	CHECK(reparse(&w, &m) == 0 && natt_vid_best(&m) == NATT_DRAFT_03,
	      "a draft-only peer: draft 03 is the best of 02, 03, 02\\n");
	CHECK(natt_np_natd(NATT_RFC3947) == 20 && natt_np_natd(NATT_DRAFT_03) == 130 &&
	      natt_np_natoa(NATT_RFC3947) == 21 && natt_np_natoa(NATT_DRAFT_02) == 131,
	      "NAT-D / NAT-OA payload types: 20/21 for RFC 3947, 130/131 for the drafts");
}

static void test_natd(void)
{
	struct kipsec_addr a = v4(192, 168, 77, 2), b = v4(10, 7, 0, 1), nat = v4(192, 168, 77, 254);
	struct kipsec_addr a6 = { .family = AF_INET6, .len = 16, .bytes = { 0xfd, 0, 0x50 } };
	uint8_t d[64], want[32], buf[512], raw[8 + 8 + 4 + 2];
	struct natt_result r;
	struct ike_wbuf w;
	struct ike_msg m;
	unsigned int n;

	/* SHA-256(CKY-I | CKY-R | 192.168.77.2 | 500), by hand */
	memcpy(raw, icky, 8);
	memcpy(raw + 8, rcky, 8);
	memcpy(raw + 16, a.bytes, 4);
	raw[20] = 500 >> 8;
	raw[21] = 500 & 0xff;
	EVP_Digest(raw, sizeof(raw), want, &n, EVP_sha256(), NULL);
	CHECK(natt_hash(IKE_HASH_SHA2_256, icky, rcky, &a, 500, d) == 0 && !memcmp(d, want, 32),
	      "NAT-D = SHA-256(CKY-I | CKY-R | IP | port), port in network order");
	raw[21] ^= 1;
	EVP_Digest(raw, sizeof(raw), want, &n, EVP_sha1(), NULL);
	CHECK(natt_hash(IKE_HASH_SHA1, icky, rcky, &a, 501, d) == 0 && !memcmp(d, want, 20),
	      "NAT-D with SHA-1 (the prf's hash decides)");
	CHECK(natt_hash(IKE_HASH_SHA2_256, icky, rcky, &a6, 4500, d) == 0,
	      "NAT-D of an IPv6 address");
	CHECK(natt_hash(IKE_HASH_SHA2_256, rcky, icky, &a, 500, want) == 0 && memcmp(d, want, 32),
	      "the cookies' order matters");

	/*
	 * Initiator b (10.7.0.1) sends to a; a sees it as the NAT's address.
	 * NAT-D order: the receiver's address first, then the sender's.
	 */
	isakmp_begin(&w, buf, sizeof(buf), icky, rcky, ISAKMP_EXCH_IDPROT, 0, 0);
	CHECK(natt_put_natd(&w, ISAKMP_NP_NATD, IKE_HASH_SHA2_256, icky, rcky, &a, 500, &b, 500,
			    false) == 0 && reparse(&w, &m) == 0 && m.n == 2,
	      "two NAT-D payloads built");
	CHECK(natt_check(&m, ISAKMP_NP_NATD, IKE_HASH_SHA2_256, icky, rcky, &a, 500, &b, 500, &r) ==
		      0 && r.present && !r.local_nat && !r.remote_nat,
	      "no NAT: the receiver finds both hashes");
	CHECK(natt_check(&m, ISAKMP_NP_NATD, IKE_HASH_SHA2_256, icky, rcky, &a, 500, &nat, 500,
			 &r) == 0 && !r.local_nat && r.remote_nat,
	      "sender behind a NAT (its address rewritten): remote NAT");
	CHECK(natt_check(&m, ISAKMP_NP_NATD, IKE_HASH_SHA2_256, icky, rcky, &a, 500, &b, 1025,
			 &r) == 0 && r.remote_nat,
	      "a NAT that rewrote only the port is found too");
	CHECK(natt_check(&m, ISAKMP_NP_NATD, IKE_HASH_SHA2_256, icky, rcky, &nat, 500, &b, 500,
			 &r) == 0 && r.local_nat && !r.remote_nat,
	      "receiver's own address not what the sender hashed: local NAT");
	CHECK(natt_check(&m, ISAKMP_NP_NATD_DRAFT, IKE_HASH_SHA2_256, icky, rcky, &a, 500, &b, 500,
			 &r) == 0 && !r.present,
	      "NAT-D of the other numbering: none present");
	CHECK(natt_check(&m, ISAKMP_NP_NATD, IKE_HASH_SHA1, icky, rcky, &a, 500, &b, 500, &r) < 0,
	      "NAT-D of the wrong length (SHA-256 hashes, SHA-1 negotiated): malformed");

	/* force_encap: the second (sender's own) hash is faked */
	isakmp_begin(&w, buf, sizeof(buf), icky, rcky, ISAKMP_EXCH_IDPROT, 0, 0);
	natt_put_natd(&w, ISAKMP_NP_NATD, IKE_HASH_SHA2_256, icky, rcky, &a, 500, &b, 500, true);
	CHECK(reparse(&w, &m) == 0 &&
	      natt_check(&m, ISAKMP_NP_NATD, IKE_HASH_SHA2_256, icky, rcky, &a, 500, &b, 500, &r) ==
		      0 && !r.local_nat && r.remote_nat,
	      "faked NAT-D (force_encap): the peer believes we are behind a NAT");

	/* a single NAT-D payload is malformed */
	isakmp_begin(&w, buf, sizeof(buf), icky, rcky, ISAKMP_EXCH_IDPROT, 0, 0);
	natt_hash(IKE_HASH_SHA2_256, icky, rcky, &a, 500, d);
	isakmp_pl(&w, ISAKMP_NP_NATD, d, 32);
	CHECK(reparse(&w, &m) == 0 &&
	      natt_check(&m, ISAKMP_NP_NATD, IKE_HASH_SHA2_256, icky, rcky, &a, 500, &b, 500, &r) <
		      0,
	      "one NAT-D payload alone: malformed");
	/* the drafts' payload type 130 parses */
	isakmp_begin(&w, buf, sizeof(buf), icky, rcky, ISAKMP_EXCH_IDPROT, 0, 0);
	natt_put_natd(&w, ISAKMP_NP_NATD_DRAFT, IKE_HASH_SHA2_256, icky, rcky, &a, 500, &b, 500,
		      false);
	CHECK(reparse(&w, &m) == 0 && m.n == 2 && m.pl[0].type == 130 &&
	      natt_check(&m, ISAKMP_NP_NATD_DRAFT, IKE_HASH_SHA2_256, icky, rcky, &a, 500, &b, 500,
			 &r) == 0 && r.present && !r.local_nat && !r.remote_nat,
	      "draft NAT-D payloads (type 130) parse and check");
}

static void test_encap(void)
{
	CHECK(natt_encap(ENCAP_TUNNEL, NATT_RFC3947) == 3 &&
	      natt_encap(ENCAP_TRANSPORT, NATT_RFC3947) == 4,
	      "RFC 3947: UDP-Encapsulated-Tunnel 3, -Transport 4");
	CHECK(natt_encap(ENCAP_TUNNEL, NATT_DRAFT_02) == 61443 &&
	      natt_encap(ENCAP_TRANSPORT, NATT_DRAFT_03) == 61444,
	      "drafts: 61443 and 61444");
	CHECK(natt_encap_norm(61443) == 3 && natt_encap_norm(61444) == 4 && natt_encap_norm(3) == 3 &&
	      natt_encap_norm(1) == 1 && natt_encap_norm(2) == 2,
	      "draft values read as RFC 3947's; tunnel and transport unchanged");
	CHECK(natt_encap_is_udp(3) && natt_encap_is_udp(4) && natt_encap_is_udp(61443) &&
	      natt_encap_is_udp(61444) && !natt_encap_is_udp(1) && !natt_encap_is_udp(2) &&
	      !natt_encap_is_udp(5),
	      "UDP-encapsulated modes recognised in both numberings");
}

static void test_oa_marker(void)
{
	struct kipsec_addr a = v4(10, 7, 0, 1), got;
	struct kipsec_addr a6 = { .family = AF_INET6, .len = 16, .bytes = { 0xfd, 0, 0x50, 1 } };
	uint8_t buf[256], dgram[64] = { 0 };
	struct ike_wbuf w;
	struct ike_msg m;

	isakmp_begin(&w, buf, sizeof(buf), icky, rcky, ISAKMP_EXCH_QUICK, 0, 7);
	natt_put_oa(&w, ISAKMP_NP_NATOA, &a);
	natt_put_oa(&w, ISAKMP_NP_NATOA, &a6);
	CHECK(reparse(&w, &m) == 0 && m.n == 2 && m.pl[0].len == 8 && m.pl[1].len == 20,
	      "NAT-OA payloads: 8 bytes (IPv4), 20 (IPv6)");
	CHECK(natt_parse_oa(m.pl[0].body, m.pl[0].len, &got) == 0 && got.family == AF_INET &&
	      !memcmp(got.bytes, a.bytes, 4),
	      "NAT-OA IPv4 round trip");
	CHECK(natt_parse_oa(m.pl[1].body, m.pl[1].len, &got) == 0 && got.family == AF_INET6 &&
	      !memcmp(got.bytes, a6.bytes, 16),
	      "NAT-OA IPv6 round trip");
	CHECK(natt_parse_oa(m.pl[0].body, 7, &got) < 0 && natt_parse_oa(m.pl[1].body, 8, &got) < 0,
	      "NAT-OA: short, or type and length that disagree, refused");

	CHECK(natt_strip_marker(dgram, sizeof(dgram)) == 4, "non-ESP marker: IKE after 4 bytes");
	dgram[0] = 0xff;
	CHECK(natt_strip_marker(dgram, 1) < 0, "a keepalive (one 0xff byte) is not IKE");
	dgram[0] = 0;
	dgram[3] = 1;
	CHECK(natt_strip_marker(dgram, sizeof(dgram)) < 0, "ESP (a non-zero SPI) is not IKE");
	dgram[3] = 0;
	CHECK(natt_strip_marker(dgram, 4 + ISAKMP_HDR_LEN - 1) < 0,
	      "marker and a truncated header: refused");
}

int main(void)
{
	test_vids();
	test_natd();
	test_encap();
	test_oa_marker();
	return tap_done();
}
