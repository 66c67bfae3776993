// SPDX-License-Identifier: GPL-2.0
/* Proposal names, kernel algorithm mapping and selection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cipher.h"
#include "dh.h"
#include "proposal.h"

static const struct {
	const char *name;
	int id;
} dh_names[] = {
	{ "modp1024", 2 }, { "modp1536", 5 }, { "modp2048", 14 }, { "modp3072", 15 },
	{ "modp4096", 16 }, { "ecp256", 19 }, { "ecp384", 20 }, { "ecp521", 21 },
	{ "curve25519", 31 }, { "x25519", 31 },
};

static const struct {
	const char *name;
	uint16_t p1, p2;	/* phase-1 hash id, phase-2 auth id */
	enum ike_hash h;
	const char *kname;
	size_t keylen;
	uint32_t icv;
} hash_names[] = {
	{ "sha1", P1_HASH_SHA1, AUTH_HMAC_SHA1, IKE_HASH_SHA1, "hmac(sha1)", 20, 12 },
	{ "sha256", P1_HASH_SHA2_256, AUTH_HMAC_SHA2_256, IKE_HASH_SHA2_256, "hmac(sha256)", 32, 16 },
	{ "sha384", P1_HASH_SHA2_384, AUTH_HMAC_SHA2_384, IKE_HASH_SHA2_384, "hmac(sha384)", 48, 24 },
	{ "sha512", P1_HASH_SHA2_512, AUTH_HMAC_SHA2_512, IKE_HASH_SHA2_512, "hmac(sha512)", 64, 32 },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

int dh_group_parse(const char *s)
{
	size_t i;

	if (!strcmp(s, "no") || !strcmp(s, "none"))
		return 0;
	for (i = 0; i < N(dh_names); i++)
		if (!strcmp(s, dh_names[i].name))
			return dh_names[i].id;
	return -1;
}

/* "aes128", "aes", "3des" → cipher id and key bits; @gcm for "aes128gcm16". */
static int cipher_parse(const char *s, uint16_t *enc, uint16_t *bits, int *gcm)
{
	size_t n = strlen(s);

	*gcm = 0;
	if (!strcmp(s, "3des")) {
		*enc = IKE_ENC_3DES_CBC;
		*bits = 0;
		return 0;
	}
	if (strncmp(s, "aes", 3))
		return -1;
	if (n > 5 && !strcmp(s + n - 5, "gcm16")) {
		*gcm = 1;
		n -= 5;
	}
	*enc = IKE_ENC_AES_CBC;
	if (n == 3) {
		*bits = 128;
		return 0;
	}
	if (n == 6 && (!strncmp(s + 3, "128", 3) || !strncmp(s + 3, "192", 3) ||
		       !strncmp(s + 3, "256", 3))) {
		*bits = (uint16_t)atoi(s + 3);
		return 0;
	}
	return -1;
}

static int hash_index(const char *s)
{
	size_t i;

	for (i = 0; i < N(hash_names); i++)
		if (!strcmp(s, hash_names[i].name))
			return (int)i;
	return -1;
}

/* Split "a-b-c" into at most @max parts in @buf. */
static int split(const char *s, char *buf, size_t blen, char **parts, int max)
{
	int n = 0;
	char *save = NULL, *tok;

	if (strlen(s) >= blen)
		return -1;
	strcpy(buf, s);
	for (tok = strtok_r(buf, "-", &save); tok; tok = strtok_r(NULL, "-", &save)) {
		if (n == max)
			return -1;
		parts[n++] = tok;
	}
	return n;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = 0;
	return s;
}

typedef int (*one_fn)(const char *s, void *out, char *err, size_t errlen);

static int list_parse(const char *s, void *out, size_t size, int *n, one_fn one, char *err,
		      size_t errlen)
{
	char buf[512], *save = NULL, *tok;

	*n = 0;
	if (strlen(s) >= sizeof(buf)) {
		snprintf(err, errlen, "proposal list too long");
		return -1;
	}
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (*n == IKE_MAX_PROPS) {
			snprintf(err, errlen, "more than %d proposals", IKE_MAX_PROPS);
			return -1;
		}
		if (one(trim(tok), (char *)out + (size_t)*n * size, err, errlen) < 0)
			return -1;
		(*n)++;
	}
	if (!*n) {
		snprintf(err, errlen, "empty proposal list");
		return -1;
	}
	return 0;
}

static int p1_one(const char *s, void *out, char *err, size_t errlen)
{
	struct p1_prop *p = out;
	char buf[128], *parts[3];
	int gcm, h, g;

	if (split(s, buf, sizeof(buf), parts, 3) != 3 ||
	    cipher_parse(parts[0], &p->enc, &p->keybits, &gcm) < 0 || gcm) {
		snprintf(err, errlen, "\"%s\": expected CIPHER-HASH-GROUP, cipher aes128|aes192|"
			 "aes256|3des", s);
		return -1;
	}
	h = hash_index(parts[1]);
	g = dh_group_parse(parts[2]);
	if (h < 0) {
		snprintf(err, errlen, "\"%s\": unknown hash %s (sha1, sha256, sha384, sha512)", s,
			 parts[1]);
		return -1;
	}
	if (g <= 0) {
		snprintf(err, errlen, "\"%s\": unknown DH group %s", s, parts[2]);
		return -1;
	}
	p->hash = hash_names[h].p1;
	p->group = (uint16_t)g;
	return 0;
}

static int p2_one(const char *s, void *out, char *err, size_t errlen)
{
	struct p2_prop *p = out;
	char buf[128], *parts[2];
	uint16_t enc;
	int n, gcm, h;

	n = split(s, buf, sizeof(buf), parts, 2);
	if (n < 1 || cipher_parse(parts[0], &enc, &p->keybits, &gcm) < 0 || (gcm && n != 1) ||
	    (!gcm && n != 2)) {
		snprintf(err, errlen, "\"%s\": expected CIPHER-HASH (aes128|aes256|3des) or "
			 "aes128gcm16|aes256gcm16", s);
		return -1;
	}
	if (gcm) {
		p->esp = ESP_AES_GCM_16;
		p->auth = 0;
		return 0;
	}
	p->esp = enc == IKE_ENC_3DES_CBC ? ESP_3DES : ESP_AES_CBC;
	h = hash_index(parts[1]);
	if (h < 0) {
		snprintf(err, errlen, "\"%s\": unknown integrity algorithm %s", s, parts[1]);
		return -1;
	}
	p->auth = hash_names[h].p2;
	return 0;
}

int p1_props_parse(const char *s, struct p1_prop *out, int *n, char *err, size_t errlen)
{
	return list_parse(s, out, sizeof(*out), n, p1_one, err, errlen);
}

int p2_props_parse(const char *s, struct p2_prop *out, int *n, char *err, size_t errlen)
{
	return list_parse(s, out, sizeof(*out), n, p2_one, err, errlen);
}

int p1_hash_to_prf(uint16_t hash, enum ike_hash *h)
{
	size_t i;

	for (i = 0; i < N(hash_names); i++)
		if (hash_names[i].p1 == hash) {
			*h = hash_names[i].h;
			return 0;
		}
	return -1;
}

int p2_kalg(const struct p2_prop *p, struct esp_kalg *k)
{
	size_t i;

	memset(k, 0, sizeof(*k));
	switch (p->esp) {
	case ESP_AES_GCM_16:
		if (p->keybits != 128 && p->keybits != 192 && p->keybits != 256)
			return -1;
		k->aead = "rfc4106(gcm(aes))";
		k->enc_keylen = p->keybits / 8 + 4;
		k->icv_len = 16;
		return 0;
	case ESP_AES_CBC:
		if (p->keybits != 128 && p->keybits != 192 && p->keybits != 256)
			return -1;
		k->enc = "cbc(aes)";
		k->enc_keylen = p->keybits / 8;
		break;
	case ESP_3DES:
		if (p->keybits && p->keybits != 192)
			return -1;
		k->enc = "cbc(des3_ede)";
		k->enc_keylen = 24;
		break;
	default:
		return -1;
	}
	for (i = 0; i < N(hash_names); i++)
		if (hash_names[i].p2 == p->auth) {
			k->auth = hash_names[i].kname;
			k->auth_keylen = hash_names[i].keylen;
			k->icv_len = hash_names[i].icv;
			return 0;
		}
	return -1;
}

void p1_to_transform(const struct p1_prop *p, uint32_t life, uint8_t num, struct ike_transform *t)
{
	memset(t, 0, sizeof(*t));
	t->num = num;
	t->id = KEY_IKE;
	t->enc = p->enc;
	t->keylen = p->enc == IKE_ENC_AES_CBC ? p->keybits : 0;
	t->hash = p->hash;
	t->auth = AUTH_METHOD_PSK;
	t->group = p->group;
	t->life_secs = life;
}

void p2_to_transform(const struct p2_prop *p, uint16_t encap, uint16_t group, uint32_t life,
		     uint8_t num, struct ike_transform *t)
{
	memset(t, 0, sizeof(*t));
	t->num = num;
	t->id = p->esp;
	t->keylen = p->esp == ESP_3DES ? 0 : p->keybits;
	t->auth = p->auth;
	t->encap = encap;
	t->group = group;
	t->life_secs = life;
}

int p1_match(const struct ike_transform *t, const struct p1_prop *ours, int n)
{
	int i;

	if (t->id != KEY_IKE || t->auth != AUTH_METHOD_PSK)
		return -1;
	for (i = 0; i < n; i++) {
		uint16_t bits = ours[i].enc == IKE_ENC_AES_CBC ? ours[i].keybits : 0;
		uint16_t tbits = t->enc == IKE_ENC_3DES_CBC && t->keylen == 192 ? 0 : t->keylen;

		if (t->enc == ours[i].enc && tbits == bits && t->hash == ours[i].hash &&
		    t->group == ours[i].group)
			return i;
	}
	return -1;
}

int p2_match(const struct ike_transform *t, const struct p2_prop *ours, int n, uint16_t encap,
	     uint16_t group)
{
	int i;

	if (t->encap != encap || t->group != group)
		return -1;
	for (i = 0; i < n; i++) {
		uint16_t bits = ours[i].esp == ESP_3DES ? 0 : ours[i].keybits;
		uint16_t tbits = t->id == ESP_3DES && t->keylen == 192 ? 0 : t->keylen;

		if (t->id == ours[i].esp && tbits == bits && t->auth == ours[i].auth)
			return i;
	}
	return -1;
}

static void p1_why(const struct ike_transform *t, const struct p1_prop *ours, int n, char *why,
		   size_t len)
{
	int i, enc = 0, hash = 0;

	for (i = 0; i < n; i++) {
		enc |= t->enc == ours[i].enc;
		hash |= t->hash == ours[i].hash;
	}
	if (t->auth != AUTH_METHOD_PSK)
		snprintf(why, len, "transform %u: auth method %u (only PSK)", t->num, t->auth);
	else if (!enc)
		snprintf(why, len, "transform %u: cipher %u not configured", t->num, t->enc);
	else if (!hash)
		snprintf(why, len, "transform %u: hash %u not configured", t->num, t->hash);
	else
		snprintf(why, len, "transform %u: key length %u / DH group %u (%s) not configured",
			 t->num, t->keylen, t->group, ike_dh_name(t->group));
}

int p1_select(const struct ike_sa_payload *sa, const struct p1_prop *ours, int n, int *prop,
	      int *trans, char *why, size_t whylen)
{
	int i, j;

	snprintf(why, whylen, "no ISAKMP proposal");
	for (i = 0; i < sa->nprop; i++) {
		if (sa->p[i].proto != PROTO_ISAKMP)
			continue;
		for (j = 0; j < sa->p[i].ntrans; j++) {
			if (p1_match(&sa->p[i].t[j], ours, n) >= 0) {
				*prop = i;
				*trans = j;
				return 0;
			}
			p1_why(&sa->p[i].t[j], ours, n, why, whylen);
		}
	}
	return -1;
}

int p2_select(const struct ike_sa_payload *sa, const struct p2_prop *ours, int n, uint16_t encap,
	      uint16_t group, int *prop, int *trans, char *why, size_t whylen)
{
	int i, j;

	snprintf(why, whylen, "no ESP proposal");
	for (i = 0; i < sa->nprop; i++) {
		const struct ike_proposal *p = &sa->p[i];

		/* a second protocol under the same number (ESP+AH bundle) is not supported */
		if (p->proto != PROTO_IPSEC_ESP || p->spi_size != 4 ||
		    (i + 1 < sa->nprop && sa->p[i + 1].num == p->num) ||
		    (i > 0 && sa->p[i - 1].num == p->num))
			continue;
		for (j = 0; j < p->ntrans; j++) {
			const struct ike_transform *t = &p->t[j];

			if (p2_match(t, ours, n, encap, group) >= 0) {
				*prop = i;
				*trans = j;
				return 0;
			}
			if (t->encap != encap)
				snprintf(why, whylen, "transform %u: encapsulation mode %u, want %u",
					 t->num, t->encap, encap);
			else if (t->group != group)
				snprintf(why, whylen, "transform %u: PFS group %u, want %u", t->num,
					 t->group, group);
			else
				snprintf(why, whylen, "transform %u: ESP %u key length %u auth %u "
					 "not configured", t->num, t->id, t->keylen, t->auth);
		}
	}
	return -1;
}

const char *p1_name(const struct ike_transform *t, char *buf, size_t len)
{
	const char *hash = "?";
	size_t i;

	for (i = 0; i < N(hash_names); i++)
		if (hash_names[i].p1 == t->hash)
			hash = hash_names[i].name;
	for (i = 0; i < N(dh_names); i++)
		if (dh_names[i].id == t->group)
			break;
	if (t->enc == IKE_ENC_3DES_CBC)
		snprintf(buf, len, "3des-%s-%s", hash, i < N(dh_names) ? dh_names[i].name : "?");
	else
		snprintf(buf, len, "%s%u-%s-%s", t->enc == IKE_ENC_AES_CBC ? "aes" : "cipher?",
			 t->keylen, hash, i < N(dh_names) ? dh_names[i].name : "?");
	return buf;
}

const char *p2_name(const struct p2_prop *p, char *buf, size_t len)
{
	const char *auth = "?";
	size_t i;

	for (i = 0; i < N(hash_names); i++)
		if (hash_names[i].p2 == p->auth)
			auth = hash_names[i].name;
	if (p->esp == ESP_AES_GCM_16)
		snprintf(buf, len, "aes%ugcm16", p->keybits);
	else if (p->esp == ESP_3DES)
		snprintf(buf, len, "3des-%s", auth);
	else
		snprintf(buf, len, "%s%u-%s", p->esp == ESP_AES_CBC ? "aes" : "cipher?", p->keybits,
			 auth);
	return buf;
}
