/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IKEv1 pseudo-random function: HMAC with the negotiated hash
 * (RFC 2409 section 5; SHA-2 per RFC 4868), computed by libcrypto.
 */
#ifndef KIPSEC_IKE_PRF_H
#define KIPSEC_IKE_PRF_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

enum ike_hash {
	IKE_HASH_SHA1,
	IKE_HASH_SHA2_256,
	IKE_HASH_SHA2_384,
	IKE_HASH_SHA2_512,
};

#define IKE_PRF_MAX 64	/* longest output: SHA-512 */

size_t ike_prf_len(enum ike_hash h);
const char *ike_hash_name(enum ike_hash h);

/*
 * out = prf(key, parts[0] | parts[1] | ...). @out holds ike_prf_len(h)
 * bytes. Returns 0, or -1 when libcrypto failed (reason on stderr).
 */
int ike_prf(enum ike_hash h, const uint8_t *key, size_t klen,
	    const struct iovec *parts, int nparts, uint8_t *out);

/* out = hash(parts...) with the plain digest (phase-1 IV derivation). */
int ike_hash(enum ike_hash h, const struct iovec *parts, int nparts, uint8_t *out);

#endif
