// SPDX-License-Identifier: GPL-2.0
/*
 * Informational exchanges under an established phase-1 SA (RFC 2409
 * section 5.7): HASH(1), then notifications (logged) and Delete payloads
 * (the SAs they name are removed, from the kernel too).
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
