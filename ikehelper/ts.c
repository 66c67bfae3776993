// SPDX-License-Identifier: GPL-2.0
/*
 * Traffic selectors and their ID payloads: see ts.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../tools/selector.h"
#include "isakmp.h"
#include "ts.h"

/* Zero the bits of @a beyond @plen; @hi: set them instead (the range's end). */
static void fill_host(uint8_t *b, size_t n, uint32_t plen, bool hi)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint32_t bits = plen > i * 8 ? plen - (uint32_t)i * 8 : 0;
		uint8_t m = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));

		b[i] = hi ? (uint8_t)(b[i] | ~m) : (uint8_t)(b[i] & m);
	}
}

/* The one prefix @lo..@hi covers exactly, or -1. */
static int range_prefix(const uint8_t *lo, const uint8_t *hi, size_t n, uint32_t *plen)
{
	uint8_t a[16], b[16];
	uint32_t p = 0;

	while (p < n * 8 && !((lo[p / 8] ^ hi[p / 8]) & (0x80 >> (p % 8))))
		p++;
	memcpy(a, lo, n);
	memcpy(b, lo, n);
	fill_host(a, n, p, false);
	fill_host(b, n, p, true);
	if (memcmp(a, lo, n) || memcmp(b, hi, n))
		return -1;
	*plen = p;
	return 0;
}

/* A netmask's prefix length, or -1 if its ones are not contiguous. */
static int mask_plen(const uint8_t *m, size_t n, uint32_t *plen)
{
	uint32_t p = 0;
	size_t i;

	while (p < n * 8 && (m[p / 8] & (0x80 >> (p % 8))))
		p++;
	for (i = p; i < n * 8; i++)
		if (m[i / 8] & (0x80 >> (i % 8)))
			return -1;
	*plen = p;
	return 0;
}

static int parse_range(const char *what, const char *s, const char *dash, struct ike_ts *ts,
		       char *err, size_t errlen)
{
	char from[KIPSEC_ADDR_STRLEN];
	struct kipsec_addr hi;
	struct kipsec_err e;
	size_t n = (size_t)(dash - s);

	if (n >= sizeof(from))
		goto bad;
	memcpy(from, s, n);
	from[n] = '\0';
	if (kipsec_addr_parse(what, from, &ts->addr, &e) < 0 ||
	    kipsec_addr_parse(what, dash + 1, &hi, &e) < 0 || hi.family != ts->addr.family)
		goto bad;
	if (memcmp(ts->addr.bytes, hi.bytes, hi.len) > 0) {
		snprintf(err, errlen, "%s: range %s ends before it starts", what, s);
		return -1;
	}
	if (range_prefix(ts->addr.bytes, hi.bytes, hi.len, &ts->plen) < 0) {
		snprintf(err, errlen,
			 "%s: range %s is not one prefix (kipsec's policies select prefixes: "
			 "write it as ADDR/LEN, or use one connection per prefix)", what, s);
		return -1;
	}
	ts->range = true;
	return 0;
bad:
	snprintf(err, errlen, "%s: expected FROM-TO with two addresses of one family, got \"%s\"",
		 what, s);
	return -1;
}

static int parse_protoport(const char *what, const char *s, struct ike_ts *ts, char *err,
			   size_t errlen)
{
	char buf[64], *slash;
	struct kipsec_err e;
	uint32_t v;

	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	if (kipsec_l4proto_parse(buf, &v, &e) < 0) {
		snprintf(err, errlen, "%s: %s", what, e.msg);
		return -1;
	}
	ts->proto = (uint8_t)v;
	if (!slash || !strcmp(slash, "%any"))
		return 0;
	if (kipsec_parse_u32(what, slash, 0, 65535, &v, &e) < 0)
		goto bad;
	if (v && !kipsec_l4proto_has_ports(ts->proto)) {
		snprintf(err, errlen, "%s: protocol %s has no ports (tcp, udp, sctp, udplite or dccp do)",
			 what, buf);
		return -1;
	}
	ts->port = (uint16_t)v;
	return 0;
bad:
	snprintf(err, errlen, "%s: expected [PROTO] or [PROTO/PORT] (PORT 0..65535 or %%any), "
		 "got \"[%s]\"", what, s);
	return -1;
}

int ike_ts_parse(const char *what, const char *s, struct ike_ts *ts, char *err, size_t errlen)
{
	const char *br = strchr(s, '[');
	char net[2 * KIPSEC_ADDR_STRLEN], pp[64];
	struct kipsec_err e;
	size_t n = br ? (size_t)(br - s) : strlen(s);
	char *dash;

	memset(ts, 0, sizeof(*ts));
	if (n >= sizeof(net)) {
		snprintf(err, errlen, "%s: \"%s\" is too long", what, s);
		return -1;
	}
	memcpy(net, s, n);
	net[n] = '\0';
	if (br) {
		size_t m = strlen(br + 1);

		if (!m || br[m] != ']' || m - 1 >= sizeof(pp)) {
			snprintf(err, errlen, "%s: expected [PROTO] or [PROTO/PORT] at the end, "
				 "got \"%s\"", what, br);
			return -1;
		}
		memcpy(pp, br + 1, m - 1);
		pp[m - 1] = '\0';
		if (parse_protoport(what, pp, ts, err, errlen) < 0)
			return -1;
	}
	if (!strcmp(net, "any")) {
		snprintf(err, errlen, "%s: \"any\" has no address family: write 0.0.0.0/0 or ::/0",
			 what);
		return -1;
	}
	dash = strchr(net, '-');
	if (dash)
		return parse_range(what, net, dash, ts, err, errlen);
	if (kipsec_prefix_parse(what, net, &ts->addr, &ts->plen, &e) < 0) {
		snprintf(err, errlen, "%s", e.msg);
		return -1;
	}
	return 0;
}

void ike_ts_host(struct ike_ts *ts, const struct kipsec_addr *a)
{
	memset(ts, 0, sizeof(*ts));
	ts->addr = *a;
	ts->plen = a->len * 8;
}

size_t ike_ts_to_id(const struct ike_ts *ts, uint8_t *out)
{
	bool v4 = ts->addr.len == 4;
	size_t n = ts->addr.len;

	out[1] = ts->proto;
	out[2] = (uint8_t)(ts->port >> 8);
	out[3] = (uint8_t)ts->port;
	memcpy(out + 4, ts->addr.bytes, n);
	if (ts->range) {
		out[0] = v4 ? ID_IPV4_ADDR_RANGE : ID_IPV6_ADDR_RANGE;
		memcpy(out + 4 + n, ts->addr.bytes, n);
		fill_host(out + 4 + n, n, ts->plen, true);
		return 4 + 2 * n;
	}
	if (ts->plen == n * 8) {
		out[0] = v4 ? ID_IPV4_ADDR : ID_IPV6_ADDR;
		return 4 + n;
	}
	out[0] = v4 ? ID_IPV4_ADDR_SUBNET : ID_IPV6_ADDR_SUBNET;
	memset(out + 4 + n, 0xff, n);
	fill_host(out + 4 + n, n, ts->plen, false);
	return 4 + 2 * n;
}

int ike_ts_from_id(const uint8_t *body, size_t len, struct ike_ts *ts, char *why, size_t whylen)
{
	size_t n;
	int two;

	memset(ts, 0, sizeof(*ts));
	if (len < 4)
		goto short_;
	switch (body[0]) {
	case ID_IPV4_ADDR:
	case ID_IPV4_ADDR_SUBNET:
	case ID_IPV4_ADDR_RANGE:
		n = 4;
		ts->addr.family = AF_INET;
		break;
	case ID_IPV6_ADDR:
	case ID_IPV6_ADDR_SUBNET:
	case ID_IPV6_ADDR_RANGE:
		n = 16;
		ts->addr.family = AF_INET6;
		break;
	default:
		snprintf(why, whylen, "ID type %u is not an address, subnet or range", body[0]);
		return -1;
	}
	two = body[0] != ID_IPV4_ADDR && body[0] != ID_IPV6_ADDR;
	if (len != 4 + (two ? 2 : 1) * n)
		goto short_;
	ts->addr.len = (uint32_t)n;
	ts->proto = body[1];
	ts->port = (uint16_t)(body[2] << 8 | body[3]);
	memcpy(ts->addr.bytes, body + 4, n);
	ts->plen = (uint32_t)n * 8;
	if (body[0] == ID_IPV4_ADDR_SUBNET || body[0] == ID_IPV6_ADDR_SUBNET) {
		if (mask_plen(body + 4 + n, n, &ts->plen) < 0) {
			snprintf(why, whylen, "subnet ID with a mask that is not a prefix");
			return -1;
		}
		/* RFC 2407 does not say the host bits are zero; the network is */
		fill_host(ts->addr.bytes, n, ts->plen, false);
	} else if (body[0] == ID_IPV4_ADDR_RANGE || body[0] == ID_IPV6_ADDR_RANGE) {
		ts->range = true;
		if (range_prefix(body + 4, body + 4 + n, n, &ts->plen) < 0) {
			char a[KIPSEC_ADDR_STRLEN], b[KIPSEC_ADDR_STRLEN];
			struct kipsec_addr hi = ts->addr;

			memcpy(hi.bytes, body + 4 + n, n);
			snprintf(why, whylen, "range %s-%s is not one prefix (kipsec's policies "
				 "select prefixes)", kipsec_addr_str(&ts->addr, a),
				 kipsec_addr_str(&hi, b));
			return -1;
		}
	}
	return 0;
short_:
	snprintf(why, whylen, "ID payload of %zu bytes is too short or too long for its type", len);
	return -1;
}

bool ike_ts_same(const struct ike_ts *a, const struct ike_ts *b)
{
	return a->addr.family == b->addr.family && a->addr.len == b->addr.len &&
	       a->plen == b->plen && a->proto == b->proto && a->port == b->port &&
	       !memcmp(a->addr.bytes, b->addr.bytes, a->addr.len);
}

const char *ike_ts_str(const struct ike_ts *ts, char *buf, size_t len)
{
	char a[KIPSEC_ADDR_STRLEN], b[KIPSEC_ADDR_STRLEN], p[16];
	struct kipsec_addr hi = ts->addr;
	int n;

	if (ts->range) {
		fill_host(hi.bytes, hi.len, ts->plen, true);
		n = snprintf(buf, len, "%s-%s", kipsec_addr_str(&ts->addr, a),
			     kipsec_addr_str(&hi, b));
	} else {
		n = snprintf(buf, len, "%s/%u", kipsec_addr_str(&ts->addr, a), ts->plen);
	}
	if (n < 0 || (size_t)n >= len || !ts->proto)
		return buf;
	if (ts->port)
		snprintf(buf + n, len - (size_t)n, "[%s/%u]",
			 kipsec_l4proto_name(ts->proto, p, sizeof(p)), ts->port);
	else
		snprintf(buf + n, len - (size_t)n, "[%s]",
			 kipsec_l4proto_name(ts->proto, p, sizeof(p)));
	return buf;
}
