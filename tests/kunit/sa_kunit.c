// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of kmod/sa.c, the SA database: creating SAs (and refusing
 * bad algorithms, keys and ICV lengths), adding, replacing and deleting
 * them, and the two lookups (input by destination, SPI and protocol;
 * output by template: newest SA, reqid 0 = any, mode, source).
 *
 * Each test has its own struct kipsec_net, set up the way kipsec_net_init()
 * does minus the hooks and the statistics nothing here counts.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/rcupdate.h>
#include <net/net_namespace.h>
#include <net/netlink.h>

#include "../../kmod/sa.h"

/*
 * main.c defines this with the pernet registration that fills it in, but
 * main.c is not linked here: its module_init would register kipsec's hooks
 * and genl family. The other objects refer to it (kipsec_pernet()), and no
 * code path these tests take reads it.
 */
unsigned int kipsec_net_id;

#define SA_KEY_LEN	20	/* rfc4106(gcm(aes)): AES-128 key and salt */

static const u8 sa_key[36] = {
	0x4c, 0x80, 0xcd, 0xef, 0xbb, 0x5d, 0x10, 0xda, 0x90, 0x6a, 0xc7, 0x3c,
	0x36, 0x13, 0xa6, 0x34, 0x2e, 0x44, 0x3b, 0x68, 0x1a, 0x2b, 0x3c, 0x4d,
	0x5e, 0x6f, 0x70, 0x81, 0x92, 0xa3, 0xb4, 0xc5, 0xd6, 0xe7, 0xf8, 0x09,
};

/* Address number @n of @family: 198.51.100.n or 2001:db8::n. */
static void sa_addr(u16 family, u32 n, union kipsec_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (family == AF_INET) {
		a->a4 = htonl(0xc6336400 + n);
	} else {
		a->a6.s6_addr32[0] = htonl(0x20010db8);
		a->a6.s6_addr32[3] = htonl(n);
	}
}

static struct kipsec_sa_id sa_id(u16 family, u32 host, u32 spi, u8 proto)
{
	struct kipsec_sa_id id = {};

	id.family = family;
	sa_addr(family, host, &id.daddr);
	id.spi = htonl(spi);
	id.proto = proto;
	return id;
}

/* An ESP SA to @host with AES-GCM; its source is address 1. */
static void sa_cfg(struct kipsec_sa_config *cfg, u16 family, u32 host, u32 spi, u8 mode,
		   u32 reqid)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->id = sa_id(family, host, spi, IPPROTO_ESP);
	sa_addr(family, 1, &cfg->saddr);
	cfg->mode = mode;
	cfg->reqid = reqid;
	cfg->replay_window = 32;
	cfg->aead_alg = "rfc4106(gcm(aes))";
	cfg->aead_key = sa_key;
	cfg->aead_keylen = SA_KEY_LEN;
}

static struct kipsec_sa *sa_create(struct kunit *test, const struct kipsec_sa_config *cfg)
{
	struct kipsec_sa *sa;
	int bad = 0;

	sa = kipsec_sa_create(test->priv, cfg, NULL, &bad);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(sa), "error %ld, attribute %d", PTR_ERR(sa), bad);
	return sa;
}

/* Insert under the lock; an SA the tables refused is destroyed. */
static int sa_insert(struct kunit *test, struct kipsec_sa *sa, bool replace)
{
	struct kipsec_net *kn = test->priv;
	int ret;

	mutex_lock(&kn->lock);
	ret = kipsec_sa_insert(kn, sa, replace, NULL);
	mutex_unlock(&kn->lock);
	if (ret)
		kipsec_sa_destroy(sa);
	return ret;
}

static struct kipsec_sa *sa_add(struct kunit *test, u16 family, u32 host, u32 spi, u8 mode,
				u32 reqid)
{
	struct kipsec_sa_config cfg;
	struct kipsec_sa *sa;

	sa_cfg(&cfg, family, host, spi, mode, reqid);
	sa = sa_create(test, &cfg);
	KUNIT_ASSERT_EQ(test, sa_insert(test, sa, false), 0);
	return sa;
}

static int sa_delete(struct kunit *test, const struct kipsec_sa_id *id)
{
	struct kipsec_net *kn = test->priv;
	int ret;

	mutex_lock(&kn->lock);
	ret = kipsec_sa_delete(kn, id);
	mutex_unlock(&kn->lock);
	return ret;
}

/* The returned pointer is only compared: the SA may be gone by then. */
static struct kipsec_sa *sa_lookup(struct kunit *test, u16 family, u32 host, u32 spi, u8 proto)
{
	struct kipsec_sa_id id = sa_id(family, host, spi, proto);
	struct kipsec_sa *sa;

	rcu_read_lock();
	sa = kipsec_sa_lookup(test->priv, &id);
	rcu_read_unlock();
	return sa;
}

/* Output lookup for a template to @host; @shost 0: any source. */
static struct kipsec_sa *sa_lookup_out_cpu(struct kunit *test, u16 family, u32 host, u32 shost,
					   u8 mode, u32 reqid, u32 cpu)
{
	union kipsec_addr daddr, saddr = {};
	struct kipsec_sa *sa;

	sa_addr(family, host, &daddr);
	if (shost)
		sa_addr(family, shost, &saddr);
	rcu_read_lock();
	sa = kipsec_sa_lookup_out(test->priv, family, &daddr, &saddr, IPPROTO_ESP, mode, reqid,
				  cpu);
	rcu_read_unlock();
	return sa;
}

static struct kipsec_sa *sa_lookup_out(struct kunit *test, u16 family, u32 host, u32 shost,
				       u8 mode, u32 reqid)
{
	return sa_lookup_out_cpu(test, family, host, shost, mode, reqid, KIPSEC_SA_ANY_CPU);
}

static int sa_test_init(struct kunit *test)
{
	struct kipsec_net *kn = kunit_kzalloc(test, sizeof(*kn), GFP_KERNEL);
	int ret;

	if (!kn)
		return -ENOMEM;
	/* Deleting an SA sends an event to kn->net's listeners (there are none). */
	kn->net = &init_net;
	mutex_init(&kn->lock);
	ret = kipsec_sad_init(kn);
	if (!ret)
		test->priv = kn;
	return ret;
}

/* Runs even when a test ended early: deletes whatever SAs it left. */
static void sa_test_exit(struct kunit *test)
{
	if (test->priv)
		kipsec_sad_uninit(test->priv);
}

static int sa_suite_init(struct kunit_suite *suite)
{
	/* The workqueue SAs are freed on, and the lifetime worker runs on. */
	return kipsec_sa_module_init();
}

static void sa_suite_exit(struct kunit_suite *suite)
{
	kipsec_sa_module_uninit();
}

static void kipsec_sa_add_lookup_test(struct kunit *test)
{
	struct kipsec_net *kn = test->priv;
	struct kipsec_sa *v4, *v6;

	v4 = sa_add(test, AF_INET, 2, 0x100, KIPSEC_MODE_TRANSPORT, 0);
	v6 = sa_add(test, AF_INET6, 2, 0x100, KIPSEC_MODE_TRANSPORT, 0);
	KUNIT_EXPECT_EQ(test, kn->sa_count, 2);

	KUNIT_EXPECT_PTR_EQ(test, sa_lookup(test, AF_INET, 2, 0x100, IPPROTO_ESP), v4);
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup(test, AF_INET6, 2, 0x100, IPPROTO_ESP), v6);
	/* No false hits: another destination, SPI or protocol. */
	KUNIT_EXPECT_NULL(test, sa_lookup(test, AF_INET, 3, 0x100, IPPROTO_ESP));
	KUNIT_EXPECT_NULL(test, sa_lookup(test, AF_INET, 2, 0x101, IPPROTO_ESP));
	KUNIT_EXPECT_NULL(test, sa_lookup(test, AF_INET, 2, 0x100 << 8, IPPROTO_ESP));
	KUNIT_EXPECT_NULL(test, sa_lookup(test, AF_INET, 2, 0x100, IPPROTO_AH));
	KUNIT_EXPECT_NULL(test, sa_lookup(test, AF_INET6, 3, 0x100, IPPROTO_ESP));
	KUNIT_EXPECT_NULL(test, sa_lookup(test, AF_INET6, 2, 0x1000, IPPROTO_ESP));
}

/* The same 16 address bytes in both families are different keys. */
static void kipsec_sa_family_test(struct kunit *test)
{
	struct kipsec_sa_config cfg;
	struct kipsec_sa *sa;
	struct kipsec_sa_id id;

	sa_cfg(&cfg, AF_INET, 2, 0x200, KIPSEC_MODE_TRANSPORT, 0);
	sa = sa_create(test, &cfg);
	KUNIT_ASSERT_EQ(test, sa_insert(test, sa, false), 0);

	id = cfg.id;
	id.family = AF_INET6;
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, kipsec_sa_lookup(test->priv, &id));
	id.family = AF_INET;
	KUNIT_EXPECT_PTR_EQ(test, kipsec_sa_lookup(test->priv, &id), sa);
	rcu_read_unlock();

	/* And an IPv6 SA with those bytes as its address coexists. */
	cfg.id.family = AF_INET6;
	sa = sa_create(test, &cfg);
	KUNIT_EXPECT_EQ(test, sa_insert(test, sa, false), 0);
	KUNIT_EXPECT_EQ(test, ((struct kipsec_net *)test->priv)->sa_count, 2);
}

static void kipsec_sa_duplicate_test(struct kunit *test)
{
	struct kipsec_net *kn = test->priv;
	struct kipsec_sa_config cfg;
	struct kipsec_sa *sa, *dup;

	sa = sa_add(test, AF_INET, 2, 0x300, KIPSEC_MODE_TRANSPORT, 1);
	/* Another mode or reqid is still the same SA for input. */
	sa_cfg(&cfg, AF_INET, 2, 0x300, KIPSEC_MODE_TUNNEL, 2);
	dup = sa_create(test, &cfg);
	KUNIT_EXPECT_EQ(test, sa_insert(test, dup, false), -EEXIST);
	KUNIT_EXPECT_EQ(test, kn->sa_count, 1);
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup(test, AF_INET, 2, 0x300, IPPROTO_ESP), sa);
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out(test, AF_INET, 2, 0, KIPSEC_MODE_TRANSPORT, 0),
			    sa);
	KUNIT_EXPECT_NULL(test, sa_lookup_out(test, AF_INET, 2, 0, KIPSEC_MODE_TUNNEL, 0));
}

static void kipsec_sa_update_missing_test(struct kunit *test)
{
	struct kipsec_net *kn = test->priv;
	struct kipsec_sa_config cfg;
	struct kipsec_sa *sa;

	sa_add(test, AF_INET, 2, 0x400, KIPSEC_MODE_TRANSPORT, 0);
	sa_cfg(&cfg, AF_INET, 2, 0x401, KIPSEC_MODE_TRANSPORT, 0);
	sa = sa_create(test, &cfg);
	KUNIT_EXPECT_EQ(test, sa_insert(test, sa, true), -ENOENT);
	KUNIT_EXPECT_EQ(test, kn->sa_count, 1);
	KUNIT_EXPECT_NULL(test, sa_lookup(test, AF_INET, 2, 0x401, IPPROTO_ESP));
}

static void kipsec_sa_replace_test(struct kunit *test)
{
	struct kipsec_net *kn = test->priv;
	struct kipsec_sa_config cfg;
	struct kipsec_sa *old, *new;

	old = sa_add(test, AF_INET6, 2, 0x500, KIPSEC_MODE_TRANSPORT, 7);
	sa_cfg(&cfg, AF_INET6, 2, 0x500, KIPSEC_MODE_TRANSPORT, 8);
	new = sa_create(test, &cfg);
	/* Keep the old one alive to look at it after the update. */
	kipsec_sa_hold(old);
	KUNIT_EXPECT_EQ(test, sa_insert(test, new, true), 0);
	KUNIT_EXPECT_TRUE(test, kipsec_sa_dead(old));
	KUNIT_EXPECT_FALSE(test, kipsec_sa_dead(new));
	kipsec_sa_put(old);

	KUNIT_EXPECT_EQ(test, kn->sa_count, 1);
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup(test, AF_INET6, 2, 0x500, IPPROTO_ESP), new);
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out(test, AF_INET6, 2, 0, KIPSEC_MODE_TRANSPORT, 0),
			    new);
	KUNIT_EXPECT_NULL(test, sa_lookup_out(test, AF_INET6, 2, 0, KIPSEC_MODE_TRANSPORT, 7));
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out(test, AF_INET6, 2, 0, KIPSEC_MODE_TRANSPORT, 8),
			    new);
}

static void kipsec_sa_delete_test(struct kunit *test)
{
	struct kipsec_net *kn = test->priv;
	struct kipsec_sa_id id = sa_id(AF_INET, 2, 0x600, IPPROTO_ESP);
	struct kipsec_sa *keep;

	sa_add(test, AF_INET, 2, 0x600, KIPSEC_MODE_TRANSPORT, 0);
	keep = sa_add(test, AF_INET, 2, 0x601, KIPSEC_MODE_TRANSPORT, 0);
	KUNIT_EXPECT_EQ(test, sa_delete(test, &id), 0);
	KUNIT_EXPECT_EQ(test, sa_delete(test, &id), -ENOENT);
	KUNIT_EXPECT_EQ(test, kn->sa_count, 1);
	KUNIT_EXPECT_NULL(test, sa_lookup(test, AF_INET, 2, 0x600, IPPROTO_ESP));
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup(test, AF_INET, 2, 0x601, IPPROTO_ESP), keep);
	/* Output falls back to the SA that is left. */
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out(test, AF_INET, 2, 0, KIPSEC_MODE_TRANSPORT, 0),
			    keep);
	id = sa_id(AF_INET6, 2, 0x601, IPPROTO_ESP);
	KUNIT_EXPECT_EQ(test, sa_delete(test, &id), -ENOENT);
	KUNIT_EXPECT_EQ(test, kn->sa_count, 1);
}

static void kipsec_sa_lookup_out_test(struct kunit *test)
{
	const u8 tr = KIPSEC_MODE_TRANSPORT, tu = KIPSEC_MODE_TUNNEL;
	struct kipsec_sa *s1, *s2, *s3, *s4, *v6;
	struct kipsec_sa_id id;

	s1 = sa_add(test, AF_INET, 2, 0x701, tr, 1);
	s2 = sa_add(test, AF_INET, 2, 0x702, tr, 2);
	s3 = sa_add(test, AF_INET, 2, 0x703, tu, 1);
	v6 = sa_add(test, AF_INET6, 2, 0x704, tr, 1);

	/* reqid 0 in the template: any SA, the newest first. */
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out(test, AF_INET, 2, 0, tr, 0), s2);
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out(test, AF_INET, 2, 0, tr, 1), s1);
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out(test, AF_INET, 2, 0, tr, 2), s2);
	KUNIT_EXPECT_NULL(test, sa_lookup_out(test, AF_INET, 2, 0, tr, 3));
	/* The mode must match. */
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out(test, AF_INET, 2, 0, tu, 0), s3);
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out(test, AF_INET, 2, 0, tu, 1), s3);
	KUNIT_EXPECT_NULL(test, sa_lookup_out(test, AF_INET, 2, 0, tu, 2));
	/* A template source must match the SA's; none matches any. */
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out(test, AF_INET, 2, 1, tr, 1), s1);
	KUNIT_EXPECT_NULL(test, sa_lookup_out(test, AF_INET, 2, 9, tr, 1));
	/* Destination and family. */
	KUNIT_EXPECT_NULL(test, sa_lookup_out(test, AF_INET, 3, 0, tr, 0));
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out(test, AF_INET6, 2, 0, tr, 0), v6);
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out(test, AF_INET6, 2, 1, tr, 1), v6);
	KUNIT_EXPECT_NULL(test, sa_lookup_out(test, AF_INET6, 2, 0, tr, 2));
	KUNIT_EXPECT_NULL(test, sa_lookup_out(test, AF_INET6, 2, 0, tu, 0));

	/* Rekey: the new SA takes over output at once... */
	s4 = sa_add(test, AF_INET, 2, 0x705, tr, 1);
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out(test, AF_INET, 2, 0, tr, 1), s4);
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out(test, AF_INET, 2, 0, tr, 0), s4);
	/* ...while the old one still takes input. */
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup(test, AF_INET, 2, 0x701, IPPROTO_ESP), s1);
	/* Deleting the new one falls back to the old. */
	id = sa_id(AF_INET, 2, 0x705, IPPROTO_ESP);
	KUNIT_EXPECT_EQ(test, sa_delete(test, &id), 0);
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out(test, AF_INET, 2, 0, tr, 1), s1);
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out(test, AF_INET, 2, 0, tr, 0), s2);
}

static struct kipsec_sa *sa_add_cpu(struct kunit *test, u32 spi, u32 reqid, u32 cpu)
{
	struct kipsec_sa_config cfg;
	struct kipsec_sa *sa;

	sa_cfg(&cfg, AF_INET, 2, spi, KIPSEC_MODE_TUNNEL, reqid);
	cfg.has_cpu = cpu != KIPSEC_SA_ANY_CPU;
	cfg.cpu = cpu;
	sa = sa_create(test, &cfg);
	KUNIT_ASSERT_EQ(test, sa_insert(test, sa, false), 0);
	return sa;
}

/* Per-CPU SAs: the CPU's own, else the fallback without a CPU, else none. */
static void kipsec_sa_lookup_out_cpu_test(struct kunit *test)
{
	const u8 tu = KIPSEC_MODE_TUNNEL;
	struct kipsec_sa *c0, *c1, *c1new, *any, *c0other;
	struct kipsec_sa_id id;

	c0 = sa_add_cpu(test, 0x801, 1, 0);
	c0other = sa_add_cpu(test, 0x802, 2, 0);	/* another reqid */
	/* Only a CPU 0 SA so far: CPU 1 has no SA and no fallback. */
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out_cpu(test, AF_INET, 2, 0, tu, 1, 0), c0);
	KUNIT_EXPECT_NULL(test, sa_lookup_out_cpu(test, AF_INET, 2, 0, tu, 1, 1));
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out_cpu(test, AF_INET, 2, 0, tu, 2, 0), c0other);

	any = sa_add_cpu(test, 0x803, 1, KIPSEC_SA_ANY_CPU);
	c1 = sa_add_cpu(test, 0x804, 1, 1);
	/* Each CPU its own, although the fallback or another CPU's is newer. */
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out_cpu(test, AF_INET, 2, 0, tu, 1, 0), c0);
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out_cpu(test, AF_INET, 2, 0, tu, 1, 1), c1);
	/* A CPU without one gets the fallback. */
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out_cpu(test, AF_INET, 2, 0, tu, 1, 2), any);
	/* Not per-cpu: the newest, whichever CPU it is for. */
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out(test, AF_INET, 2, 0, tu, 1), c1);

	/* Rekeying CPU 1's SA: the new one takes over, for CPU 1 only. */
	c1new = sa_add_cpu(test, 0x805, 1, 1);
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out_cpu(test, AF_INET, 2, 0, tu, 1, 1), c1new);
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out_cpu(test, AF_INET, 2, 0, tu, 1, 0), c0);

	/* Removing CPU 1's SAs falls back cleanly; removing the fallback too: none. */
	id = sa_id(AF_INET, 2, 0x805, IPPROTO_ESP);
	KUNIT_EXPECT_EQ(test, sa_delete(test, &id), 0);
	id = sa_id(AF_INET, 2, 0x804, IPPROTO_ESP);
	KUNIT_EXPECT_EQ(test, sa_delete(test, &id), 0);
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out_cpu(test, AF_INET, 2, 0, tu, 1, 1), any);
	id = sa_id(AF_INET, 2, 0x803, IPPROTO_ESP);
	KUNIT_EXPECT_EQ(test, sa_delete(test, &id), 0);
	KUNIT_EXPECT_NULL(test, sa_lookup_out_cpu(test, AF_INET, 2, 0, tu, 1, 1));
	KUNIT_EXPECT_PTR_EQ(test, sa_lookup_out_cpu(test, AF_INET, 2, 0, tu, 1, 0), c0);
}

#define SA_MANY		2000
#define SA_MANY_HOSTS	50

/* Enough SAs for both tables to grow several times; all are found. */
static void kipsec_sa_many_test(struct kunit *test)
{
	struct kipsec_net *kn = test->priv;
	unsigned int i, found = 0, out = 0;
	u16 family;

	for (i = 0; i < SA_MANY; i++) {
		family = i & 1 ? AF_INET6 : AF_INET;
		sa_add(test, family, 2 + i % SA_MANY_HOSTS, 0x10000 + i, KIPSEC_MODE_TRANSPORT,
		       i + 1);
		if (i % 128 == 0)
			cond_resched();
	}
	KUNIT_EXPECT_EQ(test, kn->sa_count, SA_MANY);
	for (i = 0; i < SA_MANY; i++) {
		struct kipsec_sa *sa;

		family = i & 1 ? AF_INET6 : AF_INET;
		sa = sa_lookup(test, family, 2 + i % SA_MANY_HOSTS, 0x10000 + i, IPPROTO_ESP);
		if (sa && sa->reqid == i + 1)
			found++;
		if (sa_lookup_out(test, family, 2 + i % SA_MANY_HOSTS, 0, KIPSEC_MODE_TRANSPORT,
				  i + 1) == sa)
			out++;
	}
	KUNIT_EXPECT_EQ(test, found, SA_MANY);
	KUNIT_EXPECT_EQ(test, out, SA_MANY);
	KUNIT_EXPECT_NULL(test, sa_lookup(test, AF_INET, 2, 0x10000 + SA_MANY, IPPROTO_ESP));

	mutex_lock(&kn->lock);
	kipsec_sa_flush(kn);
	mutex_unlock(&kn->lock);
	KUNIT_EXPECT_EQ(test, kn->sa_count, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&kn->sa_list));
	KUNIT_EXPECT_NULL(test, sa_lookup(test, AF_INET, 2, 0x10000, IPPROTO_ESP));
	KUNIT_EXPECT_NULL(test, sa_lookup_out(test, AF_INET, 2, 0, KIPSEC_MODE_TRANSPORT, 0));
}

/* ---- Creation errors ---- */

struct sa_bad_case {
	const char *name;
	const char *aead, *enc, *auth;
	unsigned int klen, aklen, icvlen;
	int err;			/* 0: created */
	int bad;			/* the attribute blamed */
};

static const struct sa_bad_case sa_bad_cases[] = {
	{ "aead-not-esp", "gcm(aes)", .klen = 20, .err = -EINVAL, .bad = KIPSEC_A_SA_AEAD_ALG },
	{ "aead-is-cipher", "cbc(aes)", .klen = 16, .err = -EINVAL, .bad = KIPSEC_A_SA_AEAD_ALG },
	{ "aead-unknown", "rfc4106(gcm(nosuch))", .klen = 20, .err = -EINVAL,
	  .bad = KIPSEC_A_SA_AEAD_ALG },
	{ "enc-unknown", NULL, "cbc(nosuch)", "hmac(sha1)", 16, 20, .err = -EINVAL,
	  .bad = KIPSEC_A_SA_ENC_ALG },
	{ "enc-is-aead", NULL, "rfc4106(gcm(aes))", "hmac(sha1)", 20, 20, .err = -EINVAL,
	  .bad = KIPSEC_A_SA_ENC_ALG },
	{ "auth-unknown", NULL, "cbc(aes)", "hmac(md5)", 16, 16, .err = -EINVAL,
	  .bad = KIPSEC_A_SA_AUTH_ALG },
	{ "auth-is-cipher", NULL, "cbc(aes)", "cbc(aes)", 16, 16, .err = -EINVAL,
	  .bad = KIPSEC_A_SA_AUTH_ALG },
	{ "gcm-key-19", "rfc4106(gcm(aes))", .klen = 19, .err = -EINVAL,
	  .bad = KIPSEC_A_SA_AEAD_KEY },
	{ "gcm-key-16-no-salt", "rfc4106(gcm(aes))", .klen = 16, .err = -EINVAL,
	  .bad = KIPSEC_A_SA_AEAD_KEY },
	{ "gcm-key-36", "rfc4106(gcm(aes))", .klen = 36 },
	{ "chacha-key-32-no-salt", "rfc7539esp(chacha20,poly1305)", .klen = 32, .err = -EINVAL,
	  .bad = KIPSEC_A_SA_AEAD_KEY },
	{ "aes-cbc-key-15", NULL, "cbc(aes)", "hmac(sha256)", 15, 32, .err = -EINVAL,
	  .bad = KIPSEC_A_SA_ENC_KEY },
	{ "3des-key-16", NULL, "cbc(des3_ede)", "hmac(sha1)", 16, 20, .err = -EINVAL,
	  .bad = KIPSEC_A_SA_ENC_KEY },
	{ "null-key-1", NULL, "ecb(cipher_null)", "hmac(sha1)", 1, 20, .err = -EINVAL,
	  .bad = KIPSEC_A_SA_ENC_KEY },
	{ "gcm-icv-8", "rfc4106(gcm(aes))", .klen = 20, .icvlen = 8 },
	{ "gcm-icv-12", "rfc4106(gcm(aes))", .klen = 20, .icvlen = 12 },
	{ "gcm-icv-10", "rfc4106(gcm(aes))", .klen = 20, .icvlen = 10, .err = -EINVAL,
	  .bad = KIPSEC_A_SA_ICV_LEN },
	{ "gcm-icv-20", "rfc4106(gcm(aes))", .klen = 20, .icvlen = 20, .err = -EINVAL,
	  .bad = KIPSEC_A_SA_ICV_LEN },
	{ "chacha-icv-12", "rfc7539esp(chacha20,poly1305)", .klen = 36, .icvlen = 12,
	  .err = -EINVAL, .bad = KIPSEC_A_SA_ICV_LEN },
	{ "sha1-icv-21", NULL, "cbc(aes)", "hmac(sha1)", 16, 20, 21, .err = -EINVAL,
	  .bad = KIPSEC_A_SA_ICV_LEN },
	{ "sha256-icv-33", NULL, "cbc(aes)", "hmac(sha256)", 16, 32, 33, .err = -EINVAL,
	  .bad = KIPSEC_A_SA_ICV_LEN },
	{ "sha256-icv-32", NULL, "cbc(aes)", "hmac(sha256)", 16, 32, 32 },
};

static void sa_bad_desc(const struct sa_bad_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sa_bad, sa_bad_cases, sa_bad_desc);

static void kipsec_sa_create_errors_test(struct kunit *test)
{
	const struct sa_bad_case *c = test->param_value;
	struct netlink_ext_ack extack = {};
	struct kipsec_sa_config cfg;
	struct kipsec_sa *sa;
	int bad = -1;

	sa_cfg(&cfg, AF_INET, 2, 0x800, KIPSEC_MODE_TRANSPORT, 0);
	cfg.aead_alg = c->aead;
	cfg.aead_key = c->aead ? sa_key : NULL;
	cfg.aead_keylen = c->aead ? c->klen : 0;
	cfg.enc_alg = c->enc;
	cfg.enc_key = c->enc ? sa_key : NULL;
	cfg.enc_keylen = c->enc ? c->klen : 0;
	cfg.auth_alg = c->auth;
	cfg.auth_key = c->auth ? sa_key : NULL;
	cfg.auth_keylen = c->aklen;
	cfg.icvlen = c->icvlen;

	sa = kipsec_sa_create(test->priv, &cfg, &extack, &bad);
	if (!c->err) {
		KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(sa), "error %ld, attribute %d", PTR_ERR(sa),
				       bad);
		if (c->icvlen)
			KUNIT_EXPECT_EQ(test, sa->icvlen, c->icvlen);
		kipsec_sa_destroy(sa);
		return;
	}
	KUNIT_ASSERT_TRUE(test, IS_ERR(sa));
	KUNIT_EXPECT_EQ(test, PTR_ERR(sa), c->err);
	KUNIT_EXPECT_EQ(test, bad, c->bad);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
}

/* No ICV length asked for: the RFCs' truncations. */
static void kipsec_sa_default_icv_test(struct kunit *test)
{
	static const struct {
		const char *auth;
		unsigned int aklen, icvlen;
	} cases[] = {
		{ "hmac(sha1)", 20, 12 }, { "hmac(sha256)", 32, 16 }, { "hmac(sha384)", 48, 24 },
		{ "hmac(sha512)", 64, 32 }, { "xcbc(aes)", 16, 12 },
	};
	struct kipsec_sa_config cfg;
	struct kipsec_sa *sa;
	unsigned int i;
	u8 akey[64];

	memset(akey, 0x3c, sizeof(akey));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		sa_cfg(&cfg, AF_INET, 2, 0x900, KIPSEC_MODE_TRANSPORT, 0);
		cfg.aead_alg = NULL;
		cfg.aead_key = NULL;
		cfg.aead_keylen = 0;
		cfg.enc_alg = "cbc(aes)";
		cfg.enc_key = sa_key;
		cfg.enc_keylen = 16;
		cfg.auth_alg = cases[i].auth;
		cfg.auth_key = akey;
		cfg.auth_keylen = cases[i].aklen;
		sa = sa_create(test, &cfg);
		KUNIT_EXPECT_EQ_MSG(test, sa->icvlen, cases[i].icvlen, "%s", cases[i].auth);
		KUNIT_EXPECT_EQ(test, sa->ivlen, 16);
		KUNIT_EXPECT_EQ(test, sa->align, 16);
		KUNIT_EXPECT_STREQ(test, sa->auth_alg, cases[i].auth);
		KUNIT_EXPECT_EQ(test, sa->auth_keylen, cases[i].aklen);
		kipsec_sa_destroy(sa);
	}
	sa_cfg(&cfg, AF_INET, 2, 0x900, KIPSEC_MODE_TRANSPORT, 0);
	sa = sa_create(test, &cfg);
	KUNIT_EXPECT_EQ(test, sa->icvlen, 16);
	KUNIT_EXPECT_EQ(test, sa->ivlen, 8);
	KUNIT_EXPECT_EQ(test, sa->align, 4);
	KUNIT_EXPECT_STREQ(test, sa->aead_alg, "rfc4106(gcm(aes))");
	KUNIT_EXPECT_EQ(test, memcmp(sa->keys, sa_key, SA_KEY_LEN), 0);
	kipsec_sa_destroy(sa);
}

static struct kunit_case kipsec_sa_test_cases[] = {
	KUNIT_CASE(kipsec_sa_add_lookup_test),
	KUNIT_CASE(kipsec_sa_family_test),
	KUNIT_CASE(kipsec_sa_duplicate_test),
	KUNIT_CASE(kipsec_sa_update_missing_test),
	KUNIT_CASE(kipsec_sa_replace_test),
	KUNIT_CASE(kipsec_sa_delete_test),
	KUNIT_CASE(kipsec_sa_lookup_out_test),
	KUNIT_CASE(kipsec_sa_lookup_out_cpu_test),
	KUNIT_CASE(kipsec_sa_many_test),
	KUNIT_CASE_PARAM(kipsec_sa_create_errors_test, sa_bad_gen_params),
	KUNIT_CASE(kipsec_sa_default_icv_test),
	{}
};

static struct kunit_suite kipsec_sa_suite = {
	.name = "kipsec_sa",
	.suite_init = sa_suite_init,
	.suite_exit = sa_suite_exit,
	.init = sa_test_init,
	.exit = sa_test_exit,
	.test_cases = kipsec_sa_test_cases,
};

kunit_test_suite(kipsec_sa_suite);
