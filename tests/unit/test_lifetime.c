// SPDX-License-Identifier: GPL-2.0
/*
 * CHILD SA lifetimes: life type/duration attributes in seconds and
 * kilobytes (TV and TLV, bounds and rejections, ikehelper/isakmp.c), the
 * RESPONDER-LIFETIME notification's encoding and parsing, the responder's
 * choice (the shorter), the soft byte limit (ikehelper/lifetime.c), and
 * Quick Mode's use of them (ikehelper/qm_lifetime.c): a responder with a
 * shorter lifetime notifies it, and the initiator applies what it reads.
 */
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "ike.h"
#include "lifetime.h"
#include "tap.h"

/* Attributes from a byte string; returns isakmp_parse_attrs's result. */
static int attrs(const uint8_t *p, size_t len, int phase, struct ike_transform *t,
		 const char **why)
{
	memset(t, 0, sizeof(*t));
	*why = "";
	return isakmp_parse_attrs(p, len, phase, t, why);
}

#define A(...) ((const uint8_t[]){ __VA_ARGS__ }), sizeof((const uint8_t[]){ __VA_ARGS__ })

static void attr_cases(void)
{
	struct ike_transform t;
	const char *why;

	CHECK(attrs(A(0x80, 1, 0, 1, 0x80, 2, 0x0e, 0x10, 0x80, 1, 0, 2, 0x80, 2, 0x01, 0xf4), 2,
		    &t, &why) == 0 && t.life_secs == 3600 && t.life_kb == 500,
	      "phase 2: seconds and kilobytes, both TV (%s)", why);
	CHECK(attrs(A(0x80, 1, 0, 2, 0x00, 2, 0, 4, 0x00, 0x98, 0x96, 0x80, 0x80, 1, 0, 1, 0x80, 2,
		      0, 60), 2, &t, &why) == 0 && t.life_kb == 10000000 && t.life_secs == 60,
	      "phase 2: kilobytes as a 4-byte TLV, then seconds (%s)", why);
	CHECK(attrs(A(0x80, 1, 0, 2, 0x00, 2, 0, 3, 0x03, 0x0d, 0x40), 2, &t, &why) == 0 &&
	      t.life_kb == 200000, "phase 2: a 3-byte duration (%s)", why);
	CHECK(attrs(A(0x80, 1, 0, 1, 0x00, 2, 0, 8, 0, 0, 0, 0, 0, 0, 0x0e, 0x10), 2, &t, &why) ==
	      0 && t.life_secs == 3600, "phase 2: an 8-byte duration with leading zeros (%s)", why);
	CHECK(attrs(A(0x80, 1, 0, 2, 0x00, 2, 0, 8, 0, 0, 0, 1, 0, 0, 0, 0), 2, &t, &why) == 0 &&
	      t.life_kb == UINT32_MAX, "phase 2: a duration past 32 bits reads as the largest (%s)",
	      why);
	CHECK(attrs(A(0x80, 11, 0, 2, 0x00, 12, 0, 4, 0, 1, 0, 0, 0x80, 11, 0, 1, 0x80, 12, 0x70,
		      0x80), 1, &t, &why) == 0 && t.life_kb == 65536 && t.life_secs == 28800,
	      "phase 1: kilobytes (TLV) and seconds (TV) (%s)", why);
	CHECK(attrs(A(0x80, 1, 0, 1, 0x00, 2, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0x0e, 0x10), 2, &t, &why) <
	      0 && strstr(why, "size"), "a 9-byte duration is refused: %s", why);
	CHECK(attrs(A(0x00, 4, 0, 5, 0, 0, 0, 0, 1), 2, &t, &why) < 0 && strstr(why, "size"),
	      "a 5-byte encapsulation mode is refused (only durations are long): %s", why);
	CHECK(attrs(A(0x80, 1, 0, 1, 0x00, 2, 0, 0), 2, &t, &why) < 0 && strstr(why, "size"),
	      "a 0-byte duration is refused: %s", why);
	CHECK(attrs(A(0x80, 1, 0, 1, 0x00, 2, 0, 4, 0, 0, 1), 2, &t, &why) < 0 &&
	      strstr(why, "beyond"), "a duration longer than the transform is refused: %s", why);
	CHECK(attrs(A(0x80, 1, 0, 1, 0x80, 2, 0, 60, 0x80, 1, 0, 1, 0x80, 2, 0, 70), 2, &t, &why) <
	      0 && strstr(why, "twice"), "seconds twice are refused: %s", why);
	CHECK(attrs(A(0x80, 1, 0, 2, 0x80, 2, 0, 60, 0x80, 1, 0, 2, 0x80, 2, 0, 70), 2, &t, &why) <
	      0 && strstr(why, "twice"), "kilobytes twice are refused: %s", why);
	CHECK(attrs(A(0x80, 2, 0, 60), 2, &t, &why) < 0 && strstr(why, "without a life type"),
	      "a duration without a type is refused: %s", why);
	CHECK(attrs(A(0x80, 1, 0, 1, 0x80, 2, 0, 60, 0x80, 2, 0, 70), 2, &t, &why) < 0,
	      "a second duration for one type is refused: %s", why);
	CHECK(attrs(A(0x80, 1, 0, 1), 2, &t, &why) < 0 && strstr(why, "without a life duration"),
	      "a type without a duration (at the end) is refused: %s", why);
	CHECK(attrs(A(0x80, 1, 0, 1, 0x80, 1, 0, 2, 0x80, 2, 0, 60), 2, &t, &why) < 0 &&
	      strstr(why, "without a life duration"),
	      "a type followed by another type is refused: %s", why);
	CHECK(attrs(A(0x80, 1, 0, 3, 0x80, 2, 0, 60), 2, &t, &why) < 0 && strstr(why, "unknown"),
	      "life type 3 is refused: %s", why);
	CHECK(attrs(A(0x80, 1, 0, 2, 0x80, 2, 0, 0), 2, &t, &why) < 0 && strstr(why, "0"),
	      "a duration of 0 is refused: %s", why);
	CHECK(attrs(A(0x80, 1, 0, 1, 0x80, 2), 2, &t, &why) < 0 && strstr(why, "truncated"),
	      "a truncated attribute is refused: %s", why);
}

/* An ESP SA payload with both lifetimes through the builder and back. */
static void sa_roundtrip(uint32_t secs, uint32_t kb)
{
	struct ike_transform t = { .num = 1, .id = 12, .keylen = 128, .auth = 5, .encap = 1,
				   .life_secs = secs, .life_kb = kb };
	uint8_t msg[512], spi[4] = { 1, 2, 3, 4 }, cky[8] = { 1 };
	struct ike_sa_payload *sa = calloc(1, sizeof(*sa));
	const char *why = "";
	struct ike_wbuf w;
	size_t len;

	isakmp_begin(&w, msg, sizeof(msg), cky, cky, ISAKMP_EXCH_QUICK, 0, 1);
	isakmp_put_sa(&w, 2, PROTO_IPSEC_ESP, spi, 4, 1, &t, 1);
	len = isakmp_finish(&w) - ISAKMP_HDR_LEN - ISAKMP_GEN_LEN;
	CHECK(sa && isakmp_parse_sa(msg + ISAKMP_HDR_LEN + ISAKMP_GEN_LEN, len, 2, sa, &why) == 0 &&
	      sa->p[0].t[0].life_secs == secs && sa->p[0].t[0].life_kb == kb,
	      "SA payload round trip: %u s, %u KB (%s)", secs, kb, why);
	free(sa);
}

static void notify_cases(void)
{
	static const uint8_t want[] = {
		0, 0, 0, 1, 3, 4, 0x60, 0x00, 0xc0, 0xff, 0xee, 0x01,
		0x80, 1, 0, 1, 0x80, 2, 0, 60, 0x80, 1, 0, 2, 0, 2, 0, 4, 0, 1, 0, 0,
	};
	uint32_t spi, secs, kb;
	uint8_t b[128], c[128], proto;
	const char *why = "";
	size_t n;

	n = ike_resp_lifetime_body(b, sizeof(b), PROTO_IPSEC_ESP, 0xc0ffee01, 60, 65536);
	CHECK(n == sizeof(want) && !memcmp(b, want, n),
	      "RESPONDER-LIFETIME body: DOI, ESP, SPI size 4, type 24576, SPI, seconds TV, "
	      "kilobytes TLV (%zu bytes)", n);
	CHECK(ike_resp_lifetime_parse(b, n, &proto, &spi, &secs, &kb, &why) == 1 &&
	      proto == PROTO_IPSEC_ESP && spi == 0xc0ffee01 && secs == 60 && kb == 65536,
	      "... and it parses back (%s)", why);
	n = ike_resp_lifetime_body(b, sizeof(b), PROTO_IPSEC_ESP, 7, 0, 196);
	CHECK(n == 20 && ike_resp_lifetime_parse(b, n, &proto, &spi, &secs, &kb, &why) == 1 &&
	      secs == 0 && kb == 196, "kilobytes only (%s)", why);
	CHECK(ike_resp_lifetime_body(b, 19, PROTO_IPSEC_ESP, 7, 0, 196) == 0,
	      "a buffer too small gives 0");
	n = ike_resp_lifetime_body(b, sizeof(b), PROTO_IPSEC_ESP, 7, 60, 0);
	memcpy(c, b, n);
	c[7] = 0x02;	/* type 24578: INITIAL-CONTACT */
	CHECK(ike_resp_lifetime_parse(c, n, &proto, &spi, &secs, &kb, &why) == 0,
	      "another notification is not RESPONDER-LIFETIME");
	CHECK(ike_resp_lifetime_parse(b, 7, &proto, &spi, &secs, &kb, &why) < 0,
	      "a truncated notification is refused: %s", why);
	memcpy(c, b, n);
	c[3] = 2;
	CHECK(ike_resp_lifetime_parse(c, n, &proto, &spi, &secs, &kb, &why) < 0 &&
	      strstr(why, "DOI"), "another DOI is refused: %s", why);
	memcpy(c, b, n);
	c[5] = 0;
	CHECK(ike_resp_lifetime_parse(c, n, &proto, &spi, &secs, &kb, &why) < 0 &&
	      strstr(why, "SPI"), "no SPI is refused: %s", why);
	CHECK(ike_resp_lifetime_parse(b, 11, &proto, &spi, &secs, &kb, &why) < 0 &&
	      strstr(why, "SPI"), "an SPI cut short is refused: %s", why);
	CHECK(ike_resp_lifetime_parse(b, 12, &proto, &spi, &secs, &kb, &why) < 0 &&
	      strstr(why, "without a lifetime"), "no attributes is refused: %s", why);
	CHECK(ike_resp_lifetime_parse(b, n - 1, &proto, &spi, &secs, &kb, &why) < 0,
	      "an attribute cut short is refused: %s", why);
	memcpy(c, b, n);
	memcpy(c + n, (const uint8_t[]){ 0x80, 4, 0, 1 }, 4);	/* encapsulation mode */
	CHECK(ike_resp_lifetime_parse(c, n + 4, &proto, &spi, &secs, &kb, &why) < 0 &&
	      strstr(why, "other than lifetimes"), "other attributes are refused: %s", why);
	memcpy(c, b, n);
	memcpy(c + n, (const uint8_t[]){ 0x80, 1, 0, 1, 0x80, 2, 0, 9 }, 8);
	CHECK(ike_resp_lifetime_parse(c, n + 8, &proto, &spi, &secs, &kb, &why) < 0 &&
	      strstr(why, "twice"), "seconds twice are refused: %s", why);
}

static void choice_cases(void)
{
	bool sh;
	uint32_t v;
	uint64_t s;
	int i, ok;

	v = ike_life_choose(3600, 600, &sh);
	CHECK(v == 600 && sh, "initiator 3600 s, ours 600 s: 600, notified");
	v = ike_life_choose(600, 3600, &sh);
	CHECK(v == 600 && !sh, "initiator 600 s, ours 3600 s: 600, not notified");
	v = ike_life_choose(600, 600, &sh);
	CHECK(v == 600 && !sh, "equal: not notified");
	v = ike_life_choose(0, 196, &sh);
	CHECK(v == 196 && sh, "initiator none, ours 196 KB: ours, notified");
	v = ike_life_choose(196, 0, &sh);
	CHECK(v == 196 && !sh, "initiator 196 KB, ours none: theirs, not notified");
	v = ike_life_choose(0, 0, &sh);
	CHECK(v == 0 && !sh, "neither: none");
	CHECK(ike_life_kb(200000) == 196 && ike_life_kb(1024) == 1 && ike_life_kb(1025) == 2 &&
	      ike_life_kb(0) == 0 && ike_life_kb(UINT64_MAX) == UINT32_MAX,
	      "lifebytes to kilobytes: rounded up, 0 stays none, capped at 32 bits");
	ok = 1;
	for (i = 0; i < 2000; i++) {
		uint32_t rnd = (uint32_t)i * 2654435761u;

		s = ike_soft_limit(200704, true, rnd);
		ok &= s >= 200704 - 2 * 20070 && s <= 200704 - 20070;
		s = ike_soft_limit(200704, false, rnd);
		ok &= s >= 200704 - 10035 - 5017 && s <= 200704 - 10035;
		ok &= ike_soft_limit(3600, true, rnd) == ike_soft_lifetime(3600, true, rnd) &&
		      ike_soft_limit(3600, false, rnd) == ike_soft_lifetime(3600, false, rnd);
	}
	CHECK(ok, "soft byte limit: initiator at 80..90 %%, responder at 92.5..95 %%, the same "
	      "scheme as the seconds");
	CHECK(ike_soft_limit(1, true, 0) == 0 && ike_soft_limit(0, false, 0) == 0 &&
	      ike_soft_limit(8ULL << 40, true, 0) == (8ULL << 40) - (8ULL << 40) / 10,
	      "no soft limit below 2; 64-bit limits");
}

/* message 2's payloads after the header, parsed as the initiator would. */
static int msg2(struct ike_quick *r, struct ike_msg *m, uint8_t *buf, size_t cap)
{
	uint8_t body[8] = { 0 }, bad = 0;
	const char *why = "";
	struct ike_wbuf w;
	size_t len;

	isakmp_begin(&w, buf, cap, body, body, ISAKMP_EXCH_QUICK, 0, 1);
	isakmp_pl(&w, ISAKMP_NP_NONCE, body, 8);
	if (ike_qm_life_put_notify(r, &w) < 0)
		return -1;
	len = isakmp_finish(&w);
	if (!len || isakmp_parse_header(buf, len, m, &why) < 0)
		return -1;
	return isakmp_parse_payloads(m, buf + ISAKMP_HDR_LEN, len - ISAKMP_HDR_LEN, m->np, false,
				     &why, &bad);
}

static void quick_mode_cases(void)
{
	struct ike_conn cr = { .name = "r", .lifetime = 60, .lifebytes = 200000 };
	struct ike_conn ci = { .name = "i", .lifetime = 120 };
	struct ike_sa sr = { .conn = &cr }, si = { .conn = &ci };
	struct ike_quick r = { .sa = &sr, .spi_in = 0xabcd0001 };
	struct ike_quick i = { .sa = &si, .initiator = true, .spi_out = 0xabcd0001 };
	struct ike_transform offer, echo;
	struct ike_msg m;
	uint8_t buf[256];

	memset(&offer, 0, sizeof(offer));
	ike_qm_life_offer(&ci, &offer);
	CHECK(offer.life_secs == 120 && offer.life_kb == 0, "initiator offers 120 s, no kilobytes");
	ike_qm_life_offer(&cr, &echo);
	CHECK(echo.life_secs == 60 && echo.life_kb == 196, "lifebytes 200000 is offered as 196 KB");
	CHECK(ike_qm_life_respond(&r, &offer) && r.life_secs == 60 && r.life_bytes == 196 * 1024 &&
	      r.notify_secs == 60 && r.notify_kb == 196,
	      "responder (60 s, 196 KB) to 120 s and no KB: applies its own, notifies both");
	echo = offer;	/* the transform goes back as proposed */
	CHECK(msg2(&r, &m, buf, sizeof(buf)) == 0 && m.n == 2 && m.pl[1].type == ISAKMP_NP_N,
	      "message 2 carries the notification");
	CHECK(ike_qm_life_reply(&i, &m, &echo) == 0 && i.life_secs == 60 &&
	      i.life_bytes == 196 * 1024, "the initiator applies RESPONDER-LIFETIME: 60 s, 196 KB");
	i.spi_out = 0x1111;
	CHECK(ike_qm_life_reply(&i, &m, &echo) == 0 && i.life_secs == 120 && i.life_bytes == 0,
	      "a RESPONDER-LIFETIME naming another SPI is ignored");
	i.spi_out = 0xabcd0001;
	r.notify_secs = r.notify_kb = 0;
	CHECK(msg2(&r, &m, buf, sizeof(buf)) == 0 && m.n == 1, "nothing to notify: no payload");
	echo.life_secs = 90;
	CHECK(ike_qm_life_reply(&i, &m, &echo) == 0 && i.life_secs == 90,
	      "without a notification a shorter lifetime in the reply is applied");
	echo.life_secs = 500;
	CHECK(ike_qm_life_reply(&i, &m, &echo) == 0 && i.life_secs == 120,
	      "a longer one in the reply is not: ours stays");
	r.notify_secs = 900;
	echo.life_secs = 120;
	CHECK(msg2(&r, &m, buf, sizeof(buf)) == 0 && ike_qm_life_reply(&i, &m, &echo) == 0 &&
	      i.life_secs == 120, "a RESPONDER-LIFETIME longer than offered: ours stays");
	offer.life_secs = 30;
	offer.life_kb = 100;
	CHECK(!ike_qm_life_respond(&r, &offer) && r.life_secs == 30 && r.life_bytes == 100 * 1024 &&
	      !r.notify_secs && !r.notify_kb,
	      "responder to shorter lifetimes than its own: takes them, no notification");
	r.notify_secs = 60;
	CHECK(msg2(&r, &m, buf, sizeof(buf)) == 0, "(message 2 with a notification again)");
	buf[ISAKMP_HDR_LEN + ISAKMP_GEN_LEN + 8 + ISAKMP_GEN_LEN + 12 + 2] = 0x00;
	buf[ISAKMP_HDR_LEN + ISAKMP_GEN_LEN + 8 + ISAKMP_GEN_LEN + 12 + 3] = 0x03;	/* life type 3 */
	CHECK(ike_qm_life_reply(&i, &m, &echo) < 0,
	      "a malformed RESPONDER-LIFETIME fails the reply");
}

int main(void)
{
	attr_cases();
	sa_roundtrip(3600, 0);
	sa_roundtrip(0, 196);
	sa_roundtrip(28800, 4000000);
	notify_cases();
	choice_cases();
	quick_mode_cases();
	return tap_done();
}
