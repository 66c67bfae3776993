/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CHILD SA lifetimes in seconds and in kilobytes (RFC 2407 4.5): what the
 * responder applies (the shorter of the initiator's and its own), the
 * RESPONDER-LIFETIME notification (RFC 2407 4.6.3.1) that tells the
 * initiator, and the soft byte limit below the negotiated hard one.
 */
#ifndef KIPSEC_IKE_LIFETIME_H
#define KIPSEC_IKE_LIFETIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* lifebytes (bytes, 0: none) as sent: whole kilobytes, rounded up; 0: none. */
uint32_t ike_life_kb(uint64_t bytes);

/*
 * The lifetime a responder applies of one type: the shorter of @theirs
 * (the initiator's proposal) and @ours, 0 meaning none on that side.
 * *@shorter tells that ours won (then the initiator must be told).
 */
uint32_t ike_life_choose(uint32_t theirs, uint32_t ours, bool *shorter);

/*
 * A RESPONDER-LIFETIME Notification body: DOI, @proto, SPI size 4, type
 * 24576, @spi (the responder's for @proto), then life type/duration pairs
 * for @secs and @kb (each only if non-zero). Returns its length, or 0 if
 * @cap is too small.
 */
size_t ike_resp_lifetime_body(uint8_t *out, size_t cap, uint8_t proto, uint32_t spi,
			      uint32_t secs, uint32_t kb);

/*
 * Parse a Notification body (@len bytes): 1 for a RESPONDER-LIFETIME with
 * *@proto, *@spi, *@secs and *@kb set (0 where a type is absent), 0 for
 * another notification, -1 when malformed (*@why says how): not the IPsec
 * DOI, an SPI that is not 4 bytes, attributes other than life type and
 * duration, none at all, or a bad pair (see isakmp_parse_attrs).
 */
int ike_resp_lifetime_parse(const uint8_t *body, size_t len, uint8_t *proto, uint32_t *spi,
			    uint32_t *secs, uint32_t *kb, const char **why);

/*
 * The soft limit for a hard one of @life (seconds or bytes), with the
 * margins of ike_soft_lifetime (events.h): the Quick Mode's initiator at
 * 80..90 %, the responder at 92.5..95 %. 0 when @life < 2.
 */
uint64_t ike_soft_limit(uint64_t life, bool initiator, uint32_t rnd);

/*
 * qm_lifetime.c: the same in Quick Mode. The initiator's offer in @t
 * (lifetime, lifebytes); the responder's choice for the initiator's
 * transform @t into @q (true: ours was shorter, logged, and message 2
 * carries RESPONDER-LIFETIME, which ike_qm_life_put_notify adds; -1 on
 * overflow); the initiator's lifetimes from message 2 @m and its
 * transform @t (-1: a malformed RESPONDER-LIFETIME, logged); the soft
 * limits; ", N bytes, soft M bytes" for the CHILD SA's log line ("" if none).
 */
struct ike_conn;
struct ike_msg;
struct ike_quick;
struct ike_transform;
struct ike_wbuf;
void ike_qm_life_offer(const struct ike_conn *c, struct ike_transform *t);
bool ike_qm_life_respond(struct ike_quick *q, const struct ike_transform *t);
int ike_qm_life_put_notify(struct ike_quick *q, struct ike_wbuf *w);
int ike_qm_life_reply(struct ike_quick *q, const struct ike_msg *m, const struct ike_transform *t);
void ike_qm_life_soft(struct ike_quick *q, uint32_t rnd_secs, uint32_t rnd_bytes);
const char *ike_qm_life_bytes_str(const struct ike_quick *q, char *buf, size_t len);

#endif
