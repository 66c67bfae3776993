// SPDX-License-Identifier: GPL-2.0
/* kipsec events for the daemon: parsing and the stateless decisions. */
#include <string.h>

#include <linux/genetlink.h>
#include <linux/kipsec.h>

#include "events.h"

static int addr_of(const struct nlattr *a, uint32_t family, struct kipsec_addr *out)
{
	uint32_t len = kipsec_family_len(family);

	if (!len || mnl_attr_get_payload_len(a) != len)
		return -1;
	out->family = family;
	out->len = len;
	memcpy(out->bytes, mnl_attr_get_payload(a), len);
	return 0;
}

struct attrs {
	const struct nlattr *tb[32];
};

static int collect(const struct nlattr *a, void *data)
{
	struct attrs *t = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type < 32)
		t->tb[type] = a;
	return MNL_CB_OK;
}

static int nest(const struct nlattr *a, struct attrs *t)
{
	memset(t, 0, sizeof(*t));
	if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
		return -1;
	return mnl_attr_parse_nested(a, collect, t) == MNL_CB_ERROR ? -1 : 0;
}

static int u32_of(const struct nlattr *a, uint32_t *v)
{
	if (!a || mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return -1;
	*v = mnl_attr_get_u32(a);
	return 0;
}

static int parse_policy(const struct nlattr *a, struct ike_event *ev)
{
	struct attrs p, t;

	if (nest(a, &p) < 0)
		return -1;
	if (p.tb[KIPSEC_A_POLICY_INDEX]) {
		if (u32_of(p.tb[KIPSEC_A_POLICY_INDEX], &ev->index) < 0)
			return -1;
		ev->has_index = true;
	}
	if (p.tb[KIPSEC_A_POLICY_TMPL]) {
		if (nest(p.tb[KIPSEC_A_POLICY_TMPL], &t) < 0)
			return -1;
		if (t.tb[KIPSEC_A_TMPL_REQID]) {
			if (u32_of(t.tb[KIPSEC_A_TMPL_REQID], &ev->reqid) < 0)
				return -1;
			ev->has_reqid = ev->reqid != 0;
		}
	}
	return 0;
}

static int parse_flow(const struct nlattr *a, struct ike_event *ev)
{
	struct attrs s;
	uint32_t family;

	if (nest(a, &s) < 0 || u32_of(s.tb[KIPSEC_A_SELECTOR_FAMILY], &family) < 0 ||
	    !s.tb[KIPSEC_A_SELECTOR_SADDR] || !s.tb[KIPSEC_A_SELECTOR_DADDR] ||
	    addr_of(s.tb[KIPSEC_A_SELECTOR_SADDR], family, &ev->fsrc) < 0 ||
	    addr_of(s.tb[KIPSEC_A_SELECTOR_DADDR], family, &ev->fdst) < 0)
		return -1;
	ev->has_flow = true;
	return 0;
}

static int parse_sa(const struct nlattr *a, struct ike_event *ev)
{
	struct attrs s;
	uint32_t family;

	if (nest(a, &s) < 0 || u32_of(s.tb[KIPSEC_A_SA_FAMILY], &family) < 0 ||
	    u32_of(s.tb[KIPSEC_A_SA_SPI], &ev->spi) < 0 || !s.tb[KIPSEC_A_SA_DADDR] ||
	    addr_of(s.tb[KIPSEC_A_SA_DADDR], family, &ev->daddr) < 0)
		return -1;
	if (s.tb[KIPSEC_A_SA_REQID] && u32_of(s.tb[KIPSEC_A_SA_REQID], &ev->sa_reqid) < 0)
		return -1;
	ev->has_sa = true;
	return 0;
}

int ike_event_parse(const struct nlmsghdr *nlh, struct ike_event *ev)
{
	const struct genlmsghdr *g;
	const struct nlattr *a;

	memset(ev, 0, sizeof(*ev));
	if (nlh->nlmsg_len < mnl_nlmsg_size(MNL_ALIGN(sizeof(*g))))
		return -1;
	g = mnl_nlmsg_get_payload(nlh);
	ev->cmd = g->cmd;
	if (ev->cmd != KIPSEC_CMD_ACQUIRE && ev->cmd != KIPSEC_CMD_EXPIRE &&
	    ev->cmd != KIPSEC_CMD_SA_DELETED)
		return -1;
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		switch (mnl_attr_get_type(a)) {
		case KIPSEC_A_EVENT_POLICY:
			if (parse_policy(a, ev) < 0)
				return -1;
			break;
		case KIPSEC_A_EVENT_FLOW:
			if (parse_flow(a, ev) < 0)
				return -1;
			break;
		case KIPSEC_A_EVENT_SA:
			if (parse_sa(a, ev) < 0)
				return -1;
			break;
		case KIPSEC_A_EVENT_CPU:
			if (u32_of(a, &ev->cpu) < 0)
				return -1;
			ev->has_cpu = true;
			break;
		case KIPSEC_A_EVENT_HARD:
			if (mnl_attr_validate(a, MNL_TYPE_FLAG) < 0)
				return -1;
			ev->hard = true;
			break;
		}
	}
	if (ev->cmd == KIPSEC_CMD_ACQUIRE)
		return ev->has_index || ev->has_reqid || ev->has_flow ? 0 : -1;
	return ev->has_sa ? 0 : -1;
}

bool ike_addr_in(const struct kipsec_addr *a, const struct kipsec_addr *net, uint32_t plen)
{
	uint32_t full = plen / 8, rest = plen % 8;

	if (a->family != net->family || a->len != net->len || plen > a->len * 8)
		return false;
	if (memcmp(a->bytes, net->bytes, full))
		return false;
	if (!rest)
		return true;
	return ((a->bytes[full] ^ net->bytes[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

int ike_acquire_match(const struct ike_conn *conns, int n, const uint32_t *pol_out,
		      const struct ike_event *ev)
{
	int i;

	if (ev->has_index)
		for (i = 0; i < n; i++)
			if (conns[i].start == START_ROUTE && pol_out && pol_out[i] &&
			    pol_out[i] == ev->index)
				return i;
	if (ev->has_reqid)
		for (i = 0; i < n; i++)
			if (conns[i].start == START_ROUTE && conns[i].reqid == ev->reqid)
				return i;
	if (ev->has_flow)
		for (i = 0; i < n; i++)
			if (conns[i].start == START_ROUTE &&
			    ike_addr_in(&ev->fsrc, &conns[i].lts, conns[i].lts_plen) &&
			    ike_addr_in(&ev->fdst, &conns[i].rts, conns[i].rts_plen))
				return i;
	return -1;
}

uint32_t ike_soft_lifetime(uint32_t life, bool initiator, uint32_t rnd)
{
	uint32_t margin, jitter;

	if (life < 2)
		return 0;
	if (initiator) {
		margin = life / 10;		/* at least 10% before the end ... */
		jitter = life / 10;		/* ... and up to 10% more */
	} else {
		margin = life / 20;		/* 5% .. 7.5% */
		jitter = life / 40;
	}
	if (!margin)
		margin = 1;
	margin += jitter ? rnd % (jitter + 1) : 0;
	return margin < life ? life - margin : 1;
}
