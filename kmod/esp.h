/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ESP (RFC 4303) packet transforms through the Kernel Crypto API.
 */
#ifndef _KIPSEC_ESP_H
#define _KIPSEC_ESP_H

#include <linux/skbuff.h>

struct kipsec_sa;

#define KIPSEC_ESP_HLEN	8		/* SPI + sequence number */

/*
 * Called when an asynchronous request completes (never for synchronous
 * ones: their result is the return value). Runs in the crypto layer's
 * completion context; the SA reference taken for the request is dropped
 * after it returns.
 */
typedef void (*kipsec_esp_done_t)(struct sk_buff *skb, struct kipsec_sa *sa, u64 seq, int err);

/* Trailer bytes (padding, pad length, next header) for @plen payload bytes. */
unsigned int kipsec_esp_trailer_len(const struct kipsec_sa *sa, unsigned int plen);

int kipsec_esp_encrypt(struct kipsec_sa *sa, struct sk_buff *skb, unsigned int esp_off,
		       u8 nexthdr, u64 seq, kipsec_esp_done_t done);
int kipsec_esp_decrypt(struct kipsec_sa *sa, struct sk_buff *skb, u64 seq,
		       kipsec_esp_done_t done);

#endif /* _KIPSEC_ESP_H */
