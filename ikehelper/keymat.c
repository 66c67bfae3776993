// SPDX-License-Identifier: GPL-2.0
/* RFC 2409 sections 5, 5.5 and appendix B, on top of ike_prf(). */
#include <string.h>

#include <openssl/crypto.h>

#include "keymat.h"

#define IOV(p, n) ((struct iovec){ (void *)(p), (n) })

int ike_keys_derive(struct ike_keys *k, enum ike_hash h, const uint8_t *psk, size_t psklen,
		    const uint8_t *ni, size_t nilen, const uint8_t *nr, size_t nrlen,
		    const uint8_t *gxy, size_t gxylen, const uint8_t *icky, const uint8_t *rcky,
		    size_t enc_len)
{
	static const uint8_t c0 = 0, c1 = 1, c2 = 2;
	uint8_t kn[IKE_PRF_MAX];
	struct iovec v[5];
	size_t off;

	memset(k, 0, sizeof(*k));
	k->hash = h;
	k->plen = ike_prf_len(h);
	if (enc_len > sizeof(k->enc))
		return -1;
	v[0] = IOV(ni, nilen);
	v[1] = IOV(nr, nrlen);
	if (ike_prf(h, psk, psklen, v, 2, k->skeyid) < 0)
		return -1;
	v[0] = IOV(gxy, gxylen);
	v[1] = IOV(icky, 8);
	v[2] = IOV(rcky, 8);
	v[3] = IOV(&c0, 1);
	if (ike_prf(h, k->skeyid, k->plen, v, 4, k->skeyid_d) < 0)
		return -1;
	v[0] = IOV(k->skeyid_d, k->plen);
	v[1] = IOV(gxy, gxylen);
	v[2] = IOV(icky, 8);
	v[3] = IOV(rcky, 8);
	v[4] = IOV(&c1, 1);
	if (ike_prf(h, k->skeyid, k->plen, v, 5, k->skeyid_a) < 0)
		return -1;
	v[0] = IOV(k->skeyid_a, k->plen);
	v[4] = IOV(&c2, 1);
	if (ike_prf(h, k->skeyid, k->plen, v, 5, k->skeyid_e) < 0)
		return -1;
	k->enc_len = enc_len;
	if (enc_len <= k->plen) {
		memcpy(k->enc, k->skeyid_e, enc_len);
		return 0;
	}
	/* appendix B: K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e, K(n-1)) */
	v[0] = IOV(&c0, 1);
	if (ike_prf(h, k->skeyid_e, k->plen, v, 1, kn) < 0)
		return -1;
	for (off = 0;;) {
		size_t n = enc_len - off < k->plen ? enc_len - off : k->plen;

		memcpy(k->enc + off, kn, n);
		off += n;
		if (off == enc_len)
			break;
		v[0] = IOV(kn, k->plen);
		if (ike_prf(h, k->skeyid_e, k->plen, v, 1, kn) < 0)
			return -1;
	}
	OPENSSL_cleanse(kn, sizeof(kn));
	return 0;
}

void ike_keys_clear(struct ike_keys *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}

int ike_iv_phase1(enum ike_hash h, const uint8_t *gxi, size_t gxilen, const uint8_t *gxr,
		  size_t gxrlen, size_t block, uint8_t *iv)
{
	uint8_t out[IKE_PRF_MAX];
	struct iovec v[2] = { IOV(gxi, gxilen), IOV(gxr, gxrlen) };

	if (block > ike_prf_len(h) || ike_hash(h, v, 2, out) < 0)
		return -1;
	memcpy(iv, out, block);
	return 0;
}

int ike_iv_phase2(enum ike_hash h, const uint8_t *last, size_t block, uint32_t msgid,
		  uint8_t *iv)
{
	uint8_t mid[4] = { (uint8_t)(msgid >> 24), (uint8_t)(msgid >> 16), (uint8_t)(msgid >> 8),
			   (uint8_t)msgid };
	uint8_t out[IKE_PRF_MAX];
	struct iovec v[2] = { IOV(last, block), IOV(mid, 4) };

	if (block > ike_prf_len(h) || ike_hash(h, v, 2, out) < 0)
		return -1;
	memcpy(iv, out, block);
	return 0;
}

int ike_hash_auth(const struct ike_keys *k, const uint8_t *gx_mine, const uint8_t *gx_peer,
		  size_t gxlen_mine, size_t gxlen_peer, const uint8_t *cky_mine,
		  const uint8_t *cky_peer, const uint8_t *sai_b, size_t sailen,
		  const uint8_t *id_b, size_t idlen, uint8_t *out)
{
	struct iovec v[6] = {
		IOV(gx_mine, gxlen_mine), IOV(gx_peer, gxlen_peer), IOV(cky_mine, 8),
		IOV(cky_peer, 8), IOV(sai_b, sailen), IOV(id_b, idlen),
	};

	return ike_prf(k->hash, k->skeyid, k->plen, v, 6, out);
}

int ike_keymat(const struct ike_keys *k, const uint8_t *gqm, size_t gqmlen, uint8_t proto,
	       uint32_t spi, const uint8_t *ni, size_t nilen, const uint8_t *nr, size_t nrlen,
	       uint8_t *out, size_t outlen)
{
	uint8_t spib[4] = { (uint8_t)(spi >> 24), (uint8_t)(spi >> 16), (uint8_t)(spi >> 8),
			    (uint8_t)spi };
	uint8_t kn[IKE_PRF_MAX];
	struct iovec v[6];
	size_t off = 0;
	int n = 0, first = 1;

	while (off < outlen) {
		size_t take;

		n = 0;
		if (!first)
			v[n++] = IOV(kn, k->plen);
		if (gqm)
			v[n++] = IOV(gqm, gqmlen);
		v[n++] = IOV(&proto, 1);
		v[n++] = IOV(spib, 4);
		v[n++] = IOV(ni, nilen);
		v[n++] = IOV(nr, nrlen);
		if (ike_prf(k->hash, k->skeyid_d, k->plen, v, n, kn) < 0) {
			OPENSSL_cleanse(kn, sizeof(kn));
			return -1;
		}
		take = outlen - off < k->plen ? outlen - off : k->plen;
		memcpy(out + off, kn, take);
		off += take;
		first = 0;
	}
	OPENSSL_cleanse(kn, sizeof(kn));
	return 0;
}
