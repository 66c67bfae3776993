/* SPDX-License-Identifier: GPL-2.0 */
/* Do not edit: generated from uapi/kipsec.yaml by uapi/gen.py */

#ifndef KIPSEC_NL_NAMES_H
#define KIPSEC_NL_NAMES_H

#include <linux/kipsec.h>

static const char *const kipsec_info_attr_names[KIPSEC_A_INFO_MAX + 1] __attribute__((unused)) = {
	[KIPSEC_A_INFO_PAD] = "pad",
	[KIPSEC_A_INFO_VERSION] = "version",
	[KIPSEC_A_INFO_API_VERSION] = "api-version",
	[KIPSEC_A_INFO_NETNS_COOKIE] = "netns-cookie",
	[KIPSEC_A_INFO_NL_REQUESTS] = "nl-requests",
	[KIPSEC_A_INFO_ALG_NAME] = "alg-name",
	[KIPSEC_A_INFO_ALG] = "alg",
};

static const char *const kipsec_alg_attr_names[KIPSEC_A_ALG_MAX + 1] __attribute__((unused)) = {
	[KIPSEC_A_ALG_NAME] = "name",
	[KIPSEC_A_ALG_KIND] = "kind",
	[KIPSEC_A_ALG_AVAILABLE] = "available",
	[KIPSEC_A_ALG_DRIVER] = "driver",
};

#endif /* KIPSEC_NL_NAMES_H */
