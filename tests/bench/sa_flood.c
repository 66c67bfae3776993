// SPDX-License-Identifier: GPL-2.0
/*
 * sa_flood: install N ESP SAs into kipsec over netlink as fast as the
 * kernel takes them, for the benchmark (SAs per second, memory per SA).
 *
 *   sa_flood N          SAs 10.200.x.y, SPI 0x10000 + i, AES-GCM-128, random keys
 *
 * Requests go out in batches (one sendmsg per batch of netlink messages,
 * each acknowledged) so the rate measures the kernel, not the round trips.
 * Prints "installed N in S seconds: R SAs/s" and exits non-zero on errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/kipsec.h>

#include "nl.h"

#define BATCH_BYTES (64 * 1024)

static int ack_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	int *errors = data;

	if (e->error)
		(*errors)++;
	return MNL_CB_OK;
}

static void put_sa(struct kipsec_nl *nl, struct mnl_nlmsg_batch *b, unsigned int i)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(mnl_nlmsg_batch_current(b));
	struct genlmsghdr *g;
	uint32_t src = htonl(0x0ac80000 | 1), dst = htonl(0x0ac80000 | ((i & 0xffff) + 2));
	uint8_t key[20];

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = KIPSEC_CMD_SA_ADD;
	g->version = KIPSEC_FAMILY_VERSION;
	if (getrandom(key, sizeof(key), 0) != sizeof(key))
		abort();
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_FAMILY, AF_INET);
	mnl_attr_put(nlh, KIPSEC_A_SA_DADDR, 4, &dst);
	mnl_attr_put(nlh, KIPSEC_A_SA_SADDR, 4, &src);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_SPI, 0x10000 + i);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_MODE, KIPSEC_MODE_TUNNEL);
	mnl_attr_put_strz(nlh, KIPSEC_A_SA_AEAD_ALG, "rfc4106(gcm(aes))");
	mnl_attr_put(nlh, KIPSEC_A_SA_AEAD_KEY, sizeof(key), key);
	memset(key, 0, sizeof(key));
	mnl_nlmsg_batch_next(b);
}

int main(int argc, char **argv)
{
	static char buf[BATCH_BYTES + 8192];
	char rbuf[MNL_SOCKET_BUFFER_SIZE];
	struct timespec t0, t1;
	struct kipsec_nl nl;
	unsigned int n, i = 0, acked = 0;
	int errors = 0;
	double secs;

	if (argc != 2 || !(n = strtoul(argv[1], NULL, 0))) {
		fprintf(stderr, "usage: sa_flood N\n");
		return 2;
	}
	if (kipsec_nl_open(&nl))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (i < n) {
		struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(buf, BATCH_BYTES);
		unsigned int sent = 0;

		while (i < n && sent < 256) {
			put_sa(&nl, b, i++);
			sent++;
		}
		if (mnl_socket_sendto(nl.sock, mnl_nlmsg_batch_head(b), mnl_nlmsg_batch_size(b)) < 0) {
			perror("sa_flood: send");
			return 1;
		}
		mnl_nlmsg_batch_stop(b);
		while (acked < i) {
			ssize_t r = mnl_socket_recvfrom(nl.sock, rbuf, sizeof(rbuf));
			const struct nlmsghdr *h;
			int left;

			if (r < 0) {
				perror("sa_flood: receive");
				return 1;
			}
			left = r;
			for (h = (const struct nlmsghdr *)rbuf; mnl_nlmsg_ok(h, left);
			     h = mnl_nlmsg_next(h, &left)) {
				if (h->nlmsg_type == NLMSG_ERROR) {
					ack_cb(h, &errors);
					acked++;
				}
			}
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("installed %u in %.2f seconds: %.0f SAs/s, %d errors\n", n - errors, secs,
	       (n - errors) / secs, errors);
	kipsec_nl_close(&nl);
	return errors ? 1 : 0;
}
