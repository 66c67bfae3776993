// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of tools/policy.c, selector.c, stats.c and monitor.c: "kipsec
 * policy" command lines and requests, dump replies, stats, events.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/kipsec.h>

#include "cli.h"
#include "monitor.h"
#include "policy.h"
#include "stats.h"
#include "tap.h"

static struct kipsec_policy_cmd cmd;
static struct kipsec_err e;
static char buf[8192];

static int parse(const char *line)
{
	int argc = cli_split(line);

	memset(&e, 0, sizeof(e));
	return kipsec_policy_parse_cmd(argc - 1, cli_argv + 1, &cmd, &e);
}

#define BAD(line, want) CHECK(parse(line) < 0 && !strcmp(e.msg, want), "%s → %s", line, e.msg)

static struct nlmsghdr *build(void)
{
	uint16_t flags;
	uint8_t c = kipsec_policy_genl_cmd(&cmd, &flags);
	struct nlmsghdr *nlh = cli_msg(buf, c);

	nlh->nlmsg_flags |= flags;
	kipsec_policy_put(nlh, &cmd);
	return nlh;
}

static void test_parse(void)
{
	const struct kipsec_policy *p = &cmd.pol;
	const struct kipsec_sel *s = &p->sel;

	CHECK(parse("policy add dir out src 10.0.1.0/24 dst 10.0.2.0/24 action protect "
		    "tmpl mode tunnel reqid 1 src 192.168.50.1 dst 192.168.50.2") == 0,
	      "tunnel policy: %s", e.msg);
	CHECK(p->dir == KIPSEC_DIR_OUT && p->action == KIPSEC_ACTION_PROTECT &&
	      s->family == AF_INET && s->sprefix == 24 && s->dprefix == 24 &&
	      p->tmpl[0].mode == KIPSEC_MODE_TUNNEL && p->tmpl[0].reqid == 1 &&
	      p->tmpl[0].proto == IPPROTO_ESP && p->tmpl[0].family == AF_INET, "tunnel policy fields");
	CHECK(parse("policy add dir out action protect tmpl mode tunnel reqid 2 "
		    "src 192.168.50.1 dst 192.168.50.2 per-cpu") == 0 &&
	      (p->tmpl[0].present & (1U << KIPSEC_A_TMPL_PER_CPU)) && p->tmpl[0].reqid == 2,
	      "per-cpu template: %s", e.msg);
	CHECK(parse("policy add dir out action protect tmpl mode transport per-cpu per-cpu") < 0 &&
	      strstr(e.msg, "per-cpu") && strstr(e.msg, "twice"), "per-cpu twice: %s", e.msg);
	CHECK(parse("policy add dir in priority 10 family inet6 proto tcp sport 1024-65535 dport 443 "
		    "action bypass") == 0 && p->dir == KIPSEC_DIR_IN && p->priority == 10 &&
	      s->family == AF_INET6 && s->proto == IPPROTO_TCP && s->sport_min == 1024 &&
	      s->sport_max == 65535 && s->dport_min == 443 && s->dport_max == 443,
	      "family inet6 with ports, no addresses");
	CHECK(parse("policy add dir fwd action discard") == 0 && s->family == AF_INET &&
	      p->action == KIPSEC_ACTION_DISCARD && !s->sport_min && s->sport_max == 65535,
	      "no selector words: IPv4, any");
	CHECK(parse("policy add dir out src any dst 2001:db8::/64 proto ipv6-icmp type 128 code 0 "
		    "action protect tmpl proto esp mode transport") == 0 && s->family == AF_INET6 &&
	      s->proto == IPPROTO_ICMPV6 && s->sport_min == 128 && s->sport_max == 128 &&
	      s->dport_min == 0 && s->dport_max == 0 && p->tmpl[0].mode == KIPSEC_MODE_TRANSPORT &&
	      !p->tmpl[0].family, "ICMPv6 type/code, transport template");
	CHECK(parse("policy add dir out src 10.0.1.0/24 dst 10.0.2.0/24 action protect tmpl mode tunnel "
		    "src 2001:db8::1 dst 2001:db8::2") == 0 && s->family == AF_INET &&
	      p->tmpl[0].family == AF_INET6, "4in6: template family differs from the selector's");
	CHECK(parse("policy add dir out proto icmp type 8 action bypass") == 0 &&
	      s->sport_min == 8 && s->dport_max == 65535, "type alone leaves code any");
	CHECK(parse("policy add dir out proto 132 dport 5000 action bypass") == 0 &&
	      s->proto == IPPROTO_SCTP, "numeric protocol");
	CHECK(parse("policy del index 42") == 0 && cmd.op == KIPSEC_POLICY_DEL && p->index == 42, "del");
	CHECK(parse("policy show") == 0 && cmd.op == KIPSEC_POLICY_SHOW, "show");
	CHECK(parse("policy flush") == 0 && cmd.op == KIPSEC_POLICY_FLUSH, "flush");

	BAD("policy", "policy: missing command, expected add, del, show or flush");
	BAD("policy get", "policy: expected add, del, show or flush, got \"get\"");
	BAD("policy add action bypass", "policy add: missing \"dir out|in|fwd\"");
	BAD("policy add dir out", "policy add: missing \"action protect|bypass|discard\"");
	BAD("policy add dir sideways", "dir: expected out, in or fwd, got \"sideways\"");
	BAD("policy add dir out action allow", "action: expected protect, bypass or discard, got \"allow\"");
	BAD("policy add dir out action protect", "policy add: action protect needs \"tmpl [proto esp] mode tunnel|transport ...\"");
	BAD("policy add dir out action bypass tmpl mode transport", "policy add: tmpl only goes with action protect");
	BAD("policy add dir out action protect tmpl reqid 1", "tmpl: missing \"mode tunnel|transport\"");
	BAD("policy add dir out action protect tmpl mode tunnel", "tmpl: tunnel mode needs \"src ADDR dst ADDR\" (the tunnel endpoints)");
	BAD("policy add dir out action protect tmpl mode tunnel src 1.1.1.1", "tmpl: tunnel mode needs \"src ADDR dst ADDR\" (the tunnel endpoints)");
	BAD("policy add dir out action protect tmpl mode transport src 1.1.1.1 dst 2.2.2.2",
	    "tmpl: src and dst are for tunnel mode; transport uses the packet's");
	BAD("policy add dir out action protect tmpl mode tunnel src 1.1.1.1 dst ::2",
	    "tmpl src and dst: one address is IPv4, the other IPv6");
	BAD("policy add dir out action protect tmpl mode tunnel src 1.1.1.0/24 dst 2.2.2.2",
	    "tmpl src: expected an IPv4 or IPv6 address, got \"1.1.1.0/24\"");
	BAD("policy add dir out action protect tmpl mode tunnel priority 3",
	    "tmpl: unknown argument \"priority\" (tmpl comes last; see kipsec help)");
	BAD("policy add dir out action protect tmpl proto gre mode transport", "tmpl proto: expected esp or ah, got \"gre\"");
	BAD("policy add dir out action protect tmpl mode tunnel mode tunnel", "tmpl mode: given twice");
	BAD("policy add dir out src 10.0.1.0/24 dst 2001:db8::/64 action bypass",
	    "src and dst: one address is IPv4, the other IPv6");
	BAD("policy add dir out family inet6 src 10.0.1.0/24 action bypass", "family inet6: the addresses are IPv4");
	BAD("policy add dir out family ipx action bypass", "family: expected inet or inet6, got \"ipx\"");
	BAD("policy add dir out src 10.0.1.1/24 action bypass",
	    "src: 10.0.1.1/24 has bits set beyond the prefix length (did you mean 10.0.1.0/24?)");
	BAD("policy add dir out dst 10.0.1.0/40 action bypass", "dst: prefix length must be 0..32, got \"40\"");
	BAD("policy add dir out src action bypass", "src: expected a prefix (ADDR/LEN, ADDR or any), got \"action\"");
	BAD("policy add dir out proto tcp dport", "dport: missing value, expected a port 0..65535 or a range N-M");
	BAD("policy add dir out proto tcp dport 80-20 action bypass", "dport: range 80-20 ends before it starts");
	BAD("policy add dir out proto tcp sport 70000 action bypass", "sport: expected a number 0..65535, got \"70000\"");
	BAD("policy add dir out proto tcp sport 1-70000 action bypass",
	    "sport: expected a number 0..65535 or a range N-M, got \"1-70000\"");
	BAD("policy add dir out proto tcp sport 1- action bypass", "sport: expected a number 0..65535 or a range N-M, got \"1-\"");
	BAD("policy add dir out proto tcp sport -5 action bypass", "sport: expected a number 0..65535 or a range N-M, got \"-5\"");
	BAD("policy add dir out dport 80 action bypass", "dport: needs proto tcp, udp, udplite, sctp or dccp");
	BAD("policy add dir out proto icmp dport 80 action bypass", "dport: ICMP has no ports; use type and code");
	BAD("policy add dir out proto tcp type 8 action bypass", "type: needs proto icmp or ipv6-icmp");
	BAD("policy add dir out code 0 action bypass", "code: needs proto icmp or ipv6-icmp");
	BAD("policy add dir out proto icmp type 256 action bypass", "type: expected a number 0..255, got \"256\"");
	BAD("policy add dir out proto tcpp action bypass",
	    "proto: expected tcp, udp, icmp, ipv6-icmp, sctp, udplite, dccp, any or a number 0..255, got \"tcpp\"");
	BAD("policy add dir out proto 256 action bypass",
	    "proto: expected tcp, udp, icmp, ipv6-icmp, sctp, udplite, dccp, any or a number 0..255, got \"256\"");
	BAD("policy add dir out dir in action bypass", "dir: given twice");
	BAD("policy add dir out priority high action bypass", "priority: expected a number 0..4294967295, got \"high\"");
	BAD("policy add dir out action bypass spi 5", "policy add: unknown argument \"spi\" (see kipsec help)");
	BAD("policy del 42", "policy del: expected \"index N\"");
	BAD("policy del index", "index: missing value, expected a number");
	BAD("policy del index x", "index: expected a number 0..4294967295, got \"x\"");
	BAD("policy del index 1 2", "policy del: unexpected argument \"2\"");
	BAD("policy show all", "policy show: unexpected argument \"all\"");
}

static void test_requests(void)
{
	const struct nlattr *tb[CLI_MAX_ATTR], *sel[CLI_MAX_ATTR], *tmpl[CLI_MAX_ATTR];
	struct nlmsghdr *nlh;

	parse("policy add dir out src 10.0.1.0/24 dst 10.0.2.0/24 proto udp dport 4500 action protect "
	      "tmpl mode tunnel reqid 1 src 2001:db8::1 dst 2001:db8::2");
	nlh = build();
	cli_attrs(nlh, tb);
	CHECK(((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd == KIPSEC_CMD_POLICY_ADD &&
	      cli_count == 4 && mnl_attr_get_u32(tb[KIPSEC_A_POLICY_DIR]) == KIPSEC_DIR_OUT &&
	      mnl_attr_get_u32(tb[KIPSEC_A_POLICY_ACTION]) == KIPSEC_ACTION_PROTECT &&
	      !tb[KIPSEC_A_POLICY_PRIORITY] && !tb[KIPSEC_A_POLICY_INDEX],
	      "add: dir, action, selector, tmpl; no priority unless given");
	cli_nested(tb[KIPSEC_A_POLICY_SELECTOR], sel);
	CHECK(mnl_attr_get_u32(sel[KIPSEC_A_SELECTOR_FAMILY]) == AF_INET &&
	      mnl_attr_get_payload_len(sel[KIPSEC_A_SELECTOR_SADDR]) == 4 &&
	      !memcmp(mnl_attr_get_payload(sel[KIPSEC_A_SELECTOR_DADDR]), "\x0a\x00\x02\x00", 4) &&
	      mnl_attr_get_u32(sel[KIPSEC_A_SELECTOR_SPREFIX]) == 24 &&
	      mnl_attr_get_u32(sel[KIPSEC_A_SELECTOR_DPREFIX]) == 24 &&
	      mnl_attr_get_u32(sel[KIPSEC_A_SELECTOR_PROTO]) == IPPROTO_UDP, "selector nest");
	CHECK(!sel[KIPSEC_A_SELECTOR_SPORT_MIN] && !sel[KIPSEC_A_SELECTOR_SPORT_MAX] &&
	      mnl_attr_get_u32(sel[KIPSEC_A_SELECTOR_DPORT_MIN]) == 4500 &&
	      mnl_attr_get_u32(sel[KIPSEC_A_SELECTOR_DPORT_MAX]) == 4500,
	      "only the given port range is sent");
	cli_nested(tb[KIPSEC_A_POLICY_TMPL], tmpl);
	CHECK(cli_count == 6 && mnl_attr_get_u32(tmpl[KIPSEC_A_TMPL_FAMILY]) == AF_INET6 &&
	      mnl_attr_get_payload_len(tmpl[KIPSEC_A_TMPL_SADDR]) == 16 &&
	      mnl_attr_get_payload_len(tmpl[KIPSEC_A_TMPL_DADDR]) == 16 &&
	      mnl_attr_get_u32(tmpl[KIPSEC_A_TMPL_PROTO]) == IPPROTO_ESP &&
	      mnl_attr_get_u32(tmpl[KIPSEC_A_TMPL_MODE]) == KIPSEC_MODE_TUNNEL &&
	      mnl_attr_get_u32(tmpl[KIPSEC_A_TMPL_REQID]) == 1, "tmpl nest (IPv6 endpoints)");

	parse("policy add dir in priority 5 action protect tmpl mode transport");
	nlh = build();
	cli_attrs(nlh, tb);
	CHECK(mnl_attr_get_u32(tb[KIPSEC_A_POLICY_PRIORITY]) == 5, "priority sent when given");
	cli_nested(tb[KIPSEC_A_POLICY_SELECTOR], sel);
	CHECK(cli_count == 1 && mnl_attr_get_u32(sel[KIPSEC_A_SELECTOR_FAMILY]) == AF_INET,
	      "selector with nothing but its family");
	cli_nested(tb[KIPSEC_A_POLICY_TMPL], tmpl);
	CHECK(cli_count == 3 && !tmpl[KIPSEC_A_TMPL_FAMILY] && !tmpl[KIPSEC_A_TMPL_SADDR],
	      "transport tmpl without addresses or family");

	parse("policy add dir out proto icmp type 3 code 4 action discard");
	nlh = build();
	cli_attrs(nlh, tb);
	cli_nested(tb[KIPSEC_A_POLICY_SELECTOR], sel);
	CHECK(!tb[KIPSEC_A_POLICY_TMPL] && mnl_attr_get_u32(sel[KIPSEC_A_SELECTOR_SPORT_MIN]) == 3 &&
	      mnl_attr_get_u32(sel[KIPSEC_A_SELECTOR_SPORT_MAX]) == 3 &&
	      mnl_attr_get_u32(sel[KIPSEC_A_SELECTOR_DPORT_MIN]) == 4 &&
	      mnl_attr_get_u32(sel[KIPSEC_A_SELECTOR_DPORT_MAX]) == 4,
	      "ICMP type/code in the port slots");

	parse("policy del index 7");
	nlh = build();
	cli_attrs(nlh, tb);
	CHECK(((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd == KIPSEC_CMD_POLICY_DEL &&
	      cli_count == 1 && mnl_attr_get_u32(tb[KIPSEC_A_POLICY_INDEX]) == 7, "del: index only");
	parse("policy show");
	nlh = build();
	CHECK(((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd == KIPSEC_CMD_POLICY_GET &&
	      (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP &&
	      nlh->nlmsg_len == MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr)),
	      "show: empty dump request");
	parse("policy flush");
	nlh = build();
	CHECK(((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd == KIPSEC_CMD_POLICY_FLUSH &&
	      !(nlh->nlmsg_flags & NLM_F_DUMP), "flush");
}

/* Put a policy as the kernel would dump it; @nlh is a message or nest owner. */
static void put_policy(struct nlmsghdr *nlh, uint32_t index, bool v6)
{
	struct nlattr *n;

	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_INDEX, index);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_DIR, KIPSEC_DIR_OUT);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_PRIORITY, 0);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_ACTION, KIPSEC_ACTION_PROTECT);
	n = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY_SELECTOR);
	mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_FAMILY, v6 ? AF_INET6 : AF_INET);
	if (v6) {
		mnl_attr_put(nlh, KIPSEC_A_SELECTOR_DADDR, 16, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\0");
		mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_DPREFIX, 64);
		mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_PROTO, IPPROTO_ICMPV6);
		mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_SPORT_MIN, 128);
		mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_SPORT_MAX, 129);
	} else {
		mnl_attr_put(nlh, KIPSEC_A_SELECTOR_SADDR, 4, "\x0a\x00\x01\x00");
		mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_SPREFIX, 24);
		mnl_attr_put(nlh, KIPSEC_A_SELECTOR_DADDR, 4, "\x0a\x00\x02\x00");
		mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_DPREFIX, 24);
		mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_SPORT_MIN, 0);
		mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_SPORT_MAX, 65535);
	}
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY_TMPL);
	if (!v6) {
		mnl_attr_put_u32(nlh, KIPSEC_A_TMPL_FAMILY, AF_INET);
		mnl_attr_put(nlh, KIPSEC_A_TMPL_SADDR, 4, "\xc0\xa8\x32\x01");
		mnl_attr_put(nlh, KIPSEC_A_TMPL_DADDR, 4, "\xc0\xa8\x32\x02");
	}
	mnl_attr_put_u32(nlh, KIPSEC_A_TMPL_PROTO, IPPROTO_ESP);
	mnl_attr_put_u32(nlh, KIPSEC_A_TMPL_MODE, v6 ? KIPSEC_MODE_TRANSPORT : KIPSEC_MODE_TUNNEL);
	mnl_attr_put_u32(nlh, KIPSEC_A_TMPL_REQID, 1);
	mnl_attr_nest_end(nlh, n);
	mnl_attr_put_u64(nlh, KIPSEC_A_POLICY_PACKETS, 7);
}

static void test_replies(void)
{
	struct kipsec_policy_list list = { 0 };
	struct nlmsghdr *nlh;
	struct nlattr *n;
	uint32_t index = 0;

	nlh = cli_msg(buf, KIPSEC_CMD_POLICY_GET);
	put_policy(nlh, 3, false);
	mnl_attr_put_u32(nlh, 77, 1);	/* newer kernel */
	CHECK(kipsec_policy_list_cb(nlh, &list) == MNL_CB_OK && list.n == 1, "dump reply parses");
	CLI_CAPTURE(kipsec_policy_print(f, &list.pols[0]));
	CHECK(!strcmp(cli_out, "dir out priority 0 index 3 action protect packets 7\n"
			       "    src 10.0.1.0/24 dst 10.0.2.0/24 proto any\n"
			       "    tmpl esp tunnel reqid 1 src 192.168.50.1 dst 192.168.50.2\n"),
	      "human output");
	CLI_CAPTURE(kipsec_policy_print_json(f, &list.pols[0]));
	CHECK(!strcmp(cli_out, "{\"index\":3,\"dir\":\"out\",\"priority\":0,\"action\":\"protect\","
			       "\"packets\":7,\"selector\":{\"family\":\"inet\",\"src\":\"10.0.1.0/24\","
			       "\"dst\":\"10.0.2.0/24\",\"proto\":\"any\"},\"tmpl\":{\"proto\":\"esp\","
			       "\"mode\":\"tunnel\",\"reqid\":1,\"src\":\"192.168.50.1\","
			       "\"dst\":\"192.168.50.2\"}}"), "JSON output: %s", cli_out);

	nlh = cli_msg(buf, KIPSEC_CMD_POLICY_GET);
	put_policy(nlh, 4, true);
	CHECK(kipsec_policy_list_cb(nlh, &list) == MNL_CB_OK && list.n == 2, "second policy");
	CLI_CAPTURE(kipsec_policy_print(f, &list.pols[1]));
	CHECK(!strcmp(cli_out, "dir out priority 0 index 4 action protect packets 7\n"
			       "    src any dst 2001:db8::/64 proto ipv6-icmp type 128-129\n"
			       "    tmpl esp transport reqid 1\n"), "IPv6 ICMP policy");
	kipsec_policy_list_free(&list);

	nlh = cli_msg(buf, KIPSEC_CMD_POLICY_GET);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_INDEX, 1);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_DIR, 1);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_ACTION, 2);
	n = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY_SELECTOR);
	mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_FAMILY, AF_INET);
	mnl_attr_put(nlh, KIPSEC_A_SELECTOR_SADDR, 16, "0123456789abcdef");
	mnl_attr_nest_end(nlh, n);
	CHECK(kipsec_policy_list_cb(nlh, &list) == MNL_CB_ERROR && errno == EBADMSG,
	      "IPv6-sized address in an IPv4 selector is refused");
	nlh = cli_msg(buf, KIPSEC_CMD_POLICY_GET);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_INDEX, 1);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_DIR, 1);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_ACTION, 2);
	n = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY_SELECTOR);
	mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_FAMILY, AF_INET);
	mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_SPREFIX, 33);
	mnl_attr_nest_end(nlh, n);
	CHECK(kipsec_policy_list_cb(nlh, &list) == MNL_CB_ERROR, "prefix /33 is refused");
	nlh = cli_msg(buf, KIPSEC_CMD_POLICY_GET);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_INDEX, 1);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_DIR, 1);
	CHECK(kipsec_policy_list_cb(nlh, &list) == MNL_CB_ERROR, "policy without action or selector");
	nlh = cli_msg(buf, KIPSEC_CMD_POLICY_GET);
	put_policy(nlh, 3, false);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_PACKETS, 7);
	CHECK(kipsec_policy_list_cb(nlh, &list) == MNL_CB_ERROR, "u32 packets is refused");
	kipsec_policy_list_free(&list);

	nlh = cli_msg(buf, KIPSEC_CMD_POLICY_ADD);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_INDEX, 12);
	CHECK(kipsec_policy_index_cb(nlh, &index) == MNL_CB_OK && index == 12, "add reply index");
	nlh = cli_msg(buf, KIPSEC_CMD_POLICY_ADD);
	CHECK(kipsec_policy_index_cb(nlh, &index) == MNL_CB_ERROR, "add reply without index");
}

static void test_stats(void)
{
	struct kipsec_stats st = { 0 };
	struct nlmsghdr *nlh = cli_msg(buf, KIPSEC_CMD_GET_STATS);
	int i;

	for (i = KIPSEC_A_STATS_IN_NO_SA; i <= KIPSEC_A_STATS_MAX; i++)
		mnl_attr_put_u64(nlh, (uint16_t)i, (uint64_t)i * 10);
	mnl_attr_put_u64(nlh, 90, 1);	/* newer kernel */
	CHECK(kipsec_stats_parse(nlh, &st) == MNL_CB_OK && st.v[KIPSEC_A_STATS_ACQUIRES] ==
	      KIPSEC_A_STATS_ACQUIRES * 10, "stats parse");
	CLI_CAPTURE(kipsec_stats_print(f, &st));
	CHECK(!strncmp(cli_out, "in-no-sa           20\nin-hdr-error       30\n", 42) &&
	      strstr(cli_out, "\nacquires           150\n"), "stats human: every counter by name");
	CLI_CAPTURE(kipsec_stats_print_json(f, &st));
	CHECK(!strncmp(cli_out, "{\"in_no_sa\":20,\"in_hdr_error\":30,", 33) &&
	      strstr(cli_out, ",\"acquires\":150,\"in_encap_mismatch\":160,"
		     "\"in_bundle_incomplete\":170}\n"), "stats JSON");
	nlh = cli_msg(buf, KIPSEC_CMD_GET_STATS);
	mnl_attr_put_u32(nlh, KIPSEC_A_STATS_IN_REPLAY, 1);
	CHECK(kipsec_stats_parse(nlh, &st) == MNL_CB_ERROR, "u32 counter is refused");
}

static void test_events(void)
{
	struct kipsec_event ev;
	struct nlmsghdr *nlh;
	struct nlattr *n, *s;

	nlh = cli_msg(buf, KIPSEC_CMD_ACQUIRE);
	n = mnl_attr_nest_start(nlh, KIPSEC_A_EVENT_POLICY);
	put_policy(nlh, 3, false);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, KIPSEC_A_EVENT_FLOW);
	mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_FAMILY, AF_INET);
	mnl_attr_put(nlh, KIPSEC_A_SELECTOR_SADDR, 4, "\x0a\x00\x01\x05");
	mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_SPREFIX, 32);
	mnl_attr_put(nlh, KIPSEC_A_SELECTOR_DADDR, 4, "\x0a\x00\x02\x07");
	mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_DPREFIX, 32);
	mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_PROTO, IPPROTO_TCP);
	mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_SPORT_MIN, 40000);
	mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_SPORT_MAX, 40000);
	mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_DPORT_MIN, 80);
	mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_DPORT_MAX, 80);
	mnl_attr_nest_end(nlh, n);
	CHECK(kipsec_event_parse(nlh, &ev) == 0 && ev.has_policy && ev.has_flow, "acquire parses");
	CLI_CAPTURE(kipsec_event_print(f, &ev, false));
	CHECK(!strcmp(cli_out, "acquire policy 3 dir out src 10.0.1.5 dst 10.0.2.7 proto tcp "
			       "sport 40000 dport 80 reqid 1\n"), "acquire line");
	CLI_CAPTURE(kipsec_event_print(f, &ev, true));
	CHECK(!strncmp(cli_out, "{\"event\":\"acquire\",\"policy\":{\"index\":3,", 39) &&
	      strstr(cli_out, ",\"flow\":{\"family\":\"inet\",\"src\":\"10.0.1.5\",\"dst\":\"10.0.2.7\","
			      "\"proto\":\"tcp\",\"sport\":40000,\"dport\":80}}\n") &&
	      !strchr(cli_out, '\n')[1], "acquire JSON on one line");

	nlh = cli_msg(buf, KIPSEC_CMD_EXPIRE);
	n = mnl_attr_nest_start(nlh, KIPSEC_A_EVENT_SA);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_FAMILY, AF_INET);
	mnl_attr_put(nlh, KIPSEC_A_SA_DADDR, 4, "\x0a\0\0\x02");
	mnl_attr_put(nlh, KIPSEC_A_SA_SADDR, 4, "\x0a\0\0\x01");
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_SPI, 0x1001);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_PROTO, IPPROTO_ESP);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_REQID, 1);
	s = mnl_attr_nest_start(nlh, KIPSEC_A_SA_STATS);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_PACKETS, 10);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_BYTES, 1200);
	mnl_attr_nest_end(nlh, s);
	mnl_attr_nest_end(nlh, n);
	mnl_attr_put(nlh, KIPSEC_A_EVENT_HARD, 0, NULL);
	CHECK(kipsec_event_parse(nlh, &ev) == 0 && ev.hard && ev.has_sa, "expire parses");
	CLI_CAPTURE(kipsec_event_print(f, &ev, false));
	CHECK(!strcmp(cli_out, "expire hard src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x00001001 reqid 1 "
			       "packets 10 bytes 1200\n"), "expire line");
	CLI_CAPTURE(kipsec_event_print(f, &ev, true));
	CHECK(!strncmp(cli_out, "{\"event\":\"expire\",\"hard\":true,\"sa\":{\"family\":\"inet\",", 51),
	      "expire JSON");

	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd = KIPSEC_CMD_SA_DELETED;
	CHECK(kipsec_event_parse(nlh, &ev) == 0, "sa-deleted parses");
	CLI_CAPTURE(kipsec_event_print(f, &ev, false));
	CHECK(!strncmp(cli_out, "sa-deleted src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x00001001", 61),
	      "sa-deleted line");

	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd = KIPSEC_CMD_SA_ADD;
	CHECK(kipsec_event_parse(nlh, &ev) < 0, "not an event command");
	nlh = cli_msg(buf, KIPSEC_CMD_EXPIRE);
	CHECK(kipsec_event_parse(nlh, &ev) < 0, "expire without an SA");
	nlh = cli_msg(buf, KIPSEC_CMD_EXPIRE);
	n = mnl_attr_nest_start(nlh, KIPSEC_A_EVENT_SA);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_FAMILY, AF_INET6);
	mnl_attr_put(nlh, KIPSEC_A_SA_DADDR, 4, "\x0a\0\0\x02");
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_SPI, 0x1001);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_PROTO, IPPROTO_ESP);
	mnl_attr_nest_end(nlh, n);
	CHECK(kipsec_event_parse(nlh, &ev) < 0, "IPv6 SA with a 4-byte address is refused");
}

/* Bundles: "tmpl proto esp ... tmpl proto ah ...", ESP inside AH. */
static void test_bundle(void)
{
	const struct kipsec_policy *p = &cmd.pol;
	struct kipsec_policy_list list = { 0 };
	const struct nlattr *a;
	struct nlmsghdr *nlh;
	struct nlattr *n;
	uint32_t order[3];
	int i, k = 0;

	CHECK(parse("policy add dir out src 10.0.1.0/24 dst 10.0.2.0/24 action protect "
		    "tmpl proto esp mode tunnel reqid 1 src 192.168.50.1 dst 192.168.50.2 "
		    "tmpl proto ah mode transport reqid 2") == 0, "tunnel bundle: %s", e.msg);
	CHECK(p->ntmpl == 2 && p->tmpl[0].proto == IPPROTO_ESP &&
	      p->tmpl[0].mode == KIPSEC_MODE_TUNNEL && p->tmpl[0].reqid == 1 &&
	      p->tmpl[1].proto == IPPROTO_AH && p->tmpl[1].mode == KIPSEC_MODE_TRANSPORT &&
	      p->tmpl[1].reqid == 2 && !p->tmpl[1].saddr.family, "bundle fields, innermost first");
	nlh = build();
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		const struct nlattr *t;

		if (mnl_attr_get_type(a) != KIPSEC_A_POLICY_TMPL || k == 3)
			continue;
		mnl_attr_for_each_nested(t, a)
			if (mnl_attr_get_type(t) == KIPSEC_A_TMPL_PROTO)
				order[k] = mnl_attr_get_u32(t);
		k++;
	}
	CHECK(k == 2 && order[0] == IPPROTO_ESP && order[1] == IPPROTO_AH,
	      "two tmpl nests sent, ESP first");
	CHECK(parse("policy add dir in action protect tmpl proto esp mode transport "
		    "tmpl proto ah mode transport") == 0 && p->ntmpl == 2, "transport bundle: %s",
	      e.msg);
	CHECK(parse("policy add dir in action protect tmpl mode transport") == 0 && p->ntmpl == 1,
	      "one template is no bundle");
	BAD("policy add dir out action protect tmpl proto ah mode transport tmpl proto esp mode transport",
	    "tmpl: a bundle is \"tmpl proto esp ... tmpl proto ah ...\" (ESP inside, AH outside)");
	BAD("policy add dir out action protect tmpl mode transport tmpl mode transport",
	    "tmpl: a bundle is \"tmpl proto esp ... tmpl proto ah ...\" (ESP inside, AH outside)");
	BAD("policy add dir out action protect tmpl mode transport tmpl proto ah mode tunnel src 1.1.1.1 dst 2.2.2.2",
	    "tmpl: the outer ah of a bundle must be \"mode transport\"");
	BAD("policy add dir out action protect tmpl mode transport per-cpu tmpl proto ah mode transport",
	    "tmpl: per-cpu does not go with a bundle");
	BAD("policy add dir out action protect tmpl mode transport tmpl proto ah mode transport tmpl proto ah mode transport",
	    "policy add: at most 2 tmpl (a bundle: esp, then ah)");
	BAD("policy add dir out action protect tmpl mode transport tmpl proto ah",
	    "tmpl: missing \"mode tunnel|transport\"");

	/* A dump reply with both: shown innermost first, one line each. */
	nlh = cli_msg(buf, KIPSEC_CMD_POLICY_GET);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_INDEX, 9);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_DIR, KIPSEC_DIR_IN);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_PRIORITY, 0);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_ACTION, KIPSEC_ACTION_PROTECT);
	n = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY_SELECTOR);
	mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_FAMILY, AF_INET);
	mnl_attr_nest_end(nlh, n);
	for (i = 0; i < 2; i++) {
		n = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY_TMPL);
		mnl_attr_put_u32(nlh, KIPSEC_A_TMPL_PROTO, i ? IPPROTO_AH : IPPROTO_ESP);
		mnl_attr_put_u32(nlh, KIPSEC_A_TMPL_MODE, KIPSEC_MODE_TRANSPORT);
		mnl_attr_put_u32(nlh, KIPSEC_A_TMPL_REQID, i + 1);
		mnl_attr_nest_end(nlh, n);
	}
	CHECK(kipsec_policy_list_cb(nlh, &list) == MNL_CB_OK && list.n == 1 &&
	      list.pols[0].ntmpl == 2, "bundle dump reply parses");
	CLI_CAPTURE(kipsec_policy_print(f, &list.pols[0]));
	CHECK(!strcmp(cli_out, "dir in priority 0 index 9 action protect\n"
			       "    src any dst any proto any\n"
			       "    tmpl esp transport reqid 1\n"
			       "    tmpl ah transport reqid 2\n"), "bundle human output: %s", cli_out);
	CLI_CAPTURE(kipsec_policy_print_json(f, &list.pols[0]));
	CHECK(strstr(cli_out, "\"tmpl\":{\"proto\":\"esp\",\"mode\":\"transport\",\"reqid\":1},"
			      "\"tmpls\":[{\"proto\":\"esp\",\"mode\":\"transport\",\"reqid\":1},"
			      "{\"proto\":\"ah\",\"mode\":\"transport\",\"reqid\":2}]}"),
	      "bundle JSON: tmpl and tmpls: %s", cli_out);
	n = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY_TMPL);
	mnl_attr_put_u32(nlh, KIPSEC_A_TMPL_MODE, KIPSEC_MODE_TRANSPORT);
	mnl_attr_nest_end(nlh, n);
	CHECK(kipsec_policy_list_cb(nlh, &list) == MNL_CB_ERROR, "three tmpl nests are refused");
	kipsec_policy_list_free(&list);
}

int main(void)
{
	test_parse();
	test_requests();
	test_replies();
	test_bundle();
	test_stats();
	test_events();
	return tap_done();
}
