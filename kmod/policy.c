// SPDX-License-Identifier: GPL-2.0
/*
 * The security policy database. Each direction is a list ordered by
 * priority (lower first, ties in insertion order) searched linearly for
 * the first policy whose selector matches, as RFC 4301 4.4.1 orders the
 * SPD. Linear search is fine for the tens of policies a gateway has; the
 * packet path skips it entirely when a direction has no policies.
 */
#include <linux/rculist.h>
#include <linux/slab.h>

#include "policy.h"

struct kipsec_policy *kipsec_policy_alloc(void)
{
	struct kipsec_policy *pol = kzalloc(sizeof(*pol), GFP_KERNEL);

	if (!pol)
		return NULL;
	pol->packets = alloc_percpu(u64);
	if (!pol->packets)
		goto err_packets;
	pol->next_cpu_acquire = alloc_percpu(unsigned long);
	if (!pol->next_cpu_acquire)
		goto err_acquire;
	return pol;

err_acquire:
	free_percpu(pol->packets);
err_packets:
	kfree(pol);
	return NULL;
}

void kipsec_policy_free(struct kipsec_policy *pol)
{
	free_percpu(pol->next_cpu_acquire);
	free_percpu(pol->packets);
	kfree(pol);
}

static void policy_free_rcu(struct rcu_head *head)
{
	kipsec_policy_free(container_of(head, struct kipsec_policy, rcu));
}

static bool same_selector(const struct kipsec_selector *a, const struct kipsec_selector *b)
{
	return a->family == b->family && a->proto == b->proto &&
	       a->sprefix == b->sprefix && a->dprefix == b->dprefix &&
	       !memcmp(&a->saddr, &b->saddr, sizeof(a->saddr)) &&
	       !memcmp(&a->daddr, &b->daddr, sizeof(a->daddr)) &&
	       a->sport_lo == b->sport_lo && a->sport_hi == b->sport_hi &&
	       a->dport_lo == b->dport_lo && a->dport_hi == b->dport_hi;
}

int kipsec_policy_add(struct kipsec_net *kn, struct kipsec_policy *pol,
		      struct netlink_ext_ack *extack)
{
	struct list_head *head = kipsec_spd_list(kn, pol->dir);
	struct kipsec_policy *p;

	lockdep_assert_held(&kn->lock);
	list_for_each_entry(p, head, list) {
		if (p->priority == pol->priority && same_selector(&p->sel, &pol->sel)) {
			NL_SET_ERR_MSG(extack,
				       "a policy with this direction, priority and selector exists");
			return -EEXIST;
		}
	}
	/* Indexes are never reused while the namespace lives (until 2^32 adds). */
	pol->index = ++kn->policy_next_index;
	list_for_each_entry(p, head, list)
		if (p->priority > pol->priority)
			break;
	/* Insert before @p (or at the tail): readers see the list whole either way. */
	list_add_tail_rcu(&pol->list, &p->list);
	kn->policy_count++;
	return 0;
}

static void policy_unlink(struct kipsec_net *kn, struct kipsec_policy *pol)
{
	list_del_rcu(&pol->list);
	kn->policy_count--;
	call_rcu(&pol->rcu, policy_free_rcu);
}

int kipsec_policy_del(struct kipsec_net *kn, u32 index)
{
	struct kipsec_policy *pol;
	int dir;

	lockdep_assert_held(&kn->lock);
	for (dir = 0; dir < KIPSEC_DIRS; dir++) {
		list_for_each_entry(pol, &kn->spd[dir], list) {
			if (pol->index == index) {
				policy_unlink(kn, pol);
				return 0;
			}
		}
	}
	return -ENOENT;
}

void kipsec_policy_flush(struct kipsec_net *kn)
{
	struct kipsec_policy *pol, *tmp;
	int dir;

	lockdep_assert_held(&kn->lock);
	for (dir = 0; dir < KIPSEC_DIRS; dir++)
		list_for_each_entry_safe(pol, tmp, &kn->spd[dir], list)
			policy_unlink(kn, pol);
}

/* Packet path, under RCU: the first matching policy, counted. */
struct kipsec_policy *kipsec_spd_lookup(struct kipsec_net *kn, u32 dir,
					const struct kipsec_flow *fl)
{
	struct kipsec_policy *pol;

	list_for_each_entry_rcu(pol, kipsec_spd_list(kn, dir), list) {
		if (kipsec_selector_match(&pol->sel, fl)) {
			this_cpu_inc(*pol->packets);
			return pol;
		}
	}
	return NULL;
}

u64 kipsec_policy_packets(const struct kipsec_policy *pol)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(pol->packets, cpu));
	return sum;
}

/* At most one acquire per second in *@next (jiffies; 0: never sent). */
static bool acquire_due(unsigned long *next_acquire)
{
	unsigned long next = READ_ONCE(*next_acquire);
	unsigned long now = jiffies;

	if (next && time_before(now, next))
		return false;
	return cmpxchg(next_acquire, next, now + HZ) == next;
}

/* At most one acquire per policy per second, whichever CPU asks. */
bool kipsec_policy_acquire_due(struct kipsec_policy *pol)
{
	return acquire_due(&pol->next_acquire);
}

/*
 * Per-cpu templates: at most one acquire per second for each CPU that
 * lacks an SA of its own, so one CPU's request doesn't hide another's.
 * The slot is @cpu's but may be reached from another CPU (the sender
 * migrated after choosing), hence the cmpxchg.
 */
bool kipsec_policy_cpu_acquire_due(struct kipsec_policy *pol, unsigned int cpu)
{
	return acquire_due(per_cpu_ptr(pol->next_cpu_acquire, cpu));
}

void kipsec_spd_init(struct kipsec_net *kn)
{
	int dir;

	for (dir = 0; dir < KIPSEC_DIRS; dir++)
		INIT_LIST_HEAD(&kn->spd[dir]);
}

void kipsec_spd_uninit(struct kipsec_net *kn)
{
	mutex_lock(&kn->lock);
	kipsec_policy_flush(kn);
	mutex_unlock(&kn->lock);
}
