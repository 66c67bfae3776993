// SPDX-License-Identifier: GPL-2.0
/* kipsec events for the daemon: parsing and the stateless decisions. */
#include <string.h>

#include <linux/genetlink.h>
#include <linux/kipsec.h>

#include "../tools/monitor.h"
#include "events.h"
#include "lifetime.h"

/*
 * The CLI's parser (tools/monitor.c, which `kipsec monitor` prints from)
 * reads the message; here only what the daemon decides on is kept.
 */
int ike_event_parse(const struct nlmsghdr *nlh, struct ike_event *ev)
{
	struct kipsec_event k;

	memset(ev, 0, sizeof(*ev));
	if (kipsec_event_parse(nlh, &k) < 0)
		return -1;
	ev->cmd = k.cmd;
	ev->hard = k.hard;
	ev->has_cpu = k.has_cpu;
	ev->cpu = k.cpu;
	if (k.has_policy) {
		ev->has_index = KIPSEC_POLICY_HAS(&k.policy, KIPSEC_A_POLICY_INDEX);
		ev->index = k.policy.index;
		ev->reqid = k.policy.ntmpl ? k.policy.tmpl[0].reqid : 0;
		ev->has_reqid = ev->reqid != 0;
	}
	if (k.has_flow && k.flow.saddr.family && k.flow.daddr.family) {
		ev->has_flow = true;
		ev->fsrc = k.flow.saddr;
		ev->fdst = k.flow.daddr;
	}
	if (k.has_sa && KIPSEC_SA_HAS(&k.sa, KIPSEC_A_SA_SPI) && k.sa.daddr.family) {
		ev->has_sa = true;
		ev->spi = k.sa.spi;
		ev->daddr = k.sa.daddr;
		ev->sa_reqid = k.sa.reqid;
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
			    ike_addr_in(&ev->fsrc, &conns[i].lts.addr, conns[i].lts.plen) &&
			    ike_addr_in(&ev->fdst, &conns[i].rts.addr, conns[i].rts.plen))
				return i;
	return -1;
}

uint32_t ike_soft_lifetime(uint32_t life, bool initiator, uint32_t rnd)
{
	/* one scheme for seconds and bytes (lifetime.c) */
	return (uint32_t)ike_soft_limit(life, initiator, rnd);
}
