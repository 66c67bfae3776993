// SPDX-License-Identifier: GPL-2.0
/*
 * Decode the IP packet at an skb's network header into the addresses,
 * protocol and ports the policy database selects on.
 *
 * Headers are read with skb_header_pointer(), so paged and non-linear skbs
 * work and nothing is written: the packet is not ours to change here.
 * IPv6 extension headers are skipped to reach the upper layer, but for AH,
 * which (as ESP) is the protocol selected on: see skip_exthdr().
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "flow.h"

/*
 * Fill the ports from the upper-layer header at @off: source and destination
 * port, or for ICMP its type and code (RFC 4301 4.4.1.1).
 */
static int decode_ports(const struct sk_buff *skb, int off, struct kipsec_flow *fl)
{
	__be16 ports[2], *p;
	u8 tc[2], *t;

	if (!kipsec_proto_has_ports(fl->proto))
		return 0;
	if (kipsec_proto_is_icmp(fl->proto)) {
		t = skb_header_pointer(skb, off, sizeof(tc), tc);
		if (!t)
			return -EINVAL;
		fl->sport = t[0];
		fl->dport = t[1];
		return 0;
	}
	p = skb_header_pointer(skb, off, sizeof(ports), ports);
	if (!p)
		return -EINVAL;
	fl->sport = ntohs(p[0]);
	fl->dport = ntohs(p[1]);
	fl->thoff = off;
	return 0;
}

static int decode_v4(const struct sk_buff *skb, int off, struct kipsec_flow *fl)
{
	struct iphdr _iph;
	const struct iphdr *iph;

	iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return -EINVAL;
	fl->family = AF_INET;
	fl->proto = iph->protocol;
	fl->saddr.a4 = iph->saddr;
	fl->daddr.a4 = iph->daddr;
	/* Only the first fragment carries the upper-layer header. */
	if (iph->frag_off & htons(IP_OFFSET)) {
		fl->ports_opaque = true;
		return 0;
	}
	return decode_ports(skb, off + iph->ihl * 4, fl);
}

/*
 * Like ipv6_skip_exthdr(), but AH ends the walk as ESP does: an AH packet
 * is IPsec's to verify (the caller lets it through to input.c's protocol
 * handler), not the flow it protects. Returns the offset of the upper
 * layer (or of AH, or of a non-initial fragment's header), or -1.
 */
static int skip_exthdr(const struct sk_buff *skb, int start, u8 *nexthdrp, __be16 *frag_offp)
{
	u8 nexthdr = *nexthdrp;

	*frag_offp = 0;
	while (ipv6_ext_hdr(nexthdr) && nexthdr != NEXTHDR_AUTH) {
		struct ipv6_opt_hdr _hdr, *hp;
		int hdrlen;

		if (nexthdr == NEXTHDR_NONE)
			return -1;
		hp = skb_header_pointer(skb, start, sizeof(_hdr), &_hdr);
		if (!hp)
			return -1;
		if (nexthdr == NEXTHDR_FRAGMENT) {
			__be16 _fo, *fo;

			fo = skb_header_pointer(skb, start + offsetof(struct frag_hdr, frag_off),
						sizeof(_fo), &_fo);
			if (!fo)
				return -1;
			*frag_offp = *fo;
			if (ntohs(*fo) & ~0x7)
				break;
			hdrlen = 8;
		} else {
			hdrlen = ipv6_optlen(hp);
		}
		nexthdr = hp->nexthdr;
		start += hdrlen;
	}
	*nexthdrp = nexthdr;
	return start;
}

static int decode_v6(const struct sk_buff *skb, int off, struct kipsec_flow *fl)
{
	struct ipv6hdr _ip6h;
	const struct ipv6hdr *ip6h;
	__be16 frag_off = 0;
	u8 nexthdr;
	int upper;

	ip6h = skb_header_pointer(skb, off, sizeof(_ip6h), &_ip6h);
	if (!ip6h || ip6h->version != 6)
		return -EINVAL;
	fl->family = AF_INET6;
	fl->saddr.a6 = ip6h->saddr;
	fl->daddr.a6 = ip6h->daddr;
	nexthdr = ip6h->nexthdr;
	upper = skip_exthdr(skb, off + sizeof(*ip6h), &nexthdr, &frag_off);
	if (upper < 0)
		return -EINVAL;
	if (frag_off & htons(IP6_OFFSET)) {
		u8 _nh, *nh;

		/*
		 * A non-initial fragment: skip_exthdr() stops at the
		 * fragment header, whose first byte names the upper layer.
		 */
		nh = skb_header_pointer(skb, upper, 1, &_nh);
		if (!nh)
			return -EINVAL;
		fl->proto = *nh;
		fl->ports_opaque = true;
		return 0;
	}
	fl->proto = nexthdr;
	return decode_ports(skb, upper, fl);
}

/*
 * Returns 0, or -EINVAL for a packet too short or malformed to select on
 * (the caller drops it: it can't be shown to match any policy).
 */
int kipsec_flow_decode(const struct sk_buff *skb, struct kipsec_flow *fl)
{
	int off = skb_network_offset(skb);
	u8 _v, *v;

	memset(fl, 0, sizeof(*fl));
	v = skb_header_pointer(skb, off, 1, &_v);
	if (!v)
		return -EINVAL;
	switch (*v >> 4) {
	case 4:
		return decode_v4(skb, off, fl);
	case 6:
		return decode_v6(skb, off, fl);
	}
	return -EINVAL;
}
