/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Traffic selectors (RFC 4301 4.4.1.1): what a policy applies to.
 */
#ifndef _KIPSEC_SELECTOR_H
#define _KIPSEC_SELECTOR_H

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/types.h>

union kipsec_addr {
	__be32 a4;
	struct in6_addr a6;
};

/* One packet as the policy database sees it. */
struct kipsec_flow {
	u16 family;			/* AF_INET or AF_INET6 */
	u8 proto;			/* IPPROTO_* of the upper-layer header */
	bool ports_opaque;		/* non-initial fragment: ports unknown */
	union kipsec_addr saddr;
	union kipsec_addr daddr;
	u16 sport;			/* host order; ICMP: type */
	u16 dport;			/* host order; ICMP: code */
	int thoff;			/* offset of the upper-layer header in the skb, if ports */
};

struct kipsec_selector {
	u16 family;
	u8 proto;			/* 0: any protocol (then any ports) */
	u8 sprefix;			/* prefix lengths: 0 matches any address */
	u8 dprefix;
	union kipsec_addr saddr;	/* bits beyond the prefix are zero */
	union kipsec_addr daddr;
	u16 sport_lo, sport_hi;		/* inclusive ranges; 0-65535: any */
	u16 dport_lo, dport_hi;
};

/* ICMP puts type and code where selectors and flows keep ports. */
static inline bool kipsec_proto_is_icmp(u8 proto)
{
	return proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6;
}

bool kipsec_proto_has_ports(u8 proto);
int kipsec_selector_check(const struct kipsec_selector *sel, const char **why);
bool kipsec_selector_match(const struct kipsec_selector *sel, const struct kipsec_flow *fl);

#endif /* _KIPSEC_SELECTOR_H */
