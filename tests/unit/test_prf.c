// SPDX-License-Identifier: GPL-2.0
/* Unit tests of ikehelper/prf.c against RFC 2202 and RFC 4231 vectors. */
#include <string.h>

#include "prf.h"
#include "tap.h"

static int hexeq(const uint8_t *b, size_t n, const char *hex)
{
	char s[2 * IKE_PRF_MAX + 1];
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(s + 2 * i, "%02x", b[i]);
	return strlen(hex) == 2 * n && !strcmp(s, hex);
}

int main(void)
{
	static const char jefe_data[] = "what do ya want for nothing?";
	static const char big_data[] = "Test Using Larger Than Block-Size Key - Hash Key First";
	uint8_t out[IKE_PRF_MAX], out2[IKE_PRF_MAX], key[131];
	struct iovec one = { (void *)jefe_data, strlen(jefe_data) };
	struct iovec split[3] = {
		{ (void *)jefe_data, 3 }, { NULL, 0 }, { (void *)(jefe_data + 3), strlen(jefe_data) - 3 },
	};
	struct iovec hi = { "Hi There", 8 };
	struct iovec big = { (void *)big_data, strlen(big_data) };

	CHECK(ike_prf(IKE_HASH_SHA1, (const uint8_t *)"Jefe", 4, &one, 1, out) == 0 &&
	      hexeq(out, 20, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"), "HMAC-SHA1 RFC 2202 case 2");
	CHECK(ike_prf(IKE_HASH_SHA2_384, (const uint8_t *)"Jefe", 4, &one, 1, out) == 0 &&
	      hexeq(out, 48, "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec373632244"
			     "5e8e2240ca5e69e2c78b3239ecfab21649"), "HMAC-SHA-384 RFC 4231 case 2");
	memset(key, 0x0b, 20);
	CHECK(ike_prf(IKE_HASH_SHA2_256, key, 20, &hi, 1, out) == 0 &&
	      hexeq(out, 32, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
	      "HMAC-SHA-256 RFC 4231 case 1");
	memset(key, 0xaa, sizeof(key));
	CHECK(ike_prf(IKE_HASH_SHA2_256, key, sizeof(key), &big, 1, out) == 0 &&
	      hexeq(out, 32, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
	      "HMAC-SHA-256 RFC 4231 case 6 (key longer than a block)");
	CHECK(ike_prf(IKE_HASH_SHA2_512, (const uint8_t *)"Jefe", 4, &one, 1, out) == 0 &&
	      ike_prf(IKE_HASH_SHA2_512, (const uint8_t *)"Jefe", 4, split, 3, out2) == 0 &&
	      !memcmp(out, out2, 64), "input split in parts (one empty) gives the same prf");
	CHECK(ike_prf_len(IKE_HASH_SHA1) == 20 && ike_prf_len(IKE_HASH_SHA2_512) == 64,
	      "output lengths");
	return tap_done();
}
