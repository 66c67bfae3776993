// SPDX-License-Identifier: GPL-2.0
/* Unit tests of tools/info.c: parsing get-info replies, good and malformed. */
#include <errno.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/kipsec.h>

#include "info.h"
#include "tap.h"

static char buf[8192];

static struct nlmsghdr *reply(void)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = KIPSEC_CMD_GET_INFO;
	return nlh;
}

static void put_alg(struct nlmsghdr *nlh, const char *name, uint32_t kind, const char *driver)
{
	struct nlattr *n = mnl_attr_nest_start(nlh, KIPSEC_A_INFO_ALG);

	if (name)
		mnl_attr_put_strz(nlh, KIPSEC_A_ALG_NAME, name);
	mnl_attr_put_u32(nlh, KIPSEC_A_ALG_KIND, kind);
	if (driver) {
		mnl_attr_put(nlh, KIPSEC_A_ALG_AVAILABLE, 0, NULL);
		mnl_attr_put_strz(nlh, KIPSEC_A_ALG_DRIVER, driver);
	}
	mnl_attr_nest_end(nlh, n);
}

int main(void)
{
	struct kipsec_info info;
	struct nlmsghdr *nlh;
	uint16_t two = 2;
	int i;

	nlh = reply();
	mnl_attr_put_strz(nlh, KIPSEC_A_INFO_VERSION, "0.1.0");
	mnl_attr_put_u32(nlh, KIPSEC_A_INFO_API_VERSION, 1);
	mnl_attr_put_u64(nlh, KIPSEC_A_INFO_NETNS_COOKIE, 4242);
	mnl_attr_put_u64(nlh, KIPSEC_A_INFO_NL_REQUESTS, 3);
	mnl_attr_put_u32(nlh, 200, 9);	/* from a newer kernel: skipped */
	put_alg(nlh, "rfc4106(gcm(aes))", KIPSEC_ALG_KIND_AEAD, "rfc4106-gcm-aesni");
	put_alg(nlh, "xcbc(aes)", KIPSEC_ALG_KIND_AUTH, NULL);
	memset(&info, 0, sizeof(info));
	CHECK(kipsec_info_parse(nlh, &info) == MNL_CB_OK, "well-formed reply parses");
	CHECK(!strcmp(info.version, "0.1.0") && info.api_version == 1, "version fields");
	CHECK(info.netns_cookie == 4242 && info.nl_requests == 3, "64-bit counters");
	CHECK(info.nalgs == 2, "two algorithms");
	CHECK(info.algs[0].available && !strcmp(info.algs[0].driver, "rfc4106-gcm-aesni"),
	      "available algorithm with its driver");
	CHECK(!info.algs[1].available && info.algs[1].kind == KIPSEC_ALG_KIND_AUTH &&
	      !info.algs[1].driver[0], "missing algorithm");
	CHECK(!strcmp(kipsec_alg_kind_name(info.algs[1].kind), "auth") &&
	      !strcmp(kipsec_alg_kind_name(77), "unknown"), "kind names");

	nlh = reply();
	mnl_attr_put(nlh, KIPSEC_A_INFO_API_VERSION, sizeof(two), &two);
	memset(&info, 0, sizeof(info));
	CHECK(kipsec_info_parse(nlh, &info) == MNL_CB_ERROR && errno == EBADMSG,
	      "u32 of the wrong length is rejected");

	nlh = reply();
	mnl_attr_put(nlh, KIPSEC_A_INFO_VERSION, 3, "abc");	/* no NUL */
	memset(&info, 0, sizeof(info));
	CHECK(kipsec_info_parse(nlh, &info) == MNL_CB_ERROR, "unterminated string is rejected");

	nlh = reply();
	mnl_attr_put_strz(nlh, KIPSEC_A_INFO_VERSION, "0123456789012345678901234567890123456789");
	memset(&info, 0, sizeof(info));
	CHECK(kipsec_info_parse(nlh, &info) == MNL_CB_ERROR, "overlong string is rejected");

	nlh = reply();
	put_alg(nlh, NULL, KIPSEC_ALG_KIND_AEAD, NULL);
	memset(&info, 0, sizeof(info));
	CHECK(kipsec_info_parse(nlh, &info) == MNL_CB_ERROR, "algorithm without a name is rejected");

	nlh = reply();
	for (i = 0; i < KIPSEC_INFO_MAX_ALGS + 1; i++)
		put_alg(nlh, "cbc(aes)", KIPSEC_ALG_KIND_CRYPT, NULL);
	memset(&info, 0, sizeof(info));
	CHECK(kipsec_info_parse(nlh, &info) == MNL_CB_ERROR && info.nalgs == KIPSEC_INFO_MAX_ALGS,
	      "more algorithms than fit are rejected, not overflowed");

	nlh = reply();
	nlh->nlmsg_len = sizeof(*nlh) + 1;
	CHECK(kipsec_info_parse(nlh, &info) == MNL_CB_ERROR, "message shorter than genl header");

	return tap_done();
}
