// SPDX-License-Identifier: GPL-2.0
/* Encrypted ISAKMP messages (RFC 2408 3.1 E flag, RFC 2409 appendix B). */
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "ike.h"
#include "log.h"
#include "pcap.h"

/* --pcap: the cleartext of a message we send (@sent) or received. */
static void record(struct ike_sa *sa, bool sent, const uint8_t *msg, size_t len)
{
	struct kipsec_addr peer;
	uint16_t pport;

	if (!sa->d->pcap)
		return;
	ike_addr_of(&sa->peer, &peer);
	/* sin_port and sin6_port share their place */
	pport = ntohs(((const struct sockaddr_in *)&sa->peer)->sin_port);
	if (sent)
		ike_pcap_write(sa->d->pcap, &sa->conn->local, sa->d->port, &peer, pport, msg, len);
	else
		ike_pcap_write(sa->d->pcap, &peer, pport, &sa->conn->local, sa->d->port, msg, len);
}

size_t ike_encrypt(struct ike_sa *sa, struct ike_wbuf *w, uint8_t *iv)
{
	static const uint8_t zero[IKE_BLOCK_MAX];
	size_t body;

	if (w->overflow || w->len < ISAKMP_HDR_LEN)
		return 0;
	body = w->len - ISAKMP_HDR_LEN;
	if (body % sa->block)
		isakmp_put(w, zero, sa->block - body % sa->block);
	if (w->overflow)
		return 0;
	w->b[19] |= ISAKMP_FLAG_ENC;
	if (!isakmp_finish(w))
		return 0;
	record(sa, true, w->b, w->len);
	if (ike_cbc(sa->chosen.enc, sa->keys.enc, sa->keys.enc_len, iv, w->b + ISAKMP_HDR_LEN,
		    w->len - ISAKMP_HDR_LEN, 1) < 0) {
		log_err("encryption failed");
		return 0;
	}
	return w->len;
}

int ike_decrypt(struct ike_sa *sa, uint8_t *buf, size_t len, struct ike_msg *m, uint8_t *iv)
{
	size_t body = len - ISAKMP_HDR_LEN;
	const char *why;
	uint8_t bad = 0;

	if (!(m->flags & ISAKMP_FLAG_ENC)) {
		log_warn("peer sent a cleartext message where an encrypted one was due: dropped");
		return -1;
	}
	if (!body || body % sa->block) {
		log_warn("encrypted message of %zu bytes is not whole cipher blocks: dropped", body);
		return -1;
	}
	if (ike_cbc(sa->chosen.enc, sa->keys.enc, sa->keys.enc_len, iv, buf + ISAKMP_HDR_LEN, body,
		    0) < 0) {
		log_err("decryption failed");
		return -1;
	}
	if (isakmp_parse_payloads(m, buf + ISAKMP_HDR_LEN, body, m->np, true, &why, &bad) < 0) {
		log_warn("malformed encrypted message (wrong key?): %s%s%s: dropped", why,
			 bad ? " " : "", bad ? isakmp_np_name(bad) : "");
		return -1;
	}
	record(sa, false, buf, len);
	ike_natt_rx_ok(sa);
	return 0;
}

int ike_hash_msg(struct ike_sa *sa, bool zero, uint32_t msgid, const uint8_t *extra,
		 size_t extralen, const uint8_t *rest, size_t restlen, uint8_t *out)
{
	static const uint8_t z;
	uint8_t mid[4] = { (uint8_t)(msgid >> 24), (uint8_t)(msgid >> 16), (uint8_t)(msgid >> 8),
			   (uint8_t)msgid };
	struct iovec v[4];
	int n = 0;

	if (zero)
		v[n++] = (struct iovec){ (void *)&z, 1 };
	v[n++] = (struct iovec){ mid, 4 };
	v[n++] = (struct iovec){ (void *)extra, extralen };
	v[n++] = (struct iovec){ (void *)rest, restlen };
	return ike_prf(sa->keys.hash, sa->keys.skeyid_a, sa->keys.plen, v, n, out);
}
