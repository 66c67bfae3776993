// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of kmod/esp.c, the ESP (RFC 4303) transform, with SAs made by
 * kmod/sa.c exactly as sa-add makes them.
 *
 * Known answers: published AEAD test vectors whose associated data has
 * ESP's layout (SPI | sequence number | IV, or SPI | high | low | IV with
 * ESN) are rebuilt into wire packets, SPI | low sequence number | IV |
 * ciphertext | ICV, and decrypted. Round trips: every algorithm kipsec
 * supports, with and without ESN, several payload sizes; the trailer, the
 * IV and the lengths are checked on the way, and single bit flips anywhere
 * in the packet must make the ICV check fail.
 *
 * The crypto layer may complete a request asynchronously: the done
 * callback then signals a completion the test waits on.
 */
#include <asm/unaligned.h>
#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/esp.h>

#include "../../kmod/esp.h"
#include "../../kmod/sa.h"

#define ESP_TEST_HL	20	/* bytes in front of the ESP header on output */
#define ESP_TEST_ROOM	64	/* headroom and spare tailroom of test skbs */

/* One request in flight: the done callback finds it through skb->cb. */
struct esp_wait {
	struct completion done;
	int err;
};

static void esp_test_done(struct sk_buff *skb, struct kipsec_sa *sa, u64 seq, int err)
{
	struct esp_wait *w = *(struct esp_wait **)skb->cb;

	w->err = err;
	complete(&w->done);
}

/* Encrypt (@esp_off: where the ESP header goes) or decrypt, and wait. */
static int esp_run(struct kipsec_sa *sa, struct sk_buff *skb, bool enc, unsigned int esp_off,
		   u8 nexthdr, u64 seq)
{
	struct esp_wait w;
	int err;

	init_completion(&w.done);
	w.err = -ETIME;
	*(struct esp_wait **)skb->cb = &w;
	if (enc)
		err = kipsec_esp_encrypt(sa, skb, esp_off, nexthdr, seq, esp_test_done);
	else
		err = kipsec_esp_decrypt(sa, skb, seq, esp_test_done);
	if (err == -EINPROGRESS) {
		wait_for_completion(&w.done);
		err = w.err;
	}
	return err;
}

/* Decrypt a copy of the ESP packet @pkt as input would hand it over. */
static int esp_decrypt_copy(struct kunit *test, struct kipsec_sa *sa, const u8 *pkt,
			    unsigned int len, u64 seq, u8 *out)
{
	struct sk_buff *skb = alloc_skb(ESP_TEST_ROOM + len, GFP_KERNEL);
	int err;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, ESP_TEST_ROOM);
	skb_reset_network_header(skb);
	skb_put_data(skb, pkt, len);
	err = esp_run(sa, skb, false, 0, 0, seq);
	/* Left at the ESP header, unless refused before any work. */
	if (err != -EINVAL)
		KUNIT_EXPECT_EQ(test, skb_transport_offset(skb), 0);
	if (!err && out)
		memcpy(out, skb->data, len);
	kfree_skb(skb);
	return err;
}

/*
 * SAs belong to the test: freed at its end even when an assertion ends it
 * early. Not with kipsec_sa_destroy(): when a request completed
 * asynchronously, esp.c drops its SA reference only after our done
 * callback returned. Killing the creation reference frees the SA when the
 * last request lets go, after an RCU grace period, as deleting one does
 * (kipsec_sa_module_uninit() waits for that at suite exit).
 */
static int esp_sa_res_init(struct kunit_resource *res, void *sa)
{
	res->data = sa;
	return 0;
}

static void esp_sa_res_free(struct kunit_resource *res)
{
	struct kipsec_sa *sa = res->data;

	percpu_ref_kill(&sa->ref);
}

struct esp_sa_params {
	const char *aead, *enc, *auth;
	const u8 *key, *akey;
	unsigned int klen, aklen, icvlen;
	bool esn;
	__be32 spi;
};

static struct kipsec_sa *esp_sa(struct kunit *test, const struct esp_sa_params *p)
{
	struct kipsec_net *kn = test->priv;
	struct kipsec_sa_config cfg = {};
	struct kipsec_sa *sa;
	int bad = 0;

	cfg.id.family = AF_INET;
	cfg.id.daddr.a4 = cpu_to_be32(0xc6336402);	/* 198.51.100.2 */
	cfg.id.spi = p->spi;
	cfg.id.proto = IPPROTO_ESP;
	cfg.saddr.a4 = cpu_to_be32(0xc0000201);		/* 192.0.2.1 */
	cfg.mode = KIPSEC_MODE_TRANSPORT;
	cfg.esn = p->esn;
	cfg.replay_window = 64;
	cfg.icvlen = p->icvlen;
	if (p->aead) {
		cfg.aead_alg = p->aead;
		cfg.aead_key = p->key;
		cfg.aead_keylen = p->klen;
	} else {
		cfg.enc_alg = p->enc;
		cfg.enc_key = p->key;
		cfg.enc_keylen = p->klen;
		cfg.auth_alg = p->auth;
		cfg.auth_key = p->akey;
		cfg.auth_keylen = p->aklen;
	}
	sa = kipsec_sa_create(kn, &cfg, NULL, &bad);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(sa), "%s%s%s: error %ld, attribute %d",
			       p->aead ?: p->enc, p->aead ? "" : " ", p->aead ? "" : p->auth,
			       PTR_ERR(sa), bad);
	return kunit_alloc_resource(test, esp_sa_res_init, esp_sa_res_free, GFP_KERNEL, sa);
}

static int esp_test_init(struct kunit *test)
{
	/* Only sa->kn points here: these SAs are never published. */
	test->priv = kunit_kzalloc(test, sizeof(struct kipsec_net), GFP_KERNEL);
	if (!test->priv)
		return -ENOMEM;
	mutex_init(&((struct kipsec_net *)test->priv)->lock);
	return 0;
}

static int esp_suite_init(struct kunit_suite *suite)
{
	/* The workqueue SAs are freed on. */
	return kipsec_sa_module_init();
}

static void esp_suite_exit(struct kunit_suite *suite)
{
	kipsec_sa_module_uninit();
}

/* ---- Known answers ---- */

/*
 * Vectors from the kernel's crypto/testmgr.h (Linux 6.1), copied as data:
 * aes_gcm_rfc4106_tv_template (RFC 4106 test cases from
 * draft-mcgrew-gcm-test-01 and Crypto++), rfc7539esp_tv_template (RFC 7539
 * appendix A.5 in ESP layout), and the one vector of each
 * hmac_sha{1,256,512}_aes_cbc_tv_temp whose associated data is ESP's
 * (RFC 3602 case 5 with the full HMAC as ICV); the others there
 * authenticate the IV alone, which ESP never does. The authenc key blobs
 * (rtattr with the cipher key length, authentication key, cipher key) are
 * split into the two keys kipsec takes.
 */
struct esp_vector {
	const char *name;
	const char *aead, *enc, *auth;
	const char *key, *akey;		/* AEAD key and salt, or cipher key; HMAC key */
	unsigned int klen, aklen, icvlen;
	const char *assoc;
	unsigned int alen;
	const char *ptext;
	unsigned int plen;
	const char *ctext;		/* ciphertext and ICV */
	unsigned int clen;
};

static const struct esp_vector esp_vectors[] = {
	{
		/* aes_gcm_rfc4106_tv_template[1] */
		.name	= "aes_gcm_rfc4106[1]",
		.aead	= "rfc4106(gcm(aes))",
		.key	= "\xfe\xff\xe9\x92\x86\x65\x73\x1c"
			  "\x6d\x6a\x8f\x94\x67\x30\x83\x08"
			  "\x00\x00\x00\x00",
		.klen	= 20,
		.assoc	= "\x00\x00\x00\x00\x00\x00\x00\x00"
			  "\x00\x00\x00\x00\x00\x00\x00\x01",
		.alen	= 16,
		.ptext	= "\x00\x00\x00\x00\x00\x00\x00\x00"
			  "\x00\x00\x00\x00\x00\x00\x00\x00",
		.plen	= 16,
		.ctext	= "\xc0\x0d\x8b\x42\x0f\x8f\x34\x18"
			  "\x88\xb1\xc5\xbc\xc5\xb6\xd6\x28"
			  "\x6a\x9d\xdf\x11\x5e\xfe\x5e\x9d"
			  "\x2f\x70\x44\x92\xf7\xf2\xe3\xef",
		.clen	= 32,
	},
	{
		/* aes_gcm_rfc4106_tv_template[4] */
		.name	= "aes_gcm_rfc4106[4]",
		.aead	= "rfc4106(gcm(aes))",
		.key	= "\xfe\xff\xe9\x92\x86\x65\x73\x1c"
			  "\x6d\x6a\x8f\x94\x67\x30\x83\x08"
			  "\x00\x00\x00\x00",
		.klen	= 20,
		.assoc	= "\x01\x01\x01\x01\x01\x01\x01\x01"
			  "\x00\x00\x00\x00\x00\x00\x00\x01",
		.alen	= 16,
		.ptext	= "\x01\x01\x01\x01\x01\x01\x01\x01"
			  "\x01\x01\x01\x01\x01\x01\x01\x01",
		.plen	= 16,
		.ctext	= "\xc1\x0c\x8a\x43\x0e\x8e\x35\x19"
			  "\x89\xb0\xc4\xbd\xc4\xb7\xd7\x29"
			  "\x64\x50\xf9\x32\x13\xfb\x74\x61"
			  "\xf4\xed\x52\xd3\xc5\x10\x55\x3c",
		.clen	= 32,
	},
	{
		/* aes_gcm_rfc4106_tv_template[5] */
		.name	= "aes_gcm_rfc4106[5]",
		.aead	= "rfc4106(gcm(aes))",
		.key	= "\xfe\xff\xe9\x92\x86\x65\x73\x1c"
			  "\x6d\x6a\x8f\x94\x67\x30\x83\x08"
			  "\x00\x00\x00\x00",
		.klen	= 20,
		.assoc	= "\x01\x01\x01\x01\x01\x01\x01\x01"
			  "\x00\x00\x00\x00\x00\x00\x00\x01",
		.alen	= 16,
		.ptext	= "\x01\x01\x01\x01\x01\x01\x01\x01"
			  "\x01\x01\x01\x01\x01\x01\x01\x01"
			  "\x01\x01\x01\x01\x01\x01\x01\x01"
			  "\x01\x01\x01\x01\x01\x01\x01\x01"
			  "\x01\x01\x01\x01\x01\x01\x01\x01"
			  "\x01\x01\x01\x01\x01\x01\x01\x01"
			  "\x01\x01\x01\x01\x01\x01\x01\x01"
			  "\x01\x01\x01\x01\x01\x01\x01\x01",
		.plen	= 64,
		.ctext	= "\xc1\x0c\x8a\x43\x0e\x8e\x35\x19"
			  "\x89\xb0\xc4\xbd\xc4\xb7\xd7\x29"
			  "\x98\x14\xa1\x42\x37\x80\xfd\x90"
			  "\x68\x12\x01\xa8\x91\x89\xb9\x83"
			  "\x5b\x11\x77\x12\x9b\xff\x24\x89"
			  "\x94\x5f\x18\x12\xba\x27\x09\x39"
			  "\x99\x96\x76\x42\x15\x1c\xcd\xcb"
			  "\xdc\xd3\xda\x65\x73\xaf\x80\xcd"
			  "\xd2\xb6\xc2\x4a\x76\xc2\x92\x85"
			  "\xbd\xcf\x62\x98\x58\x14\xe5\xbd",
		.clen	= 80,
	},
	{
		/* aes_gcm_rfc4106_tv_template[7] */
		.name	= "aes_gcm_rfc4106[7]",
		.aead	= "rfc4106(gcm(aes))",
		.key	= "\x4c\x80\xcd\xef\xbb\x5d\x10\xda"
			  "\x90\x6a\xc7\x3c\x36\x13\xa6\x34"
			  "\x2e\x44\x3b\x68",
		.klen	= 20,
		.assoc	= "\x00\x00\x43\x21\x87\x65\x43\x21"
			  "\x00\x00\x00\x00\x49\x56\xed\x7e"
			  "\x3b\x24\x4c\xfe",
		.alen	= 20,
		.ptext	= "\x45\x00\x00\x48\x69\x9a\x00\x00"
			  "\x80\x11\x4d\xb7\xc0\xa8\x01\x02"
			  "\xc0\xa8\x01\x01\x0a\x9b\xf1\x56"
			  "\x38\xd3\x01\x00\x00\x01\x00\x00"
			  "\x00\x00\x00\x00\x04\x5f\x73\x69"
			  "\x70\x04\x5f\x75\x64\x70\x03\x73"
			  "\x69\x70\x09\x63\x79\x62\x65\x72"
			  "\x63\x69\x74\x79\x02\x64\x6b\x00"
			  "\x00\x21\x00\x01\x01\x02\x02\x01",
		.plen	= 72,
		.ctext	= "\xfe\xcf\x53\x7e\x72\x9d\x5b\x07"
			  "\xdc\x30\xdf\x52\x8d\xd2\x2b\x76"
			  "\x8d\x1b\x98\x73\x66\x96\xa6\xfd"
			  "\x34\x85\x09\xfa\x13\xce\xac\x34"
			  "\xcf\xa2\x43\x6f\x14\xa3\xf3\xcf"
			  "\x65\x92\x5b\xf1\xf4\xa1\x3c\x5d"
			  "\x15\xb2\x1e\x18\x84\xf5\xff\x62"
			  "\x47\xae\xab\xb7\x86\xb9\x3b\xce"
			  "\x61\xbc\x17\xd7\x68\xfd\x97\x32"
			  "\x45\x90\x18\x14\x8f\x6c\xbe\x72"
			  "\x2f\xd0\x47\x96\x56\x2d\xfd\xb4",
		.clen	= 88,
	},
	{
		/* aes_gcm_rfc4106_tv_template[8] */
		.name	= "aes_gcm_rfc4106[8]",
		.aead	= "rfc4106(gcm(aes))",
		.key	= "\xfe\xff\xe9\x92\x86\x65\x73\x1c"
			  "\x6d\x6a\x8f\x94\x67\x30\x83\x08"
			  "\xca\xfe\xba\xbe",
		.klen	= 20,
		.assoc	= "\x00\x00\xa5\xf8\x00\x00\x00\x0a"
			  "\xfa\xce\xdb\xad\xde\xca\xf8\x88",
		.alen	= 16,
		.ptext	= "\x45\x00\x00\x3e\x69\x8f\x00\x00"
			  "\x80\x11\x4d\xcc\xc0\xa8\x01\x02"
			  "\xc0\xa8\x01\x01\x0a\x98\x00\x35"
			  "\x00\x2a\x23\x43\xb2\xd0\x01\x00"
			  "\x00\x01\x00\x00\x00\x00\x00\x00"
			  "\x03\x73\x69\x70\x09\x63\x79\x62"
			  "\x65\x72\x63\x69\x74\x79\x02\x64"
			  "\x6b\x00\x00\x01\x00\x01\x00\x01",
		.plen	= 64,
		.ctext	= "\xde\xb2\x2c\xd9\xb0\x7c\x72\xc1"
			  "\x6e\x3a\x65\xbe\xeb\x8d\xf3\x04"
			  "\xa5\xa5\x89\x7d\x33\xae\x53\x0f"
			  "\x1b\xa7\x6d\x5d\x11\x4d\x2a\x5c"
			  "\x3d\xe8\x18\x27\xc1\x0e\x9a\x4f"
			  "\x51\x33\x0d\x0e\xec\x41\x66\x42"
			  "\xcf\xbb\x85\xa5\xb4\x7e\x48\xa4"
			  "\xec\x3b\x9b\xa9\x5d\x91\x8b\xd1"
			  "\x83\xb7\x0d\x3a\xa8\xbc\x6e\xe4"
			  "\xc3\x09\xe9\xd8\x5a\x41\xad\x4a",
		.clen	= 80,
	},
	{
		/* aes_gcm_rfc4106_tv_template[9] */
		.name	= "aes_gcm_rfc4106[9]",
		.aead	= "rfc4106(gcm(aes))",
		.key	= "\xab\xbc\xcd\xde\xf0\x01\x12\x23"
			  "\x34\x45\x56\x67\x78\x89\x9a\xab"
			  "\xab\xbc\xcd\xde\xf0\x01\x12\x23"
			  "\x34\x45\x56\x67\x78\x89\x9a\xab"
			  "\x11\x22\x33\x44",
		.klen	= 36,
		.assoc	= "\x4a\x2c\xbf\xe3\x00\x00\x00\x02"
			  "\x01\x02\x03\x04\x05\x06\x07\x08",
		.alen	= 16,
		.ptext	= "\x45\x00\x00\x30\x69\xa6\x40\x00"
			  "\x80\x06\x26\x90\xc0\xa8\x01\x02"
			  "\x93\x89\x15\x5e\x0a\x9e\x00\x8b"
			  "\x2d\xc5\x7e\xe0\x00\x00\x00\x00"
			  "\x70\x02\x40\x00\x20\xbf\x00\x00"
			  "\x02\x04\x05\xb4\x01\x01\x04\x02"
			  "\x01\x02\x02\x01",
		.plen	= 52,
		.ctext	= "\xff\x42\x5c\x9b\x72\x45\x99\xdf"
			  "\x7a\x3b\xcd\x51\x01\x94\xe0\x0d"
			  "\x6a\x78\x10\x7f\x1b\x0b\x1c\xbf"
			  "\x06\xef\xae\x9d\x65\xa5\xd7\x63"
			  "\x74\x8a\x63\x79\x85\x77\x1d\x34"
			  "\x7f\x05\x45\x65\x9f\x14\xe9\x9d"
			  "\xef\x84\x2d\x8e\xb3\x35\xf4\xee"
			  "\xcf\xdb\xf8\x31\x82\x4b\x4c\x49"
			  "\x15\x95\x6c\x96",
		.clen	= 68,
	},
	{
		/* aes_gcm_rfc4106_tv_template[11] */
		.name	= "aes_gcm_rfc4106[11]",
		.aead	= "rfc4106(gcm(aes))",
		.key	= "\x3d\xe0\x98\x74\xb3\x88\xe6\x49"
			  "\x19\x88\xd0\xc3\x60\x7e\xae\x1f"
			  "\x57\x69\x0e\x43",
		.klen	= 20,
		.assoc	= "\x42\xf6\x7e\x3f\x10\x10\x10\x10"
			  "\x10\x10\x10\x10\x4e\x28\x00\x00"
			  "\xa2\xfc\xa1\xa3",
		.alen	= 20,
		.ptext	= "\x45\x00\x00\x3c\x99\xc3\x00\x00"
			  "\x80\x01\xcb\x7c\x40\x67\x93\x18"
			  "\x01\x01\x01\x01\x08\x00\x08\x5c"
			  "\x02\x00\x43\x00\x61\x62\x63\x64"
			  "\x65\x66\x67\x68\x69\x6a\x6b\x6c"
			  "\x6d\x6e\x6f\x70\x71\x72\x73\x74"
			  "\x75\x76\x77\x61\x62\x63\x64\x65"
			  "\x66\x67\x68\x69\x01\x02\x02\x01",
		.plen	= 64,
		.ctext	= "\xfb\xa2\xca\xa4\x85\x3c\xf9\xf0"
			  "\xf2\x2c\xb1\x0d\x86\xdd\x83\xb0"
			  "\xfe\xc7\x56\x91\xcf\x1a\x04\xb0"
			  "\x0d\x11\x38\xec\x9c\x35\x79\x17"
			  "\x65\xac\xbd\x87\x01\xad\x79\x84"
			  "\x5b\xf9\xfe\x3f\xba\x48\x7b\xc9"
			  "\x17\x55\xe6\x66\x2b\x4c\x8d\x0d"
			  "\x1f\x5e\x22\x73\x95\x30\x32\x0a"
			  "\xe0\xd7\x31\xcc\x97\x8e\xca\xfa"
			  "\xea\xe8\x8f\x00\xe8\x0d\x6e\x48",
		.clen	= 80,
	},
	{
		/* aes_gcm_rfc4106_tv_template[14] */
		.name	= "aes_gcm_rfc4106[14]",
		.aead	= "rfc4106(gcm(aes))",
		.key	= "\xab\xbc\xcd\xde\xf0\x01\x12\x23"
			  "\x34\x45\x56\x67\x78\x89\x9a\xab"
			  "\xde\xca\xf8\x88",
		.klen	= 20,
		.assoc	= "\x00\x00\x01\x00\x00\x00\x00\x00"
			  "\x00\x00\x00\x01\xca\xfe\xde\xba"
			  "\xce\xfa\xce\x74",
		.alen	= 20,
		.ptext	= "\x45\x00\x00\x49\x33\xba\x00\x00"
			  "\x7f\x11\x91\x06\xc3\xfb\x1d\x10"
			  "\xc2\xb1\xd3\x26\xc0\x28\x31\xce"
			  "\x00\x35\xdd\x7b\x80\x03\x02\xd5"
			  "\x00\x00\x4e\x20\x00\x1e\x8c\x18"
			  "\xd7\x5b\x81\xdc\x91\xba\xa0\x47"
			  "\x6b\x91\xb9\x24\xb2\x80\x38\x9d"
			  "\x92\xc9\x63\xba\xc0\x46\xec\x95"
			  "\x9b\x62\x66\xc0\x47\x22\xb1\x49"
			  "\x23\x01\x01\x01",
		.plen	= 76,
		.ctext	= "\x18\xa6\xfd\x42\xf7\x2c\xbf\x4a"
			  "\xb2\xa2\xea\x90\x1f\x73\xd8\x14"
			  "\xe3\xe7\xf2\x43\xd9\x54\x12\xe1"
			  "\xc3\x49\xc1\xd2\xfb\xec\x16\x8f"
			  "\x91\x90\xfe\xeb\xaf\x2c\xb0\x19"
			  "\x84\xe6\x58\x63\x96\x5d\x74\x72"
			  "\xb7\x9d\xa3\x45\xe0\xe7\x80\x19"
			  "\x1f\x0d\x2f\x0e\x0f\x49\x6c\x22"
			  "\x6f\x21\x27\xb2\x7d\xb3\x57\x24"
			  "\xe7\x84\x5d\x68\x65\x1f\x57\xe6"
			  "\x5f\x35\x4f\x75\xff\x17\x01\x57"
			  "\x69\x62\x34\x36",
		.clen	= 92,
	},
	{
		/* aes_gcm_rfc4106_tv_template[15] */
		.name	= "aes_gcm_rfc4106[15]",
		.aead	= "rfc4106(gcm(aes))",
		.key	= "\xab\xbc\xcd\xde\xf0\x01\x12\x23"
			  "\x34\x45\x56\x67\x78\x89\x9a\xab"
			  "\xab\xbc\xcd\xde\xf0\x01\x12\x23"
			  "\x34\x45\x56\x67\x78\x89\x9a\xab"
			  "\x73\x61\x6c\x74",
		.klen	= 36,
		.assoc	= "\x17\x40\x5e\x67\x15\x6f\x31\x26"
			  "\xdd\x0d\xb9\x9b\x61\x6e\x64\x01"
			  "\x69\x76\x65\x63",
		.alen	= 20,
		.ptext	= "\x45\x08\x00\x28\x73\x2c\x00\x00"
			  "\x40\x06\xe9\xf9\x0a\x01\x06\x12"
			  "\x0a\x01\x03\x8f\x06\xb8\x80\x23"
			  "\xdd\x6b\xaf\xbe\xcb\x71\x26\x02"
			  "\x50\x10\x1f\x64\x6d\x54\x00\x01",
		.plen	= 40,
		.ctext	= "\xf2\xd6\x9e\xcd\xbd\x5a\x0d\x5b"
			  "\x8d\x5e\xf3\x8b\xad\x4d\xa5\x8d"
			  "\x1f\x27\x8f\xde\x98\xef\x67\x54"
			  "\x9d\x52\x4a\x30\x18\xd9\xa5\x7f"
			  "\xf4\xd3\xa3\x1c\xe6\x73\x11\x9e"
			  "\x45\x16\x26\xc2\x41\x57\x71\xe3"
			  "\xb7\xee\xbc\xa6\x14\xc8\x9b\x35",
		.clen	= 56,
	},
	{
		/* aes_gcm_rfc4106_tv_template[18] */
		.name	= "aes_gcm_rfc4106[18]",
		.aead	= "rfc4106(gcm(aes))",
		.key	= "\x7d\x77\x3d\x00\xc1\x44\xc5\x25"
			  "\xac\x61\x9d\x18\xc8\x4a\x3f\x47"
			  "\xd9\x66\x42\x67",
		.klen	= 20,
		.assoc	= "\x33\x54\x67\xae\xff\xff\xff\xff"
			  "\x43\x45\x7e\x91\x82\x44\x3b\xc6",
		.alen	= 16,
		.ptext	= "\x01\x02\x02\x01",
		.plen	= 4,
		.ctext	= "\x43\x7f\x86\x6b\xcb\x3f\x69\x9f"
			  "\xe9\xb0\x82\x2b\xac\x96\x1c\x45"
			  "\x04\xbe\xf2\x70",
		.clen	= 20,
	},
	{
		/* aes_gcm_rfc4106_tv_template[20] */
		.name	= "aes_gcm_rfc4106[20]",
		.aead	= "rfc4106(gcm(aes))",
		.key	= "\x6c\x65\x67\x61\x6c\x69\x7a\x65"
			  "\x6d\x61\x72\x69\x6a\x75\x61\x6e"
			  "\x61\x61\x6e\x64\x64\x6f\x69\x74"
			  "\x62\x65\x66\x6f\x72\x65\x69\x61"
			  "\x74\x75\x72\x6e",
		.klen	= 36,
		.assoc	= "\x79\x6b\x69\x63\xff\xff\xff\xff"
			  "\xff\xff\xff\xff\x33\x30\x21\x69"
			  "\x67\x65\x74\x6d",
		.alen	= 20,
		.ptext	= "\x45\x00\x00\x30\xda\x3a\x00\x00"
			  "\x80\x01\xdf\x3b\xc0\xa8\x00\x05"
			  "\xc0\xa8\x00\x01\x08\x00\xc6\xcd"
			  "\x02\x00\x07\x00\x61\x62\x63\x64"
			  "\x65\x66\x67\x68\x69\x6a\x6b\x6c"
			  "\x6d\x6e\x6f\x70\x71\x72\x73\x74"
			  "\x01\x02\x02\x01",
		.plen	= 52,
		.ctext	= "\xf9\x7a\xb2\xaa\x35\x6d\x8e\xdc"
			  "\xe1\x76\x44\xac\x8c\x78\xe2\x5d"
			  "\xd2\x4d\xed\xbb\x29\xeb\xf1\xb6"
			  "\x4a\x27\x4b\x39\xb4\x9c\x3a\x86"
			  "\x4c\xd3\xd7\x8c\xa4\xae\x68\xa3"
			  "\x2b\x42\x45\x8f\xb5\x7d\xbe\x82"
			  "\x1d\xcc\x63\xb9\xd0\x93\x7b\xa2"
			  "\x94\x5f\x66\x93\x68\x66\x1a\x32"
			  "\x9f\xb4\xc0\x53",
		.clen	= 68,
	},
	{
		/* aes_gcm_rfc4106_tv_template[22] */
		.name	= "aes_gcm_rfc4106[22]",
		.aead	= "rfc4106(gcm(aes))",
		.key	= "\x4c\x80\xcd\xef\xbb\x5d\x10\xda"
			  "\x90\x6a\xc7\x3c\x36\x13\xa6\x34"
			  "\x22\x43\x3c\x64",
		.klen	= 20,
		.assoc	= "\x00\x00\x43\x21\x87\x65\x43\x21"
			  "\x00\x00\x00\x07\x48\x55\xec\x7d"
			  "\x3a\x23\x4b\xfd",
		.alen	= 20,
		.ptext	= "\x08\x00\xc6\xcd\x02\x00\x07\x00"
			  "\x61\x62\x63\x64\x65\x66\x67\x68"
			  "\x69\x6a\x6b\x6c\x6d\x6e\x6f\x70"
			  "\x71\x72\x73\x74\x01\x02\x02\x01",
		.plen	= 32,
		.ctext	= "\x74\x75\x2e\x8a\xeb\x5d\x87\x3c"
			  "\xd7\xc0\xf4\xac\xc3\x6c\x4b\xff"
			  "\x84\xb7\xd7\xb9\x8f\x0c\xa8\xb6"
			  "\xac\xda\x68\x94\xbc\x61\x90\x69"
			  "\xef\x9c\xbc\x28\xfe\x1b\x56\xa7"
			  "\xc4\xe0\xd5\x8c\x86\xcd\x2b\xc0",
		.clen	= 48,
	},
	{
		/* rfc7539esp_tv_template[0] */
		.name	= "rfc7539esp[0]",
		.aead	= "rfc7539esp(chacha20,poly1305)",
		.key	= "\x1c\x92\x40\xa5\xeb\x55\xd3\x8a"
			  "\xf3\x33\x88\x86\x04\xf6\xb5\xf0"
			  "\x47\x39\x17\xc1\x40\x2b\x80\x09"
			  "\x9d\xca\x5c\xbc\x20\x70\x75\xc0"
			  "\x00\x00\x00\x00",
		.klen	= 36,
		.assoc	= "\xf3\x33\x88\x86\x00\x00\x00\x00"
			  "\x00\x00\x4e\x91\x01\x02\x03\x04"
			  "\x05\x06\x07\x08",
		.alen	= 20,
		.ptext	= "\x49\x6e\x74\x65\x72\x6e\x65\x74"
			  "\x2d\x44\x72\x61\x66\x74\x73\x20"
			  "\x61\x72\x65\x20\x64\x72\x61\x66"
			  "\x74\x20\x64\x6f\x63\x75\x6d\x65"
			  "\x6e\x74\x73\x20\x76\x61\x6c\x69"
			  "\x64\x20\x66\x6f\x72\x20\x61\x20"
			  "\x6d\x61\x78\x69\x6d\x75\x6d\x20"
			  "\x6f\x66\x20\x73\x69\x78\x20\x6d"
			  "\x6f\x6e\x74\x68\x73\x20\x61\x6e"
			  "\x64\x20\x6d\x61\x79\x20\x62\x65"
			  "\x20\x75\x70\x64\x61\x74\x65\x64"
			  "\x2c\x20\x72\x65\x70\x6c\x61\x63"
			  "\x65\x64\x2c\x20\x6f\x72\x20\x6f"
			  "\x62\x73\x6f\x6c\x65\x74\x65\x64"
			  "\x20\x62\x79\x20\x6f\x74\x68\x65"
			  "\x72\x20\x64\x6f\x63\x75\x6d\x65"
			  "\x6e\x74\x73\x20\x61\x74\x20\x61"
			  "\x6e\x79\x20\x74\x69\x6d\x65\x2e"
			  "\x20\x49\x74\x20\x69\x73\x20\x69"
			  "\x6e\x61\x70\x70\x72\x6f\x70\x72"
			  "\x69\x61\x74\x65\x20\x74\x6f\x20"
			  "\x75\x73\x65\x20\x49\x6e\x74\x65"
			  "\x72\x6e\x65\x74\x2d\x44\x72\x61"
			  "\x66\x74\x73\x20\x61\x73\x20\x72"
			  "\x65\x66\x65\x72\x65\x6e\x63\x65"
			  "\x20\x6d\x61\x74\x65\x72\x69\x61"
			  "\x6c\x20\x6f\x72\x20\x74\x6f\x20"
			  "\x63\x69\x74\x65\x20\x74\x68\x65"
			  "\x6d\x20\x6f\x74\x68\x65\x72\x20"
			  "\x74\x68\x61\x6e\x20\x61\x73\x20"
			  "\x2f\xe2\x80\x9c\x77\x6f\x72\x6b"
			  "\x20\x69\x6e\x20\x70\x72\x6f\x67"
			  "\x72\x65\x73\x73\x2e\x2f\xe2\x80"
			  "\x9d",
		.plen	= 265,
		.ctext	= "\x64\xa0\x86\x15\x75\x86\x1a\xf4"
			  "\x60\xf0\x62\xc7\x9b\xe6\x43\xbd"
			  "\x5e\x80\x5c\xfd\x34\x5c\xf3\x89"
			  "\xf1\x08\x67\x0a\xc7\x6c\x8c\xb2"
			  "\x4c\x6c\xfc\x18\x75\x5d\x43\xee"
			  "\xa0\x9e\xe9\x4e\x38\x2d\x26\xb0"
			  "\xbd\xb7\xb7\x3c\x32\x1b\x01\x00"
			  "\xd4\xf0\x3b\x7f\x35\x58\x94\xcf"
			  "\x33\x2f\x83\x0e\x71\x0b\x97\xce"
			  "\x98\xc8\xa8\x4a\xbd\x0b\x94\x81"
			  "\x14\xad\x17\x6e\x00\x8d\x33\xbd"
			  "\x60\xf9\x82\xb1\xff\x37\xc8\x55"
			  "\x97\x97\xa0\x6e\xf4\xf0\xef\x61"
			  "\xc1\x86\x32\x4e\x2b\x35\x06\x38"
			  "\x36\x06\x90\x7b\x6a\x7c\x02\xb0"
			  "\xf9\xf6\x15\x7b\x53\xc8\x67\xe4"
			  "\xb9\x16\x6c\x76\x7b\x80\x4d\x46"
			  "\xa5\x9b\x52\x16\xcd\xe7\xa4\xe9"
			  "\x90\x40\xc5\xa4\x04\x33\x22\x5e"
			  "\xe2\x82\xa1\xb0\xa0\x6c\x52\x3e"
			  "\xaf\x45\x34\xd7\xf8\x3f\xa1\x15"
			  "\x5b\x00\x47\x71\x8c\xbc\x54\x6a"
			  "\x0d\x07\x2b\x04\xb3\x56\x4e\xea"
			  "\x1b\x42\x22\x73\xf5\x48\x27\x1a"
			  "\x0b\xb2\x31\x60\x53\xfa\x76\x99"
			  "\x19\x55\xeb\xd6\x31\x59\x43\x4e"
			  "\xce\xbb\x4e\x46\x6d\xae\x5a\x10"
			  "\x73\xa6\x72\x76\x27\x09\x7a\x10"
			  "\x49\xe6\x17\xd9\x1d\x36\x10\x94"
			  "\xfa\x68\xf0\xff\x77\x98\x71\x30"
			  "\x30\x5b\xea\xba\x2e\xda\x04\xdf"
			  "\x99\x7b\x71\x4d\x6c\x6f\x2c\x29"
			  "\xa6\xad\x5c\xb4\x02\x2b\x02\x70"
			  "\x9b\xee\xad\x9d\x67\x89\x0c\xbb"
			  "\x22\x39\x23\x36\xfe\xa1\x85\x1f"
			  "\x38",
		.clen	= 281,
	},
	{
		/* hmac_sha1_aes_cbc_tv_temp[4] */
		.name	= "hmac_sha1_aes_cbc[4]",
		.enc	= "cbc(aes)",
		.auth	= "hmac(sha1)",
		.key	= "\x90\xd3\x82\xb4\x10\xee\xba\x7a"
			  "\xd9\x38\xc4\x6c\xec\x1a\x82\xbf",
		.klen	= 16,
		.akey	= "\x11\x22\x33\x44\x55\x66\x77\x88"
			  "\x99\xaa\xbb\xcc\xdd\xee\xff\x11"
			  "\x22\x33\x44\x55",
		.aklen	= 20,
		.icvlen	= 20,
		.assoc	= "\x00\x00\x43\x21\x00\x00\x00\x01"
			  "\xe9\x6e\x8c\x08\xab\x46\x57\x63"
			  "\xfd\x09\x8d\x45\xdd\x3f\xf8\x93",
		.alen	= 24,
		.ptext	= "\x08\x00\x0e\xbd\xa7\x0a\x00\x00"
			  "\x8e\x9c\x08\x3d\xb9\x5b\x07\x00"
			  "\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"
			  "\x10\x11\x12\x13\x14\x15\x16\x17"
			  "\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f"
			  "\x20\x21\x22\x23\x24\x25\x26\x27"
			  "\x28\x29\x2a\x2b\x2c\x2d\x2e\x2f"
			  "\x30\x31\x32\x33\x34\x35\x36\x37"
			  "\x01\x02\x03\x04\x05\x06\x07\x08"
			  "\x09\x0a\x0b\x0c\x0d\x0e\x0e\x01",
		.plen	= 80,
		.ctext	= "\xf6\x63\xc2\x5d\x32\x5c\x18\xc6"
			  "\xa9\x45\x3e\x19\x4e\x12\x08\x49"
			  "\xa4\x87\x0b\x66\xcc\x6b\x99\x65"
			  "\x33\x00\x13\xb4\x89\x8d\xc8\x56"
			  "\xa4\x69\x9e\x52\x3a\x55\xdb\x08"
			  "\x0b\x59\xec\x3a\x8e\x4b\x7e\x52"
			  "\x77\x5b\x07\xd1\xdb\x34\xed\x9c"
			  "\x53\x8a\xb5\x0c\x55\x1b\x87\x4a"
			  "\xa2\x69\xad\xd0\x47\xad\x2d\x59"
			  "\x13\xac\x19\xb7\xcf\xba\xd4\xa6"
			  "\x58\xc6\x84\x75\xe4\xe9\x6b\x0c"
			  "\xe1\xc5\x0b\x73\x4d\x82\x55\xa8"
			  "\x85\xe1\x59\xf7",
		.clen	= 100,
	},
	{
		/* hmac_sha256_aes_cbc_tv_temp[4] */
		.name	= "hmac_sha256_aes_cbc[4]",
		.enc	= "cbc(aes)",
		.auth	= "hmac(sha256)",
		.key	= "\x90\xd3\x82\xb4\x10\xee\xba\x7a"
			  "\xd9\x38\xc4\x6c\xec\x1a\x82\xbf",
		.klen	= 16,
		.akey	= "\x11\x22\x33\x44\x55\x66\x77\x88"
			  "\x99\xaa\xbb\xcc\xdd\xee\xff\x11"
			  "\x22\x33\x44\x55\x66\x77\x88\x99"
			  "\xaa\xbb\xcc\xdd\xee\xff\x11\x22",
		.aklen	= 32,
		.icvlen	= 32,
		.assoc	= "\x00\x00\x43\x21\x00\x00\x00\x01"
			  "\xe9\x6e\x8c\x08\xab\x46\x57\x63"
			  "\xfd\x09\x8d\x45\xdd\x3f\xf8\x93",
		.alen	= 24,
		.ptext	= "\x08\x00\x0e\xbd\xa7\x0a\x00\x00"
			  "\x8e\x9c\x08\x3d\xb9\x5b\x07\x00"
			  "\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"
			  "\x10\x11\x12\x13\x14\x15\x16\x17"
			  "\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f"
			  "\x20\x21\x22\x23\x24\x25\x26\x27"
			  "\x28\x29\x2a\x2b\x2c\x2d\x2e\x2f"
			  "\x30\x31\x32\x33\x34\x35\x36\x37"
			  "\x01\x02\x03\x04\x05\x06\x07\x08"
			  "\x09\x0a\x0b\x0c\x0d\x0e\x0e\x01",
		.plen	= 80,
		.ctext	= "\xf6\x63\xc2\x5d\x32\x5c\x18\xc6"
			  "\xa9\x45\x3e\x19\x4e\x12\x08\x49"
			  "\xa4\x87\x0b\x66\xcc\x6b\x99\x65"
			  "\x33\x00\x13\xb4\x89\x8d\xc8\x56"
			  "\xa4\x69\x9e\x52\x3a\x55\xdb\x08"
			  "\x0b\x59\xec\x3a\x8e\x4b\x7e\x52"
			  "\x77\x5b\x07\xd1\xdb\x34\xed\x9c"
			  "\x53\x8a\xb5\x0c\x55\x1b\x87\x4a"
			  "\xa2\x69\xad\xd0\x47\xad\x2d\x59"
			  "\x13\xac\x19\xb7\xcf\xba\xd4\xa6"
			  "\xbb\xd4\x0f\xbe\xa3\x3b\x4c\xb8"
			  "\x3a\xd2\xe1\x03\x86\xa5\x59\xb7"
			  "\x73\xc3\x46\x20\x2c\xb1\xef\x68"
			  "\xbb\x8a\x32\x7e\x12\x8c\x69\xcf",
		.clen	= 112,
	},
	{
		/* hmac_sha512_aes_cbc_tv_temp[4] */
		.name	= "hmac_sha512_aes_cbc[4]",
		.enc	= "cbc(aes)",
		.auth	= "hmac(sha512)",
		.key	= "\x90\xd3\x82\xb4\x10\xee\xba\x7a"
			  "\xd9\x38\xc4\x6c\xec\x1a\x82\xbf",
		.klen	= 16,
		.akey	= "\x11\x22\x33\x44\x55\x66\x77\x88"
			  "\x99\xaa\xbb\xcc\xdd\xee\xff\x11"
			  "\x22\x33\x44\x55\x66\x77\x88\x99"
			  "\xaa\xbb\xcc\xdd\xee\xff\x11\x22"
			  "\x33\x44\x55\x66\x77\x88\x99\xaa"
			  "\xbb\xcc\xdd\xee\xff\x11\x22\x33"
			  "\x44\x55\x66\x77\x88\x99\xaa\xbb"
			  "\xcc\xdd\xee\xff\x11\x22\x33\x44",
		.aklen	= 64,
		.icvlen	= 64,
		.assoc	= "\x00\x00\x43\x21\x00\x00\x00\x01"
			  "\xe9\x6e\x8c\x08\xab\x46\x57\x63"
			  "\xfd\x09\x8d\x45\xdd\x3f\xf8\x93",
		.alen	= 24,
		.ptext	= "\x08\x00\x0e\xbd\xa7\x0a\x00\x00"
			  "\x8e\x9c\x08\x3d\xb9\x5b\x07\x00"
			  "\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"
			  "\x10\x11\x12\x13\x14\x15\x16\x17"
			  "\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f"
			  "\x20\x21\x22\x23\x24\x25\x26\x27"
			  "\x28\x29\x2a\x2b\x2c\x2d\x2e\x2f"
			  "\x30\x31\x32\x33\x34\x35\x36\x37"
			  "\x01\x02\x03\x04\x05\x06\x07\x08"
			  "\x09\x0a\x0b\x0c\x0d\x0e\x0e\x01",
		.plen	= 80,
		.ctext	= "\xf6\x63\xc2\x5d\x32\x5c\x18\xc6"
			  "\xa9\x45\x3e\x19\x4e\x12\x08\x49"
			  "\xa4\x87\x0b\x66\xcc\x6b\x99\x65"
			  "\x33\x00\x13\xb4\x89\x8d\xc8\x56"
			  "\xa4\x69\x9e\x52\x3a\x55\xdb\x08"
			  "\x0b\x59\xec\x3a\x8e\x4b\x7e\x52"
			  "\x77\x5b\x07\xd1\xdb\x34\xed\x9c"
			  "\x53\x8a\xb5\x0c\x55\x1b\x87\x4a"
			  "\xa2\x69\xad\xd0\x47\xad\x2d\x59"
			  "\x13\xac\x19\xb7\xcf\xba\xd4\xa6"
			  "\x74\x84\x94\xe2\xd7\x7a\xf9\xbf"
			  "\x00\x8a\xa2\xd5\xb7\xf3\x60\xcf"
			  "\xa0\x47\xdf\x4e\x09\xf4\xb1\x7f"
			  "\x14\xd9\x3d\x53\x8e\x12\xb3\x00"
			  "\x4c\x0a\x4e\x32\x40\x43\x88\xce"
			  "\x92\x26\xc1\x76\x20\x11\xeb\xba"
			  "\x62\x4f\x9a\x62\x25\xc3\x75\x80"
			  "\xb7\x0a\x17\xf5\xd7\x94\xb4\x14",
		.clen	= 144,
	},
};

static void esp_vector_desc(const struct esp_vector *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(esp_vector, esp_vectors, esp_vector_desc);

static void kipsec_esp_decrypt_vector_test(struct kunit *test)
{
	const struct esp_vector *v = test->param_value;
	struct esp_sa_params p = {
		.aead = v->aead, .enc = v->enc, .auth = v->auth,
		.key = v->key, .klen = v->klen, .akey = v->akey, .aklen = v->aklen,
		.icvlen = v->icvlen,
	};
	const u8 *assoc = (const u8 *)v->assoc;
	unsigned int ivlen, hlen, len;
	struct kipsec_sa *sa;
	u8 *pkt, *out;
	u64 seq;

	/* assoc: SPI | [seq_hi |] seq_lo | IV. */
	ivlen = v->aead ? 8 : 16;
	KUNIT_ASSERT_TRUE(test, v->alen == 8 + ivlen || v->alen == 12 + ivlen);
	p.esn = v->alen == 12 + ivlen;
	p.spi = get_unaligned((const __be32 *)assoc);
	seq = get_unaligned_be32(assoc + v->alen - ivlen - 4);
	if (p.esn)
		seq |= (u64)get_unaligned_be32(assoc + 4) << 32;
	sa = esp_sa(test, &p);
	KUNIT_ASSERT_EQ(test, sa->ivlen, ivlen);
	KUNIT_ASSERT_EQ(test, v->clen, v->plen + sa->icvlen);

	/* The wire packet: SPI | seq_lo | IV | ciphertext | ICV. */
	hlen = KIPSEC_ESP_HLEN + ivlen;
	len = hlen + v->clen;
	pkt = kunit_kmalloc(test, len, GFP_KERNEL);
	out = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pkt);
	KUNIT_ASSERT_NOT_NULL(test, out);
	memcpy(pkt, assoc, 4);
	memcpy(pkt + 4, assoc + v->alen - ivlen - 4, 4 + ivlen);
	memcpy(pkt + hlen, v->ctext, v->clen);

	KUNIT_ASSERT_EQ(test, esp_decrypt_copy(test, sa, pkt, len, seq, out), 0);
	KUNIT_EXPECT_EQ(test, memcmp(out, pkt, hlen), 0);
	KUNIT_EXPECT_EQ(test, memcmp(out + hlen, v->ptext, v->plen), 0);

	/* The sequence number is authenticated: all 64 bits with ESN. */
	KUNIT_EXPECT_EQ(test, esp_decrypt_copy(test, sa, pkt, len, seq ^ 1, NULL), -EBADMSG);
	if (p.esn) {
		KUNIT_EXPECT_EQ(test, esp_decrypt_copy(test, sa, pkt, len, seq ^ BIT_ULL(32), NULL),
				-EBADMSG);
		KUNIT_EXPECT_EQ(test, esp_decrypt_copy(test, sa, pkt, len, (u32)seq, NULL),
				seq >> 32 ? -EBADMSG : 0);
	}
	/* So is the ICV's last byte. */
	pkt[len - 1] ^= 0x80;
	KUNIT_EXPECT_EQ(test, esp_decrypt_copy(test, sa, pkt, len, seq, NULL), -EBADMSG);
}

/* ---- Round trips ---- */

struct esp_alg {
	const char *name;
	const char *aead, *enc, *auth;
	unsigned int klen, aklen;
	/* What RFC 4106/7634/3602/2451/2410 and the HMAC RFCs say ESP uses. */
	unsigned int ivlen, icvlen, align;
	bool esn;
};

#define ESP_AEAD(n, a, kl, e)	{ n, a, NULL, NULL, kl, 0, 8, 16, 4, e }
#define ESP_AUTHENC(n, c, h, kl, akl, iv, icv, al, e) \
	{ n, NULL, c, h, kl, akl, iv, icv, al, e }

static const struct esp_alg esp_algs[] = {
	ESP_AEAD("aes128-gcm16", "rfc4106(gcm(aes))", 20, false),
	ESP_AEAD("aes128-gcm16+esn", "rfc4106(gcm(aes))", 20, true),
	ESP_AEAD("aes256-gcm16", "rfc4106(gcm(aes))", 36, false),
	ESP_AEAD("aes256-gcm16+esn", "rfc4106(gcm(aes))", 36, true),
	ESP_AEAD("chacha20poly1305", "rfc7539esp(chacha20,poly1305)", 36, false),
	ESP_AEAD("chacha20poly1305+esn", "rfc7539esp(chacha20,poly1305)", 36, true),
	ESP_AUTHENC("aes128-sha1", "cbc(aes)", "hmac(sha1)", 16, 20, 16, 12, 16, false),
	ESP_AUTHENC("aes128-sha1+esn", "cbc(aes)", "hmac(sha1)", 16, 20, 16, 12, 16, true),
	ESP_AUTHENC("aes256-sha256", "cbc(aes)", "hmac(sha256)", 32, 32, 16, 16, 16, false),
	ESP_AUTHENC("aes256-sha256+esn", "cbc(aes)", "hmac(sha256)", 32, 32, 16, 16, 16, true),
	ESP_AUTHENC("aes128-sha384", "cbc(aes)", "hmac(sha384)", 16, 48, 16, 24, 16, false),
	ESP_AUTHENC("aes128-sha384+esn", "cbc(aes)", "hmac(sha384)", 16, 48, 16, 24, 16, true),
	ESP_AUTHENC("aes256-sha512", "cbc(aes)", "hmac(sha512)", 32, 64, 16, 32, 16, false),
	ESP_AUTHENC("aes256-sha512+esn", "cbc(aes)", "hmac(sha512)", 32, 64, 16, 32, 16, true),
	ESP_AUTHENC("aes128-aesxcbc", "cbc(aes)", "xcbc(aes)", 16, 16, 16, 12, 16, false),
	ESP_AUTHENC("aes128-aesxcbc+esn", "cbc(aes)", "xcbc(aes)", 16, 16, 16, 12, 16, true),
	ESP_AUTHENC("3des-sha1", "cbc(des3_ede)", "hmac(sha1)", 24, 20, 8, 12, 8, false),
	ESP_AUTHENC("3des-sha1+esn", "cbc(des3_ede)", "hmac(sha1)", 24, 20, 8, 12, 8, true),
	ESP_AUTHENC("null-sha256", "ecb(cipher_null)", "hmac(sha256)", 0, 32, 0, 16, 4, false),
	ESP_AUTHENC("null-sha256+esn", "ecb(cipher_null)", "hmac(sha256)", 0, 32, 0, 16, 4, true),
};

static void esp_alg_desc(const struct esp_alg *a, char *desc)
{
	strscpy(desc, a->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(esp_alg, esp_algs, esp_alg_desc);

static const unsigned int esp_payload_sizes[] = { 0, 1, 15, 16, 17, 1400 };

static void esp_fill_key(u8 *key, unsigned int len, u8 seed)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		key[i] = seed + 37 * i;
}

static struct kipsec_sa *esp_alg_sa(struct kunit *test, const struct esp_alg *a, __be32 spi)
{
	u8 key[36], akey[64];
	struct esp_sa_params p = {
		.aead = a->aead, .enc = a->enc, .auth = a->auth,
		.key = key, .klen = a->klen, .akey = akey, .aklen = a->aklen,
		.esn = a->esn, .spi = spi,
	};
	struct kipsec_sa *sa;

	/* Distinct 8-byte thirds: 3DES rejects K1 == K2 or K2 == K3 in FIPS mode. */
	esp_fill_key(key, a->klen, 0x11);
	esp_fill_key(akey, a->aklen, 0x5a);
	sa = esp_sa(test, &p);
	KUNIT_EXPECT_EQ(test, sa->ivlen, a->ivlen);
	KUNIT_EXPECT_EQ(test, sa->icvlen, a->icvlen);
	KUNIT_EXPECT_EQ(test, sa->align, a->align);
	KUNIT_EXPECT_EQ(test, sa->iv_random, !a->aead);
	return sa;
}

static u8 esp_pattern(unsigned int n, unsigned int i)
{
	return 0xa5 ^ (n + 31 * i);
}

/*
 * Encrypt @n payload bytes with @sa and check the packet; return it (the
 * ESP header to the ICV, test-managed) in @pkt and its length.
 */
static unsigned int esp_encrypt_checked(struct kunit *test, const struct esp_alg *a,
					struct kipsec_sa *sa, unsigned int n, u64 seq, u8 nexthdr,
					u8 **pkt)
{
	unsigned int hlen = KIPSEC_ESP_HLEN + a->ivlen;
	/* RFC 4303 2.4: payload, padding, pad length and next header fill whole blocks. */
	unsigned int pad = (a->align - (n + 2) % a->align) % a->align;
	unsigned int len = hlen + n + pad + 2 + a->icvlen;
	struct ip_esp_hdr *esph;
	struct sk_buff *skb;
	unsigned int i;
	u8 *p;
	int err;

	KUNIT_EXPECT_EQ(test, kipsec_esp_trailer_len(sa, n), pad + 2);
	skb = alloc_skb(2 * ESP_TEST_ROOM + ESP_TEST_HL + len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	/* As output_one() hands it over: IP header, room for ESP header and IV, payload. */
	skb_reserve(skb, ESP_TEST_ROOM);
	skb_reset_network_header(skb);
	memset(skb_put(skb, ESP_TEST_HL), 0x45, ESP_TEST_HL);
	memset(skb_put(skb, hlen), 0xee, hlen);
	p = skb_put(skb, n);
	for (i = 0; i < n; i++)
		p[i] = esp_pattern(n, i);

	err = esp_run(sa, skb, true, ESP_TEST_HL, nexthdr, seq);
	*pkt = kunit_kmalloc(test, len, GFP_KERNEL);
	if (err || !*pkt || skb->len != ESP_TEST_HL + len) {
		KUNIT_FAIL(test, "encrypt %u bytes: %d, %u bytes out, %u expected", n, err,
			   skb->len - ESP_TEST_HL, len);
		kfree_skb(skb);
		return 0;
	}
	KUNIT_EXPECT_EQ(test, skb_transport_offset(skb), ESP_TEST_HL);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(skb->data, 0x45, ESP_TEST_HL), NULL);
	esph = (struct ip_esp_hdr *)(skb->data + ESP_TEST_HL);
	KUNIT_EXPECT_EQ(test, ntohl(esph->spi), ntohl(sa->id.spi));
	KUNIT_EXPECT_EQ(test, ntohl(esph->seq_no), lower_32_bits(seq));
	/* RFC 4106 3.1, RFC 7634 2: the IV is the 64-bit sequence number. */
	if (a->aead)
		KUNIT_EXPECT_EQ(test, get_unaligned_be64(esph->enc_data), seq);
	/* Encrypted in place (ecb(cipher_null) aside): not the payload any more. */
	if (a->ivlen && n >= 16) {
		for (i = 0; i < 16; i++)
			if (esph->enc_data[a->ivlen + i] != esp_pattern(n, i))
				break;
		KUNIT_EXPECT_LT(test, i, 16);
	}
	memcpy(*pkt, esph, len);
	kfree_skb(skb);
	return len;
}

static void esp_roundtrip_one(struct kunit *test, const struct esp_alg *a,
			      struct kipsec_sa *sa, struct kipsec_sa *other, unsigned int n)
{
	/* Near the top of 32 bits; with ESN a high half with its top bit set, and wrapping. */
	u64 seq = a->esn ? (0x80000003ULL << 32) + 0xfffffff0U + n : 0xfffff000U + n;
	unsigned int hlen = KIPSEC_ESP_HLEN + a->ivlen;
	unsigned int len, pad, i, j;
	u8 nexthdr = n ? IPPROTO_UDP : IPPROTO_NONE;
	u8 *pkt, *out, *tail;
	unsigned int flips[8];

	len = esp_encrypt_checked(test, a, sa, n, seq, nexthdr, &pkt);
	if (!len)
		return;
	out = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);

	KUNIT_ASSERT_EQ_MSG(test, esp_decrypt_copy(test, sa, pkt, len, seq, out), 0, "%u bytes", n);
	for (i = 0; i < n; i++)
		if (out[hlen + i] != esp_pattern(n, i))
			break;
	KUNIT_EXPECT_EQ_MSG(test, i, n, "%u bytes: payload differs at %u", n, i);

	/* RFC 4303 2.4: padding 1, 2, 3, ..., pad length, next header. */
	tail = out + len - a->icvlen - 2;
	pad = tail[0];
	KUNIT_EXPECT_EQ(test, tail[1], nexthdr);
	KUNIT_EXPECT_EQ_MSG(test, hlen + n + pad + 2 + a->icvlen, len, "%u bytes", n);
	KUNIT_EXPECT_EQ(test, (n + pad + 2) % a->align, 0);
	KUNIT_EXPECT_LT(test, pad, a->align);
	for (i = 0; i < pad && hlen + n + i < len; i++)
		KUNIT_EXPECT_EQ(test, out[hlen + n + i], i + 1);

	/*
	 * One bit flipped anywhere: the ICV check fails. Input takes the low
	 * sequence number from the wire (and the high half from the window),
	 * so a flip there changes the number decrypt authenticates. A flipped
	 * SPI finds another SA, tried below.
	 */
	flips[0] = 4;				/* sequence number */
	flips[1] = 7;
	flips[2] = KIPSEC_ESP_HLEN;		/* IV (payload if none) */
	flips[3] = hlen;			/* first encrypted byte */
	flips[4] = hlen + (len - hlen - a->icvlen) / 2;
	flips[5] = len - a->icvlen - 1;		/* next header */
	flips[6] = len - a->icvlen;		/* ICV */
	flips[7] = len - 1;
	for (i = 0; i < ARRAY_SIZE(flips); i++) {
		u8 bit = BIT((i * 3 + n) % 8);
		u64 s = seq;

		j = flips[i];
		pkt[j] ^= bit;
		if (j < KIPSEC_ESP_HLEN)
			s = (seq & ~0xffffffffULL) | get_unaligned_be32(pkt + 4);
		KUNIT_EXPECT_EQ_MSG(test, esp_decrypt_copy(test, sa, pkt, len, s, NULL), -EBADMSG,
				    "%u bytes, bit %#x of byte %u flipped", n, bit, j);
		pkt[j] ^= bit;
	}

	/* The SPI is authenticated: same keys under another SPI fail. */
	KUNIT_EXPECT_EQ(test, esp_decrypt_copy(test, other, pkt, len, seq, NULL), -EBADMSG);
	/* ESN authenticates the high half of the number; without it only the low half counts. */
	KUNIT_EXPECT_EQ(test, esp_decrypt_copy(test, sa, pkt, len, seq ^ BIT_ULL(40), NULL),
			a->esn ? -EBADMSG : 0);
	/* Too short to hold IV, pad length, next header and ICV. */
	KUNIT_EXPECT_EQ(test, esp_decrypt_copy(test, sa, pkt, hlen + a->icvlen + 1, seq, NULL),
			-EINVAL);
	/* The original still decrypts: nothing above changed the SA. */
	KUNIT_EXPECT_EQ(test, esp_decrypt_copy(test, sa, pkt, len, seq, NULL), 0);
}

static void kipsec_esp_roundtrip_test(struct kunit *test)
{
	const struct esp_alg *a = test->param_value;
	struct kipsec_sa *sa = esp_alg_sa(test, a, cpu_to_be32(0x1000));
	struct kipsec_sa *other = esp_alg_sa(test, a, cpu_to_be32(0x1001));
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(esp_payload_sizes); i++)
		esp_roundtrip_one(test, a, sa, other, esp_payload_sizes[i]);
}

/* AEADs: the IV is the sequence number, so two packets never share one. */
static void kipsec_esp_aead_iv_is_seq_test(struct kunit *test)
{
	const struct esp_alg *a = &esp_algs[0];
	struct kipsec_sa *sa = esp_alg_sa(test, a, cpu_to_be32(0x2000));
	u8 *p1, *p2;

	KUNIT_ASSERT_NE(test, esp_encrypt_checked(test, a, sa, 32, 1, IPPROTO_TCP, &p1), 0);
	KUNIT_ASSERT_NE(test, esp_encrypt_checked(test, a, sa, 32, 2, IPPROTO_TCP, &p2), 0);
	KUNIT_EXPECT_NE(test, memcmp(p1 + KIPSEC_ESP_HLEN, p2 + KIPSEC_ESP_HLEN, 8 + 32), 0);
}

/* CBC: random IVs (RFC 3602 2.3), so equal packets encrypt differently. */
static void kipsec_esp_cbc_iv_random_test(struct kunit *test)
{
	const struct esp_alg *a = &esp_algs[6];
	struct kipsec_sa *sa = esp_alg_sa(test, a, cpu_to_be32(0x2001));
	u8 *p1, *p2;

	KUNIT_ASSERT_STREQ(test, a->enc, "cbc(aes)");
	KUNIT_ASSERT_NE(test, esp_encrypt_checked(test, a, sa, 32, 7, IPPROTO_TCP, &p1), 0);
	KUNIT_ASSERT_NE(test, esp_encrypt_checked(test, a, sa, 32, 7, IPPROTO_TCP, &p2), 0);
	KUNIT_EXPECT_NE(test, memcmp(p1 + KIPSEC_ESP_HLEN, p2 + KIPSEC_ESP_HLEN, 16), 0);
	KUNIT_EXPECT_NE(test, memcmp(p1 + KIPSEC_ESP_HLEN + 16, p2 + KIPSEC_ESP_HLEN + 16, 32), 0);
}

static struct kunit_case kipsec_esp_test_cases[] = {
	KUNIT_CASE_PARAM(kipsec_esp_decrypt_vector_test, esp_vector_gen_params),
	KUNIT_CASE_PARAM(kipsec_esp_roundtrip_test, esp_alg_gen_params),
	KUNIT_CASE(kipsec_esp_aead_iv_is_seq_test),
	KUNIT_CASE(kipsec_esp_cbc_iv_random_test),
	{}
};

static struct kunit_suite kipsec_esp_suite = {
	.name = "kipsec_esp",
	.suite_init = esp_suite_init,
	.suite_exit = esp_suite_exit,
	.init = esp_test_init,
	.test_cases = kipsec_esp_test_cases,
};

kunit_test_suite(kipsec_esp_suite);
