/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared between kipsec's kernel files.
 */
#ifndef _KIPSEC_H
#define _KIPSEC_H

#include <linux/atomic.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#define KIPSEC_VERSION "0.1.0"

/*
 * Per network namespace state. Everything kipsec is configured with lives
 * here, so namespaces never see each other's configuration. Allocated and
 * zeroed by the pernet core before the namespace becomes reachable and freed
 * after its last user is gone; the genl family is registered after the pernet
 * subsystem, so every request finds its namespace's state.
 */
struct kipsec_net {
	struct net *net;
	atomic64_t nl_requests;
};

extern unsigned int kipsec_net_id;

static inline struct kipsec_net *kipsec_pernet(const struct net *net)
{
	return net_generic(net, kipsec_net_id);
}

int kipsec_netlink_init(void);
void kipsec_netlink_uninit(void);

#endif /* _KIPSEC_H */
