/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Traffic selectors of a child SA (Quick Mode proxy IDs, RFC 2407 4.6.2):
 * an address, a prefix or a range that covers exactly one prefix, with an
 * IP protocol and a port; their swanctl-like text ("10.1.0.0/24[udp/1701]",
 * "10.1.0.0-10.1.0.255"), and the ID payloads they travel in.
 *
 * kipsec's policies select prefixes, so a range that no single prefix
 * covers is refused (with the reason) rather than widened or narrowed.
 */
#ifndef KIPSEC_IKE_TS_H
#define KIPSEC_IKE_TS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../tools/addr.h"

/* An ID payload body of a selector: type, protocol, port, two addresses. */
#define IKE_TS_ID_MAX (4 + 32)
/* ike_ts_str()'s longest: "FROM-TO[udplite/65535]" */
#define IKE_TS_TEXT (2 * KIPSEC_ADDR_STRLEN + 24)

struct ike_ts {
	struct kipsec_addr addr;	/* the network (host bits zero) */
	uint32_t plen;
	uint8_t proto;			/* 0: any */
	uint16_t port;			/* 0: any; only with a protocol that has ports */
	bool range;			/* written FROM-TO: offered as an ADDR_RANGE ID */
};

/*
 * ADDR, ADDR/LEN or FROM-TO, optionally followed by [PROTO] or
 * [PROTO/PORT] (PORT a number or %any). On error returns -1 with the
 * reason, naming @what, in @err.
 */
int ike_ts_parse(const char *what, const char *s, struct ike_ts *ts, char *err, size_t errlen);

/* A host selector for @a, any protocol and port. */
void ike_ts_host(struct ike_ts *ts, const struct kipsec_addr *a);

/* ID payload body for @ts into @out (IKE_TS_ID_MAX bytes); its length. */
size_t ike_ts_to_id(const struct ike_ts *ts, uint8_t *out);

/*
 * An ID payload body (ID_IPV4/6_ADDR, _SUBNET, _RANGE) → @ts. -1 with why
 * in @why for another type, a bad length, a mask that is not a prefix or
 * a range no prefix covers exactly.
 */
int ike_ts_from_id(const uint8_t *body, size_t len, struct ike_ts *ts, char *why, size_t whylen);

/* The same traffic, however it was written (range, subnet or address). */
bool ike_ts_same(const struct ike_ts *a, const struct ike_ts *b);

/* "10.1.0.0/24[udp/1701]" into @buf. */
const char *ike_ts_str(const struct ike_ts *ts, char *buf, size_t len);

#endif
