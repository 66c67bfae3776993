/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Notifications on the "events" multicast group.
 */
#ifndef _KIPSEC_EVENTS_H
#define _KIPSEC_EVENTS_H

#include "kipsec.h"
#include "selector.h"

struct kipsec_sa;
struct kipsec_policy;

void kipsec_event_sa(struct kipsec_net *kn, const struct kipsec_sa *sa, u8 cmd, bool hard);
void kipsec_event_acquire(struct kipsec_net *kn, const struct kipsec_policy *pol,
			  const struct kipsec_flow *fl, int cpu);

/* Encoders shared by replies and events (nl_sa.c, nl_policy.c). */
int kipsec_nl_put_sa(struct sk_buff *msg, const struct kipsec_sa *sa, bool keys);
int kipsec_nl_put_policy(struct sk_buff *msg, const struct kipsec_policy *pol);
int kipsec_nl_put_flow(struct sk_buff *msg, int attr, const struct kipsec_flow *fl);

#endif /* _KIPSEC_EVENTS_H */
