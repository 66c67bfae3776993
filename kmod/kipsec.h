/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared between kipsec's kernel files.
 */
#ifndef _KIPSEC_H
#define _KIPSEC_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rhashtable.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "../uapi/linux/kipsec.h"

#define KIPSEC_VERSION "0.2.0"

/* Per-namespace counters: index = the KIPSEC_A_STATS_* attribute. */
#define KIPSEC_STATS_N	(KIPSEC_A_STATS_MAX + 1)

/* Policy directions are the API's enum kipsec_dir (1..3). */
#define KIPSEC_DIRS	3

/*
 * Per network namespace state. Everything kipsec is configured with lives
 * here, so namespaces never see each other's configuration. Allocated and
 * zeroed by the pernet core before the namespace becomes reachable and freed
 * after its last user is gone; the genl family is registered after the pernet
 * subsystem, so every request finds its namespace's state.
 *
 * Locking: @lock serialises every configuration change (netlink requests,
 * the lifetime worker). The packet path takes no lock: it reads the SAD
 * hash tables and the SPD lists under RCU, and objects are freed after a
 * grace period.
 */
struct kipsec_net {
	struct net *net;
	atomic64_t nl_requests;

	struct mutex lock;		/* configuration changes, see above */
	struct rhashtable sad;		/* kipsec_sa by kipsec_sa_id: input */
	struct rhltable sad_out;	/* kipsec_sa by kipsec_sa_out_key: output */
	struct list_head sa_list;	/* every SA, in insertion order (dump) */
	unsigned int sa_count;
	u64 sa_gen;			/* bumped on every SA change: dump resume */
	struct list_head spd[KIPSEC_DIRS];	/* kipsec_policy, by priority, RCU */
	unsigned int policy_count;
	u32 policy_next_index;
	struct delayed_work lifetime_work;	/* SA lifetimes, see sa.c */

	u64 __percpu *stats;		/* KIPSEC_STATS_N counters per CPU */
};

extern unsigned int kipsec_net_id;

/* The SPD list for @dir (enum kipsec_dir). */
static inline struct list_head *kipsec_spd_list(struct kipsec_net *kn, u32 dir)
{
	return &kn->spd[dir - KIPSEC_DIR_OUT];
}

extern struct genl_family kipsec_genl_family;

static inline struct kipsec_net *kipsec_pernet(const struct net *net)
{
	return net_generic(net, kipsec_net_id);
}

/* Count one event of kind @attr (a KIPSEC_A_STATS_* value) in @kn. */
static inline void kipsec_stat_inc(struct kipsec_net *kn, int attr)
{
	this_cpu_inc(kn->stats[attr]);
}

int kipsec_netlink_init(void);
void kipsec_netlink_uninit(void);
int kipsec_hooks_init(void);
void kipsec_hooks_uninit(void);
int kipsec_input_init(void);
void kipsec_input_uninit(void);

#endif /* _KIPSEC_H */
