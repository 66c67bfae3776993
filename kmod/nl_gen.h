/* SPDX-License-Identifier: GPL-2.0 */
/* Do not edit: generated from uapi/kipsec.yaml by uapi/gen.py */

#ifndef _KIPSEC_NL_GEN_H
#define _KIPSEC_NL_GEN_H

#include <net/genetlink.h>

#include "../uapi/linux/kipsec.h"

extern const struct nla_policy kipsec_get_info_do_nl_policy[KIPSEC_A_INFO_ALG_NAME + 1];

int kipsec_nl_get_info_doit(struct sk_buff *skb, struct genl_info *info);

enum kipsec_nl_mcgrp {
	KIPSEC_NLGRP_EVENTS,
};

extern const struct genl_ops kipsec_nl_ops[1];
extern const struct genl_multicast_group kipsec_nl_mcgrps[1];

#endif /* _KIPSEC_NL_GEN_H */
