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

static const char *const kipsec_sa_attr_names[KIPSEC_A_SA_MAX + 1] __attribute__((unused)) = {
	[KIPSEC_A_SA_PAD] = "pad",
	[KIPSEC_A_SA_FAMILY] = "family",
	[KIPSEC_A_SA_DADDR] = "daddr",
	[KIPSEC_A_SA_SADDR] = "saddr",
	[KIPSEC_A_SA_SPI] = "spi",
	[KIPSEC_A_SA_PROTO] = "proto",
	[KIPSEC_A_SA_MODE] = "mode",
	[KIPSEC_A_SA_REQID] = "reqid",
	[KIPSEC_A_SA_AEAD_ALG] = "aead-alg",
	[KIPSEC_A_SA_AEAD_KEY] = "aead-key",
	[KIPSEC_A_SA_ENC_ALG] = "enc-alg",
	[KIPSEC_A_SA_ENC_KEY] = "enc-key",
	[KIPSEC_A_SA_AUTH_ALG] = "auth-alg",
	[KIPSEC_A_SA_AUTH_KEY] = "auth-key",
	[KIPSEC_A_SA_ICV_LEN] = "icv-len",
	[KIPSEC_A_SA_REPLAY_WINDOW] = "replay-window",
	[KIPSEC_A_SA_ESN] = "esn",
	[KIPSEC_A_SA_SEQ] = "seq",
	[KIPSEC_A_SA_SEQ_IN] = "seq-in",
	[KIPSEC_A_SA_LIFETIME] = "lifetime",
	[KIPSEC_A_SA_STATS] = "stats",
	[KIPSEC_A_SA_ADD_TIME] = "add-time",
	[KIPSEC_A_SA_USE_TIME] = "use-time",
	[KIPSEC_A_SA_SHOW_KEYS] = "show-keys",
	[KIPSEC_A_SA_DYING] = "dying",
	[KIPSEC_A_SA_CPU] = "cpu",
	[KIPSEC_A_SA_ENCAP_SPORT] = "encap-sport",
	[KIPSEC_A_SA_ENCAP_DPORT] = "encap-dport",
	[KIPSEC_A_SA_AH_ALIGN4] = "ah-align4",
};

static const char *const kipsec_lifetime_attr_names[KIPSEC_A_LIFETIME_MAX + 1] __attribute__((unused)) = {
	[KIPSEC_A_LIFETIME_PAD] = "pad",
	[KIPSEC_A_LIFETIME_SOFT_BYTES] = "soft-bytes",
	[KIPSEC_A_LIFETIME_HARD_BYTES] = "hard-bytes",
	[KIPSEC_A_LIFETIME_SOFT_PACKETS] = "soft-packets",
	[KIPSEC_A_LIFETIME_HARD_PACKETS] = "hard-packets",
	[KIPSEC_A_LIFETIME_SOFT_ADD_SECS] = "soft-add-secs",
	[KIPSEC_A_LIFETIME_HARD_ADD_SECS] = "hard-add-secs",
	[KIPSEC_A_LIFETIME_SOFT_USE_SECS] = "soft-use-secs",
	[KIPSEC_A_LIFETIME_HARD_USE_SECS] = "hard-use-secs",
};

static const char *const kipsec_sa_stats_attr_names[KIPSEC_A_SA_STATS_MAX + 1] __attribute__((unused)) = {
	[KIPSEC_A_SA_STATS_PAD] = "pad",
	[KIPSEC_A_SA_STATS_PACKETS] = "packets",
	[KIPSEC_A_SA_STATS_BYTES] = "bytes",
	[KIPSEC_A_SA_STATS_REPLAY_DROPS] = "replay-drops",
	[KIPSEC_A_SA_STATS_WINDOW_DROPS] = "window-drops",
	[KIPSEC_A_SA_STATS_ICV_FAILURES] = "icv-failures",
	[KIPSEC_A_SA_STATS_ERRORS] = "errors",
};

static const char *const kipsec_selector_attr_names[KIPSEC_A_SELECTOR_MAX + 1] __attribute__((unused)) = {
	[KIPSEC_A_SELECTOR_FAMILY] = "family",
	[KIPSEC_A_SELECTOR_SADDR] = "saddr",
	[KIPSEC_A_SELECTOR_SPREFIX] = "sprefix",
	[KIPSEC_A_SELECTOR_DADDR] = "daddr",
	[KIPSEC_A_SELECTOR_DPREFIX] = "dprefix",
	[KIPSEC_A_SELECTOR_PROTO] = "proto",
	[KIPSEC_A_SELECTOR_SPORT_MIN] = "sport-min",
	[KIPSEC_A_SELECTOR_SPORT_MAX] = "sport-max",
	[KIPSEC_A_SELECTOR_DPORT_MIN] = "dport-min",
	[KIPSEC_A_SELECTOR_DPORT_MAX] = "dport-max",
};

static const char *const kipsec_tmpl_attr_names[KIPSEC_A_TMPL_MAX + 1] __attribute__((unused)) = {
	[KIPSEC_A_TMPL_FAMILY] = "family",
	[KIPSEC_A_TMPL_SADDR] = "saddr",
	[KIPSEC_A_TMPL_DADDR] = "daddr",
	[KIPSEC_A_TMPL_PROTO] = "proto",
	[KIPSEC_A_TMPL_MODE] = "mode",
	[KIPSEC_A_TMPL_REQID] = "reqid",
	[KIPSEC_A_TMPL_PER_CPU] = "per-cpu",
};

static const char *const kipsec_policy_attr_names[KIPSEC_A_POLICY_MAX + 1] __attribute__((unused)) = {
	[KIPSEC_A_POLICY_PAD] = "pad",
	[KIPSEC_A_POLICY_INDEX] = "index",
	[KIPSEC_A_POLICY_DIR] = "dir",
	[KIPSEC_A_POLICY_PRIORITY] = "priority",
	[KIPSEC_A_POLICY_ACTION] = "action",
	[KIPSEC_A_POLICY_SELECTOR] = "selector",
	[KIPSEC_A_POLICY_TMPL] = "tmpl",
	[KIPSEC_A_POLICY_PACKETS] = "packets",
};

static const char *const kipsec_stats_attr_names[KIPSEC_A_STATS_MAX + 1] __attribute__((unused)) = {
	[KIPSEC_A_STATS_PAD] = "pad",
	[KIPSEC_A_STATS_IN_NO_SA] = "in-no-sa",
	[KIPSEC_A_STATS_IN_HDR_ERROR] = "in-hdr-error",
	[KIPSEC_A_STATS_IN_REPLAY] = "in-replay",
	[KIPSEC_A_STATS_IN_WINDOW] = "in-window",
	[KIPSEC_A_STATS_IN_ICV_FAIL] = "in-icv-fail",
	[KIPSEC_A_STATS_IN_POLICY_BLOCK] = "in-policy-block",
	[KIPSEC_A_STATS_IN_TMPL_MISMATCH] = "in-tmpl-mismatch",
	[KIPSEC_A_STATS_IN_ERROR] = "in-error",
	[KIPSEC_A_STATS_OUT_NO_SA] = "out-no-sa",
	[KIPSEC_A_STATS_OUT_POLICY_BLOCK] = "out-policy-block",
	[KIPSEC_A_STATS_OUT_SEQ_OVERFLOW] = "out-seq-overflow",
	[KIPSEC_A_STATS_OUT_MTU] = "out-mtu",
	[KIPSEC_A_STATS_OUT_ERROR] = "out-error",
	[KIPSEC_A_STATS_ACQUIRES] = "acquires",
	[KIPSEC_A_STATS_IN_ENCAP_MISMATCH] = "in-encap-mismatch",
	[KIPSEC_A_STATS_IN_BUNDLE_INCOMPLETE] = "in-bundle-incomplete",
};

static const char *const kipsec_event_attr_names[KIPSEC_A_EVENT_MAX + 1] __attribute__((unused)) = {
	[KIPSEC_A_EVENT_POLICY] = "policy",
	[KIPSEC_A_EVENT_FLOW] = "flow",
	[KIPSEC_A_EVENT_SA] = "sa",
	[KIPSEC_A_EVENT_HARD] = "hard",
	[KIPSEC_A_EVENT_CPU] = "cpu",
};

#endif /* KIPSEC_NL_NAMES_H */
