// SPDX-License-Identifier: GPL-2.0
/*
 * Algorithm names and aliases.
 */
#include <stdio.h>
#include <string.h>

#include "alg.h"

static const struct {
	const char *alias;
	const char *name;
	enum kipsec_key_kind kind;
} algs[] = {
	{ "aes-gcm", "rfc4106(gcm(aes))", KIPSEC_KEY_AEAD },
	{ "chacha20-poly1305", "rfc7539esp(chacha20,poly1305)", KIPSEC_KEY_AEAD },
	{ "aes-cbc", "cbc(aes)", KIPSEC_KEY_ENC },
	{ "3des-cbc", "cbc(des3_ede)", KIPSEC_KEY_ENC },
	{ "null", "ecb(cipher_null)", KIPSEC_KEY_ENC },
	{ "sha1", "hmac(sha1)", KIPSEC_KEY_AUTH },
	{ "sha256", "hmac(sha256)", KIPSEC_KEY_AUTH },
	{ "sha384", "hmac(sha384)", KIPSEC_KEY_AUTH },
	{ "sha512", "hmac(sha512)", KIPSEC_KEY_AUTH },
	{ "aes-xcbc", "xcbc(aes)", KIPSEC_KEY_AUTH },
};

static const char *const role[KIPSEC_KEY_KINDS] = {
	[KIPSEC_KEY_AEAD] = "an AEAD",
	[KIPSEC_KEY_ENC] = "a cipher",
	[KIPSEC_KEY_AUTH] = "an integrity algorithm",
};

int kipsec_alg_parse(enum kipsec_key_kind kind, const char *s, char *out, struct kipsec_err *e)
{
	const char *what = kipsec_key_kind_name(kind);
	size_t i;

	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		if (strcmp(s, algs[i].alias) && strcmp(s, algs[i].name))
			continue;
		if (algs[i].kind != kind)
			return kipsec_err(e, "%s: %s is %s, not %s", what, s, role[algs[i].kind],
					  role[kind]);
		snprintf(out, KIPSEC_ALG_NAME_MAX, "%s", algs[i].name);
		return 0;
	}
	if (!*s || strlen(s) >= KIPSEC_ALG_NAME_MAX || strchr(s, ' '))
		return kipsec_err(e, "%s: expected an algorithm name (at most %d characters), got \"%s\"",
				  what, KIPSEC_ALG_NAME_MAX - 1, s);
	snprintf(out, KIPSEC_ALG_NAME_MAX, "%s", s);
	return 0;
}

int kipsec_alg_keyless(const char *name)
{
	return !strcmp(name, "ecb(cipher_null)");
}
