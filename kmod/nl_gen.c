// SPDX-License-Identifier: GPL-2.0
/* Do not edit: generated from uapi/kipsec.yaml by uapi/gen.py */

#include "nl_gen.h"

const struct nla_policy kipsec_get_info_do_nl_policy[KIPSEC_A_INFO_ALG_NAME + 1] = {
	[KIPSEC_A_INFO_ALG_NAME] = { .type = NLA_NUL_STRING, .len = 63 },
};

const struct genl_ops kipsec_nl_ops[1] = {
	{
		.cmd		= KIPSEC_CMD_GET_INFO,
		.doit		= kipsec_nl_get_info_doit,
		.policy		= kipsec_get_info_do_nl_policy,
		.maxattr	= KIPSEC_A_INFO_ALG_NAME,
	},
};

const struct genl_multicast_group kipsec_nl_mcgrps[1] = {
	[KIPSEC_NLGRP_EVENTS] = { .name = KIPSEC_MCGRP_EVENTS, .flags = GENL_UNS_ADMIN_PERM },
};
