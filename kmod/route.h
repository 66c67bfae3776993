/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Routes for ESP and AH packets: to a tunnel SA's peer, cached per SA, and
 * for packets whose path MTU the inner packets' PMTU exception must not
 * bound (see route.c).
 */
#ifndef _KIPSEC_ROUTE_H
#define _KIPSEC_ROUTE_H

#include <linux/skbuff.h>

struct kipsec_sa;

struct net;

struct dst_entry *kipsec_route_tunnel(struct net *net, struct kipsec_sa *sa,
				      const struct sk_buff *skb);
unsigned int kipsec_route_conf_mtu(const struct dst_entry *dst);
void kipsec_route_fit(struct kipsec_sa *sa, struct sk_buff *skb);
void kipsec_route_release(struct kipsec_sa *sa);

int kipsec_route_init(void);
void kipsec_route_uninit(void);

#endif
