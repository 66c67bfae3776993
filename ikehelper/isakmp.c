// SPDX-License-Identifier: GPL-2.0
/*
 * ISAKMP message codec: the fixed header, the generic payload chain, SA
 * payloads down to their attributes, and the builder for outgoing messages.
 */
#include <string.h>

#include "isakmp.h"

static bool known_np(uint8_t np)
{
	/* 130 and 131: NAT-D and NAT-OA of the NAT-T drafts (natt.h) */
	return (np >= ISAKMP_NP_SA && np <= ISAKMP_NP_VID) || np == ISAKMP_NP_NATD ||
	       np == ISAKMP_NP_NATOA || np == 130 || np == 131;
}

const char *isakmp_np_name(uint8_t np)
{
	static const char *const names[] = {
		"NONE", "SA", "P", "T", "KE", "ID", "CERT", "CR", "HASH", "SIG", "NONCE", "N",
		"D", "VID",
	};

	if (np < sizeof(names) / sizeof(names[0]))
		return names[np];
	if (np == ISAKMP_NP_NATD)
		return "NAT-D";
	if (np == ISAKMP_NP_NATOA)
		return "NAT-OA";
	if (np == 130)
		return "NAT-D (draft)";
	if (np == 131)
		return "NAT-OA (draft)";
	return "unknown";
}

int isakmp_parse_header(const uint8_t *buf, size_t len, struct ike_msg *m, const char **why)
{
	memset(m, 0, sizeof(*m));
	if (len < ISAKMP_HDR_LEN) {
		*why = "shorter than the ISAKMP header";
		return -1;
	}
	memcpy(m->icookie, buf, IKE_COOKIE_LEN);
	memcpy(m->rcookie, buf + 8, IKE_COOKIE_LEN);
	m->np = buf[16];
	m->version = buf[17];
	m->exch = buf[18];
	m->flags = buf[19];
	m->msgid = ike_get32(buf + 20);
	m->length = ike_get32(buf + 24);
	if ((m->version & 0xf0) != ISAKMP_VERSION) {
		*why = "not ISAKMP version 1";
		return -1;
	}
	if (m->length < ISAKMP_HDR_LEN) {
		*why = "length field shorter than the header";
		return -1;
	}
	if (m->length > len) {
		*why = "length field beyond the datagram";
		return -1;
	}
	return 0;
}

int isakmp_parse_payloads(struct ike_msg *m, const uint8_t *p, size_t len, uint8_t first,
			  bool allow_trailing, const char **why, uint8_t *bad_type)
{
	uint8_t np = first;
	size_t off = 0;

	m->n = 0;
	while (np != ISAKMP_NP_NONE) {
		size_t plen;

		if (!known_np(np)) {
			*bad_type = np;
			*why = "unknown payload type";
			return -1;
		}
		if (m->n == ISAKMP_MAX_PAYLOADS) {
			*why = "too many payloads";
			return -1;
		}
		if (len - off < ISAKMP_GEN_LEN) {
			*why = "payload header truncated";
			return -1;
		}
		plen = ike_get16(p + off + 2);
		if (plen < ISAKMP_GEN_LEN) {
			*why = "payload length shorter than its header";
			return -1;
		}
		if (plen > len - off) {
			*why = "payload length beyond the message";
			return -1;
		}
		m->pl[m->n].type = np;
		m->pl[m->n].body = p + off + ISAKMP_GEN_LEN;
		m->pl[m->n].len = plen - ISAKMP_GEN_LEN;
		m->n++;
		np = p[off];
		off += plen;
	}
	if (off != len && !allow_trailing) {
		*why = "bytes after the last payload";
		return -1;
	}
	return 0;
}

const struct ike_payload *isakmp_find(const struct ike_msg *m, uint8_t type)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (m->pl[i].type == type)
			return &m->pl[i];
	return NULL;
}

int isakmp_count(const struct ike_msg *m, uint8_t type)
{
	int i, c = 0;

	for (i = 0; i < m->n; i++)
		c += m->pl[i].type == type;
	return c;
}

/* What parse_attrs() has seen of the life type/duration pairs so far. */
struct life_state {
	uint16_t type;		/* the last life type, until its duration */
	bool pending;		/* a life type waits for its duration */
	bool seen_secs, seen_kb;
};

static int set_life(struct ike_transform *t, uint32_t val, struct life_state *ls, const char **why)
{
	if (!ls->pending) {
		*why = "life duration without a life type before it";
		return -1;
	}
	ls->pending = false;
	if (!val) {
		*why = "life duration 0";
		return -1;
	}
	if (ls->type == LIFE_SECONDS) {
		t->life_secs = val;
	} else if (ls->type == LIFE_KILOBYTES) {
		t->life_kb = val;
	} else {
		*why = "life duration without a known life type";
		return -1;
	}
	return 0;
}

static int set_life_type(uint32_t val, struct life_state *ls, const char **why)
{
	bool *seen = val == LIFE_SECONDS ? &ls->seen_secs : &ls->seen_kb;

	if (ls->pending) {
		*why = "life type without a life duration";
		return -1;
	}
	if (val != LIFE_SECONDS && val != LIFE_KILOBYTES) {
		*why = "unknown life type";
		return -1;
	}
	/* RFC 2407 4.5: each type once (seconds and kilobytes may both be there) */
	if (*seen) {
		*why = "the same life type twice";
		return -1;
	}
	*seen = true;
	ls->type = (uint16_t)val;
	ls->pending = true;
	return 0;
}

static int set_attr(struct ike_transform *t, int phase, uint16_t type, uint32_t val,
		    struct life_state *ls, const char **why)
{
	if (phase == 1) {
		switch (type) {
		case P1_ENC: t->enc = (uint16_t)val; return 0;
		case P1_HASH: t->hash = (uint16_t)val; return 0;
		case P1_AUTH: t->auth = (uint16_t)val; return 0;
		case P1_GROUP: t->group = (uint16_t)val; return 0;
		case P1_KEY_LENGTH: t->keylen = (uint16_t)val; return 0;
		case P1_LIFE_TYPE: return set_life_type(val, ls, why);
		case P1_LIFE_DURATION: return set_life(t, val, ls, why);
		default:
			*why = "unsupported phase-1 attribute";
			return -1;
		}
	}
	switch (type) {
	case P2_ENCAP: t->encap = (uint16_t)val; return 0;
	case P2_AUTH: t->auth = (uint16_t)val; return 0;
	case P2_GROUP: t->group = (uint16_t)val; return 0;
	case P2_KEY_LENGTH: t->keylen = (uint16_t)val; return 0;
	case P2_LIFE_TYPE: return set_life_type(val, ls, why);
	case P2_LIFE_DURATION: return set_life(t, val, ls, why);
	default:
		*why = "unsupported phase-2 attribute";
		return -1;
	}
}

/* Is @type the life duration of @phase (the one attribute that may be long)? */
static bool is_duration(int phase, uint16_t type)
{
	return type == (phase == 1 ? P1_LIFE_DURATION : P2_LIFE_DURATION);
}

int isakmp_parse_attrs(const uint8_t *p, size_t len, int phase, struct ike_transform *t,
		       const char **why)
{
	struct life_state ls = { 0 };
	size_t off = 0;

	while (off < len) {
		uint16_t type, alen;
		uint64_t val = 0;
		size_t i;

		if (len - off < 4) {
			*why = "attribute truncated";
			return -1;
		}
		type = ike_get16(p + off);
		if (type & 0x8000) {
			val = ike_get16(p + off + 2);
			off += 4;
		} else {
			alen = ike_get16(p + off + 2);
			if (alen > len - off - 4) {
				*why = "attribute length beyond the transform";
				return -1;
			}
			/*
			 * A duration is variable-length (RFC 2407 4.5): up to 8
			 * bytes read, a value past 32 bits kept as the largest
			 * we hold (a lifetime that long is no limit here).
			 */
			if (alen == 0 || alen > (is_duration(phase, type) ? 8 : 4)) {
				*why = "variable attribute of an unsupported size";
				return -1;
			}
			for (i = 0; i < alen; i++)
				val = val << 8 | p[off + 4 + i];
			if (val > UINT32_MAX)
				val = UINT32_MAX;
			off += 4 + (size_t)alen;
		}
		if (set_attr(t, phase, type & 0x7fff, (uint32_t)val, &ls, why) < 0)
			return -1;
	}
	if (ls.pending) {
		*why = "life type without a life duration";
		return -1;
	}
	return 0;
}

static int parse_proposal(const uint8_t *p, size_t len, int phase, struct ike_proposal *pr,
			  const char **why)
{
	size_t off;
	uint8_t np = ISAKMP_NP_T;
	int i, want;

	if (len < 4) {
		*why = "proposal truncated";
		return -1;
	}
	pr->num = p[0];
	pr->proto = p[1];
	pr->spi_size = p[2];
	want = p[3];
	if (pr->spi_size > sizeof(pr->spi) || pr->spi_size > len - 4) {
		*why = "proposal SPI size out of bounds";
		return -1;
	}
	memcpy(pr->spi, p + 4, pr->spi_size);
	off = 4 + pr->spi_size;
	pr->ntrans = 0;
	for (i = 0; i < want; i++) {
		size_t tlen;

		if (np != ISAKMP_NP_T) {
			*why = "fewer transforms than the proposal announces";
			return -1;
		}
		if (len - off < 8) {
			*why = "transform truncated";
			return -1;
		}
		np = p[off];
		tlen = ike_get16(p + off + 2);
		if (tlen < 8 || tlen > len - off) {
			*why = "transform length out of bounds";
			return -1;
		}
		if (pr->ntrans == IKE_MAX_TRANSFORMS) {
			*why = "too many transforms";
			return -1;
		}
		memset(&pr->t[pr->ntrans], 0, sizeof(pr->t[0]));
		pr->t[pr->ntrans].num = p[off + 4];
		pr->t[pr->ntrans].id = p[off + 5];
		if (isakmp_parse_attrs(p + off + 8, tlen - 8, phase, &pr->t[pr->ntrans], why) < 0)
			return -1;
		pr->ntrans++;
		off += tlen;
	}
	if (np != ISAKMP_NP_NONE || off != len) {
		*why = "transform count does not match the proposal";
		return -1;
	}
	return 0;
}

int isakmp_parse_sa(const uint8_t *body, size_t len, int phase, struct ike_sa_payload *sa,
		    const char **why)
{
	size_t off = 8;
	uint8_t np = ISAKMP_NP_P;

	sa->nprop = 0;
	if (len < 8) {
		*why = "SA payload truncated";
		return -1;
	}
	if (ike_get32(body) != IPSEC_DOI) {
		*why = "SA payload not in the IPsec DOI";
		return -1;
	}
	if (ike_get32(body + 4) != SIT_IDENTITY_ONLY) {
		*why = "unsupported situation";
		return -1;
	}
	while (np == ISAKMP_NP_P) {
		size_t plen;

		if (len - off < 4) {
			*why = "proposal header truncated";
			return -1;
		}
		np = body[off];
		plen = ike_get16(body + off + 2);
		if (plen < 4 || plen > len - off) {
			*why = "proposal length out of bounds";
			return -1;
		}
		if (sa->nprop == IKE_MAX_PROPOSALS) {
			*why = "too many proposals";
			return -1;
		}
		if (parse_proposal(body + off + 4, plen - 4, phase, &sa->p[sa->nprop], why) < 0)
			return -1;
		sa->nprop++;
		off += plen;
	}
	if (np != ISAKMP_NP_NONE || off != len) {
		*why = "bytes after the last proposal";
		return -1;
	}
	if (!sa->nprop) {
		*why = "SA payload without proposals";
		return -1;
	}
	return 0;
}

void isakmp_put(struct ike_wbuf *w, const void *p, size_t n)
{
	if (w->overflow || n > w->cap - w->len) {
		w->overflow = true;
		return;
	}
	if (n)
		memcpy(w->b + w->len, p, n);
	w->len += n;
}

void isakmp_put8(struct ike_wbuf *w, uint8_t v)
{
	isakmp_put(w, &v, 1);
}

void isakmp_put16(struct ike_wbuf *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	isakmp_put(w, b, 2);
}

void isakmp_put32(struct ike_wbuf *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	isakmp_put(w, b, 4);
}

static void set16(struct ike_wbuf *w, size_t off, size_t v)
{
	if (w->overflow || v > 0xffff) {
		w->overflow = true;
		return;
	}
	w->b[off] = (uint8_t)(v >> 8);
	w->b[off + 1] = (uint8_t)v;
}

void isakmp_begin(struct ike_wbuf *w, uint8_t *buf, size_t cap, const uint8_t *icookie,
		  const uint8_t *rcookie, uint8_t exch, uint8_t flags, uint32_t msgid)
{
	w->b = buf;
	w->len = 0;
	w->cap = cap;
	w->overflow = false;
	isakmp_put(w, icookie, IKE_COOKIE_LEN);
	isakmp_put(w, rcookie, IKE_COOKIE_LEN);
	w->np_off = w->len;
	isakmp_put8(w, ISAKMP_NP_NONE);
	isakmp_put8(w, ISAKMP_VERSION);
	isakmp_put8(w, exch);
	isakmp_put8(w, flags);
	isakmp_put32(w, msgid);
	isakmp_put32(w, 0);
}

void isakmp_pl_open(struct ike_wbuf *w, uint8_t type)
{
	if (w->overflow)
		return;
	w->b[w->np_off] = type;
	w->pl_off = w->len;
	w->np_off = w->len;
	isakmp_put8(w, ISAKMP_NP_NONE);
	isakmp_put8(w, 0);
	isakmp_put16(w, 0);
}

void isakmp_pl_close(struct ike_wbuf *w)
{
	set16(w, w->pl_off + 2, w->len - w->pl_off);
}

void isakmp_pl(struct ike_wbuf *w, uint8_t type, const void *body, size_t len)
{
	isakmp_pl_open(w, type);
	isakmp_put(w, body, len);
	isakmp_pl_close(w);
}

void isakmp_attr(struct ike_wbuf *w, uint16_t type, uint32_t val)
{
	if (val <= 0xffff) {
		isakmp_put16(w, (uint16_t)(0x8000 | type));
		isakmp_put16(w, (uint16_t)val);
	} else {
		isakmp_put16(w, type);
		isakmp_put16(w, 4);
		isakmp_put32(w, val);
	}
}

static void put_transform(struct ike_wbuf *w, int phase, const struct ike_transform *t, bool last)
{
	size_t start = w->len;

	isakmp_put8(w, last ? ISAKMP_NP_NONE : ISAKMP_NP_T);
	isakmp_put8(w, 0);
	isakmp_put16(w, 0);
	isakmp_put8(w, t->num);
	isakmp_put8(w, t->id);
	isakmp_put16(w, 0);
	if (phase == 1) {
		isakmp_attr(w, P1_ENC, t->enc);
		if (t->keylen)
			isakmp_attr(w, P1_KEY_LENGTH, t->keylen);
		isakmp_attr(w, P1_HASH, t->hash);
		isakmp_attr(w, P1_AUTH, t->auth);
		isakmp_attr(w, P1_GROUP, t->group);
		if (t->life_secs) {
			isakmp_attr(w, P1_LIFE_TYPE, LIFE_SECONDS);
			isakmp_attr(w, P1_LIFE_DURATION, t->life_secs);
		}
	} else {
		if (t->life_secs) {
			isakmp_attr(w, P2_LIFE_TYPE, LIFE_SECONDS);
			isakmp_attr(w, P2_LIFE_DURATION, t->life_secs);
		}
		if (t->life_kb) {
			isakmp_attr(w, P2_LIFE_TYPE, LIFE_KILOBYTES);
			isakmp_attr(w, P2_LIFE_DURATION, t->life_kb);
		}
		if (t->group)
			isakmp_attr(w, P2_GROUP, t->group);
		isakmp_attr(w, P2_ENCAP, t->encap);
		if (t->auth)
			isakmp_attr(w, P2_AUTH, t->auth);
		if (t->keylen)
			isakmp_attr(w, P2_KEY_LENGTH, t->keylen);
	}
	set16(w, start + 2, w->len - start);
}

static void put_prop(struct ike_wbuf *w, int phase, const struct isakmp_prop_out *p, bool last)
{
	size_t prop = w->len;
	int i;

	isakmp_put8(w, last ? ISAKMP_NP_NONE : ISAKMP_NP_P);
	isakmp_put8(w, 0);
	isakmp_put16(w, 0);
	isakmp_put8(w, p->num);
	isakmp_put8(w, p->proto);
	isakmp_put8(w, p->spi_size);
	isakmp_put8(w, (uint8_t)p->n);
	isakmp_put(w, p->spi, p->spi_size);
	for (i = 0; i < p->n; i++)
		put_transform(w, phase, &p->t[i], i == p->n - 1);
	set16(w, prop + 2, w->len - prop);
}

void isakmp_put_sa_props(struct ike_wbuf *w, int phase, const struct isakmp_prop_out *p, int n)
{
	int i;

	isakmp_pl_open(w, ISAKMP_NP_SA);
	isakmp_put32(w, IPSEC_DOI);
	isakmp_put32(w, SIT_IDENTITY_ONLY);
	for (i = 0; i < n; i++)
		put_prop(w, phase, &p[i], i == n - 1);
	isakmp_pl_close(w);
}

void isakmp_put_sa(struct ike_wbuf *w, int phase, uint8_t proto, const uint8_t *spi,
		   uint8_t spi_size, uint8_t propnum, const struct ike_transform *t, int n)
{
	struct isakmp_prop_out p = { .num = propnum, .proto = proto, .spi_size = spi_size,
				     .spi = spi, .t = t, .n = n };

	isakmp_put_sa_props(w, phase, &p, 1);
}

size_t isakmp_finish(struct ike_wbuf *w)
{
	if (w->overflow || w->len < ISAKMP_HDR_LEN)
		return 0;
	w->b[24] = (uint8_t)(w->len >> 24);
	w->b[25] = (uint8_t)(w->len >> 16);
	w->b[26] = (uint8_t)(w->len >> 8);
	w->b[27] = (uint8_t)w->len;
	return w->len;
}
