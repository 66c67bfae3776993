// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec info [alg NAME]: what the loaded module is and can do.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/kipsec.h>

#include "info.h"
#include "json.h"
#include "nl.h"
#include "nl_names.h"

const char *kipsec_alg_kind_name(uint32_t kind)
{
	switch (kind) {
	case KIPSEC_ALG_KIND_AEAD:
		return "aead";
	case KIPSEC_ALG_KIND_CRYPT:
		return "crypt";
	case KIPSEC_ALG_KIND_AUTH:
		return "auth";
	}
	return "unknown";
}

static int copy_str(const struct nlattr *a, char *dst, size_t len)
{
	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0 || mnl_attr_get_payload_len(a) > len)
		return -1;
	memcpy(dst, mnl_attr_get_str(a), mnl_attr_get_payload_len(a));
	return 0;
}

static int parse_alg(const struct nlattr *nest, struct kipsec_alg_info *alg)
{
	const struct nlattr *a;

	memset(alg, 0, sizeof(*alg));
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case KIPSEC_A_ALG_NAME:
			if (copy_str(a, alg->name, sizeof(alg->name)) < 0)
				return -1;
			break;
		case KIPSEC_A_ALG_KIND:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return -1;
			alg->kind = mnl_attr_get_u32(a);
			break;
		case KIPSEC_A_ALG_AVAILABLE:
			if (mnl_attr_validate(a, MNL_TYPE_FLAG) < 0)
				return -1;
			alg->available = true;
			break;
		case KIPSEC_A_ALG_DRIVER:
			if (copy_str(a, alg->driver, sizeof(alg->driver)) < 0)
				return -1;
			break;
		}
	}
	return alg->name[0] ? 0 : -1;
}

/* Unknown attributes are skipped (newer kernels may add some); malformed ones fail. */
int kipsec_info_parse(const struct nlmsghdr *nlh, void *data)
{
	struct kipsec_info *info = data;
	const struct nlattr *a;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(struct genlmsghdr)))
		goto bad;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case KIPSEC_A_INFO_VERSION:
			if (copy_str(a, info->version, sizeof(info->version)) < 0)
				goto bad;
			break;
		case KIPSEC_A_INFO_API_VERSION:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				goto bad;
			info->api_version = mnl_attr_get_u32(a);
			break;
		case KIPSEC_A_INFO_NETNS_COOKIE:
			if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
				goto bad;
			info->netns_cookie = mnl_attr_get_u64(a);
			break;
		case KIPSEC_A_INFO_NL_REQUESTS:
			if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
				goto bad;
			info->nl_requests = mnl_attr_get_u64(a);
			break;
		case KIPSEC_A_INFO_ALG:
			if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0 ||
			    info->nalgs >= KIPSEC_INFO_MAX_ALGS ||
			    parse_alg(a, &info->algs[info->nalgs]) < 0)
				goto bad;
			info->nalgs++;
			break;
		}
	}
	return MNL_CB_OK;
bad:
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

static void print_human(const struct kipsec_info *info)
{
	int i;

	printf("kipsec %s, netlink API %u\n", info->version, info->api_version);
	printf("netns cookie %" PRIu64 ", %" PRIu64 " requests answered in this namespace\n",
	       info->netns_cookie, info->nl_requests);
	printf("algorithms:\n");
	for (i = 0; i < info->nalgs; i++) {
		const struct kipsec_alg_info *alg = &info->algs[i];

		printf("  %-32s %-6s %-10s %s\n", alg->name, kipsec_alg_kind_name(alg->kind),
		       alg->available ? "available" : "missing", alg->driver);
	}
}

static void print_json(const struct kipsec_info *info)
{
	int i;

	printf("{\"version\":");
	json_string(stdout, info->version);
	printf(",\"api_version\":%u,\"netns_cookie\":%" PRIu64 ",\"nl_requests\":%" PRIu64
	       ",\"algorithms\":[", info->api_version, info->netns_cookie, info->nl_requests);
	for (i = 0; i < info->nalgs; i++) {
		const struct kipsec_alg_info *alg = &info->algs[i];

		printf("%s{\"name\":", i ? "," : "");
		json_string(stdout, alg->name);
		printf(",\"kind\":\"%s\",\"available\":%s", kipsec_alg_kind_name(alg->kind),
		       alg->available ? "true" : "false");
		if (alg->available) {
			printf(",\"driver\":");
			json_string(stdout, alg->driver);
		}
		printf("}");
	}
	printf("]}\n");
}

int cmd_info(int argc, char **argv, bool json)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct kipsec_info info = { 0 };
	struct kipsec_nl_error err;
	struct kipsec_nl nl;
	struct nlmsghdr *nlh;
	int ret = 1;

	if (argc != 0 && !(argc == 2 && !strcmp(argv[0], "alg"))) {
		fprintf(stderr, "usage: kipsec info [alg NAME]\n");
		return 1;
	}
	if (kipsec_nl_open(&nl) < 0)
		return 1;
	nlh = kipsec_nl_request(&nl, buf, KIPSEC_CMD_GET_INFO, 0);
	if (argc == 2)
		mnl_attr_put_strz(nlh, KIPSEC_A_INFO_ALG_NAME, argv[1]);
	if (kipsec_nl_talk(&nl, nlh, kipsec_info_parse, &info, &err) < 0) {
		kipsec_nl_perror(&err, kipsec_info_attr_names, KIPSEC_A_INFO_MAX + 1);
		goto out;
	}
	if (json)
		print_json(&info);
	else
		print_human(&info);
	ret = 0;
out:
	kipsec_nl_close(&nl);
	return ret;
}
