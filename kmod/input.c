// SPDX-License-Identifier: GPL-2.0
/*
 * Input: ESP and AH packets for kipsec's SAs, and the inbound policy check.
 *
 * ESP and AH reach kipsec through the kernel's protocol demultiplexers
 * (xfrm4/xfrm6_protocol_register), at a higher priority than esp4/esp6 and
 * ah4/ah6: an SPI kipsec does not know is handed on (-EINVAL) to native
 * xfrm, so both stacks share one kernel, and reassembly has happened
 * already.
 *
 * Once decrypted or verified, the packet (the inner one in tunnel mode, or
 * the original with ESP or AH removed in transport mode) goes through
 * PRE_ROUTING, routing and LOCAL_IN or FORWARD again, synchronously, as
 * xfrm does. During that call a per-CPU record names the skb and the SA it
 * was decrypted with; the LOCAL_IN/FORWARD hook below uses it to tell
 * decrypted packets from cleartext: cleartext that a protect policy covers
 * is dropped, and a decrypted packet must match a protect policy whose
 * template names its SA. Nothing in the skb itself has to carry the mark,
 * and since softirq processing is not preempted the record cannot be seen
 * by another packet. A netfilter queue that re-injects the packet later
 * would lose it: the packet then counts as cleartext and is dropped if a
 * protect policy covers it (fail closed).
 *
 * Bundles (policy.h): the record keeps the last KIPSEC_MAX_TMPL SAs the
 * packet went through, outermost first, like xfrm's sec_path. AH verified
 * and stripped, the packet (now ESP) is re-injected with the record naming
 * AH; ESP's handler, reached during that call, finds the record for its
 * skb and notes the AH SA as the layer outside its own (in the skb's
 * control block, with a reference, since decryption may complete
 * asynchronously after the record is gone). The packet ESP yields is then
 * re-injected with both. The policy check compares the innermost SAs of
 * the record with the policy's templates, innermost first.
 *
 * Not supported yet: IPv6 hop-by-hop options inside a tunnel (dropped,
 * counted as header errors).
 */
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/dst.h>
#include <net/esp.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>
#include <net/xfrm.h>

#include "ah.h"
#include "esp.h"
#include "flow.h"
#include "output.h"
#include "policy.h"
#include "sa.h"

/* Above esp4/esp6, ah4/ah6 (0) and vti (100): kipsec sees ESP and AH first. */
#define KIPSEC_ESP_PRIORITY	200

struct kipsec_rx {
	struct sk_buff *skb;		/* being re-injected after decryption */
	/* ... having passed through these SAs, outermost first */
	struct kipsec_sa *sa[KIPSEC_MAX_TMPL];
	unsigned int n;			/* 1..KIPSEC_MAX_TMPL while skb is set */
};

static DEFINE_PER_CPU(struct kipsec_rx, kipsec_rx);

static void in_drop(struct kipsec_sa *sa, struct sk_buff *skb, int stat)
{
	kipsec_stat_inc(sa->kn, stat);
	kfree_skb(skb);
}

static int rcv4_finish(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos, skb->dev)) {
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	return dst_input(skb);
}

static int rcv6_finish(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	const struct ipv6hdr *hdr = ipv6_hdr(skb);
	struct flowi6 fl6 = {
		.flowi6_iif = skb->dev->ifindex,
		.daddr = hdr->daddr,
		.saddr = hdr->saddr,
		.flowlabel = ip6_flowinfo(hdr),
		.flowi6_mark = skb->mark,
		.flowi6_proto = hdr->nexthdr,
	};
	struct dst_entry *dst;

	dst = ip6_route_input_lookup(net, skb->dev, &fl6, skb, RT6_LOOKUP_F_HAS_SADDR);
	if (dst->error) {
		dst_release(dst);
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	skb_dst_set(skb, dst);
	return dst_input(skb);
}

/*
 * Hand the decrypted packet at skb->data to the stack, as if it had just
 * arrived on skb->dev, with this CPU's record naming it and its SA.
 */
static void reinject(struct sk_buff *skb, struct kipsec_sa *sa, struct kipsec_sa *outer)
{
	struct net *net = sa->kn->net;
	struct kipsec_rx *rx, saved;

	skb_reset_network_header(skb);
	/*
	 * Transport mode in UDP: a NAT between the peers rewrote the addresses
	 * the inner TCP/UDP checksum covers. ESP's ICV protected the payload,
	 * so the checksum is not verified (RFC 3948 3.1.2, as xfrm does).
	 */
	skb->ip_summed = sa->encap && sa->mode == KIPSEC_MODE_TRANSPORT ?
			 CHECKSUM_UNNECESSARY : CHECKSUM_NONE;
	skb_dst_drop(skb);
	nf_reset_ct(skb);

	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *iph = ip_hdr(skb);

		skb_set_transport_header(skb, iph->ihl * 4);
		memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
		IPCB(skb)->iif = skb->skb_iif;
		if (iph->ihl > 5) {
			IPCB(skb)->opt.optlen = iph->ihl * 4 - sizeof(*iph);
			if (ip_options_compile(net, &IPCB(skb)->opt, skb)) {
				in_drop(sa, skb, KIPSEC_A_STATS_IN_HDR_ERROR);
				return;
			}
		}
	} else {
		if (ipv6_hdr(skb)->nexthdr == NEXTHDR_HOP) {
			in_drop(sa, skb, KIPSEC_A_STATS_IN_HDR_ERROR);
			return;
		}
		skb_set_transport_header(skb, sizeof(struct ipv6hdr));
		memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
		IP6CB(skb)->iif = skb->dev->ifindex;
		IP6CB(skb)->nhoff = offsetof(struct ipv6hdr, nexthdr);
	}

	/* The completion of an async request may run with BHs enabled. */
	local_bh_disable();
	rcu_read_lock();
	rx = this_cpu_ptr(&kipsec_rx);
	saved = *rx;		/* nested ESP (a tunnel inside a tunnel, a bundle) */
	rx->skb = skb;
	rx->n = 0;
	if (outer)
		rx->sa[rx->n++] = outer;
	rx->sa[rx->n++] = sa;
	if (skb->protocol == htons(ETH_P_IP))
		NF_HOOK(NFPROTO_IPV4, NF_INET_PRE_ROUTING, net, NULL, skb, skb->dev, NULL,
			rcv4_finish);
	else
		NF_HOOK(NFPROTO_IPV6, NF_INET_PRE_ROUTING, net, NULL, skb, skb->dev, NULL,
			rcv6_finish);
	*rx = saved;
	rcu_read_unlock();
	local_bh_enable();
}

/* Tunnel mode: the inner packet starts at skb->data. */
static int decap_tunnel(struct sk_buff *skb, u8 nexthdr, u8 outer_dsfield)
{
	unsigned int len;

	if (nexthdr == IPPROTO_IPIP) {
		struct iphdr *iph;

		if (!pskb_may_pull(skb, sizeof(*iph)))
			return -EINVAL;
		iph = (struct iphdr *)skb->data;
		len = ntohs(iph->tot_len);
		if (iph->version != 4 || iph->ihl < 5 || len < iph->ihl * 4 || len > skb->len ||
		    ip_fast_csum((u8 *)iph, iph->ihl))
			return -EINVAL;
		if (pskb_trim(skb, len))
			return -ENOMEM;
		skb->protocol = htons(ETH_P_IP);
		if (INET_ECN_is_ce(outer_dsfield))
			IP_ECN_set_ce(iph);
		return 0;
	}
	if (nexthdr == IPPROTO_IPV6) {
		struct ipv6hdr *ip6h;

		if (!pskb_may_pull(skb, sizeof(*ip6h)))
			return -EINVAL;
		ip6h = (struct ipv6hdr *)skb->data;
		len = sizeof(*ip6h) + ntohs(ip6h->payload_len);
		if (ip6h->version != 6 || len > skb->len)
			return -EINVAL;
		if (pskb_trim(skb, len))
			return -ENOMEM;
		skb->protocol = htons(ETH_P_IPV6);
		if (INET_ECN_is_ce(outer_dsfield))
			IP6_ECN_set_ce(skb, ip6h);
		return 0;
	}
	return -EPROTONOSUPPORT;
}

/*
 * Transport mode: slide the IP headers (@hl bytes before the ESP header)
 * up against the payload and make them name the payload's protocol.
 */
static void decap_transport(struct sk_buff *skb, unsigned int hl, u8 nexthdr,
			    unsigned int nhoff)
{
	u8 *old = skb_network_header(skb);

	skb_push(skb, hl);
	memmove(skb->data, old, hl);
	skb_reset_network_header(skb);
	if (skb->protocol == htons(ETH_P_IP)) {
		struct iphdr *iph = ip_hdr(skb);

		iph->protocol = nexthdr;
		iph->tot_len = htons(skb->len);
		ip_send_check(iph);
	} else {
		skb->data[nhoff] = nexthdr;
		ipv6_hdr(skb)->payload_len = htons(skb->len - sizeof(struct ipv6hdr));
	}
}

/*
 * The transform's verdict, then the replay window: the number is recorded
 * only once the ICV verified (RFC 4303 3.4.3, RFC 4302 3.4.3), and checked
 * again, since another CPU may have accepted it meanwhile. Returns true if
 * the packet may go on; otherwise it was dropped and counted.
 */
static bool verified(struct sk_buff *skb, struct kipsec_sa *sa, u64 seq, int err)
{
	struct kipsec_sa_stats __percpu *st = sa->stats;

	if (err) {
		if (err == -EBADMSG) {
			this_cpu_inc(st->icv);
			in_drop(sa, skb, KIPSEC_A_STATS_IN_ICV_FAIL);
		} else {
			this_cpu_inc(st->errors);
			in_drop(sa, skb, KIPSEC_A_STATS_IN_ERROR);
		}
		return false;
	}
	switch (kipsec_replay_advance(sa->replay, seq)) {
	case KIPSEC_REPLAY_OK:
		return true;
	case KIPSEC_REPLAY_DUPLICATE:
		this_cpu_inc(st->replay);
		in_drop(sa, skb, KIPSEC_A_STATS_IN_REPLAY);
		return false;
	default:
		this_cpu_inc(st->window);
		in_drop(sa, skb, KIPSEC_A_STATS_IN_WINDOW);
		return false;
	}
}

static void count_in(struct kipsec_sa *sa, struct sk_buff *skb)
{
	this_cpu_inc(sa->stats->packets);
	this_cpu_add(sa->stats->bytes, skb->len);
	kipsec_sa_used(sa);
}

/*
 * The IPsec header (and ESP's trailer) is gone: skb->data is the payload,
 * the outer IP headers are still in the buffer in front of it, from the
 * network header on. Decapsulate and re-inject.
 */
static void deliver(struct sk_buff *skb, struct kipsec_sa *sa, struct kipsec_sa *outer,
		    u8 nexthdr, unsigned int hl)
{
	unsigned int nhoff = 0;
	u8 dsfield;

	if (skb->protocol == htons(ETH_P_IP)) {
		dsfield = ipv4_get_dsfield(ip_hdr(skb));
	} else {
		dsfield = ipv6_get_dsfield(ipv6_hdr(skb));
		nhoff = IP6CB(skb)->nhoff;
	}
	if (nexthdr == IPPROTO_NONE) {
		/* A dummy packet (RFC 4303 2.6, traffic flow confidentiality). */
		consume_skb(skb);
		return;
	}
	if (sa->mode == KIPSEC_MODE_TUNNEL) {
		if (decap_tunnel(skb, nexthdr, dsfield)) {
			this_cpu_inc(sa->stats->errors);
			in_drop(sa, skb, KIPSEC_A_STATS_IN_HDR_ERROR);
			return;
		}
	} else {
		decap_transport(skb, hl, nexthdr, nhoff);
	}
	reinject(skb, sa, outer);
}

/*
 * After decryption: record the number in the replay window, strip the
 * trailer and the ESP header, decapsulate and re-inject.
 */
static void input_done(struct sk_buff *skb, struct kipsec_sa *sa, u64 seq, int err)
{
	struct kipsec_sa *outer = kipsec_skb_cb(skb)->other;
	struct net_device *dev = skb->dev;
	unsigned int hl, plen;
	u8 padlen, nexthdr;
	const u8 *tail;

	if (!verified(skb, sa, seq, err))
		goto out;

	tail = skb->data + skb->len - sa->icvlen - 2;
	padlen = tail[0];
	nexthdr = tail[1];
	plen = skb->len - KIPSEC_ESP_HLEN - sa->ivlen - sa->icvlen;
	if (padlen + 2 > plen) {
		this_cpu_inc(sa->stats->errors);
		in_drop(sa, skb, KIPSEC_A_STATS_IN_HDR_ERROR);
		goto out;
	}
	count_in(sa, skb);

	/* The IP headers, without the UDP header of ESP in UDP (still in between). */
	hl = skb->data - skb_network_header(skb) - (sa->encap ? sizeof(struct udphdr) : 0);
	pskb_trim(skb, skb->len - sa->icvlen - 2 - padlen);
	skb_pull(skb, KIPSEC_ESP_HLEN + sa->ivlen);
	deliver(skb, sa, outer, nexthdr, hl);
out:
	if (outer)
		kipsec_sa_put(outer);
	dev_put(dev);
}

/* After the AH ICV was checked: as input_done, without a trailer. */
static void ah_input_done(struct sk_buff *skb, struct kipsec_sa *sa, u64 seq, int err)
{
	struct kipsec_sa *outer = kipsec_skb_cb(skb)->other;
	struct net_device *dev = skb->dev;
	struct ip_auth_hdr *ah;
	unsigned int hl;
	u8 nexthdr;

	if (!verified(skb, sa, seq, err))
		goto out;
	count_in(sa, skb);

	ah = (struct ip_auth_hdr *)skb->data;
	nexthdr = ah->nexthdr;
	hl = skb->data - skb_network_header(skb);
	/* kipsec_ah_input checked the length against the SA and skb->len. */
	skb_pull(skb, (ah->hdrlen + 2) * 4);
	deliver(skb, sa, outer, nexthdr, hl);
out:
	if (outer)
		kipsec_sa_put(outer);
	dev_put(dev);
}

/* The SA an ESP or AH packet (or the one an ICMP error quotes) was sent with. */
static struct kipsec_sa *proto_sa(struct kipsec_net *kn, u16 family, const void *daddr,
				  u8 proto, __be32 spi)
{
	struct kipsec_sa_id id = {};

	id.family = family;
	id.proto = proto;
	id.spi = spi;
	memcpy(&id.daddr, daddr, kipsec_addr_len(family));
	return kipsec_sa_lookup(kn, &id);
}

/*
 * The SA for an ESP or AH packet at skb->data whose SPI is @spi, or NULL
 * (the packet is then native xfrm's). *seq: its inferred full sequence
 * number. A packet the replay window refuses before any crypto is spent
 * (RFC 4303 3.4.3) is dropped here: *seq is 0 then, and the SA is returned
 * so the caller knows the packet is gone.
 */
static struct kipsec_sa *rcv_sa(struct kipsec_net *kn, struct sk_buff *skb, u16 family,
				u8 proto, __be32 spi, __be32 seq_lo, bool encap, u64 *seq)
{
	struct kipsec_sa *sa;

	sa = proto_sa(kn, family, family == AF_INET ? (void *)&ip_hdr(skb)->daddr :
						      (void *)&ipv6_hdr(skb)->daddr, proto, spi);
	if (!sa || test_bit(KIPSEC_SA_DEAD, &sa->flags)) {
		/* Not ours: native xfrm (or the ICMP error) is next in line. */
		kipsec_stat_inc(kn, KIPSEC_A_STATS_IN_NO_SA);
		return NULL;
	}
	if (unlikely(sa->encap != encap)) {
		/* As xfrm: an SA is either in UDP or not, never both. */
		this_cpu_inc(sa->stats->errors);
		in_drop(sa, skb, KIPSEC_A_STATS_IN_ENCAP_MISMATCH);
		*seq = 0;
		return sa;
	}
	*seq = kipsec_replay_infer(sa->replay, ntohl(seq_lo));
	switch (kipsec_replay_check(sa->replay, *seq)) {
	case KIPSEC_REPLAY_OK:
		return sa;
	case KIPSEC_REPLAY_DUPLICATE:
		this_cpu_inc(sa->stats->replay);
		in_drop(sa, skb, KIPSEC_A_STATS_IN_REPLAY);
		break;
	default:
		this_cpu_inc(sa->stats->window);
		in_drop(sa, skb, KIPSEC_A_STATS_IN_WINDOW);
		break;
	}
	*seq = 0;
	return sa;
}

/*
 * Before ESP or AH takes @skb: note the layer it already passed through,
 * if it is being re-injected on this CPU by an outer layer (see the top
 * of the file), with a reference dropped once the packet is delivered.
 */
static void note_outer(struct sk_buff *skb)
{
	struct kipsec_rx *rx = this_cpu_ptr(&kipsec_rx);
	struct kipsec_sa *outer = NULL;

	if (rx->skb == skb) {
		outer = rx->sa[rx->n - 1];
		kipsec_sa_hold(outer);
	}
	kipsec_skb_cb(skb)->other = outer;
}

/*
 * @encap: the packet came in UDP (RFC 3948): the UDP header is still in
 * the buffer between the IP headers and skb->data.
 */
static int kipsec_esp_rcv(struct sk_buff *skb, u16 family, bool encap)
{
	struct net *net = dev_net(skb->dev);
	struct kipsec_net *kn = kipsec_pernet(net);
	struct ip_esp_hdr *esph;
	struct kipsec_sa *sa;
	u64 seq;
	int err;

	if (!pskb_may_pull(skb, sizeof(*esph)))
		return -EINVAL;
	esph = (struct ip_esp_hdr *)skb->data;
	sa = rcv_sa(kn, skb, family, IPPROTO_ESP, esph->spi, esph->seq_no, encap, &seq);
	if (!sa)
		return -EINVAL;
	if (!seq)
		return 0;

	skb_dst_drop(skb);
	if (skb_linearize_cow(skb)) {
		in_drop(sa, skb, KIPSEC_A_STATS_IN_ERROR);
		return 0;
	}
	/* Held until input_done: an async request outlives this softirq. */
	dev_hold(skb->dev);
	note_outer(skb);
	err = kipsec_esp_decrypt(sa, skb, seq, input_done);
	if (err != -EINPROGRESS)
		input_done(skb, sa, seq, err);
	return 0;
}

static int kipsec_esp4_rcv(struct sk_buff *skb)
{
	return kipsec_esp_rcv(skb, AF_INET, false);
}

static int kipsec_esp6_rcv(struct sk_buff *skb)
{
	return kipsec_esp_rcv(skb, AF_INET6, false);
}

static int kipsec_ah_rcv(struct sk_buff *skb, u16 family)
{
	struct net *net = dev_net(skb->dev);
	struct kipsec_net *kn = kipsec_pernet(net);
	struct ip_auth_hdr *ah;
	struct kipsec_sa *sa;
	u64 seq;
	int err;

	if (!pskb_may_pull(skb, KIPSEC_AH_HLEN))
		return -EINVAL;
	ah = (struct ip_auth_hdr *)skb->data;
	sa = rcv_sa(kn, skb, family, IPPROTO_AH, ah->spi, ah->seq_no, false, &seq);
	if (!sa)
		return -EINVAL;
	if (!seq)
		return 0;

	skb_dst_drop(skb);
	/* Private and linear, the IP headers in front of skb->data included. */
	if (skb_linearize_cow(skb)) {
		in_drop(sa, skb, KIPSEC_A_STATS_IN_ERROR);
		return 0;
	}
	/* Held until ah_input_done: an async request outlives this softirq. */
	dev_hold(skb->dev);
	note_outer(skb);
	err = kipsec_ah_input(sa, skb, seq, ah_input_done);
	if (err != -EINPROGRESS)
		ah_input_done(skb, sa, seq, err);
	return 0;
}

static int kipsec_ah4_rcv(struct sk_buff *skb)
{
	return kipsec_ah_rcv(skb, AF_INET);
}

static int kipsec_ah6_rcv(struct sk_buff *skb)
{
	return kipsec_ah_rcv(skb, AF_INET6);
}

/* Only native xfrm's results pass here: not ours, hand them on. */
static int kipsec_xfrm_cb(struct sk_buff *skb, int err)
{
	return 1;
}

/*
 * ESP in UDP: a UDP socket with the UDP_ENCAP option (the key daemon's, on
 * port 4500) strips the UDP header and hands the ESP packet to the ESP
 * handlers through xfrm4/6_rcv_encap(), kipsec's first (NAT keepalives and
 * IKE messages with the non-ESP marker go to the socket instead). Only
 * RFC 3948 encapsulation; the pre-standard kinds go on to native xfrm.
 */
static int kipsec_xfrm_input(struct sk_buff *skb, int nexthdr, __be32 spi, int encap_type)
{
	if (nexthdr != IPPROTO_ESP || encap_type != UDP_ENCAP_ESPINUDP)
		return -EINVAL;
	return kipsec_esp_rcv(skb, XFRM_SPI_SKB_CB(skb)->family, true);
}

/*
 * ICMP errors about ESP or AH we sent: if the SA is ours, remember the
 * path MTU for its packets (output.c sizes them with it; routes are left
 * alone). The SPI is the first word of ESP and the second of AH.
 */
static int icmp4_err(struct sk_buff *skb, u32 info, u8 proto)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	const __be32 *h = (const __be32 *)(skb->data + (iph->ihl << 2));
	struct kipsec_sa *sa;

	sa = proto_sa(kipsec_pernet(dev_net(skb->dev)), AF_INET, &iph->daddr, proto,
		      proto == IPPROTO_AH ? h[1] : h[0]);
	if (!sa)
		return -ENOENT;
	if (icmp_hdr(skb)->type == ICMP_DEST_UNREACH &&
	    icmp_hdr(skb)->code == ICMP_FRAG_NEEDED && info >= 552)
		WRITE_ONCE(sa->pmtu, info);
	return 0;
}

static int icmp6_err(struct sk_buff *skb, u8 type, int offset, __be32 info, u8 proto)
{
	const struct ipv6hdr *ip6h = (const struct ipv6hdr *)skb->data;
	const __be32 *h = (const __be32 *)(skb->data + offset);
	struct kipsec_sa *sa;

	sa = proto_sa(kipsec_pernet(dev_net(skb->dev)), AF_INET6, &ip6h->daddr, proto,
		      proto == IPPROTO_AH ? h[1] : h[0]);
	if (!sa)
		return -ENOENT;
	if (type == ICMPV6_PKT_TOOBIG && ntohl(info) >= IPV6_MIN_MTU)
		WRITE_ONCE(sa->pmtu, ntohl(info));
	return 0;
}

static int kipsec_esp4_err(struct sk_buff *skb, u32 info)
{
	return icmp4_err(skb, info, IPPROTO_ESP);
}

/* AH's SPI is in the first 8 bytes of the quoted payload, which ICMP pulled. */
static int kipsec_ah4_err(struct sk_buff *skb, u32 info)
{
	return icmp4_err(skb, info, IPPROTO_AH);
}

static int kipsec_esp6_err(struct sk_buff *skb, struct inet6_skb_parm *opt, u8 type, u8 code,
			   int offset, __be32 info)
{
	return icmp6_err(skb, type, offset, info, IPPROTO_ESP);
}

static int kipsec_ah6_err(struct sk_buff *skb, struct inet6_skb_parm *opt, u8 type, u8 code,
			  int offset, __be32 info)
{
	return icmp6_err(skb, type, offset, info, IPPROTO_AH);
}

static struct xfrm4_protocol kipsec_esp4 = {
	.handler = kipsec_esp4_rcv,
	.input_handler = kipsec_xfrm_input,
	.cb_handler = kipsec_xfrm_cb,
	.err_handler = kipsec_esp4_err,
	.priority = KIPSEC_ESP_PRIORITY,
};

static struct xfrm6_protocol kipsec_esp6 = {
	.handler = kipsec_esp6_rcv,
	.input_handler = kipsec_xfrm_input,
	.cb_handler = kipsec_xfrm_cb,
	.err_handler = kipsec_esp6_err,
	.priority = KIPSEC_ESP_PRIORITY,
};

static struct xfrm4_protocol kipsec_ah4 = {
	.handler = kipsec_ah4_rcv,
	.input_handler = kipsec_xfrm_input,
	.cb_handler = kipsec_xfrm_cb,
	.err_handler = kipsec_ah4_err,
	.priority = KIPSEC_ESP_PRIORITY,
};

static struct xfrm6_protocol kipsec_ah6 = {
	.handler = kipsec_ah6_rcv,
	.input_handler = kipsec_xfrm_input,
	.cb_handler = kipsec_xfrm_cb,
	.err_handler = kipsec_ah6_err,
	.priority = KIPSEC_ESP_PRIORITY,
};

static bool tmpl_matches(const struct kipsec_tmpl *t, const struct kipsec_sa *sa)
{
	unsigned int alen = kipsec_addr_len(sa->id.family);
	static const union kipsec_addr any;

	if (t->proto != sa->id.proto || t->mode != sa->mode || (t->reqid && t->reqid != sa->reqid))
		return false;
	if (t->mode != KIPSEC_MODE_TUNNEL)
		return true;
	return t->family == sa->id.family && !memcmp(&t->daddr, &sa->id.daddr, alen) &&
	       (!memcmp(&t->saddr, &any, alen) || !memcmp(&t->saddr, &sa->saddr, alen));
}

/*
 * Did the packet pass through the policy's templates, innermost last? Only
 * the innermost layers count: outer tunnels a packet came through before
 * (nested ESP) are checked by the policies of the packets they carried.
 */
static bool path_matches(const struct kipsec_policy *pol, const struct kipsec_rx *rx)
{
	int i;

	if (rx->n < pol->ntmpl)
		return false;
	for (i = 0; i < pol->ntmpl; i++)
		if (!tmpl_matches(&pol->tmpl[i], rx->sa[rx->n - 1 - i]))
			return false;
	return true;
}

/*
 * LOCAL_IN and FORWARD: what arrived must have been protected as the in
 * (fwd) policies say. Decrypted packets are recognised by this CPU's
 * re-injection record; ESP itself is checked by its protocol handler.
 */
/*
 * ESP in UDP for one of our SAs, on its way to the UDP_ENCAP socket that
 * hands it to the ESP handler. Like ESP itself it is not the cleartext a
 * policy covers: its ESP is checked there (a transport-mode selector of the
 * two hosts would otherwise drop it here). Anything else to that port (IKE,
 * keepalives) stays subject to the policy, as with xfrm: key daemons need
 * a bypass policy for it.
 */
static bool esp_in_udp(struct kipsec_net *kn, const struct sk_buff *skb,
		       const struct kipsec_flow *fl)
{
	const struct kipsec_sa *sa;
	__be32 _spi, *spi;

	spi = skb_header_pointer(skb, fl->thoff + sizeof(struct udphdr), sizeof(_spi), &_spi);
	if (!spi || !*spi)
		return false;
	sa = proto_sa(kn, fl->family, &fl->daddr, IPPROTO_ESP, *spi);
	return sa && sa->encap && ntohs(sa->encap_dport) == fl->dport;
}

static unsigned int kipsec_in_hook(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	struct kipsec_net *kn = kipsec_pernet(state->net);
	u32 dir = state->hook == NF_INET_LOCAL_IN ? KIPSEC_DIR_IN : KIPSEC_DIR_FWD;
	struct kipsec_rx *rx = this_cpu_ptr(&kipsec_rx);
	struct kipsec_sa *sa = rx->skb == skb ? rx->sa[rx->n - 1] : NULL;
	struct kipsec_policy *pol;
	struct kipsec_flow fl;

	if (!sa && list_empty(kipsec_spd_list(kn, dir)))
		return NF_ACCEPT;
	if (kipsec_flow_decode(skb, &fl)) {
		kipsec_stat_inc(kn, KIPSEC_A_STATS_IN_HDR_ERROR);
		return NF_DROP;
	}
	/*
	 * ESP and AH are checked by their handlers, and what they yield comes
	 * back here. That holds for an outer layer just removed, too (AH of a
	 * bundle): the ESP packet left is not yet what the policy is about.
	 */
	if (fl.proto == IPPROTO_ESP || fl.proto == IPPROTO_AH)
		return NF_ACCEPT;
	pol = kipsec_spd_lookup(kn, dir, &fl);
	if (sa) {
		if (pol && pol->action == KIPSEC_ACTION_PROTECT && path_matches(pol, rx))
			return NF_ACCEPT;
		/* As RFC 4301 5.2 and xfrm: transport mode may reach unprotected flows. */
		if ((!pol || pol->action == KIPSEC_ACTION_BYPASS) &&
		    sa->mode == KIPSEC_MODE_TRANSPORT)
			return NF_ACCEPT;
		/* A bundle's packet short of a layer (or through the wrong SAs). */
		if (pol && pol->ntmpl > 1)
			kipsec_stat_inc(kn, KIPSEC_A_STATS_IN_BUNDLE_INCOMPLETE);
		else
			kipsec_stat_inc(kn, KIPSEC_A_STATS_IN_TMPL_MISMATCH);
		return NF_DROP;
	}
	if (!pol || pol->action == KIPSEC_ACTION_BYPASS)
		return NF_ACCEPT;
	if (fl.proto == IPPROTO_UDP && esp_in_udp(kn, skb, &fl))
		return NF_ACCEPT;
	kipsec_stat_inc(kn, KIPSEC_A_STATS_IN_POLICY_BLOCK);
	return NF_DROP;
}

static const struct nf_hook_ops kipsec_in_ops[] = {
	{ .hook = kipsec_in_hook, .pf = NFPROTO_IPV4, .hooknum = NF_INET_LOCAL_IN,
	  .priority = NF_IP_PRI_FILTER + 10 },
	{ .hook = kipsec_in_hook, .pf = NFPROTO_IPV4, .hooknum = NF_INET_FORWARD,
	  .priority = NF_IP_PRI_FILTER + 10 },
	{ .hook = kipsec_in_hook, .pf = NFPROTO_IPV6, .hooknum = NF_INET_LOCAL_IN,
	  .priority = NF_IP6_PRI_FILTER + 10 },
	{ .hook = kipsec_in_hook, .pf = NFPROTO_IPV6, .hooknum = NF_INET_FORWARD,
	  .priority = NF_IP6_PRI_FILTER + 10 },
};

int kipsec_input_net_init(struct net *net)
{
	return nf_register_net_hooks(net, kipsec_in_ops, ARRAY_SIZE(kipsec_in_ops));
}

void kipsec_input_net_uninit(struct net *net)
{
	nf_unregister_net_hooks(net, kipsec_in_ops, ARRAY_SIZE(kipsec_in_ops));
}

int kipsec_input_init(void)
{
	int ret;

	ret = xfrm4_protocol_register(&kipsec_esp4, IPPROTO_ESP);
	if (ret)
		goto err_esp4;
	ret = xfrm6_protocol_register(&kipsec_esp6, IPPROTO_ESP);
	if (ret)
		goto err_esp6;
	ret = xfrm4_protocol_register(&kipsec_ah4, IPPROTO_AH);
	if (ret)
		goto err_ah4;
	ret = xfrm6_protocol_register(&kipsec_ah6, IPPROTO_AH);
	if (ret)
		goto err_ah6;
	return 0;

err_ah6:
	xfrm4_protocol_deregister(&kipsec_ah4, IPPROTO_AH);
err_ah4:
	xfrm6_protocol_deregister(&kipsec_esp6, IPPROTO_ESP);
err_esp6:
	xfrm4_protocol_deregister(&kipsec_esp4, IPPROTO_ESP);
err_esp4:
	return ret;
}

void kipsec_input_uninit(void)
{
	xfrm6_protocol_deregister(&kipsec_ah6, IPPROTO_AH);
	xfrm4_protocol_deregister(&kipsec_ah4, IPPROTO_AH);
	xfrm6_protocol_deregister(&kipsec_esp6, IPPROTO_ESP);
	xfrm4_protocol_deregister(&kipsec_esp4, IPPROTO_ESP);
}
