/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipsec's events as the daemon needs them (acquire, soft and hard expire,
 * SA deleted), parsed with libmnl; and the decisions taken on them that
 * need no state: which connection an acquire is for, and when an SA's soft
 * lifetime runs out.
 */
#ifndef KIPSEC_IKE_EVENTS_H
#define KIPSEC_IKE_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

#include "config.h"

struct ike_event {
	uint8_t cmd;			/* KIPSEC_CMD_ACQUIRE, _EXPIRE, _SA_DELETED */
	/* acquire */
	bool has_index, has_reqid, has_flow, has_cpu;
	uint32_t index, reqid, cpu;
	struct kipsec_addr fsrc, fdst;	/* the packet's addresses (flow) */
	/* expire, SA deleted */
	bool has_sa, hard;
	uint32_t spi;
	struct kipsec_addr daddr;
	uint32_t sa_reqid;
};

/* Parse one genl message of the kipsec family; -1 if it is no event we know. */
int ike_event_parse(const struct nlmsghdr *nlh, struct ike_event *ev);

/* Is @a inside @net/@plen (same family)? */
bool ike_addr_in(const struct kipsec_addr *a, const struct kipsec_addr *net, uint32_t plen);

/*
 * The connection (index into @conns) an acquire is for, -1 if none: only
 * start_action=route connections; by the policy's index (@pol_out[i]: the
 * out policy installed for conns[i], 0 if none), else the template's reqid,
 * else the packet's addresses within local_ts -> remote_ts.
 */
int ike_acquire_match(const struct ike_conn *conns, int n, const uint32_t *pol_out,
		      const struct ike_event *ev);

/*
 * Soft add-time lifetime in seconds for an SA whose hard lifetime is @life:
 * the side that initiated the Quick Mode at 80..90% (@rnd picks within),
 * the responder at ~92..95% so that normally one side, the initiator,
 * rekeys. Always below @life; 0 (no soft limit) when @life < 2.
 */
uint32_t ike_soft_lifetime(uint32_t life, bool initiator, uint32_t rnd);

#endif
