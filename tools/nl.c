// SPDX-License-Identifier: GPL-2.0
/*
 * libmnl layer: family resolution, request/ACK exchange, extended ACKs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/kipsec.h>
#include <linux/netlink.h>

#include "nl.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

struct family_query {
	uint16_t id;
	uint32_t version;
	uint32_t mcgrp_events;
};

static int mcgrp_cb(const struct nlattr *grp, struct family_query *q)
{
	const struct nlattr *a, *name = NULL, *id = NULL;

	mnl_attr_for_each_nested(a, grp) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			name = a;
		else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
			 mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			id = a;
	}
	if (name && id && !strcmp(mnl_attr_get_str(name), KIPSEC_MCGRP_EVENTS))
		q->mcgrp_events = mnl_attr_get_u32(id);
	return 0;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct family_query *q = data;
	const struct nlattr *a, *g;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U16) == 0)
				q->id = mnl_attr_get_u16(a);
			break;
		case CTRL_ATTR_VERSION:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				q->version = mnl_attr_get_u32(a);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
				break;
			mnl_attr_for_each_nested(g, a)
				if (mnl_attr_validate(g, MNL_TYPE_NESTED) == 0)
					mcgrp_cb(g, q);
			break;
		}
	}
	return MNL_CB_OK;
}

static struct nlmsghdr *put_genl(void *buf, uint16_t type, uint8_t cmd, uint8_t version,
				 uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

int kipsec_nl_open(struct kipsec_nl *nl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct kipsec_nl_error err;
	struct family_query q = { 0 };
	struct nlmsghdr *nlh;
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		perror("kipsec: netlink socket");
		return -1;
	}
	/* Extended ACKs name the bad attribute; capped ACKs keep replies small. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("kipsec: netlink bind");
		goto err_close;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);

	nlh = put_genl(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0, ++nl->seq);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, KIPSEC_FAMILY_NAME);
	if (kipsec_nl_talk(nl, nlh, family_cb, &q, &err) < 0) {
		if (err.error == ENOENT)
			fprintf(stderr, "kipsec: the kernel has no \"%s\" netlink family: "
				"is the kipsec module loaded (modprobe kipsec)?\n", KIPSEC_FAMILY_NAME);
		else
			kipsec_nl_perror(&err, NULL, 0);
		errno = err.error;
		goto err_close;
	}
	if (!q.id) {
		fprintf(stderr, "kipsec: the kernel's answer about \"%s\" carried no family id\n",
			KIPSEC_FAMILY_NAME);
		errno = EPROTO;
		goto err_close;
	}
	nl->family = q.id;
	nl->version = q.version;
	nl->mcgrp_events = q.mcgrp_events;
	return 0;

err_close:
	mnl_socket_close(nl->sock);
	nl->sock = NULL;
	return -1;
}

void kipsec_nl_close(struct kipsec_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

struct nlmsghdr *kipsec_nl_request(struct kipsec_nl *nl, void *buf, uint8_t cmd, uint16_t flags)
{
	return put_genl(buf, nl->family, cmd, KIPSEC_FAMILY_VERSION, flags, ++nl->seq);
}

/* The top-level attribute of @req that starts at byte @offs, or -1. */
static int attr_at(const struct nlmsghdr *req, uint32_t offs)
{
	const struct nlattr *a;

	if (!req)
		return -1;
	mnl_attr_for_each(a, req, sizeof(struct genlmsghdr)) {
		uint32_t start = (uint32_t)((const char *)a - (const char *)req);

		if (offs >= start && offs < start + mnl_attr_get_len(a))
			return mnl_attr_get_type(a);
	}
	return -1;
}

int kipsec_nl_parse_error(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
			  struct kipsec_nl_error *err)
{
	const struct nlmsgerr *e;
	const struct nlattr *a;
	size_t off;

	memset(err, 0, sizeof(*err));
	err->attr = -1;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		err->error = EBADMSG;
		return -1;
	}
	e = mnl_nlmsg_get_payload(nlh);
	err->error = -e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;

	/* Uncapped errors echo the whole request before the TLVs. */
	off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < sizeof(struct nlmsghdr)) {
			err->error = err->error ? err->error : EBADMSG;
			return -1;
		}
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	}
	if (mnl_nlmsg_size(off) > nlh->nlmsg_len) {
		err->error = err->error ? err->error : EBADMSG;
		return -1;
	}
	mnl_attr_for_each(a, nlh, off) {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			snprintf(err->msg, sizeof(err->msg), "%s", mnl_attr_get_str(a));
		else if (mnl_attr_get_type(a) == NLMSGERR_ATTR_OFFS &&
			 mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			err->attr = attr_at(req, mnl_attr_get_u32(a));
	}
	return 0;
}

/* mnl_cb_run2() hands one data pointer to replies and errors alike. */
struct talk {
	const struct nlmsghdr *req;
	struct kipsec_nl_error *err;
	mnl_cb_t cb;
	void *data;
};

static int reply_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	return t->cb ? t->cb(nlh, t->data) : MNL_CB_OK;
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	if (kipsec_nl_parse_error(nlh, t->req, t->err) < 0 || t->err->error) {
		errno = t->err->error;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;	/* a plain ACK ends the exchange */
}

/* The end of a dump; a dump that failed midway says so in its DONE. */
static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	int32_t error;

	const struct nlattr *a;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(error)) {
		memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
		if (error < 0) {
			t->err->error = -error;
			/* A failed dump's extack message (no attribute offset here). */
			if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
				mnl_attr_for_each(a, nlh, sizeof(error)) {
					if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
					    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
						snprintf(t->err->msg, sizeof(t->err->msg), "%s",
							 mnl_attr_get_str(a));
				}
			}
			errno = -error;
			return MNL_CB_ERROR;
		}
	}
	return MNL_CB_STOP;
}

int kipsec_nl_talk(struct kipsec_nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data,
		   struct kipsec_nl_error *err)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = { [NLMSG_ERROR] = error_cb, [NLMSG_DONE] = done_cb };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct talk t = { .req = req, .err = err, .cb = cb, .data = data };
	uint32_t seq = req->nlmsg_seq;
	ssize_t n;
	int ret;

	memset(err, 0, sizeof(*err));
	err->attr = -1;
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0) {
		err->error = errno;
		return -1;
	}
	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (n < 0) {
			err->error = errno;
			ret = -1;
			break;
		}
		ret = mnl_cb_run2(buf, (size_t)n, seq, nl->portid, reply_cb, &t, ctl,
				  NLMSG_MIN_TYPE);
		if (ret == MNL_CB_STOP) {
			ret = 0;
			break;
		}
		if (ret < 0) {
			if (!err->error)
				err->error = errno ? errno : EPROTO;
			ret = -1;
			break;
		}
	}
	/* Replies may carry SA keys (sa get ... keys): leave no copy behind. */
	explicit_bzero(buf, sizeof(buf));
	if (ret < 0)
		errno = err->error;
	return ret;
}

void kipsec_nl_perror(const struct kipsec_nl_error *err, const char *const *names, int nnames)
{
	fprintf(stderr, "netlink error: ");
	if (err->msg[0])
		fprintf(stderr, "%s", err->msg);
	else
		fprintf(stderr, "%s", strerror(err->error));
	if (err->attr >= 0) {
		if (names && err->attr < nnames && names[err->attr])
			fprintf(stderr, " (attribute %s)", names[err->attr]);
		else
			fprintf(stderr, " (attribute %d)", err->attr);
	}
	if (err->msg[0])
		fprintf(stderr, ": %s", strerror(err->error));
	fputc('\n', stderr);
}
