/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Security policies (the SPD): per direction, ordered by priority.
 */
#ifndef _KIPSEC_POLICY_H
#define _KIPSEC_POLICY_H

#include "kipsec.h"
#include "selector.h"

/* The SA a protect policy asks for. */
struct kipsec_tmpl {
	u16 family;			/* of saddr/daddr; tunnel endpoints */
	u8 proto;
	u8 mode;
	bool per_cpu;			/* prefer the sending CPU's SA (sa.c) */
	u32 reqid;
	union kipsec_addr saddr;
	union kipsec_addr daddr;
};

/*
 * A protect policy asks for one SA, or a bundle of two: ESP inside, AH
 * outside (RFC 4301 4.5). tmpl[] is ordered innermost first, as xfrm
 * orders a policy's templates: output applies tmpl[0] first; input meets
 * the outermost layer first, so it checks the SAs a packet passed through
 * against tmpl[ntmpl - 1] down to tmpl[0] (input.c).
 */
#define KIPSEC_MAX_TMPL		2

/*
 * Policies are immutable once published: the packet path walks the lists
 * under RCU; add, delete and flush hold kn->lock and free after a grace
 * period. Only the counters and the acquire rate limit change.
 */
struct kipsec_policy {
	struct list_head list;		/* kn->spd[dir] */
	struct rcu_head rcu;
	u32 index;
	u32 priority;
	u8 dir;				/* enum kipsec_dir (uapi) */
	u8 action;			/* KIPSEC_ACTION_* */
	struct kipsec_selector sel;
	u8 ntmpl;			/* templates in tmpl[]; 0 unless protect */
	struct kipsec_tmpl tmpl[KIPSEC_MAX_TMPL];
	u64 __percpu *packets;
	unsigned long next_acquire;	/* jiffies; acquires are rate-limited */
	unsigned long __percpu *next_cpu_acquire;	/* the same, per CPU lacking an SA */
};

void kipsec_spd_init(struct kipsec_net *kn);
void kipsec_spd_uninit(struct kipsec_net *kn);
int kipsec_policy_add(struct kipsec_net *kn, struct kipsec_policy *pol,
		      struct netlink_ext_ack *extack);
struct kipsec_policy *kipsec_policy_alloc(void);
void kipsec_policy_free(struct kipsec_policy *pol);
int kipsec_policy_del(struct kipsec_net *kn, u32 index);
void kipsec_policy_flush(struct kipsec_net *kn);
struct kipsec_policy *kipsec_spd_lookup(struct kipsec_net *kn, u32 dir,
					const struct kipsec_flow *fl);
u64 kipsec_policy_packets(const struct kipsec_policy *pol);
bool kipsec_policy_acquire_due(struct kipsec_policy *pol);
bool kipsec_policy_cpu_acquire_due(struct kipsec_policy *pol, unsigned int cpu);

#endif /* _KIPSEC_POLICY_H */
