/* SPDX-License-Identifier: GPL-2.0 */
/* Do not edit: generated from uapi/kipsec.yaml by uapi/gen.py */

#ifndef _KIPSEC_NL_GEN_H
#define _KIPSEC_NL_GEN_H

#include <net/genetlink.h>

#include "../uapi/linux/kipsec.h"

extern const struct nla_policy kipsec_lifetime_nl_policy[KIPSEC_A_LIFETIME_MAX + 1];
extern const struct nla_policy kipsec_selector_nl_policy[KIPSEC_A_SELECTOR_MAX + 1];
extern const struct nla_policy kipsec_tmpl_nl_policy[KIPSEC_A_TMPL_MAX + 1];
extern const struct nla_policy kipsec_get_info_nl_policy[KIPSEC_A_INFO_ALG_NAME + 1];
extern const struct nla_policy kipsec_sa_add_nl_policy[KIPSEC_A_SA_AH_ALIGN4 + 1];
extern const struct nla_policy kipsec_sa_update_nl_policy[KIPSEC_A_SA_AH_ALIGN4 + 1];
extern const struct nla_policy kipsec_sa_del_nl_policy[KIPSEC_A_SA_PROTO + 1];
extern const struct nla_policy kipsec_sa_get_nl_policy[KIPSEC_A_SA_SHOW_KEYS + 1];
extern const struct nla_policy kipsec_sa_flush_nl_policy[1 + 1];
extern const struct nla_policy kipsec_policy_add_nl_policy[KIPSEC_A_POLICY_TMPL + 1];
extern const struct nla_policy kipsec_policy_del_nl_policy[KIPSEC_A_POLICY_INDEX + 1];
extern const struct nla_policy kipsec_policy_get_nl_policy[1 + 1];
extern const struct nla_policy kipsec_policy_flush_nl_policy[1 + 1];
extern const struct nla_policy kipsec_get_stats_nl_policy[1 + 1];

int kipsec_nl_get_info_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_sa_add_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_sa_update_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_sa_del_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_sa_get_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_sa_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int kipsec_nl_sa_flush_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_policy_add_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_policy_del_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_policy_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int kipsec_nl_policy_flush_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_get_stats_doit(struct sk_buff *skb, struct genl_info *info);

enum kipsec_nl_mcgrp {
	KIPSEC_NLGRP_EVENTS,
};

extern const struct genl_ops kipsec_nl_ops[11];
extern const struct genl_multicast_group kipsec_nl_mcgrps[1];

#endif /* _KIPSEC_NL_GEN_H */
