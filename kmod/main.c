// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec: module init/exit and per network namespace lifetime.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "kipsec.h"
#include "output.h"
#include "policy.h"
#include "route.h"
#include "sa.h"

unsigned int kipsec_net_id __read_mostly;

static int __net_init kipsec_net_init(struct net *net)
{
	struct kipsec_net *kn = kipsec_pernet(net);
	int ret;

	kn->net = net;
	atomic64_set(&kn->nl_requests, 0);
	mutex_init(&kn->lock);
	kipsec_spd_init(kn);
	kn->stats = __alloc_percpu(sizeof(u64) * KIPSEC_STATS_N, sizeof(u64));
	if (!kn->stats)
		return -ENOMEM;
	ret = kipsec_sad_init(kn);
	if (ret)
		goto err_sad;
	/* Hooks last: they use the tables as soon as they are registered. */
	ret = kipsec_input_net_init(net);
	if (ret)
		goto err_input;
	ret = kipsec_output_net_init(net);
	if (ret)
		goto err_output;
	return 0;

err_output:
	kipsec_input_net_uninit(net);
err_input:
	kipsec_sad_uninit(kn);
err_sad:
	free_percpu(kn->stats);
	return ret;
}

/*
 * The namespace is going away: no packets or requests can reach it any
 * more (its devices are gone, and genl requests hold a reference to it).
 * Unregistering the hooks waits for hook calls in flight; SAs still held
 * by asynchronous crypto requests are freed when those complete.
 */
static void __net_exit kipsec_net_exit(struct net *net)
{
	struct kipsec_net *kn = kipsec_pernet(net);

	kipsec_output_net_uninit(net);
	kipsec_input_net_uninit(net);
	kipsec_spd_uninit(kn);
	kipsec_sad_uninit(kn);
	free_percpu(kn->stats);
}

static struct pernet_operations kipsec_net_ops = {
	.init = kipsec_net_init,
	.exit = kipsec_net_exit,
	.id = &kipsec_net_id,
	.size = sizeof(struct kipsec_net),
};

static int __init kipsec_init(void)
{
	int ret;

	ret = kipsec_sa_module_init();
	if (ret)
		goto err_sa;
	/*
	 * Namespace state before anything that can find it: the ESP handlers
	 * and the genl family look namespaces' state up from any namespace.
	 */
	ret = register_pernet_subsys(&kipsec_net_ops);
	if (ret)
		goto err_pernet;
	/* Its notifier reads namespaces' state: after the pernet subsystem. */
	ret = kipsec_route_init();
	if (ret)
		goto err_route;
	ret = kipsec_input_init();
	if (ret)
		goto err_input;
	ret = kipsec_netlink_init();
	if (ret)
		goto err_netlink;

	pr_info("kipsec %s loaded\n", KIPSEC_VERSION);
	return 0;

err_netlink:
	kipsec_input_uninit();
err_input:
	kipsec_route_uninit();
err_route:
	unregister_pernet_subsys(&kipsec_net_ops);
err_pernet:
	kipsec_sa_module_uninit();
err_sa:
	return ret;
}

static void __exit kipsec_exit(void)
{
	/*
	 * Reverse order: unregistering the family waits for requests in
	 * flight and the ESP handlers' removal waits for an RCU grace period,
	 * so nothing touches namespace state once it is freed. SAs still
	 * referenced by crypto requests in flight are waited for last.
	 */
	kipsec_netlink_uninit();
	kipsec_input_uninit();
	kipsec_route_uninit();
	unregister_pernet_subsys(&kipsec_net_ops);
	kipsec_sa_module_uninit();
	pr_info("kipsec %s unloaded\n", KIPSEC_VERSION);
}

module_init(kipsec_init);
module_exit(kipsec_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kipsec: IPsec ESP/AH data path with its own SPD and SAD");
MODULE_VERSION(KIPSEC_VERSION);
MODULE_ALIAS_GENL_FAMILY(KIPSEC_FAMILY_NAME);
