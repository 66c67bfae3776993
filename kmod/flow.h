/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packet → flow decoding for policy lookups.
 */
#ifndef _KIPSEC_FLOW_H
#define _KIPSEC_FLOW_H

#include <linux/skbuff.h>

#include "selector.h"

int kipsec_flow_decode(const struct sk_buff *skb, struct kipsec_flow *fl);

#endif /* _KIPSEC_FLOW_H */
