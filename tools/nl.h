/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The libmnl layer shared by the kipsec CLI and kipsec-iked: resolves the
 * "kipsec" genl family, sends requests with NLM_F_ACK and extended ACKs, and
 * turns kernel rejections into messages that name the offending attribute.
 */
#ifndef KIPSEC_NL_H
#define KIPSEC_NL_H

#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

struct kipsec_nl {
	struct mnl_socket *sock;
	uint16_t family;	/* genl id of "kipsec" */
	uint32_t version;	/* family version the kernel reports */
	uint32_t mcgrp_events;	/* id of the "events" multicast group */
	uint32_t portid;
	uint32_t seq;
};

/* What the kernel said about a request it rejected. */
struct kipsec_nl_error {
	int error;		/* positive errno */
	char msg[256];		/* extack message, "" if none */
	int attr;		/* top-level attribute type extack points at, -1 if none */
};

/* Open and resolve the family; on failure says why on stderr and returns -1. */
int kipsec_nl_open(struct kipsec_nl *nl);
void kipsec_nl_close(struct kipsec_nl *nl);

/* Start a request for @cmd of the kipsec family in @buf (MNL_SOCKET_BUFFER_SIZE). */
struct nlmsghdr *kipsec_nl_request(struct kipsec_nl *nl, void *buf, uint8_t cmd, uint16_t flags);

/*
 * Send @req and run @cb on every reply message until the ACK. Returns 0, or
 * -1 with @err filled (and errno set) when the kernel or the socket failed.
 */
int kipsec_nl_talk(struct kipsec_nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data,
		   struct kipsec_nl_error *err);

/* Print @err for a human: "netlink error: MSG (attribute NAME): STRERROR". */
void kipsec_nl_perror(const struct kipsec_nl_error *err, const char *const *names, int nnames);

/* Parse an NLMSG_ERROR message that answers @req; exposed for unit tests. */
int kipsec_nl_parse_error(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
			  struct kipsec_nl_error *err);

#endif /* KIPSEC_NL_H */
