// SPDX-License-Identifier: GPL-2.0
/*
 * Phase 1 with pre-shared keys (RFC 2409 section 5.4), both roles.
 *
 * Main Mode:
 *   I -> R  SA                 R -> I  SA (the one transform chosen)
 *   I -> R  KE, Ni             R -> I  KE, Nr
 *   I -> R  *IDii, HASH_I      R -> I  *IDir, HASH_R
 *
 * Aggressive Mode, only for connections with "aggressive = yes": its
 * cleartext HASH_R lets anyone who sees it (or asks for it) try PSKs
 * offline, so a responder refuses it by default and says why.
 *   I -> R  SA, KE, Ni, IDii
 *   R -> I  SA, KE, Nr, IDir, HASH_R
 *   I -> R  *HASH_I
 */
#include <arpa/inet.h>
#include <endian.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "export.h"
#include "ike.h"
#include "log.h"

void ike_addr_of(const struct sockaddr_storage *ss, struct kipsec_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET) {
		a->family = AF_INET;
		a->len = 4;
		memcpy(a->bytes, &((const struct sockaddr_in *)ss)->sin_addr, 4);
	} else if (ss->ss_family == AF_INET6) {
		a->family = AF_INET6;
		a->len = 16;
		memcpy(a->bytes, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
	}
}

socklen_t ike_sockaddr(const struct kipsec_addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		memcpy(&in->sin_addr, a->bytes, 4);
		return sizeof(*in);
	}
	in6->sin6_family = AF_INET6;
	in6->sin6_port = htons(port);
	memcpy(&in6->sin6_addr, a->bytes, 16);
	return sizeof(*in6);
}

static bool addr_eq(const struct kipsec_addr *a, const struct kipsec_addr *b)
{
	return a->family == b->family && !memcmp(a->bytes, b->bytes, a->len);
}

static struct ike_sa *sa_new(struct ike_daemon *d, struct ike_conn *c, bool initiator)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));

	if (!sa)
		return NULL;
	sa->d = d;
	sa->conn = c;
	sa->initiator = initiator;
	/* a peer that knows of the NAT already starts on the NAT-T port */
	sa->floated = !initiator && d->rx_natt;
	sa->next = d->sas;
	d->sas = sa;
	return sa;
}

/* The ID payload body for phase 1: type, protocol 0, port 0, data. */
static size_t id_body(const struct ike_id *id, uint8_t *out)
{
	out[0] = id->type;
	out[1] = 0;
	out[2] = 0;
	out[3] = 0;
	memcpy(out + 4, id->data, id->len);
	return 4 + id->len;
}

static bool id_matches(const struct ike_payload *p, const struct ike_id *want)
{
	uint16_t port;

	if (p->len < 4 || p->body[0] != want->type || p->len - 4 != want->len ||
	    memcmp(p->body + 4, want->data, want->len))
		return false;
	/* RFC 2407 4.6.2: phase-1 IDs carry 0/0 or UDP/500 */
	port = ike_get16(p->body + 2);
	return (p->body[1] == 0 && port == 0) || (p->body[1] == IPPROTO_UDP && port == 500);
}

/* The chosen transform's algorithms: block size, key length, prf. */
static int take_transform(struct ike_sa *sa, const struct ike_transform *t)
{
	enum ike_hash h;

	sa->chosen = *t;
	sa->block = ike_cipher_block(t->enc);
	if (!sa->block || !ike_cipher_keylen(t->enc, t->keylen) ||
	    p1_hash_to_prf(t->hash, &h) < 0 || !ike_dh_len(t->group))
		return -1;
	sa->keys.hash = h;
	return 0;
}

static void log_established(struct ike_sa *sa)
{
	const struct ike_transform *t = &sa->chosen;
	char b1[KIPSEC_ADDR_STRLEN], b2[KIPSEC_ADDR_STRLEN], alg[64];

	log_info("conn %s: IKE SA established (%s) %s[%s] <-> %s[%s], %s, cookies %016llx %016llx",
		 sa->conn->name, sa->initiator ? "initiator" : "responder",
		 kipsec_addr_str(&sa->conn->local, b1), sa->conn->local_id.text,
		 kipsec_addr_str(&sa->conn->remote, b2), sa->conn->remote_id.text,
		 p1_name(t, alg, sizeof(alg)),
		 (unsigned long long)be64toh(*(uint64_t *)sa->icky),
		 (unsigned long long)be64toh(*(uint64_t *)sa->rcky));
	if (sa->d->export_dir) {
		char line[200];

		if (ike_export_ike_line(line, sizeof(line), sa->icky, sa->keys.enc,
					sa->keys.enc_len) == 0)
			ike_export_append(sa->d->export_dir, "ikev1_decryption_table", line);
		OPENSSL_cleanse(line, sizeof(line));
	}
}

/* Both sides: g^xy, SKEYID..., the phase-1 key and IV. */
static int derive(struct ike_sa *sa, const uint8_t *peer_ke, size_t kelen)
{
	uint8_t gxy[IKE_DH_MAX];
	size_t gxylen = 0;
	enum ike_hash h = sa->keys.hash;
	int ret = -1;

	if (ike_dh_shared(sa->dh, peer_ke, kelen, gxy, &gxylen) < 0) {
		/* OpenSSL checks the value is in the group's prime-order subgroup */
		log_warn("conn %s: peer's %s public value is not a valid group element: dropped",
			 sa->conn->name, ike_dh_name(sa->chosen.group));
		goto out;
	}
	if (ike_keys_derive(&sa->keys, h, sa->conn->psk, sa->conn->psklen, sa->ni, sa->nilen,
			    sa->nr, sa->nrlen, gxy, gxylen, sa->icky, sa->rcky,
			    ike_cipher_keylen(sa->chosen.enc, sa->chosen.keylen)) < 0)
		goto out;
	if (ike_iv_phase1(h, sa->gxi, sa->gxlen, sa->gxr, sa->gxlen, sa->block, sa->iv) < 0)
		goto out;
	ike_log_key("g^xy", gxy, gxylen);
	ike_log_key("SKEYID", sa->keys.skeyid, sa->keys.plen);
	ike_log_key("SKEYID_d", sa->keys.skeyid_d, sa->keys.plen);
	ike_log_key("SKEYID_a", sa->keys.skeyid_a, sa->keys.plen);
	ike_log_key("SKEYID_e", sa->keys.skeyid_e, sa->keys.plen);
	ike_log_key("phase-1 encryption key", sa->keys.enc, sa->keys.enc_len);
	ret = 0;
out:
	OPENSSL_cleanse(gxy, sizeof(gxy));
	return ret;
}

/* KE and nonce from a message; both bounded. */
static int take_ke_nonce(struct ike_sa *sa, const struct ike_msg *m, uint8_t *ke, uint8_t *nonce,
			 size_t *nlen)
{
	const struct ike_payload *k = isakmp_find(m, ISAKMP_NP_KE);
	const struct ike_payload *n = isakmp_find(m, ISAKMP_NP_NONCE);

	if (!k || !n) {
		log_warn("conn %s: message without KE or nonce: dropped", sa->conn->name);
		return -1;
	}
	if (k->len != sa->gxlen) {
		log_warn("conn %s: peer's KE has %zu bytes, %s needs %zu: dropped", sa->conn->name,
			 k->len, ike_dh_name(sa->chosen.group), sa->gxlen);
		return -1;
	}
	if (n->len < 8 || n->len > IKE_NONCE_MAX) {
		log_warn("conn %s: nonce of %zu bytes (8..256): dropped", sa->conn->name, n->len);
		return -1;
	}
	memcpy(ke, k->body, k->len);
	memcpy(nonce, n->body, n->len);
	*nlen = n->len;
	return 0;
}

static int send_ke_nonce(struct ike_sa *sa, uint8_t *gx, uint8_t *nonce, size_t *nlen)
{
	struct ike_wbuf w;

	sa->dh = ike_dh_new(sa->chosen.group);
	if (!sa->dh || ike_dh_public(sa->dh, gx) < 0)
		return -1;
	*nlen = IKE_NONCE_LEN;
	ike_random(nonce, *nlen);
	isakmp_begin(&w, sa->x.buf, sizeof(sa->x.buf), sa->icky, sa->rcky, ISAKMP_EXCH_IDPROT, 0, 0);
	isakmp_pl(&w, ISAKMP_NP_KE, gx, sa->gxlen);
	isakmp_pl(&w, ISAKMP_NP_NONCE, nonce, *nlen);
	if (ike_natt_put_natd(sa, &w) < 0)
		return -1;
	sa->x.len = isakmp_finish(&w);
	if (!sa->x.len)
		return -1;
	ike_send(sa, &sa->x, sa->initiator);
	return 0;
}

/* Is @sa our only IKE SA with its connection's peer? */
static bool first_with_peer(const struct ike_sa *sa)
{
	const struct ike_sa *o;

	for (o = sa->d->sas; o; o = o->next)
		if (o != sa && o->conn == sa->conn && o->state != P1_DEAD)
			return false;
	return true;
}

/*
 * INITIAL-CONTACT: the peer has no state from before (it restarted), so
 * every other IKE SA with it, and their CHILD SAs in the kernel, are stale.
 */
static void initial_contact(struct ike_sa *sa)
{
	struct ike_sa *o;
	int n = 0;

	for (o = sa->d->sas; o; o = o->next)
		if (o != sa && o->conn == sa->conn && o->state != P1_DEAD) {
			o->state = P1_DEAD;
			n++;
		}
	log_info("conn %s: peer sent INITIAL-CONTACT: %d stale IKE SA%s removed", sa->conn->name,
		 n, n == 1 ? "" : "s");
}

/* Message 5 or 6: our ID and HASH_I/HASH_R, encrypted. */
static int send_id_hash(struct ike_sa *sa)
{
	uint8_t idb[4 + IKE_ID_MAX], hash[IKE_PRF_MAX];
	size_t idlen = id_body(&sa->conn->local_id, idb);
	struct ike_wbuf w;
	int r;

	if (sa->initiator)
		r = ike_hash_auth(&sa->keys, sa->gxi, sa->gxr, sa->gxlen, sa->gxlen, sa->icky,
				  sa->rcky, sa->sai_b, sa->sai_len, idb, idlen, hash);
	else
		r = ike_hash_auth(&sa->keys, sa->gxr, sa->gxi, sa->gxlen, sa->gxlen, sa->rcky,
				  sa->icky, sa->sai_b, sa->sai_len, idb, idlen, hash);
	if (r < 0)
		return -1;
	isakmp_begin(&w, sa->x.buf, sizeof(sa->x.buf), sa->icky, sa->rcky, ISAKMP_EXCH_IDPROT, 0, 0);
	isakmp_pl(&w, ISAKMP_NP_ID, idb, idlen);
	isakmp_pl(&w, ISAKMP_NP_HASH, hash, sa->keys.plen);
	if (sa->initiator && first_with_peer(sa)) {
		/* RFC 2407 4.6.3.3: we hold no other SA with this peer */
		isakmp_pl_open(&w, ISAKMP_NP_N);
		isakmp_put32(&w, IPSEC_DOI);
		isakmp_put8(&w, PROTO_ISAKMP);
		isakmp_put8(&w, 2 * IKE_COOKIE_LEN);
		isakmp_put16(&w, N_INITIAL_CONTACT);
		isakmp_put(&w, sa->icky, IKE_COOKIE_LEN);
		isakmp_put(&w, sa->rcky, IKE_COOKIE_LEN);
		isakmp_pl_close(&w);
	}
	sa->x.len = ike_encrypt(sa, &w, sa->iv);
	if (!sa->x.len)
		return -1;
	ike_send(sa, &sa->x, sa->initiator);
	return 0;
}

/* The peer's ID and HASH in message 5 or 6. */
static int check_id_hash(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_payload *id = isakmp_find(m, ISAKMP_NP_ID);
	const struct ike_payload *h = isakmp_find(m, ISAKMP_NP_HASH);
	uint8_t want[IKE_PRF_MAX];
	int i, r;

	if (!id || !h) {
		log_warn("conn %s: message %d without ID or HASH: dropped", sa->conn->name,
			 sa->initiator ? 6 : 5);
		return -1;
	}
	if (!id_matches(id, &sa->conn->remote_id)) {
		log_warn("conn %s: peer's ID (type %u, %zu bytes) is not %s: INVALID-ID-INFORMATION",
			 sa->conn->name, id->len ? id->body[0] : 0, id->len,
			 sa->conn->remote_id.text);
		return -1;
	}
	if (sa->initiator)
		r = ike_hash_auth(&sa->keys, sa->gxr, sa->gxi, sa->gxlen, sa->gxlen, sa->rcky,
				  sa->icky, sa->sai_b, sa->sai_len, id->body, id->len, want);
	else
		r = ike_hash_auth(&sa->keys, sa->gxi, sa->gxr, sa->gxlen, sa->gxlen, sa->icky,
				  sa->rcky, sa->sai_b, sa->sai_len, id->body, id->len, want);
	if (r < 0)
		return -1;
	if (h->len != sa->keys.plen || CRYPTO_memcmp(h->body, want, h->len)) {
		log_warn("conn %s: peer's HASH_%c does not verify (different PSK?): "
			 "AUTHENTICATION-FAILED", sa->conn->name, sa->initiator ? 'R' : 'I');
		return -1;
	}
	for (i = 0; i < m->n; i++)
		if (m->pl[i].type == ISAKMP_NP_N && m->pl[i].len >= 8 &&
		    ike_get16(m->pl[i].body + 6) == N_INITIAL_CONTACT)
			initial_contact(sa);
	return 0;
}


static int got_sa(struct ike_sa *sa, const struct ike_msg *m);

/*
 * Aggressive Mode initiator, message 1: the KE goes out before any choice,
 * so only the transforms of the first proposal's DH group are offered.
 */
static int am_initiate(struct ike_sa *sa)
{
	const struct ike_conn *c = sa->conn;
	struct ike_transform t[IKE_MAX_PROPS];
	uint8_t idb[4 + IKE_ID_MAX];
	struct ike_wbuf w;
	int i, n = 0;

	for (i = 0; i < c->nike; i++)
		if (c->ike[i].group == c->ike[0].group) {
			p1_to_transform(&c->ike[i], c->ike_lifetime, (uint8_t)(n + 1), &t[n]);
			n++;
		}
	sa->chosen.group = c->ike[0].group;
	sa->gxlen = ike_dh_len(sa->chosen.group);
	sa->dh = ike_dh_new(sa->chosen.group);
	if (!sa->dh || ike_dh_public(sa->dh, sa->gxi) < 0)
		return -1;
	sa->nilen = IKE_NONCE_LEN;
	ike_random(sa->ni, sa->nilen);
	isakmp_begin(&w, sa->x.buf, sizeof(sa->x.buf), sa->icky, sa->rcky, ISAKMP_EXCH_AGGRESSIVE,
		     0, 0);
	isakmp_put_sa(&w, 1, PROTO_ISAKMP, NULL, 0, 1, t, n);
	sa->sai_len = w.len - ISAKMP_HDR_LEN - ISAKMP_GEN_LEN;
	sa->sai_b = malloc(sa->sai_len);
	if (!sa->sai_b)
		return -1;
	memcpy(sa->sai_b, w.b + ISAKMP_HDR_LEN + ISAKMP_GEN_LEN, sa->sai_len);
	isakmp_pl(&w, ISAKMP_NP_KE, sa->gxi, sa->gxlen);
	isakmp_pl(&w, ISAKMP_NP_NONCE, sa->ni, sa->nilen);
	isakmp_pl(&w, ISAKMP_NP_ID, idb, id_body(&c->local_id, idb));
	ike_natt_put_vids(sa, &w);
	ike_dpd_put_vid(&w);
	sa->x.len = isakmp_finish(&w);
	if (!sa->x.len)
		return -1;
	sa->state = AM_I1;
	log_info("conn %s: initiating Aggressive Mode (%s)", c->name,
		 ike_dh_name(sa->chosen.group));
	ike_send(sa, &sa->x, true);
	return 0;
}

/* Aggressive Mode responder, message 1 (the connection allows it). */
static void am_respond(struct ike_daemon *d, struct ike_conn *c,
		       const struct sockaddr_storage *from, socklen_t fromlen,
		       const struct ike_msg *m, const uint8_t *dg)
{
	const struct ike_payload *p = isakmp_find(m, ISAKMP_NP_SA);
	const struct ike_payload *id = isakmp_find(m, ISAKMP_NP_ID);
	struct ike_sa_payload *sap = calloc(1, sizeof(*sap));
	uint8_t idb[4 + IKE_ID_MAX], hash[IKE_PRF_MAX];
	struct ike_sa *sa = NULL;
	struct ike_wbuf w;
	const char *err;
	char why[160];
	int pi, ti;
	size_t idlen;

	if (!sap)
		return;
	if (!p || !id || isakmp_parse_sa(p->body, p->len, 1, sap, &err) < 0) {
		log_warn("conn %s: Aggressive Mode message 1 without a valid SA or ID: dropped",
			 c->name);
		goto out;
	}
	if (p1_select(sap, c->ike, c->nike, &pi, &ti, why, sizeof(why)) < 0) {
		log_warn("conn %s: no acceptable IKE proposal: %s: NO-PROPOSAL-CHOSEN", c->name, why);
		ike_send_notify_plain(d, from, fromlen, m->icookie, m->rcookie, N_NO_PROPOSAL_CHOSEN);
		goto out;
	}
	if (!id_matches(id, &c->remote_id) || id->len > sizeof(sa->peer_id)) {
		log_warn("conn %s: peer's ID is not %s: INVALID-ID-INFORMATION", c->name,
			 c->remote_id.text);
		goto out;
	}
	sa = sa_new(d, c, false);
	if (!sa)
		goto out;
	memcpy(&sa->peer, from, fromlen);
	sa->peerlen = fromlen;
	memcpy(sa->icky, m->icookie, IKE_COOKIE_LEN);
	ike_random(sa->rcky, sizeof(sa->rcky));
	ike_natt_take_vids(sa, m);
	if (take_transform(sa, &sap->p[pi].t[ti]) < 0)
		goto bad;
	sa->gxlen = ike_dh_len(sa->chosen.group);
	sa->sai_b = malloc(p->len);
	if (!sa->sai_b)
		goto bad;
	memcpy(sa->sai_b, p->body, p->len);
	sa->sai_len = p->len;
	memcpy(sa->peer_id, id->body, id->len);
	sa->peer_idlen = id->len;
	if (take_ke_nonce(sa, m, sa->gxi, sa->ni, &sa->nilen) < 0)
		goto bad;
	sa->dh = ike_dh_new(sa->chosen.group);
	sa->nrlen = IKE_NONCE_LEN;
	ike_random(sa->nr, sa->nrlen);
	if (!sa->dh || ike_dh_public(sa->dh, sa->gxr) < 0 || derive(sa, sa->gxi, sa->gxlen) < 0)
		goto bad;
	idlen = id_body(&c->local_id, idb);
	if (ike_hash_auth(&sa->keys, sa->gxr, sa->gxi, sa->gxlen, sa->gxlen, sa->rcky, sa->icky,
			  sa->sai_b, sa->sai_len, idb, idlen, hash) < 0)
		goto bad;
	isakmp_begin(&w, sa->x.buf, sizeof(sa->x.buf), sa->icky, sa->rcky, ISAKMP_EXCH_AGGRESSIVE,
		     0, 0);
	isakmp_put_sa(&w, 1, PROTO_ISAKMP, NULL, 0, sap->p[pi].num, &sa->chosen, 1);
	isakmp_pl(&w, ISAKMP_NP_KE, sa->gxr, sa->gxlen);
	isakmp_pl(&w, ISAKMP_NP_NONCE, sa->nr, sa->nrlen);
	isakmp_pl(&w, ISAKMP_NP_ID, idb, idlen);
	isakmp_pl(&w, ISAKMP_NP_HASH, hash, sa->keys.plen);
	ike_natt_put_vids(sa, &w);
	if (ike_natt_put_natd(sa, &w) < 0)
		goto bad;
	ike_dpd_put_vid(&w);
	sa->x.len = isakmp_finish(&w);
	if (!sa->x.len)
		goto bad;
	ike_dpd_peer_vid(sa, m);
	sa->state = AM_R1;
	ike_xmit_seen(&sa->x, dg);
	log_info("conn %s: Aggressive Mode (allowed by aggressive = yes), chose its transform %u (%s)",
		 c->name, sa->chosen.num, p1_name(&sa->chosen, why, sizeof(why)));
	ike_send(sa, &sa->x, false);
	goto out;
bad:
	ike_sa_free(sa);
out:
	free(sap);
}

/* Aggressive Mode initiator, message 2: verify, answer with HASH_I. */
static int am_got_reply(struct ike_sa *sa, const struct ike_msg *m)
{
	uint8_t idb[4 + IKE_ID_MAX], hash[IKE_PRF_MAX];
	struct ike_wbuf w;
	size_t idlen;

	if (got_sa(sa, m) < 0)
		return -1;
	if (sa->chosen.group != ike_dh_group(sa->dh)) {
		log_warn("conn %s: responder chose another DH group than our KE's", sa->conn->name);
		return -1;
	}
	memcpy(sa->rcky, m->rcookie, IKE_COOKIE_LEN);
	ike_natt_take_vids(sa, m);
	if (take_ke_nonce(sa, m, sa->gxr, sa->nr, &sa->nrlen) < 0 ||
	    derive(sa, sa->gxr, sa->gxlen) < 0 || check_id_hash(sa, m) < 0 ||
	    ike_natt_take_natd(sa, m) < 0)
		return -1;
	/* message 3 goes on the NAT-T port already, its NAT-D for those ports */
	ike_natt_float(sa);
	idlen = id_body(&sa->conn->local_id, idb);
	if (ike_hash_auth(&sa->keys, sa->gxi, sa->gxr, sa->gxlen, sa->gxlen, sa->icky, sa->rcky,
			  sa->sai_b, sa->sai_len, idb, idlen, hash) < 0)
		return -1;
	isakmp_begin(&w, sa->x.buf, sizeof(sa->x.buf), sa->icky, sa->rcky, ISAKMP_EXCH_AGGRESSIVE,
		     0, 0);
	isakmp_pl(&w, ISAKMP_NP_HASH, hash, sa->keys.plen);
	if (ike_natt_put_natd(sa, &w) < 0)
		return -1;
	sa->x.len = ike_encrypt(sa, &w, sa->iv);
	if (!sa->x.len)
		return -1;
	ike_send(sa, &sa->x, false);
	return 0;
}

/* Aggressive Mode responder, message 3: HASH_I, encrypted or not. */
static int am_got_hash(struct ike_sa *sa, uint8_t *buf, size_t len, struct ike_msg *m)
{
	const struct ike_payload *h;
	uint8_t want[IKE_PRF_MAX], iv[IKE_BLOCK_MAX];
	const char *why;
	uint8_t bad = 0;

	memcpy(iv, sa->iv, sa->block);
	if (m->flags & ISAKMP_FLAG_ENC) {
		if (ike_decrypt(sa, buf, len, m, iv) < 0)
			return -1;
	} else if (isakmp_parse_payloads(m, buf + ISAKMP_HDR_LEN, len - ISAKMP_HDR_LEN, m->np,
					 false, &why, &bad) < 0) {
		log_warn("conn %s: malformed Aggressive Mode message 3: %s", sa->conn->name, why);
		return -1;
	}
	h = isakmp_find(m, ISAKMP_NP_HASH);
	if (!h || ike_hash_auth(&sa->keys, sa->gxi, sa->gxr, sa->gxlen, sa->gxlen, sa->icky,
				sa->rcky, sa->sai_b, sa->sai_len, sa->peer_id, sa->peer_idlen,
				want) < 0 ||
	    h->len != sa->keys.plen || CRYPTO_memcmp(h->body, want, h->len)) {
		log_warn("conn %s: peer's HASH_I does not verify (different PSK?): "
			 "AUTHENTICATION-FAILED", sa->conn->name);
		return -1;
	}
	/* a cleartext message 3 proves itself only now */
	ike_natt_rx_ok(sa);
	if (ike_natt_take_natd(sa, m) < 0)
		return -1;
	memcpy(sa->iv, iv, sa->block);
	return 0;
}

struct ike_sa *ike_p1_initiate(struct ike_daemon *d, struct ike_conn *c)
{
	struct ike_transform t[IKE_MAX_PROPS];
	struct ike_sa *sa = sa_new(d, c, true);
	struct ike_wbuf w;
	int i;

	if (!sa)
		return NULL;
	sa->peerlen = ike_sockaddr(&sa->conn->remote, sa->d->port, &sa->peer);
	ike_random(sa->icky, sizeof(sa->icky));
	if (c->aggressive)
		return am_initiate(sa) < 0 ? (ike_sa_free(sa), NULL) : sa;
	for (i = 0; i < c->nike; i++)
		p1_to_transform(&c->ike[i], c->ike_lifetime, (uint8_t)(i + 1), &t[i]);
	isakmp_begin(&w, sa->x.buf, sizeof(sa->x.buf), sa->icky, sa->rcky, ISAKMP_EXCH_IDPROT, 0, 0);
	isakmp_put_sa(&w, 1, PROTO_ISAKMP, NULL, 0, 1, t, c->nike);
	/* HASH_I/R cover the SA payload's body alone, not the VIDs after it */
	sa->sai_len = w.len - ISAKMP_HDR_LEN - ISAKMP_GEN_LEN;
	ike_natt_put_vids(sa, &w);
	ike_dpd_put_vid(&w);
	sa->x.len = isakmp_finish(&w);
	sa->sai_b = malloc(sa->sai_len);
	if (!sa->x.len || !sa->sai_b) {
		ike_sa_free(sa);
		return NULL;
	}
	memcpy(sa->sai_b, sa->x.buf + ISAKMP_HDR_LEN + ISAKMP_GEN_LEN, sa->sai_len);
	sa->state = MM_I1;
	log_info("conn %s: initiating Main Mode", c->name);
	ike_send(sa, &sa->x, true);
	return sa;
}

/*
 * May @c take one more responder SA? Each costs a DH computation and lives
 * until its exchange completes or times out, and the first message needs
 * nothing but the peer's address (which a flood can spoof): at most
 * d->max_half_open per connection wait at a time, the rest are dropped
 * (logged once per second, with the count dropped since). Other
 * connections are unaffected.
 */
static bool half_open_ok(struct ike_daemon *d, struct ike_conn *c, const struct kipsec_addr *src)
{
	char buf[KIPSEC_ADDR_STRLEN];
	const struct ike_sa *sa;
	uint64_t now;
	int n = 0;

	for (sa = d->sas; sa; sa = sa->next)
		if (sa->conn == c && !sa->initiator &&
		    (sa->state == MM_R1 || sa->state == MM_R2 || sa->state == AM_R1))
			n++;
	if (n < d->max_half_open)
		return true;
	c->half_open_dropped++;
	now = ike_now_ms();
	if (now >= c->half_open_logged + 1000) {
		log_warn("conn %s: %d half-open IKE SAs with %s already (--max-half-open): "
			 "%lu first message%s dropped", c->name, n, kipsec_addr_str(src, buf),
			 c->half_open_dropped, c->half_open_dropped == 1 ? "" : "s");
		c->half_open_logged = now;
		c->half_open_dropped = 0;
	}
	return false;
}

/* Responder, message 1: pick a transform and answer with it. */
static void respond_sa(struct ike_daemon *d, const struct sockaddr_storage *from,
		       socklen_t fromlen, const struct ike_msg *m, const uint8_t *dg)
{
	static const uint8_t zero[IKE_COOKIE_LEN];
	const struct ike_payload *p = isakmp_find(m, ISAKMP_NP_SA);
	struct ike_sa_payload *sap = calloc(1, sizeof(*sap));
	char why[160], buf[KIPSEC_ADDR_STRLEN];
	struct kipsec_addr src;
	struct ike_conn *c = NULL;
	struct ike_sa *sa = NULL;
	struct ike_wbuf w;
	const char *err;
	int i, pi, ti;

	ike_addr_of(from, &src);
	for (i = 0; i < d->cfg.nconns; i++)
		if (addr_eq(&d->cfg.conns[i].remote, &src)) {
			c = &d->cfg.conns[i];
			break;
		}
	if (!sap)
		return;
	if (!c) {
		log_warn("%s from %s: no connection for this peer: dropped",
			 m->exch == ISAKMP_EXCH_AGGRESSIVE ? "Aggressive Mode" : "Main Mode",
			 kipsec_addr_str(&src, buf));
		goto out;
	}
	if (!half_open_ok(d, c, &src))
		goto out;
	if (m->exch == ISAKMP_EXCH_AGGRESSIVE) {
		if (c->aggressive)
			am_respond(d, c, from, fromlen, m, dg);
		else
			log_warn("conn %s: Aggressive Mode from %s refused: with a pre-shared key its "
				 "cleartext hash can be cracked offline (set aggressive = yes to "
				 "allow it)", c->name, kipsec_addr_str(&src, buf));
		goto out;
	}
	if (!p || isakmp_count(m, ISAKMP_NP_SA) != 1) {
		log_warn("conn %s: first Main Mode message without one SA payload: dropped", c->name);
		goto out;
	}
	if (isakmp_parse_sa(p->body, p->len, 1, sap, &err) < 0) {
		log_warn("conn %s: malformed SA payload: %s", c->name, err);
		ike_send_notify_plain(d, from, fromlen, m->icookie, zero, N_PAYLOAD_MALFORMED);
		goto out;
	}
	if (p1_select(sap, c->ike, c->nike, &pi, &ti, why, sizeof(why)) < 0) {
		log_warn("conn %s: no acceptable IKE proposal: %s: NO-PROPOSAL-CHOSEN", c->name, why);
		ike_send_notify_plain(d, from, fromlen, m->icookie, zero, N_NO_PROPOSAL_CHOSEN);
		goto out;
	}
	sa = sa_new(d, c, false);
	if (!sa)
		goto out;
	memcpy(&sa->peer, from, fromlen);
	sa->peerlen = fromlen;
	memcpy(sa->icky, m->icookie, IKE_COOKIE_LEN);
	ike_random(sa->rcky, sizeof(sa->rcky));
	if (take_transform(sa, &sap->p[pi].t[ti]) < 0)
		goto bad;
	sa->sai_b = malloc(p->len);
	if (!sa->sai_b)
		goto bad;
	memcpy(sa->sai_b, p->body, p->len);
	sa->sai_len = p->len;
	isakmp_begin(&w, sa->x.buf, sizeof(sa->x.buf), sa->icky, sa->rcky, ISAKMP_EXCH_IDPROT, 0, 0);
	ike_natt_take_vids(sa, m);
	isakmp_put_sa(&w, 1, PROTO_ISAKMP, NULL, 0, sap->p[pi].num, &sa->chosen, 1);
	ike_natt_put_vids(sa, &w);
	ike_dpd_put_vid(&w);
	sa->x.len = isakmp_finish(&w);
	if (!sa->x.len)
		goto bad;
	ike_dpd_peer_vid(sa, m);
	sa->gxlen = ike_dh_len(sa->chosen.group);
	sa->state = MM_R1;
	ike_xmit_seen(&sa->x, dg);
	log_info("conn %s: Main Mode from %s, chose its transform %u (%s)", c->name,
		 kipsec_addr_str(&src, buf), sa->chosen.num, p1_name(&sa->chosen, why, sizeof(why)));
	ike_send(sa, &sa->x, false);
	goto out;
bad:
	ike_sa_free(sa);
out:
	free(sap);
}

/* Initiator, message 2: the responder's choice must be one we offered. */
static int got_sa(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_payload *p = isakmp_find(m, ISAKMP_NP_SA);
	struct ike_sa_payload *sap = calloc(1, sizeof(*sap));
	const char *err;
	int ret = -1;

	if (!sap)
		return -1;
	if (!p) {
		log_warn("conn %s: Main Mode reply without SA payload: dropped", sa->conn->name);
	} else if (isakmp_parse_sa(p->body, p->len, 1, sap, &err) < 0) {
		log_warn("conn %s: malformed SA payload in reply: %s", sa->conn->name, err);
	} else if (sap->nprop != 1 || sap->p[0].ntrans != 1 ||
		   p1_match(&sap->p[0].t[0], sa->conn->ike, sa->conn->nike) < 0 ||
		   take_transform(sa, &sap->p[0].t[0]) < 0) {
		log_warn("conn %s: responder chose a transform we did not offer", sa->conn->name);
	} else {
		ret = 0;
	}
	free(sap);
	return ret;
}

static void fail(struct ike_sa *sa, const char *what)
{
	log_warn("conn %s: Main Mode %s failed", sa->conn->name, what);
	sa->state = P1_DEAD;
}

void ike_p1_input(struct ike_daemon *d, struct ike_sa *sa, const struct sockaddr_storage *from,
		  socklen_t fromlen, uint8_t *buf, size_t len, const struct ike_msg *hdr)
{
	uint8_t dg[32], ke[IKE_DH_MAX];
	struct ike_msg m = *hdr;
	const char *why;
	uint8_t bad = 0;

	ike_digest(buf, len, dg);
	if (!sa) {
		if (isakmp_parse_payloads(&m, buf + ISAKMP_HDR_LEN, len - ISAKMP_HDR_LEN, m.np,
					  false, &why, &bad) < 0) {
			log_warn("malformed first Main Mode message: %s%s%s: dropped", why,
				 bad ? " " : "", bad ? isakmp_np_name(bad) : "");
			return;
		}
		respond_sa(d, from, fromlen, &m, dg);
		return;
	}
	if (ike_xmit_is_dup(&sa->x, dg)) {
		/* a responder answers a resent request again; an initiator waits for its timer */
		if (!sa->initiator && sa->x.len) {
			log_debug("conn %s: duplicate Main Mode message: resending our reply",
				  sa->conn->name);
			ike_send(sa, &sa->x, false);
		}
		return;
	}
	if (!(m.flags & ISAKMP_FLAG_ENC) &&
	    isakmp_parse_payloads(&m, buf + ISAKMP_HDR_LEN, len - ISAKMP_HDR_LEN, m.np, false, &why,
				  &bad) < 0) {
		log_warn("conn %s: malformed Main Mode message: %s%s%s: dropped", sa->conn->name, why,
			 bad ? " " : "", bad ? isakmp_np_name(bad) : "");
		return;
	}
	if (!(m.flags & ISAKMP_FLAG_ENC))
		ike_dpd_peer_vid(sa, &m);
	if ((m.exch == ISAKMP_EXCH_AGGRESSIVE) != (sa->state == AM_I1 || sa->state == AM_R1)) {
		log_debug("conn %s: exchange type %u does not fit state %d: dropped", sa->conn->name,
			  m.exch, sa->state);
		return;
	}
	switch (sa->state) {
	case AM_I1:
		if (am_got_reply(sa, &m) < 0)
			return fail(sa, "Aggressive Mode");
		ike_xmit_seen(&sa->x, dg);
		goto established;
	case AM_R1:
		if (am_got_hash(sa, buf, len, &m) < 0)
			return;
		ike_xmit_seen(&sa->x, dg);
		goto established;
	case MM_I1:
		if (got_sa(sa, &m) < 0)
			return;
		ike_natt_take_vids(sa, &m);
		memcpy(sa->rcky, m.rcookie, IKE_COOKIE_LEN);
		sa->gxlen = ike_dh_len(sa->chosen.group);
		ike_xmit_seen(&sa->x, dg);
		if (send_ke_nonce(sa, sa->gxi, sa->ni, &sa->nilen) < 0)
			return fail(sa, "key exchange");
		sa->state = MM_I2;
		break;
	case MM_R1:
		if (take_ke_nonce(sa, &m, sa->gxi, sa->ni, &sa->nilen) < 0 ||
		    ike_natt_take_natd(sa, &m) < 0)
			return;
		ike_xmit_seen(&sa->x, dg);
		if (send_ke_nonce(sa, sa->gxr, sa->nr, &sa->nrlen) < 0 ||
		    derive(sa, sa->gxi, sa->gxlen) < 0)
			return fail(sa, "key exchange");
		sa->state = MM_R2;
		break;
	case MM_I2:
		if (take_ke_nonce(sa, &m, ke, sa->nr, &sa->nrlen) < 0 ||
		    ike_natt_take_natd(sa, &m) < 0)
			return;
		memcpy(sa->gxr, ke, sa->gxlen);
		ike_xmit_seen(&sa->x, dg);
		/* message 5 on: the NAT-T port, if a NAT is between us */
		ike_natt_float(sa);
		if (derive(sa, sa->gxr, sa->gxlen) < 0 || send_id_hash(sa) < 0)
			return fail(sa, "authentication");
		sa->state = MM_I3;
		break;
	case MM_R2:
	case MM_I3: {
		uint8_t iv[IKE_BLOCK_MAX];

		/* the chain moves only if the message is genuine */
		memcpy(iv, sa->iv, sa->block);
		if (ike_decrypt(sa, buf, len, &m, iv) < 0 || check_id_hash(sa, &m) < 0)
			return;
		memcpy(sa->iv, iv, sa->block);
		ike_xmit_seen(&sa->x, dg);
		if (sa->state == MM_R2) {
			if (send_id_hash(sa) < 0)
				return fail(sa, "authentication");
			/* our message 6 ends phase 1: its last block seeds phase 2 */
		}
established:
		memcpy(sa->p1_last, sa->iv, sa->block);
		sa->x.due = 0;
		sa->state = P1_ESTABLISHED;
		ike_dh_free(sa->dh);
		sa->dh = NULL;
		log_established(sa);
		ike_p1_established(sa);
		/* a phase-1 rekey brings no CHILD SA: the new IKE SA took the old one's */
		if (sa->initiator && !sa->p1_rekey)
			ike_qm_initiate(sa);
		break;
	}
	default:
		log_debug("conn %s: Main Mode message in state %d: dropped", sa->conn->name,
			  sa->state);
	}
}
