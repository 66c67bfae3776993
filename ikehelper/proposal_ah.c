// SPDX-License-Identifier: GPL-2.0
/*
 * AH proposals (RFC 4302 with RFC 2407 4.4.3 and RFC 4868's transform ids)
 * and the choice among proposal numbers that may bundle AH with ESP.
 *
 * RFC 2408 4.2: protocol proposals sharing a proposal number are ANDed
 * (each with its own SPI and transforms, ORed among themselves); different
 * numbers are alternatives. The responder answers with the chosen number's
 * protocols, one transform each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proposal.h"

static const struct {
	const char *name;
	uint8_t id;		/* AH transform id */
	uint16_t auth;		/* its authentication algorithm attribute */
	const char *kname;
	size_t keylen;
	uint32_t icv;
} ah_algs[] = {
	{ "sha1", AH_SHA, AUTH_HMAC_SHA1, "hmac(sha1)", 20, 12 },
	{ "sha256", AH_SHA2_256, AUTH_HMAC_SHA2_256, "hmac(sha256)", 32, 16 },
	{ "sha384", AH_SHA2_384, AUTH_HMAC_SHA2_384, "hmac(sha384)", 48, 24 },
	{ "sha512", AH_SHA2_512, AUTH_HMAC_SHA2_512, "hmac(sha512)", 64, 32 },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int ah_index(uint8_t id)
{
	size_t i;

	for (i = 0; i < N(ah_algs); i++)
		if (ah_algs[i].id == id)
			return (int)i;
	return -1;
}

int ah_props_parse(const char *s, struct p2_prop *out, int *n, char *err, size_t errlen)
{
	char buf[512], *save = NULL, *tok, *e;
	size_t i;

	*n = 0;
	if (strlen(s) >= sizeof(buf)) {
		snprintf(err, errlen, "proposal list too long");
		return -1;
	}
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ' || *tok == '\t')
			tok++;
		e = tok + strlen(tok);
		while (e > tok && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = 0;
		if (*n == IKE_MAX_PROPS) {
			snprintf(err, errlen, "more than %d proposals", IKE_MAX_PROPS);
			return -1;
		}
		for (i = 0; i < N(ah_algs); i++)
			if (!strcmp(tok, ah_algs[i].name))
				break;
		if (i == N(ah_algs)) {
			snprintf(err, errlen, "\"%s\": unknown AH integrity algorithm (sha1, sha256, "
				 "sha384, sha512)", tok);
			return -1;
		}
		out[*n] = (struct p2_prop){ .esp = ah_algs[i].id, .auth = ah_algs[i].auth };
		(*n)++;
	}
	if (!*n) {
		snprintf(err, errlen, "empty proposal list");
		return -1;
	}
	return 0;
}

int ah_kalg(const struct p2_prop *p, struct esp_kalg *k)
{
	int i = ah_index(p->esp);

	memset(k, 0, sizeof(*k));
	if (i < 0 || p->auth != ah_algs[i].auth)
		return -1;
	k->auth = ah_algs[i].kname;
	k->auth_keylen = ah_algs[i].keylen;
	k->icv_len = ah_algs[i].icv;
	return 0;
}

void ah_to_transform(const struct p2_prop *p, uint16_t encap, uint16_t group, uint32_t life,
		     uint8_t num, struct ike_transform *t)
{
	memset(t, 0, sizeof(*t));
	t->num = num;
	t->id = p->esp;
	t->auth = p->auth;
	t->encap = encap;
	t->group = group;
	t->life_secs = life;
}

int ah_match(const struct ike_transform *t, const struct p2_prop *ours, int n, uint16_t encap,
	     uint16_t group)
{
	int i;

	/* RFC 2407 4.5: AH's authentication algorithm attribute must be present and agree */
	if (t->encap != encap || t->group != group || t->keylen)
		return -1;
	for (i = 0; i < n; i++)
		if (t->id == ours[i].esp && t->auth == ours[i].auth)
			return i;
	return -1;
}

const char *ah_name(const struct p2_prop *p, char *buf, size_t len)
{
	int i = ah_index(p->esp);

	snprintf(buf, len, "%s", i >= 0 ? ah_algs[i].name : "?");
	return buf;
}

static void ah_why(const struct ike_transform *t, uint16_t encap, uint16_t group, char *why,
		   size_t len)
{
	if (t->encap != encap)
		snprintf(why, len, "AH transform %u: encapsulation mode %u, want %u", t->num,
			 t->encap, encap);
	else if (t->group != group)
		snprintf(why, len, "AH transform %u: PFS group %u, want %u", t->num, t->group,
			 group);
	else
		snprintf(why, len, "AH transform %u: AH %u auth %u not configured", t->num, t->id,
			 t->auth);
}

static void esp_why(const struct ike_transform *t, uint16_t encap, uint16_t group, char *why,
		    size_t len)
{
	if (t->encap != encap)
		snprintf(why, len, "ESP transform %u: encapsulation mode %u, want %u", t->num,
			 t->encap, encap);
	else if (t->group != group)
		snprintf(why, len, "ESP transform %u: PFS group %u, want %u", t->num, t->group,
			 group);
	else
		snprintf(why, len, "ESP transform %u: ESP %u key length %u auth %u not configured",
			 t->num, t->id, t->keylen, t->auth);
}

static const char *want_name(int nesp, int nah)
{
	return nesp && nah ? "AH+ESP" : nah ? "AH only" : "ESP only";
}

/*
 * Proposals @from..@to-1 share one number: accept them as a whole or not.
 * With @first only a transform's first match counts (a responder's answer
 * carries one transform per protocol, checked the same way).
 */
static int take_group(const struct ike_sa_payload *sa, int from, int to,
		      const struct p2_prop *esp, int nesp, const struct p2_prop *ah, int nah,
		      uint16_t encap, uint16_t group, struct p2_choice *ch, char *why,
		      size_t whylen)
{
	int i, j, nesp_seen = 0, nah_seen = 0;

	*ch = (struct p2_choice){ -1, -1, -1, -1 };
	for (i = from; i < to; i++) {
		const struct ike_proposal *p = &sa->p[i];

		if (p->proto == PROTO_IPSEC_ESP) {
			nesp_seen++;
		} else if (p->proto == PROTO_IPSEC_AH) {
			nah_seen++;
		} else {
			snprintf(why, whylen, "proposal %u: protocol %u (only AH and ESP)", p->num,
				 p->proto);
			return -1;
		}
		if (p->spi_size != 4) {
			snprintf(why, whylen, "proposal %u: SPI size %u, want 4", p->num,
				 p->spi_size);
			return -1;
		}
	}
	if (nesp_seen > 1 || nah_seen > 1) {
		snprintf(why, whylen, "proposal %u: %s twice", sa->p[from].num,
			 nesp_seen > 1 ? "ESP" : "AH");
		return -1;
	}
	if (!!nesp_seen != !!nesp || !!nah_seen != !!nah) {
		snprintf(why, whylen, "proposal %u: %s%s%s, we want %s", sa->p[from].num,
			 nah_seen ? "AH" : "", nah_seen && nesp_seen ? "+" : "",
			 nesp_seen ? "ESP" : "", want_name(nesp, nah));
		return -1;
	}
	for (i = from; i < to; i++) {
		const struct ike_proposal *p = &sa->p[i];
		bool is_ah = p->proto == PROTO_IPSEC_AH;

		for (j = 0; j < p->ntrans; j++) {
			const struct ike_transform *t = &p->t[j];

			if (is_ah ? ah_match(t, ah, nah, encap, group) >= 0 :
				    p2_match(t, esp, nesp, encap, group) >= 0)
				break;
			if (is_ah)
				ah_why(t, encap, group, why, whylen);
			else
				esp_why(t, encap, group, why, whylen);
		}
		if (j == p->ntrans) {
			if (!p->ntrans)
				snprintf(why, whylen, "proposal %u: %s without transforms", p->num,
					 is_ah ? "AH" : "ESP");
			return -1;
		}
		if (is_ah) {
			ch->ah_p = i;
			ch->ah_t = j;
		} else {
			ch->esp_p = i;
			ch->esp_t = j;
		}
	}
	snprintf(why, whylen, "accepted");
	return 0;
}

int p2_select_bundle(const struct ike_sa_payload *sa, const struct p2_prop *esp, int nesp,
		     const struct p2_prop *ah, int nah, uint16_t encap, uint16_t group,
		     struct p2_choice *ch, char *why, size_t whylen)
{
	int i, to;

	snprintf(why, whylen, "no %s proposal", want_name(nesp, nah));
	for (i = 0; i < sa->nprop; i = to) {
		for (to = i + 1; to < sa->nprop && sa->p[to].num == sa->p[i].num; to++)
			;
		if (take_group(sa, i, to, esp, nesp, ah, nah, encap, group, ch, why, whylen) == 0)
			return 0;
	}
	*ch = (struct p2_choice){ -1, -1, -1, -1 };
	return -1;
}

int p2_check_answer(const struct ike_sa_payload *sa, const struct p2_prop *esp, int nesp,
		    const struct p2_prop *ah, int nah, uint16_t encap, uint16_t group,
		    struct p2_choice *ch, char *why, size_t whylen)
{
	int i;

	if (sa->nprop < 1 || sa->nprop > 2) {
		snprintf(why, whylen, "%d protocol proposals in the answer", sa->nprop);
		return -1;
	}
	for (i = 0; i < sa->nprop; i++)
		if (sa->p[i].num != sa->p[0].num || sa->p[i].ntrans != 1) {
			snprintf(why, whylen, "the answer is not one proposal with one transform "
				 "per protocol");
			return -1;
		}
	return take_group(sa, 0, sa->nprop, esp, nesp, ah, nah, encap, group, ch, why, whylen);
}
