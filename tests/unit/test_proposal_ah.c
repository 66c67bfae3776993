// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper/proposal_ah.c (with isakmp.c's SA codec and config.c's ah key):
 * AH proposals parse and map to the kernel's algorithms; an AH-only and an
 * AH+ESP offer survive encoding and decoding; the responder takes the first
 * acceptable proposal number in the initiator's order and an AND-ed pair
 * only as a whole; the initiator checks the answer the same way.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "isakmp.h"
#include "proposal.h"
#include "tap.h"

static const uint8_t icky[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, rcky[8] = { 9, 9, 9, 9, 9, 9, 9, 9 };

/* Build an SA payload from @p (@n protocol proposals) and parse it back into @sa. */
static int round_trip(const struct isakmp_prop_out *p, int n, struct ike_sa_payload *sa,
		      const char **why)
{
	uint8_t msg[2048];
	struct ike_wbuf w;
	size_t len;

	isakmp_begin(&w, msg, sizeof(msg), icky, rcky, ISAKMP_EXCH_QUICK, 0, 1);
	isakmp_put_sa_props(&w, 2, p, n);
	len = isakmp_finish(&w);
	if (!len)
		return -1;
	return isakmp_parse_sa(msg + ISAKMP_HDR_LEN + ISAKMP_GEN_LEN,
			       len - ISAKMP_HDR_LEN - ISAKMP_GEN_LEN, 2, sa, why);
}

static void names(void)
{
	struct p2_prop ah[IKE_MAX_PROPS];
	struct esp_kalg k;
	char err[200] = "", buf[32];
	int n;

	CHECK(ah_props_parse("sha256, sha1,sha384,sha512", ah, &n, err, sizeof(err)) == 0 &&
	      n == 4 && ah[0].esp == AH_SHA2_256 && ah[0].auth == AUTH_HMAC_SHA2_256 &&
	      ah[1].esp == AH_SHA && ah[1].auth == AUTH_HMAC_SHA1 && ah[2].esp == AH_SHA2_384 &&
	      ah[3].esp == AH_SHA2_512 && ah[3].auth == AUTH_HMAC_SHA2_512,
	      "AH list parses to RFC 4868 transform ids and auth attributes (%s)", err);
	CHECK(ah_props_parse("md5", ah, &n, err, sizeof(err)) < 0 && strstr(err, "md5"),
	      "unknown AH algorithm named: %s", err);
	CHECK(ah_props_parse("aes128-sha256", ah, &n, err, sizeof(err)) < 0,
	      "a cipher in an AH proposal refused: %s", err);
	CHECK(ah_props_parse(" , ", ah, &n, err, sizeof(err)) < 0,
	      "empty AH list refused: %s", err);
	ah_props_parse("sha1,sha256,sha384,sha512", ah, &n, err, sizeof(err));
	CHECK(ah_kalg(&ah[0], &k) == 0 && !k.enc && !k.aead && !strcmp(k.auth, "hmac(sha1)") &&
	      k.auth_keylen == 20 && k.icv_len == 12, "AH SHA-1: hmac(sha1)/96, 20-byte key");
	CHECK(ah_kalg(&ah[1], &k) == 0 && !strcmp(k.auth, "hmac(sha256)") && k.auth_keylen == 32 &&
	      k.icv_len == 16, "AH SHA-256: hmac(sha256)/128");
	CHECK(ah_kalg(&ah[2], &k) == 0 && k.auth_keylen == 48 && k.icv_len == 24,
	      "AH SHA-384: /192");
	CHECK(ah_kalg(&ah[3], &k) == 0 && k.auth_keylen == 64 && k.icv_len == 32,
	      "AH SHA-512: /256");
	ah[1].auth = AUTH_HMAC_SHA1;
	CHECK(ah_kalg(&ah[1], &k) < 0, "transform id and auth attribute must agree");
	CHECK(!strcmp(ah_name(&ah[3], buf, sizeof(buf)), "sha512"), "name: %s", buf);
}

static void config(void)
{
	struct ike_config cfg;
	char err[300] = "";

	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal = 192.0.2.1\n\tremote = 192.0.2.2\n"
			       "\tah = sha256,sha1\n", &cfg, err, sizeof(err)) == 0 &&
	      cfg.conns[0].nah == 2 && cfg.conns[0].nesp == 0,
	      "ah without esp: AH only (%s)", err);
	if (!err[0])
		ike_config_free(&cfg);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal = 192.0.2.1\n\tremote = 192.0.2.2\n"
			       "\tesp = aes128-sha256\n\tah = sha512\n", &cfg, err,
			       sizeof(err)) == 0 && cfg.conns[0].nah == 1 && cfg.conns[0].nesp == 1,
	      "ah and esp: a bundle (%s)", err);
	if (!err[0])
		ike_config_free(&cfg);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal = 192.0.2.1\n\tremote = 192.0.2.2\n"
			       "\tah = sha256-md5\n", &cfg, err, sizeof(err)) < 0 &&
	      !strncmp(err, "t.conf:4: ah:", 13), "bad AH proposal names file and line: %s", err);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal = 192.0.2.1\n\tremote = 192.0.2.2\n"
			       "\tah = sha256\n\tforce_encap = yes\n", &cfg, err, sizeof(err)) < 0 &&
	      strstr(err, "NAT"), "AH through forced UDP encapsulation refused: %s", err);
}

static void offers(void)
{
	struct p2_prop esp[IKE_MAX_PROPS], ah[IKE_MAX_PROPS];
	struct ike_transform te[2], ta[2];
	struct ike_sa_payload *sa = calloc(1, sizeof(*sa));
	uint8_t s1[4] = { 0, 0, 1, 1 }, s2[4] = { 0, 0, 2, 2 }, s3[4] = { 0, 0, 3, 3 };
	struct isakmp_prop_out p[3];
	struct p2_choice ch;
	const char *why = "";
	char err[200] = "";
	int nesp, nah;

	p2_props_parse("aes128-sha256,aes256-sha1", esp, &nesp, err, sizeof(err));
	ah_props_parse("sha256,sha1", ah, &nah, err, sizeof(err));
	p2_to_transform(&esp[0], ENCAP_TUNNEL, 14, 3600, 1, &te[0]);
	p2_to_transform(&esp[1], ENCAP_TUNNEL, 14, 3600, 2, &te[1]);
	ah_to_transform(&ah[0], ENCAP_TUNNEL, 14, 3600, 1, &ta[0]);
	ah_to_transform(&ah[1], ENCAP_TUNNEL, 14, 3600, 2, &ta[1]);

	/* AH only */
	p[0] = (struct isakmp_prop_out){ 1, PROTO_IPSEC_AH, 4, s1, ta, 2 };
	CHECK(round_trip(p, 1, sa, &why) == 0 && sa->nprop == 1 &&
	      sa->p[0].proto == PROTO_IPSEC_AH && sa->p[0].ntrans == 2 &&
	      !memcmp(sa->p[0].spi, s1, 4) && sa->p[0].t[0].id == AH_SHA2_256 &&
	      sa->p[0].t[0].auth == AUTH_HMAC_SHA2_256 && sa->p[0].t[0].encap == ENCAP_TUNNEL &&
	      sa->p[0].t[0].group == 14 && sa->p[0].t[0].life_secs == 3600 &&
	      sa->p[0].t[1].id == AH_SHA && !sa->p[0].t[0].keylen,
	      "AH-only offer round trip: protocol 2, AH_SHA2_256 + auth attribute, mode, PFS, "
	      "life (%s)", why);
	CHECK(p2_select_bundle(sa, esp, 0, ah + 1, 1, ENCAP_TUNNEL, 14, &ch, err,
			       sizeof(err)) == 0 && ch.ah_p == 0 && ch.ah_t == 1 && ch.esp_p < 0,
	      "AH only: the first transform we accept (initiator's second)");
	CHECK(p2_select_bundle(sa, esp, nesp, ah, nah, ENCAP_TUNNEL, 14, &ch, err,
			       sizeof(err)) < 0 && strstr(err, "we want AH+ESP"),
	      "AH alone refused when we want the bundle: %s", err);
	CHECK(p2_select_bundle(sa, esp, 0, ah, nah, ENCAP_TRANSPORT, 14, &ch, err,
			       sizeof(err)) < 0 && strstr(err, "encapsulation"),
	      "AH mode mismatch named: %s", err);
	CHECK(p2_select_bundle(sa, esp, 0, ah, nah, ENCAP_TUNNEL, 0, &ch, err,
			       sizeof(err)) < 0 && strstr(err, "PFS"), "AH PFS mismatch named: %s",
	      err);
	sa->p[0].t[0].auth = AUTH_HMAC_SHA1;	/* AH_SHA2_256 with SHA-1's auth attribute */
	sa->p[0].ntrans = 1;
	CHECK(p2_select_bundle(sa, esp, 0, ah, nah, ENCAP_TUNNEL, 14, &ch, err,
			       sizeof(err)) < 0 && strstr(err, "AH 5 auth 2"),
	      "AH transform with a mismatched auth attribute refused: %s", err);

	/* AH+ESP: one number, two protocols, each its own SPI */
	p[0] = (struct isakmp_prop_out){ 1, PROTO_IPSEC_ESP, 4, s1, te, 2 };
	p[1] = (struct isakmp_prop_out){ 1, PROTO_IPSEC_AH, 4, s2, ta, 2 };
	CHECK(round_trip(p, 2, sa, &why) == 0 && sa->nprop == 2 && sa->p[0].num == 1 &&
	      sa->p[1].num == 1 && sa->p[0].proto == PROTO_IPSEC_ESP &&
	      sa->p[1].proto == PROTO_IPSEC_AH && !memcmp(sa->p[0].spi, s1, 4) &&
	      !memcmp(sa->p[1].spi, s2, 4) && sa->p[0].t[0].id == ESP_AES_CBC &&
	      sa->p[1].t[0].id == AH_SHA2_256,
	      "AH+ESP offer round trip: two protocol proposals under number 1 (%s)", why);
	CHECK(p2_select_bundle(sa, esp, nesp, ah, nah, ENCAP_TUNNEL, 14, &ch, err,
			       sizeof(err)) == 0 && ch.esp_p == 0 && ch.esp_t == 0 &&
	      ch.ah_p == 1 && ch.ah_t == 0, "the bundle accepted as a whole (%s)", err);
	CHECK(p2_select(sa, esp, nesp, ENCAP_TUNNEL, 14, &ch.esp_p, &ch.esp_t, err,
			sizeof(err)) < 0, "an ESP-only responder refuses the bundle");
	CHECK(p2_select_bundle(sa, esp, 0, ah, nah, ENCAP_TUNNEL, 14, &ch, err,
			       sizeof(err)) < 0 && strstr(err, "AH+ESP, we want AH only"),
	      "an AH-only responder refuses the bundle: %s", err);
	CHECK(p2_select_bundle(sa, esp, nesp, ah + 1, 1, ENCAP_TUNNEL, 14, &ch, err,
			       sizeof(err)) == 0 && ch.ah_t == 1 && ch.esp_t == 0,
	      "within each protocol the first acceptable transform");
	/* the ESP half acceptable, the AH half not: the pair is refused */
	{
		struct p2_prop only512;
		int n1;

		ah_props_parse("sha512", &only512, &n1, err, sizeof(err));
		CHECK(p2_select_bundle(sa, esp, nesp, &only512, 1, ENCAP_TUNNEL, 14, &ch, err,
				       sizeof(err)) < 0 && strstr(err, "AH transform") &&
		      ch.esp_p < 0, "ESP acceptable, AH not: the pair refused as a whole: %s", err);
	}

	/* a second number: AH only, after a bundle we refuse; the choice skips to it */
	p[2] = (struct isakmp_prop_out){ 2, PROTO_IPSEC_AH, 4, s3, ta + 1, 1 };
	CHECK(round_trip(p, 3, sa, &why) == 0 && sa->nprop == 3 && sa->p[2].num == 2,
	      "bundle then AH-only alternative round trip (%s)", why);
	CHECK(p2_select_bundle(sa, esp, 0, ah, nah, ENCAP_TUNNEL, 14, &ch, err,
			       sizeof(err)) == 0 && ch.ah_p == 2 && ch.esp_p < 0,
	      "AH-only responder: the bundle (number 1) skipped, number 2 taken");
	CHECK(p2_select_bundle(sa, esp, nesp, ah, nah, ENCAP_TUNNEL, 14, &ch, err,
			       sizeof(err)) == 0 && ch.ah_p == 1 && ch.esp_p == 0,
	      "bundle responder: number 1 taken (initiator's order)");

	/* AH before ESP under one number is the same bundle */
	p[0] = (struct isakmp_prop_out){ 1, PROTO_IPSEC_AH, 4, s2, ta, 2 };
	p[1] = (struct isakmp_prop_out){ 1, PROTO_IPSEC_ESP, 4, s1, te, 2 };
	round_trip(p, 2, sa, &why);
	CHECK(p2_select_bundle(sa, esp, nesp, ah, nah, ENCAP_TUNNEL, 14, &ch, err,
			       sizeof(err)) == 0 && ch.ah_p == 0 && ch.esp_p == 1,
	      "AH listed first: the same bundle");
	/* two ESP proposals under one number: refused */
	p[0] = (struct isakmp_prop_out){ 1, PROTO_IPSEC_ESP, 4, s2, te, 2 };
	round_trip(p, 2, sa, &why);
	CHECK(p2_select_bundle(sa, esp, nesp, ah, nah, ENCAP_TUNNEL, 14, &ch, err,
			       sizeof(err)) < 0 && strstr(err, "ESP twice"),
	      "ESP twice under one number refused: %s", err);
	/* a 2-byte SPI */
	p[0] = (struct isakmp_prop_out){ 1, PROTO_IPSEC_AH, 2, s2, ta, 2 };
	round_trip(p, 2, sa, &why);
	CHECK(p2_select_bundle(sa, esp, nesp, ah, nah, ENCAP_TUNNEL, 14, &ch, err,
			       sizeof(err)) < 0 && strstr(err, "SPI size"), "SPI size checked: %s",
	      err);

	/* the answer: one number, one transform per protocol, what we offered */
	p[0] = (struct isakmp_prop_out){ 1, PROTO_IPSEC_ESP, 4, s1, te + 1, 1 };
	p[1] = (struct isakmp_prop_out){ 1, PROTO_IPSEC_AH, 4, s2, ta + 1, 1 };
	round_trip(p, 2, sa, &why);
	CHECK(p2_check_answer(sa, esp, nesp, ah, nah, ENCAP_TUNNEL, 14, &ch, err,
			      sizeof(err)) == 0 && ch.esp_p == 0 && ch.ah_p == 1,
	      "initiator: the bundle answer accepted (%s)", err);
	CHECK(p2_check_answer(sa, esp, 0, ah, nah, ENCAP_TUNNEL, 14, &ch, err, sizeof(err)) < 0,
	      "initiator that offered AH only: an AH+ESP answer refused: %s", err);
	round_trip(p + 1, 1, sa, &why);
	CHECK(p2_check_answer(sa, esp, nesp, ah, nah, ENCAP_TUNNEL, 14, &ch, err,
			      sizeof(err)) < 0 && strstr(err, "we want AH+ESP"),
	      "initiator that offered the bundle: half an answer refused: %s", err);
	p[1] = (struct isakmp_prop_out){ 1, PROTO_IPSEC_AH, 4, s2, ta, 2 };
	round_trip(p, 2, sa, &why);
	CHECK(p2_check_answer(sa, esp, nesp, ah, nah, ENCAP_TUNNEL, 14, &ch, err,
			      sizeof(err)) < 0 && strstr(err, "one transform"),
	      "an answer with two AH transforms refused: %s", err);
	free(sa);
}

int main(void)
{
	names();
	config();
	offers();
	return tap_done();
}
