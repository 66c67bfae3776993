/* SPDX-License-Identifier: GPL-2.0 */
/* Phase-1 message encryption: AES-CBC and 3DES-CBC (RFC 2409 appendix B). */
#ifndef KIPSEC_IKE_CIPHER_H
#define KIPSEC_IKE_CIPHER_H

#include <stddef.h>
#include <stdint.h>

/* Phase-1 encryption algorithm ids (RFC 2409 appendix A) */
enum { IKE_ENC_3DES_CBC = 5, IKE_ENC_AES_CBC = 7 };

#define IKE_BLOCK_MAX 16
#define IKE_ENCKEY_MAX 32

/* Key length in bytes for @alg with @keybits (0 = none given), or 0 if unsupported. */
size_t ike_cipher_keylen(int alg, int keybits);
size_t ike_cipher_block(int alg);

/*
 * Encrypt or decrypt @buf (@len, a multiple of the block size) in place
 * with @iv; on return @iv holds the last ciphertext block (the next IV of
 * the chain). Returns 0 or -1.
 */
int ike_cbc(int alg, const uint8_t *key, size_t keylen, uint8_t *iv, uint8_t *buf, size_t len,
	    int encrypt);

#endif
