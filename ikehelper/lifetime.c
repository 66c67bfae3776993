// SPDX-License-Identifier: GPL-2.0
/* CHILD SA lifetimes: the responder's choice, RESPONDER-LIFETIME, soft limits. */
#include <string.h>

#include "isakmp.h"
#include "lifetime.h"

#define NOTIFY_HDR_LEN 12	/* DOI, protocol, SPI size, type (RFC 2408 3.14) */

uint32_t ike_life_kb(uint64_t bytes)
{
	uint64_t kb = bytes / 1024 + (bytes % 1024 != 0);

	return kb > UINT32_MAX ? UINT32_MAX : (uint32_t)kb;
}

uint32_t ike_life_choose(uint32_t theirs, uint32_t ours, bool *shorter)
{
	*shorter = ours && (!theirs || ours < theirs);
	return *shorter ? ours : theirs;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

size_t ike_resp_lifetime_body(uint8_t *out, size_t cap, uint8_t proto, uint32_t spi,
			      uint32_t secs, uint32_t kb)
{
	struct ike_wbuf w = { .b = out, .cap = cap };
	uint8_t hdr[NOTIFY_HDR_LEN];

	put32(hdr, IPSEC_DOI);
	hdr[4] = proto;
	hdr[5] = 4;
	hdr[6] = (uint8_t)(N_RESPONDER_LIFETIME >> 8);
	hdr[7] = (uint8_t)N_RESPONDER_LIFETIME;
	put32(hdr + 8, spi);
	isakmp_put(&w, hdr, sizeof(hdr));
	if (secs) {
		isakmp_attr(&w, P2_LIFE_TYPE, LIFE_SECONDS);
		isakmp_attr(&w, P2_LIFE_DURATION, secs);
	}
	if (kb) {
		isakmp_attr(&w, P2_LIFE_TYPE, LIFE_KILOBYTES);
		isakmp_attr(&w, P2_LIFE_DURATION, kb);
	}
	return w.overflow ? 0 : w.len;
}

int ike_resp_lifetime_parse(const uint8_t *body, size_t len, uint8_t *proto, uint32_t *spi,
			    uint32_t *secs, uint32_t *kb, const char **why)
{
	struct ike_transform t;

	if (len < 8) {
		*why = "notification truncated";
		return -1;
	}
	if (ike_get16(body + 6) != N_RESPONDER_LIFETIME)
		return 0;
	if (ike_get32(body) != IPSEC_DOI) {
		*why = "RESPONDER-LIFETIME not in the IPsec DOI";
		return -1;
	}
	if (body[5] != 4 || len < NOTIFY_HDR_LEN) {
		*why = "RESPONDER-LIFETIME without a 4-byte SPI";
		return -1;
	}
	memset(&t, 0, sizeof(t));
	if (isakmp_parse_attrs(body + NOTIFY_HDR_LEN, len - NOTIFY_HDR_LEN, 2, &t, why) < 0)
		return -1;
	if (t.encap || t.auth || t.group || t.keylen) {
		*why = "RESPONDER-LIFETIME with attributes other than lifetimes";
		return -1;
	}
	if (!t.life_secs && !t.life_kb) {
		*why = "RESPONDER-LIFETIME without a lifetime";
		return -1;
	}
	*proto = body[4];
	*spi = ike_get32(body + 8);
	*secs = t.life_secs;
	*kb = t.life_kb;
	return 1;
}

uint64_t ike_soft_limit(uint64_t life, bool initiator, uint32_t rnd)
{
	uint64_t margin, jitter;

	if (life < 2)
		return 0;
	if (initiator) {
		margin = life / 10;		/* at least 10% before the end ... */
		jitter = life / 10;		/* ... and up to 10% more */
	} else {
		margin = life / 20;		/* 5% .. 7.5% */
		jitter = life / 40;
	}
	if (!margin)
		margin = 1;
	margin += jitter ? rnd % (jitter + 1) : 0;
	return margin < life ? life - margin : 1;
}
