// SPDX-License-Identifier: GPL-2.0
/*
 * AH (RFC 4302): computing and verifying the ICV of a laid-out packet with
 * the SA's keyed hash (an ahash transform: hmac(shaN) or xcbc(aes)).
 *
 * The ICV covers the IP headers in front of AH with their mutable fields
 * zeroed, the AH header with a zero ICV field, the payload and, with ESN,
 * the high 32 bits of the sequence number appended at the end (RFC 4302
 * 3.3.3.5). The IP headers are copied into the request and zeroed there,
 * not in the packet, so nothing has to be restored afterwards, whether the
 * hash completes synchronously or asynchronously; the scatterlist is that
 * copy, then the packet from the AH header on, then the high sequence bits.
 *
 * Mutable fields as native xfrm (ah4.c, ah6.c) treats them, which is what a
 * peer verifies against: IPv4 TOS, flags + fragment offset, TTL, checksum,
 * and every option but the security, router alert and SDMDD options
 * (RFC 4302 3.3.3.1.1); with loose or strict source routing, the final
 * destination (the option's last address) stands in for the destination on
 * output. IPv6 traffic class, flow label, hop limit; in hop-by-hop and
 * destination options the data of options with the "may change" bit; a
 * routing header with segments left is rearranged to look as it will at the
 * final destination (RFC 4302 3.3.3.1.2, native's rearrangement). Not
 * done: the Mobile IPv6 home address option swap (native does it on output
 * when the kernel has MIP6).
 *
 * Layout: AH headers kipsec sends are padded to 64 bits, as native's are
 * by default for IPv4 too (allowed by RFC 4302 2.2), or to 32 bits for an
 * IPv4 SA with ah-align4 (native's XFRM_STATE_ALIGN4, which strongSwan
 * sets); input accepts 32-bit padding for IPv4 as well. The ICV is the
 * first icvlen bytes of the field;
 * padding after it is zero on output and hashed as received on input.
 *
 * The caller owns a linear, writable skb whose IP headers are final (lengths
 * included). A request the crypto layer takes (-EINPROGRESS) owns the packet
 * until @done runs; it holds an SA reference until then.
 */
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "ah.h"
#include "sa.h"

/* IPv4 options RFC 4302 table A-1 (and native) call immutable, besides 130, 134, 148. */
#define AH_IPOPT_XSEC	0x85	/* extended security (RFC 1108) */
#define AH_IPOPT_SDMDD	0x95	/* sender directed multi-destination delivery (RFC 1770) */

/* The option type bit that says "may change en route" (RFC 8200 4.2). */
#define AH_IPV6_OPT_MUTABLE	0x20

struct ah_req {
	struct sk_buff *skb;
	struct kipsec_sa *sa;
	kipsec_ah_done_t done;
	u64 seq;
	u8 *auth;			/* the packet's ICV field */
	bool out;
	__be32 seqhi;
	u8 icv[KIPSEC_AH_MAX_ICV];	/* input: the ICV as received */
	u8 digest[HASH_MAX_DIGESTSIZE];
	struct scatterlist sg[3];
	u8 hdr[];			/* copy of the IP headers, then the ahash request */
};

static struct ahash_request *ah_req_hash(struct ah_req *r, unsigned int hl)
{
	return PTR_ALIGN((void *)(r->hdr + hl), crypto_tfm_ctx_alignment());
}

static struct ah_req *ah_req_alloc(struct kipsec_sa *sa, unsigned int hl)
{
	size_t len = sizeof(struct ah_req) + hl + crypto_tfm_ctx_alignment() +
		     sizeof(struct ahash_request) + crypto_ahash_reqsize(sa->ahash);

	return kmalloc(len, GFP_ATOMIC);
}

static void ah_req_free(struct ah_req *r)
{
	/* The request context holds HMAC state derived from the key. */
	kfree_sensitive(r);
}

/* The digest is there: write the ICV (output) or compare it (input). */
static int ah_finish(struct ah_req *r)
{
	unsigned int icvlen = r->sa->icvlen;

	if (r->out) {
		memcpy(r->auth, r->digest, icvlen);
		return 0;
	}
	return crypto_memneq(r->digest, r->icv, icvlen) ? -EBADMSG : 0;
}

static void ah_async_done(struct crypto_async_request *base, int err)
{
	struct ah_req *r = base->data;
	struct kipsec_sa *sa = r->sa;

	if (!err)
		err = ah_finish(r);
	r->done(r->skb, sa, r->seq, err);
	ah_req_free(r);
	kipsec_sa_put(sa);
}

/*
 * Hash the header copy (@hl bytes), @len bytes of packet at @data and the
 * high sequence bits. Returns 0 or an error when done synchronously,
 * -EINPROGRESS when the callback will finish.
 */
static int ah_submit(struct ah_req *r, u8 *data, unsigned int len, unsigned int hl)
{
	struct kipsec_sa *sa = r->sa;
	struct ahash_request *req = ah_req_hash(r, hl);
	unsigned int n = sa->esn ? 3 : 2;
	int err;

	sg_init_table(r->sg, n);
	sg_set_buf(&r->sg[0], r->hdr, hl);
	sg_set_buf(&r->sg[1], data, len);
	if (sa->esn) {
		r->seqhi = htonl(upper_32_bits(r->seq));
		sg_set_buf(&r->sg[2], &r->seqhi, sizeof(r->seqhi));
	}
	ahash_request_set_tfm(req, sa->ahash);
	ahash_request_set_callback(req, 0, ah_async_done, r);
	ahash_request_set_crypt(req, r->sg, r->digest,
				hl + len + (sa->esn ? sizeof(r->seqhi) : 0));

	kipsec_sa_hold(sa);
	err = crypto_ahash_digest(req);
	if (err == -EINPROGRESS)
		return err;
	/* Without MAY_BACKLOG, -EBUSY means the queue was full: dropped. */
	if (err == -EBUSY)
		err = -ENOBUFS;
	if (!err)
		err = ah_finish(r);
	ah_req_free(r);
	kipsec_sa_put(sa);
	return err;
}

unsigned int kipsec_ah_hlen(const struct kipsec_sa *sa)
{
	return ALIGN(KIPSEC_AH_HLEN + sa->icvlen, sa->ah_align4 ? 4 : 8);
}

/* Header lengths input accepts: 64-bit padding, or 32-bit for IPv4. */
static bool ah_hlen_ok(const struct kipsec_sa *sa, unsigned int len)
{
	return len == ALIGN(KIPSEC_AH_HLEN + sa->icvlen, 8) ||
	       (sa->id.family == AF_INET && len == ALIGN(KIPSEC_AH_HLEN + sa->icvlen, 4));
}

/*
 * IPv4 header and options (@hl bytes, a private copy): zero what the ICV
 * does not cover. @out: the packet is leaving, so a source route's final
 * destination replaces the next hop as destination.
 */
int kipsec_ah_mutable4(u8 *hdr, unsigned int hl, bool out)
{
	struct iphdr *iph = (struct iphdr *)hdr;
	unsigned int left, olen;
	u8 *opt;

	if (hl < sizeof(*iph) || iph->ihl * 4 != hl)
		return -EINVAL;
	iph->tos = 0;
	iph->frag_off = 0;
	iph->ttl = 0;
	iph->check = 0;

	opt = hdr + sizeof(*iph);
	left = hl - sizeof(*iph);
	while (left) {
		if (opt[0] == IPOPT_END)
			break;		/* the rest is padding */
		if (opt[0] == IPOPT_NOOP) {
			opt++;
			left--;
			continue;
		}
		if (left < 2 || opt[1] < 2 || opt[1] > left)
			return -EINVAL;
		olen = opt[1];
		switch (opt[0]) {
		case IPOPT_SEC:
		case AH_IPOPT_XSEC:
		case IPOPT_CIPSO:
		case IPOPT_RA:
		case AH_IPOPT_SDMDD:
			break;
		case IPOPT_LSRR:
		case IPOPT_SSRR:
			/* Type, length, pointer and at least one address. */
			if (olen < 7)
				return -EINVAL;
			if (out)
				memcpy(&iph->daddr, opt + olen - 4, 4);
			fallthrough;
		default:
			memset(opt, 0, olen);
		}
		opt += olen;
		left -= olen;
	}
	return 0;
}

/* Hop-by-hop or destination options (@len bytes): zero mutable option data. */
static int ah_zero_tlvs(u8 *eh, unsigned int len)
{
	unsigned int off = 2, olen;

	while (off < len) {
		if (eh[off] == IPV6_TLV_PAD1) {
			off++;
			continue;
		}
		if (len - off < 2)
			return -EINVAL;
		olen = eh[off + 1] + 2;
		if (olen > len - off)
			return -EINVAL;
		if (eh[off] & AH_IPV6_OPT_MUTABLE)
			memset(eh + off + 2, 0, olen - 2);
		off += olen;
	}
	return 0;
}

/*
 * A routing header with segments left: make destination and address list
 * look as they will at the final destination (RFC 2402 appendix A2, the
 * type 0 layout native applies to every type).
 */
static int ah_rearrange_rthdr(struct ipv6hdr *ip6h, u8 *rt)
{
	unsigned int segments = rt[1] >> 1, left = rt[3];
	struct in6_addr *addrs = (struct in6_addr *)(rt + 8);
	struct in6_addr final;

	if (!left)
		return 0;
	if (left > segments)
		return -EINVAL;
	rt[3] = 0;
	final = addrs[segments - 1];
	addrs += segments - left;
	memmove(addrs + 1, addrs, (left - 1) * sizeof(*addrs));
	addrs[0] = ip6h->daddr;
	ip6h->daddr = final;
	return 0;
}

/*
 * IPv6 header and the extension headers before AH (@hl bytes, a private
 * copy): zero what the ICV does not cover. Only hop-by-hop, destination
 * options and routing headers may come before AH.
 */
int kipsec_ah_mutable6(u8 *hdr, unsigned int hl)
{
	struct ipv6hdr *ip6h = (struct ipv6hdr *)hdr;
	unsigned int off = sizeof(*ip6h), len;
	u8 nexthdr;
	int err;

	if (hl < sizeof(*ip6h))
		return -EINVAL;
	ip6h->priority = 0;
	memset(ip6h->flow_lbl, 0, sizeof(ip6h->flow_lbl));
	ip6h->hop_limit = 0;

	nexthdr = ip6h->nexthdr;
	while (off < hl) {
		u8 *eh = hdr + off;

		if (hl - off < 8)
			return -EINVAL;
		len = (eh[1] + 1) * 8;
		if (len > hl - off)
			return -EINVAL;
		switch (nexthdr) {
		case NEXTHDR_HOP:
		case NEXTHDR_DEST:
			err = ah_zero_tlvs(eh, len);
			break;
		case NEXTHDR_ROUTING:
			err = ah_rearrange_rthdr(ip6h, eh);
			break;
		default:
			err = -EINVAL;
		}
		if (err)
			return err;
		nexthdr = eh[0];
		off += len;
	}
	return 0;
}

static int ah_mutable(const struct kipsec_sa *sa, u8 *hdr, unsigned int hl, bool out)
{
	if (sa->id.family == AF_INET)
		return kipsec_ah_mutable4(hdr, hl, out);
	return kipsec_ah_mutable6(hdr, hl);
}

static struct ah_req *ah_prepare(struct kipsec_sa *sa, struct sk_buff *skb, const u8 *iph,
				 unsigned int hl, u64 seq, kipsec_ah_done_t done, bool out)
{
	struct ah_req *r = ah_req_alloc(sa, hl);

	if (!r)
		return ERR_PTR(-ENOMEM);
	r->skb = skb;
	r->sa = sa;
	r->done = done;
	r->seq = seq;
	r->out = out;
	memcpy(r->hdr, iph, hl);
	if (ah_mutable(sa, r->hdr, hl, out)) {
		ah_req_free(r);
		return ERR_PTR(-EINVAL);
	}
	return r;
}

/*
 * Output: the IP headers (final, lengths included) at skb->data, room for
 * the AH header at @ah_off, the payload after it up to skb->len.
 */
int kipsec_ah_output(struct kipsec_sa *sa, struct sk_buff *skb, unsigned int ah_off,
		     u8 nexthdr, u64 seq, kipsec_ah_done_t done)
{
	unsigned int ah_len = kipsec_ah_hlen(sa);
	struct ip_auth_hdr *ah = (struct ip_auth_hdr *)(skb->data + ah_off);
	struct ah_req *r;

	ah->nexthdr = nexthdr;
	ah->hdrlen = (ah_len >> 2) - 2;
	ah->reserved = 0;
	ah->spi = sa->id.spi;
	ah->seq_no = htonl(lower_32_bits(seq));
	memset(ah->auth_data, 0, ah_len - KIPSEC_AH_HLEN);
	skb_set_transport_header(skb, ah_off);

	r = ah_prepare(sa, skb, skb->data, ah_off, seq, done, true);
	if (IS_ERR(r))
		return PTR_ERR(r);
	r->auth = ah->auth_data;
	return ah_submit(r, skb->data + ah_off, skb->len - ah_off, ah_off);
}

/*
 * Input: the AH header at skb->data, the IP headers in front of it from
 * the network header on. Verifies in place (the ICV field is zeroed); the
 * transport header is left at the AH header.
 */
int kipsec_ah_input(struct kipsec_sa *sa, struct sk_buff *skb, u64 seq, kipsec_ah_done_t done)
{
	unsigned int hl = skb->data - skb_network_header(skb);
	struct ip_auth_hdr *ah = (struct ip_auth_hdr *)skb->data;
	struct ah_req *r;

	if (skb->len < KIPSEC_AH_HLEN || skb->len < (ah->hdrlen + 2) * 4 ||
	    !ah_hlen_ok(sa, (ah->hdrlen + 2) * 4))
		return -EINVAL;
	r = ah_prepare(sa, skb, skb_network_header(skb), hl, seq, done, false);
	if (IS_ERR(r))
		return PTR_ERR(r);
	memcpy(r->icv, ah->auth_data, sa->icvlen);
	memset(ah->auth_data, 0, sa->icvlen);
	skb_reset_transport_header(skb);
	return ah_submit(r, skb->data, skb->len, hl);
}
