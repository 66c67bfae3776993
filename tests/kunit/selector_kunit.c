// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of kmod/selector.c: which flows a selector matches, and
 * which selectors are refused at configuration time.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/socket.h>

#include "../../kmod/selector.h"

#define V4(a, b, c, d)	{ .a4 = cpu_to_be32((a) << 24 | (b) << 16 | (c) << 8 | (d)) }
/* 2001:db8:<w2>::<w7>, the documentation prefix. */
#define V6(w2, w7)	{ .a6 = { .in6_u.u6_addr16 = { htons(0x2001), htons(0xdb8), htons(w2), \
						      0, 0, 0, 0, htons(w7) } } }
#define ANYPORTS	.sport_hi = 0xffff, .dport_hi = 0xffff

struct match_case {
	const char *name;
	struct kipsec_selector sel;
	struct kipsec_flow fl;
	bool match;
};

static const struct match_case match_cases[] = {
	{ "v4_subnets_any_proto",
	  { AF_INET, 0, 24, 24, V4(10, 0, 1, 0), V4(10, 0, 2, 0), ANYPORTS },
	  { AF_INET, IPPROTO_TCP, false, V4(10, 0, 1, 7), V4(10, 0, 2, 9), 1234, 80 }, true },
	{ "v4_source_outside_prefix",
	  { AF_INET, 0, 24, 24, V4(10, 0, 1, 0), V4(10, 0, 2, 0), ANYPORTS },
	  { AF_INET, IPPROTO_TCP, false, V4(10, 0, 3, 7), V4(10, 0, 2, 9), 1234, 80 }, false },
	{ "v4_prefix_zero_matches_all",
	  { AF_INET, 0, 0, 0, V4(0, 0, 0, 0), V4(0, 0, 0, 0), ANYPORTS },
	  { AF_INET, IPPROTO_UDP, false, V4(192, 0, 2, 1), V4(198, 51, 100, 2), 53, 53 }, true },
	{ "v4_host_32",
	  { AF_INET, 0, 32, 32, V4(192, 0, 2, 1), V4(192, 0, 2, 2), ANYPORTS },
	  { AF_INET, IPPROTO_ICMP, false, V4(192, 0, 2, 1), V4(192, 0, 2, 3), 8, 0 }, false },
	{ "v4_odd_prefix_boundary",
	  { AF_INET, 0, 0, 27, V4(0, 0, 0, 0), V4(10, 0, 0, 32), ANYPORTS },
	  { AF_INET, IPPROTO_UDP, false, V4(1, 1, 1, 1), V4(10, 0, 0, 63), 1, 1 }, true },
	{ "v4_odd_prefix_just_outside",
	  { AF_INET, 0, 0, 27, V4(0, 0, 0, 0), V4(10, 0, 0, 32), ANYPORTS },
	  { AF_INET, IPPROTO_UDP, false, V4(1, 1, 1, 1), V4(10, 0, 0, 64), 1, 1 }, false },
	{ "proto_mismatch",
	  { AF_INET, IPPROTO_UDP, 0, 0, V4(0, 0, 0, 0), V4(0, 0, 0, 0), ANYPORTS },
	  { AF_INET, IPPROTO_TCP, false, V4(1, 1, 1, 1), V4(2, 2, 2, 2), 1, 1 }, false },
	{ "port_range_inside",
	  { AF_INET, IPPROTO_TCP, 0, 0, V4(0, 0, 0, 0), V4(0, 0, 0, 0), 0, 0xffff, 443, 444 },
	  { AF_INET, IPPROTO_TCP, false, V4(1, 1, 1, 1), V4(2, 2, 2, 2), 40000, 444 }, true },
	{ "port_range_outside",
	  { AF_INET, IPPROTO_TCP, 0, 0, V4(0, 0, 0, 0), V4(0, 0, 0, 0), 0, 0xffff, 443, 444 },
	  { AF_INET, IPPROTO_TCP, false, V4(1, 1, 1, 1), V4(2, 2, 2, 2), 40000, 445 }, false },
	{ "opaque_ports_match_any",
	  { AF_INET, IPPROTO_UDP, 0, 0, V4(0, 0, 0, 0), V4(0, 0, 0, 0), ANYPORTS },
	  { AF_INET, IPPROTO_UDP, true, V4(1, 1, 1, 1), V4(2, 2, 2, 2), 0, 0 }, true },
	{ "opaque_ports_never_match_a_range",
	  { AF_INET, IPPROTO_UDP, 0, 0, V4(0, 0, 0, 0), V4(0, 0, 0, 0), 0, 0xffff, 0, 1023 },
	  { AF_INET, IPPROTO_UDP, true, V4(1, 1, 1, 1), V4(2, 2, 2, 2), 0, 0 }, false },
	{ "icmp_type_code",
	  { AF_INET, IPPROTO_ICMP, 0, 0, V4(0, 0, 0, 0), V4(0, 0, 0, 0), 8, 8, 0, 0xffff },
	  { AF_INET, IPPROTO_ICMP, false, V4(1, 1, 1, 1), V4(2, 2, 2, 2), 8, 0 }, true },
	{ "icmp_other_type",
	  { AF_INET, IPPROTO_ICMP, 0, 0, V4(0, 0, 0, 0), V4(0, 0, 0, 0), 8, 8, 0, 0xffff },
	  { AF_INET, IPPROTO_ICMP, false, V4(1, 1, 1, 1), V4(2, 2, 2, 2), 0, 0 }, false },
	{ "family_mismatch",
	  { AF_INET6, 0, 0, 0, {}, {}, ANYPORTS },
	  { AF_INET, IPPROTO_TCP, false, V4(1, 1, 1, 1), V4(2, 2, 2, 2), 1, 1 }, false },
	{ "v6_subnets",
	  { AF_INET6, 0, 48, 48, V6(1, 0), V6(2, 0), ANYPORTS },
	  { AF_INET6, IPPROTO_UDP, false, V6(1, 5), V6(2, 9), 5, 5 }, true },
	{ "v6_destination_outside",
	  { AF_INET6, 0, 48, 48, V6(1, 0), V6(2, 0), ANYPORTS },
	  { AF_INET6, IPPROTO_UDP, false, V6(1, 5), V6(3, 9), 5, 5 }, false },
	{ "v6_host_128",
	  { AF_INET6, IPPROTO_ICMPV6, 128, 128, V6(1, 1), V6(2, 2), ANYPORTS },
	  { AF_INET6, IPPROTO_ICMPV6, false, V6(1, 1), V6(2, 2), 128, 0 }, true },
};

static void match_desc(const struct match_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(match, match_cases, match_desc);

static void kipsec_selector_match_test(struct kunit *test)
{
	const struct match_case *c = test->param_value;
	const char *why = NULL;

	KUNIT_ASSERT_EQ_MSG(test, kipsec_selector_check(&c->sel, &why), 0, "%s", why);
	KUNIT_EXPECT_EQ(test, kipsec_selector_match(&c->sel, &c->fl), c->match);
}

struct check_case {
	const char *name;
	struct kipsec_selector sel;
	const char *why;	/* NULL: valid */
};

static const struct check_case check_cases[] = {
	{ "valid_v4", { AF_INET, IPPROTO_TCP, 24, 0, V4(10, 0, 1, 0), V4(0, 0, 0, 0), ANYPORTS },
	  NULL },
	{ "bad_family", { AF_UNIX, 0, 0, 0, V4(0, 0, 0, 0), V4(0, 0, 0, 0), ANYPORTS },
	  "family" },
	{ "v4_prefix_33", { AF_INET, 0, 33, 0, V4(0, 0, 0, 0), V4(0, 0, 0, 0), ANYPORTS },
	  "prefix length" },
	{ "v6_prefix_129", { AF_INET6, 0, 0, 129, V6(0, 0), V6(0, 0), ANYPORTS },
	  "prefix length" },
	{ "v4_host_bits", { AF_INET, 0, 24, 0, V4(10, 0, 1, 1), V4(0, 0, 0, 0), ANYPORTS },
	  "beyond its prefix" },
	{ "v6_host_bits", { AF_INET6, 0, 0, 64, V6(0, 0), V6(2, 1), ANYPORTS },
	  "beyond its prefix" },
	{ "reversed_range", { AF_INET, IPPROTO_TCP, 0, 0, V4(0, 0, 0, 0), V4(0, 0, 0, 0),
	  0, 0xffff, 90, 80 }, "ends before" },
	{ "ports_without_proto", { AF_INET, 0, 0, 0, V4(0, 0, 0, 0), V4(0, 0, 0, 0),
	  0, 0xffff, 80, 80 }, "need a protocol" },
	{ "ports_with_esp", { AF_INET, IPPROTO_ESP, 0, 0, V4(0, 0, 0, 0), V4(0, 0, 0, 0),
	  0, 0xffff, 80, 80 }, "need a protocol" },
	{ "icmp_type_300", { AF_INET, IPPROTO_ICMP, 0, 0, V4(0, 0, 0, 0), V4(0, 0, 0, 0),
	  300, 300, 0, 0xffff }, "ICMP" },
};

static void check_desc(const struct check_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(check, check_cases, check_desc);

static void kipsec_selector_check_test(struct kunit *test)
{
	const struct check_case *c = test->param_value;
	const char *why = NULL;
	int ret = kipsec_selector_check(&c->sel, &why);

	if (!c->why) {
		KUNIT_EXPECT_EQ(test, ret, 0);
		return;
	}
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	KUNIT_ASSERT_NOT_NULL(test, why);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(why, c->why), "reason was: %s", why);
}

static struct kunit_case kipsec_selector_test_cases[] = {
	KUNIT_CASE_PARAM(kipsec_selector_match_test, match_gen_params),
	KUNIT_CASE_PARAM(kipsec_selector_check_test, check_gen_params),
	{}
};

static struct kunit_suite kipsec_selector_suite = {
	.name = "kipsec_selector",
	.test_cases = kipsec_selector_test_cases,
};

kunit_test_suite(kipsec_selector_suite);
