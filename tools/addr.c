// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4/IPv6 addresses and prefixes.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"

const char *kipsec_family_name(uint32_t family)
{
	static char buf[24];

	if (family == AF_INET)
		return "inet";
	if (family == AF_INET6)
		return "inet6";
	snprintf(buf, sizeof(buf), "family %u", family);
	return buf;
}

int kipsec_addr_parse(const char *what, const char *s, struct kipsec_addr *a, struct kipsec_err *e)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->bytes) == 1) {
		a->family = AF_INET;
		a->len = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->bytes) == 1) {
		a->family = AF_INET6;
		a->len = 16;
		return 0;
	}
	memset(a, 0, sizeof(*a));
	return kipsec_err(e, "%s: expected an IPv4 or IPv6 address, got \"%s\"", what, s);
}

static void mask(struct kipsec_addr *a, uint32_t plen)
{
	uint32_t i;

	for (i = 0; i < a->len; i++) {
		if (plen >= 8 * (i + 1))
			continue;
		if (plen <= 8 * i)
			a->bytes[i] = 0;
		else
			a->bytes[i] &= (uint8_t)(0xff << (8 - (plen - 8 * i)));
	}
}

int kipsec_prefix_parse(const char *what, const char *s, struct kipsec_addr *a, uint32_t *plen,
			struct kipsec_err *e)
{
	char addr[KIPSEC_ADDR_STRLEN], masked[KIPSEC_ADDR_STRLEN];
	const char *slash = strchr(s, '/');
	struct kipsec_addr net;
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	uint32_t max;

	if (!strcmp(s, "any")) {
		memset(a, 0, sizeof(*a));
		*plen = 0;
		return 0;
	}
	if (n >= sizeof(addr))
		return kipsec_err(e, "%s: expected a prefix (ADDR/LEN, ADDR or any), got \"%s\"",
				  what, s);
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (kipsec_addr_parse(what, addr, a, e) < 0)
		return kipsec_err(e, "%s: expected a prefix (ADDR/LEN, ADDR or any), got \"%s\"",
				  what, s);
	max = 8 * a->len;
	*plen = max;
	if (slash) {
		struct kipsec_err ignored;

		if (kipsec_parse_u32(what, slash + 1, 0, max, plen, &ignored) < 0 ||
		    (slash[1] == '0' && slash[2]))
			return kipsec_err(e, "%s: prefix length must be 0..%u, got \"%s\"", what,
					  max, slash + 1);
	}
	net = *a;
	mask(&net, *plen);
	if (memcmp(net.bytes, a->bytes, a->len))
		return kipsec_err(e, "%s: %s has bits set beyond the prefix length (did you mean %s/%u?)",
				  what, s, kipsec_addr_str(&net, masked), *plen);
	return 0;
}

int kipsec_addr_same_family(const char *what, const struct kipsec_addr *a,
			    const struct kipsec_addr *b, struct kipsec_err *e)
{
	if (a->family && b->family && a->family != b->family)
		return kipsec_err(e, "%s: one address is IPv4, the other IPv6", what);
	return 0;
}

const char *kipsec_addr_str(const struct kipsec_addr *a, char *buf)
{
	int af = a->len == 4 ? AF_INET : AF_INET6;

	if ((a->len != 4 && a->len != 16) || !inet_ntop(af, a->bytes, buf, KIPSEC_ADDR_STRLEN))
		snprintf(buf, KIPSEC_ADDR_STRLEN, "?");
	return buf;
}

int kipsec_addr_from_attr(const struct nlattr *attr, struct kipsec_addr *a)
{
	uint16_t len = mnl_attr_get_payload_len(attr);

	if (mnl_attr_validate(attr, MNL_TYPE_BINARY) < 0 || (len != 4 && len != 16))
		return -1;
	memset(a, 0, sizeof(*a));
	a->len = len;
	a->family = len == 4 ? AF_INET : AF_INET6;
	memcpy(a->bytes, mnl_attr_get_payload(attr), len);
	return 0;
}

bool kipsec_addr_fits(const struct kipsec_addr *a, uint32_t family)
{
	return !a->len || a->len == kipsec_family_len(family);
}
