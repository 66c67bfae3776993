// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of kmod/flow.c: packets built header by header, decoded
 * into what selectors match on.
 */
#include <kunit/test.h>
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "../../kmod/flow.h"

#define SRC4 cpu_to_be32(0xc0000201)	/* 192.0.2.1 */
#define DST4 cpu_to_be32(0xc6336402)	/* 198.51.100.2 */

static const u8 tcp_1234_80[20] = { 0x04, 0xd2, 0x00, 0x50 };
static const u8 udp_5000_53[8] = { 0x13, 0x88, 0x00, 0x35, 0x00, 0x08 };
static const u8 icmp_echo[8] = { 8, 0 };
static const u8 icmp6_echo[8] = { 128, 0 };

/* An skb whose network header is @hdr followed by @l4; freed by the test. */
static struct sk_buff *make_skb(struct kunit *test, const void *hdr, size_t hlen,
				const void *l4, size_t l4len)
{
	struct sk_buff *skb = alloc_skb(64 + hlen + l4len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 32);
	skb_reset_network_header(skb);
	skb_put_data(skb, hdr, hlen);
	if (l4len)
		skb_put_data(skb, l4, l4len);
	return skb;
}

static int decode_v4(struct kunit *test, u8 proto, u16 frag, const void *opts, int optlen,
		     const void *l4, size_t l4len, struct kipsec_flow *fl)
{
	u8 hdr[60] = {};
	struct iphdr *iph = (struct iphdr *)hdr;
	struct sk_buff *skb;
	int ret;

	iph->version = 4;
	iph->ihl = 5 + optlen / 4;
	iph->ttl = 64;
	iph->protocol = proto;
	iph->frag_off = htons(frag);
	iph->saddr = SRC4;
	iph->daddr = DST4;
	memcpy(hdr + sizeof(*iph), opts, optlen);
	skb = make_skb(test, hdr, iph->ihl * 4, l4, l4len);
	ret = kipsec_flow_decode(skb, fl);
	kfree_skb(skb);
	return ret;
}

static void kipsec_flow_v4_tcp_test(struct kunit *test)
{
	struct kipsec_flow fl;

	KUNIT_ASSERT_EQ(test, decode_v4(test, IPPROTO_TCP, 0, NULL, 0, tcp_1234_80,
					sizeof(tcp_1234_80), &fl), 0);
	KUNIT_EXPECT_EQ(test, fl.family, AF_INET);
	KUNIT_EXPECT_EQ(test, fl.proto, IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, fl.saddr.a4, SRC4);
	KUNIT_EXPECT_EQ(test, fl.daddr.a4, DST4);
	KUNIT_EXPECT_EQ(test, fl.sport, 1234);
	KUNIT_EXPECT_EQ(test, fl.dport, 80);
	KUNIT_EXPECT_FALSE(test, fl.ports_opaque);
}

static void kipsec_flow_v4_options_then_udp_test(struct kunit *test)
{
	static const u8 nops[4] = { IPOPT_NOP, IPOPT_NOP, IPOPT_NOP, IPOPT_END };
	struct kipsec_flow fl;

	KUNIT_ASSERT_EQ(test, decode_v4(test, IPPROTO_UDP, 0, nops, sizeof(nops), udp_5000_53,
					sizeof(udp_5000_53), &fl), 0);
	KUNIT_EXPECT_EQ(test, fl.sport, 5000);
	KUNIT_EXPECT_EQ(test, fl.dport, 53);
}

static void kipsec_flow_v4_icmp_type_code_test(struct kunit *test)
{
	struct kipsec_flow fl;

	KUNIT_ASSERT_EQ(test, decode_v4(test, IPPROTO_ICMP, 0, NULL, 0, icmp_echo,
					sizeof(icmp_echo), &fl), 0);
	KUNIT_EXPECT_EQ(test, fl.sport, ICMP_ECHO);
	KUNIT_EXPECT_EQ(test, fl.dport, 0);
}

static void kipsec_flow_v4_fragments_test(struct kunit *test)
{
	struct kipsec_flow fl;

	/* First fragment (MF set, offset 0): ports are there. */
	KUNIT_ASSERT_EQ(test, decode_v4(test, IPPROTO_TCP, IP_MF, NULL, 0, tcp_1234_80,
					sizeof(tcp_1234_80), &fl), 0);
	KUNIT_EXPECT_FALSE(test, fl.ports_opaque);
	KUNIT_EXPECT_EQ(test, fl.dport, 80);
	/* Later fragment: no upper-layer header, ports opaque. */
	KUNIT_ASSERT_EQ(test, decode_v4(test, IPPROTO_TCP, 185, NULL, 0, tcp_1234_80,
					sizeof(tcp_1234_80), &fl), 0);
	KUNIT_EXPECT_TRUE(test, fl.ports_opaque);
	KUNIT_EXPECT_EQ(test, fl.dport, 0);
}

static void kipsec_flow_malformed_test(struct kunit *test)
{
	static const u8 junk[20] = { 0x55 };
	struct kipsec_flow fl;
	struct sk_buff *skb;

	/* Two bytes of TCP: too short to select on. */
	KUNIT_EXPECT_EQ(test, decode_v4(test, IPPROTO_TCP, 0, NULL, 0, tcp_1234_80, 2, &fl),
			-EINVAL);
	skb = make_skb(test, junk, sizeof(junk), NULL, 0);
	KUNIT_EXPECT_EQ(test, kipsec_flow_decode(skb, &fl), -EINVAL);
	kfree_skb(skb);
	/* A truncated IPv6 header. */
	skb = make_skb(test, "\x60\0\0\0\0\0\x11\x40", 8, NULL, 0);
	KUNIT_EXPECT_EQ(test, kipsec_flow_decode(skb, &fl), -EINVAL);
	kfree_skb(skb);
	skb = make_skb(test, NULL, 0, NULL, 0);
	KUNIT_EXPECT_EQ(test, kipsec_flow_decode(skb, &fl), -EINVAL);
	kfree_skb(skb);
}

/* IPv6 header + @ext (extension headers, the first of type @first) + @l4. */
static int decode_v6(struct kunit *test, u8 first, const void *ext, size_t extlen,
		     const void *l4, size_t l4len, struct kipsec_flow *fl)
{
	u8 hdr[sizeof(struct ipv6hdr) + 64] = {};
	struct ipv6hdr *ip6h = (struct ipv6hdr *)hdr;
	struct sk_buff *skb;
	int ret;

	ip6h->version = 6;
	ip6h->nexthdr = first;
	ip6h->hop_limit = 64;
	ip6h->payload_len = htons(extlen + l4len);
	ipv6_addr_set(&ip6h->saddr, htonl(0x20010db8), htonl(1), 0, htonl(5));
	ipv6_addr_set(&ip6h->daddr, htonl(0x20010db8), htonl(2), 0, htonl(9));
	memcpy(hdr + sizeof(*ip6h), ext, extlen);
	skb = make_skb(test, hdr, sizeof(*ip6h) + extlen, l4, l4len);
	ret = kipsec_flow_decode(skb, fl);
	kfree_skb(skb);
	return ret;
}

static void kipsec_flow_v6_udp_test(struct kunit *test)
{
	struct kipsec_flow fl;
	struct in6_addr want;

	KUNIT_ASSERT_EQ(test, decode_v6(test, IPPROTO_UDP, NULL, 0, udp_5000_53,
					sizeof(udp_5000_53), &fl), 0);
	KUNIT_EXPECT_EQ(test, fl.family, AF_INET6);
	KUNIT_EXPECT_EQ(test, fl.proto, IPPROTO_UDP);
	ipv6_addr_set(&want, htonl(0x20010db8), htonl(2), 0, htonl(9));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&fl.daddr.a6, &want));
	KUNIT_EXPECT_EQ(test, fl.sport, 5000);
	KUNIT_EXPECT_EQ(test, fl.dport, 53);
}

static void kipsec_flow_v6_extension_headers_test(struct kunit *test)
{
	/* Hop-by-hop then destination options (each 8 bytes, PadN), then TCP. */
	static const u8 ext[16] = {
		NEXTHDR_DEST, 0, 1, 4, 0, 0, 0, 0,
		NEXTHDR_TCP, 0, 1, 4, 0, 0, 0, 0,
	};
	struct kipsec_flow fl;

	KUNIT_ASSERT_EQ(test, decode_v6(test, NEXTHDR_HOP, ext, sizeof(ext), tcp_1234_80,
					sizeof(tcp_1234_80), &fl), 0);
	KUNIT_EXPECT_EQ(test, fl.proto, IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, fl.sport, 1234);
	KUNIT_EXPECT_EQ(test, fl.dport, 80);
}

static void kipsec_flow_v6_ah_ends_walk_test(struct kunit *test)
{
	/* Destination options, then AH (hdrlen 4: 24 bytes, ICV 12), then TCP. */
	static const u8 ext[32] = {
		NEXTHDR_AUTH, 0, 1, 4, 0, 0, 0, 0,
		NEXTHDR_TCP, 4, 0, 0, 0, 0, 0x10, 0x01, 0, 0, 0, 1,
	};
	struct kipsec_flow fl;

	/* The flow is AH's (input.c verifies it), not the TCP it carries. */
	KUNIT_ASSERT_EQ(test, decode_v6(test, NEXTHDR_DEST, ext, sizeof(ext), tcp_1234_80,
					sizeof(tcp_1234_80), &fl), 0);
	KUNIT_EXPECT_EQ(test, fl.proto, IPPROTO_AH);
	KUNIT_EXPECT_EQ(test, fl.sport, 0);
	KUNIT_EXPECT_EQ(test, fl.dport, 0);
}

static void kipsec_flow_v6_fragments_test(struct kunit *test)
{
	/* Fragment header: next UDP, offset 1 (8 bytes) / offset 0 with M set. */
	static const u8 later[8] = { NEXTHDR_UDP, 0, 0x00, 0x08, 0, 0, 0, 1 };
	static const u8 first[8] = { NEXTHDR_UDP, 0, 0x00, 0x01, 0, 0, 0, 1 };
	struct kipsec_flow fl;

	KUNIT_ASSERT_EQ(test, decode_v6(test, NEXTHDR_FRAGMENT, later, sizeof(later),
					udp_5000_53, sizeof(udp_5000_53), &fl), 0);
	KUNIT_EXPECT_EQ(test, fl.proto, IPPROTO_UDP);
	KUNIT_EXPECT_TRUE(test, fl.ports_opaque);
	KUNIT_ASSERT_EQ(test, decode_v6(test, NEXTHDR_FRAGMENT, first, sizeof(first),
					udp_5000_53, sizeof(udp_5000_53), &fl), 0);
	KUNIT_EXPECT_FALSE(test, fl.ports_opaque);
	KUNIT_EXPECT_EQ(test, fl.dport, 53);
}

static void kipsec_flow_v6_icmp_test(struct kunit *test)
{
	struct kipsec_flow fl;

	KUNIT_ASSERT_EQ(test, decode_v6(test, IPPROTO_ICMPV6, NULL, 0, icmp6_echo,
					sizeof(icmp6_echo), &fl), 0);
	KUNIT_EXPECT_EQ(test, fl.sport, 128);
	KUNIT_EXPECT_EQ(test, fl.dport, 0);
}

static struct kunit_case kipsec_flow_test_cases[] = {
	KUNIT_CASE(kipsec_flow_v4_tcp_test),
	KUNIT_CASE(kipsec_flow_v4_options_then_udp_test),
	KUNIT_CASE(kipsec_flow_v4_icmp_type_code_test),
	KUNIT_CASE(kipsec_flow_v4_fragments_test),
	KUNIT_CASE(kipsec_flow_malformed_test),
	KUNIT_CASE(kipsec_flow_v6_udp_test),
	KUNIT_CASE(kipsec_flow_v6_extension_headers_test),
	KUNIT_CASE(kipsec_flow_v6_ah_ends_walk_test),
	KUNIT_CASE(kipsec_flow_v6_fragments_test),
	KUNIT_CASE(kipsec_flow_v6_icmp_test),
	{}
};

static struct kunit_suite kipsec_flow_suite = {
	.name = "kipsec_flow",
	.test_cases = kipsec_flow_test_cases,
};

kunit_test_suite(kipsec_flow_suite);
