/* SPDX-License-Identifier: GPL-2.0 */
/* kipsec stats: the namespace's counters. */
#ifndef KIPSEC_STATS_H
#define KIPSEC_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libmnl/libmnl.h>
#include <linux/kipsec.h>

struct kipsec_stats {
	uint32_t present;	/* bit KIPSEC_A_STATS_x */
	uint64_t v[KIPSEC_A_STATS_MAX + 1];
};

/* mnl callback: fills the struct kipsec_stats @data from a get-stats reply. */
int kipsec_stats_parse(const struct nlmsghdr *nlh, void *data);

/* "in-no-sa 0" lines, or one JSON object with in_no_sa keys. */
void kipsec_stats_print(FILE *f, const struct kipsec_stats *st);
void kipsec_stats_print_json(FILE *f, const struct kipsec_stats *st);

int cmd_stats(int argc, char **argv, bool json);

#endif /* KIPSEC_STATS_H */
