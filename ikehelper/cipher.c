// SPDX-License-Identifier: GPL-2.0
/* CBC with libcrypto, no padding: ISAKMP pads the message itself. */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "cipher.h"

size_t ike_cipher_keylen(int alg, int keybits)
{
	if (alg == IKE_ENC_3DES_CBC)
		return keybits == 0 || keybits == 192 ? 24 : 0;
	if (alg == IKE_ENC_AES_CBC)
		return keybits == 128 || keybits == 192 || keybits == 256 ? (size_t)keybits / 8 : 0;
	return 0;
}

size_t ike_cipher_block(int alg)
{
	return alg == IKE_ENC_3DES_CBC ? 8 : alg == IKE_ENC_AES_CBC ? 16 : 0;
}

static const EVP_CIPHER *evp(int alg, size_t keylen)
{
	if (alg == IKE_ENC_3DES_CBC)
		return EVP_des_ede3_cbc();
	switch (keylen) {
	case 16: return EVP_aes_128_cbc();
	case 24: return EVP_aes_192_cbc();
	case 32: return EVP_aes_256_cbc();
	}
	return NULL;
}

int ike_cbc(int alg, const uint8_t *key, size_t keylen, uint8_t *iv, uint8_t *buf, size_t len,
	    int encrypt)
{
	size_t bs = ike_cipher_block(alg);
	const EVP_CIPHER *c = evp(alg, keylen);
	uint8_t next[IKE_BLOCK_MAX];
	EVP_CIPHER_CTX *ctx;
	int outl = 0, ret = -1;

	if (!c || !bs || !len || len % bs || ike_cipher_keylen(alg, (int)keylen * 8) != keylen)
		return -1;
	/* decrypting: the last ciphertext block is the next IV; save it first */
	if (!encrypt)
		memcpy(next, buf + len - bs, bs);
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return -1;
	if (EVP_CipherInit_ex(ctx, c, NULL, key, iv, encrypt) &&
	    EVP_CIPHER_CTX_set_padding(ctx, 0) &&
	    EVP_CipherUpdate(ctx, buf, &outl, buf, (int)len) && (size_t)outl == len)
		ret = 0;
	EVP_CIPHER_CTX_free(ctx);
	if (ret)
		return -1;
	memcpy(iv, encrypt ? buf + len - bs : next, bs);
	return 0;
}
