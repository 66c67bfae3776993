// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "prf.h"

static const struct {
	const char *name;	/* OpenSSL digest name */
	size_t len;
} hashes[] = {
	[IKE_HASH_SHA1] = { "SHA1", 20 },
	[IKE_HASH_SHA2_256] = { "SHA2-256", 32 },
	[IKE_HASH_SHA2_384] = { "SHA2-384", 48 },
	[IKE_HASH_SHA2_512] = { "SHA2-512", 64 },
};

size_t ike_prf_len(enum ike_hash h)
{
	return hashes[h].len;
}

const char *ike_hash_name(enum ike_hash h)
{
	return hashes[h].name;
}

int ike_prf(enum ike_hash h, const uint8_t *key, size_t klen,
	    const struct iovec *parts, int nparts, uint8_t *out)
{
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx = NULL;
	EVP_MAC *mac;
	size_t outl = 0;
	int i, ret = -1;

	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!mac)
		goto out;
	ctx = EVP_MAC_CTX_new(mac);
	if (!ctx)
		goto out;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)hashes[h].name, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!EVP_MAC_init(ctx, key, klen, params))
		goto out;
	for (i = 0; i < nparts; i++)
		if (!EVP_MAC_update(ctx, parts[i].iov_base, parts[i].iov_len))
			goto out;
	if (!EVP_MAC_final(ctx, out, &outl, IKE_PRF_MAX) || outl != hashes[h].len)
		goto out;
	ret = 0;
out:
	if (ret)
		fprintf(stderr, "kipsec-iked: HMAC-%s failed: %s\n", hashes[h].name,
			ERR_reason_error_string(ERR_get_error()));
	/* The context holds key material: EVP_MAC_CTX_free cleanses it. */
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ret;
}

int ike_hash(enum ike_hash h, const struct iovec *parts, int nparts, uint8_t *out)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int outl = 0;
	int i, ret = -1;

	if (!ctx || !EVP_DigestInit_ex2(ctx, EVP_get_digestbyname(hashes[h].name), NULL))
		goto out;
	for (i = 0; i < nparts; i++)
		if (!EVP_DigestUpdate(ctx, parts[i].iov_base, parts[i].iov_len))
			goto out;
	if (!EVP_DigestFinal_ex(ctx, out, &outl) || outl != hashes[h].len)
		goto out;
	ret = 0;
out:
	if (ret)
		fprintf(stderr, "kipsec-iked: %s failed\n", hashes[h].name);
	EVP_MD_CTX_free(ctx);
	return ret;
}
