// SPDX-License-Identifier: GPL-2.0
/*
 * The security association database: creation (algorithms instantiated and
 * keyed through the Kernel Crypto API), the two lookup tables, deletion and
 * lifetimes.
 *
 * Tables: input looks SAs up by (family, daddr, SPI, proto) in an
 * rhashtable, output by (family, daddr, proto) in an rhltable and then
 * filters by mode, reqid and source. Both are read under RCU without a
 * lock; writers hold kn->lock. A newly added SA goes to the head of its
 * output chain, so after a rekey output moves to the new SA at once while
 * the old one keeps accepting input until it is deleted (make before break).
 */
#include <crypto/authenc.h>
#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "ah.h"
#include "crypto.h"
#include "events.h"
#include "route.h"
#include "sa.h"

static struct workqueue_struct *kipsec_sa_wq;

/*
 * SAs come from a cache of their own: at a few hundred bytes, a kmalloc()
 * size class would round each one up to 512.
 */
static struct kmem_cache *kipsec_sa_cache;

/*
 * For tests: wrap every SA's transform in pcrypt (ESP) or cryptd (AH),
 * so that every packet completes asynchronously (-EINPROGRESS, then the
 * callback from another CPU or a worker), the path hardware offload engines
 * take. (cryptd would do for ESP too, but Debian 6.1's self-tests reject
 * cryptd AEAD instances with a WARNING; pcrypt has no hashes.)
 */
static bool force_async;
module_param(force_async, bool, 0444);
MODULE_PARM_DESC(force_async,
		 "run SA transforms through pcrypt or cryptd (asynchronous; for testing)");
static atomic_t kipsec_sa_alive = ATOMIC_INIT(0);

static const struct rhashtable_params sad_params = {
	.key_len = sizeof(struct kipsec_sa_id),
	.key_offset = offsetof(struct kipsec_sa, id),
	.head_offset = offsetof(struct kipsec_sa, node),
	.automatic_shrinking = true,
};

static const struct rhashtable_params sad_out_params = {
	.key_len = sizeof(struct kipsec_sa_out_key),
	.key_offset = offsetof(struct kipsec_sa, okey),
	.head_offset = offsetof(struct kipsec_sa, out_node),
	.automatic_shrinking = true,
};

static void sa_free_work(struct work_struct *work)
{
	struct kipsec_sa *sa = container_of(to_rcu_work(work), struct kipsec_sa, free_work);

	percpu_ref_exit(&sa->ref);
	if (sa->aead)
		crypto_free_aead(sa->aead);
	if (sa->ahash)
		crypto_free_ahash(sa->ahash);
	kipsec_replay_free(sa->replay);
	kipsec_route_release(sa);
	free_percpu(sa->stats);
	kfree_sensitive(sa->keys);
	kmem_cache_free(kipsec_sa_cache, sa);
	if (atomic_dec_and_test(&kipsec_sa_alive))
		wake_up_var(&kipsec_sa_alive);
}

/* Free now: only for SAs never published to the tables. */
void kipsec_sa_destroy(struct kipsec_sa *sa)
{
	sa_free_work(&sa->free_work.work);
}

/* The last reference is gone; any context. */
static void sa_release(struct percpu_ref *ref)
{
	struct kipsec_sa *sa = container_of(ref, struct kipsec_sa, ref);

	/* Packet paths may still read the SA under RCU: free after a grace period. */
	queue_rcu_work(kipsec_sa_wq, &sa->free_work);
}

/*
 * Rewrite @name as a pcrypt instance. pcrypt keeps its inner algorithm's
 * name, so "pcrypt(NAME)" never matches by name: name the inner driver,
 * whose pcrypt instance is then found by driver name.
 */
static int pcrypt_name(char *name, size_t len)
{
	struct crypto_aead *inner = crypto_alloc_aead(name, 0, 0);

	if (IS_ERR(inner))
		return PTR_ERR(inner);
	snprintf(name, len, "pcrypt(%s)", crypto_tfm_alg_driver_name(crypto_aead_tfm(inner)));
	crypto_free_aead(inner);
	return 0;
}

/* ICV length when the request names none: the RFC's truncation. */
static unsigned int default_icvlen(const char *auth)
{
	if (!strcmp(auth, "hmac(sha256)"))
		return 16;
	if (!strcmp(auth, "hmac(sha384)"))
		return 24;
	if (!strcmp(auth, "hmac(sha512)"))
		return 32;
	return 12;			/* HMAC-SHA1-96, AES-XCBC-MAC-96 */
}

/* authenc() takes both keys in one blob: an rtattr with the cipher key length, then the keys. */
static int setkey_authenc(struct crypto_aead *aead, const struct kipsec_sa_config *cfg)
{
	struct crypto_authenc_key_param *param;
	unsigned int len;
	struct rtattr *rta;
	u8 *blob, *p;
	int ret;

	len = RTA_SPACE(sizeof(*param)) + cfg->auth_keylen + cfg->enc_keylen;
	blob = kmalloc(len, GFP_KERNEL);
	if (!blob)
		return -ENOMEM;
	rta = (struct rtattr *)blob;
	rta->rta_type = CRYPTO_AUTHENC_KEYA_PARAM;
	rta->rta_len = RTA_LENGTH(sizeof(*param));
	param = RTA_DATA(rta);
	param->enckeylen = cpu_to_be32(cfg->enc_keylen);
	p = blob + RTA_SPACE(sizeof(*param));
	memcpy(p, cfg->auth_key, cfg->auth_keylen);
	memcpy(p + cfg->auth_keylen, cfg->enc_key, cfg->enc_keylen);
	ret = crypto_aead_setkey(aead, blob, len);
	kfree_sensitive(blob);
	return ret;
}

/*
 * Instantiate the SA's transform. On failure *bad is the KIPSEC_A_SA_*
 * attribute to blame and extack says why.
 */
static int sa_init_crypto(struct kipsec_sa *sa, const struct kipsec_sa_config *cfg,
			  struct netlink_ext_ack *extack, int *bad)
{
	const struct kipsec_alg *alg;
	char name[CRYPTO_MAX_ALG_NAME];
	unsigned int icvlen;
	int ret;

	if (cfg->aead_alg) {
		alg = kipsec_alg_find(cfg->aead_alg);
		if (!alg || alg->kind != KIPSEC_ALG_KIND_AEAD) {
			*bad = KIPSEC_A_SA_AEAD_ALG;
			NL_SET_ERR_MSG(extack, "not an AEAD kipsec supports (see kipsec info)");
			return -EINVAL;
		}
		strscpy(name, alg->name, sizeof(name));
		icvlen = cfg->icvlen ?: 16;
	} else {
		alg = kipsec_alg_find(cfg->enc_alg);
		if (!alg || alg->kind != KIPSEC_ALG_KIND_CRYPT) {
			*bad = KIPSEC_A_SA_ENC_ALG;
			NL_SET_ERR_MSG(extack, "not a cipher kipsec supports (see kipsec info)");
			return -EINVAL;
		}
		alg = kipsec_alg_find(cfg->auth_alg);
		if (!alg || alg->kind != KIPSEC_ALG_KIND_AUTH) {
			*bad = KIPSEC_A_SA_AUTH_ALG;
			NL_SET_ERR_MSG(extack, "not an integrity algorithm kipsec supports");
			return -EINVAL;
		}
		/* authencesn moves the high sequence bits where RFC 4303 2.2.1 wants them. */
		snprintf(name, sizeof(name), "%s(%s,%s)", cfg->esn ? "authencesn" : "authenc",
			 cfg->auth_alg, cfg->enc_alg);
		icvlen = cfg->icvlen ?: default_icvlen(cfg->auth_alg);
	}

	if (force_async) {
		ret = pcrypt_name(name, sizeof(name));
		if (ret) {
			*bad = cfg->aead_alg ? KIPSEC_A_SA_AEAD_ALG : KIPSEC_A_SA_ENC_ALG;
			NL_SET_ERR_MSG(extack, "force_async: no pcrypt for this algorithm");
			return ret;
		}
	}
	sa->aead = crypto_alloc_aead(name, 0, 0);
	if (IS_ERR(sa->aead)) {
		ret = PTR_ERR(sa->aead);
		sa->aead = NULL;
		*bad = cfg->aead_alg ? KIPSEC_A_SA_AEAD_ALG : KIPSEC_A_SA_ENC_ALG;
		NL_SET_ERR_MSG(extack, "the crypto API cannot instantiate this algorithm");
		return ret;
	}

	if (cfg->aead_alg)
		ret = crypto_aead_setkey(sa->aead, cfg->aead_key, cfg->aead_keylen);
	else
		ret = setkey_authenc(sa->aead, cfg);
	if (ret) {
		*bad = cfg->aead_alg ? KIPSEC_A_SA_AEAD_KEY : KIPSEC_A_SA_ENC_KEY;
		NL_SET_ERR_MSG(extack, "the crypto API rejected the key (wrong length?)");
		return ret;
	}
	ret = crypto_aead_setauthsize(sa->aead, icvlen);
	if (ret) {
		*bad = KIPSEC_A_SA_ICV_LEN;
		NL_SET_ERR_MSG(extack, "ICV length not supported by this algorithm");
		return ret;
	}

	sa->icvlen = icvlen;
	sa->ivlen = crypto_aead_ivsize(sa->aead);
	sa->align = max_t(unsigned int, crypto_aead_blocksize(sa->aead), 4);
	sa->iv_random = !cfg->aead_alg;
	return 0;
}

/*
 * Rewrite the hash @name as a cryptd instance, by its inner driver's name
 * (as for pcrypt above). The inner one must be synchronous: once made, the
 * cryptd instance (priority 150) is itself what "hmac(sha256)" finds.
 */
static int cryptd_name(char *name, size_t len)
{
	struct crypto_ahash *inner = crypto_alloc_ahash(name, 0, CRYPTO_ALG_ASYNC);

	if (IS_ERR(inner))
		return PTR_ERR(inner);
	snprintf(name, len, "cryptd(%s)", crypto_tfm_alg_driver_name(crypto_ahash_tfm(inner)));
	crypto_free_ahash(inner);
	return 0;
}

/* AH: the keyed hash alone. nl_sa.c let no cipher through. */
static int sa_init_ah(struct kipsec_sa *sa, const struct kipsec_sa_config *cfg,
		      struct netlink_ext_ack *extack, int *bad)
{
	const struct kipsec_alg *alg = kipsec_alg_find(cfg->auth_alg);
	char name[CRYPTO_MAX_ALG_NAME];
	unsigned int icvlen;
	int ret;

	*bad = KIPSEC_A_SA_AUTH_ALG;
	if (!alg || alg->kind != KIPSEC_ALG_KIND_AUTH) {
		NL_SET_ERR_MSG(extack, "not an integrity algorithm kipsec supports");
		return -EINVAL;
	}
	strscpy(name, alg->name, sizeof(name));
	if (force_async) {
		ret = cryptd_name(name, sizeof(name));
		if (ret) {
			NL_SET_ERR_MSG(extack, "force_async: no cryptd for this algorithm");
			return ret;
		}
	}
	sa->ahash = crypto_alloc_ahash(name, 0, 0);
	if (IS_ERR(sa->ahash)) {
		ret = PTR_ERR(sa->ahash);
		sa->ahash = NULL;
		NL_SET_ERR_MSG(extack, "the crypto API cannot instantiate this algorithm");
		return ret;
	}
	ret = crypto_ahash_setkey(sa->ahash, cfg->auth_key, cfg->auth_keylen);
	if (ret) {
		*bad = KIPSEC_A_SA_AUTH_KEY;
		NL_SET_ERR_MSG(extack, "the crypto API rejected the key (wrong length?)");
		return ret;
	}
	/* RFC 4302 2.6: the ICV is a multiple of 32 bits; at most the digest. */
	icvlen = cfg->icvlen ?: default_icvlen(cfg->auth_alg);
	if (icvlen < 4 || icvlen % 4 || icvlen > crypto_ahash_digestsize(sa->ahash) ||
	    icvlen > KIPSEC_AH_MAX_ICV) {
		*bad = KIPSEC_A_SA_ICV_LEN;
		NL_SET_ERR_MSG(extack, "AH ICV: a multiple of 4 bytes, at most the digest, 32");
		return -EINVAL;
	}
	sa->icvlen = icvlen;
	sa->ivlen = 0;
	sa->align = 4;
	return 0;
}

/* The algorithm table's copy of @name (which outlives any SA), or NULL. */
static const char *table_name(const char *name)
{
	const struct kipsec_alg *alg = name ? kipsec_alg_find(name) : NULL;

	return alg ? alg->name : NULL;
}

static int sa_copy_config(struct kipsec_sa *sa, const struct kipsec_sa_config *cfg)
{
	const u8 *k1 = cfg->aead_alg ? cfg->aead_key : cfg->enc_key;
	unsigned int l1 = cfg->aead_alg ? cfg->aead_keylen : cfg->enc_keylen;
	unsigned int l2 = cfg->aead_alg ? 0 : cfg->auth_keylen;

	sa->aead_alg = table_name(cfg->aead_alg);
	sa->enc_alg = table_name(cfg->enc_alg);
	sa->auth_alg = table_name(cfg->auth_alg);
	sa->enc_keylen = l1;
	sa->auth_keylen = l2;
	if (!l1 && !l2)
		return 0;
	sa->keys = kmalloc(l1 + l2, GFP_KERNEL);
	if (!sa->keys)
		return -ENOMEM;
	if (l1)
		memcpy(sa->keys, k1, l1);
	if (l2)
		memcpy(sa->keys + l1, cfg->auth_key, l2);
	return 0;
}

struct kipsec_sa *kipsec_sa_create(struct kipsec_net *kn, const struct kipsec_sa_config *cfg,
				   struct netlink_ext_ack *extack, int *bad)
{
	struct kipsec_sa *sa;
	int ret;

	sa = kmem_cache_zalloc(kipsec_sa_cache, GFP_KERNEL);
	if (!sa)
		return ERR_PTR(-ENOMEM);
	atomic_inc(&kipsec_sa_alive);
	INIT_RCU_WORK(&sa->free_work, sa_free_work);
	if (percpu_ref_init(&sa->ref, sa_release, 0, GFP_KERNEL)) {
		kmem_cache_free(kipsec_sa_cache, sa);
		atomic_dec(&kipsec_sa_alive);
		return ERR_PTR(-ENOMEM);
	}
	sa->kn = kn;
	sa->id = cfg->id;
	sa->okey.daddr = cfg->id.daddr;
	sa->okey.family = cfg->id.family;
	sa->okey.proto = cfg->id.proto;
	sa->saddr = cfg->saddr;
	sa->reqid = cfg->reqid;
	sa->cpu = cfg->has_cpu ? cfg->cpu : KIPSEC_SA_ANY_CPU;
	sa->encap = cfg->encap;
	sa->encap_sport = htons(cfg->encap_sport);
	sa->encap_dport = htons(cfg->encap_dport);
	sa->mode = cfg->mode;
	sa->esn = cfg->esn;
	sa->ah_align4 = cfg->ah_align4;	/* AH over IPv4 only: nl_sa.c */
	sa->lft = cfg->lft;
	sa->add_time = ktime_get_real_seconds();
	atomic64_set(&sa->oseq, cfg->seq);

	ret = -ENOMEM;
	sa->stats = alloc_percpu(struct kipsec_sa_stats);
	if (!sa->stats)
		goto err;
	sa->replay = kipsec_replay_alloc(cfg->replay_window, cfg->esn, GFP_KERNEL);
	if (!sa->replay)
		goto err;
	ret = sa_copy_config(sa, cfg);
	if (ret)
		goto err;
	if (cfg->id.proto == IPPROTO_AH)
		ret = sa_init_ah(sa, cfg, extack, bad);
	else
		ret = sa_init_crypto(sa, cfg, extack, bad);
	if (ret)
		goto err;
	return sa;

err:
	kipsec_sa_destroy(sa);
	return ERR_PTR(ret);
}

/* Unlink @sa from every table; kn->lock held. The caller drops the tables' reference. */
static void sa_unlink(struct kipsec_net *kn, struct kipsec_sa *sa)
{
	set_bit(KIPSEC_SA_DEAD, &sa->flags);
	rhltable_remove(&kn->sad_out, &sa->out_node, sad_out_params);
	list_del(&sa->list);
	kn->sa_count--;
	kn->sa_gen++;
}

int kipsec_sa_insert(struct kipsec_net *kn, struct kipsec_sa *sa, bool replace,
		     struct netlink_ext_ack *extack)
{
	struct kipsec_sa *old;
	int ret;

	lockdep_assert_held(&kn->lock);
	old = rhashtable_lookup_fast(&kn->sad, &sa->id, sad_params);
	if (old && !replace) {
		NL_SET_ERR_MSG(extack, "an SA with this destination, SPI and protocol exists");
		return -EEXIST;
	}
	if (!old && replace) {
		NL_SET_ERR_MSG(extack, "no SA with this destination, SPI and protocol to update");
		return -ENOENT;
	}

	ret = rhltable_insert(&kn->sad_out, &sa->out_node, sad_out_params);
	if (ret)
		return ret;
	if (old)
		ret = rhashtable_replace_fast(&kn->sad, &old->node, &sa->node, sad_params);
	else
		ret = rhashtable_insert_fast(&kn->sad, &sa->node, sad_params);
	if (ret) {
		rhltable_remove(&kn->sad_out, &sa->out_node, sad_out_params);
		return ret;
	}
	list_add_tail(&sa->list, &kn->sa_list);
	kn->sa_count++;
	kn->sa_gen++;
	if (old) {
		sa_unlink(kn, old);
		percpu_ref_kill(&old->ref);
	}
	/* Start the lifetime worker if it is idle (a no-op while it is queued). */
	queue_delayed_work(kipsec_sa_wq, &kn->lifetime_work, HZ);
	return 0;
}

/* Delete @sa and tell listeners; kn->lock held. */
static void sa_delete(struct kipsec_net *kn, struct kipsec_sa *sa)
{
	rhashtable_remove_fast(&kn->sad, &sa->node, sad_params);
	sa_unlink(kn, sa);
	kipsec_event_sa(kn, sa, KIPSEC_CMD_SA_DELETED, false);
	percpu_ref_kill(&sa->ref);
}

int kipsec_sa_delete(struct kipsec_net *kn, const struct kipsec_sa_id *id)
{
	struct kipsec_sa *sa;

	lockdep_assert_held(&kn->lock);
	sa = rhashtable_lookup_fast(&kn->sad, id, sad_params);
	if (!sa)
		return -ENOENT;
	sa_delete(kn, sa);
	return 0;
}

void kipsec_sa_flush(struct kipsec_net *kn)
{
	struct kipsec_sa *sa, *tmp;

	lockdep_assert_held(&kn->lock);
	list_for_each_entry_safe(sa, tmp, &kn->sa_list, list)
		sa_delete(kn, sa);
}

/*
 * Input (softirq, RCU) and netlink (kn->lock held). No reference is taken:
 * the result stays valid for the caller's RCU section, or while it holds
 * kn->lock, without which no SA is deleted.
 */
struct kipsec_sa *kipsec_sa_lookup(struct kipsec_net *kn, const struct kipsec_sa_id *id)
{
	return rhashtable_lookup_fast(&kn->sad, id, sad_params);
}

/*
 * Output: the newest live SA for a policy template, under RCU. A zero
 * reqid or source in the template matches any.
 *
 * Per-CPU SAs: with @cpu given (a per-cpu template), the newest SA of that
 * CPU, else the newest SA without a CPU (the fallback; the caller sees the
 * difference in sa->cpu). With KIPSEC_SA_ANY_CPU, the newest SA whatever
 * its CPU. Each CPU has at most a handful of SAs per destination, so the
 * one walk of the bucket's list finds both.
 */
struct kipsec_sa *kipsec_sa_lookup_out(struct kipsec_net *kn, u16 family,
				       const union kipsec_addr *daddr,
				       const union kipsec_addr *saddr, u8 proto, u8 mode,
				       u32 reqid, u32 cpu)
{
	struct kipsec_sa_out_key key = {};
	struct kipsec_sa *sa, *fallback = NULL;
	struct rhlist_head *list, *pos;
	unsigned int alen = kipsec_addr_len(family);
	static const union kipsec_addr any;

	key.family = family;
	key.proto = proto;
	memcpy(&key.daddr, daddr, alen);
	list = rhltable_lookup(&kn->sad_out, &key, sad_out_params);
	rhl_for_each_entry_rcu(sa, pos, list, out_node) {
		if (sa->mode != mode || kipsec_sa_dead(sa))
			continue;
		if (reqid && sa->reqid != reqid)
			continue;
		if (saddr && memcmp(saddr, &any, alen) && memcmp(saddr, &sa->saddr, alen))
			continue;
		if (cpu == KIPSEC_SA_ANY_CPU || sa->cpu == cpu)
			return sa;
		if (sa->cpu == KIPSEC_SA_ANY_CPU && !fallback)
			fallback = sa;
	}
	return fallback;
}

void kipsec_sa_stats_sum(const struct kipsec_sa *sa, struct kipsec_sa_stats *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct kipsec_sa_stats *s = per_cpu_ptr(sa->stats, cpu);

		sum->packets += READ_ONCE(s->packets);
		sum->bytes += READ_ONCE(s->bytes);
		sum->replay += READ_ONCE(s->replay);
		sum->window += READ_ONCE(s->window);
		sum->icv += READ_ONCE(s->icv);
		sum->errors += READ_ONCE(s->errors);
	}
}

/* Record the first use: use-time lifetimes count from it. */
void kipsec_sa_used(struct kipsec_sa *sa)
{
	if (likely(atomic64_read(&sa->use_time)))
		return;
	atomic64_cmpxchg(&sa->use_time, 0, ktime_get_real_seconds());
}

static bool over(u64 limit, u64 value)
{
	return limit && value >= limit;
}

/*
 * Lifetimes. Byte and time limits are checked here, once a second, from
 * the per-CPU counters, so a hard byte limit may be overshot by up to a
 * second of traffic; the packet path stays free of shared counters. Output
 * enforces hard packet limits and sequence exhaustion exactly (it marks the
 * SA EXHAUSTED and kicks this worker, which deletes it).
 */
static void sa_check_lifetime(struct kipsec_net *kn, struct kipsec_sa *sa, time64_t now)
{
	static const struct kipsec_lifetime none;
	const struct kipsec_lifetime *l = &sa->lft;
	struct kipsec_sa_stats s;
	time64_t used = atomic64_read(&sa->use_time);
	u64 age = now - sa->add_time;
	u64 idle = used ? now - used : 0;

	/* Most SAs have no limits: skip the per-CPU sums for them. */
	if (!memcmp(l, &none, sizeof(none)) && !test_bit(KIPSEC_SA_EXHAUSTED, &sa->flags))
		return;
	kipsec_sa_stats_sum(sa, &s);
	if (!test_bit(KIPSEC_SA_SOFT, &sa->flags) &&
	    (over(l->soft_bytes, s.bytes) || over(l->soft_packets, s.packets) ||
	     over(l->soft_add, age) || (used && over(l->soft_use, idle)))) {
		/* Soft first, even when hard follows at once: daemons rekey on it. */
		set_bit(KIPSEC_SA_SOFT, &sa->flags);
		kipsec_event_sa(kn, sa, KIPSEC_CMD_EXPIRE, false);
	}
	if (test_bit(KIPSEC_SA_EXHAUSTED, &sa->flags) ||
	    over(l->hard_bytes, s.bytes) || over(l->hard_packets, s.packets) ||
	    over(l->hard_add, age) || (used && over(l->hard_use, idle))) {
		kipsec_event_sa(kn, sa, KIPSEC_CMD_EXPIRE, true);
		sa_delete(kn, sa);
	}
}

static void sa_lifetime_work(struct work_struct *work)
{
	struct kipsec_net *kn = container_of(to_delayed_work(work), struct kipsec_net,
					     lifetime_work);
	time64_t now = ktime_get_real_seconds();
	struct kipsec_sa *sa, *tmp;

	mutex_lock(&kn->lock);
	list_for_each_entry_safe(sa, tmp, &kn->sa_list, list)
		sa_check_lifetime(kn, sa, now);
	if (kn->sa_count)
		queue_delayed_work(kipsec_sa_wq, &kn->lifetime_work, HZ);
	mutex_unlock(&kn->lock);
}

void kipsec_sa_kick(struct kipsec_net *kn)
{
	mod_delayed_work(kipsec_sa_wq, &kn->lifetime_work, 0);
}

int kipsec_sad_init(struct kipsec_net *kn)
{
	int ret;

	INIT_LIST_HEAD(&kn->sa_list);
	INIT_DELAYED_WORK(&kn->lifetime_work, sa_lifetime_work);
	ret = rhashtable_init(&kn->sad, &sad_params);
	if (ret)
		return ret;
	ret = rhltable_init(&kn->sad_out, &sad_out_params);
	if (ret)
		rhashtable_destroy(&kn->sad);
	return ret;
}

void kipsec_sad_uninit(struct kipsec_net *kn)
{
	mutex_lock(&kn->lock);
	kipsec_sa_flush(kn);
	mutex_unlock(&kn->lock);
	/* The worker re-arms itself only while SAs exist; there are none now. */
	cancel_delayed_work_sync(&kn->lifetime_work);
	rhltable_destroy(&kn->sad_out);
	rhashtable_destroy(&kn->sad);
}

int kipsec_sa_module_init(void)
{
	kipsec_sa_cache = KMEM_CACHE(kipsec_sa, 0);
	if (!kipsec_sa_cache)
		return -ENOMEM;
	kipsec_sa_wq = alloc_workqueue("kipsec_sa", WQ_UNBOUND, 0);
	if (!kipsec_sa_wq)
		goto err_cache;
	return 0;

err_cache:
	kmem_cache_destroy(kipsec_sa_cache);
	return -ENOMEM;
}

/*
 * After every namespace is gone: wait for SAs still referenced by crypto
 * requests in flight, then for their RCU-deferred frees.
 */
void kipsec_sa_module_uninit(void)
{
	wait_var_event(&kipsec_sa_alive, !atomic_read(&kipsec_sa_alive));
	rcu_barrier();
	/* Drains the frees queued by the RCU callbacks; then the cache is empty. */
	destroy_workqueue(kipsec_sa_wq);
	kmem_cache_destroy(kipsec_sa_cache);
}
