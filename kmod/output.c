// SPDX-License-Identifier: GPL-2.0
/*
 * Output: a netfilter hook at the end of POST_ROUTING (IPv4 and IPv6)
 * looks the packet up in the outbound SPD and, for a protect policy,
 * encapsulates it in ESP or AH with the newest SA matching the template.
 * A bundle (policy.h) is ESP first, then AH in transport mode around the
 * ESP packet, each layer with its own SA and sequence number; a packet
 * leaves only once both are applied, and not at all if either SA is
 * missing (then an acquire names the policy).
 *
 * Why POST_ROUTING: it sees locally generated and forwarded traffic after
 * routing and source NAT, like xfrm's output path. When the crypto layer
 * answers synchronously and the outer header has the family the hook runs
 * for, the packet is rewritten in place and the hook returns NF_ACCEPT:
 * the rest of POST_ROUTING (conntrack confirmation included) and the
 * stack's fragmentation handle it, sent on the route to the tunnel peer
 * that replaced the original dst. GSO packets (segmented here), 4in6/6in4
 * tunnels and asynchronous completions are stolen instead and sent with
 * dst_output() marked REROUTED, so POST_ROUTING is not run on them twice.
 *
 * Packets that would exceed the path MTU once encapsulated and may not be
 * fragmented (IPv4 with DF, IPv6) are answered with ICMP "fragmentation
 * needed" / "packet too big" carrying the MTU left for the inner packet,
 * which also reaches local senders (the ICMP is routed to them), and are
 * dropped. The MTU encapsulated packets must fit is the outgoing device's,
 * or an MTU configured on their route (IPv6: else the interface's IPv6
 * MTU) if lower, or less if ICMP about this
 * SA's ESP packets said so (sa->pmtu, see input.c). Not the path MTU the
 * route learnt: the inner packets may share it (transport mode,
 * host-to-host tunnels), and the lowered MTU signalled for them would be
 * subtracted from again and again. For the same reason an ESP packet
 * whose route carries the inner packets' lowered MTU leaves on a route of
 * the SA's own without it (route.c), instead of being fragmented.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/udp.h>
#include <net/dst.h>
#include <net/esp.h>
#include <net/icmp.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>

#include "ah.h"
#include "esp.h"
#include "events.h"
#include "flow.h"
#include "output.h"
#include "policy.h"
#include "route.h"
#include "sa.h"

static unsigned int outer_hlen(u16 family)
{
	return family == AF_INET ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
}

/*
 * The SA for each of the policy's templates, innermost first, into @sa[];
 * false if one is missing. A transport-mode template protects the packet
 * the templates before it produced: its addresses are the flow's, or the
 * endpoints of the last tunnel (as xfrm resolves a bundle's templates).
 * The SAs are used under the hook's RCU read lock.
 */
static bool out_sas(struct kipsec_net *kn, const struct kipsec_policy *pol,
		    const struct kipsec_flow *fl, u32 cpu, struct kipsec_sa **sa)
{
	const union kipsec_addr *daddr = &fl->daddr, *saddr = &fl->saddr;
	u16 family = fl->family;
	int i;

	for (i = 0; i < pol->ntmpl; i++) {
		const struct kipsec_tmpl *t = &pol->tmpl[i];

		if (t->mode == KIPSEC_MODE_TUNNEL) {
			family = t->family;
			daddr = &t->daddr;
			saddr = &t->saddr;
		}
		sa[i] = kipsec_sa_lookup_out(kn, family, daddr, saddr, t->proto, t->mode,
					     t->reqid, cpu);
		if (!sa[i])
			return false;
	}
	return true;
}

/* What the ESP or AH packets of @sa sent on @dst must fit: see the top of the file. */
static unsigned int esp_mtu(const struct kipsec_sa *sa, const struct dst_entry *dst)
{
	unsigned int mtu = READ_ONCE(dst->dev->mtu);
	unsigned int conf = kipsec_route_conf_mtu(dst);
	u32 pmtu = READ_ONCE(sa->pmtu);

	if (conf && conf < mtu)
		mtu = conf;
	return pmtu && pmtu < mtu ? pmtu : mtu;
}

/* The ESP header and IV, or the AH header, in front of the payload. */
/* ESP in UDP (RFC 3948): a UDP header in front of ESP. */
static unsigned int encap_hlen(const struct kipsec_sa *sa)
{
	return sa->encap ? sizeof(struct udphdr) : 0;
}

/* What the IP header says follows it. */
static u8 wire_proto(const struct kipsec_sa *sa)
{
	return sa->encap ? IPPROTO_UDP : sa->id.proto;
}

/* Everything between the IP headers and the payload: [UDP] ESP + IV, or AH. */
static unsigned int ipsec_hlen(const struct kipsec_sa *sa)
{
	if (sa->id.proto == IPPROTO_AH)
		return kipsec_ah_hlen(sa);
	return encap_hlen(sa) + KIPSEC_ESP_HLEN + sa->ivlen;
}

/*
 * The largest inner packet (tunnel) or IP packet (transport, @hl bytes of
 * IP headers stay outside) that fits @mtu once in ESP or AH.
 */
static unsigned int inner_mtu(const struct kipsec_sa *sa, unsigned int mtu, unsigned int hl)
{
	unsigned int outside = sa->mode == KIPSEC_MODE_TRANSPORT ? hl : 0;
	int room = mtu - hl - ipsec_hlen(sa);

	if (sa->id.proto == IPPROTO_AH)
		return room > 0 ? room + outside : 0;
	room -= sa->icvlen;
	if (room < (int)sa->align)
		return 0;
	return (room & ~(sa->align - 1)) - 2 + outside;
}

/*
 * The largest packet @sa takes on @dst, with @next (a bundle's AH, which
 * goes between the IP header and ESP too) around it, or NULL.
 */
static unsigned int fit_mtu(const struct kipsec_sa *sa, const struct kipsec_sa *next,
			    const struct dst_entry *dst, unsigned int hl)
{
	unsigned int mtu = esp_mtu(sa, dst);

	if (next)
		mtu = mtu > ipsec_hlen(next) ? mtu - ipsec_hlen(next) : 0;
	return inner_mtu(sa, mtu, hl);
}

/*
 * May this packet be fragmented (after encapsulation) rather than
 * signalling PMTU? IPv4 without DF: yes. IPv6 only when the MTU left is
 * below the IPv6 minimum, where the outer packet must be fragmented. Either
 * when ignore_df says so: a local socket that lets the stack fragment its
 * datagrams (IP_PMTUDISC_WANT, the default for UDP, sets it on IPv6 packets
 * and on IPv4 ones that carry DF only because they fit the route), or
 * conntrack's reassembly. For those, signalling would black-hole every
 * datagram above the MTU: the stack hands POST_ROUTING the whole datagram
 * and fragments it only after, so a lowered MTU never makes it fit.
 */
static bool may_fragment(const struct sk_buff *skb, unsigned int mtu)
{
	if (skb->ignore_df)
		return true;
	if (skb->protocol == htons(ETH_P_IP))
		return !(ip_hdr(skb)->frag_off & htons(IP_DF));
	return mtu < IPV6_MIN_MTU;
}

static void send_too_big(struct sk_buff *skb, unsigned int mtu)
{
	if (skb->protocol == htons(ETH_P_IP))
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
	else
		icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
}

static void out_drop(struct kipsec_sa *sa, struct sk_buff *skb, int stat)
{
	this_cpu_inc(sa->stats->errors);
	kipsec_stat_inc(sa->kn, stat);
	kfree_skb(skb);
}

/* Outer header lengths and checksum, once the packet has its final size. */
/*
 * ESP in UDP: the UDP header in front of the ESP header (the transport
 * header), once the trailer is in place. No checksum over IPv4 (RFC 3948
 * 2.1); IPv6 needs one (RFC 8200 8.1).
 */
static void finish_udp(const struct kipsec_sa *sa, struct sk_buff *skb)
{
	struct udphdr *uh = (struct udphdr *)(skb_transport_header(skb) - sizeof(*uh));
	unsigned int len = skb_tail_pointer(skb) - (u8 *)uh;

	uh->source = sa->encap_sport;
	uh->dest = sa->encap_dport;
	uh->len = htons(len);
	uh->check = 0;
	if (skb->protocol == htons(ETH_P_IPV6)) {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);

		uh->check = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, len, IPPROTO_UDP,
					    csum_partial(uh, len, 0));
		if (!uh->check)
			uh->check = CSUM_MANGLED_0;
	}
}

static void finish_headers(struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP)) {
		struct iphdr *iph = ip_hdr(skb);

		iph->tot_len = htons(skb->len);
		ip_send_check(iph);
	} else {
		ipv6_hdr(skb)->payload_len = htons(skb->len - sizeof(struct ipv6hdr));
	}
	skb->ip_summed = CHECKSUM_NONE;
}

static void count_out(struct kipsec_sa *sa, struct sk_buff *skb)
{
	this_cpu_inc(sa->stats->packets);
	this_cpu_add(sa->stats->bytes, skb->len);
	kipsec_sa_used(sa);
}

/* Send an encapsulated packet past the rest of POST_ROUTING. */
static void xmit_stolen(struct sk_buff *skb)
{
	struct net *net = dev_net(skb_dst(skb)->dev);

	if (skb->protocol == htons(ETH_P_IP)) {
		memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
		IPCB(skb)->flags = IPSKB_REROUTED;
	} else {
		memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
		IP6CB(skb)->flags = IP6SKB_REROUTED;
	}
	dst_output(net, skb->sk, skb);
}

static void output_async_done(struct sk_buff *skb, struct kipsec_sa *sa, u64 seq, int err)
{
	if (err) {
		out_drop(sa, skb, KIPSEC_A_STATS_OUT_ERROR);
		return;
	}
	if (sa->encap)
		finish_udp(sa, skb);
	finish_headers(skb);
	count_out(sa, skb);
	kipsec_route_fit(sa, skb);
	local_bh_disable();
	xmit_stolen(skb);
	local_bh_enable();
}

static unsigned int output_one(struct net *net, struct kipsec_sa *sa, struct sk_buff *skb,
			       bool steal, struct kipsec_sa *next);

/*
 * A bundle's inner (ESP) layer completed asynchronously: apply the outer
 * layer now, then send (output_one steals it). The reference on the outer
 * SA taken when the request was queued is dropped once output_one has
 * returned (its own asynchronous request, if any, holds another).
 */
static void output_bundle_done(struct sk_buff *skb, struct kipsec_sa *sa, u64 seq, int err)
{
	struct kipsec_sa *next = kipsec_skb_cb(skb)->other;

	if (err) {
		out_drop(sa, skb, KIPSEC_A_STATS_OUT_ERROR);
		goto out;
	}
	if (sa->encap)
		finish_udp(sa, skb);
	finish_headers(skb);
	count_out(sa, skb);
	local_bh_disable();
	rcu_read_lock();
	output_one(sa->kn->net, next, skb, true, NULL);
	rcu_read_unlock();
	local_bh_enable();
out:
	kipsec_sa_put(next);
}

/* Next sequence number, or 0 if the SA may not send any more. */
static u64 next_seq(struct kipsec_sa *sa)
{
	u64 seq = atomic64_inc_return(&sa->oseq);

	/* RFC 4303 3.3.3: never wrap; the SA must be replaced. */
	if ((!sa->esn && seq > U32_MAX) ||
	    (sa->lft.hard_packets && seq > sa->lft.hard_packets)) {
		if (!test_and_set_bit(KIPSEC_SA_EXHAUSTED, &sa->flags))
			kipsec_sa_kick(sa->kn);
		return 0;
	}
	if (sa->lft.soft_packets && seq == sa->lft.soft_packets)
		kipsec_sa_kick(sa->kn);
	return seq;
}

/* Tunnel mode: ESP or AH header space and the outer header in front of the packet. */
static void push_tunnel(struct net *net, struct kipsec_sa *sa, struct sk_buff *skb,
			struct dst_entry *dst, u8 *nexthdr, bool df)
{
	unsigned int esph = ipsec_hlen(sa);
	u8 dsfield;

	if (skb->protocol == htons(ETH_P_IP)) {
		dsfield = ipv4_get_dsfield(ip_hdr(skb));
		*nexthdr = IPPROTO_IPIP;
	} else {
		dsfield = ipv6_get_dsfield(ipv6_hdr(skb));
		*nexthdr = IPPROTO_IPV6;
	}
	/* RFC 6040 normal mode: copy DSCP, ECN from the inner header (CE as ECT(0)). */
	dsfield = INET_ECN_encapsulate(dsfield, dsfield);

	skb_push(skb, esph + outer_hlen(sa->id.family));
	skb_reset_network_header(skb);
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	/* The stack transmits on skb->dev: the peer may be out another device. */
	skb->dev = dst->dev;
	if (sa->id.family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		skb->protocol = htons(ETH_P_IP);
		iph->version = 4;
		iph->ihl = 5;
		iph->tos = dsfield;
		iph->frag_off = df ? htons(IP_DF) : 0;
		iph->ttl = ip4_dst_hoplimit(dst);
		iph->protocol = wire_proto(sa);
		iph->saddr = sa->saddr.a4;
		iph->daddr = sa->id.daddr.a4;
		iph->tot_len = htons(skb->len);
		ip_select_ident(net, skb, NULL);
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		skb->protocol = htons(ETH_P_IPV6);
		ip6_flow_hdr(ip6h, dsfield, 0);
		ip6h->nexthdr = wire_proto(sa);
		ip6h->hop_limit = ip6_dst_hoplimit(dst);
		ip6h->saddr = sa->saddr.a6;
		ip6h->daddr = sa->id.daddr.a6;
		/* We are the source of the outer packet: it may be fragmented here. */
		skb->ignore_df = !df;
	}
}

/* Transport mode: open room for the ESP or AH header after the IP headers. */
static void push_transport(struct kipsec_sa *sa, struct sk_buff *skb, unsigned int hl,
			   u8 *nexthdr)
{
	unsigned int esph = ipsec_hlen(sa);
	u8 *old = skb->data;
	u8 *prev;

	if (skb->protocol == htons(ETH_P_IP)) {
		*nexthdr = ip_hdr(skb)->protocol;
		ip_hdr(skb)->protocol = wire_proto(sa);
		skb_push(skb, esph);
		memmove(skb->data, old, hl);
	} else {
		unsigned int prevoff;

		ip6_find_1stfragopt(skb, &prev);
		prevoff = prev - old;
		*nexthdr = *prev;
		skb_push(skb, esph);
		memmove(skb->data, old, hl);
		skb->data[prevoff] = wire_proto(sa);
	}
	skb_reset_network_header(skb);
}

/* IP headers left outside in transport mode, or a negative error. */
static int transport_hlen(struct sk_buff *skb)
{
	u8 *prev;

	if (skb->protocol == htons(ETH_P_IP))
		return ip_hdrlen(skb);
	return ip6_find_1stfragopt(skb, &prev);
}

/*
 * Where an encapsulated packet of @sa goes: in tunnel mode the route to
 * the peer (with a reference for the caller), in transport mode NULL (the
 * packet keeps its own); an ERR_PTR if it can't go. @hl: the IP header
 * bytes in front of ESP or AH; @mtu: the largest packet (the inner one, or
 * the IP packet in transport mode) that fits once encapsulated, with @next
 * around it.
 */
static struct dst_entry *out_route(struct net *net, struct kipsec_sa *sa,
				   const struct kipsec_sa *next, struct sk_buff *skb,
				   unsigned int *hl, unsigned int *mtu)
{
	struct dst_entry *dst;
	int ret;

	if (sa->mode == KIPSEC_MODE_TUNNEL) {
		dst = kipsec_route_tunnel(net, sa, skb);
		if (IS_ERR(dst))
			return dst;
		*hl = outer_hlen(sa->id.family);
		*mtu = fit_mtu(sa, next, dst, *hl);
		return dst;
	}
	ret = transport_hlen(skb);
	if (ret < 0)
		return ERR_PTR(ret);
	*hl = ret;
	*mtu = fit_mtu(sa, next, skb_dst(skb), *hl);
	return NULL;
}

/*
 * Encapsulate one (non-GSO) packet. Returns NF_ACCEPT when it was rewritten
 * in place and should go on through POST_ROUTING, NF_STOLEN when it is
 * ours (sent, queued in the crypto layer or dropped). @next: the outer SA
 * of a bundle (AH in transport mode), applied to the result, or NULL.
 */
static unsigned int output_one(struct net *net, struct kipsec_sa *sa, struct sk_buff *skb,
			       bool steal, struct kipsec_sa *next)
{
	bool tunnel = sa->mode == KIPSEC_MODE_TUNNEL;
	unsigned int esph = ipsec_hlen(sa);
	struct dst_entry *dst = NULL;
	unsigned int mtu, hl, need_head, need_tail;
	bool df = false;
	u8 nexthdr;
	u64 seq;
	int ret;

	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		goto drop;

	dst = out_route(net, sa, next, skb, &hl, &mtu);
	if (IS_ERR(dst)) {
		dst = NULL;
		goto drop;
	}
	if (skb->len > mtu) {
		if (!may_fragment(skb, mtu)) {
			send_too_big(skb, mtu);
			dst_release(dst);
			out_drop(sa, skb, KIPSEC_A_STATS_OUT_MTU);
			return NF_STOLEN;
		}
	} else if (skb->protocol == htons(ETH_P_IP)) {
		df = ip_hdr(skb)->frag_off & htons(IP_DF);
	} else {
		df = true;
	}

	seq = next_seq(sa);
	if (!seq) {
		dst_release(dst);
		out_drop(sa, skb, KIPSEC_A_STATS_OUT_SEQ_OVERFLOW);
		return NF_STOLEN;
	}

	/* Linear and writable, with room for headers, trailer and ICV. */
	need_head = esph + (tunnel ? hl + LL_RESERVED_SPACE(dst->dev) : 0);
	need_tail = sa->id.proto == IPPROTO_AH ? 0 : sa->align + 1 + sa->icvlen;
	if (skb_linearize(skb) ||
	    ((skb_cloned(skb) || skb_headroom(skb) < need_head || skb_tailroom(skb) < need_tail) &&
	     pskb_expand_head(skb, max_t(int, need_head - skb_headroom(skb), 0),
			      max_t(int, need_tail - skb_tailroom(skb), 0), GFP_ATOMIC)))
		goto drop;

	if (tunnel) {
		/* 4in6 and 6in4 leave the hook's family: they cannot go on through it. */
		steal |= skb->protocol != htons(sa->id.family == AF_INET ? ETH_P_IP : ETH_P_IPV6);
		push_tunnel(net, sa, skb, dst, &nexthdr, df);
	} else {
		push_transport(sa, skb, hl, &nexthdr);
		skb->ignore_df = 1;
	}
	/* From here the skb holds the outer dst (tunnel) or its own. */
	dst = NULL;

	if (next) {
		/* Until output_bundle_done, or until the synchronous answer below. */
		kipsec_sa_hold(next);
		kipsec_skb_cb(skb)->other = next;
	}
	if (sa->id.proto == IPPROTO_AH) {
		/* AH authenticates the outer header: it must be final first. */
		finish_headers(skb);
		ret = kipsec_ah_output(sa, skb, hl, nexthdr, seq,
				       next ? output_bundle_done : output_async_done);
	} else {
		ret = kipsec_esp_encrypt(sa, skb, hl + encap_hlen(sa), nexthdr, seq,
					 next ? output_bundle_done : output_async_done);
	}
	if (ret == -EINPROGRESS)
		return NF_STOLEN;
	/* Answered synchronously: the caller's RCU section still covers @next. */
	if (next)
		kipsec_sa_put(next);
	if (ret)
		goto drop;
	if (sa->encap)
		finish_udp(sa, skb);
	finish_headers(skb);
	count_out(sa, skb);
	/* The outer layer of a bundle protects what the inner one made. */
	if (next)
		return output_one(net, next, skb, steal, NULL);
	kipsec_route_fit(sa, skb);
	if (!steal)
		return NF_ACCEPT;
	xmit_stolen(skb);
	return NF_STOLEN;

drop:
	dst_release(dst);
	out_drop(sa, skb, KIPSEC_A_STATS_OUT_ERROR);
	return NF_STOLEN;
}

/* GSO packets: segment in software and encapsulate each segment. */
static unsigned int output_gso(struct net *net, struct kipsec_sa *sa, struct sk_buff *skb,
			       struct kipsec_sa *outer)
{
	struct sk_buff *segs, *seg, *next;
	struct dst_entry *dst;
	unsigned int hl, mtu;

	/*
	 * Segments too big once encapsulated: one ICMP for the GSO packet
	 * (a sender's whole burst), as the stack does, not one per segment.
	 */
	dst = out_route(net, sa, outer, skb, &hl, &mtu);
	if (IS_ERR(dst)) {
		out_drop(sa, skb, KIPSEC_A_STATS_OUT_ERROR);
		return NF_STOLEN;
	}
	dst_release(dst);
	if (!skb_gso_validate_network_len(skb, mtu) && !may_fragment(skb, mtu)) {
		send_too_big(skb, mtu);
		out_drop(sa, skb, KIPSEC_A_STATS_OUT_MTU);
		return NF_STOLEN;
	}

	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		out_drop(sa, skb, KIPSEC_A_STATS_OUT_ERROR);
		return NF_STOLEN;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		output_one(net, sa, seg, true, outer);
	}
	return NF_STOLEN;
}

static unsigned int kipsec_out_hook(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct kipsec_net *kn = kipsec_pernet(state->net);
	struct kipsec_policy *pol;
	struct kipsec_flow fl;
	struct kipsec_sa *sa[KIPSEC_MAX_TMPL], *next;
	u32 cpu;

	if (list_empty(kipsec_spd_list(kn, KIPSEC_DIR_OUT)))
		return NF_ACCEPT;
	if (kipsec_flow_decode(skb, &fl)) {
		kipsec_stat_inc(kn, KIPSEC_A_STATS_OUT_ERROR);
		return NF_DROP;
	}
	pol = kipsec_spd_lookup(kn, KIPSEC_DIR_OUT, &fl);
	if (!pol || pol->action == KIPSEC_ACTION_BYPASS)
		return NF_ACCEPT;
	if (pol->action == KIPSEC_ACTION_DISCARD) {
		kipsec_stat_inc(kn, KIPSEC_A_STATS_OUT_POLICY_BLOCK);
		return NF_DROP;
	}
	/*
	 * Per-cpu templates use the sending CPU's own SA, so that CPUs don't
	 * share its sequence counter's cache line. The CPU is a preference,
	 * not an ownership: a sender preempted and moved after this read uses
	 * the SA from another CPU for one packet, which is safe (the counter
	 * is atomic, the peer's replay window is shared by its CPUs).
	 */
	cpu = pol->tmpl[0].per_cpu ? raw_smp_processor_id() : KIPSEC_SA_ANY_CPU;
	if (!out_sas(kn, pol, &fl, cpu, sa)) {
		/*
		 * No SA yet (for one layer of a bundle at least): drop (TCP
		 * and friends retransmit) and ask for one; the event names
		 * the policy with all its templates.
		 */
		kipsec_stat_inc(kn, KIPSEC_A_STATS_OUT_NO_SA);
		if (kipsec_policy_acquire_due(pol))
			kipsec_event_acquire(kn, pol, &fl, -1);
		return NF_DROP;
	}
	/* A CPU without its own SA sends on the fallback and asks for one. */
	if (unlikely(sa[0]->cpu != cpu) && cpu != KIPSEC_SA_ANY_CPU &&
	    kipsec_policy_cpu_acquire_due(pol, cpu))
		kipsec_event_acquire(kn, pol, &fl, cpu);
	/* Bundles (netlink checked them): ESP first, then AH around it. */
	next = pol->ntmpl > 1 ? sa[1] : NULL;
	if (skb_is_gso(skb))
		return output_gso(state->net, sa[0], skb, next);
	return output_one(state->net, sa[0], skb, false, next);
}

/* Last in POST_ROUTING but before conntrack confirmation (INT_MAX). */
static const struct nf_hook_ops kipsec_out_ops[] = {
	{
		.hook = kipsec_out_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_POST_ROUTING,
		.priority = NF_IP_PRI_LAST - 1,
	},
	{
		.hook = kipsec_out_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_POST_ROUTING,
		.priority = NF_IP6_PRI_LAST - 1,
	},
};

int kipsec_output_net_init(struct net *net)
{
	return nf_register_net_hooks(net, kipsec_out_ops, ARRAY_SIZE(kipsec_out_ops));
}

void kipsec_output_net_uninit(struct net *net)
{
	nf_unregister_net_hooks(net, kipsec_out_ops, ARRAY_SIZE(kipsec_out_ops));
}
