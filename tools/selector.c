// SPDX-License-Identifier: GPL-2.0
/*
 * Traffic selectors: ports, protocols, prefixes.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/kipsec.h>

#include "selector.h"

#define ANY_PORTS 65535

static const struct {
	const char *name;
	uint32_t proto;
} protos[] = {
	{ "any", 0 }, { "icmp", IPPROTO_ICMP }, { "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP },
	{ "dccp", IPPROTO_DCCP }, { "gre", IPPROTO_GRE }, { "esp", IPPROTO_ESP },
	{ "ah", IPPROTO_AH }, { "ipv6-icmp", IPPROTO_ICMPV6 }, { "icmpv6", IPPROTO_ICMPV6 },
	{ "sctp", IPPROTO_SCTP }, { "udplite", IPPROTO_UDPLITE },
};

/* Seen bits: selector attributes, plus these for the words that share one. */
enum { SEEN_TYPE = 20, SEEN_CODE, SEEN_SFAMILY };

const char *kipsec_l4proto_name(uint32_t proto, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].proto == proto)
			return protos[i].name;
	snprintf(buf, len, "%u", proto);
	return buf;
}

static bool is_icmp(uint32_t proto)
{
	return proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6;
}

bool kipsec_l4proto_has_ports(uint32_t proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_UDPLITE ||
	       proto == IPPROTO_SCTP || proto == IPPROTO_DCCP;
}

int kipsec_l4proto_parse(const char *s, uint32_t *proto, struct kipsec_err *e)
{
	struct kipsec_err ignored;
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		if (!strcmp(s, protos[i].name)) {
			*proto = protos[i].proto;
			return 0;
		}
	}
	if (kipsec_parse_u32("proto", s, 0, 255, proto, &ignored) < 0)
		return kipsec_err(e, "proto: expected tcp, udp, icmp, ipv6-icmp, sctp, udplite, dccp, any or a number 0..255, got \"%s\"",
				  s);
	return 0;
}

static int parse_range(const char *what, const char *s, uint32_t max, uint32_t *lo,
		       uint32_t *hi, struct kipsec_err *e)
{
	struct kipsec_err ignored;
	const char *dash = strchr(s, '-');
	char first[16];

	if (!dash) {
		if (kipsec_parse_u32(what, s, 0, max, lo, e) < 0)
			return -1;
		*hi = *lo;
		return 0;
	}
	if ((size_t)(dash - s) >= sizeof(first))
		goto bad;
	memcpy(first, s, (size_t)(dash - s));
	first[dash - s] = '\0';
	if (kipsec_parse_u32(what, first, 0, max, lo, &ignored) < 0 ||
	    kipsec_parse_u32(what, dash + 1, 0, max, hi, &ignored) < 0)
		goto bad;
	if (*lo > *hi)
		return kipsec_err(e, "%s: range %s ends before it starts", what, s);
	return 0;
bad:
	return kipsec_err(e, "%s: expected a number 0..%u or a range N-M, got \"%s\"", what, max, s);
}

int kipsec_sel_parse_word(const char *kw, struct kipsec_argv *a, struct kipsec_sel *sel,
			  uint64_t *seen, struct kipsec_err *e)
{
	const char *s;

	if (!strcmp(kw, "src") || !strcmp(kw, "dst")) {
		bool src = kw[0] == 's';
		unsigned int bit = src ? KIPSEC_A_SELECTOR_SADDR : KIPSEC_A_SELECTOR_DADDR;

		if (kipsec_argv_once(seen, bit, kw, e) < 0 ||
		    !(s = kipsec_argv_value(a, kw, "a prefix (ADDR/LEN, ADDR or any)", e)) ||
		    kipsec_prefix_parse(kw, s, src ? &sel->saddr : &sel->daddr,
					src ? &sel->sprefix : &sel->dprefix, e) < 0)
			return -1;
	} else if (!strcmp(kw, "proto")) {
		if (kipsec_argv_once(seen, KIPSEC_A_SELECTOR_PROTO, kw, e) < 0 ||
		    !(s = kipsec_argv_value(a, kw, "a protocol name or number", e)) ||
		    kipsec_l4proto_parse(s, &sel->proto, e) < 0)
			return -1;
		if (sel->proto)
			sel->present |= 1U << KIPSEC_A_SELECTOR_PROTO;
	} else if (!strcmp(kw, "sport") || !strcmp(kw, "dport")) {
		bool sp = kw[0] == 's';

		if (kipsec_argv_once(seen, sp ? KIPSEC_A_SELECTOR_SPORT_MIN : KIPSEC_A_SELECTOR_DPORT_MIN,
				     kw, e) < 0 ||
		    !(s = kipsec_argv_value(a, kw, "a port 0..65535 or a range N-M", e)) ||
		    parse_range(kw, s, 65535, sp ? &sel->sport_min : &sel->dport_min,
				sp ? &sel->sport_max : &sel->dport_max, e) < 0)
			return -1;
	} else if (!strcmp(kw, "type") || !strcmp(kw, "code")) {
		bool type = kw[0] == 't';
		uint32_t v;

		if (kipsec_argv_once(seen, type ? SEEN_TYPE : SEEN_CODE, kw, e) < 0 ||
		    !(s = kipsec_argv_value(a, kw, "a number 0..255", e)) ||
		    kipsec_parse_u32(kw, s, 0, 255, &v, e) < 0)
			return -1;
		/* ICMP type and code travel in the source and destination port slots. */
		if (type)
			sel->sport_min = sel->sport_max = v;
		else
			sel->dport_min = sel->dport_max = v;
	} else if (!strcmp(kw, "family")) {
		static const char *const families[] = { "inet", "inet6", NULL };
		int i;

		if (kipsec_argv_once(seen, SEEN_SFAMILY, kw, e) < 0 ||
		    !(s = kipsec_argv_value(a, kw, "inet or inet6", e)) ||
		    kipsec_parse_word(kw, s, families, &i, e) < 0)
			return -1;
		sel->family = i ? AF_INET6 : AF_INET;
	} else {
		return 0;
	}
	return 1;
}

int kipsec_sel_finish(struct kipsec_sel *sel, uint64_t seen, struct kipsec_err *e)
{
	bool sports = seen & (1ULL << KIPSEC_A_SELECTOR_SPORT_MIN);
	bool dports = seen & (1ULL << KIPSEC_A_SELECTOR_DPORT_MIN);
	bool icmp = seen & (1ULL << SEEN_TYPE | 1ULL << SEEN_CODE);

	if (kipsec_addr_same_family("src and dst", &sel->saddr, &sel->daddr, e) < 0)
		return -1;
	if (sel->family) {
		const struct kipsec_addr *addr = sel->saddr.family ? &sel->saddr : &sel->daddr;

		if (addr->family && addr->family != sel->family)
			return kipsec_err(e, "family %s: the addresses are %s", kipsec_family_name(sel->family),
					  addr->family == AF_INET ? "IPv4" : "IPv6");
	} else {
		sel->family = sel->saddr.family ? sel->saddr.family :
			      sel->daddr.family ? sel->daddr.family : AF_INET;
	}
	if ((sports || dports) && !kipsec_l4proto_has_ports(sel->proto)) {
		if (is_icmp(sel->proto))
			return kipsec_err(e, "%s: ICMP has no ports; use type and code",
					  sports ? "sport" : "dport");
		return kipsec_err(e, "%s: needs proto tcp, udp, udplite, sctp or dccp",
				  sports ? "sport" : "dport");
	}
	if (icmp && !is_icmp(sel->proto))
		return kipsec_err(e, "%s: needs proto icmp or ipv6-icmp",
				  seen & (1ULL << SEEN_TYPE) ? "type" : "code");
	sel->present |= 1U << KIPSEC_A_SELECTOR_FAMILY;
	if (sel->saddr.family)
		sel->present |= 1U << KIPSEC_A_SELECTOR_SADDR | 1U << KIPSEC_A_SELECTOR_SPREFIX;
	if (sel->daddr.family)
		sel->present |= 1U << KIPSEC_A_SELECTOR_DADDR | 1U << KIPSEC_A_SELECTOR_DPREFIX;
	if (sports || (seen & (1ULL << SEEN_TYPE)))
		sel->present |= 1U << KIPSEC_A_SELECTOR_SPORT_MIN | 1U << KIPSEC_A_SELECTOR_SPORT_MAX;
	else
		sel->sport_max = ANY_PORTS;
	if (dports || (seen & (1ULL << SEEN_CODE)))
		sel->present |= 1U << KIPSEC_A_SELECTOR_DPORT_MIN | 1U << KIPSEC_A_SELECTOR_DPORT_MAX;
	else
		sel->dport_max = ANY_PORTS;
	return 0;
}

void kipsec_sel_put(struct nlmsghdr *nlh, uint16_t type, const struct kipsec_sel *sel)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_FAMILY, sel->family);
	if (KIPSEC_SEL_HAS(sel, KIPSEC_A_SELECTOR_SADDR)) {
		mnl_attr_put(nlh, KIPSEC_A_SELECTOR_SADDR, sel->saddr.len, sel->saddr.bytes);
		mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_SPREFIX, sel->sprefix);
	}
	if (KIPSEC_SEL_HAS(sel, KIPSEC_A_SELECTOR_DADDR)) {
		mnl_attr_put(nlh, KIPSEC_A_SELECTOR_DADDR, sel->daddr.len, sel->daddr.bytes);
		mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_DPREFIX, sel->dprefix);
	}
	if (KIPSEC_SEL_HAS(sel, KIPSEC_A_SELECTOR_PROTO))
		mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_PROTO, sel->proto);
	if (KIPSEC_SEL_HAS(sel, KIPSEC_A_SELECTOR_SPORT_MIN)) {
		mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_SPORT_MIN, sel->sport_min);
		mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_SPORT_MAX, sel->sport_max);
	}
	if (KIPSEC_SEL_HAS(sel, KIPSEC_A_SELECTOR_DPORT_MIN)) {
		mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_DPORT_MIN, sel->dport_min);
		mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_DPORT_MAX, sel->dport_max);
	}
	mnl_attr_nest_end(nlh, nest);
}

int kipsec_sel_parse_nest(const struct nlattr *nest, struct kipsec_sel *sel)
{
	const struct nlattr *a;
	uint32_t alen;

	memset(sel, 0, sizeof(*sel));
	sel->sport_max = sel->dport_max = ANY_PORTS;
	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -1;
	mnl_attr_for_each_nested(a, nest) {
		int type = mnl_attr_get_type(a);
		uint32_t *v;

		switch (type) {
		case KIPSEC_A_SELECTOR_SADDR:
		case KIPSEC_A_SELECTOR_DADDR:
			if (kipsec_addr_from_attr(a, type == KIPSEC_A_SELECTOR_SADDR ? &sel->saddr
										: &sel->daddr) < 0)
				return -1;
			break;
		case KIPSEC_A_SELECTOR_FAMILY:
		case KIPSEC_A_SELECTOR_SPREFIX:
		case KIPSEC_A_SELECTOR_DPREFIX:
		case KIPSEC_A_SELECTOR_PROTO:
		case KIPSEC_A_SELECTOR_SPORT_MIN:
		case KIPSEC_A_SELECTOR_SPORT_MAX:
		case KIPSEC_A_SELECTOR_DPORT_MIN:
		case KIPSEC_A_SELECTOR_DPORT_MAX:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return -1;
			v = type == KIPSEC_A_SELECTOR_FAMILY ? &sel->family :
			    type == KIPSEC_A_SELECTOR_SPREFIX ? &sel->sprefix :
			    type == KIPSEC_A_SELECTOR_DPREFIX ? &sel->dprefix :
			    type == KIPSEC_A_SELECTOR_PROTO ? &sel->proto :
			    type == KIPSEC_A_SELECTOR_SPORT_MIN ? &sel->sport_min :
			    type == KIPSEC_A_SELECTOR_SPORT_MAX ? &sel->sport_max :
			    type == KIPSEC_A_SELECTOR_DPORT_MIN ? &sel->dport_min : &sel->dport_max;
			*v = mnl_attr_get_u32(a);
			break;
		default:
			continue;
		}
		sel->present |= 1U << type;
	}
	alen = kipsec_family_len(sel->family);
	if (!alen || !kipsec_addr_fits(&sel->saddr, sel->family) ||
	    !kipsec_addr_fits(&sel->daddr, sel->family) || sel->sprefix > 8 * alen ||
	    sel->dprefix > 8 * alen)
		return -1;
	if (sel->saddr.len)
		sel->saddr.family = sel->family;
	if (sel->daddr.len)
		sel->daddr.family = sel->family;
	return 0;
}

static void print_prefix(FILE *f, const struct kipsec_addr *a, uint32_t plen, bool json)
{
	char buf[KIPSEC_ADDR_STRLEN];
	const char *q = json ? "\"" : "";

	if (!a->len || !plen) {
		fprintf(f, "%sany%s", q, q);
		return;
	}
	if (plen == 8 * a->len)
		fprintf(f, "%s%s%s", q, kipsec_addr_str(a, buf), q);
	else
		fprintf(f, "%s%s/%u%s", q, kipsec_addr_str(a, buf), plen, q);
}

static bool range_any(uint32_t lo, uint32_t hi)
{
	return !lo && hi == ANY_PORTS;
}

static void print_range(FILE *f, const char *kw, uint32_t lo, uint32_t hi, bool json)
{
	if (range_any(lo, hi))
		return;
	if (json)
		fprintf(f, ",\"%s\":", kw);
	else
		fprintf(f, " %s ", kw);
	if (lo == hi)
		fprintf(f, "%u", lo);
	else
		fprintf(f, json ? "\"%u-%u\"" : "%u-%u", lo, hi);
}

void kipsec_sel_print(FILE *f, const struct kipsec_sel *sel)
{
	bool icmp = is_icmp(sel->proto);
	char p[12];

	fputs("src ", f);
	print_prefix(f, &sel->saddr, sel->sprefix, false);
	fputs(" dst ", f);
	print_prefix(f, &sel->daddr, sel->dprefix, false);
	fprintf(f, " proto %s", kipsec_l4proto_name(sel->proto, p, sizeof(p)));
	print_range(f, icmp ? "type" : "sport", sel->sport_min, sel->sport_max, false);
	print_range(f, icmp ? "code" : "dport", sel->dport_min, sel->dport_max, false);
}

void kipsec_sel_print_json(FILE *f, const struct kipsec_sel *sel)
{
	bool icmp = is_icmp(sel->proto);
	char p[12];

	fprintf(f, "{\"family\":\"%s\",\"src\":", kipsec_family_name(sel->family));
	print_prefix(f, &sel->saddr, sel->sprefix, true);
	fputs(",\"dst\":", f);
	print_prefix(f, &sel->daddr, sel->dprefix, true);
	fprintf(f, ",\"proto\":\"%s\"", kipsec_l4proto_name(sel->proto, p, sizeof(p)));
	print_range(f, icmp ? "type" : "sport", sel->sport_min, sel->sport_max, true);
	print_range(f, icmp ? "code" : "dport", sel->dport_min, sel->dport_max, true);
	fputc('}', f);
}
