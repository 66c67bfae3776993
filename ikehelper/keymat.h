/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv1 key derivation (RFC 2409): SKEYID for pre-shared keys, SKEYID_d,
 * SKEYID_a, SKEYID_e, the phase-1 encryption key (with the appendix B
 * extension when SKEYID_e is too short), the phase-1 and phase-2 IVs,
 * HASH_I/HASH_R and Quick Mode KEYMAT (section 5.5, with expansion).
 */
#ifndef KIPSEC_IKE_KEYMAT_H
#define KIPSEC_IKE_KEYMAT_H

#include <stddef.h>
#include <stdint.h>

#include "cipher.h"
#include "prf.h"

struct ike_keys {
	enum ike_hash hash;
	size_t plen;			/* prf output length */
	uint8_t skeyid[IKE_PRF_MAX];
	uint8_t skeyid_d[IKE_PRF_MAX];
	uint8_t skeyid_a[IKE_PRF_MAX];
	uint8_t skeyid_e[IKE_PRF_MAX];
	uint8_t enc[IKE_ENCKEY_MAX];	/* the phase-1 cipher key */
	size_t enc_len;
};

/*
 * SKEYID = prf(psk, Ni_b | Nr_b), then SKEYID_d/a/e from g^xy and the
 * cookies, then the cipher key of @enc_len bytes. Returns 0 or -1.
 */
int ike_keys_derive(struct ike_keys *k, enum ike_hash h, const uint8_t *psk, size_t psklen,
		    const uint8_t *ni, size_t nilen, const uint8_t *nr, size_t nrlen,
		    const uint8_t *gxy, size_t gxylen, const uint8_t *icky, const uint8_t *rcky,
		    size_t enc_len);

/* Zero every key (OPENSSL_cleanse). */
void ike_keys_clear(struct ike_keys *k);

/* Phase-1 IV = hash(g^xi | g^xr), first @block bytes. */
int ike_iv_phase1(enum ike_hash h, const uint8_t *gxi, size_t gxilen, const uint8_t *gxr,
		  size_t gxrlen, size_t block, uint8_t *iv);

/* IV of a new exchange (QM, informational) = hash(last phase-1 block | M-ID). */
int ike_iv_phase2(enum ike_hash h, const uint8_t *last, size_t block, uint32_t msgid,
		  uint8_t *iv);

/*
 * HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b);
 * HASH_R swaps the DH values and cookies and takes IDir_b. @gx_mine is the
 * side whose hash is computed (g^xi for HASH_I).
 */
int ike_hash_auth(const struct ike_keys *k, const uint8_t *gx_mine, const uint8_t *gx_peer,
		  size_t gxlen_mine, size_t gxlen_peer, const uint8_t *cky_mine,
		  const uint8_t *cky_peer, const uint8_t *sai_b, size_t sailen,
		  const uint8_t *id_b, size_t idlen, uint8_t *out);

/*
 * KEYMAT = K1 | K2 | ..., Kn = prf(SKEYID_d, K(n-1) | [g(qm)^xy |] protocol
 * | SPI | Ni_b | Nr_b), @outlen bytes. @gqm may be NULL (no PFS).
 */
int ike_keymat(const struct ike_keys *k, const uint8_t *gqm, size_t gqmlen, uint8_t proto,
	       uint32_t spi, const uint8_t *ni, size_t nilen, const uint8_t *nr, size_t nrlen,
	       uint8_t *out, size_t outlen);

#endif
