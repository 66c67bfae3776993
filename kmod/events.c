// SPDX-License-Identifier: GPL-2.0
/*
 * Events for key daemons: acquire, soft/hard expire and SA deletion, sent
 * to the "events" group of the SA's or policy's own namespace. Called from
 * the packet path (acquire, softirq) and under kn->lock (the rest), so
 * allocations are atomic; an event that cannot be allocated is lost, as
 * with any netlink multicast under memory pressure.
 */
#include <net/genetlink.h>

#include "events.h"
#include "nl_gen.h"
#include "policy.h"
#include "sa.h"

static struct sk_buff *event_new(u8 cmd, void **hdr)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &kipsec_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static void event_send(struct kipsec_net *kn, struct sk_buff *msg, void *hdr)
{
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&kipsec_genl_family, kn->net, msg, 0, KIPSEC_NLGRP_EVENTS,
				GFP_ATOMIC);
}

void kipsec_event_sa(struct kipsec_net *kn, const struct kipsec_sa *sa, u8 cmd, bool hard)
{
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&kipsec_genl_family, kn->net, KIPSEC_NLGRP_EVENTS))
		return;
	msg = event_new(cmd, &hdr);
	if (!msg)
		return;
	nest = nla_nest_start(msg, KIPSEC_A_EVENT_SA);
	if (!nest || kipsec_nl_put_sa(msg, sa, false))
		goto err;
	nla_nest_end(msg, nest);
	if (hard && nla_put_flag(msg, KIPSEC_A_EVENT_HARD))
		goto err;
	event_send(kn, msg, hdr);
	return;
err:
	nlmsg_free(msg);
}

/* @cpu: the CPU without an SA of its own (per-cpu template), or -1. */
void kipsec_event_acquire(struct kipsec_net *kn, const struct kipsec_policy *pol,
			  const struct kipsec_flow *fl, int cpu)
{
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&kipsec_genl_family, kn->net, KIPSEC_NLGRP_EVENTS))
		return;
	msg = event_new(KIPSEC_CMD_ACQUIRE, &hdr);
	if (!msg)
		return;
	nest = nla_nest_start(msg, KIPSEC_A_EVENT_POLICY);
	if (!nest || kipsec_nl_put_policy(msg, pol))
		goto err;
	nla_nest_end(msg, nest);
	if (kipsec_nl_put_flow(msg, KIPSEC_A_EVENT_FLOW, fl) ||
	    (cpu >= 0 && nla_put_u32(msg, KIPSEC_A_EVENT_CPU, cpu)))
		goto err;
	kipsec_stat_inc(kn, KIPSEC_A_STATS_ACQUIRES);
	event_send(kn, msg, hdr);
	return;
err:
	nlmsg_free(msg);
}
