/* SPDX-License-Identifier: GPL-2.0 */
/* IPv4/IPv6 addresses and prefixes: parsing, printing, netlink attributes. */
#ifndef KIPSEC_ADDR_H
#define KIPSEC_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

#include "args.h"

/* INET6_ADDRSTRLEN plus "/128" */
#define KIPSEC_ADDR_STRLEN 64

struct kipsec_addr {
	uint32_t family;	/* AF_INET, AF_INET6, or 0: none ("any") */
	uint32_t len;		/* bytes used in @bytes: 4 or 16 */
	uint8_t bytes[16];
};

static inline uint32_t kipsec_family_len(uint32_t family)
{
	return family == 2 ? 4 : family == 10 ? 16 : 0;
}

/* "inet" / "inet6" / "family 7" */
const char *kipsec_family_name(uint32_t family);

/* An address: "WHAT: expected an IPv4 or IPv6 address, got "S"". */
int kipsec_addr_parse(const char *what, const char *s, struct kipsec_addr *a, struct kipsec_err *e);

/*
 * ADDR/LEN, a bare ADDR (full length) or "any" (a->family 0, *plen 0).
 * Host bits beyond the prefix are refused with the prefix they meant.
 */
int kipsec_prefix_parse(const char *what, const char *s, struct kipsec_addr *a, uint32_t *plen,
			struct kipsec_err *e);

/* Two addresses that must share a family: "src and dst: ... differ". */
int kipsec_addr_same_family(const char *what, const struct kipsec_addr *a,
			    const struct kipsec_addr *b, struct kipsec_err *e);

/* Text form into @buf (KIPSEC_ADDR_STRLEN); "?" if malformed. */
const char *kipsec_addr_str(const struct kipsec_addr *a, char *buf);

/* Copy a binary attribute of 4 or 16 bytes; the family is checked later. */
int kipsec_addr_from_attr(const struct nlattr *attr, struct kipsec_addr *a);

/* Does @a (if set) have the length @family wants? */
bool kipsec_addr_fits(const struct kipsec_addr *a, uint32_t family);

#endif /* KIPSEC_ADDR_H */
