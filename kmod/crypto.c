// SPDX-License-Identifier: GPL-2.0
/*
 * Algorithm table and availability probing through the Kernel Crypto API.
 */
#include <crypto/aead.h>
#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <linux/err.h>
#include <linux/string.h>

#include "crypto.h"

/* The ESP/AH algorithms of RFC 8221 kipsec supports, plus legacy 3DES. */
const struct kipsec_alg kipsec_algs[] = {
	{ "rfc4106(gcm(aes))",			KIPSEC_ALG_KIND_AEAD },
	{ "rfc7539esp(chacha20,poly1305)",	KIPSEC_ALG_KIND_AEAD },
	{ "cbc(aes)",				KIPSEC_ALG_KIND_CRYPT },
	{ "cbc(des3_ede)",			KIPSEC_ALG_KIND_CRYPT },
	{ "ecb(cipher_null)",			KIPSEC_ALG_KIND_CRYPT },
	{ "hmac(sha1)",				KIPSEC_ALG_KIND_AUTH },
	{ "hmac(sha256)",			KIPSEC_ALG_KIND_AUTH },
	{ "hmac(sha384)",			KIPSEC_ALG_KIND_AUTH },
	{ "hmac(sha512)",			KIPSEC_ALG_KIND_AUTH },
	{ "xcbc(aes)",				KIPSEC_ALG_KIND_AUTH },
};

const size_t kipsec_algs_count = ARRAY_SIZE(kipsec_algs);

const struct kipsec_alg *kipsec_alg_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kipsec_algs); i++)
		if (!strcmp(kipsec_algs[i].name, name))
			return &kipsec_algs[i];
	return NULL;
}

/*
 * Instantiate @alg the way an SA will and report which implementation the
 * crypto API chose. May load crypto modules, so process context only.
 * Returns 0 with @driver filled, or the allocation's error (-ENOENT when
 * this kernel has no implementation).
 */
int kipsec_alg_probe(const struct kipsec_alg *alg, char *driver, size_t len)
{
	struct crypto_skcipher *skcipher;
	struct crypto_ahash *ahash;
	struct crypto_aead *aead;

	switch (alg->kind) {
	case KIPSEC_ALG_KIND_AEAD:
		aead = crypto_alloc_aead(alg->name, 0, 0);
		if (IS_ERR(aead))
			return PTR_ERR(aead);
		strscpy(driver, crypto_tfm_alg_driver_name(crypto_aead_tfm(aead)), len);
		crypto_free_aead(aead);
		return 0;
	case KIPSEC_ALG_KIND_CRYPT:
		skcipher = crypto_alloc_skcipher(alg->name, 0, 0);
		if (IS_ERR(skcipher))
			return PTR_ERR(skcipher);
		strscpy(driver, crypto_tfm_alg_driver_name(crypto_skcipher_tfm(skcipher)), len);
		crypto_free_skcipher(skcipher);
		return 0;
	case KIPSEC_ALG_KIND_AUTH:
		ahash = crypto_alloc_ahash(alg->name, 0, 0);
		if (IS_ERR(ahash))
			return PTR_ERR(ahash);
		strscpy(driver, crypto_tfm_alg_driver_name(crypto_ahash_tfm(ahash)), len);
		crypto_free_ahash(ahash);
		return 0;
	}
	return -EINVAL;
}
