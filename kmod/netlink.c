// SPDX-License-Identifier: GPL-2.0
/*
 * The "kipsec" generic netlink family: registration and request handlers.
 * Policies and the ops table are generated from uapi/kipsec.yaml (nl_gen.c).
 */
#include <crypto/algapi.h>
#include <net/genetlink.h>

#include "crypto.h"
#include "events.h"
#include "kipsec.h"
#include "nl_gen.h"

struct genl_family kipsec_genl_family __ro_after_init = {
	.name		= KIPSEC_FAMILY_NAME,
	.version	= KIPSEC_FAMILY_VERSION,
	.module		= THIS_MODULE,
	.ops		= kipsec_nl_ops,
	.n_ops		= ARRAY_SIZE(kipsec_nl_ops),
	.mcgrps		= kipsec_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(kipsec_nl_mcgrps),
	.netnsok	= true,
	.parallel_ops	= true,
};

static int put_alg(struct sk_buff *msg, const struct kipsec_alg *alg)
{
	char driver[CRYPTO_MAX_ALG_NAME];
	struct nlattr *nest;
	bool avail;

	avail = !kipsec_alg_probe(alg, driver, sizeof(driver));

	nest = nla_nest_start(msg, KIPSEC_A_INFO_ALG);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(msg, KIPSEC_A_ALG_NAME, alg->name) ||
	    nla_put_u32(msg, KIPSEC_A_ALG_KIND, alg->kind) ||
	    (avail && nla_put_flag(msg, KIPSEC_A_ALG_AVAILABLE)) ||
	    (avail && nla_put_string(msg, KIPSEC_A_ALG_DRIVER, driver))) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

int kipsec_nl_get_info_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct kipsec_net *kn = kipsec_pernet(net);
	const struct kipsec_alg *only = NULL;
	struct nlattr *filter;
	struct sk_buff *msg;
	size_t i;
	void *hdr;
	int ret;

	filter = info->attrs[KIPSEC_A_INFO_ALG_NAME];
	if (filter) {
		only = kipsec_alg_find(nla_data(filter));
		if (!only) {
			NL_SET_ERR_MSG_ATTR(info->extack, filter,
					    "kipsec does not support this algorithm");
			return -ENOENT;
		}
	}

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &kipsec_genl_family, 0, info->genlhdr->cmd);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto err_free;
	}

	ret = -EMSGSIZE;
	if (nla_put_string(msg, KIPSEC_A_INFO_VERSION, KIPSEC_VERSION) ||
	    nla_put_u32(msg, KIPSEC_A_INFO_API_VERSION, KIPSEC_FAMILY_VERSION) ||
	    nla_put_u64_64bit(msg, KIPSEC_A_INFO_NETNS_COOKIE, net->net_cookie,
			      KIPSEC_A_INFO_PAD) ||
	    nla_put_u64_64bit(msg, KIPSEC_A_INFO_NL_REQUESTS,
			      atomic64_inc_return(&kn->nl_requests), KIPSEC_A_INFO_PAD))
		goto err_free;

	for (i = 0; i < kipsec_algs_count; i++) {
		if (only && only != &kipsec_algs[i])
			continue;
		ret = put_alg(msg, &kipsec_algs[i]);
		if (ret)
			goto err_free;
	}

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return ret;
}

int kipsec_nl_get_stats_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_pernet(genl_info_net(info));
	u64 sum[KIPSEC_STATS_N] = {};
	struct sk_buff *msg;
	int cpu, i, ret;
	void *hdr;

	for_each_possible_cpu(cpu)
		for (i = 1; i < KIPSEC_STATS_N; i++)
			sum[i] += READ_ONCE(per_cpu_ptr(kn->stats, cpu)[i]);

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &kipsec_genl_family, 0, info->genlhdr->cmd);
	ret = -EMSGSIZE;
	if (!hdr)
		goto err_free;
	for (i = 1; i < KIPSEC_STATS_N; i++) {
		if (i == KIPSEC_A_STATS_PAD)
			continue;
		if (nla_put_u64_64bit(msg, i, sum[i], KIPSEC_A_STATS_PAD))
			goto err_free;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return ret;
}

int __init kipsec_netlink_init(void)
{
	return genl_register_family(&kipsec_genl_family);
}

void kipsec_netlink_uninit(void)
{
	genl_unregister_family(&kipsec_genl_family);
}
