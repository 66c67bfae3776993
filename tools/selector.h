/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Traffic selectors of policies (and the flow of an acquire event): the
 * command-line words, the selector nest, and their text forms.
 */
#ifndef KIPSEC_SELECTOR_H
#define KIPSEC_SELECTOR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libmnl/libmnl.h>

#include "addr.h"
#include "args.h"

#define KIPSEC_SEL_HAS(sel, attr) (!!((sel)->present & (1U << (attr))))

struct kipsec_sel {
	uint32_t present;	/* bit KIPSEC_A_SELECTOR_x */
	uint32_t family;
	struct kipsec_addr saddr, daddr;	/* family 0: any */
	uint32_t sprefix, dprefix;
	uint32_t proto;
	uint32_t sport_min, sport_max, dport_min, dport_max;
};

/* "tcp", "udp", "icmp", "ipv6-icmp", ..., "any" for 0, else the number. */
const char *kipsec_l4proto_name(uint32_t proto, char *buf, size_t len);

/* The reverse: a name of that table or a number 0..255. */
int kipsec_l4proto_parse(const char *s, uint32_t *proto, struct kipsec_err *e);

/* As the kernel's kipsec_proto_has_ports(), without ICMP (type and code). */
bool kipsec_l4proto_has_ports(uint32_t proto);

/*
 * If @kw is a selector word (src dst proto sport dport type code family),
 * consume its value into @sel and return 1; 0 if it is not one, -1 on error.
 * @seen tracks repeats.
 */
int kipsec_sel_parse_word(const char *kw, struct kipsec_argv *a, struct kipsec_sel *sel,
			  uint64_t *seen, struct kipsec_err *e);

/* After the words: derive the family and check what goes together. */
int kipsec_sel_finish(struct kipsec_sel *sel, uint64_t seen, struct kipsec_err *e);

/* Put @sel as a nest of type @type. */
void kipsec_sel_put(struct nlmsghdr *nlh, uint16_t type, const struct kipsec_sel *sel);

/* Parse a selector nest; -1 if malformed (family missing, lengths wrong). */
int kipsec_sel_parse_nest(const struct nlattr *nest, struct kipsec_sel *sel);

/* "src 10.0.1.0/24 dst any proto tcp dport 80" and its JSON object. */
void kipsec_sel_print(FILE *f, const struct kipsec_sel *sel);
void kipsec_sel_print_json(FILE *f, const struct kipsec_sel *sel);

#endif /* KIPSEC_SELECTOR_H */
