// SPDX-License-Identifier: GPL-2.0
/* Unit tests of tools/nl.c: extended ACK parsing on hand-built messages. */
#include <errno.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/kipsec.h>
#include <linux/netlink.h>

#include "nl.h"
#include "tap.h"

static char reqbuf[512], errbuf[1024];

/* A get-info request carrying alg-name; returns it and the attribute's offset. */
static struct nlmsghdr *make_request(uint32_t *alg_offs)
{
	struct nlmsghdr *req = mnl_nlmsg_put_header(reqbuf);
	struct genlmsghdr *g;

	req->nlmsg_type = 0x20;
	req->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req->nlmsg_seq = 7;
	g = mnl_nlmsg_put_extra_header(req, sizeof(*g));
	g->cmd = KIPSEC_CMD_GET_INFO;
	*alg_offs = req->nlmsg_len;
	mnl_attr_put_strz(req, KIPSEC_A_INFO_ALG_NAME, "nosuch(alg)");
	return req;
}

/* The kernel's reply: error, optionally echoing the request, then TLVs. */
static struct nlmsghdr *make_error(const struct nlmsghdr *req, int error, int capped,
				   const char *msg, int offs)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(errbuf);
	struct nlmsgerr *e;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = req->nlmsg_seq;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = -error;
	memcpy(&e->msg, req, sizeof(*req));
	if (!capped) {
		void *echo = mnl_nlmsg_put_extra_header(nlh, req->nlmsg_len - sizeof(*req));

		memcpy(echo, (const char *)req + sizeof(*req), req->nlmsg_len - sizeof(*req));
	} else {
		nlh->nlmsg_flags |= NLM_F_CAPPED;
	}
	if (msg || offs >= 0)
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	if (msg)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	if (offs >= 0)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, (uint32_t)offs);
	return nlh;
}

int main(void)
{
	struct kipsec_nl_error err;
	struct nlmsghdr *req, *nlh;
	uint32_t offs;

	req = make_request(&offs);

	nlh = make_error(req, ENOENT, 1, "kipsec does not support this algorithm", (int)offs);
	CHECK(kipsec_nl_parse_error(nlh, req, &err) == 0, "capped extack parses");
	CHECK(err.error == ENOENT, "errno is carried");
	CHECK(!strcmp(err.msg, "kipsec does not support this algorithm"), "message is carried");
	CHECK(err.attr == KIPSEC_A_INFO_ALG_NAME, "offset resolves to alg-name");

	nlh = make_error(req, EINVAL, 0, "Attribute failed policy validation", (int)offs + 6);
	CHECK(kipsec_nl_parse_error(nlh, req, &err) == 0 && err.error == EINVAL,
	      "uncapped extack (request echoed) parses");
	CHECK(!strcmp(err.msg, "Attribute failed policy validation"),
	      "message found after the echoed request");
	CHECK(err.attr == KIPSEC_A_INFO_ALG_NAME, "offset inside an attribute resolves to it");

	nlh = make_error(req, 0, 1, NULL, -1);
	CHECK(kipsec_nl_parse_error(nlh, req, &err) == 0 && err.error == 0 && err.attr == -1,
	      "plain ACK is no error");

	nlh = make_error(req, EPERM, 1, NULL, -1);
	CHECK(kipsec_nl_parse_error(nlh, req, &err) == 0 && err.error == EPERM && !err.msg[0],
	      "error without TLVs");

	nlh = make_error(req, EINVAL, 1, NULL, 4);
	CHECK(kipsec_nl_parse_error(nlh, req, &err) == 0 && err.attr == -1,
	      "offset into the header names no attribute");

	nlh = make_error(req, EINVAL, 1, "x", -1);
	nlh->nlmsg_len = sizeof(*nlh) + 2;
	CHECK(kipsec_nl_parse_error(nlh, req, &err) < 0 && err.error == EBADMSG,
	      "truncated error message is rejected");

	nlh = make_error(req, EINVAL, 0, "x", -1);
	((struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->msg.nlmsg_len = 4000;
	CHECK(kipsec_nl_parse_error(nlh, req, &err) < 0, "echo longer than the message is rejected");

	nlh = make_error(req, EINVAL, 0, "x", -1);
	((struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->msg.nlmsg_len = 3;
	CHECK(kipsec_nl_parse_error(nlh, req, &err) < 0, "echo shorter than a header is rejected");

	return tap_done();
}
