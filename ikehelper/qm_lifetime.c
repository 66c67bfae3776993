// SPDX-License-Identifier: GPL-2.0
/*
 * Quick Mode's CHILD SA lifetimes (seconds and kilobytes): what the
 * initiator offers, what the responder applies and notifies
 * (RESPONDER-LIFETIME in message 2, under HASH(2)), what the initiator
 * installs from the reply, and the soft limits given to the kernel.
 */
#include <inttypes.h>
#include <stdio.h>

#include "ike.h"
#include "lifetime.h"
#include "log.h"

/* "600 s" / "none" for a log line. */
static const char *secs_str(uint32_t v, char *buf, size_t len)
{
	if (!v)
		return "no time limit";
	snprintf(buf, len, "%u s", v);
	return buf;
}

static const char *kb_str(uint32_t v, char *buf, size_t len)
{
	if (!v)
		return "no byte limit";
	snprintf(buf, len, "%u KB", v);
	return buf;
}

void ike_qm_life_offer(const struct ike_conn *c, struct ike_transform *t)
{
	t->life_secs = c->lifetime;
	t->life_kb = ike_life_kb(c->lifebytes);
}

bool ike_qm_life_respond(struct ike_quick *q, const struct ike_transform *t)
{
	const struct ike_conn *c = q->sa->conn;
	bool s_short, k_short;
	char a[24], b[24], e[24], f[24];
	uint32_t kb;

	q->life_secs = ike_life_choose(t->life_secs, c->lifetime, &s_short);
	kb = ike_life_choose(t->life_kb, ike_life_kb(c->lifebytes), &k_short);
	q->life_bytes = (uint64_t)kb * 1024;
	q->notify_secs = s_short ? q->life_secs : 0;
	q->notify_kb = k_short ? kb : 0;
	if (!s_short && !k_short)
		return false;
	log_info("conn %s: initiator proposed lifetime %s, %s; ours is shorter: applying %s, %s "
		 "and sending RESPONDER-LIFETIME", c->name, secs_str(t->life_secs, a, sizeof(a)),
		 kb_str(t->life_kb, b, sizeof(b)), secs_str(q->life_secs, e, sizeof(e)),
		 kb_str(kb, f, sizeof(f)));
	return true;
}

int ike_qm_life_put_notify(struct ike_quick *q, struct ike_wbuf *w)
{
	uint8_t body[64];
	size_t n;

	if (!q->notify_secs && !q->notify_kb)
		return 0;
	/* the SPI is ours: the responder's for ESP (RFC 2407 4.6.3.1) */
	n = ike_resp_lifetime_body(body, sizeof(body), q->proto, q->spi_in,
				   q->notify_secs, q->notify_kb);
	if (!n)
		return -1;
	isakmp_pl(w, ISAKMP_NP_N, body, n);
	return 0;
}

/* One lifetime type: the notified value if any, else the reply's, else ours. */
static uint32_t applied(const char *conn, const char *what, uint32_t notified, uint32_t reply,
			uint32_t offered)
{
	if (notified && offered && notified > offered) {
		log_warn("conn %s: RESPONDER-LIFETIME %u %s is longer than the %u we offered: "
			 "keeping ours", conn, notified, what, offered);
		return offered;
	}
	if (notified)
		return notified;
	if (reply && offered && reply > offered) {
		log_warn("conn %s: the reply's lifetime %u %s is longer than the %u we offered: "
			 "keeping ours", conn, reply, what, offered);
		return offered;
	}
	return reply ? reply : offered;
}

int ike_qm_life_reply(struct ike_quick *q, const struct ike_msg *m, const struct ike_transform *t)
{
	const struct ike_conn *c = q->sa->conn;
	uint32_t secs = 0, nkb = 0, kb, offered_kb = ike_life_kb(c->lifebytes), s, k, spi;
	char a[24], b[24], e[24], f[24], g[24], h[24];
	bool notified = false;
	const char *why;
	uint8_t proto;
	int i, r;

	for (i = 0; i < m->n; i++) {
		if (m->pl[i].type != ISAKMP_NP_N)
			continue;
		r = ike_resp_lifetime_parse(m->pl[i].body, m->pl[i].len, &proto, &spi, &s, &k, &why);
		if (r < 0) {
			log_warn("conn %s: Quick Mode reply: malformed RESPONDER-LIFETIME (%s): "
				 "refused", c->name, why);
			return -1;
		}
		if (!r)
			continue;
		if (proto != q->proto || spi != q->spi_out) {
			log_warn("conn %s: Quick Mode reply: RESPONDER-LIFETIME for protocol %u "
				 "SPI 0x%08x, not the responder's SPI 0x%08x: ignored", c->name,
				 proto, spi, q->spi_out);
			continue;
		}
		notified = true;
		if (s)
			secs = s;
		if (k)
			nkb = k;
	}
	q->life_secs = applied(c->name, "s", secs, t->life_secs, c->lifetime);
	kb = applied(c->name, "KB", nkb, t->life_kb, offered_kb);
	q->life_bytes = (uint64_t)kb * 1024;
	if (notified)
		log_info("conn %s: peer sent RESPONDER-LIFETIME %s, %s: applying lifetime %s, %s "
			 "(we offered %s, %s)", c->name, secs_str(secs, a, sizeof(a)),
			 kb_str(nkb, b, sizeof(b)), secs_str(q->life_secs, e, sizeof(e)),
			 kb_str(kb, f, sizeof(f)), secs_str(c->lifetime, g, sizeof(g)),
			 kb_str(offered_kb, h, sizeof(h)));
	else if (q->life_secs != c->lifetime || kb != offered_kb)
		log_info("conn %s: the peer's reply carries lifetime %s, %s: applying it (we "
			 "offered %s, %s)", c->name, secs_str(q->life_secs, a, sizeof(a)),
			 kb_str(kb, b, sizeof(b)), secs_str(c->lifetime, e, sizeof(e)),
			 kb_str(offered_kb, f, sizeof(f)));
	return 0;
}

void ike_qm_life_soft(struct ike_quick *q, uint32_t rnd_secs, uint32_t rnd_bytes)
{
	q->soft_secs = (uint32_t)ike_soft_limit(q->life_secs, q->initiator, rnd_secs);
	q->soft_bytes = ike_soft_limit(q->life_bytes, q->initiator, rnd_bytes);
}

const char *ike_qm_life_bytes_str(const struct ike_quick *q, char *buf, size_t len)
{
	if (!q->life_bytes)
		return "";
	snprintf(buf, len, ", %" PRIu64 " bytes, soft %" PRIu64 " bytes", q->life_bytes,
		 q->soft_bytes);
	return buf;
}
