/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Proposals: the algorithms a connection offers or accepts in phase 1 (IKE)
 * and phase 2 (ESP), their strongSwan-style names ("aes128-sha256-modp2048",
 * "aes256gcm16"), the kernel algorithms they map to, and the responder's
 * choice among what an initiator offers.
 */
#ifndef KIPSEC_IKE_PROPOSAL_H
#define KIPSEC_IKE_PROPOSAL_H

#include <stddef.h>
#include <stdint.h>

#include "isakmp.h"
#include "prf.h"

/* Phase-1 hash ids (RFC 2409 appendix A) */
enum { P1_HASH_SHA1 = 2, P1_HASH_SHA2_256 = 4, P1_HASH_SHA2_384 = 5, P1_HASH_SHA2_512 = 6 };
/* ESP transform ids (RFC 2407 4.4.4, RFC 4106) */
enum { ESP_3DES = 3, ESP_AES_CBC = 12, ESP_AES_GCM_16 = 20 };
/* AH transform ids (RFC 2407 4.4.3, RFC 4868) */
enum { AH_SHA = 3, AH_SHA2_256 = 5, AH_SHA2_384 = 6, AH_SHA2_512 = 7 };
/* Phase-2 authentication algorithms (RFC 2407 4.5, RFC 4868) */
enum { AUTH_HMAC_SHA1 = 2, AUTH_HMAC_SHA2_256 = 5, AUTH_HMAC_SHA2_384 = 6,
       AUTH_HMAC_SHA2_512 = 7 };

#define IKE_MAX_PROPS 8

struct p1_prop {
	uint16_t enc, keybits, hash, group;
};

/* An ESP proposal; for AH (proposal_ah.c) @esp holds the AH transform id, @keybits 0. */
struct p2_prop {
	uint8_t esp;
	uint16_t keybits, auth;
};

/* The kernel's view of an ESP proposal (kipsec sa-add). */
struct esp_kalg {
	const char *aead;	/* NULL unless AEAD */
	const char *enc, *auth;
	size_t enc_keylen;	/* bytes, with the GCM salt */
	size_t auth_keylen;
	uint32_t icv_len;
};

/*
 * Parse a comma-separated list into @out (at most IKE_MAX_PROPS). On error
 * returns -1 with a message in @err naming the bad part.
 */
int p1_props_parse(const char *s, struct p1_prop *out, int *n, char *err, size_t errlen);
int p2_props_parse(const char *s, struct p2_prop *out, int *n, char *err, size_t errlen);
/* "modp2048", "ecp256", "curve25519", "no" → group id (0 for no); -1 unknown. */
int dh_group_parse(const char *s);

int p1_hash_to_prf(uint16_t hash, enum ike_hash *h);
int p2_kalg(const struct p2_prop *p, struct esp_kalg *k);

/* Transforms to offer. */
void p1_to_transform(const struct p1_prop *p, uint32_t life, uint8_t num, struct ike_transform *t);
void p2_to_transform(const struct p2_prop *p, uint16_t encap, uint16_t group, uint32_t life,
		     uint8_t num, struct ike_transform *t);

/*
 * Responder: the first transform of @sa (initiator's order) we accept.
 * Returns its proposal and transform index, or -1 with why nothing matched
 * (the last refusal's attribute) in @why.
 */
int p1_select(const struct ike_sa_payload *sa, const struct p1_prop *ours, int n, int *prop,
	      int *trans, char *why, size_t whylen);
int p2_select(const struct ike_sa_payload *sa, const struct p2_prop *ours, int n, uint16_t encap,
	      uint16_t group, int *prop, int *trans, char *why, size_t whylen);

/* "aes256-sha256-modp2048" for a phase-1 transform, into @buf. */
const char *p1_name(const struct ike_transform *t, char *buf, size_t len);

/* "aes128-sha256", "aes256gcm16" for an ESP proposal, into @buf. */
const char *p2_name(const struct p2_prop *p, char *buf, size_t len);

/* Does a responder's answer @t match one of @ours (phase 1 / 2)? */
int p1_match(const struct ike_transform *t, const struct p1_prop *ours, int n);
int p2_match(const struct ike_transform *t, const struct p2_prop *ours, int n, uint16_t encap,
	     uint16_t group);

/*
 * proposal_ah.c: AH (RFC 4302) proposals, alone or bundled with ESP (RFC
 * 2408 4.2: protocol proposals under one proposal number are ANDed).
 */
/* "sha256,sha1" → AH proposals (integrity algorithms sha1, sha256, sha384, sha512). */
int ah_props_parse(const char *s, struct p2_prop *out, int *n, char *err, size_t errlen);
/* The kernel's view of an AH proposal: @auth, @auth_keylen, @icv_len only. */
int ah_kalg(const struct p2_prop *p, struct esp_kalg *k);
void ah_to_transform(const struct p2_prop *p, uint16_t encap, uint16_t group, uint32_t life,
		     uint8_t num, struct ike_transform *t);
/* Does an AH transform match one of @ours (its index, or -1)? */
int ah_match(const struct ike_transform *t, const struct p2_prop *ours, int n, uint16_t encap,
	     uint16_t group);
/* "sha256" for an AH proposal, into @buf. */
const char *ah_name(const struct p2_prop *p, char *buf, size_t len);

/* A responder's choice: proposal and transform index per protocol, -1 for one not chosen. */
struct p2_choice {
	int esp_p, esp_t;
	int ah_p, ah_t;
};

/*
 * Responder: the first proposal number (initiator's order) whose protocol
 * proposals are exactly the ones we want (ESP if @nesp, AH if @nah) with an
 * acceptable transform each; a bundle is taken or refused as a whole.
 * Returns 0, or -1 with the last refusal's reason in @why.
 */
int p2_select_bundle(const struct ike_sa_payload *sa, const struct p2_prop *esp, int nesp,
		     const struct p2_prop *ah, int nah, uint16_t encap, uint16_t group,
		     struct p2_choice *ch, char *why, size_t whylen);
/*
 * Initiator: does the responder's answer (one proposal number, one transform
 * per protocol) carry exactly what we offered? Fills @ch, or -1 with @why.
 */
int p2_check_answer(const struct ike_sa_payload *sa, const struct p2_prop *esp, int nesp,
		    const struct p2_prop *ah, int nah, uint16_t encap, uint16_t group,
		    struct p2_choice *ch, char *why, size_t whylen);

#endif
