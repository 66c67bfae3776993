/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Security associations (the SAD): keys, algorithms, sequence numbers,
 * replay windows, lifetimes and counters, per network namespace.
 */
#ifndef _KIPSEC_SA_H
#define _KIPSEC_SA_H

#include <crypto/aead.h>
#include <crypto/hash.h>
#include <linux/percpu-refcount.h>
#include <linux/rhashtable.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "kipsec.h"
#include "replay.h"
#include "selector.h"

/* How input finds an SA (RFC 4301 4.1): zero-filled, compared as bytes. */
struct kipsec_sa_id {
	union kipsec_addr daddr;
	__be32 spi;
	u16 family;
	u8 proto;
	u8 pad;
};

/* How output finds SAs for a policy template; several may share one key. */
struct kipsec_sa_out_key {
	union kipsec_addr daddr;
	u16 family;
	u8 proto;
	u8 pad;
};

struct kipsec_lifetime {
	u64 soft_bytes, hard_bytes;
	u64 soft_packets, hard_packets;
	u64 soft_add, hard_add;		/* seconds after the SA was added */
	u64 soft_use, hard_use;		/* seconds after its first packet */
};

/* Per-CPU counters of an SA; summed when read (64-bit kernels only). */
struct kipsec_sa_stats {
	u64 packets;
	u64 bytes;
	u64 replay;
	u64 window;
	u64 icv;
	u64 errors;
};

/* The cpu of an SA that serves every CPU. */
#define KIPSEC_SA_ANY_CPU	U32_MAX

enum {
	KIPSEC_SA_DEAD,			/* unlinked: the packet path must not use it */
	KIPSEC_SA_SOFT,			/* soft limit reached and reported */
	KIPSEC_SA_EXHAUSTED,		/* hard packet limit or seq space used up */
};

/*
 * Lifetime: an SA is created with one reference, owned by the tables. The
 * packet path finds SAs under RCU and takes a reference for each packet in
 * the crypto layer, because a request may complete asynchronously after
 * the RCU section ended. The reference is a percpu_ref, so that costs no
 * shared cache line. Deleting unlinks the SA under kn->lock, marks it DEAD
 * and kills the reference (dropping the tables' one); when the count
 * reaches zero the SA is freed after an RCU grace period, in process
 * context (crypto_free_aead may sleep).
 */
struct kipsec_sa {
	struct rhash_head node;		/* kn->sad */
	struct rhlist_head out_node;	/* kn->sad_out */
	struct list_head list;		/* kn->sa_list */
	struct kipsec_sa_id id;
	struct kipsec_sa_out_key okey;
	union kipsec_addr saddr;
	u32 reqid;
	u32 cpu;			/* per-CPU SA: its CPU; KIPSEC_SA_ANY_CPU if none */
	u8 mode;			/* KIPSEC_MODE_* */
	bool esn;
	bool ah_align4;			/* AH over IPv4: header padded to 32 bits, not 64 */
	bool encap;			/* ESP in UDP (RFC 3948) with these ports: */
	__be16 encap_sport, encap_dport;
	u32 pmtu;			/* path MTU of our ESP packets from ICMP; 0: unknown */

	struct crypto_aead *aead;	/* ESP */
	struct crypto_ahash *ahash;	/* AH */
	u8 ivlen;
	u8 icvlen;
	u8 align;			/* payload alignment: cipher block, at least 4 */
	bool iv_random;			/* CBC: random IV; AEADs: IV = sequence number */
	u8 enc_keylen, auth_keylen;	/* of @keys, below */

	atomic64_t oseq;		/* last sequence number sent */
	struct dst_entry __rcu *esp_dst; /* route.c: a route without the inner PMTU */
	struct dst_cache *tun_cache;	/* route.c: the route to the peer, once used */
	struct kipsec_replay *replay;
	struct kipsec_lifetime lft;
	time64_t add_time;
	atomic64_t use_time;		/* 0 until the first packet */
	unsigned long flags;
	struct kipsec_sa_stats __percpu *stats;

	/*
	 * What the SA was configured with, for get/dump and show-keys: names
	 * from the static algorithm table (crypto.c), NULL when not used.
	 */
	const char *aead_alg, *enc_alg, *auth_alg;
	u8 *keys;			/* aead or enc key, then auth key */

	struct kipsec_net *kn;
	struct percpu_ref ref;
	struct rcu_work free_work;
};

/* Everything sa-add/sa-update say about an SA, validated by nl_sa.c. */
struct kipsec_sa_config {
	struct kipsec_sa_id id;
	union kipsec_addr saddr;
	u32 reqid;
	u32 cpu;			/* if has_cpu: a per-CPU SA */
	u8 mode;
	bool esn;
	bool ah_align4;
	bool has_cpu;
	bool encap;			/* ESP in UDP, with these ports (host order) */
	u16 encap_sport, encap_dport;
	bool has_seq;
	u32 replay_window;
	u32 icvlen;			/* 0: the algorithm's default */
	u64 seq;
	const char *aead_alg, *enc_alg, *auth_alg;
	const u8 *aead_key, *enc_key, *auth_key;
	unsigned int aead_keylen, enc_keylen, auth_keylen;
	struct kipsec_lifetime lft;
};

int kipsec_sad_init(struct kipsec_net *kn);
void kipsec_sad_uninit(struct kipsec_net *kn);

int kipsec_sa_module_init(void);
void kipsec_sa_module_uninit(void);

struct kipsec_sa *kipsec_sa_create(struct kipsec_net *kn, const struct kipsec_sa_config *cfg,
				   struct netlink_ext_ack *extack, int *bad);
int kipsec_sa_insert(struct kipsec_net *kn, struct kipsec_sa *sa, bool replace,
		     struct netlink_ext_ack *extack);
void kipsec_sa_destroy(struct kipsec_sa *sa);
int kipsec_sa_delete(struct kipsec_net *kn, const struct kipsec_sa_id *id);
void kipsec_sa_flush(struct kipsec_net *kn);
struct kipsec_sa *kipsec_sa_lookup(struct kipsec_net *kn, const struct kipsec_sa_id *id);
struct kipsec_sa *kipsec_sa_lookup_out(struct kipsec_net *kn, u16 family,
				       const union kipsec_addr *daddr,
				       const union kipsec_addr *saddr, u8 proto, u8 mode,
				       u32 reqid, u32 cpu);
void kipsec_sa_stats_sum(const struct kipsec_sa *sa, struct kipsec_sa_stats *sum);
void kipsec_sa_used(struct kipsec_sa *sa);

static inline void kipsec_sa_hold(struct kipsec_sa *sa)
{
	percpu_ref_get(&sa->ref);
}

static inline void kipsec_sa_put(struct kipsec_sa *sa)
{
	percpu_ref_put(&sa->ref);
}

static inline bool kipsec_sa_dead(const struct kipsec_sa *sa)
{
	return test_bit(KIPSEC_SA_DEAD, &sa->flags) ||
	       test_bit(KIPSEC_SA_EXHAUSTED, &sa->flags);
}

/* Ask the namespace's lifetime worker to look at its SAs now. */
void kipsec_sa_kick(struct kipsec_net *kn);

static inline unsigned int kipsec_addr_len(u16 family)
{
	return family == AF_INET ? 4 : 16;
}

/*
 * A bundle's other layer, while one layer of a packet is with the crypto
 * layer (which may complete asynchronously): an SA in the skb's control
 * block, after the IP layer's part (still read on the way: the in-place
 * NF_ACCEPT path on output, IP6CB's nhoff in input's deliver()), holding a
 * reference until that layer is done. Output: the outer SA to apply next.
 * Input: the outer SA the packet has already passed.
 */
struct kipsec_skb_cb {
	union {
		struct inet_skb_parm h4;
		struct inet6_skb_parm h6;
	} header;
	struct kipsec_sa *other;
};

static inline struct kipsec_skb_cb *kipsec_skb_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct kipsec_skb_cb) > sizeof_field(struct sk_buff, cb));
	return (struct kipsec_skb_cb *)skb->cb;
}

#endif /* _KIPSEC_SA_H */
