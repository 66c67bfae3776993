/* SPDX-License-Identifier: GPL-2.0 */
/* kipsec monitor: acquire, expire and sa-deleted events as they come. */
#ifndef KIPSEC_MONITOR_H
#define KIPSEC_MONITOR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libmnl/libmnl.h>

#include "policy.h"
#include "sa.h"
#include "selector.h"

struct kipsec_event {
	uint8_t cmd;		/* KIPSEC_CMD_ACQUIRE, _EXPIRE or _SA_DELETED */
	bool has_policy, has_flow, has_sa, hard, has_cpu;
	uint32_t cpu;		/* acquire: the CPU lacking its own SA (per-cpu template) */
	struct kipsec_policy policy;
	struct kipsec_sel flow;
	struct kipsec_sa sa;
};

/* Parse one event message; -1 if it is malformed or not an event. */
int kipsec_event_parse(const struct nlmsghdr *nlh, struct kipsec_event *ev);

/* One line of text, or one JSON object on one line. */
void kipsec_event_print(FILE *f, const struct kipsec_event *ev, bool json);

int cmd_monitor(int argc, char **argv, bool json);

#endif /* KIPSEC_MONITOR_H */
