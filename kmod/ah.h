/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AH (RFC 4302) packet transforms through the Kernel Crypto API (ahash).
 */
#ifndef _KIPSEC_AH_H
#define _KIPSEC_AH_H

#include <linux/skbuff.h>

struct kipsec_sa;

#define KIPSEC_AH_HLEN		12	/* next header, length, reserved, SPI, sequence */
#define KIPSEC_AH_MAX_ICV	32	/* HMAC-SHA-512-256 */

/*
 * Called when an asynchronous request completes (never for synchronous
 * ones: their result is the return value), as for ESP: see esp.h.
 */
typedef void (*kipsec_ah_done_t)(struct sk_buff *skb, struct kipsec_sa *sa, u64 seq, int err);

/* Bytes of the AH header kipsec sends for @sa: ICV padded to 64 bits. */
unsigned int kipsec_ah_hlen(const struct kipsec_sa *sa);

int kipsec_ah_output(struct kipsec_sa *sa, struct sk_buff *skb, unsigned int ah_off,
		     u8 nexthdr, u64 seq, kipsec_ah_done_t done);
int kipsec_ah_input(struct kipsec_sa *sa, struct sk_buff *skb, u64 seq, kipsec_ah_done_t done);

/* Zero the fields the ICV does not cover in a copy of the IP headers. */
int kipsec_ah_mutable4(u8 *hdr, unsigned int hl, bool out);
int kipsec_ah_mutable6(u8 *hdr, unsigned int hl);

#endif /* _KIPSEC_AH_H */
