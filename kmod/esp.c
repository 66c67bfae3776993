// SPDX-License-Identifier: GPL-2.0
/*
 * ESP encryption and decryption of a laid-out packet with the SA's AEAD
 * transform (an AEAD proper, or authenc()/authencesn() pairing a cipher
 * with an HMAC).
 *
 * Every transform sees the same scatterlist: the associated data in a
 * small buffer of the request (SPI and sequence number; SPI, high and low
 * sequence number with ESN, the order RFC 4106 section 5 and authencesn
 * expect), followed by the packet from the IV to the ICV. The IV is passed
 * as part of the associated data length: rfc4106() and rfc7539esp() skip
 * it, authenc() authenticates it as RFC 4303 asks. Building the associated
 * data apart from the packet means the wire header is never rewritten in
 * place for ESN, unlike esp4.c's trick with the bytes before the header.
 *
 * IVs: for the counter-based AEADs the IV is the 64-bit sequence number,
 * unique per SA and key (RFC 4106 section 3.1, RFC 7634 section 2); for
 * CBC it is random (RFC 3602).
 *
 * The caller owns a linear, writable skb with enough tailroom. Both
 * directions leave the transport header at the ESP header. A packet
 * the crypto layer takes asynchronously (-EINPROGRESS) belongs to the
 * request until @done runs; the request holds an SA reference until then.
 */
#include <asm/unaligned.h>
#include <crypto/aead.h>
#include <linux/ip.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <net/esp.h>

#include "esp.h"
#include "sa.h"

struct esp_req {
	struct sk_buff *skb;
	struct kipsec_sa *sa;
	kipsec_esp_done_t done;
	u64 seq;
	u8 aad[12];
	u8 iv[16];
	struct scatterlist sg[2];
	/* struct aead_request and the transform's context follow, aligned */
};

static struct aead_request *esp_req_aead(struct esp_req *r)
{
	return PTR_ALIGN((void *)(r + 1), crypto_tfm_ctx_alignment());
}

static struct esp_req *esp_req_alloc(struct kipsec_sa *sa)
{
	size_t len = sizeof(struct esp_req) + crypto_tfm_ctx_alignment() +
		     sizeof(struct aead_request) + crypto_aead_reqsize(sa->aead);
	struct esp_req *r;

	r = kmalloc(len, GFP_ATOMIC);
	if (r)
		aead_request_set_tfm(esp_req_aead(r), sa->aead);
	return r;
}

/*
 * The transform's request context may hold key-derived state: authenc()'s
 * HMAC state starts from the hashed key pads, generic gcm()'s GHASH
 * accumulator is a function of H. Only it is wiped, for its real size: the
 * rest of the request is our own bookkeeping (IV, AAD, scatterlist) and
 * kfree_sensitive() would clear the whole kmalloc bucket, which in a TCG
 * guest was ~1800 bytes of byte-by-byte rep stosb per forwarded datagram
 * (tests/bench/prof.sh), about a twentieth of all its instructions.
 */
static void esp_req_free(struct esp_req *r)
{
	struct aead_request *req = esp_req_aead(r);

	/* __ctx: what aead_request_ctx() returns to the implementation */
	memzero_explicit(req->__ctx, crypto_aead_reqsize(crypto_aead_reqtfm(req)));
	kfree(r);
}

static void esp_async_done(struct crypto_async_request *base, int err)
{
	struct esp_req *r = base->data;
	struct kipsec_sa *sa = r->sa;

	r->done(r->skb, sa, r->seq, err);
	esp_req_free(r);
	kipsec_sa_put(sa);
}

static unsigned int esp_aad(const struct kipsec_sa *sa, u8 *aad, u64 seq)
{
	__be32 *p = (__be32 *)aad;

	p[0] = sa->id.spi;
	if (!sa->esn) {
		p[1] = htonl(lower_32_bits(seq));
		return 8;
	}
	p[1] = htonl(upper_32_bits(seq));
	p[2] = htonl(lower_32_bits(seq));
	return 12;
}

/* Submit; returns 0 or an error if done synchronously, -EINPROGRESS if not. */
static int esp_submit(struct esp_req *r, struct sk_buff *skb, struct kipsec_sa *sa,
		      unsigned int aadlen, unsigned int cryptlen, unsigned int sglen, bool enc)
{
	struct aead_request *req = esp_req_aead(r);
	/* The packet part starts at the IV, right after SPI and sequence number. */
	u8 *data = skb->data + skb_transport_offset(skb) + KIPSEC_ESP_HLEN;
	int err;

	sg_init_table(r->sg, 2);
	sg_set_buf(&r->sg[0], r->aad, aadlen);
	sg_set_buf(&r->sg[1], data, sglen);

	aead_request_set_callback(req, 0, esp_async_done, r);
	aead_request_set_crypt(req, r->sg, r->sg, cryptlen, r->iv);
	aead_request_set_ad(req, aadlen + sa->ivlen);

	kipsec_sa_hold(sa);
	err = enc ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
	if (err == -EINPROGRESS)
		return err;
	/* Without MAY_BACKLOG, -EBUSY means the queue was full: dropped. */
	if (err == -EBUSY)
		err = -ENOBUFS;
	esp_req_free(r);
	kipsec_sa_put(sa);
	return err;
}

unsigned int kipsec_esp_trailer_len(const struct kipsec_sa *sa, unsigned int plen)
{
	return ALIGN(plen + 2, sa->align) - plen;
}

/*
 * Encrypt: the ESP header and IV go at @esp_off (room reserved by the
 * caller), the payload follows up to skb->len; the trailer and ICV are
 * appended here.
 */
int kipsec_esp_encrypt(struct kipsec_sa *sa, struct sk_buff *skb, unsigned int esp_off,
		       u8 nexthdr, u64 seq, kipsec_esp_done_t done)
{
	unsigned int hlen = KIPSEC_ESP_HLEN + sa->ivlen;
	unsigned int plen = skb->len - esp_off - hlen;
	unsigned int tlen = kipsec_esp_trailer_len(sa, plen);
	struct ip_esp_hdr *esph;
	struct esp_req *r;
	unsigned int i;
	u8 *tail;

	r = esp_req_alloc(sa);
	if (!r)
		return -ENOMEM;
	r->skb = skb;
	r->sa = sa;
	r->done = done;
	r->seq = seq;

	/* RFC 4303 2.4: padding bytes 1, 2, 3, ..., then pad length and next header. */
	tail = skb_put(skb, tlen + sa->icvlen);
	for (i = 0; i < tlen - 2; i++)
		tail[i] = i + 1;
	tail[tlen - 2] = tlen - 2;
	tail[tlen - 1] = nexthdr;

	esph = (struct ip_esp_hdr *)(skb->data + esp_off);
	esph->spi = sa->id.spi;
	esph->seq_no = htonl(lower_32_bits(seq));
	if (sa->iv_random)
		get_random_bytes(r->iv, sa->ivlen);
	else
		put_unaligned_be64(seq, r->iv);
	memcpy(esph->enc_data, r->iv, sa->ivlen);

	skb_set_transport_header(skb, esp_off);
	return esp_submit(r, skb, sa, esp_aad(sa, r->aad, seq), plen + tlen,
			  sa->ivlen + plen + tlen + sa->icvlen, true);
}

/* Decrypt and verify the packet at skb->data (the ESP header) in place. */
int kipsec_esp_decrypt(struct kipsec_sa *sa, struct sk_buff *skb, u64 seq,
		       kipsec_esp_done_t done)
{
	unsigned int hlen = KIPSEC_ESP_HLEN + sa->ivlen;
	struct esp_req *r;

	if (skb->len < hlen + sa->icvlen + 2)
		return -EINVAL;
	r = esp_req_alloc(sa);
	if (!r)
		return -ENOMEM;
	r->skb = skb;
	r->sa = sa;
	r->done = done;
	r->seq = seq;
	memcpy(r->iv, skb->data + KIPSEC_ESP_HLEN, sa->ivlen);
	skb_reset_transport_header(skb);
	return esp_submit(r, skb, sa, esp_aad(sa, r->aad, seq), skb->len - hlen,
			  skb->len - KIPSEC_ESP_HLEN, false);
}
