/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ISAKMP (RFC 2408) with the IPsec DOI (RFC 2407) and IKEv1 (RFC 2409):
 * wire constants, a bounds-checked message parser and a message builder.
 *
 * Parsing never trusts a length: each payload's length must cover its own
 * generic header and fit in what is left of the message; a message that
 * breaks a rule is refused with a static reason string for the log.
 */
#ifndef KIPSEC_IKE_ISAKMP_H
#define KIPSEC_IKE_ISAKMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ISAKMP_HDR_LEN		28
#define ISAKMP_GEN_LEN		4	/* generic payload header */
#define ISAKMP_VERSION		0x10	/* major 1, minor 0 */
#define ISAKMP_MAX_MSG		8192
#define ISAKMP_MAX_PAYLOADS	32
#define IKE_COOKIE_LEN		8

/* Payload types (RFC 2408 3.1, RFC 3947) */
enum {
	ISAKMP_NP_NONE = 0,
	ISAKMP_NP_SA = 1,
	ISAKMP_NP_P = 2,
	ISAKMP_NP_T = 3,
	ISAKMP_NP_KE = 4,
	ISAKMP_NP_ID = 5,
	ISAKMP_NP_CERT = 6,
	ISAKMP_NP_CR = 7,
	ISAKMP_NP_HASH = 8,
	ISAKMP_NP_SIG = 9,
	ISAKMP_NP_NONCE = 10,
	ISAKMP_NP_N = 11,
	ISAKMP_NP_D = 12,
	ISAKMP_NP_VID = 13,
	ISAKMP_NP_NATD = 20,
	ISAKMP_NP_NATOA = 21,
};

/* Exchange types */
enum {
	ISAKMP_EXCH_IDPROT = 2,		/* Main Mode */
	ISAKMP_EXCH_AGGRESSIVE = 4,
	ISAKMP_EXCH_INFO = 5,
	ISAKMP_EXCH_QUICK = 32,
};

#define ISAKMP_FLAG_ENC		0x01
#define ISAKMP_FLAG_COMMIT	0x02

#define IPSEC_DOI		1
#define SIT_IDENTITY_ONLY	1

/* Protocol ids (RFC 2407 4.4.1) */
enum { PROTO_ISAKMP = 1, PROTO_IPSEC_AH = 2, PROTO_IPSEC_ESP = 3 };

/* ID types (RFC 2407 4.6.2.1) */
enum {
	ID_IPV4_ADDR = 1,
	ID_FQDN = 2,
	ID_USER_FQDN = 3,
	ID_IPV4_ADDR_SUBNET = 4,
	ID_IPV6_ADDR = 5,
	ID_IPV6_ADDR_SUBNET = 6,
	ID_IPV4_ADDR_RANGE = 7,
	ID_IPV6_ADDR_RANGE = 8,
	ID_KEY_ID = 11,
};

/* Notify message types (RFC 2408 3.14.1, RFC 2407 4.6.3) */
enum {
	N_INVALID_PAYLOAD_TYPE = 1,
	N_INVALID_EXCHANGE_TYPE = 7,
	N_INVALID_FLAGS = 8,
	N_INVALID_MESSAGE_ID = 9,
	N_INVALID_PROTOCOL_ID = 10,
	N_INVALID_SPI = 11,
	N_NO_PROPOSAL_CHOSEN = 14,
	N_PAYLOAD_MALFORMED = 16,
	N_INVALID_KEY_INFORMATION = 17,
	N_INVALID_ID_INFORMATION = 18,
	N_AUTHENTICATION_FAILED = 24,
	N_INVALID_HASH_INFORMATION = 23,
	N_RESPONDER_LIFETIME = 24576,
	N_INITIAL_CONTACT = 24578,
	N_DPD_R_U_THERE = 36136,	/* RFC 3706 */
	N_DPD_R_U_THERE_ACK = 36137,
};

/* Phase-1 attributes (RFC 2409 appendix A) */
enum {
	P1_ENC = 1,
	P1_HASH = 2,
	P1_AUTH = 3,
	P1_GROUP = 4,
	P1_LIFE_TYPE = 11,
	P1_LIFE_DURATION = 12,
	P1_KEY_LENGTH = 14,
};

/* Phase-2 attributes (RFC 2407 4.5) */
enum {
	P2_LIFE_TYPE = 1,
	P2_LIFE_DURATION = 2,
	P2_GROUP = 3,
	P2_ENCAP = 4,
	P2_AUTH = 5,
	P2_KEY_LENGTH = 6,
};

enum { LIFE_SECONDS = 1, LIFE_KILOBYTES = 2 };
enum { ENCAP_TUNNEL = 1, ENCAP_TRANSPORT = 2 };
#define AUTH_METHOD_PSK 1
#define KEY_IKE 1	/* the one transform id of PROTO_ISAKMP */

/*
 * One transform, attributes decoded. For phase 1: enc, hash, auth, group,
 * keylen; for phase 2: id (ESP transform), auth (HMAC id), encap, group,
 * keylen. 0 means "absent".
 */
struct ike_transform {
	uint8_t num;
	uint8_t id;
	uint16_t enc, hash, auth, group, keylen, encap;
	uint32_t life_secs, life_kb;
};

#define IKE_MAX_PROPOSALS	8
#define IKE_MAX_TRANSFORMS	16

struct ike_proposal {
	uint8_t num;
	uint8_t proto;
	uint8_t spi_size;
	uint8_t spi[16];
	int ntrans;
	struct ike_transform t[IKE_MAX_TRANSFORMS];
};

struct ike_sa_payload {
	int nprop;
	struct ike_proposal p[IKE_MAX_PROPOSALS];
};

struct ike_payload {
	uint8_t type;
	const uint8_t *body;	/* after the generic header */
	size_t len;		/* body length */
};

struct ike_msg {
	uint8_t icookie[IKE_COOKIE_LEN];
	uint8_t rcookie[IKE_COOKIE_LEN];
	uint8_t np;		/* first payload */
	uint8_t version;
	uint8_t exch;
	uint8_t flags;
	uint32_t msgid;
	uint32_t length;
	int n;
	struct ike_payload pl[ISAKMP_MAX_PAYLOADS];
};

/*
 * Read the fixed header of @buf (@len bytes received). Refuses a short
 * datagram, a length field that is shorter than the header or longer than
 * the datagram, and a version other than 1.0.
 */
int isakmp_parse_header(const uint8_t *buf, size_t len, struct ike_msg *m, const char **why);

/*
 * Walk the payload chain in @p (@len bytes, starting with type @first) into
 * m->pl. Unknown payload types are refused (*bad_type set to them); with
 * @allow_trailing, bytes after the last payload are accepted (the padding of
 * a decrypted message).
 */
int isakmp_parse_payloads(struct ike_msg *m, const uint8_t *p, size_t len, uint8_t first,
			  bool allow_trailing, const char **why, uint8_t *bad_type);

/* The first payload of @type in @m, or NULL; isakmp_count() counts them. */
const struct ike_payload *isakmp_find(const struct ike_msg *m, uint8_t type);
int isakmp_count(const struct ike_msg *m, uint8_t type);

/*
 * Decode a transform's attributes (@len bytes) into @t, phase 1 or 2: TV
 * and TLV forms; a life duration may be a TLV of 1..8 bytes (above 32 bits
 * it reads as UINT32_MAX), other TLVs 1..4 bytes. Life type/duration pairs:
 * each type (seconds, kilobytes) at most once, each type followed by its
 * (non-zero) duration before the next type or the end. Also reads
 * RESPONDER-LIFETIME's attributes (lifetime.c).
 */
int isakmp_parse_attrs(const uint8_t *p, size_t len, int phase, struct ike_transform *t,
		       const char **why);

/* Decode an SA payload body (DOI, situation, proposals, transforms). */
int isakmp_parse_sa(const uint8_t *body, size_t len, int phase, struct ike_sa_payload *sa,
		    const char **why);

/* Message builder over a caller's buffer; overflow is sticky. */
struct ike_wbuf {
	uint8_t *b;
	size_t len, cap;
	size_t np_off;		/* where the next "next payload" byte goes */
	size_t pl_off;		/* start of the open payload */
	bool overflow;
};

void isakmp_begin(struct ike_wbuf *w, uint8_t *buf, size_t cap, const uint8_t *icookie,
		  const uint8_t *rcookie, uint8_t exch, uint8_t flags, uint32_t msgid);
void isakmp_put(struct ike_wbuf *w, const void *p, size_t n);
void isakmp_put8(struct ike_wbuf *w, uint8_t v);
void isakmp_put16(struct ike_wbuf *w, uint16_t v);
void isakmp_put32(struct ike_wbuf *w, uint32_t v);
/* Open a payload of @type (links it into the chain); close sets its length. */
void isakmp_pl_open(struct ike_wbuf *w, uint8_t type);
void isakmp_pl_close(struct ike_wbuf *w);
/* A whole payload from a body. */
void isakmp_pl(struct ike_wbuf *w, uint8_t type, const void *body, size_t len);
/* An attribute: TV when it fits 16 bits, else TLV with 4 bytes. */
void isakmp_attr(struct ike_wbuf *w, uint16_t type, uint32_t val);
/* SA payload with one proposal holding @n transforms. */
void isakmp_put_sa(struct ike_wbuf *w, int phase, uint8_t proto, const uint8_t *spi,
		   uint8_t spi_size, uint8_t propnum, const struct ike_transform *t, int n);
/* One protocol proposal of an SA payload being built. */
struct isakmp_prop_out {
	uint8_t num, proto, spi_size;
	const uint8_t *spi;
	const struct ike_transform *t;
	int n;
};

/*
 * SA payload with @n protocol proposals in this order (the same number on
 * several: a bundle, RFC 2408 4.2).
 */
void isakmp_put_sa_props(struct ike_wbuf *w, int phase, const struct isakmp_prop_out *p, int n);
/* Set the header's length field; returns the total or 0 on overflow. */
size_t isakmp_finish(struct ike_wbuf *w);

static inline uint16_t ike_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t ike_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

const char *isakmp_np_name(uint8_t np);

#endif
