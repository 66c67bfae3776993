// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec monitor: listen on the "events" multicast group.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/kipsec.h>
#include <linux/netlink.h>

#include "monitor.h"
#include "nl.h"

int kipsec_event_parse(const struct nlmsghdr *nlh, struct kipsec_event *ev)
{
	const struct genlmsghdr *g;
	const struct nlattr *a;

	memset(ev, 0, sizeof(*ev));
	if (nlh->nlmsg_len < mnl_nlmsg_size(MNL_ALIGN(sizeof(*g))))
		return -1;
	g = mnl_nlmsg_get_payload(nlh);
	ev->cmd = g->cmd;
	if (ev->cmd != KIPSEC_CMD_ACQUIRE && ev->cmd != KIPSEC_CMD_EXPIRE &&
	    ev->cmd != KIPSEC_CMD_SA_DELETED)
		return -1;
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		switch (mnl_attr_get_type(a)) {
		case KIPSEC_A_EVENT_POLICY:
			if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0 ||
			    kipsec_policy_parse_attrs(mnl_attr_get_payload(a),
						      mnl_attr_get_payload_len(a), &ev->policy) < 0)
				return -1;
			ev->has_policy = true;
			break;
		case KIPSEC_A_EVENT_FLOW:
			if (kipsec_sel_parse_nest(a, &ev->flow) < 0)
				return -1;
			ev->has_flow = true;
			break;
		case KIPSEC_A_EVENT_SA:
			if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0 ||
			    kipsec_sa_parse_attrs(mnl_attr_get_payload(a),
						  mnl_attr_get_payload_len(a), &ev->sa) < 0)
				return -1;
			ev->has_sa = true;
			break;
		case KIPSEC_A_EVENT_CPU:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return -1;
			ev->cpu = mnl_attr_get_u32(a);
			ev->has_cpu = true;
			break;
		case KIPSEC_A_EVENT_HARD:
			if (mnl_attr_validate(a, MNL_TYPE_FLAG) < 0)
				return -1;
			ev->hard = true;
			break;
		}
	}
	if (ev->cmd == KIPSEC_CMD_ACQUIRE ? !ev->has_policy && !ev->has_flow : !ev->has_sa)
		return -1;
	return 0;
}

static const char *event_name(uint8_t cmd)
{
	return cmd == KIPSEC_CMD_ACQUIRE ? "acquire" : cmd == KIPSEC_CMD_EXPIRE ? "expire"
										  : "sa-deleted";
}

static void print_text(FILE *f, const struct kipsec_event *ev)
{
	fputs(event_name(ev->cmd), f);
	if (ev->cmd == KIPSEC_CMD_ACQUIRE) {
		if (ev->has_policy)
			fprintf(f, " policy %u dir %s", ev->policy.index,
				kipsec_dir_name(ev->policy.dir));
		if (ev->has_flow) {
			fputc(' ', f);
			kipsec_sel_print(f, &ev->flow);
		}
		if (ev->has_policy && KIPSEC_POLICY_HAS(&ev->policy, KIPSEC_A_POLICY_TMPL))
			fprintf(f, " reqid %u", ev->policy.tmpl[0].reqid);
		if (ev->has_cpu)
			fprintf(f, " cpu %u", ev->cpu);
	} else {
		if (ev->cmd == KIPSEC_CMD_EXPIRE)
			fputs(ev->hard ? " hard" : " soft", f);
		fputc(' ', f);
		kipsec_sa_print_id(f, &ev->sa);
		if (ev->sa.stats_present & (1U << KIPSEC_A_SA_STATS_PACKETS))
			fprintf(f, " packets %" PRIu64, ev->sa.stats[KIPSEC_A_SA_STATS_PACKETS]);
		if (ev->sa.stats_present & (1U << KIPSEC_A_SA_STATS_BYTES))
			fprintf(f, " bytes %" PRIu64, ev->sa.stats[KIPSEC_A_SA_STATS_BYTES]);
	}
	fputc('\n', f);
}

static void print_json(FILE *f, const struct kipsec_event *ev)
{
	fprintf(f, "{\"event\":\"%s\"", event_name(ev->cmd));
	if (ev->cmd == KIPSEC_CMD_EXPIRE)
		fprintf(f, ",\"hard\":%s", ev->hard ? "true" : "false");
	if (ev->has_cpu)
		fprintf(f, ",\"cpu\":%u", ev->cpu);
	if (ev->has_policy) {
		fputs(",\"policy\":", f);
		kipsec_policy_print_json(f, &ev->policy);
	}
	if (ev->has_flow) {
		fputs(",\"flow\":", f);
		kipsec_sel_print_json(f, &ev->flow);
	}
	if (ev->has_sa) {
		fputs(",\"sa\":", f);
		kipsec_sa_print_json(f, &ev->sa);
	}
	fputs("}\n", f);
}

void kipsec_event_print(FILE *f, const struct kipsec_event *ev, bool json)
{
	if (json)
		print_json(f, ev);
	else
		print_text(f, ev);
	fflush(f);
}

struct monitor {
	uint16_t family;
	bool json;
};

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct monitor *m = data;
	struct kipsec_event ev;

	if (nlh->nlmsg_type != m->family)
		return MNL_CB_OK;
	if (kipsec_event_parse(nlh, &ev) < 0) {
		fprintf(stderr, "kipsec: monitor: skipped a malformed or unknown event\n");
		return MNL_CB_OK;
	}
	kipsec_event_print(stdout, &ev, m->json);
	return MNL_CB_OK;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * SIGINT and SIGTERM stay blocked except inside ppoll(), so a signal can't
 * slip in between checking @stop and going to sleep.
 */
static int listen_events(struct kipsec_nl *nl, bool json)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct monitor m = { .family = nl->family, .json = json };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	sigset_t block, orig;
	struct pollfd pfd = { .fd = mnl_socket_get_fd(nl->sock), .events = POLLIN };

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	while (!stop) {
		ssize_t n;

		if (ppoll(&pfd, 1, NULL, &orig) < 0) {
			if (errno == EINTR)
				continue;
			perror("kipsec: monitor: poll");
			return -1;
		}
		n = recv(pfd.fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				fprintf(stderr, "kipsec: monitor: events lost (receive buffer overrun)\n");
				continue;
			}
			perror("kipsec: monitor: recv");
			return -1;
		}
		/* seq 0 and portid 0: accept notifications, which answer no request. */
		if (mnl_cb_run(buf, (size_t)n, 0, 0, event_cb, &m) < 0) {
			perror("kipsec: monitor");
			return -1;
		}
	}
	sigprocmask(SIG_SETMASK, &orig, NULL);
	return 0;
}

int cmd_monitor(int argc, char **argv, bool json)
{
	struct kipsec_nl nl;
	int ret = 1;

	if (argc) {
		fprintf(stderr, "kipsec: monitor: unexpected argument \"%s\"\n", argv[0]);
		return 1;
	}
	if (kipsec_nl_open(&nl) < 0)
		return 1;
	if (!nl.mcgrp_events) {
		fprintf(stderr, "kipsec: monitor: the kernel announced no \"%s\" multicast group\n",
			KIPSEC_MCGRP_EVENTS);
		goto out;
	}
	if (mnl_socket_setsockopt(nl.sock, NETLINK_ADD_MEMBERSHIP, &nl.mcgrp_events,
				  sizeof(nl.mcgrp_events)) < 0) {
		perror("kipsec: monitor: joining the events group");
		goto out;
	}
	if (listen_events(&nl, json) == 0)
		ret = 0;
out:
	kipsec_nl_close(&nl);
	return ret;
}
