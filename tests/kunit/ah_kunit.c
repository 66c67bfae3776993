// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of kmod/ah.c, the AH (RFC 4302) transform, with SAs made by
 * kmod/sa.c exactly as sa-add makes them.
 *
 * Known answers: AH packets native xfrm (net/ipv4/ah4.c, net/ipv6/ah6.c of
 * Debian's 6.1.0-56 kernel) sent in tests/vm/t/esp_interop.sh, case
 * "xfrm-kipsec_ALG_MODE_FAMILY", captured with tcpdump on the sender's veth
 * (build/vm/esp_interop/stock/capture-left.pcap), with the random keys that
 * run used (cases.tsv). The IP header is the first byte of each array.
 * Input must verify them; output, given the same headers and payload, must
 * produce the same ICV, bit for bit (where native zeroed the padding after
 * the ICV: it does not always, see the SHA-384 packet). Changing a mutable
 * field of the outer header (TOS, TTL, flags, checksum; traffic class, flow
 * label, hop limit) must not matter; changing any other byte must.
 *
 * The mutable-field rules themselves: IPv4 options and IPv6 extension
 * headers in front of AH, zeroed or rearranged as RFC 4302 3.3.3.1 says.
 */
#include <asm/unaligned.h>
#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "../../kmod/ah.h"
#include "../../kmod/sa.h"

#define AH_TEST_ROOM	64

/* hmac(sha1), tunnel mode, from native xfrm: SPI 0x00090001, sequence 4 */
static const u8 ah_sha1_tunnel_v6in4_key[] = {
	0x62, 0x71, 0x45, 0x93, 0xb4, 0xa8, 0x3a, 0xdd, 0x46, 0x00, 0x01, 0xc1,
	0x6c, 0x61, 0x81, 0x29, 0xe6, 0x33, 0x03, 0xe9
};

static const u8 ah_sha1_tunnel_v6in4_pkt[] = {
	0x45, 0x00, 0x00, 0x94, 0x6c, 0x13, 0x40, 0x00, 0x40, 0x33, 0xe8, 0xcf,
	0xc0, 0xa8, 0x32, 0x01, 0xc0, 0xa8, 0x32, 0x02, 0x29, 0x04, 0x00, 0x00,
	0x00, 0x09, 0x00, 0x01, 0x00, 0x00, 0x00, 0x04, 0x6c, 0xb3, 0xaa, 0xae,
	0xd6, 0xc9, 0xb5, 0xed, 0xde, 0xbd, 0x0f, 0xc0, 0x60, 0x03, 0x28, 0xaf,
	0x00, 0x40, 0x3a, 0x40, 0xfd, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xfd, 0x00, 0x00, 0x02,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x80, 0x00, 0xfb, 0x74, 0x02, 0xad, 0x00, 0x00, 0x90, 0x53, 0xf7, 0x08,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00
};

/* hmac(sha256), tunnel mode, from native xfrm: SPI 0x00070001, sequence 1 */
static const u8 ah_sha256_tunnel_v4_key[] = {
	0x9f, 0xde, 0x1c, 0xae, 0xcb, 0xae, 0x28, 0x43, 0x57, 0x24, 0x12, 0x67,
	0x19, 0xe8, 0x81, 0x44, 0xfd, 0x7e, 0xb7, 0xb6, 0xc7, 0x7b, 0x1e, 0x9e,
	0x05, 0x3c, 0xca, 0x19, 0xd0, 0x64, 0x64, 0x55
};

static const u8 ah_sha256_tunnel_v4_pkt[] = {
	0x45, 0x00, 0x00, 0x88, 0xd8, 0x82, 0x40, 0x00, 0x40, 0x33, 0x7c, 0x6c,
	0xc0, 0xa8, 0x32, 0x01, 0xc0, 0xa8, 0x32, 0x02, 0x04, 0x06, 0x00, 0x00,
	0x00, 0x07, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x6a, 0xf6, 0x04, 0xe9,
	0x4a, 0x5a, 0xf4, 0xc6, 0x9a, 0x9d, 0xab, 0x91, 0x26, 0x94, 0xd1, 0x89,
	0x00, 0x00, 0x00, 0x00, 0x45, 0x00, 0x00, 0x54, 0xf1, 0xd4, 0x40, 0x00,
	0x40, 0x01, 0x31, 0xd3, 0x0a, 0x00, 0x01, 0x01, 0x0a, 0x00, 0x02, 0x01,
	0x08, 0x00, 0x88, 0x62, 0x02, 0x69, 0x00, 0x00, 0x69, 0x2c, 0x04, 0x08,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00
};

/* hmac(sha384), transport mode, from native xfrm: SPI 0x000b0001, sequence 1 */
static const u8 ah_sha384_transport_v4_key[] = {
	0x6e, 0x67, 0xcb, 0x7f, 0x4b, 0x8a, 0xfd, 0x90, 0x6f, 0x99, 0x60, 0x14,
	0xa6, 0xd0, 0xee, 0x82, 0x5c, 0xea, 0xa8, 0x59, 0xab, 0xa6, 0xee, 0x49,
	0xe3, 0x04, 0xde, 0x46, 0x73, 0xf6, 0x3e, 0xbb, 0x89, 0x3b, 0x3b, 0xb5,
	0x5c, 0x1e, 0x13, 0x49, 0x18, 0x57, 0x8c, 0x8b, 0x32, 0xff, 0xe4, 0x8c
};

static const u8 ah_sha384_transport_v4_pkt[] = {
	0x45, 0x00, 0x00, 0x7c, 0xf6, 0xf1, 0x40, 0x00, 0x40, 0x33, 0x2c, 0x5c,
	0x0a, 0x00, 0x01, 0x01, 0x0a, 0x00, 0x02, 0x01, 0x01, 0x08, 0x00, 0x00,
	0x00, 0x0b, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x63, 0xaf, 0x54, 0x5f,
	0x7c, 0x47, 0xa8, 0xa6, 0x99, 0xef, 0xc2, 0xb3, 0x61, 0x23, 0x77, 0x89,
	0x02, 0xbb, 0x2f, 0x59, 0x10, 0x8f, 0xfd, 0x4c, 0x0a, 0x00, 0x02, 0x01,
	0x08, 0x00, 0xe7, 0x77, 0x02, 0xf1, 0x00, 0x00, 0x3d, 0x8d, 0xd0, 0x09,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00
};

/* hmac(sha512), tunnel mode, from native xfrm: SPI 0x00080001, sequence 1 */
static const u8 ah_sha512_tunnel_v6_key[] = {
	0x70, 0x0c, 0xc4, 0x6d, 0xe0, 0x77, 0xb6, 0x77, 0x70, 0x9a, 0x0d, 0xb9,
	0x79, 0xe0, 0x4b, 0xd3, 0xdf, 0x0c, 0x03, 0xb1, 0x6c, 0xea, 0x22, 0xb9,
	0xd4, 0xd7, 0x9b, 0xe5, 0x21, 0x62, 0x11, 0xd5, 0x34, 0xd3, 0xa2, 0x57,
	0xe2, 0x8d, 0x3d, 0xdd, 0xb9, 0xe2, 0xec, 0xcb, 0x29, 0x3b, 0x1f, 0xbc,
	0x16, 0xe8, 0x27, 0x2a, 0xc7, 0xc8, 0xc6, 0x2b, 0xc7, 0x77, 0x73, 0x78,
	0x8d, 0x63, 0x09, 0x8f
};

static const u8 ah_sha512_tunnel_v6_pkt[] = {
	0x60, 0x03, 0x28, 0xaf, 0x00, 0x98, 0x33, 0x40, 0xfd, 0x00, 0x00, 0x50,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0xfd, 0x00, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x02, 0x29, 0x0a, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x01, 0x7e, 0x24, 0x4b, 0x28, 0xfc, 0x54, 0x2b, 0x7e,
	0x95, 0x7c, 0x65, 0x50, 0xeb, 0x4e, 0xe7, 0x2d, 0x5f, 0x83, 0x88, 0x33,
	0xcb, 0xb0, 0x3c, 0xef, 0xb2, 0x28, 0x36, 0xc5, 0x73, 0xbf, 0x27, 0x3f,
	0x00, 0x00, 0x00, 0x00, 0x60, 0x03, 0x28, 0xaf, 0x00, 0x40, 0x3a, 0x40,
	0xfd, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x01, 0xfd, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x80, 0x00, 0xf9, 0xb1,
	0x02, 0x8b, 0x00, 0x00, 0xf1, 0x38, 0x98, 0x08, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
};

/* xcbc(aes), tunnel mode, from native xfrm: SPI 0x000a0001, sequence 4 */
static const u8 ah_xcbc_tunnel_v4in6_key[] = {
	0x6a, 0x88, 0x99, 0x9a, 0xa5, 0xb7, 0x70, 0x72, 0x70, 0x24, 0x9b, 0xaa,
	0xac, 0x78, 0x63, 0xc0
};

static const u8 ah_xcbc_tunnel_v4in6_pkt[] = {
	0x60, 0x00, 0x00, 0x00, 0x00, 0x6c, 0x33, 0x40, 0xfd, 0x00, 0x00, 0x50,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0xfd, 0x00, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x02, 0x04, 0x04, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x04, 0x4a, 0xa4, 0xf4, 0xe1, 0xb2, 0x44, 0x90, 0x58,
	0x71, 0x57, 0x5e, 0x88, 0x45, 0x00, 0x00, 0x54, 0xf5, 0xe1, 0x40, 0x00,
	0x40, 0x01, 0x2d, 0xc6, 0x0a, 0x00, 0x01, 0x01, 0x0a, 0x00, 0x02, 0x01,
	0x08, 0x00, 0x9d, 0xc2, 0x02, 0xcf, 0x00, 0x00, 0xd9, 0x64, 0x7e, 0x09,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00
};

struct ah_vector {
	const char *name;
	const char *alg;
	const u8 *key, *pkt;
	unsigned int klen, len;
	u16 family;
	u8 mode;
	u64 seq;
	bool zero_pad;		/* native zeroed the ICV padding: output must match */
};

#define AH_VEC(n, a, fam, m, s, z) {						\
	.name = #n, .alg = a, .key = ah_##n##_key, .klen = sizeof(ah_##n##_key),	\
	.pkt = ah_##n##_pkt, .len = sizeof(ah_##n##_pkt), .family = fam,	\
	.mode = KIPSEC_MODE_##m, .seq = s, .zero_pad = z }

static const struct ah_vector ah_vectors[] = {
	AH_VEC(sha1_tunnel_v6in4, "hmac(sha1)", AF_INET, TUNNEL, 4, true),
	AH_VEC(sha256_tunnel_v4, "hmac(sha256)", AF_INET, TUNNEL, 1, true),
	AH_VEC(sha384_transport_v4, "hmac(sha384)", AF_INET, TRANSPORT, 1, false),
	AH_VEC(sha512_tunnel_v6, "hmac(sha512)", AF_INET6, TUNNEL, 1, true),
	AH_VEC(xcbc_tunnel_v4in6, "xcbc(aes)", AF_INET6, TUNNEL, 4, true),
};

static void ah_vector_desc(const struct ah_vector *v, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", v->name);
}

KUNIT_ARRAY_PARAM(ah_vector, ah_vectors, ah_vector_desc);

/* One request in flight: the done callback finds it through skb->cb. */
struct ah_wait {
	struct completion done;
	int err;
};

static void ah_test_done(struct sk_buff *skb, struct kipsec_sa *sa, u64 seq, int err)
{
	struct ah_wait *w = *(struct ah_wait **)skb->cb;

	w->err = err;
	complete(&w->done);
}

static int ah_run(struct kipsec_sa *sa, struct sk_buff *skb, bool out, unsigned int hl,
		  u8 nexthdr, u64 seq)
{
	struct ah_wait w;
	int err;

	init_completion(&w.done);
	w.err = -ETIME;
	*(struct ah_wait **)skb->cb = &w;
	if (out)
		err = kipsec_ah_output(sa, skb, hl, nexthdr, seq, ah_test_done);
	else
		err = kipsec_ah_input(sa, skb, seq, ah_test_done);
	if (err == -EINPROGRESS) {
		wait_for_completion(&w.done);
		err = w.err;
	}
	return err;
}

/* SAs are freed at the test's end, as in esp_kunit.c (async completions). */
static int ah_sa_res_init(struct kunit_resource *res, void *sa)
{
	res->data = sa;
	return 0;
}

static void ah_sa_res_free(struct kunit_resource *res)
{
	struct kipsec_sa *sa = res->data;

	percpu_ref_kill(&sa->ref);
}

static struct kipsec_sa *ah_sa(struct kunit *test, u16 family, const void *daddr, __be32 spi,
			       const char *alg, const u8 *key, unsigned int klen, bool esn)
{
	struct kipsec_net *kn = test->priv;
	struct kipsec_sa_config cfg = {};
	struct kipsec_sa *sa;
	int bad = 0;

	cfg.id.family = family;
	memcpy(&cfg.id.daddr, daddr, kipsec_addr_len(family));
	cfg.id.spi = spi;
	cfg.id.proto = IPPROTO_AH;
	cfg.mode = KIPSEC_MODE_TUNNEL;
	cfg.esn = esn;
	cfg.replay_window = 64;
	cfg.auth_alg = alg;
	cfg.auth_key = key;
	cfg.auth_keylen = klen;
	sa = kipsec_sa_create(kn, &cfg, NULL, &bad);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(sa), "%s: error %ld, attribute %d", alg,
			       PTR_ERR(sa), bad);
	return kunit_alloc_resource(test, ah_sa_res_init, ah_sa_res_free, GFP_KERNEL, sa);
}

static unsigned int ah_vec_hl(const struct ah_vector *v)
{
	return v->family == AF_INET ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
}

static struct kipsec_sa *ah_vec_sa(struct kunit *test, const struct ah_vector *v)
{
	unsigned int hl = ah_vec_hl(v);
	const void *daddr = v->pkt + (v->family == AF_INET ? 16 : 24);
	__be32 spi;

	memcpy(&spi, v->pkt + hl + 4, sizeof(spi));
	return ah_sa(test, v->family, daddr, spi, v->alg, v->key, v->klen, false);
}

/* An skb holding @pkt (@len bytes), network header at its start. */
static struct sk_buff *ah_skb(struct kunit *test, const u8 *pkt, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(AH_TEST_ROOM + len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, AH_TEST_ROOM);
	skb_reset_network_header(skb);
	skb_put_data(skb, pkt, len);
	return skb;
}

/* Verify a copy of @pkt with byte @off XORed with @flip (no change if 0). */
static int ah_verify(struct kunit *test, struct kipsec_sa *sa, const struct ah_vector *v,
		     unsigned int off, u8 flip)
{
	struct sk_buff *skb = ah_skb(test, v->pkt, v->len);
	int err;

	skb->data[off] ^= flip;
	skb_pull(skb, ah_vec_hl(v));
	err = ah_run(sa, skb, false, 0, 0, v->seq);
	kfree_skb(skb);
	return err;
}

static void kipsec_ah_input_native_vector_test(struct kunit *test)
{
	const struct ah_vector *v = test->param_value;
	struct kipsec_sa *sa = ah_vec_sa(test, v);

	KUNIT_EXPECT_EQ(test, ah_verify(test, sa, v, 0, 0), 0);
	/* The last payload byte, and the high half of a wrong sequence number. */
	KUNIT_EXPECT_EQ(test, ah_verify(test, sa, v, v->len - 1, 0x01), -EBADMSG);
	KUNIT_EXPECT_EQ(test, ah_verify(test, sa, v, ah_vec_hl(v) + 8, 0x80), -EBADMSG);
}

/* Outer header bytes whose change the ICV must not notice, or must. */
static const u8 ah_mutable4[] = { 1, 6, 7, 8, 10, 11 };		/* TOS, flags+offset, TTL, csum */
static const u8 ah_immutable4[] = { 2, 3, 4, 5, 9, 12, 15, 16, 19 };	/* len, id, proto, addrs */
static const u8 ah_mutable6[] = { 0, 1, 2, 3, 7 };	/* traffic class, flow label, hop limit */
static const u8 ah_immutable6[] = { 4, 5, 6, 8, 23, 24, 39 };	/* length, next header, addrs */

static void kipsec_ah_input_mutable_fields_test(struct kunit *test)
{
	const struct ah_vector *v = test->param_value;
	struct kipsec_sa *sa = ah_vec_sa(test, v);
	bool v4 = v->family == AF_INET;
	const u8 *mut = v4 ? ah_mutable4 : ah_mutable6;
	const u8 *imm = v4 ? ah_immutable4 : ah_immutable6;
	unsigned int nmut = v4 ? sizeof(ah_mutable4) : sizeof(ah_mutable6);
	unsigned int nimm = v4 ? sizeof(ah_immutable4) : sizeof(ah_immutable6);
	unsigned int i;

	for (i = 0; i < nmut; i++) {
		/* IPv6's version nibble is not mutable: flip the traffic class bits only. */
		u8 flip = !v4 && mut[i] == 0 ? 0x0f : 0x10;

		KUNIT_EXPECT_EQ_MSG(test, ah_verify(test, sa, v, mut[i], flip), 0,
				    "mutable header byte %u changed", mut[i]);
	}
	for (i = 0; i < nimm; i++)
		KUNIT_EXPECT_EQ_MSG(test, ah_verify(test, sa, v, imm[i], 0x01), -EBADMSG,
				    "immutable header byte %u changed", imm[i]);
	/* An IPv4 header length that is not the header's: refused before hashing. */
	if (v4)
		KUNIT_EXPECT_EQ(test, ah_verify(test, sa, v, 0, 0x01), -EINVAL);
}

static void kipsec_ah_output_matches_native_test(struct kunit *test)
{
	const struct ah_vector *v = test->param_value;
	struct kipsec_sa *sa = ah_vec_sa(test, v);
	unsigned int hl = ah_vec_hl(v);
	struct sk_buff *skb;

	if (!v->zero_pad)
		kunit_skip(test, "native left other bytes than zeros after the ICV");
	KUNIT_ASSERT_EQ(test, kipsec_ah_hlen(sa), (v->pkt[hl + 1] + 2) * 4);
	skb = ah_skb(test, v->pkt, v->len);
	/* What output gets: the AH header still to be written. */
	memset(skb->data + hl, 0xa5, kipsec_ah_hlen(sa));
	KUNIT_EXPECT_EQ(test, ah_run(sa, skb, true, hl, v->pkt[hl], v->seq), 0);
	KUNIT_EXPECT_EQ(test, skb->len, v->len);
	KUNIT_EXPECT_EQ(test, memcmp(skb->data, v->pkt, v->len), 0);
	kfree_skb(skb);
}

/* ESN: the high 32 bits go into the ICV though not on the wire. */
static void kipsec_ah_esn_high_bits_test(struct kunit *test)
{
	static const u8 key[32] = { 1, 2, 3 };
	const struct ah_vector *v = &ah_vectors[1];	/* an IPv4 packet to reuse */
	__be32 daddr = cpu_to_be32(0xc0a83202), spi = cpu_to_be32(0x1234);
	u64 seq = (5ULL << 32) | 7;
	struct kipsec_sa *sa = ah_sa(test, AF_INET, &daddr, spi, "hmac(sha256)", key,
				     sizeof(key), true);
	struct sk_buff *skb = ah_skb(test, v->pkt, v->len);
	u8 *copy;

	KUNIT_ASSERT_EQ(test, ah_run(sa, skb, true, 20, IPPROTO_IPIP, seq), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(skb->data + 28), 7U);
	copy = kunit_kmalloc(test, skb->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	memcpy(copy, skb->data, skb->len);

	skb_pull(skb, 20);
	KUNIT_EXPECT_EQ(test, ah_run(sa, skb, false, 0, 0, seq), 0);
	kfree_skb(skb);
	skb = ah_skb(test, copy, v->len);
	skb_pull(skb, 20);
	KUNIT_EXPECT_EQ(test, ah_run(sa, skb, false, 0, 0, seq + (1ULL << 32)), -EBADMSG);
	kfree_skb(skb);
}

/* ---- The mutable-field rules on IPv4 options and IPv6 extension headers ---- */

static void kipsec_ah_mutable4_options_test(struct kunit *test)
{
	u8 hdr[20 + 20] = {
		0x4a, 0xb8, 0x00, 0x40, 0x12, 0x34, 0x40, 0x00, 0x40, 0x33, 0xab, 0xcd,
		192, 0, 2, 1, 198, 51, 100, 1,
		/* NOP, router alert (immutable), record route (mutable), LSRR, END */
		IPOPT_NOOP, IPOPT_RA, 4, 0, 0,
		IPOPT_RR, 7, 4, 10, 0, 0, 1,
		IPOPT_LSRR, 7, 4, 198, 51, 100, 9,
		IPOPT_END,
	};
	u8 want[40], in[40];

	memcpy(want, hdr, sizeof(hdr));
	want[1] = 0;				/* TOS */
	want[6] = 0;				/* flags, fragment offset */
	want[7] = 0;
	want[8] = 0;				/* TTL */
	want[10] = 0;				/* checksum */
	want[11] = 0;
	memset(want + 25, 0, 7);		/* record route */
	memset(want + 32, 0, 7);		/* LSRR */
	memcpy(in, want, sizeof(want));
	/* Output: the source route's final destination stands in for daddr. */
	want[16] = 198, want[17] = 51, want[18] = 100, want[19] = 9;

	KUNIT_ASSERT_EQ(test, kipsec_ah_mutable4(hdr, sizeof(hdr), true), 0);
	KUNIT_EXPECT_EQ(test, memcmp(hdr, want, sizeof(want)), 0);

	/* Input: the header arrives with the final destination in place. */
	memcpy(hdr, in, sizeof(in));
	hdr[1] = 0x10;
	hdr[8] = 3;
	KUNIT_ASSERT_EQ(test, kipsec_ah_mutable4(hdr, sizeof(hdr), false), 0);
	KUNIT_EXPECT_EQ(test, memcmp(hdr, in, sizeof(in)), 0);
}

static void kipsec_ah_mutable4_malformed_test(struct kunit *test)
{
	u8 hdr[24] = { 0x46, 0, 0, 24, 0, 0, 0, 0, 64, 51, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8,
		       IPOPT_RR, 9, 4, 0 };	/* option longer than the header */

	KUNIT_EXPECT_EQ(test, kipsec_ah_mutable4(hdr, sizeof(hdr), false), -EINVAL);
	/* ihl disagreeing with the length handed over */
	KUNIT_EXPECT_EQ(test, kipsec_ah_mutable4(hdr, 20, false), -EINVAL);
}

static void kipsec_ah_mutable6_ext_headers_test(struct kunit *test)
{
	/*
	 * IPv6 header with traffic class, flow label and hop limit set; then
	 * hop-by-hop options: router alert (type 0x05, immutable), a mutable
	 * option (type 0x3e: the 0x20 bit set), PadN, Pad1; a type 0 routing
	 * header with two addresses and one segment left; destination options
	 * with a mutable option (0x23).
	 */
	u8 hdr[40 + 16 + 40 + 8] = {
		0x6a, 0xbc, 0xde, 0xf1, 0x00, 0x40, NEXTHDR_HOP, 0x40,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0a,
		NEXTHDR_ROUTING, 1, 0x05, 2, 0x12, 0x34, 0x3e, 4, 0xaa, 0xbb, 0xcc, 0xdd,
		1, 1, 0, 0,
		NEXTHDR_DEST, 4, 0, 1, 0, 0, 0, 0,
	};
	u8 *addrs = hdr + 64, *dst = hdr + 96;
	u8 want[sizeof(hdr)];
	int i;

	for (i = 0; i < 16; i++) {
		addrs[i] = 0xb0 + (i == 15);
		addrs[16 + i] = 0xc0 + (i == 15);
	}
	dst[0] = NEXTHDR_TCP;
	dst[1] = 0;
	dst[2] = 0x23;
	dst[3] = 4;
	dst[4] = 1;
	dst[5] = 2;
	dst[6] = 3;
	dst[7] = 4;

	memcpy(want, hdr, sizeof(hdr));
	want[0] = 0x60;			/* traffic class, flow label */
	want[1] = 0;
	want[2] = 0;
	want[3] = 0;
	want[7] = 0;			/* hop limit */
	memset(want + 48, 0, 4);	/* hop-by-hop: the mutable option's data */
	/* Routing: as at the final destination (native's rearrangement). */
	want[59] = 0;			/* segments left */
	memcpy(want + 24, addrs + 16, 16);	/* daddr: the last address */
	memcpy(want + 80, hdr + 24, 16);	/* ... whose slot gets the first hop */
	memset(want + 100, 0, 4);	/* destination options: the mutable data */

	KUNIT_ASSERT_EQ(test, kipsec_ah_mutable6(hdr, sizeof(hdr)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(hdr, want, sizeof(want)), 0);
}

static void kipsec_ah_mutable6_malformed_test(struct kunit *test)
{
	u8 hdr[48] = { 0x60, 0, 0, 0, 0, 8, NEXTHDR_HOP, 64 };

	/* An option running past its header. */
	hdr[40] = NEXTHDR_TCP;
	hdr[42] = 0x3e;
	hdr[43] = 9;
	KUNIT_EXPECT_EQ(test, kipsec_ah_mutable6(hdr, sizeof(hdr)), -EINVAL);
	/* A header that may not come before AH (a fragment header). */
	hdr[6] = NEXTHDR_FRAGMENT;
	KUNIT_EXPECT_EQ(test, kipsec_ah_mutable6(hdr, sizeof(hdr)), -EINVAL);
	/* Segments left beyond the addresses the routing header holds. */
	hdr[6] = NEXTHDR_ROUTING;
	hdr[41] = 0;
	hdr[43] = 1;
	KUNIT_EXPECT_EQ(test, kipsec_ah_mutable6(hdr, sizeof(hdr)), -EINVAL);
}

static int ah_test_init(struct kunit *test)
{
	/* Only sa->kn points here: these SAs are never published. */
	test->priv = kunit_kzalloc(test, sizeof(struct kipsec_net), GFP_KERNEL);
	if (!test->priv)
		return -ENOMEM;
	mutex_init(&((struct kipsec_net *)test->priv)->lock);
	return 0;
}

static int ah_suite_init(struct kunit_suite *suite)
{
	return kipsec_sa_module_init();
}

static void ah_suite_exit(struct kunit_suite *suite)
{
	kipsec_sa_module_uninit();
}

static struct kunit_case kipsec_ah_test_cases[] = {
	KUNIT_CASE_PARAM(kipsec_ah_input_native_vector_test, ah_vector_gen_params),
	KUNIT_CASE_PARAM(kipsec_ah_input_mutable_fields_test, ah_vector_gen_params),
	KUNIT_CASE_PARAM(kipsec_ah_output_matches_native_test, ah_vector_gen_params),
	KUNIT_CASE(kipsec_ah_esn_high_bits_test),
	KUNIT_CASE(kipsec_ah_mutable4_options_test),
	KUNIT_CASE(kipsec_ah_mutable4_malformed_test),
	KUNIT_CASE(kipsec_ah_mutable6_ext_headers_test),
	KUNIT_CASE(kipsec_ah_mutable6_malformed_test),
	{}
};

static struct kunit_suite kipsec_ah_suite = {
	.name = "kipsec_ah",
	.suite_init = ah_suite_init,
	.suite_exit = ah_suite_exit,
	.init = ah_test_init,
	.test_cases = kipsec_ah_test_cases,
};

kunit_test_suite(kipsec_ah_suite);
