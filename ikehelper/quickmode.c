// SPDX-License-Identifier: GPL-2.0
/*
 * Quick Mode (RFC 2409 section 5.5): one ESP SA pair per exchange, proxy
 * IDs from the connection's traffic selectors, optional PFS.
 *
 *   I -> R  *HASH(1), SA, Ni [, KE] [, IDci, IDcr]
 *   R -> I  *HASH(2), SA, Nr [, KE] [, IDci, IDcr]
 *   I -> R  *HASH(3)
 *
 * The initiator installs both SAs on message 2, the responder on message 3.
 * The responder resends message 2 until message 3 arrives; the initiator
 * answers a resent message 2 with message 3 again.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "events.h"
#include "export.h"
#include "ike.h"
#include "lifetime.h"
#include "log.h"

/*
 * The encapsulation mode we propose (our numbering) and the one we accept
 * (RFC 3947's: a peer's draft numbers are read as those).
 */
#define QM_ENCAP(sa) ike_natt_encap(sa)
#define QM_ENCAP_WANT(sa) natt_encap_norm(ike_natt_encap(sa))
/*
 * A rekey's initiator installs its new outbound SA this long after sending
 * message 3 (the responder installs on it), and deletes the old pair this
 * long after that (packets already on their way on it still arrive).
 */
#define REKEY_SETTLE_MS 1000

/*
 * Does proxy ID @p name the traffic @want selects? Peers write one prefix
 * as a subnet, a range or (a host) an address: they are compared by what
 * they select. An ID we can't read is logged with the reason.
 */
static bool ts_matches(const struct ike_sa *sa, const struct ike_payload *p,
		       const struct ike_ts *want)
{
	struct ike_ts got;
	char why[160];

	if (ike_ts_from_id(p->body, p->len, &got, why, sizeof(why)) < 0) {
		log_warn("conn %s: proxy ID refused: %s", sa->conn->name, why);
		return false;
	}
	return ike_ts_same(&got, want);
}

/* Without proxy IDs a Quick Mode protects the two hosts, all traffic. */
static bool hosts_only(const struct ike_ts *ts, const struct kipsec_addr *a)
{
	struct ike_ts host;

	ike_ts_host(&host, a);
	return ike_ts_same(ts, &host);
}

/* A proxy ID as text for the log ("?" when unreadable). */
static const char *id_text(const struct ike_payload *p, char *buf, size_t len)
{
	struct ike_ts ts;
	char why[160];

	if (ike_ts_from_id(p->body, p->len, &ts, why, sizeof(why)) < 0)
		return "?";
	return ike_ts_str(&ts, buf, len);
}

static void rest_of(const struct ike_msg *m, int from, const uint8_t **p, size_t *len)
{
	const struct ike_payload *last = &m->pl[m->n - 1];

	/* payloads are contiguous: from the one after HASH to the end of the last */
	*p = m->pl[from].body - ISAKMP_GEN_LEN;
	*len = (size_t)(last->body + last->len - *p);
}

/* HASH must come first and verify over the rest of the message. */
static int check_hash(struct ike_sa *sa, const struct ike_msg *m, const uint8_t *extra,
		      size_t extralen, const char *which)
{
	uint8_t want[IKE_PRF_MAX];
	const uint8_t *rest;
	size_t restlen;

	if (m->n < 2 || m->pl[0].type != ISAKMP_NP_HASH) {
		log_warn("conn %s: Quick Mode %s does not start with a HASH: dropped",
			 sa->conn->name, which);
		return -1;
	}
	rest_of(m, 1, &rest, &restlen);
	if (ike_hash_msg(sa, false, m->msgid, extra, extralen, rest, restlen, want) < 0)
		return -1;
	if (m->pl[0].len != sa->keys.plen || CRYPTO_memcmp(m->pl[0].body, want, m->pl[0].len)) {
		log_warn("conn %s: Quick Mode %s fails its HASH: dropped", sa->conn->name, which);
		return -1;
	}
	ike_dpd_alive(sa);
	return 0;
}

/* Start a message with a zeroed HASH payload; returns where its value goes. */
static size_t begin_hashed(struct ike_sa *sa, struct ike_quick *q, struct ike_wbuf *w)
{
	static const uint8_t zero[IKE_PRF_MAX];
	size_t off;

	isakmp_begin(w, q->x.buf, sizeof(q->x.buf), sa->icky, sa->rcky, ISAKMP_EXCH_QUICK, 0,
		     q->msgid);
	isakmp_pl_open(w, ISAKMP_NP_HASH);
	off = w->len;
	isakmp_put(w, zero, sa->keys.plen);
	isakmp_pl_close(w);
	return off;
}

static int finish_hashed(struct ike_sa *sa, struct ike_quick *q, struct ike_wbuf *w, size_t hoff,
			 const uint8_t *extra, size_t extralen)
{
	size_t rest = hoff + sa->keys.plen;

	if (w->overflow ||
	    ike_hash_msg(sa, false, q->msgid, extra, extralen, w->b + rest, w->len - rest,
			 w->b + hoff) < 0)
		return -1;
	q->x.len = ike_encrypt(sa, w, q->iv);
	return q->x.len ? 0 : -1;
}

static uint32_t new_spi(void)
{
	uint32_t spi;

	/* SPIs 1..255 are reserved by IANA (RFC 4303 2.1) */
	do
		ike_random(&spi, sizeof(spi));
	while (spi < 256);
	return spi;
}

static struct ike_quick *qm_new(struct ike_sa *sa, uint32_t msgid, bool initiator)
{
	struct ike_quick *q = calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	q->sa = sa;
	q->msgid = msgid;
	q->initiator = initiator;
	q->proto = PROTO_IPSEC_ESP;
	q->next = sa->qms;
	sa->qms = q;
	return q;
}

void ike_qm_free(struct ike_quick *q)
{
	if (q->installed)
		ike_kernel_remove(q);
	ike_dh_free(q->dh);
	OPENSSL_cleanse(q, sizeof(*q));
	free(q);
}

/* The PFS exchange: our public value now, g(qm)^xy once the peer's is known. */
static int pfs_begin(struct ike_quick *q, uint16_t group, uint8_t *pub)
{
	q->dh = ike_dh_new(group);
	return q->dh && ike_dh_public(q->dh, pub) == 0 ? 0 : -1;
}

static int pfs_finish(struct ike_quick *q, const struct ike_msg *m)
{
	const struct ike_payload *ke = isakmp_find(m, ISAKMP_NP_KE);

	if (!q->dh)
		return ke ? -1 : 0;
	if (!ke)
		return -1;
	return ike_dh_shared(q->dh, ke->body, ke->len, q->gqm, &q->gqmlen);
}

static int take_nonce(const struct ike_msg *m, uint8_t *n, size_t *len)
{
	const struct ike_payload *p = isakmp_find(m, ISAKMP_NP_NONCE);

	if (!p || p->len < 8 || p->len > IKE_NONCE_MAX)
		return -1;
	memcpy(n, p->body, p->len);
	*len = p->len;
	return 0;
}

/* The new pair is all in: the one it replaces goes after a while. */
static void retire(struct ike_quick *q)
{
	struct ike_sa *sa;
	struct ike_quick *o;

	for (sa = q->sa->d->sas; sa; sa = sa->next)
		for (o = sa->qms; o; o = o->next)
			if (o != q && o->spi_in == q->replaces && o->sa->conn == q->sa->conn &&
			    o->state == QM_DONE && !o->del_due) {
				o->del_due = ike_now_ms() + REKEY_SETTLE_MS;
				log_info("conn %s: rekey: new outbound SA 0x%08x in use; old CHILD SA "
					 "0x%08x/0x%08x deleted in %d ms", q->sa->conn->name,
					 q->spi_out, o->spi_in, o->spi_out, REKEY_SETTLE_MS);
				return;
			}
	log_info("conn %s: rekey: the CHILD SA with inbound SPI 0x%08x is gone already",
		 q->sa->conn->name, q->replaces);
}

void ike_qm_install_out(struct ike_quick *q)
{
	q->out_due = 0;
	if (ike_kernel_install_out(q, q->kout, q->ah_kout) < 0) {
		log_err("conn %s: rekey: cannot install outbound SA 0x%08x: dropping the new "
			"CHILD SA, the old one stays", q->sa->conn->name, q->spi_out);
		q->state = QM_DEAD;
	} else {
		retire(q);
	}
	OPENSSL_cleanse(q->kout, sizeof(q->kout));
	OPENSSL_cleanse(q->ah_kout, sizeof(q->ah_kout));
}

/*
 * Transport mode through a NAT: the original addresses (NAT-OAi, NAT-OAr;
 * RFC 3947 5.2), for the peer's checksum fixups; kipsec needs none of the
 * peer's (its input recomputes what the NAT broke).
 */
static void put_natoa(struct ike_sa *sa, struct ike_wbuf *w, const struct kipsec_addr *i,
		      const struct kipsec_addr *r)
{
	if (!sa->floated || sa->conn->mode != ENCAP_TRANSPORT)
		return;
	natt_put_oa(w, natt_np_natoa(sa->natt ? sa->natt : NATT_RFC3947), i);
	natt_put_oa(w, natt_np_natoa(sa->natt ? sa->natt : NATT_RFC3947), r);
}

/*
 * The peer's NAT-OA payloads (NAT-OAi, NAT-OAr; a malformed one is
 * refused), logged; @oa[i] has family 0 where one is missing.
 */
static int take_natoa(struct ike_sa *sa, const struct ike_msg *m, struct kipsec_addr oa[2])
{
	char b[KIPSEC_ADDR_STRLEN];
	struct kipsec_addr a;
	int i, n = 0;

	memset(oa, 0, 2 * sizeof(*oa));
	for (i = 0; i < m->n; i++) {
		if (m->pl[i].type != ISAKMP_NP_NATOA && m->pl[i].type != ISAKMP_NP_NATOA_DRAFT)
			continue;
		if (natt_parse_oa(m->pl[i].body, m->pl[i].len, &a) < 0) {
			log_warn("conn %s: malformed NAT-OA payload (%zu bytes): dropped",
				 sa->conn->name, m->pl[i].len);
			return -1;
		}
		if (n < 2)
			oa[n] = a;
		log_info("conn %s: NAT-OA%c: %s", sa->conn->name, n++ ? 'r' : 'i',
			 kipsec_addr_str(&a, b));
	}
	return 0;
}

/*
 * Does proxy ID @p name @want (a selector of ours), or, in transport mode
 * through a NAT, the address @oa the peer's NAT-OA gives for that end
 * (the peer names the hosts as it knows them, RFC 3947 5.2)?
 */
static bool ts_or_oa(const struct ike_sa *sa, const struct ike_payload *p,
		     const struct ike_ts *want, const struct kipsec_addr *oa, bool behind)
{
	struct ike_ts host;

	if (ts_matches(sa, p, want))
		return true;
	if (!sa->floated || sa->conn->mode != ENCAP_TRANSPORT || !behind || !oa->family)
		return false;
	ike_ts_host(&host, oa);
	host.proto = want->proto;
	host.port = want->port;
	if (!ts_matches(sa, p, &host))
		return false;
	log_info("conn %s: proxy ID is the address before the NAT (NAT-OA): accepted for the "
		 "one we see", sa->conn->name);
	return true;
}

/* Read the drafts' UDP modes as RFC 3947's; keep what was sent to echo it. */
static void norm_encap(struct ike_sa_payload *sap,
		       uint16_t raw[IKE_MAX_PROPOSALS][IKE_MAX_TRANSFORMS])
{
	int i, j;

	for (i = 0; i < sap->nprop; i++)
		for (j = 0; j < sap->p[i].ntrans; j++) {
			raw[i][j] = sap->p[i].t[j].encap;
			sap->p[i].t[j].encap = natt_encap_norm(raw[i][j]);
		}
}

/* KEYMAT for both directions, then the kernel. */
static int install(struct ike_quick *q)
{
	struct esp_kalg k, ak;
	uint8_t kin[128], kout[128], akin[64], akout[64];
	char algs[96];
	size_t len;
	int ret = -1;
	uint32_t rnd[2];
	char bytes[64];
	bool defer;

	if (ike_kernel_kalg(q, &k) < 0 || (q->bundle && ah_kalg(&q->ah_prop, &ak) < 0))
		return -1;
	/* ESP in UDP to where the peer's NAT shows it, fixed for the SA's life */
	q->encap = q->sa->floated;
	q->encap_peer_port = ike_port_of(&q->sa->peer);
	len = k.enc_keylen + k.auth_keylen;
	if (len > sizeof(kin))
		return -1;
	/* KEYMAT differs per protocol and SPI (RFC 2409 5.5) */
	if (ike_keymat(&q->sa->keys, q->dh ? q->gqm : NULL, q->gqmlen, q->proto, q->spi_in,
		       q->ni, q->nilen, q->nr, q->nrlen, kin, len) < 0 ||
	    ike_keymat(&q->sa->keys, q->dh ? q->gqm : NULL, q->gqmlen, q->proto, q->spi_out,
		       q->ni, q->nilen, q->nr, q->nrlen, kout, len) < 0)
		goto out;
	if (q->bundle && (ak.auth_keylen > sizeof(akin) ||
			  ike_keymat(&q->sa->keys, q->dh ? q->gqm : NULL, q->gqmlen,
				     PROTO_IPSEC_AH, q->ah_spi_in, q->ni, q->nilen, q->nr,
				     q->nrlen, akin, ak.auth_keylen) < 0 ||
			  ike_keymat(&q->sa->keys, q->dh ? q->gqm : NULL, q->gqmlen,
				     PROTO_IPSEC_AH, q->ah_spi_out, q->ni, q->nilen, q->nr,
				     q->nrlen, akout, ak.auth_keylen) < 0))
		goto out;
	if (q->dh)
		ike_log_key("g(qm)^xy", q->gqm, q->gqmlen);
	ike_log_key(q->proto == PROTO_IPSEC_AH ? "AH inbound KEYMAT" : "ESP inbound KEYMAT", kin,
		    len);
	ike_log_key(q->proto == PROTO_IPSEC_AH ? "AH outbound KEYMAT" : "ESP outbound KEYMAT", kout,
		    len);
	if (q->bundle) {
		ike_log_key("AH inbound KEYMAT", akin, ak.auth_keylen);
		ike_log_key("AH outbound KEYMAT", akout, ak.auth_keylen);
	}
	ike_random(rnd, sizeof(rnd));
	ike_qm_life_soft(q, rnd[0], rnd[1]);
	/*
	 * Make-before-break: the pair in use keeps carrying our traffic until
	 * the peer, which installs on message 3, can take the new outbound SA.
	 */
	defer = q->initiator && q->replaces;
	if (defer) {
		memcpy(q->kout, kout, len);
		if (q->bundle)
			memcpy(q->ah_kout, akout, ak.auth_keylen);
		q->out_due = ike_now_ms() + REKEY_SETTLE_MS;
	}
	ret = ike_kernel_install(q, kin, defer ? NULL : kout, len, akin, defer ? NULL : akout);
	/* Wireshark's esp_sa table: AH needs no key to be dissected */
	if (!ret && q->sa->d->export_dir && q->proto == PROTO_IPSEC_ESP) {
		const struct ike_conn *c = q->sa->conn;
		char line[512];

		if (!ike_export_esp_line(line, sizeof(line), &c->remote, &c->local, q->spi_in, &k,
					 kin))
			ike_export_append(q->sa->d->export_dir, "esp_sa", line);
		if (!ike_export_esp_line(line, sizeof(line), &c->local, &c->remote, q->spi_out, &k,
					 kout))
			ike_export_append(q->sa->d->export_dir, "esp_sa", line);
		OPENSSL_cleanse(line, sizeof(line));
	}
	if (!ret) {
		q->installed = true;
		q->installed_ms = ike_now_ms();
		if (k.aead || k.enc)
			snprintf(algs, sizeof(algs), "%s%s%s", k.aead ? k.aead : k.enc,
				 k.aead ? "" : " + ", k.aead ? "" : k.auth);
		else
			snprintf(algs, sizeof(algs), "%s", k.auth);
		log_info("conn %s: CHILD SA established, %s SPIs in 0x%08x out 0x%08x (%s), "
			 "lifetime %u s, soft %u s%s%s%s", q->sa->conn->name,
			 q->proto == PROTO_IPSEC_AH ? "AH" : "ESP", q->spi_in, q->spi_out, algs,
			 q->life_secs, q->soft_secs, ike_qm_life_bytes_str(q, bytes, sizeof(bytes)),
			 q->replaces ? " (rekey)" : "",
			 q->has_cpu ? ", outbound for one CPU" : "");
		if (q->bundle)
			log_info("conn %s: CHILD SA 0x%08x/0x%08x is an AH+ESP bundle: AH SPIs in "
				 "0x%08x out 0x%08x (%s, %s mode)", q->sa->conn->name, q->spi_in,
				 q->spi_out, q->ah_spi_in, q->ah_spi_out, ak.auth,
				 q->sa->conn->mode == ENCAP_TUNNEL ? "transport outside the ESP tunnel" :
				 "transport");
		if (q->encap)
			log_info("conn %s: CHILD SA 0x%08x/0x%08x is ESP in UDP: port %u <-> %u",
				 q->sa->conn->name, q->spi_in, q->spi_out, q->sa->d->natt_port,
				 q->encap_peer_port);
		if (defer)
			log_info("conn %s: rekey: outbound SA 0x%08x waits %d ms for the peer to "
				 "install its side; 0x%08x/... stays in use until then",
				 q->sa->conn->name, q->spi_out, REKEY_SETTLE_MS, q->replaces);
		else if (q->replaces)
			retire(q);
	}
out:
	OPENSSL_cleanse(kin, sizeof(kin));
	OPENSSL_cleanse(kout, sizeof(kout));
	OPENSSL_cleanse(akin, sizeof(akin));
	OPENSSL_cleanse(akout, sizeof(akout));
	return ret;
}

static void put_spi(uint8_t *p, uint32_t spi)
{
	p[0] = (uint8_t)(spi >> 24);
	p[1] = (uint8_t)(spi >> 16);
	p[2] = (uint8_t)(spi >> 8);
	p[3] = (uint8_t)spi;
}

/*
 * The SA offer of a connection with ah: one proposal number holding AH
 * alone, or ESP and AH (ANDed, each with its own SPI, RFC 2408 4.2).
 */
static void put_ah_offer(struct ike_sa *sa, struct ike_quick *q, struct ike_wbuf *w)
{
	const struct ike_conn *c = sa->conn;
	struct ike_transform te[IKE_MAX_PROPS], ta[IKE_MAX_PROPS];
	struct isakmp_prop_out p[2];
	uint8_t spi[4], ah_spi[4];
	int i, n = 0;

	q->proto = c->nesp ? PROTO_IPSEC_ESP : PROTO_IPSEC_AH;
	q->bundle = c->nesp > 0;
	put_spi(spi, q->spi_in);
	if (q->bundle) {
		q->ah_spi_in = new_spi();
		put_spi(ah_spi, q->ah_spi_in);
		for (i = 0; i < c->nesp; i++)
			p2_to_transform(&c->esp[i], QM_ENCAP(sa), c->pfs, c->lifetime,
					(uint8_t)(i + 1), &te[i]);
		p[n++] = (struct isakmp_prop_out){ .num = 1, .proto = PROTO_IPSEC_ESP,
						   .spi_size = 4, .spi = spi, .t = te,
						   .n = c->nesp };
	}
	for (i = 0; i < c->nah; i++)
		ah_to_transform(&c->ah[i], QM_ENCAP(sa), c->pfs, c->lifetime, (uint8_t)(i + 1),
				&ta[i]);
	p[n++] = (struct isakmp_prop_out){ .num = 1, .proto = PROTO_IPSEC_AH, .spi_size = 4,
					   .spi = q->bundle ? ah_spi : spi, .t = ta, .n = c->nah };
	isakmp_put_sa_props(w, 2, p, n);
	log_debug("conn %s: Quick Mode: offering %s, our AH SPI 0x%08x", c->name,
		  q->bundle ? "AH+ESP" : "AH only", q->bundle ? q->ah_spi_in : q->spi_in);
}

struct ike_quick *ike_qm_initiate(struct ike_sa *sa)
{
	const struct ike_conn *c = sa->conn;
	struct ike_transform t[IKE_MAX_PROPS];
	uint8_t spi[4], ke[IKE_DH_MAX], id[IKE_TS_ID_MAX];
	struct ike_quick *q;
	struct ike_wbuf w;
	uint32_t msgid;
	size_t hoff;
	int i;

	do
		ike_random(&msgid, sizeof(msgid));
	while (!msgid);
	q = qm_new(sa, msgid, true);
	if (!q)
		return NULL;
	if (sa->d->cs) {
		/* a rekey asked for by a soft expire */
		struct ike_conn_state *cs = &sa->d->cs[ike_conn_index(sa->d, c)];

		q->replaces = cs->replace;
		q->has_cpu = cs->next_cpu != 0;
		q->cpu = cs->next_cpu ? cs->next_cpu - 1 : 0;
		cs->replace = 0;
		cs->next_cpu = 0;
	}
	q->nilen = IKE_NONCE_LEN;
	ike_random(q->ni, q->nilen);
	q->spi_in = new_spi();
	log_debug("conn %s: Quick Mode: our SPI 0x%08x", c->name, q->spi_in);
	if (ike_iv_phase2(sa->keys.hash, sa->p1_last, sa->block, msgid, q->iv) < 0 ||
	    (c->pfs && pfs_begin(q, c->pfs, ke) < 0))
		goto bad;
	for (i = 0; i < c->nesp; i++) {
		p2_to_transform(&c->esp[i], QM_ENCAP(sa), c->pfs, c->lifetime, (uint8_t)(i + 1),
				&t[i]);
		ike_qm_life_offer(c, &t[i]);
	}
	spi[0] = (uint8_t)(q->spi_in >> 24);
	spi[1] = (uint8_t)(q->spi_in >> 16);
	spi[2] = (uint8_t)(q->spi_in >> 8);
	spi[3] = (uint8_t)q->spi_in;
	hoff = begin_hashed(sa, q, &w);
	if (c->nah)
		put_ah_offer(sa, q, &w);
	else
		isakmp_put_sa(&w, 2, PROTO_IPSEC_ESP, spi, 4, 1, t, c->nesp);
	isakmp_pl(&w, ISAKMP_NP_NONCE, q->ni, q->nilen);
	if (c->pfs)
		isakmp_pl(&w, ISAKMP_NP_KE, ke, ike_dh_len(c->pfs));
	isakmp_pl(&w, ISAKMP_NP_ID, id, ike_ts_to_id(&c->lts, id));
	isakmp_pl(&w, ISAKMP_NP_ID, id, ike_ts_to_id(&c->rts, id));
	put_natoa(sa, &w, &c->local, &c->remote);
	if (finish_hashed(sa, q, &w, hoff, NULL, 0) < 0)
		goto bad;
	q->state = QM_I1;
	if (q->has_cpu)
		log_info("conn %s: initiating Quick Mode%s%s%s for CPU %u", c->name,
			 c->pfs ? " with PFS " : "", c->pfs ? ike_dh_name(c->pfs) : "",
			 q->replaces ? " (rekey)" : "", q->cpu);
	else
		log_info("conn %s: initiating Quick Mode%s%s%s", c->name,
			 c->pfs ? " with PFS " : "", c->pfs ? ike_dh_name(c->pfs) : "",
			 q->replaces ? " (rekey)" : "");
	ike_send(sa, &q->x, true);
	return q;
bad:
	log_err("conn %s: cannot build Quick Mode message 1", c->name);
	q->state = QM_DEAD;
	return q;
}

/*
 * The answer to an AH or AH+ESP offer: the chosen number's protocols in the
 * initiator's order, one transform each (its encapsulation mode echoed as
 * sent), each with our SPI for it.
 */
static void put_ah_answer(struct ike_quick *q, struct ike_wbuf *w,
			  const struct ike_sa_payload *sap,
			  uint16_t raw[IKE_MAX_PROPOSALS][IKE_MAX_TRANSFORMS],
			  const struct p2_choice *ch)
{
	struct ike_transform t[2];
	struct isakmp_prop_out p[2];
	uint8_t spi[2][4];
	int idx[2][2] = { { ch->esp_p, ch->esp_t }, { ch->ah_p, ch->ah_t } };
	int k, n = 0;

	for (k = 0; k < 2; k++) {
		int which = k;

		/* the lower index first: the initiator's order */
		if (idx[0][0] >= 0 && idx[1][0] >= 0 && idx[1][0] < idx[0][0])
			which = !k;
		if (idx[which][0] < 0)
			continue;
		t[n] = sap->p[idx[which][0]].t[idx[which][1]];
		t[n].encap = raw[idx[which][0]][idx[which][1]];
		put_spi(spi[n], which == 1 && q->bundle ? q->ah_spi_in : q->spi_in);
		p[n] = (struct isakmp_prop_out){ .num = sap->p[idx[which][0]].num,
						 .proto = sap->p[idx[which][0]].proto,
						 .spi_size = 4, .spi = spi[n], .t = &t[n], .n = 1 };
		n++;
	}
	isakmp_put_sa_props(w, 2, p, n);
}

/* Responder, message 1. */
static void respond(struct ike_sa *sa, const struct ike_msg *m, const uint8_t *iv,
		    const uint8_t *dg)
{
	const struct ike_conn *c = sa->conn;
	const struct ike_payload *sp = isakmp_find(m, ISAKMP_NP_SA);
	struct ike_sa_payload *sap = calloc(1, sizeof(*sap));
	const struct ike_payload *ids[2];
	uint16_t raw[IKE_MAX_PROPOSALS][IKE_MAX_TRANSFORMS];
	struct ike_transform *t, tr;
	struct kipsec_addr peer, oa[2];
	uint8_t spi[4], ke[IKE_DH_MAX];
	struct ike_quick *q = NULL;
	struct ike_wbuf w;
	char why[160];
	struct p2_choice ch;
	const char *err;
	int i, nid = 0, pi, ti;
	size_t hoff;

	if (!sap)
		return;
	for (i = 0; i < m->n && nid < 2; i++)
		if (m->pl[i].type == ISAKMP_NP_ID)
			ids[nid++] = &m->pl[i];
	if (!sp || isakmp_parse_sa(sp->body, sp->len, 2, sap, &err) < 0) {
		log_warn("conn %s: Quick Mode SA payload missing or malformed: dropped", c->name);
		goto out;
	}
	norm_encap(sap, raw);
	/*
	 * Refusals are notified under the IKE SA, naming the initiator's SPI
	 * (its first proposal's), so that it stops retransmitting.
	 */
	if (c->nah) {
		if (p2_select_bundle(sap, c->esp, c->nesp, c->ah, c->nah, QM_ENCAP_WANT(sa), c->pfs,
				     &ch, why, sizeof(why)) < 0) {
			log_warn("conn %s: no acceptable %s proposal: %s: NO-PROPOSAL-CHOSEN",
				 c->name, c->nesp ? "AH+ESP" : "AH", why);
			ike_info_notify(sa, sap->nprop ? sap->p[0].proto : PROTO_IPSEC_AH,
					sap->p[0].spi, sap->nprop ? sap->p[0].spi_size : 0,
					N_NO_PROPOSAL_CHOSEN);
			goto out;
		}
		pi = ch.esp_p >= 0 ? ch.esp_p : ch.ah_p;
		ti = ch.esp_p >= 0 ? ch.esp_t : ch.ah_t;
	} else if (p2_select(sap, c->esp, c->nesp, QM_ENCAP_WANT(sa), c->pfs, &pi, &ti, why,
			     sizeof(why)) < 0) {
		log_warn("conn %s: no acceptable ESP proposal: %s: NO-PROPOSAL-CHOSEN", c->name, why);
		ike_info_notify(sa, PROTO_IPSEC_ESP, sap->p[0].spi, sap->nprop ? sap->p[0].spi_size : 0,
				N_NO_PROPOSAL_CHOSEN);
		goto out;
	} else {
		ch = (struct p2_choice){ pi, ti, -1, -1 };
	}
	if (take_natoa(sa, m, oa) < 0)
		goto out;
	if (nid == 1 ||
	    (nid == 2 && (!ts_or_oa(sa, ids[0], &c->rts, &oa[0], sa->nat_remote) ||
			  !ts_or_oa(sa, ids[1], &c->lts, &oa[1], sa->nat_local))) ||
	    (nid == 0 && (!hosts_only(&c->lts, &c->local) || !hosts_only(&c->rts, &c->remote)))) {
		char a[IKE_TS_TEXT], b[IKE_TS_TEXT], l[IKE_TS_TEXT], r[IKE_TS_TEXT];

		log_warn("conn %s: peer's proxy IDs do not match local_ts/remote_ts: "
			 "INVALID-ID-INFORMATION (%s <-> %s, ours %s <-> %s)", c->name,
			 nid == 2 ? id_text(ids[0], a, sizeof(a)) : nid ? "?" : "none",
			 nid == 2 ? id_text(ids[1], b, sizeof(b)) : nid ? "?" : "none",
			 ike_ts_str(&c->rts, r, sizeof(r)), ike_ts_str(&c->lts, l, sizeof(l)));
		ike_info_notify(sa, sap->p[pi].proto, sap->p[pi].spi, sap->p[pi].spi_size,
				N_INVALID_ID_INFORMATION);
		goto out;
	}
	q = qm_new(sa, m->msgid, false);
	if (!q)
		goto out;
	memcpy(q->iv, iv, sa->block);
	t = &sap->p[pi].t[ti];
	q->proto = sap->p[pi].proto;
	q->prop.esp = t->id;
	q->prop.keybits = t->keylen;
	q->prop.auth = t->auth;
	q->spi_out = ike_get32(sap->p[pi].spi);
	q->spi_in = new_spi();
	if (ch.esp_p >= 0 && ch.ah_p >= 0) {
		const struct ike_transform *at = &sap->p[ch.ah_p].t[ch.ah_t];

		q->bundle = true;
		q->ah_prop = (struct p2_prop){ .esp = at->id, .auth = at->auth };
		q->ah_spi_out = ike_get32(sap->p[ch.ah_p].spi);
		q->ah_spi_in = new_spi();
		log_info("conn %s: Quick Mode from the peer: AH+ESP bundle, proposal %u", c->name,
			 sap->p[pi].num);
	}
	log_debug("conn %s: Quick Mode from the peer: its SPI 0x%08x, ours 0x%08x", c->name,
		  q->spi_out, q->spi_in);
	/* the transform is echoed as proposed; a shorter lifetime of ours is notified */
	ike_qm_life_respond(q, t);
	if (take_nonce(m, q->ni, &q->nilen) < 0) {
		log_warn("conn %s: Quick Mode message 1 without a valid nonce", c->name);
		goto bad;
	}
	q->nrlen = IKE_NONCE_LEN;
	ike_random(q->nr, q->nrlen);
	if (c->pfs && pfs_begin(q, c->pfs, ke) < 0)
		goto bad;
	if (pfs_finish(q, m) < 0) {
		log_warn("conn %s: Quick Mode KE missing or invalid for PFS %s", c->name,
			 ike_dh_name(c->pfs));
		goto bad;
	}
	spi[0] = (uint8_t)(q->spi_in >> 24);
	spi[1] = (uint8_t)(q->spi_in >> 16);
	spi[2] = (uint8_t)(q->spi_in >> 8);
	spi[3] = (uint8_t)q->spi_in;
	hoff = begin_hashed(sa, q, &w);
	tr = *t;
	tr.encap = raw[pi][ti];
	if (q->proto != PROTO_IPSEC_ESP || q->bundle)
		put_ah_answer(q, &w, sap, raw, &ch);
	else
		isakmp_put_sa(&w, 2, PROTO_IPSEC_ESP, spi, 4, sap->p[pi].num, &tr, 1);
	isakmp_pl(&w, ISAKMP_NP_NONCE, q->nr, q->nrlen);
	if (c->pfs)
		isakmp_pl(&w, ISAKMP_NP_KE, ke, ike_dh_len(c->pfs));
	for (i = 0; i < nid; i++)
		isakmp_pl(&w, ISAKMP_NP_ID, ids[i]->body, ids[i]->len);
	ike_addr_of(&sa->peer, &peer);
	put_natoa(sa, &w, &peer, &c->local);
	if (ike_qm_life_put_notify(q, &w) < 0 || finish_hashed(sa, q, &w, hoff, q->ni, q->nilen) < 0)
		goto bad;
	q->state = QM_R1;
	ike_xmit_seen(&q->x, dg);
	ike_send(sa, &q->x, true);
	goto out;
bad:
	q->state = QM_DEAD;
out:
	free(sap);
}

/*
 * Initiator: the answer to an AH or AH+ESP offer must be the protocols we
 * offered, one transform each; their SPIs are the peer's inbound ones.
 */
static int take_ah_answer(struct ike_quick *q, const struct ike_payload *sp,
			  struct ike_sa_payload *sap)
{
	const struct ike_conn *c = q->sa->conn;
	const struct ike_transform *t;
	struct p2_choice ch;
	const char *err;
	char why[160];
	int i, j;

	if (isakmp_parse_sa(sp->body, sp->len, 2, sap, &err) < 0) {
		log_warn("conn %s: Quick Mode reply's SA payload malformed: %s", c->name, err);
		return -1;
	}
	for (i = 0; i < sap->nprop; i++)
		for (j = 0; j < sap->p[i].ntrans; j++)
			sap->p[i].t[j].encap = natt_encap_norm(sap->p[i].t[j].encap);
	if (p2_check_answer(sap, c->esp, c->nesp, c->ah, c->nah, QM_ENCAP_WANT(q->sa), c->pfs,
			    &ch, why, sizeof(why)) < 0) {
		log_warn("conn %s: Quick Mode reply's SA is not one we offered: %s", c->name, why);
		return -1;
	}
	if (ch.esp_p >= 0) {
		t = &sap->p[ch.esp_p].t[0];
		q->prop = (struct p2_prop){ .esp = t->id, .keybits = t->keylen, .auth = t->auth };
		q->spi_out = ike_get32(sap->p[ch.esp_p].spi);
		q->ah_spi_out = ike_get32(sap->p[ch.ah_p].spi);
		q->ah_prop = (struct p2_prop){ .esp = sap->p[ch.ah_p].t[0].id,
					       .auth = sap->p[ch.ah_p].t[0].auth };
	} else {
		t = &sap->p[ch.ah_p].t[0];
		q->prop = (struct p2_prop){ .esp = t->id, .auth = t->auth };
		q->spi_out = ike_get32(sap->p[ch.ah_p].spi);
	}
	q->life_secs = t->life_secs ? t->life_secs : c->lifetime;
	return 0;
}

/* Initiator, message 2. */
static int got_reply(struct ike_quick *q, const struct ike_msg *m)
{
	struct ike_sa *sa = q->sa;
	const struct ike_conn *c = sa->conn;
	const struct ike_payload *sp = isakmp_find(m, ISAKMP_NP_SA);
	struct ike_sa_payload *sap = calloc(1, sizeof(*sap));
	const struct ike_payload *ids[2];
	struct kipsec_addr oa[2];
	int i, nid = 0, ret = -1;
	const char *err;

	if (!sap)
		return -1;
	for (i = 0; i < m->n && nid < 2; i++)
		if (m->pl[i].type == ISAKMP_NP_ID)
			ids[nid++] = &m->pl[i];
	if (c->nah) {
		if (!sp || take_ah_answer(q, sp, sap) < 0)
			goto out;
	} else {
		if (sp && isakmp_parse_sa(sp->body, sp->len, 2, sap, &err) == 0 &&
		    sap->nprop == 1 && sap->p[0].ntrans == 1)
			sap->p[0].t[0].encap = natt_encap_norm(sap->p[0].t[0].encap);
		else
			sap->nprop = 0;
		if (!sp || sap->nprop != 1 || sap->p[0].proto != PROTO_IPSEC_ESP ||
		    sap->p[0].spi_size != 4 ||
		    p2_match(&sap->p[0].t[0], c->esp, c->nesp, QM_ENCAP_WANT(sa), c->pfs) < 0) {
			log_warn("conn %s: Quick Mode reply's SA is not one we offered", c->name);
			goto out;
		}
	}
	if (nid == 1 || (nid == 2 && (!ts_matches(sa, ids[0], &c->lts) ||
				      !ts_matches(sa, ids[1], &c->rts)))) {
		log_warn("conn %s: Quick Mode reply changed the proxy IDs", c->name);
		goto out;
	}
	if (take_natoa(sa, m, oa) < 0)
		goto out;
	if (take_nonce(m, q->nr, &q->nrlen) < 0 || pfs_finish(q, m) < 0) {
		log_warn("conn %s: Quick Mode reply's nonce or KE missing or invalid", c->name);
		goto out;
	}
	if (!c->nah) {
		q->prop.esp = sap->p[0].t[0].id;
		q->prop.keybits = sap->p[0].t[0].keylen;
		q->prop.auth = sap->p[0].t[0].auth;
		q->spi_out = ike_get32(sap->p[0].spi);
	}
	/* a bundle's two answers carry the one lifetime we offered for both */
	if (ike_qm_life_reply(q, m, &sap->p[0].t[0]) < 0)
		goto out;
	ret = 0;
out:
	free(sap);
	return ret;
}

static int send_hash3(struct ike_quick *q)
{
	struct ike_sa *sa = q->sa;
	uint8_t hash[IKE_PRF_MAX];
	struct ike_wbuf w;

	if (ike_hash_msg(sa, true, q->msgid, q->ni, q->nilen, q->nr, q->nrlen, hash) < 0)
		return -1;
	isakmp_begin(&w, q->x.buf, sizeof(q->x.buf), sa->icky, sa->rcky, ISAKMP_EXCH_QUICK, 0,
		     q->msgid);
	isakmp_pl(&w, ISAKMP_NP_HASH, hash, sa->keys.plen);
	q->x.len = ike_encrypt(sa, &w, q->iv);
	if (!q->x.len)
		return -1;
	ike_send(sa, &q->x, false);
	return 0;
}

static int check_hash3(struct ike_quick *q, const struct ike_msg *m)
{
	struct ike_sa *sa = q->sa;
	uint8_t want[IKE_PRF_MAX];

	if (m->n < 1 || m->pl[0].type != ISAKMP_NP_HASH ||
	    ike_hash_msg(sa, true, q->msgid, q->ni, q->nilen, q->nr, q->nrlen, want) < 0 ||
	    m->pl[0].len != sa->keys.plen || CRYPTO_memcmp(m->pl[0].body, want, sa->keys.plen)) {
		log_warn("conn %s: Quick Mode message 3 fails its HASH(3): dropped", sa->conn->name);
		return -1;
	}
	return 0;
}

void ike_qm_input(struct ike_sa *sa, uint8_t *buf, size_t len, const struct ike_msg *hdr)
{
	uint8_t dg[32], iv[IKE_BLOCK_MAX];
	struct ike_msg m = *hdr;
	struct ike_quick *q;

	if (sa->state != P1_ESTABLISHED) {
		log_debug("Quick Mode before phase 1 completed: dropped");
		return;
	}
	ike_digest(buf, len, dg);
	for (q = sa->qms; q; q = q->next)
		if (q->msgid == m.msgid)
			break;
	if (!q) {
		if (ike_iv_phase2(sa->keys.hash, sa->p1_last, sa->block, m.msgid, iv) < 0 ||
		    ike_decrypt(sa, buf, len, &m, iv) < 0 || check_hash(sa, &m, NULL, 0, "message 1") < 0)
			return;
		respond(sa, &m, iv, dg);
		return;
	}
	if (ike_xmit_is_dup(&q->x, dg)) {
		/*
		 * A resent message 1 gets message 2 again; a resent message 2,
		 * message 3. A resent message 3 gets nothing: answering it with
		 * message 2 would have the initiator answer with message 3 again,
		 * a loop without end once one message 2 crossed a message 3.
		 */
		if (!q->initiator && q->state == QM_DONE) {
			log_debug("conn %s: duplicate Quick Mode message 3: dropped", sa->conn->name);
			return;
		}
		if (q->x.len && q->state != QM_DEAD) {
			log_debug("conn %s: duplicate Quick Mode message: resending ours",
				  sa->conn->name);
			ike_send(sa, &q->x, false);
		}
		return;
	}
	memcpy(iv, q->iv, sa->block);
	if (ike_decrypt(sa, buf, len, &m, iv) < 0)
		return;
	switch (q->state) {
	case QM_I1:
		if (check_hash(sa, &m, q->ni, q->nilen, "message 2") < 0)
			return;
		memcpy(q->iv, iv, sa->block);
		ike_xmit_seen(&q->x, dg);
		if (got_reply(q, &m) < 0 || install(q) < 0 || send_hash3(q) < 0) {
			q->state = QM_DEAD;
			q->x.due = 0;
			return;
		}
		q->state = QM_DONE;
		break;
	case QM_R1:
		if (check_hash3(q, &m) < 0)
			return;
		ike_xmit_seen(&q->x, dg);
		q->x.due = 0;
		q->state = install(q) < 0 ? QM_DEAD : QM_DONE;
		break;
	default:
		log_debug("conn %s: Quick Mode message in state %d: dropped", sa->conn->name,
			  q->state);
	}
}
