// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper/isakmp.c: messages built with the builder parse back to the
 * same payloads and SA attributes; truncated messages, lying lengths,
 * unknown payload types and malformed SA payloads are refused with a
 * reason; random corruption never crashes the parser (ASan/UBSan build).
 */
#include <stdlib.h>
#include <string.h>

#include "isakmp.h"
#include "tap.h"

static const uint8_t icky[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, rcky[8] = { 9, 9, 9, 9, 9, 9, 9, 9 };

/* A message with one payload of every type the codec knows. */
static size_t build(uint8_t *buf, size_t cap)
{
	struct ike_transform t[2] = {
		{ .num = 1, .id = 1, .enc = 7, .keylen = 256, .hash = 4, .auth = 1, .group = 14,
		  .life_secs = 100000 },
		{ .num = 2, .id = 1, .enc = 5, .hash = 2, .auth = 1, .group = 2, .life_secs = 3600 },
	};
	uint8_t body[16] = { 0xaa };
	struct ike_wbuf w;

	isakmp_begin(&w, buf, cap, icky, rcky, ISAKMP_EXCH_IDPROT, 0, 0x11223344);
	isakmp_put_sa(&w, 1, PROTO_ISAKMP, NULL, 0, 1, t, 2);
	isakmp_pl(&w, ISAKMP_NP_KE, body, 16);
	isakmp_pl(&w, ISAKMP_NP_NONCE, body, 8);
	isakmp_pl(&w, ISAKMP_NP_ID, body, 8);
	isakmp_pl(&w, ISAKMP_NP_HASH, body, 16);
	isakmp_pl(&w, ISAKMP_NP_N, body, 8);
	isakmp_pl(&w, ISAKMP_NP_D, body, 12);
	isakmp_pl(&w, ISAKMP_NP_VID, body, 16);
	isakmp_pl(&w, ISAKMP_NP_NATD, body, 16);
	return isakmp_finish(&w);
}

static int parse(const uint8_t *buf, size_t len, struct ike_msg *m, const char **why,
		 uint8_t *bad)
{
	if (isakmp_parse_header(buf, len, m, why) < 0)
		return -1;
	return isakmp_parse_payloads(m, buf + ISAKMP_HDR_LEN, m->length - ISAKMP_HDR_LEN, m->np,
				     false, why, bad);
}

static void put16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void sa_cases(void)
{
	struct ike_transform t = { .num = 1, .id = 12, .keylen = 128, .auth = 5, .encap = 1,
				   .group = 14, .life_secs = 3600, .life_kb = 5000000 };
	uint8_t msg[512], sab[512], buf[512], spi[4] = { 0xde, 0xad, 0xbe, 0xef };
	struct ike_sa_payload *sa = calloc(1, sizeof(*sa));
	struct ike_wbuf w;
	const uint8_t *b;
	const char *why = "";
	size_t len;

	isakmp_begin(&w, msg, sizeof(msg), icky, rcky, ISAKMP_EXCH_QUICK, 0, 1);
	isakmp_put_sa(&w, 2, PROTO_IPSEC_ESP, spi, 4, 3, &t, 1);
	len = isakmp_finish(&w) - ISAKMP_HDR_LEN - ISAKMP_GEN_LEN;
	memcpy(sab, msg + ISAKMP_HDR_LEN + ISAKMP_GEN_LEN, len);
	b = sab;
	CHECK(isakmp_parse_sa(b, len, 2, sa, &why) == 0 && sa->nprop == 1 && sa->p[0].num == 3 &&
	      sa->p[0].proto == PROTO_IPSEC_ESP && sa->p[0].spi_size == 4 &&
	      !memcmp(sa->p[0].spi, spi, 4) && sa->p[0].ntrans == 1,
	      "phase-2 SA round trip: proposal, SPI (%s)", why);
	CHECK(sa->p[0].t[0].id == 12 && sa->p[0].t[0].keylen == 128 && sa->p[0].t[0].auth == 5 &&
	      sa->p[0].t[0].encap == 1 && sa->p[0].t[0].group == 14 &&
	      sa->p[0].t[0].life_secs == 3600 && sa->p[0].t[0].life_kb == 5000000,
	      "phase-2 attributes round trip (a lifetime in kilobytes as TLV)");
	CHECK(isakmp_parse_sa(b, len, 1, sa, &why) < 0 && strstr(why, "phase-1"),
	      "phase-2 attributes in a phase-1 SA are refused: %s", why);
	CHECK(isakmp_parse_sa(b, len - 1, 2, sa, &why) < 0, "SA payload cut by one byte: %s", why);
	memcpy(buf, b, len);
	buf[3] = 2;	/* DOI */
	CHECK(isakmp_parse_sa(buf, len, 2, sa, &why) < 0 && strstr(why, "DOI"), "wrong DOI: %s",
	      why);
	memcpy(buf, b, len);
	buf[8 + 7] = 2;	/* the proposal announces two transforms, has one */
	CHECK(isakmp_parse_sa(buf, len, 2, sa, &why) < 0, "transform count lies: %s", why);
	memcpy(buf, b, len);
	put16(buf + 8 + 2, 0xff00);	/* proposal length beyond the payload */
	CHECK(isakmp_parse_sa(buf, len, 2, sa, &why) < 0, "proposal length lies: %s", why);
	memcpy(buf, b, len);
	buf[8 + 6] = 200;	/* SPI size */
	CHECK(isakmp_parse_sa(buf, len, 2, sa, &why) < 0, "SPI size beyond the proposal: %s", why);
	memcpy(buf, b, len);
	put16(buf + 8 + 8 + 4 + 2, 3);	/* transform length below its header */
	CHECK(isakmp_parse_sa(buf, len, 2, sa, &why) < 0, "transform length lies: %s", why);
	memcpy(buf, b, len);
	/* the first attribute (life type, TV) turned into a TLV claiming 60 bytes */
	buf[8 + 8 + 4 + 8] &= 0x7f;
	put16(buf + 8 + 8 + 4 + 8 + 2, 60);
	CHECK(isakmp_parse_sa(buf, len, 2, sa, &why) < 0, "attribute length lies: %s", why);
	CHECK(isakmp_parse_sa(b, 7, 2, sa, &why) < 0, "SA payload shorter than DOI+situation");
	free(sa);
}

int main(void)
{
	uint8_t buf[1024], copy[1024];
	struct ike_sa_payload *sa = calloc(1, sizeof(*sa));
	const struct ike_payload *p;
	struct ike_msg m;
	const char *why = "";
	uint8_t bad = 0;
	size_t len = build(buf, sizeof(buf)), i;
	unsigned int seed = 1;

	CHECK(len > ISAKMP_HDR_LEN, "message builds (%zu bytes)", len);
	CHECK(parse(buf, len, &m, &why, &bad) == 0 && m.n == 9, "it parses: 9 payloads (%s)",
	      why);
	CHECK(!memcmp(m.icookie, icky, 8) && !memcmp(m.rcookie, rcky, 8) &&
	      m.exch == ISAKMP_EXCH_IDPROT && m.msgid == 0x11223344 && m.length == len,
	      "header fields round trip");
	CHECK(m.pl[0].type == ISAKMP_NP_SA && m.pl[1].type == ISAKMP_NP_KE &&
	      m.pl[1].len == 16 && m.pl[8].type == ISAKMP_NP_NATD && m.pl[8].len == 16 &&
	      m.pl[6].type == ISAKMP_NP_D && m.pl[6].len == 12,
	      "payload types and lengths in order");
	p = isakmp_find(&m, ISAKMP_NP_SA);
	CHECK(p && isakmp_parse_sa(p->body, p->len, 1, sa, &why) == 0 && sa->nprop == 1 &&
	      sa->p[0].ntrans == 2, "phase-1 SA parses (%s)", why);
	CHECK(sa->p[0].t[0].enc == 7 && sa->p[0].t[0].keylen == 256 && sa->p[0].t[0].hash == 4 &&
	      sa->p[0].t[0].auth == 1 && sa->p[0].t[0].group == 14 &&
	      sa->p[0].t[0].life_secs == 100000 && sa->p[0].t[1].enc == 5 &&
	      sa->p[0].t[1].keylen == 0 && sa->p[0].t[1].life_secs == 3600,
	      "phase-1 attributes round trip (TV and a 4-byte TLV lifetime)");
	CHECK(isakmp_count(&m, ISAKMP_NP_HASH) == 1 && !isakmp_find(&m, ISAKMP_NP_CERT),
	      "find and count");

	CHECK(isakmp_parse_header(buf, ISAKMP_HDR_LEN - 1, &m, &why) < 0,
	      "a datagram shorter than the header is refused: %s", why);
	CHECK(isakmp_parse_header(buf, len - 1, &m, &why) < 0 && strstr(why, "beyond"),
	      "a length field beyond the datagram is refused: %s", why);
	memcpy(copy, buf, len);
	copy[27] = 20;
	copy[24] = copy[25] = copy[26] = 0;
	CHECK(isakmp_parse_header(copy, len, &m, &why) < 0, "a length field below 28: %s", why);
	memcpy(copy, buf, len);
	copy[17] = 0x20;
	CHECK(isakmp_parse_header(copy, len, &m, &why) < 0, "IKEv2 version refused: %s", why);

	memcpy(copy, buf, len);
	put16(copy + ISAKMP_HDR_LEN + 2, 2);	/* SA payload length 2 */
	CHECK(parse(copy, len, &m, &why, &bad) < 0 && strstr(why, "shorter"),
	      "payload length below its header: %s", why);
	memcpy(copy, buf, len);
	put16(copy + ISAKMP_HDR_LEN + 2, 1000);
	CHECK(parse(copy, len, &m, &why, &bad) < 0 && strstr(why, "beyond"),
	      "payload length beyond the message: %s", why);
	memcpy(copy, buf, len);
	copy[16] = 99;	/* first payload type */
	bad = 0;
	CHECK(parse(copy, len, &m, &why, &bad) < 0 && bad == 99,
	      "unknown payload type refused and reported (%u): %s", bad, why);
	memcpy(copy, buf, len);
	put16(copy + 26, len + 4);	/* the header claims 4 more bytes: trailing garbage */
	memset(copy + len, 0, 4);
	CHECK(isakmp_parse_header(copy, len + 4, &m, &why) == 0 &&
	      isakmp_parse_payloads(&m, copy + 28, len + 4 - 28, m.np, false, &why, &bad) < 0,
	      "bytes after the last payload refused in cleartext: %s", why);
	CHECK(isakmp_parse_payloads(&m, copy + 28, len + 4 - 28, m.np, true, &why, &bad) == 0,
	      "and accepted as padding after decryption");
	for (i = ISAKMP_HDR_LEN; i < len; i++)
		if (parse(buf, i, &m, &why, &bad) == 0)
			break;
	CHECK(i == len, "no truncation of the message parses");

	{
		uint8_t small[40];
		struct ike_wbuf w;
		uint8_t body[64] = { 0 };

		isakmp_begin(&w, small, sizeof(small), icky, rcky, ISAKMP_EXCH_IDPROT, 0, 0);
		isakmp_pl(&w, ISAKMP_NP_KE, body, sizeof(body));
		CHECK(w.overflow && isakmp_finish(&w) == 0, "the builder refuses to overflow");
	}
	sa_cases();

	/* random corruption: parse everything it can, never crash */
	for (i = 0; i < 20000; i++) {
		size_t j, n = 1 + (size_t)rand_r(&seed) % 4;

		memcpy(copy, buf, len);
		for (j = 0; j < n; j++)
			copy[(size_t)rand_r(&seed) % len] = (uint8_t)rand_r(&seed);
		if (parse(copy, len, &m, &why, &bad) == 0)
			for (j = 0; j < (size_t)m.n; j++)
				if (m.pl[j].type == ISAKMP_NP_SA)
					isakmp_parse_sa(m.pl[j].body, m.pl[j].len, 1, sa, &why);
	}
	CHECK(1, "20000 corrupted messages parsed or refused without a sanitizer report");
	free(sa);
	return tap_done();
}
