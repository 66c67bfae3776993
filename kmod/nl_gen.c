// SPDX-License-Identifier: GPL-2.0
/* Do not edit: generated from uapi/kipsec.yaml by uapi/gen.py */

#include "nl_gen.h"

static struct netlink_range_validation kipsec_sa_replay_window_range = {
	.min = 0,
	.max = 32768,
};

static struct netlink_range_validation kipsec_sa_encap_sport_range = {
	.min = 1,
	.max = 65535,
};

static struct netlink_range_validation kipsec_sa_encap_dport_range = {
	.min = 1,
	.max = 65535,
};

static struct netlink_range_validation kipsec_selector_sport_min_range = {
	.min = 0,
	.max = 65535,
};

static struct netlink_range_validation kipsec_selector_sport_max_range = {
	.min = 0,
	.max = 65535,
};

static struct netlink_range_validation kipsec_selector_dport_min_range = {
	.min = 0,
	.max = 65535,
};

static struct netlink_range_validation kipsec_selector_dport_max_range = {
	.min = 0,
	.max = 65535,
};

const struct nla_policy kipsec_lifetime_nl_policy[KIPSEC_A_LIFETIME_MAX + 1] = {
	[KIPSEC_A_LIFETIME_SOFT_BYTES] = { .type = NLA_U64 },
	[KIPSEC_A_LIFETIME_HARD_BYTES] = { .type = NLA_U64 },
	[KIPSEC_A_LIFETIME_SOFT_PACKETS] = { .type = NLA_U64 },
	[KIPSEC_A_LIFETIME_HARD_PACKETS] = { .type = NLA_U64 },
	[KIPSEC_A_LIFETIME_SOFT_ADD_SECS] = { .type = NLA_U64 },
	[KIPSEC_A_LIFETIME_HARD_ADD_SECS] = { .type = NLA_U64 },
	[KIPSEC_A_LIFETIME_SOFT_USE_SECS] = { .type = NLA_U64 },
	[KIPSEC_A_LIFETIME_HARD_USE_SECS] = { .type = NLA_U64 },
};

const struct nla_policy kipsec_selector_nl_policy[KIPSEC_A_SELECTOR_MAX + 1] = {
	[KIPSEC_A_SELECTOR_FAMILY] = { .type = NLA_U32 },
	[KIPSEC_A_SELECTOR_SADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[KIPSEC_A_SELECTOR_SPREFIX] = NLA_POLICY_MAX(NLA_U32, 128),
	[KIPSEC_A_SELECTOR_DADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[KIPSEC_A_SELECTOR_DPREFIX] = NLA_POLICY_MAX(NLA_U32, 128),
	[KIPSEC_A_SELECTOR_PROTO] = NLA_POLICY_MAX(NLA_U32, 255),
	[KIPSEC_A_SELECTOR_SPORT_MIN] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &kipsec_selector_sport_min_range),
	[KIPSEC_A_SELECTOR_SPORT_MAX] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &kipsec_selector_sport_max_range),
	[KIPSEC_A_SELECTOR_DPORT_MIN] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &kipsec_selector_dport_min_range),
	[KIPSEC_A_SELECTOR_DPORT_MAX] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &kipsec_selector_dport_max_range),
};

const struct nla_policy kipsec_tmpl_nl_policy[KIPSEC_A_TMPL_MAX + 1] = {
	[KIPSEC_A_TMPL_FAMILY] = { .type = NLA_U32 },
	[KIPSEC_A_TMPL_SADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[KIPSEC_A_TMPL_DADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[KIPSEC_A_TMPL_PROTO] = NLA_POLICY_RANGE(NLA_U32, 50, 51),
	[KIPSEC_A_TMPL_MODE] = NLA_POLICY_RANGE(NLA_U32, 1, 2),
	[KIPSEC_A_TMPL_REQID] = { .type = NLA_U32 },
	[KIPSEC_A_TMPL_PER_CPU] = { .type = NLA_FLAG },
};

const struct nla_policy kipsec_get_info_nl_policy[KIPSEC_A_INFO_ALG_NAME + 1] = {
	[KIPSEC_A_INFO_ALG_NAME] = { .type = NLA_NUL_STRING, .len = 63 },
};

const struct nla_policy kipsec_sa_add_nl_policy[KIPSEC_A_SA_AH_ALIGN4 + 1] = {
	[KIPSEC_A_SA_FAMILY] = { .type = NLA_U32 },
	[KIPSEC_A_SA_DADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[KIPSEC_A_SA_SADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[KIPSEC_A_SA_SPI] = NLA_POLICY_MIN(NLA_U32, 256),
	[KIPSEC_A_SA_PROTO] = NLA_POLICY_RANGE(NLA_U32, 50, 51),
	[KIPSEC_A_SA_MODE] = NLA_POLICY_RANGE(NLA_U32, 1, 2),
	[KIPSEC_A_SA_REQID] = { .type = NLA_U32 },
	[KIPSEC_A_SA_AEAD_ALG] = { .type = NLA_NUL_STRING, .len = 63 },
	[KIPSEC_A_SA_AEAD_KEY] = { .type = NLA_BINARY, .len = 36 },
	[KIPSEC_A_SA_ENC_ALG] = { .type = NLA_NUL_STRING, .len = 63 },
	[KIPSEC_A_SA_ENC_KEY] = { .type = NLA_BINARY, .len = 32 },
	[KIPSEC_A_SA_AUTH_ALG] = { .type = NLA_NUL_STRING, .len = 63 },
	[KIPSEC_A_SA_AUTH_KEY] = { .type = NLA_BINARY, .len = 64 },
	[KIPSEC_A_SA_ICV_LEN] = NLA_POLICY_RANGE(NLA_U32, 8, 32),
	[KIPSEC_A_SA_REPLAY_WINDOW] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &kipsec_sa_replay_window_range),
	[KIPSEC_A_SA_ESN] = { .type = NLA_FLAG },
	[KIPSEC_A_SA_SEQ] = { .type = NLA_U64 },
	[KIPSEC_A_SA_LIFETIME] = NLA_POLICY_NESTED(kipsec_lifetime_nl_policy),
	[KIPSEC_A_SA_CPU] = { .type = NLA_U32 },
	[KIPSEC_A_SA_ENCAP_SPORT] = NLA_POLICY_FULL_RANGE(NLA_U32, &kipsec_sa_encap_sport_range),
	[KIPSEC_A_SA_ENCAP_DPORT] = NLA_POLICY_FULL_RANGE(NLA_U32, &kipsec_sa_encap_dport_range),
	[KIPSEC_A_SA_AH_ALIGN4] = { .type = NLA_FLAG },
};

const struct nla_policy kipsec_sa_update_nl_policy[KIPSEC_A_SA_AH_ALIGN4 + 1] = {
	[KIPSEC_A_SA_FAMILY] = { .type = NLA_U32 },
	[KIPSEC_A_SA_DADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[KIPSEC_A_SA_SADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[KIPSEC_A_SA_SPI] = NLA_POLICY_MIN(NLA_U32, 256),
	[KIPSEC_A_SA_PROTO] = NLA_POLICY_RANGE(NLA_U32, 50, 51),
	[KIPSEC_A_SA_MODE] = NLA_POLICY_RANGE(NLA_U32, 1, 2),
	[KIPSEC_A_SA_REQID] = { .type = NLA_U32 },
	[KIPSEC_A_SA_AEAD_ALG] = { .type = NLA_NUL_STRING, .len = 63 },
	[KIPSEC_A_SA_AEAD_KEY] = { .type = NLA_BINARY, .len = 36 },
	[KIPSEC_A_SA_ENC_ALG] = { .type = NLA_NUL_STRING, .len = 63 },
	[KIPSEC_A_SA_ENC_KEY] = { .type = NLA_BINARY, .len = 32 },
	[KIPSEC_A_SA_AUTH_ALG] = { .type = NLA_NUL_STRING, .len = 63 },
	[KIPSEC_A_SA_AUTH_KEY] = { .type = NLA_BINARY, .len = 64 },
	[KIPSEC_A_SA_ICV_LEN] = NLA_POLICY_RANGE(NLA_U32, 8, 32),
	[KIPSEC_A_SA_REPLAY_WINDOW] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &kipsec_sa_replay_window_range),
	[KIPSEC_A_SA_ESN] = { .type = NLA_FLAG },
	[KIPSEC_A_SA_SEQ] = { .type = NLA_U64 },
	[KIPSEC_A_SA_LIFETIME] = NLA_POLICY_NESTED(kipsec_lifetime_nl_policy),
	[KIPSEC_A_SA_CPU] = { .type = NLA_U32 },
	[KIPSEC_A_SA_ENCAP_SPORT] = NLA_POLICY_FULL_RANGE(NLA_U32, &kipsec_sa_encap_sport_range),
	[KIPSEC_A_SA_ENCAP_DPORT] = NLA_POLICY_FULL_RANGE(NLA_U32, &kipsec_sa_encap_dport_range),
	[KIPSEC_A_SA_AH_ALIGN4] = { .type = NLA_FLAG },
};

const struct nla_policy kipsec_sa_del_nl_policy[KIPSEC_A_SA_PROTO + 1] = {
	[KIPSEC_A_SA_FAMILY] = { .type = NLA_U32 },
	[KIPSEC_A_SA_DADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[KIPSEC_A_SA_SPI] = NLA_POLICY_MIN(NLA_U32, 256),
	[KIPSEC_A_SA_PROTO] = NLA_POLICY_RANGE(NLA_U32, 50, 51),
};

const struct nla_policy kipsec_sa_get_nl_policy[KIPSEC_A_SA_SHOW_KEYS + 1] = {
	[KIPSEC_A_SA_FAMILY] = { .type = NLA_U32 },
	[KIPSEC_A_SA_DADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[KIPSEC_A_SA_SPI] = NLA_POLICY_MIN(NLA_U32, 256),
	[KIPSEC_A_SA_PROTO] = NLA_POLICY_RANGE(NLA_U32, 50, 51),
	[KIPSEC_A_SA_SHOW_KEYS] = { .type = NLA_FLAG },
};

const struct nla_policy kipsec_sa_flush_nl_policy[1 + 1] = {
	[1] = { .type = NLA_REJECT },
};

const struct nla_policy kipsec_policy_add_nl_policy[KIPSEC_A_POLICY_TMPL + 1] = {
	[KIPSEC_A_POLICY_DIR] = NLA_POLICY_RANGE(NLA_U32, 1, 3),
	[KIPSEC_A_POLICY_PRIORITY] = { .type = NLA_U32 },
	[KIPSEC_A_POLICY_ACTION] = NLA_POLICY_RANGE(NLA_U32, 1, 3),
	[KIPSEC_A_POLICY_SELECTOR] = NLA_POLICY_NESTED(kipsec_selector_nl_policy),
	[KIPSEC_A_POLICY_TMPL] = NLA_POLICY_NESTED(kipsec_tmpl_nl_policy),
};

const struct nla_policy kipsec_policy_del_nl_policy[KIPSEC_A_POLICY_INDEX + 1] = {
	[KIPSEC_A_POLICY_INDEX] = { .type = NLA_U32 },
};

const struct nla_policy kipsec_policy_get_nl_policy[1 + 1] = {
	[1] = { .type = NLA_REJECT },
};

const struct nla_policy kipsec_policy_flush_nl_policy[1 + 1] = {
	[1] = { .type = NLA_REJECT },
};

const struct nla_policy kipsec_get_stats_nl_policy[1 + 1] = {
	[1] = { .type = NLA_REJECT },
};

const struct genl_ops kipsec_nl_ops[11] = {
	{
		.cmd		= KIPSEC_CMD_GET_INFO,
		.doit		= kipsec_nl_get_info_doit,
		.policy		= kipsec_get_info_nl_policy,
		.maxattr	= KIPSEC_A_INFO_ALG_NAME,
	},
	{
		.cmd		= KIPSEC_CMD_SA_ADD,
		.doit		= kipsec_nl_sa_add_doit,
		.policy		= kipsec_sa_add_nl_policy,
		.maxattr	= KIPSEC_A_SA_AH_ALIGN4,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= KIPSEC_CMD_SA_UPDATE,
		.doit		= kipsec_nl_sa_update_doit,
		.policy		= kipsec_sa_update_nl_policy,
		.maxattr	= KIPSEC_A_SA_AH_ALIGN4,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= KIPSEC_CMD_SA_DEL,
		.doit		= kipsec_nl_sa_del_doit,
		.policy		= kipsec_sa_del_nl_policy,
		.maxattr	= KIPSEC_A_SA_PROTO,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= KIPSEC_CMD_SA_GET,
		.doit		= kipsec_nl_sa_get_doit,
		.dumpit		= kipsec_nl_sa_get_dumpit,
		.policy		= kipsec_sa_get_nl_policy,
		.maxattr	= KIPSEC_A_SA_SHOW_KEYS,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= KIPSEC_CMD_SA_FLUSH,
		.doit		= kipsec_nl_sa_flush_doit,
		.policy		= kipsec_sa_flush_nl_policy,
		.maxattr	= 1,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= KIPSEC_CMD_POLICY_ADD,
		.doit		= kipsec_nl_policy_add_doit,
		.policy		= kipsec_policy_add_nl_policy,
		.maxattr	= KIPSEC_A_POLICY_TMPL,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= KIPSEC_CMD_POLICY_DEL,
		.doit		= kipsec_nl_policy_del_doit,
		.policy		= kipsec_policy_del_nl_policy,
		.maxattr	= KIPSEC_A_POLICY_INDEX,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= KIPSEC_CMD_POLICY_GET,
		.dumpit		= kipsec_nl_policy_get_dumpit,
		.policy		= kipsec_policy_get_nl_policy,
		.maxattr	= 1,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= KIPSEC_CMD_POLICY_FLUSH,
		.doit		= kipsec_nl_policy_flush_doit,
		.policy		= kipsec_policy_flush_nl_policy,
		.maxattr	= 1,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= KIPSEC_CMD_GET_STATS,
		.doit		= kipsec_nl_get_stats_doit,
		.policy		= kipsec_get_stats_nl_policy,
		.maxattr	= 1,
	},
};

const struct genl_multicast_group kipsec_nl_mcgrps[1] = {
	[KIPSEC_NLGRP_EVENTS] = { .name = KIPSEC_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};
