/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KIPSEC_INFO_H
#define KIPSEC_INFO_H

#include <stdbool.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

#define KIPSEC_INFO_MAX_ALGS 32

struct kipsec_alg_info {
	char name[64];
	uint32_t kind;
	bool available;
	char driver[128];
};

struct kipsec_info {
	char version[32];
	uint32_t api_version;
	uint64_t netns_cookie;
	uint64_t nl_requests;
	int nalgs;
	struct kipsec_alg_info algs[KIPSEC_INFO_MAX_ALGS];
};

/* mnl callback: fills the struct kipsec_info @data from a get-info reply. */
int kipsec_info_parse(const struct nlmsghdr *nlh, void *data);
const char *kipsec_alg_kind_name(uint32_t kind);

int cmd_info(int argc, char **argv, bool json);

#endif
