// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper/keymat.c against strongSwan's charon (vectors in ike_vectors.h):
 * SKEYID, SKEYID_d/a/e, the phase-1 key (with the RFC 2409 appendix B
 * extension for 3DES with SHA-1), the initial IV, and the ESP KEYMAT of
 * both directions (with expansion; with and without PFS; GCM key + salt).
 */
#include <stdlib.h>
#include <string.h>

#include "keymat.h"
#include "tap.h"
#include "ike_vectors.h"

static size_t unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = strlen(s) / 2, i;

	if (n > max)
		abort();
	for (i = 0; i < n; i++) {
		unsigned int b;

		sscanf(s + 2 * i, "%2x", &b);
		out[i] = (uint8_t)b;
	}
	return n;
}

static int eq(const uint8_t *got, size_t n, const char *want)
{
	uint8_t w[512];

	return unhex(want, w, sizeof(w)) == n && !memcmp(got, w, n);
}

static const char psk[] = "kipsec test psk 0123456789";

static void one(const struct ike_vector *v, enum ike_hash h, size_t enc_len)
{
	uint8_t icky[8], rcky[8], ni[64], nr[64], gxi[512], gxr[512], gxy[512], gqm[512];
	uint8_t qni[64], qnr[64], iv[16], km[128], want[128];
	size_t nil, nrl, gxil, gxrl, gxyl, gqml, qnil, qnrl, wl, el;
	struct ike_keys k;

	unhex(v->icky, icky, 8);
	unhex(v->rcky, rcky, 8);
	nil = unhex(v->ni, ni, sizeof(ni));
	nrl = unhex(v->nr, nr, sizeof(nr));
	gxil = unhex(v->gxi, gxi, sizeof(gxi));
	gxrl = unhex(v->gxr, gxr, sizeof(gxr));
	gxyl = unhex(v->gxy, gxy, sizeof(gxy));
	CHECK(ike_keys_derive(&k, h, (const uint8_t *)psk, strlen(psk), ni, nil, nr, nrl, gxy,
			      gxyl, icky, rcky, enc_len) == 0, "%s: derivation runs", v->name);
	CHECK(eq(k.skeyid, k.plen, v->skeyid), "%s: SKEYID", v->name);
	CHECK(eq(k.skeyid_d, k.plen, v->skeyid_d), "%s: SKEYID_d", v->name);
	CHECK(eq(k.skeyid_a, k.plen, v->skeyid_a), "%s: SKEYID_a", v->name);
	CHECK(eq(k.skeyid_e, k.plen, v->skeyid_e), "%s: SKEYID_e", v->name);
	CHECK(eq(k.enc, k.enc_len, v->ka), "%s: phase-1 key (%zu bytes from a %zu-byte prf)",
	      v->name, enc_len, k.plen);
	el = strlen(v->iv) / 2;
	CHECK(ike_iv_phase1(h, gxi, gxil, gxr, gxrl, el, iv) == 0 && eq(iv, el, v->iv),
	      "%s: initial IV", v->name);

	qnil = unhex(v->qm_ni, qni, sizeof(qni));
	qnrl = unhex(v->qm_nr, qnr, sizeof(qnr));
	gqml = unhex(v->gqm, gqm, sizeof(gqm));
	/* initiator -> responder: the responder's SPI; encryption key first */
	wl = unhex(v->enc_i, want, sizeof(want));
	wl += unhex(v->int_i, want + wl, sizeof(want) - wl);
	CHECK(ike_keymat(&k, gqml ? gqm : NULL, gqml, 3, v->spi_i2r, qni, qnil, qnr, qnrl, km,
			 wl) == 0 && !memcmp(km, want, wl),
	      "%s: KEYMAT initiator->responder (%zu bytes%s)", v->name, wl, gqml ? ", PFS" : "");
	wl = unhex(v->enc_r, want, sizeof(want));
	wl += unhex(v->int_r, want + wl, sizeof(want) - wl);
	CHECK(ike_keymat(&k, gqml ? gqm : NULL, gqml, 3, v->spi_r2i, qni, qnil, qnr, qnrl, km,
			 wl) == 0 && !memcmp(km, want, wl),
	      "%s: KEYMAT responder->initiator", v->name);
	ike_keys_clear(&k);
	CHECK(k.skeyid[0] == 0 && k.enc[0] == 0 && k.plen == 0, "%s: keys cleared", v->name);
}

int main(void)
{
	uint8_t mid_iv[16], last[16] = { 1, 2, 3 }, out[64];
	struct iovec v = { last, 16 };

	one(&ike_vectors[0], IKE_HASH_SHA2_256, 16);
	one(&ike_vectors[1], IKE_HASH_SHA1, 24);
	one(&ike_vectors[2], IKE_HASH_SHA2_384, 32);

	/* phase-2 IV = hash(last block | M-ID), truncated to the block */
	{
		uint8_t buf[20] = { 1, 2, 3 };
		struct iovec b = { buf, 20 };

		buf[16] = 0x12;
		buf[17] = 0x34;
		buf[18] = 0x56;
		buf[19] = 0x78;
		CHECK(ike_iv_phase2(IKE_HASH_SHA1, last, 16, 0x12345678, mid_iv) == 0 &&
		      ike_hash(IKE_HASH_SHA1, &b, 1, out) == 0 && !memcmp(mid_iv, out, 16),
		      "phase-2 IV is hash(last block | M-ID)");
	}
	CHECK(ike_hash(IKE_HASH_SHA2_256, &v, 1, out) == 0, "plain hash runs");
	CHECK(ike_iv_phase2(IKE_HASH_SHA1, last, 32, 1, mid_iv) < 0,
	      "an IV longer than the hash is refused");
	return tap_done();
}
