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

static void notify(struct ike_sa *sa, const struct ike_payload *p)
{
	if (p->len < 8) {
		log_warn("conn %s: notification payload truncated", sa->conn->name);
		return;
	}
	log_info("conn %s: peer notifies type %u (protocol %u)", sa->conn->name,
		 ike_get16(p->body + 6), p->body[4]);
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
	if (p->body[4] != PROTO_IPSEC_ESP || spisz != 4)
		return;
	for (i = 0; i < n; i++) {
		uint32_t spi = ike_get32(p->body + 8 + 4 * i);

		/*
		 * RFC 2408 has the sender name the SA it deletes; implementations
		 * differ on which of the pair: take either.
		 */
		for (q = sa->qms; q; q = q->next)
			if ((q->spi_out == spi || q->spi_in == spi) && q->state == QM_DONE) {
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
		if (m.pl[i].type == ISAKMP_NP_N)
			notify(sa, &m.pl[i]);
		else if (m.pl[i].type == ISAKMP_NP_D)
			delete(sa, &m.pl[i]);
	}
}

/* HDR*, HASH(1), D: one Delete payload @body of @len bytes. */
static void send_delete(struct ike_sa *sa, const uint8_t *body, size_t len)
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
		return;
	isakmp_begin(&w, buf, sizeof(buf), sa->icky, sa->rcky, ISAKMP_EXCH_INFO, 0, msgid);
	isakmp_pl_open(&w, ISAKMP_NP_HASH);
	hoff = w.len;
	isakmp_put(&w, zero, sa->keys.plen);
	isakmp_pl_close(&w);
	isakmp_pl(&w, ISAKMP_NP_D, body, len);
	if (w.overflow ||
	    ike_hash_msg(sa, false, msgid, NULL, 0, w.b + hoff + sa->keys.plen,
			 w.len - hoff - sa->keys.plen, w.b + hoff) < 0 ||
	    !ike_encrypt(sa, &w, iv))
		return;
	ike_xmit_sa(sa, w.b, w.len);
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

void ike_info_delete_all(struct ike_sa *sa)
{
	uint8_t body[8 + 4 * 32];
	struct ike_quick *q;
	size_t n = 0;

	/* our inbound SPIs: the SAs the peer sends on */
	for (q = sa->qms; q && n < 32; q = q->next) {
		if (q->state != QM_DONE)
			continue;
		body[8 + 4 * n] = (uint8_t)(q->spi_in >> 24);
		body[9 + 4 * n] = (uint8_t)(q->spi_in >> 16);
		body[10 + 4 * n] = (uint8_t)(q->spi_in >> 8);
		body[11 + 4 * n] = (uint8_t)q->spi_in;
		n++;
	}
	if (n) {
		memset(body, 0, 8);
		body[3] = IPSEC_DOI;
		body[4] = PROTO_IPSEC_ESP;
		body[5] = 4;
		body[7] = (uint8_t)n;
		send_delete(sa, body, 8 + 4 * n);
	}
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

	body[3] = IPSEC_DOI;
	body[4] = PROTO_IPSEC_ESP;
	body[5] = 4;
	body[7] = 1;
	body[8] = (uint8_t)(q->spi_in >> 24);
	body[9] = (uint8_t)(q->spi_in >> 16);
	body[10] = (uint8_t)(q->spi_in >> 8);
	body[11] = (uint8_t)q->spi_in;
	send_delete(sa, body, sizeof(body));
	log_info("conn %s: sent Delete for CHILD SA 0x%08x/0x%08x", sa->conn->name, q->spi_in,
		 q->spi_out);
}
