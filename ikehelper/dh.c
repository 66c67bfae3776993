// SPDX-License-Identifier: GPL-2.0
/*
 * Diffie-Hellman groups through EVP_PKEY: MODP as "DH" keys built from the
 * RFC primes with generator 2, ECP as named "EC" curves, group 31 as X25519.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/dh.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "dh.h"

enum kind { MODP, ECP, X25519 };

static const struct group {
	int id;
	enum kind kind;
	size_t len;		/* public value */
	const char *name;	/* for logs; the curve name for ECP */
	BIGNUM *(*prime)(BIGNUM *);
} groups[] = {
	{ 2, MODP, 128, "modp1024", BN_get_rfc2409_prime_1024 },
	{ 5, MODP, 192, "modp1536", BN_get_rfc3526_prime_1536 },
	{ 14, MODP, 256, "modp2048", BN_get_rfc3526_prime_2048 },
	{ 15, MODP, 384, "modp3072", BN_get_rfc3526_prime_3072 },
	{ 16, MODP, 512, "modp4096", BN_get_rfc3526_prime_4096 },
	{ 19, ECP, 64, "P-256", NULL },
	{ 20, ECP, 96, "P-384", NULL },
	{ 21, ECP, 132, "P-521", NULL },
	{ 31, X25519, 32, "curve25519", NULL },
};

struct ike_dh {
	const struct group *g;
	EVP_PKEY *key;
};

static const struct group *find(int id)
{
	size_t i;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (groups[i].id == id)
			return &groups[i];
	return NULL;
}

size_t ike_dh_len(int group)
{
	const struct group *g = find(group);

	return g ? g->len : 0;
}

const char *ike_dh_name(int group)
{
	const struct group *g = find(group);

	return g ? g->name : "unsupported";
}

static void ossl_err(const char *what)
{
	unsigned long e = ERR_get_error();

	fprintf(stderr, "kipsec-iked: %s: %s\n", what, e ? ERR_reason_error_string(e) : "failed");
	ERR_clear_error();
}

/* A DH or EC key (public part only when @pub is set) for @g. */
static EVP_PKEY *from_params(const struct group *g, const uint8_t *pub, size_t publen,
			     int selection)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	BIGNUM *p = NULL, *gen = NULL, *y = NULL;
	uint8_t point[1 + 132];

	if (!bld)
		goto out;
	if (g->kind == MODP) {
		p = g->prime(NULL);
		gen = BN_new();
		if (!p || !gen || !BN_set_word(gen, 2) ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, p) ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, gen))
			goto out;
		if (pub) {
			y = BN_bin2bn(pub, (int)publen, NULL);
			if (!y || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y))
				goto out;
		}
		ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
	} else {
		if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, g->name, 0))
			goto out;
		if (pub) {
			/* RFC 5903: x | y without SEC1's 0x04 prefix */
			point[0] = 0x04;
			memcpy(point + 1, pub, publen);
			if (!OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point,
							      publen + 1))
				goto out;
		}
		ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	}
	params = OSSL_PARAM_BLD_to_param(bld);
	if (!ctx || !params || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, selection, params) <= 0)
		key = NULL;
out:
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	BN_free(p);
	BN_free(gen);
	BN_free(y);
	return key;
}

struct ike_dh *ike_dh_new(int group)
{
	const struct group *g = find(group);
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *params = NULL;
	struct ike_dh *dh;

	if (!g) {
		fprintf(stderr, "kipsec-iked: DH group %d is not supported\n", group);
		return NULL;
	}
	dh = calloc(1, sizeof(*dh));
	if (!dh)
		return NULL;
	dh->g = g;
	if (g->kind == X25519) {
		ctx = EVP_PKEY_CTX_new_from_name(NULL, "X25519", NULL);
	} else {
		params = from_params(g, NULL, 0, EVP_PKEY_KEY_PARAMETERS);
		if (params)
			ctx = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL);
	}
	if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 || EVP_PKEY_keygen(ctx, &dh->key) <= 0) {
		ossl_err("DH key generation");
		free(dh);
		dh = NULL;
	}
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(params);
	return dh;
}

void ike_dh_free(struct ike_dh *dh)
{
	if (!dh)
		return;
	EVP_PKEY_free(dh->key);
	free(dh);
}

int ike_dh_group(const struct ike_dh *dh)
{
	return dh->g->id;
}

int ike_dh_public(struct ike_dh *dh, uint8_t *out)
{
	uint8_t point[1 + 132];
	BIGNUM *y = NULL;
	size_t n = dh->g->len;
	int ok = 0;

	switch (dh->g->kind) {
	case MODP:
		ok = EVP_PKEY_get_bn_param(dh->key, OSSL_PKEY_PARAM_PUB_KEY, &y) &&
		     BN_bn2binpad(y, out, (int)n) == (int)n;
		BN_free(y);
		break;
	case ECP:
		ok = EVP_PKEY_get_octet_string_param(dh->key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
						     point, sizeof(point), &n) &&
		     n == dh->g->len + 1 && point[0] == 0x04;
		if (ok)
			memcpy(out, point + 1, dh->g->len);
		break;
	case X25519:
		ok = EVP_PKEY_get_raw_public_key(dh->key, out, &n) && n == dh->g->len;
		break;
	}
	if (!ok)
		ossl_err("DH public value");
	return ok ? 0 : -1;
}

int ike_dh_shared(struct ike_dh *dh, const uint8_t *peer, size_t plen, uint8_t *out,
		  size_t *outlen)
{
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pk = NULL;
	size_t n = IKE_DH_MAX;
	int ret = -1;

	if (plen != dh->g->len) {
		fprintf(stderr, "kipsec-iked: peer's DH value has %zu bytes, %s needs %zu\n", plen,
			dh->g->name, dh->g->len);
		return -1;
	}
	if (dh->g->kind == X25519)
		pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, peer, plen);
	else
		pk = from_params(dh->g, peer, plen, EVP_PKEY_PUBLIC_KEY);
	ctx = pk ? EVP_PKEY_CTX_new(dh->key, NULL) : NULL;
	if (!ctx || EVP_PKEY_derive_init(ctx) <= 0 ||
	    (dh->g->kind == MODP && EVP_PKEY_CTX_set_dh_pad(ctx, 1) <= 0) ||
	    EVP_PKEY_derive_set_peer(ctx, pk) <= 0 || EVP_PKEY_derive(ctx, out, &n) <= 0) {
		ossl_err("DH shared secret");
		goto out;
	}
	*outlen = n;
	ret = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return ret;
}
