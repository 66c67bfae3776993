/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Diffie-Hellman for IKEv1 through libcrypto's EVP: MODP groups 2, 5, 14,
 * 15, 16 (RFC 2409, RFC 3526), ECP groups 19, 20, 21 (RFC 5903: public
 * value x | y, shared secret x) and Curve25519 (group 31, RFC 8031).
 */
#ifndef KIPSEC_IKE_DH_H
#define KIPSEC_IKE_DH_H

#include <stddef.h>
#include <stdint.h>

#define IKE_DH_MAX 512	/* MODP-4096 public value / shared secret */

struct ike_dh;

/* The group's public value length, or 0 if the group is not supported. */
size_t ike_dh_len(int group);
const char *ike_dh_name(int group);

/* A fresh key pair in @group; NULL (reason on stderr) on failure. */
struct ike_dh *ike_dh_new(int group);
void ike_dh_free(struct ike_dh *dh);
int ike_dh_group(const struct ike_dh *dh);

/* Our public value, ike_dh_len() bytes, into @out. */
int ike_dh_public(struct ike_dh *dh, uint8_t *out);

/*
 * The shared secret g^xy from the peer's public value into @out
 * (ike_dh_len() bytes for MODP, the coordinate length for ECP, 32 for
 * Curve25519); *outlen gets its length. A peer value of the wrong length
 * or not on the curve is refused.
 */
int ike_dh_shared(struct ike_dh *dh, const uint8_t *peer, size_t plen, uint8_t *out,
		  size_t *outlen);

#endif
