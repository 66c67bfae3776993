// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper/events.c and the config side of on-demand start and rekeying:
 * start_action = route, short CHILD SA lifetimes, the soft lifetime the
 * daemon gives the kernel, kipsec's events parsed, acquires matched.
 */
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/kipsec.h>

#include "config.h"
#include "events.h"
#include "tap.h"

static void config(void)
{
	struct ike_config cfg;
	char err[256] = "";

	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal = 192.0.2.1\n\tremote = 192.0.2.2\n"
			       "\tstart_action = route\n\tlifetime = 30\n", &cfg, err,
			       sizeof(err)) == 0 && cfg.conns[0].start == START_ROUTE &&
	      cfg.conns[0].lifetime == 30, "start_action = route, lifetime 30 s (%s)", err);
	ike_config_free(&cfg);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal = 192.0.2.1\n\tremote = 192.0.2.2\n"
			       "\tstart_action = trap\n", &cfg, err, sizeof(err)) < 0 &&
	      strstr(err, "t.conf:4: start_action: expected add, start or route"),
	      "start_action: unknown value named: %s", err);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal = 192.0.2.1\n\tremote = 192.0.2.2\n"
			       "\tper_cpu = yes\n", &cfg, err, sizeof(err)) == 0 &&
	      cfg.conns[0].per_cpu, "per_cpu = yes (%s)", err);
	ike_config_free(&cfg);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal = 192.0.2.1\n\tremote = 192.0.2.2\n"
			       "\tper_cpu = 2\n", &cfg, err, sizeof(err)) < 0 &&
	      strstr(err, "t.conf:4: per_cpu: expected yes or no"), "per_cpu: bad value: %s", err);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal = 192.0.2.1\n\tremote = 192.0.2.2\n"
			       "\tlifetime = 19\n", &cfg, err, sizeof(err)) < 0 &&
	      strstr(err, "between 20 and"), "lifetime below 20 s refused: %s", err);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal = 192.0.2.1\n\tremote = 192.0.2.2\n"
			       "\tike_lifetime = 19\n", &cfg, err, sizeof(err)) < 0 &&
	      strstr(err, "between 20 and"), "ike_lifetime at least 20 s: %s", err);
}

static void soft(void)
{
	uint32_t life, rnd, s, lo_i = ~0u, hi_i = 0, lo_r = ~0u, hi_r = 0;
	int bad = 0;

	for (life = 2; life < 5000; life += 7)
		for (rnd = 0; rnd < 64; rnd++) {
			s = ike_soft_lifetime(life, true, rnd * 2654435761u);
			if (!s || s >= life)
				bad++;
			s = ike_soft_lifetime(life, false, rnd * 2654435761u);
			if (!s || s >= life)
				bad++;
		}
	CHECK(!bad, "soft lifetime is always 1..hard-1 (%d bad)", bad);
	CHECK(ike_soft_lifetime(1, true, 0) == 0 && ike_soft_lifetime(0, false, 5) == 0,
	      "no soft lifetime below 2 s");
	for (rnd = 0; rnd < 1000; rnd++) {
		s = ike_soft_lifetime(3600, true, rnd * 2654435761u);
		lo_i = s < lo_i ? s : lo_i;
		hi_i = s > hi_i ? s : hi_i;
		s = ike_soft_lifetime(3600, false, rnd * 2654435761u);
		lo_r = s < lo_r ? s : lo_r;
		hi_r = s > hi_r ? s : hi_r;
	}
	CHECK(lo_i >= 2880 && hi_i <= 3240 && hi_i > lo_i,
	      "initiator: soft at 80..90%% of 3600 s, jittered (%u..%u)", lo_i, hi_i);
	CHECK(lo_r >= 3330 && hi_r <= 3420 && lo_r > hi_i,
	      "responder: later than any initiator's, 92.5..95%% (%u..%u)", lo_r, hi_r);
	s = ike_soft_lifetime(30, true, 0);
	CHECK(s == 27 && ike_soft_lifetime(30, true, 3) == 24 && ike_soft_lifetime(30, true, 4) == 27,
	      "30 s: initiator's soft lifetime 24..27 s (%u)", s);
}

static void addr(struct kipsec_addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->bytes) == 1) {
		a->family = AF_INET;
		a->len = 4;
	} else {
		inet_pton(AF_INET6, s, a->bytes);
		a->family = AF_INET6;
		a->len = 16;
	}
}

static void match(void)
{
	struct ike_config cfg;
	struct ike_event ev;
	uint32_t pol[3] = { 7, 0, 9 };
	char err[256] = "";

	CHECK(ike_config_parse("t.conf",
			       "conn plain\n\tlocal = 192.0.2.1\n\tremote = 192.0.2.2\n"
			       "\tlocal_ts = 10.0.1.0/24\n\tremote_ts = 10.0.2.0/24\n"
			       "conn six\n\tlocal = 2001:db8::1\n\tremote = 2001:db8::2\n"
			       "\tstart_action = route\n\treqid = 42\n"
			       "conn net\n\tlocal = 192.0.2.1\n\tremote = 192.0.2.3\n"
			       "\tlocal_ts = 10.0.1.0/24\n\tremote_ts = 10.0.0.0/16\n"
			       "\tstart_action = route\n",
			       &cfg, err, sizeof(err)) == 0, "three connections (%s)", err);
	memset(&ev, 0, sizeof(ev));
	ev.has_index = true;
	ev.index = 9;
	CHECK(ike_acquire_match(cfg.conns, cfg.nconns, pol, &ev) == 2, "by policy index");
	ev.index = 7;
	CHECK(ike_acquire_match(cfg.conns, cfg.nconns, pol, &ev) == -1,
	      "a policy of a connection that is not routed: none");
	ev.has_reqid = true;
	ev.reqid = 42;
	CHECK(ike_acquire_match(cfg.conns, cfg.nconns, pol, &ev) == 1, "by template reqid");
	ev.reqid = 1;
	CHECK(ike_acquire_match(cfg.conns, cfg.nconns, pol, &ev) == -1,
	      "reqid of the unrouted connection: none");
	memset(&ev, 0, sizeof(ev));
	ev.has_flow = true;
	addr(&ev.fsrc, "10.0.1.1");
	addr(&ev.fdst, "10.0.2.1");
	CHECK(ike_acquire_match(cfg.conns, cfg.nconns, pol, &ev) == 2,
	      "by the packet within local_ts -> remote_ts (routed connections only)");
	addr(&ev.fsrc, "10.0.3.1");
	CHECK(ike_acquire_match(cfg.conns, cfg.nconns, NULL, &ev) == -1, "source outside: none");
	addr(&ev.fsrc, "2001:db8::1");
	addr(&ev.fdst, "2001:db8::2");
	CHECK(ike_acquire_match(cfg.conns, cfg.nconns, NULL, &ev) == 1, "IPv6 hosts");
	addr(&ev.fsrc, "10.0.1.255");
	{
		struct kipsec_addr n;

		addr(&n, "10.0.1.0");
		CHECK(ike_addr_in(&ev.fsrc, &n, 24) && !ike_addr_in(&ev.fsrc, &n, 25) &&
		      ike_addr_in(&ev.fsrc, &n, 0) && !ike_addr_in(&ev.fdst, &n, 0),
		      "prefix test: /24, /25, /0, family");
	}
	ike_config_free(&cfg);
}

static struct nlmsghdr *event_msg(char *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = 0x20;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

static void parse(void)
{
	static char buf[4096];
	struct nlmsghdr *nlh;
	struct nlattr *n1, *n2;
	struct ike_event ev;
	uint8_t a[4] = { 10, 0, 1, 1 }, b[4] = { 10, 0, 2, 1 };

	nlh = event_msg(buf, KIPSEC_CMD_ACQUIRE);
	/* as the kernel sends it: the whole policy, with its selector */
	n1 = mnl_attr_nest_start(nlh, KIPSEC_A_EVENT_POLICY);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_INDEX, 5);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_DIR, KIPSEC_DIR_OUT);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_ACTION, KIPSEC_ACTION_PROTECT);
	n2 = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY_SELECTOR);
	mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_FAMILY, AF_INET);
	mnl_attr_nest_end(nlh, n2);
	n2 = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY_TMPL);
	mnl_attr_put_u32(nlh, KIPSEC_A_TMPL_PROTO, 50);
	mnl_attr_put_u32(nlh, KIPSEC_A_TMPL_REQID, 3);
	mnl_attr_nest_end(nlh, n2);
	mnl_attr_nest_end(nlh, n1);
	n1 = mnl_attr_nest_start(nlh, KIPSEC_A_EVENT_FLOW);
	mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_FAMILY, AF_INET);
	mnl_attr_put(nlh, KIPSEC_A_SELECTOR_SADDR, 4, a);
	mnl_attr_put(nlh, KIPSEC_A_SELECTOR_DADDR, 4, b);
	mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_PROTO, 1);
	mnl_attr_nest_end(nlh, n1);
	mnl_attr_put_u32(nlh, KIPSEC_A_EVENT_CPU, 1);
	CHECK(ike_event_parse(nlh, &ev) == 0 && ev.cmd == KIPSEC_CMD_ACQUIRE && ev.has_index &&
	      ev.index == 5 && ev.has_reqid && ev.reqid == 3 && ev.has_flow &&
	      ev.fsrc.bytes[2] == 1 && ev.fdst.bytes[2] == 2 && ev.has_cpu && ev.cpu == 1,
	      "acquire: policy index, reqid, flow, cpu");

	nlh = event_msg(buf, KIPSEC_CMD_EXPIRE);
	n1 = mnl_attr_nest_start(nlh, KIPSEC_A_EVENT_SA);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_FAMILY, AF_INET);
	mnl_attr_put(nlh, KIPSEC_A_SA_DADDR, 4, b);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_SPI, 0xc0ffee01);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_PROTO, 50);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_REQID, 3);
	mnl_attr_nest_end(nlh, n1);
	CHECK(ike_event_parse(nlh, &ev) == 0 && ev.cmd == KIPSEC_CMD_EXPIRE && !ev.hard &&
	      ev.spi == 0xc0ffee01 && ev.daddr.family == AF_INET && ev.daddr.bytes[3] == 1 &&
	      ev.sa_reqid == 3, "soft expire: SPI, destination, reqid");
	mnl_attr_put(nlh, KIPSEC_A_EVENT_HARD, 0, NULL);
	CHECK(ike_event_parse(nlh, &ev) == 0 && ev.hard, "hard expire: the flag");

	nlh = event_msg(buf, KIPSEC_CMD_EXPIRE);
	CHECK(ike_event_parse(nlh, &ev) < 0, "expire without an SA: refused");
	nlh = event_msg(buf, KIPSEC_CMD_EXPIRE);
	n1 = mnl_attr_nest_start(nlh, KIPSEC_A_EVENT_SA);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_FAMILY, AF_INET);
	mnl_attr_put(nlh, KIPSEC_A_SA_DADDR, 3, b);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_SPI, 1);
	mnl_attr_nest_end(nlh, n1);
	CHECK(ike_event_parse(nlh, &ev) < 0, "address of the wrong length: refused");
	nlh = event_msg(buf, KIPSEC_CMD_ACQUIRE);
	CHECK(ike_event_parse(nlh, &ev) < 0, "acquire naming nothing: refused");
	nlh = event_msg(buf, KIPSEC_CMD_SA_GET);
	CHECK(ike_event_parse(nlh, &ev) < 0, "not an event: refused");
}

int main(void)
{
	config();
	soft();
	match();
	parse();
	return tap_done();
}
