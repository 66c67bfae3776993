// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec stats: every counter of the namespace, by name.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <linux/genetlink.h>

#include "nl.h"
#include "nl_names.h"
#include "stats.h"

int kipsec_stats_parse(const struct nlmsghdr *nlh, void *data)
{
	struct kipsec_stats *st = data;
	const struct nlattr *a;

	if (nlh->nlmsg_len < mnl_nlmsg_size(MNL_ALIGN(sizeof(struct genlmsghdr))))
		goto bad;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		int type = mnl_attr_get_type(a);

		if (type <= KIPSEC_A_STATS_PAD || type > KIPSEC_A_STATS_MAX)
			continue;	/* pad, or a counter of a newer kernel */
		if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
			goto bad;
		st->v[type] = mnl_attr_get_u64(a);
		st->present |= 1U << type;
	}
	return MNL_CB_OK;
bad:
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

void kipsec_stats_print(FILE *f, const struct kipsec_stats *st)
{
	int i;

	for (i = KIPSEC_A_STATS_PAD + 1; i <= KIPSEC_A_STATS_MAX; i++)
		if (st->present & (1U << i))
			fprintf(f, "%-18s %" PRIu64 "\n", kipsec_stats_attr_names[i], st->v[i]);
}

void kipsec_stats_print_json(FILE *f, const struct kipsec_stats *st)
{
	bool first = true;
	const char *p;
	int i;

	fputc('{', f);
	for (i = KIPSEC_A_STATS_PAD + 1; i <= KIPSEC_A_STATS_MAX; i++) {
		if (!(st->present & (1U << i)))
			continue;
		fputs(first ? "\"" : ",\"", f);
		for (p = kipsec_stats_attr_names[i]; *p; p++)
			fputc(*p == '-' ? '_' : *p, f);
		fprintf(f, "\":%" PRIu64, st->v[i]);
		first = false;
	}
	fputs("}\n", f);
}

int cmd_stats(int argc, char **argv, bool json)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct kipsec_stats st = { 0 };
	struct kipsec_nl_error err;
	struct kipsec_nl nl;
	struct nlmsghdr *nlh;
	int ret = 1;

	if (argc) {
		fprintf(stderr, "kipsec: stats: unexpected argument \"%s\"\n", argv[0]);
		return 1;
	}
	if (kipsec_nl_open(&nl) < 0)
		return 1;
	nlh = kipsec_nl_request(&nl, buf, KIPSEC_CMD_GET_STATS, 0);
	if (kipsec_nl_talk(&nl, nlh, kipsec_stats_parse, &st, &err) < 0) {
		kipsec_nl_perror(&err, kipsec_stats_attr_names, KIPSEC_A_STATS_MAX + 1);
		goto out;
	}
	if (json)
		kipsec_stats_print_json(stdout, &st);
	else
		kipsec_stats_print(stdout, &st);
	ret = fflush(stdout) ? 1 : 0;
out:
	kipsec_nl_close(&nl);
	return ret;
}
