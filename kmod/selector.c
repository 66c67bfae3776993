// SPDX-License-Identifier: GPL-2.0
/*
 * Traffic selector validation and matching.
 *
 * Selectors are checked once, when a policy is configured, so matching on
 * the packet path can trust them: prefixes within range, no host bits,
 * ports only where the protocol has them.
 */
#include <linux/errno.h>
#include <linux/in.h>
#include <linux/inetdevice.h>
#include <linux/socket.h>
#include <net/ipv6.h>

#include "selector.h"

/*
 * The protocols whose header starts with ports (or ICMP type and code):
 * what selectors may name and what kipsec_flow_decode() reads.
 */
bool kipsec_proto_has_ports(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
		return true;
	}
	return kipsec_proto_is_icmp(proto);
}

static bool range_is_any(u16 lo, u16 hi)
{
	return !lo && hi == U16_MAX;
}

static bool is_any_ports(const struct kipsec_selector *sel)
{
	return range_is_any(sel->sport_lo, sel->sport_hi) &&
	       range_is_any(sel->dport_lo, sel->dport_hi);
}

/* ICMP type (source port slot) and code (destination port slot) are 8 bits. */
static bool icmp_ranges_ok(const struct kipsec_selector *sel)
{
	return (range_is_any(sel->sport_lo, sel->sport_hi) || sel->sport_hi <= U8_MAX) &&
	       (range_is_any(sel->dport_lo, sel->dport_hi) || sel->dport_hi <= U8_MAX);
}

/* Does @a lie in @net/@plen? */
static bool prefix_match(u16 family, const union kipsec_addr *net,
			 const union kipsec_addr *a, u8 plen)
{
	if (family == AF_INET)
		return !((net->a4 ^ a->a4) & inet_make_mask(plen));
	return ipv6_prefix_equal(&net->a6, &a->a6, plen);
}

static bool host_bits_clear(u16 family, const union kipsec_addr *a, u8 plen)
{
	struct in6_addr masked;

	if (family == AF_INET)
		return !(a->a4 & ~inet_make_mask(plen));
	ipv6_addr_prefix(&masked, &a->a6, plen);
	return ipv6_addr_equal(&masked, &a->a6);
}

/*
 * Returns 0, or -EINVAL with @why set to a message for the extended ACK.
 */
int kipsec_selector_check(const struct kipsec_selector *sel, const char **why)
{
	u8 max;

	switch (sel->family) {
	case AF_INET:
		max = 32;
		break;
	case AF_INET6:
		max = 128;
		break;
	default:
		*why = "selector family must be IPv4 or IPv6";
		return -EINVAL;
	}
	if (sel->sprefix > max || sel->dprefix > max) {
		*why = "prefix length longer than the address";
		return -EINVAL;
	}
	if (!host_bits_clear(sel->family, &sel->saddr, sel->sprefix) ||
	    !host_bits_clear(sel->family, &sel->daddr, sel->dprefix)) {
		*why = "address has bits set beyond its prefix length";
		return -EINVAL;
	}
	if (sel->sport_lo > sel->sport_hi || sel->dport_lo > sel->dport_hi) {
		*why = "port range ends before it starts";
		return -EINVAL;
	}
	if (!is_any_ports(sel) && !kipsec_proto_has_ports(sel->proto)) {
		*why = "ports need a protocol that has them (tcp, udp, udplite, sctp, dccp, icmp)";
		return -EINVAL;
	}
	if (kipsec_proto_is_icmp(sel->proto) && !icmp_ranges_ok(sel)) {
		*why = "ICMP type and code ranges end at 255";
		return -EINVAL;
	}
	return 0;
}

bool kipsec_selector_match(const struct kipsec_selector *sel, const struct kipsec_flow *fl)
{
	if (sel->family != fl->family)
		return false;
	if (sel->proto && sel->proto != fl->proto)
		return false;
	if (!prefix_match(sel->family, &sel->saddr, &fl->saddr, sel->sprefix) ||
	    !prefix_match(sel->family, &sel->daddr, &fl->daddr, sel->dprefix))
		return false;
	/* RFC 4301 4.4.1.1: OPAQUE ports match only ANY. */
	if (fl->ports_opaque)
		return is_any_ports(sel);
	return fl->sport >= sel->sport_lo && fl->sport <= sel->sport_hi &&
	       fl->dport >= sel->dport_lo && fl->dport <= sel->dport_hi;
}
