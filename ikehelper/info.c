// SPDX-License-Identifier: GPL-2.0
/*
 * Informational exchanges under an established phase-1 SA (RFC 2409
 * section 5.7): HASH(1), then notifications (logged) and Delete payloads
 * (the SAs they name are removed, from the kernel too); and the Deletes we
 * send when we shut down.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "ike.h"
#include "log.h"

/* The notifications worth naming in the log (RFC 2408 3.14.1, RFC 2407 4.6.3). */
static const char *notify_name(uint16_t type)
{
	switch (type) {
	case N_INVALID_PAYLOAD_TYPE: return "INVALID-PAYLOAD-TYPE";
	case N_INVALID_EXCHANGE_TYPE: return "INVALID-EXCHANGE-TYPE";
	case N_INVALID_FLAGS: return "INVALID-FLAGS";
	case N_INVALID_MESSAGE_ID: return "INVALID-MESSAGE-ID";
	case N_INVALID_PROTOCOL_ID: return "INVALID-PROTOCOL-ID";
	case N_INVALID_SPI: return "INVALID-SPI";
	case N_NO_PROPOSAL_CHOSEN: return "NO-PROPOSAL-CHOSEN";
	case N_PAYLOAD_MALFORMED: return "PAYLOAD-MALFORMED";
	case N_INVALID_KEY_INFORMATION: return "INVALID-KEY-INFORMATION";
	case N_INVALID_ID_INFORMATION: return "INVALID-ID-INFORMATION";
	case N_INVALID_HASH_INFORMATION: return "INVALID-HASH-INFORMATION";
	case N_AUTHENTICATION_FAILED: return "AUTHENTICATION-FAILED";
	case N_RESPONDER_LIFETIME: return "RESPONDER-LIFETIME";
	case N_INITIAL_CONTACT: return "INITIAL-CONTACT";
	default: return type < 16384 ? "an error" : "a status";
	}
}

/*
 * An error notification about ESP while a Quick Mode waits for the peer
 * (ours for message 2, or theirs for message 3): the peer refused it, and
 * the exchange is over rather than retransmitted until it times out. The
 * SPI it names is the initiator's: ours if we initiated, the peer's if we
 * answered. strongSwan sends none (zero) when it refuses before choosing a
 * proposal, which then identifies the exchange only if it is the one
 * pending.
 */
static void quick_mode_refused(struct ike_sa *sa, const struct ike_payload *p, uint16_t type)
{
	struct ike_quick *q, *hit = NULL;
	uint32_t spi = 0;
	int pending = 0;

	if (p->body[4] != PROTO_IPSEC_ESP && p->body[4] != PROTO_IPSEC_AH)
		return;
	if (p->body[5] == 4 && p->len >= 12)
		spi = ike_get32(p->body + 8);
	for (q = sa->qms; q; q = q->next) {
		if (q->state != (q->initiator ? QM_I1 : QM_R1))
			continue;
		pending++;
		if (!spi || spi == (q->initiator ? q->spi_in : q->spi_out))
			hit = q;
	}
	if (!hit)
		return;
	if (!spi && pending > 1) {
		log_warn("conn %s: peer refused a Quick Mode (%s) without naming it: %d are "
			 "pending, left to time out", sa->conn->name, notify_name(type), pending);
		return;
	}
	log_warn("conn %s: peer refused %s Quick Mode (SPI 0x%08x): %s", sa->conn->name,
		 hit->initiator ? "our" : "its own", hit->initiator ? hit->spi_in : hit->spi_out,
		 notify_name(type));
	hit->state = QM_DEAD;
}

/* Returns true for a DPD notification (which alone proves nothing but itself). */
static bool notify(struct ike_sa *sa, const struct ike_payload *p)
{
	const char *why;
	uint16_t type;
	uint32_t seq;
	int r;

	if (p->len < 8) {
		log_warn("conn %s: notification payload truncated", sa->conn->name);
		return false;
	}
	r = ike_dpd_notify_parse(p->body, p->len, sa->icky, sa->rcky, &type, &seq, &why);
	if (r < 0) {
		log_warn("conn %s: DPD notification %u refused: %s", sa->conn->name,
			 ike_get16(p->body + 6), why);
		return true;
	}
	if (r > 0) {
		ike_dpd_input(sa, type, seq);
		return true;
	}
	type = ike_get16(p->body + 6);
	log_info("conn %s: peer notifies %s (type %u, protocol %u, SPI size %u)", sa->conn->name,
		 notify_name(type), type, p->body[4], p->body[5]);
	if (type < 16384)
		quick_mode_refused(sa, p, type);
	return false;
}

/* Does a Delete for @proto's SPI @spi name @q (either SA of its pair; a bundle's AH too)? */
static bool names_child(const struct ike_quick *q, uint8_t proto, uint32_t spi)
{
	if (q->bundle && proto == PROTO_IPSEC_AH)
		return q->ah_spi_out == spi || q->ah_spi_in == spi;
	return q->proto == proto && (q->spi_out == spi || q->spi_in == spi);
}

static void delete(struct ike_sa *sa, const struct ike_payload *p)
{
	struct ike_quick *q;
	size_t spisz, n, i;

	if (p->len < 8) {
		log_warn("conn %s: delete payload truncated", sa->conn->name);
		return;
	}
	spisz = p->body[5];
	n = ike_get16(p->body + 6);
	if (spisz * n != p->len - 8) {
		log_warn("conn %s: delete payload lists %zu SPIs of %zu bytes in %zu bytes",
			 sa->conn->name, n, spisz, p->len - 8);
		return;
	}
	if (p->body[4] == PROTO_ISAKMP) {
		log_info("conn %s: peer deleted the IKE SA", sa->conn->name);
		sa->state = P1_DEAD;
		sa->peer_deleted = true;
		return;
	}
	if ((p->body[4] != PROTO_IPSEC_ESP && p->body[4] != PROTO_IPSEC_AH) || spisz != 4)
		return;
	for (i = 0; i < n; i++) {
		uint32_t spi = ike_get32(p->body + 8 + 4 * i);

		/*
		 * RFC 2408 has the sender name the SA it deletes; implementations
		 * differ on which of the pair: take either.
		 */
		for (q = sa->qms; q; q = q->next)
			if (q->state == QM_DONE && names_child(q, p->body[4], spi)) {
				log_info("conn %s: peer deleted CHILD SA 0x%08x/0x%08x",
					 sa->conn->name, q->spi_in, q->spi_out);
				q->state = QM_DEAD;
			}
	}
}

void ike_info_input(struct ike_sa *sa, uint8_t *buf, size_t len, const struct ike_msg *hdr)
{
	uint8_t iv[IKE_BLOCK_MAX], want[IKE_PRF_MAX];
	struct ike_msg m = *hdr;
	const struct ike_payload *last;
	const uint8_t *rest;
	bool alive = false;
	int i;

	if (sa->state != P1_ESTABLISHED || !(m.flags & ISAKMP_FLAG_ENC)) {
		log_debug("informational message outside an established IKE SA: ignored");
		return;
	}
	if (ike_iv_phase2(sa->keys.hash, sa->p1_last, sa->block, m.msgid, iv) < 0 ||
	    ike_decrypt(sa, buf, len, &m, iv) < 0)
		return;
	if (m.n < 2 || m.pl[0].type != ISAKMP_NP_HASH) {
		log_warn("conn %s: informational message without HASH(1): dropped", sa->conn->name);
		return;
	}
	last = &m.pl[m.n - 1];
	rest = m.pl[1].body - ISAKMP_GEN_LEN;
	if (ike_hash_msg(sa, false, m.msgid, NULL, 0, rest, (size_t)(last->body + last->len - rest),
			 want) < 0 ||
	    m.pl[0].len != sa->keys.plen || CRYPTO_memcmp(m.pl[0].body, want, sa->keys.plen)) {
		log_warn("conn %s: informational message fails its HASH(1): dropped", sa->conn->name);
		return;
	}
	for (i = 1; i < m.n; i++) {
		if (m.pl[i].type == ISAKMP_NP_N && notify(sa, &m.pl[i]))
			continue;
		/* a DPD ACK counts by its number alone (ike_dpd_input): others prove the peer */
		alive = true;
		if (m.pl[i].type == ISAKMP_NP_D)
			delete(sa, &m.pl[i]);
	}
	if (alive)
		ike_dpd_alive(sa);
}

int ike_info_send(struct ike_sa *sa, uint8_t np, const uint8_t *body, size_t len)
{
	static const uint8_t zero[IKE_PRF_MAX];
	uint8_t buf[512], iv[IKE_BLOCK_MAX];
	struct ike_wbuf w;
	uint32_t msgid;
	size_t hoff;

	do
		ike_random(&msgid, sizeof(msgid));
	while (!msgid);
	if (ike_iv_phase2(sa->keys.hash, sa->p1_last, sa->block, msgid, iv) < 0)
		return -1;
	isakmp_begin(&w, buf, sizeof(buf), sa->icky, sa->rcky, ISAKMP_EXCH_INFO, 0, msgid);
	isakmp_pl_open(&w, ISAKMP_NP_HASH);
	hoff = w.len;
	isakmp_put(&w, zero, sa->keys.plen);
	isakmp_pl_close(&w);
	isakmp_pl(&w, np, body, len);
	if (w.overflow ||
	    ike_hash_msg(sa, false, msgid, NULL, 0, w.b + hoff + sa->keys.plen,
			 w.len - hoff - sa->keys.plen, w.b + hoff) < 0 ||
	    !ike_encrypt(sa, &w, iv))
		return -1;
	ike_xmit_sa(sa, w.b, w.len);
	return 0;
}

/* HDR*, HASH(1), D: one Delete payload @body of @len bytes. */
static void send_delete(struct ike_sa *sa, const uint8_t *body, size_t len)
{
	ike_info_send(sa, ISAKMP_NP_D, body, len);
}

static void delete_ike(struct ike_sa *sa)
{
	uint8_t body[8 + 2 * IKE_COOKIE_LEN] = { 0 };

	body[3] = IPSEC_DOI;
	body[4] = PROTO_ISAKMP;
	body[5] = 2 * IKE_COOKIE_LEN;
	body[7] = 1;
	memcpy(body + 8, sa->icky, IKE_COOKIE_LEN);
	memcpy(body + 16, sa->rcky, IKE_COOKIE_LEN);
	send_delete(sa, body, sizeof(body));
}

/*
 * One Delete payload for @proto (RFC 2408 3.15: one protocol each) listing
 * our inbound SPIs of that protocol among @sa's CHILD SAs (all, or @only's):
 * the SAs the peer sends on. Returns how many.
 */
static size_t delete_proto(struct ike_sa *sa, const struct ike_quick *only, uint8_t proto)
{
	uint8_t body[8 + 4 * 32];
	struct ike_quick *q;
	size_t n = 0;
	uint32_t spi;

	for (q = sa->qms; q && n < 32; q = q->next) {
		if (only ? q != only : q->state != QM_DONE)
			continue;
		if (q->proto == proto)
			spi = q->spi_in;
		else if (q->bundle && proto == PROTO_IPSEC_AH)
			spi = q->ah_spi_in;
		else
			continue;
		body[8 + 4 * n] = (uint8_t)(spi >> 24);
		body[9 + 4 * n] = (uint8_t)(spi >> 16);
		body[10 + 4 * n] = (uint8_t)(spi >> 8);
		body[11 + 4 * n] = (uint8_t)spi;
		n++;
	}
	if (n) {
		memset(body, 0, 8);
		body[3] = IPSEC_DOI;
		body[4] = proto;
		body[5] = 4;
		body[7] = (uint8_t)n;
		send_delete(sa, body, 8 + 4 * n);
	}
	return n;
}

void ike_info_delete_all(struct ike_sa *sa)
{
	const struct ike_quick *q;
	size_t n, ah, bundles = 0;

	for (q = sa->qms; q; q = q->next)
		bundles += q->state == QM_DONE && q->bundle;
	/* a bundle is one CHILD SA with SPIs in both Deletes */
	n = delete_proto(sa, NULL, PROTO_IPSEC_ESP);
	ah = delete_proto(sa, NULL, PROTO_IPSEC_AH);
	n += ah > bundles ? ah - bundles : 0;
	delete_ike(sa);
	log_info("conn %s: sent Delete for %zu CHILD SA%s and the IKE SA", sa->conn->name, n,
		 n == 1 ? "" : "s");
}

void ike_info_delete_ike(struct ike_sa *sa)
{
	delete_ike(sa);
	log_info("conn %s: sent Delete for the IKE SA (cookies %02x%02x%02x%02x...)",
		 sa->conn->name, sa->icky[0], sa->icky[1], sa->icky[2], sa->icky[3]);
}

void ike_info_delete_child(struct ike_sa *sa, const struct ike_quick *q)
{
	uint8_t body[12] = { 0 };

	if (q->bundle)
		delete_proto(sa, q, PROTO_IPSEC_AH);
	body[3] = IPSEC_DOI;
	body[4] = q->proto;
	body[5] = 4;
	body[7] = 1;
	body[8] = (uint8_t)(q->spi_in >> 24);
	body[9] = (uint8_t)(q->spi_in >> 16);
	body[10] = (uint8_t)(q->spi_in >> 8);
	body[11] = (uint8_t)q->spi_in;
	send_delete(sa, body, sizeof(body));
	log_info("conn %s: sent Delete for CHILD SA 0x%08x/0x%08x%s", sa->conn->name, q->spi_in,
		 q->spi_out, q->bundle ? " (its ESP and its AH SAs)" : "");
}

void ike_info_notify(struct ike_sa *sa, uint8_t proto, const uint8_t *spi, uint8_t spisz,
		     uint16_t type)
{
	uint8_t body[8 + 16] = { 0 };

	if (spisz > 16)
		spisz = 0;
	body[3] = IPSEC_DOI;
	body[4] = proto;
	body[5] = spisz;
	body[6] = (uint8_t)(type >> 8);
	body[7] = (uint8_t)type;
	memcpy(body + 8, spi, spisz);
	if (ike_info_send(sa, ISAKMP_NP_N, body, 8 + spisz) < 0)
		return;
	log_info("conn %s: sent %s (type %u) to the peer", sa->conn->name, notify_name(type), type);
}
