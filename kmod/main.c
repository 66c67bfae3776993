// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec: module init/exit and per network namespace lifetime.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "../uapi/linux/kipsec.h"
#include "kipsec.h"

unsigned int kipsec_net_id __read_mostly;

static int __net_init kipsec_net_init(struct net *net)
{
	struct kipsec_net *kn = kipsec_pernet(net);

	kn->net = net;
	atomic64_set(&kn->nl_requests, 0);
	return 0;
}

static struct pernet_operations kipsec_net_ops = {
	.init = kipsec_net_init,
	.id = &kipsec_net_id,
	.size = sizeof(struct kipsec_net),
};

static int __init kipsec_init(void)
{
	int ret;

	/*
	 * Namespace state first: once the genl family exists, requests can
	 * arrive from any namespace and must find their kipsec_net.
	 */
	ret = register_pernet_subsys(&kipsec_net_ops);
	if (ret)
		goto err_pernet;

	ret = kipsec_netlink_init();
	if (ret)
		goto err_netlink;

	pr_info("kipsec %s loaded\n", KIPSEC_VERSION);
	return 0;

err_netlink:
	unregister_pernet_subsys(&kipsec_net_ops);
err_pernet:
	return ret;
}

static void __exit kipsec_exit(void)
{
	/*
	 * Reverse order: unregistering the family waits for requests in
	 * flight, so no handler can touch namespace state while it is freed.
	 */
	kipsec_netlink_uninit();
	unregister_pernet_subsys(&kipsec_net_ops);
	pr_info("kipsec %s unloaded\n", KIPSEC_VERSION);
}

module_init(kipsec_init);
module_exit(kipsec_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kipsec: IPsec ESP/AH data path with its own SPD and SAD");
MODULE_VERSION(KIPSEC_VERSION);
MODULE_ALIAS_GENL_FAMILY(KIPSEC_FAMILY_NAME);
