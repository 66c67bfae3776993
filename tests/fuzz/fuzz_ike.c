// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: kipsec-iked's network input. A responder (--no-kernel,
 * no sockets: what it sends is refused by the kernel as fd -1 and
 * dropped) with three connections, each input's datagrams fed to
 * ike_daemon_input() as the socket loop feeds them:
 *
 *   conn v4      192.0.2.2: Main and Aggressive Mode, ESP tunnel, PFS, DPD
 *   conn bundle  192.0.2.3: an AH+ESP bundle in transport mode
 *   conn v6      2001:db8::2: ESP tunnel over IPv6
 *
 * Curve25519 throughout, so that an input costs microseconds rather than a
 * MODP exponentiation, and any 32 bytes are a valid public value.
 *
 * An input is a first byte, then records:
 *   first byte  bit 0: start with an established IKE SA (fixed keys, as
 *               after Main Mode) of the connection bits 1-2 name (0-2)
 *   raw         [flags]      [len:2] [datagram]
 *   encrypted   [flags|0x01] [exch] [msgid:4] [np] [len:2] [payloads]
 *   flags       0x60 the source: the peer of connection (flags >> 5) % 3
 *               0x04 the newest IKE SA's cookies go into the header, so a
 *                    record can continue an exchange (responders pick
 *                    random cookies)
 *               0x08 it arrives on the NAT-T port (marker in front)
 *               0x10 no HASH in front of an encrypted record (below)
 * An encrypted record is sealed as the newest IKE SA would decrypt it:
 * in phase 1 on its Main Mode IV chain; after it with the IV a Quick Mode
 * exchange of that message ID has reached, else the phase-2 IV of the
 * message ID. Quick Mode and informational records get a correct HASH in
 * front (HASH(3) when their Quick Mode exchange waits for message 3), so
 * the fuzzer reaches what the daemon does after authentication.
 * Each datagram is handed over in a buffer of exactly its size, so that
 * ASan's redzone catches a read past its end.
 *
 * Every SA is freed after each input: LeakSanitizer sees anything lost.
 * Built with -DFUZZ_SEEDS instead of libFuzzer, it writes a seed corpus
 * of valid exchanges into the directory given (tests/fuzz/run.sh).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "../../ikehelper/ike.h"
#include "../../ikehelper/keymat.h"
#include "../../ikehelper/log.h"
#include "../../ikehelper/natt.h"
#include "../../ikehelper/proposal.h"

#define NCONNS 3

static const char conf[] =
	"conn v4\n"
	"\tlocal = 192.0.2.1\n\tremote = 192.0.2.2\n"
	"\tlocal_ts = 10.1.0.0/16\n\tremote_ts = 10.2.0.0/16\n"
	"\tike = aes128-sha256-curve25519\n\tesp = aes128-sha256\n\tpfs = curve25519\n"
	"\taggressive = yes\n\tdpd_delay = 10\n"
	"conn bundle\n"
	"\tlocal = 192.0.2.1\n\tremote = 192.0.2.3\n\tmode = transport\n"
	"\tike = aes256-sha512-curve25519\n\tesp = aes128-sha1\n\tah = sha256\n"
	"conn v6\n"
	"\tlocal = 2001:db8::1\n\tremote = 2001:db8::2\n"
	"\tlocal_ts = 2001:db8:1::/48\n\tremote_ts = 2001:db8:2::/48\n"
	"\tike = aes128-sha1-curve25519\n\tesp = aes256-sha512\n";
static const char secrets[] =
	"192.0.2.2 : PSK \"fuzz-v4\"\n192.0.2.3 : PSK \"fuzz-bundle\"\n"
	"2001:db8::2 : PSK \"fuzz-v6\"\n";

static struct ike_daemon d = { .port = 500, .natt_port = NATT_PORT, .retx_ms = 2000,
			       .retx_tries = 5, .max_half_open = 64, .no_kernel = true,
			       .fd4 = -1, .fd6 = -1, .nfd4 = -1, .nfd6 = -1 };

static void peer_of(int ci, bool natt, struct sockaddr_storage *ss, socklen_t *len)
{
	*len = ike_sockaddr(&d.cfg.conns[ci].remote, natt ? NATT_PORT : 500, ss);
}

static int setup(void)
{
	char err[256];

	ike_log_level = getenv("FUZZ_IKE_LOG") ? IKE_LOG_DEBUG : -1;
	if (ike_config_parse("fuzz.conf", conf, &d.cfg, err, sizeof(err)) < 0 ||
	    ike_secrets_parse("fuzz.secrets", secrets, &d.cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "fuzz_ike: %s\n", err);
		return -1;
	}
	d.cs = calloc(NCONNS, sizeof(*d.cs));
	d.route_out = calloc(NCONNS, sizeof(*d.route_out));
	return d.cs && d.route_out ? 0 : -1;
}

/* An IKE SA of connection @ci as Main Mode would leave it (fixed keys). */
static struct ike_sa *established(int ci)
{
	static const uint8_t ni[32] = { 1 }, nr[32] = { 2 }, gxy[32] = { 3 };
	struct ike_conn *c = &d.cfg.conns[ci];
	struct ike_sa *sa;
	enum ike_hash h;

	if (p1_hash_to_prf(c->ike[0].hash, &h) < 0)
		return NULL;
	sa = calloc(1, sizeof(*sa));
	if (!sa)
		return NULL;
	sa->d = &d;
	sa->conn = c;
	peer_of(ci, false, &sa->peer, &sa->peerlen);
	sa->state = P1_ESTABLISHED;
	memset(sa->icky, 0x11, IKE_COOKIE_LEN);
	memset(sa->rcky, 0x22, IKE_COOKIE_LEN);
	sa->chosen = (struct ike_transform){ .enc = c->ike[0].enc, .hash = c->ike[0].hash,
					     .auth = AUTH_METHOD_PSK, .group = c->ike[0].group,
					     .keylen = c->ike[0].keybits };
	sa->block = ike_cipher_block(c->ike[0].enc);
	memset(sa->p1_last, 0x33, sizeof(sa->p1_last));
	if (ike_keys_derive(&sa->keys, h, c->psk, c->psklen, ni, sizeof(ni), nr, sizeof(nr), gxy,
			    sizeof(gxy), sa->icky, sa->rcky,
			    ike_cipher_keylen(c->ike[0].enc, c->ike[0].keybits)) < 0) {
		free(sa);
		return NULL;
	}
	sa->next = d.sas;
	d.sas = sa;
	ike_p1_established(sa);
	return sa;
}

struct reader {
	const uint8_t *p;
	size_t left;
};

static const uint8_t *take_ref(struct reader *r, size_t n)
{
	const uint8_t *p = r->p;

	if (r->left < n)
		return NULL;
	r->p += n;
	r->left -= n;
	return p;
}

static bool take(struct reader *r, void *out, size_t n)
{
	const uint8_t *p = take_ref(r, n);

	if (p)
		memcpy(out, p, n);
	return p;
}

static struct ike_quick *qm_of(struct ike_sa *sa, uint32_t msgid)
{
	struct ike_quick *q;

	for (q = sa->qms; q; q = q->next)
		if (q->msgid == msgid)
			return q;
	return NULL;
}

/* Build an encrypted record's message in @w; false if it cannot be sealed. */
static bool seal(struct ike_sa *sa, struct ike_wbuf *w, uint8_t *buf, size_t cap, uint8_t flags,
		 uint8_t exch, uint32_t msgid, uint8_t np, const uint8_t *pl, size_t len)
{
	uint8_t iv[IKE_BLOCK_MAX], hash[IKE_PRF_MAX];
	struct ike_quick *q = NULL;
	bool phase2 = exch == ISAKMP_EXCH_QUICK || exch == ISAKMP_EXCH_INFO;

	if (!sa || !sa->block)
		return false;
	if (exch == ISAKMP_EXCH_QUICK)
		q = qm_of(sa, msgid);
	isakmp_begin(w, buf, cap, sa->icky, sa->rcky, exch, ISAKMP_FLAG_ENC, msgid);
	if (phase2 && !(flags & 0x10)) {
		if (q && !q->initiator && q->state == QM_R1) {
			if (ike_hash_msg(sa, true, msgid, q->ni, q->nilen, q->nr, q->nrlen, hash) < 0)
				return false;
		} else if (ike_hash_msg(sa, false, msgid, NULL, 0, pl, len, hash) < 0) {
			return false;
		}
		isakmp_pl(w, ISAKMP_NP_HASH, hash, sa->keys.plen);
	}
	/* the header's or HASH's "next payload": the record's own chain follows */
	w->b[w->np_off] = np;
	isakmp_put(w, pl, len);
	if (!phase2)
		memcpy(iv, sa->iv, sa->block);
	else if (q)
		memcpy(iv, q->iv, sa->block);
	else if (ike_iv_phase2(sa->keys.hash, sa->p1_last, sa->block, msgid, iv) < 0)
		return false;
	return ike_encrypt(sa, w, iv) > 0;
}

/* What an input left behind, before it is freed: the seed check reads it. */
static struct {
	int nsas;
	enum p1_state state;		/* the newest IKE SA's */
	bool peer_deleted;
	int qm_done;			/* Quick Mode exchanges completed */
} seen;

static void look(void)
{
	const struct ike_sa *sa;
	const struct ike_quick *q;

	memset(&seen, 0, sizeof(seen));
	seen.state = d.sas ? d.sas->state : P1_DEAD;
	seen.peer_deleted = d.sas && d.sas->peer_deleted;
	for (sa = d.sas; sa; sa = sa->next) {
		seen.nsas++;
		for (q = sa->qms; q; q = q->next)
			seen.qm_done += q->state == QM_DONE;
	}
}

static void run(const uint8_t *data, size_t size)
{
	static uint8_t buf[NATT_MARKER_LEN + ISAKMP_MAX_MSG + 1];
	struct reader r = { data, size };
	uint8_t first, flags, *dg;
	int n = 0;

	if (!take(&r, &first, 1))
		return;
	if (first & 1)
		established(((first >> 1) & 3) % NCONNS);
	while (n++ < 8 && take(&r, &flags, 1)) {
		struct sockaddr_storage from;
		socklen_t fromlen;
		bool natt = flags & 0x08;
		size_t off = natt ? NATT_MARKER_LEN : 0, len;
		uint8_t hdr[8], lb[2];
		const uint8_t *p;

		peer_of(((flags >> 5) & 3) % NCONNS, natt, &from, &fromlen);
		memset(buf, 0, off);
		if (flags & 0x01) {
			struct ike_wbuf w;

			if (!take(&r, hdr, 6) || !take(&r, lb, 2))
				break;
			len = ike_get16(lb);
			p = take_ref(&r, len);
			if (!p)
				break;
			if (!seal(d.sas, &w, buf + off, ISAKMP_MAX_MSG, flags, hdr[0],
				  ike_get32(hdr + 1), hdr[5], p, len))
				continue;
			len = w.len;
		} else {
			if (!take(&r, lb, 2))
				break;
			len = ike_get16(lb);
			if (len > ISAKMP_MAX_MSG || !(p = take_ref(&r, len)))
				break;
			memcpy(buf + off, p, len);
			if ((flags & 0x04) && d.sas && len >= ISAKMP_HDR_LEN) {
				memcpy(buf + off, d.sas->icky, IKE_COOKIE_LEN);
				memcpy(buf + off + IKE_COOKIE_LEN, d.sas->rcky, IKE_COOKIE_LEN);
			}
		}
		/* exactly the datagram: ASan's redzone right after it catches overreads */
		dg = malloc(off + len);
		if (!dg)
			break;
		memcpy(dg, buf, off + len);
		ike_daemon_input(&d, &from, fromlen, natt, dg, off + len);
		free(dg);
	}
	look();
	while (d.sas)
		ike_sa_free(d.sas);
	memset(d.cs, 0, NCONNS * sizeof(*d.cs));
}

#ifndef FUZZ_SEEDS
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return setup() < 0 ? 1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(data, size);
	return 0;
}
#else
/* The seed corpus: valid exchanges in the record format above. */

struct seed {
	uint8_t b[2 * ISAKMP_MAX_MSG];
	size_t len;
};

static void put(struct seed *s, const void *p, size_t n)
{
	if (s->len + n <= sizeof(s->b)) {
		memcpy(s->b + s->len, p, n);
		s->len += n;
	}
}

static void put16(struct seed *s, size_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(s, b, 2);
}

/* A raw record: the message in @w. */
static void raw(struct seed *s, uint8_t flags, struct ike_wbuf *w)
{
	put(s, &flags, 1);
	put16(s, isakmp_finish(w));
	put(s, w->b, w->len);
}

/* An encrypted record: the payloads of @w, without its header (and HASH). */
static void sealed(struct seed *s, uint8_t flags, uint8_t exch, uint32_t msgid,
		   const struct ike_wbuf *w)
{
	/* the header's "next payload": the first payload's type */
	uint8_t h[6] = { exch, (uint8_t)(msgid >> 24), (uint8_t)(msgid >> 16),
			 (uint8_t)(msgid >> 8), (uint8_t)msgid, w->b[16] };

	flags |= 0x01;
	put(s, &flags, 1);
	put(s, h, sizeof(h));
	put16(s, w->len - ISAKMP_HDR_LEN);
	put(s, w->b + ISAKMP_HDR_LEN, w->len - ISAKMP_HDR_LEN);
}

static int nseeds;

/*
 * Write the seed, run it through the harness and check it got as far into
 * the daemon as meant (TAP): a seed that stops early leaves the fuzzer
 * with nothing deep to mutate.
 */
static int save(const char *dir, const char *name, const struct seed *s, bool ok_if(void),
		const char *what)
{
	char path[4096];
	FILE *f;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "we");
	if (!f || fwrite(s->b, 1, s->len, f) != s->len || fclose(f)) {
		fprintf(stderr, "fuzz_ike: %s: %s\n", path, strerror(errno));
		return -1;
	}
	run(s->b, s->len);
	ok = ok_if();
	printf("%sok %d - seed %s: %s (%d IKE SA%s, newest in state %d, %d Quick Mode%s done)\n",
	       ok ? "" : "not ", ++nseeds, name, what, seen.nsas, seen.nsas == 1 ? "" : "s",
	       seen.state, seen.qm_done, seen.qm_done == 1 ? "" : "s");
	return ok ? 0 : -1;
}

static bool mm_r2(void)
{
	return seen.nsas == 1 && seen.state == MM_R2;
}

static bool am_r1(void)
{
	return seen.nsas == 1 && seen.state == AM_R1;
}

static bool qm_done(void)
{
	return seen.qm_done == 1;
}

static bool deleted(void)
{
	return seen.nsas == 0 || seen.peer_deleted;
}

static const uint8_t icky[IKE_COOKIE_LEN] = { 0xc0, 0x0c, 1, 2, 3, 4, 5, 6 };
static const uint8_t zero_cky[IKE_COOKIE_LEN];
static uint8_t msg[ISAKMP_MAX_MSG];

/* Connection @ci's peer's phase-1 ID payload body (its address): its length. */
static size_t peer_id(int ci, uint8_t *id)
{
	const struct kipsec_addr *a = &d.cfg.conns[ci].remote;

	memset(id, 0, 4);
	id[0] = a->family == AF_INET ? ID_IPV4_ADDR : ID_IPV6_ADDR;
	memcpy(id + 4, a->bytes, a->len);
	return 4 + a->len;
}

/* The peer's first phase-1 message: SA [, KE, Ni, IDii for Aggressive Mode]. */
static void p1_first(struct ike_wbuf *w, int ci, bool aggressive)
{
	const struct ike_conn *c = &d.cfg.conns[ci];
	struct ike_transform t;
	uint8_t ke[32] = { 9 }, ni[32] = { 7 }, id[4 + 16];

	isakmp_begin(w, msg, sizeof(msg), icky, zero_cky,
		     aggressive ? ISAKMP_EXCH_AGGRESSIVE : ISAKMP_EXCH_IDPROT, 0, 0);
	p1_to_transform(&c->ike[0], c->ike_lifetime, 1, &t);
	isakmp_put_sa(w, 1, PROTO_ISAKMP, NULL, 0, 1, &t, 1);
	if (!aggressive)
		return;
	isakmp_pl(w, ISAKMP_NP_KE, ke, sizeof(ke));
	isakmp_pl(w, ISAKMP_NP_NONCE, ni, sizeof(ni));
	isakmp_pl(w, ISAKMP_NP_ID, id, peer_id(ci, id));
}

/* Payloads after HASH(1) of the peer's Quick Mode message 1 for @ci. */
static void qm_first(struct ike_wbuf *w, int ci)
{
	const struct ike_conn *c = &d.cfg.conns[ci];
	uint16_t encap = c->mode;
	struct ike_transform te, ta;
	uint8_t spi[4] = { 0xc0, 0, 0, 1 }, ah_spi[4] = { 0xc0, 0, 0, 2 };
	uint8_t ni[32] = { 5 }, ke[32] = { 9 }, id[IKE_TS_ID_MAX];

	isakmp_begin(w, msg, sizeof(msg), icky, zero_cky, ISAKMP_EXCH_QUICK, 0, 0);
	p2_to_transform(&c->esp[0], encap, c->pfs, c->lifetime, 1, &te);
	if (c->nah) {
		struct isakmp_prop_out p[2] = {
			{ .num = 1, .proto = PROTO_IPSEC_ESP, .spi_size = 4, .spi = spi, .t = &te,
			  .n = 1 },
			{ .num = 1, .proto = PROTO_IPSEC_AH, .spi_size = 4, .spi = ah_spi,
			  .t = &ta, .n = 1 },
		};

		ah_to_transform(&c->ah[0], encap, c->pfs, c->lifetime, 1, &ta);
		isakmp_put_sa_props(w, 2, p, 2);
	} else {
		isakmp_put_sa(w, 2, PROTO_IPSEC_ESP, spi, 4, 1, &te, 1);
	}
	isakmp_pl(w, ISAKMP_NP_NONCE, ni, sizeof(ni));
	if (c->pfs)
		isakmp_pl(w, ISAKMP_NP_KE, ke, sizeof(ke));
	if (c->mode == ENCAP_TUNNEL) {
		isakmp_pl(w, ISAKMP_NP_ID, id, ike_ts_to_id(&c->rts, id));
		isakmp_pl(w, ISAKMP_NP_ID, id, ike_ts_to_id(&c->lts, id));
	}
}

/* An informational payload of @type with @body (Notify or Delete). */
static void info(struct ike_wbuf *w, uint8_t type, const uint8_t *body, size_t len)
{
	isakmp_begin(w, msg, sizeof(msg), icky, zero_cky, ISAKMP_EXCH_INFO, 0, 0);
	isakmp_pl(w, type, body, len);
}

int main(int argc, char **argv)
{
	static struct seed s;
	static const uint8_t ke[32] = { 9 }, nonce[32] = { 8 }, junk[32] = { 1 };
	/* DOI, protocol, SPI size, type, SPI (the cookies), R-U-THERE's sequence number */
	uint8_t dpd[4 + 4 + 16 + 4] = { 0, 0, 0, 1, PROTO_ISAKMP, 16,
					(uint8_t)(N_DPD_R_U_THERE >> 8), (uint8_t)N_DPD_R_U_THERE };
	uint8_t del_esp[4 + 4 + 4] = { 0, 0, 0, 1, PROTO_IPSEC_ESP, 4, 0, 1, 0xc0, 0, 0, 1 };
	uint8_t del_ike[4 + 4 + 16] = { 0, 0, 0, 1, PROTO_ISAKMP, 16, 0, 1 };
	uint8_t contact[4 + 4 + 16] = { 0, 0, 0, 1, PROTO_ISAKMP, 16,
					(uint8_t)(N_INITIAL_CONTACT >> 8),
					(uint8_t)N_INITIAL_CONTACT };
	uint8_t id[4 + 16];
	struct ike_wbuf w;
	char name[32];
	int ci, ret = 0;

	if (argc != 2 || setup() < 0) {
		fprintf(stderr, "usage: fuzz_ike_seeds DIR\n");
		return 2;
	}
	memset(dpd + 8, 0x11, 8);
	memset(dpd + 16, 0x22, 8);
	dpd[sizeof(dpd) - 1] = 1;
	memcpy(del_ike + 8, dpd + 8, 16);
	memcpy(contact + 8, dpd + 8, 16);

	for (ci = 0; ci < NCONNS; ci++) {
		uint8_t src = (uint8_t)(ci << 5);

		/* Main Mode 1, 3 (KE, Ni), 5 (encrypted IDii, HASH_I) */
		s.len = 0;
		put(&s, &(uint8_t){ 0 }, 1);
		p1_first(&w, ci, false);
		raw(&s, src, &w);
		isakmp_begin(&w, msg, sizeof(msg), icky, zero_cky, ISAKMP_EXCH_IDPROT, 0, 0);
		isakmp_pl(&w, ISAKMP_NP_KE, ke, ike_dh_len(d.cfg.conns[ci].ike[0].group));
		isakmp_pl(&w, ISAKMP_NP_NONCE, nonce, sizeof(nonce));
		raw(&s, src | 0x04, &w);
		isakmp_begin(&w, msg, sizeof(msg), icky, zero_cky, ISAKMP_EXCH_IDPROT, 0, 0);
		isakmp_pl(&w, ISAKMP_NP_ID, id, peer_id(ci, id));
		isakmp_pl(&w, ISAKMP_NP_HASH, junk, sizeof(junk));
		sealed(&s, src, ISAKMP_EXCH_IDPROT, 0, &w);
		snprintf(name, sizeof(name), "main-mode-%d", ci);
		ret |= save(argv[1], name, &s, mm_r2,
			    "the responder answered message 3 (MM_R2), message 5's hash refused");

		/* Quick Mode 1 and 3 under an established IKE SA */
		s.len = 0;
		put(&s, &(uint8_t){ (uint8_t)(1 | ci << 1) }, 1);
		qm_first(&w, ci);
		sealed(&s, src, ISAKMP_EXCH_QUICK, 0x01020304, &w);
		isakmp_begin(&w, msg, sizeof(msg), icky, zero_cky, ISAKMP_EXCH_QUICK, 0, 0);
		sealed(&s, src, ISAKMP_EXCH_QUICK, 0x01020304, &w);
		snprintf(name, sizeof(name), "quick-mode-%d", ci);
		ret |= save(argv[1], name, &s, qm_done,
			    "Quick Mode completed by message 3's HASH(3)");
	}

	/* Aggressive Mode 1 and 3 (HASH_I) */
	s.len = 0;
	put(&s, &(uint8_t){ 0 }, 1);
	p1_first(&w, 0, true);
	raw(&s, 0, &w);
	isakmp_begin(&w, msg, sizeof(msg), icky, zero_cky, ISAKMP_EXCH_AGGRESSIVE, 0, 0);
	isakmp_pl(&w, ISAKMP_NP_HASH, junk, sizeof(junk));
	raw(&s, 0x04, &w);
	ret |= save(argv[1], "aggressive-mode", &s, am_r1,
		    "the responder answered message 1 (AM_R1), message 3's hash refused");

	/* informational exchanges: DPD, Deletes, INITIAL-CONTACT */
	s.len = 0;
	put(&s, &(uint8_t){ 1 }, 1);
	info(&w, ISAKMP_NP_N, dpd, sizeof(dpd));
	sealed(&s, 0, ISAKMP_EXCH_INFO, 0x0a0b0c0d, &w);
	info(&w, ISAKMP_NP_N, contact, sizeof(contact));
	sealed(&s, 0, ISAKMP_EXCH_INFO, 0x0a0b0c0e, &w);
	info(&w, ISAKMP_NP_D, del_esp, sizeof(del_esp));
	sealed(&s, 0, ISAKMP_EXCH_INFO, 0x0a0b0c0f, &w);
	info(&w, ISAKMP_NP_D, del_ike, sizeof(del_ike));
	sealed(&s, 0, ISAKMP_EXCH_INFO, 0x0a0b0c10, &w);
	ret |= save(argv[1], "informational", &s, deleted,
		    "R-U-THERE, INITIAL-CONTACT, Deletes: the IKE SA deleted by the peer's Delete");
	printf("1..%d\n", nseeds);
	return ret ? 1 : 0;
}
#endif
