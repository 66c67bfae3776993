// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper/proposal.c: proposal names, the responder's choice (initiator's
 * order, refusals that say which attribute) and the kernel algorithms.
 */
#include <stdlib.h>
#include <string.h>

#include "proposal.h"
#include "tap.h"

static void proposals(void)
{
	struct p1_prop p1[IKE_MAX_PROPS];
	struct p2_prop p2[IKE_MAX_PROPS];
	struct ike_sa_payload *sa = calloc(1, sizeof(*sa));
	struct esp_kalg k;
	char err[200] = "";
	int n, pi, ti;

	CHECK(p1_props_parse("aes256-sha512-ecp384, 3des-sha1-modp1024,aes128-sha256-curve25519",
			     p1, &n, err, sizeof(err)) == 0 && n == 3 && p1[0].enc == 7 &&
	      p1[0].keybits == 256 && p1[0].hash == 6 && p1[0].group == 20 && p1[1].enc == 5 &&
	      p1[1].group == 2 && p1[2].group == 31, "phase-1 list parses (%s)", err);
	CHECK(p1_props_parse("aes128-md5-modp2048", p1, &n, err, sizeof(err)) < 0 &&
	      strstr(err, "md5"), "unknown hash named: %s", err);
	CHECK(p1_props_parse("aes128-sha1-modp768", p1, &n, err, sizeof(err)) < 0 &&
	      strstr(err, "modp768"), "MODP-768 refused: %s", err);
	CHECK(p1_props_parse("des-sha1-modp2048", p1, &n, err, sizeof(err)) < 0, "DES refused: %s",
	      err);
	CHECK(p2_props_parse("aes128gcm16, aes256-sha1, 3des-sha1, aes128-sha512", p2, &n, err,
			     sizeof(err)) == 0 && n == 4 && p2[0].esp == ESP_AES_GCM_16 &&
	      p2[0].keybits == 128 && p2[1].esp == ESP_AES_CBC && p2[1].auth == 2 &&
	      p2[2].esp == ESP_3DES && p2[3].auth == 7, "phase-2 list parses (%s)", err);
	CHECK(p2_props_parse("aes128gcm16-sha1", p2, &n, err, sizeof(err)) < 0,
	      "GCM with an integrity algorithm refused: %s", err);
	CHECK(dh_group_parse("no") == 0 && dh_group_parse("ecp521") == 21 &&
	      dh_group_parse("modp1") < 0, "DH group names");

	p2_props_parse("aes256gcm16,aes128-sha256,3des-sha1", p2, &n, err, sizeof(err));
	CHECK(p2_kalg(&p2[0], &k) == 0 && !strcmp(k.aead, "rfc4106(gcm(aes))") &&
	      k.enc_keylen == 36 && k.icv_len == 16, "GCM: key + 4-byte salt, 16-byte ICV");
	CHECK(p2_kalg(&p2[1], &k) == 0 && !strcmp(k.enc, "cbc(aes)") && k.enc_keylen == 16 &&
	      !strcmp(k.auth, "hmac(sha256)") && k.auth_keylen == 32 && k.icv_len == 16,
	      "AES-CBC + HMAC-SHA-256 with RFC 4868's 128-bit ICV");
	CHECK(p2_kalg(&p2[2], &k) == 0 && k.enc_keylen == 24 && k.icv_len == 12,
	      "3DES + HMAC-SHA1-96");

	/* responder: first acceptable in the initiator's order */
	p1_props_parse("aes128-sha256-modp2048,aes256-sha1-ecp256", p1, &n, err, sizeof(err));
	sa->nprop = 1;
	sa->p[0].proto = PROTO_ISAKMP;
	sa->p[0].ntrans = 3;
	sa->p[0].t[0] = (struct ike_transform){ .num = 1, .id = 1, .enc = 7, .keylen = 256,
						.hash = 4, .auth = 1, .group = 14 };
	sa->p[0].t[1] = (struct ike_transform){ .num = 2, .id = 1, .enc = 7, .keylen = 256,
						.hash = 2, .auth = 1, .group = 19 };
	sa->p[0].t[2] = (struct ike_transform){ .num = 3, .id = 1, .enc = 7, .keylen = 128,
						.hash = 4, .auth = 1, .group = 14 };
	CHECK(p1_select(sa, p1, n, &pi, &ti, err, sizeof(err)) == 0 && ti == 1,
	      "the initiator's order wins (its second, our second)");
	CHECK(!strcmp(p1_name(&sa->p[0].t[1], err, sizeof(err)), "aes256-sha1-ecp256"),
	      "a transform's name for the log: %s", err);
	sa->p[0].ntrans = 1;
	CHECK(p1_select(sa, p1, n, &pi, &ti, err, sizeof(err)) < 0 && strstr(err, "key length"),
	      "refusal names the attribute: %s", err);
	sa->p[0].t[0].auth = 3;
	CHECK(p1_select(sa, p1, n, &pi, &ti, err, sizeof(err)) < 0 && strstr(err, "auth method"),
	      "RSA signatures refused: %s", err);
	sa->p[0].t[0] = (struct ike_transform){ .num = 1, .id = 1, .enc = 5, .hash = 4,
						.auth = 1, .group = 14 };
	CHECK(p1_select(sa, p1, n, &pi, &ti, err, sizeof(err)) < 0 && strstr(err, "cipher"),
	      "unconfigured cipher named: %s", err);

	p2_props_parse("aes128-sha256", p2, &n, err, sizeof(err));
	memset(sa, 0, sizeof(*sa));
	sa->nprop = 1;
	sa->p[0].proto = PROTO_IPSEC_ESP;
	sa->p[0].spi_size = 4;
	sa->p[0].ntrans = 1;
	sa->p[0].t[0] = (struct ike_transform){ .num = 1, .id = 12, .keylen = 128, .auth = 5,
						.encap = ENCAP_TUNNEL, .group = 14 };
	CHECK(p2_select(sa, p2, n, ENCAP_TUNNEL, 14, &pi, &ti, err, sizeof(err)) == 0,
	      "ESP with PFS group 14 accepted");
	CHECK(p2_select(sa, p2, n, ENCAP_TUNNEL, 0, &pi, &ti, err, sizeof(err)) < 0 &&
	      strstr(err, "PFS"), "PFS mismatch named: %s", err);
	CHECK(p2_select(sa, p2, n, ENCAP_TRANSPORT, 14, &pi, &ti, err, sizeof(err)) < 0 &&
	      strstr(err, "encapsulation"), "mode mismatch named: %s", err);
	sa->nprop = 2;
	sa->p[1] = sa->p[0];
	sa->p[1].proto = PROTO_IPSEC_AH;
	CHECK(p2_select(sa, p2, n, ENCAP_TUNNEL, 14, &pi, &ti, err, sizeof(err)) < 0,
	      "an ESP+AH bundle (same proposal number) is refused");
	free(sa);
}

int main(void)
{
	proposals();
	return tap_done();
}
