// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper/dh.c: every group agrees with itself (two key pairs reach the
 * same secret), public values have the RFC's length, wrong lengths and
 * unsupported groups are refused; CBC round trips and its IV chain.
 */
#include <string.h>

#include "cipher.h"
#include "dh.h"
#include "tap.h"

int main(void)
{
	static const int groups[] = { 2, 5, 14, 15, 16, 19, 20, 21, 31 };
	static const size_t lens[] = { 128, 192, 256, 384, 512, 64, 96, 132, 32 };
	uint8_t pa[IKE_DH_MAX], pb[IKE_DH_MAX], sa[IKE_DH_MAX], sb[IKE_DH_MAX];
	size_t i, la, lb;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		struct ike_dh *a = ike_dh_new(groups[i]), *b = ike_dh_new(groups[i]);
		int ok = a && b && ike_dh_public(a, pa) == 0 && ike_dh_public(b, pb) == 0 &&
			 ike_dh_shared(a, pb, lens[i], sa, &la) == 0 &&
			 ike_dh_shared(b, pa, lens[i], sb, &lb) == 0;

		CHECK(ike_dh_len(groups[i]) == lens[i], "group %d public value is %zu bytes",
		      groups[i], lens[i]);
		CHECK(ok && la == lb && !memcmp(sa, sb, la) && memcmp(pa, pb, lens[i]),
		      "group %d (%s): both sides reach one secret", groups[i],
		      ike_dh_name(groups[i]));
		/* MODP secrets are padded to the prime; ECP gives x; X25519 32 bytes */
		CHECK(ok && la == (groups[i] >= 19 && groups[i] <= 21 ? lens[i] / 2 : lens[i]),
		      "group %d secret length %zu", groups[i], la);
		CHECK(a && ike_dh_shared(a, pb, lens[i] - 1, sa, &la) < 0,
		      "group %d: a short peer value is refused", groups[i]);
		ike_dh_free(a);
		ike_dh_free(b);
	}
	{
		struct ike_dh *a = ike_dh_new(19);

		memset(pb, 0x11, 64);	/* not a point on P-256 */
		CHECK(a && ike_dh_shared(a, pb, 64, sa, &la) < 0, "ECP: a point off the curve is refused");
		ike_dh_free(a);
	}
	CHECK(ike_dh_new(1) == NULL && ike_dh_len(1) == 0, "MODP-768 (group 1) is not offered");
	CHECK(ike_dh_new(22) == NULL, "unknown group refused");

	{
		uint8_t key[32] = { 7 }, iv[16] = { 9 }, iv2[16] = { 9 }, buf[48], orig[48];

		for (i = 0; i < sizeof(buf); i++)
			orig[i] = buf[i] = (uint8_t)i;
		CHECK(ike_cbc(IKE_ENC_AES_CBC, key, 32, iv, buf, 48, 1) == 0 &&
		      !memcmp(iv, buf + 32, 16) && memcmp(buf, orig, 48),
		      "AES-256-CBC encrypts and the IV becomes the last block");
		CHECK(ike_cbc(IKE_ENC_AES_CBC, key, 32, iv2, buf, 48, 0) == 0 &&
		      !memcmp(buf, orig, 48) && !memcmp(iv, iv2, 16),
		      "decrypting gives the plaintext and the same next IV");
		CHECK(ike_cbc(IKE_ENC_3DES_CBC, key, 24, iv, buf, 16, 1) == 0 &&
		      ike_cbc(IKE_ENC_3DES_CBC, key, 24, iv, buf, 12, 1) < 0,
		      "3DES-CBC: whole blocks only");
		CHECK(ike_cbc(IKE_ENC_AES_CBC, key, 20, iv, buf, 16, 1) < 0,
		      "an AES key of 20 bytes is refused");
		CHECK(ike_cipher_keylen(IKE_ENC_AES_CBC, 192) == 24 &&
		      ike_cipher_keylen(IKE_ENC_3DES_CBC, 0) == 24 &&
		      ike_cipher_keylen(IKE_ENC_AES_CBC, 0) == 0 && ike_cipher_keylen(1, 64) == 0,
		      "key lengths (DES, id 1, unsupported)");
	}
	return tap_done();
}
