// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink requests on SAs: add, update, delete, get, dump, flush; and the
 * SA encoding shared with events. Requests change state under kn->lock, so
 * a request either takes effect whole or not at all.
 */
#include <linux/in.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "events.h"
#include "nl_common.h"
#include "nl_gen.h"
#include "sa.h"

int kipsec_nl_get_family(struct nlattr *attr, u16 *family, struct netlink_ext_ack *extack)
{
	u32 f = nla_get_u32(attr);

	if (f != AF_INET && f != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "family must be AF_INET (2) or AF_INET6 (10)");
		return -EAFNOSUPPORT;
	}
	*family = f;
	return 0;
}

int kipsec_nl_get_addr(struct nlattr *attr, u16 family, union kipsec_addr *addr,
		       struct netlink_ext_ack *extack)
{
	unsigned int len = kipsec_addr_len(family);

	if (nla_len(attr) != len) {
		if (family == AF_INET)
			NL_SET_ERR_MSG_ATTR(extack, attr, "address must be 4 bytes for AF_INET");
		else
			NL_SET_ERR_MSG_ATTR(extack, attr, "address must be 16 bytes for AF_INET6");
		return -EINVAL;
	}
	memset(addr, 0, sizeof(*addr));
	memcpy(addr, nla_data(attr), len);
	return 0;
}

int kipsec_nl_put_addr(struct sk_buff *msg, int attr, u16 family, const union kipsec_addr *a)
{
	return nla_put(msg, attr, kipsec_addr_len(family), a);
}

/* (family, daddr, spi, proto): what sa-del and sa-get name an SA by. */
static int parse_id(struct genl_info *info, struct kipsec_sa_id *id)
{
	struct nlattr **tb = info->attrs;
	struct netlink_ext_ack *extack = info->extack;
	int ret;

	if (KIPSEC_REQUIRE(extack, NULL, tb, KIPSEC_A_SA_FAMILY, "SA family is required") ||
	    KIPSEC_REQUIRE(extack, NULL, tb, KIPSEC_A_SA_DADDR, "SA destination is required") ||
	    KIPSEC_REQUIRE(extack, NULL, tb, KIPSEC_A_SA_SPI, "SA SPI is required"))
		return -EINVAL;
	memset(id, 0, sizeof(*id));
	ret = kipsec_nl_get_family(tb[KIPSEC_A_SA_FAMILY], &id->family, extack);
	if (ret)
		return ret;
	ret = kipsec_nl_get_addr(tb[KIPSEC_A_SA_DADDR], id->family, &id->daddr, extack);
	if (ret)
		return ret;
	id->spi = htonl(nla_get_u32(tb[KIPSEC_A_SA_SPI]));
	/* The policy allows 50 and 51 only: ESP or AH. */
	id->proto = tb[KIPSEC_A_SA_PROTO] ? nla_get_u32(tb[KIPSEC_A_SA_PROTO]) : IPPROTO_ESP;
	return 0;
}

static u64 get_u64(struct nlattr **tb, int attr)
{
	return tb[attr] ? nla_get_u64(tb[attr]) : 0;
}

static int parse_lifetime(struct nlattr *attr, struct kipsec_lifetime *l,
			  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[KIPSEC_A_LIFETIME_MAX + 1];
	int ret;

	memset(l, 0, sizeof(*l));
	if (!attr)
		return 0;
	ret = nla_parse_nested(tb, KIPSEC_A_LIFETIME_MAX, attr, kipsec_lifetime_nl_policy, extack);
	if (ret)
		return ret;
	l->soft_bytes = get_u64(tb, KIPSEC_A_LIFETIME_SOFT_BYTES);
	l->hard_bytes = get_u64(tb, KIPSEC_A_LIFETIME_HARD_BYTES);
	l->soft_packets = get_u64(tb, KIPSEC_A_LIFETIME_SOFT_PACKETS);
	l->hard_packets = get_u64(tb, KIPSEC_A_LIFETIME_HARD_PACKETS);
	l->soft_add = get_u64(tb, KIPSEC_A_LIFETIME_SOFT_ADD_SECS);
	l->hard_add = get_u64(tb, KIPSEC_A_LIFETIME_HARD_ADD_SECS);
	l->soft_use = get_u64(tb, KIPSEC_A_LIFETIME_SOFT_USE_SECS);
	l->hard_use = get_u64(tb, KIPSEC_A_LIFETIME_HARD_USE_SECS);
	return 0;
}

/* Everything sa-add and sa-update carry; nothing is changed here. */
static int parse_config(struct genl_info *info, struct kipsec_sa_config *cfg)
{
	struct nlattr **tb = info->attrs;
	struct netlink_ext_ack *extack = info->extack;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	ret = parse_id(info, &cfg->id);
	if (ret)
		return ret;
	if (KIPSEC_REQUIRE(extack, NULL, tb, KIPSEC_A_SA_SADDR, "SA source is required") ||
	    KIPSEC_REQUIRE(extack, NULL, tb, KIPSEC_A_SA_MODE, "SA mode is required"))
		return -EINVAL;
	ret = kipsec_nl_get_addr(tb[KIPSEC_A_SA_SADDR], cfg->id.family, &cfg->saddr, extack);
	if (ret)
		return ret;
	cfg->mode = nla_get_u32(tb[KIPSEC_A_SA_MODE]);
	cfg->reqid = tb[KIPSEC_A_SA_REQID] ? nla_get_u32(tb[KIPSEC_A_SA_REQID]) : 0;
	if (tb[KIPSEC_A_SA_CPU]) {
		cfg->has_cpu = true;
		cfg->cpu = nla_get_u32(tb[KIPSEC_A_SA_CPU]);
		if (cfg->cpu >= nr_cpu_ids || !cpu_possible(cfg->cpu)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[KIPSEC_A_SA_CPU], "no such CPU");
			return -EINVAL;
		}
	}
	if (tb[KIPSEC_A_SA_ENCAP_SPORT] || tb[KIPSEC_A_SA_ENCAP_DPORT]) {
		if (KIPSEC_REQUIRE(extack, NULL, tb, KIPSEC_A_SA_ENCAP_SPORT,
				   "encap-dport needs encap-sport") ||
		    KIPSEC_REQUIRE(extack, NULL, tb, KIPSEC_A_SA_ENCAP_DPORT,
				   "encap-sport needs encap-dport"))
			return -EINVAL;
		if (cfg->id.proto != IPPROTO_ESP) {
			NL_SET_ERR_MSG_ATTR(extack, tb[KIPSEC_A_SA_ENCAP_SPORT],
					    "only ESP can be carried in UDP");
			return -EINVAL;
		}
		cfg->encap = true;
		cfg->encap_sport = nla_get_u32(tb[KIPSEC_A_SA_ENCAP_SPORT]);
		cfg->encap_dport = nla_get_u32(tb[KIPSEC_A_SA_ENCAP_DPORT]);
	}
	cfg->esn = nla_get_flag(tb[KIPSEC_A_SA_ESN]);
	cfg->ah_align4 = nla_get_flag(tb[KIPSEC_A_SA_AH_ALIGN4]);
	if (cfg->ah_align4 && (cfg->id.proto != IPPROTO_AH || cfg->id.family != AF_INET)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KIPSEC_A_SA_AH_ALIGN4],
				    "ah-align4 is for AH over IPv4 only (IPv6 pads AH to 64 bits)");
		return -EINVAL;
	}
	cfg->replay_window = tb[KIPSEC_A_SA_REPLAY_WINDOW] ?
			     nla_get_u32(tb[KIPSEC_A_SA_REPLAY_WINDOW]) : 32;
	cfg->icvlen = tb[KIPSEC_A_SA_ICV_LEN] ? nla_get_u32(tb[KIPSEC_A_SA_ICV_LEN]) : 0;
	if (tb[KIPSEC_A_SA_SEQ]) {
		cfg->seq = nla_get_u64(tb[KIPSEC_A_SA_SEQ]);
		if (!cfg->esn && cfg->seq > U32_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, tb[KIPSEC_A_SA_SEQ],
					    "sequence number above 2^32-1 needs esn");
			return -ERANGE;
		}
	}

	if (cfg->id.proto == IPPROTO_AH) {
		/* AH authenticates only: no cipher of any kind. */
		static const int not_ah[] = { KIPSEC_A_SA_AEAD_ALG, KIPSEC_A_SA_AEAD_KEY,
					      KIPSEC_A_SA_ENC_ALG, KIPSEC_A_SA_ENC_KEY };
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(not_ah); i++) {
			if (tb[not_ah[i]]) {
				NL_SET_ERR_MSG_ATTR(extack, tb[not_ah[i]],
						    "an AH SA takes only auth-alg and auth-key");
				return -EINVAL;
			}
		}
		if (KIPSEC_REQUIRE(extack, NULL, tb, KIPSEC_A_SA_AUTH_ALG,
				   "an AH SA needs auth-alg") ||
		    KIPSEC_REQUIRE(extack, NULL, tb, KIPSEC_A_SA_AUTH_KEY,
				   "auth-alg needs auth-key"))
			return -EINVAL;
		cfg->auth_alg = nla_data(tb[KIPSEC_A_SA_AUTH_ALG]);
		cfg->auth_key = nla_data(tb[KIPSEC_A_SA_AUTH_KEY]);
		cfg->auth_keylen = nla_len(tb[KIPSEC_A_SA_AUTH_KEY]);
	} else if (tb[KIPSEC_A_SA_AEAD_ALG]) {
		struct nlattr *other = tb[KIPSEC_A_SA_ENC_ALG] ?: tb[KIPSEC_A_SA_AUTH_ALG];

		if (other) {
			NL_SET_ERR_MSG_ATTR(extack, other,
					    "an AEAD SA takes no separate cipher or integrity algorithm");
			return -EINVAL;
		}
		if (KIPSEC_REQUIRE(extack, NULL, tb, KIPSEC_A_SA_AEAD_KEY,
				   "aead-alg needs aead-key"))
			return -EINVAL;
		cfg->aead_alg = nla_data(tb[KIPSEC_A_SA_AEAD_ALG]);
		cfg->aead_key = nla_data(tb[KIPSEC_A_SA_AEAD_KEY]);
		cfg->aead_keylen = nla_len(tb[KIPSEC_A_SA_AEAD_KEY]);
	} else {
		if (KIPSEC_REQUIRE(extack, NULL, tb, KIPSEC_A_SA_ENC_ALG,
				   "an SA needs aead-alg, or enc-alg with auth-alg") ||
		    KIPSEC_REQUIRE(extack, NULL, tb, KIPSEC_A_SA_AUTH_ALG,
				   "enc-alg needs auth-alg: no ESP without integrity") ||
		    KIPSEC_REQUIRE(extack, NULL, tb, KIPSEC_A_SA_AUTH_KEY,
				   "auth-alg needs auth-key"))
			return -EINVAL;
		cfg->enc_alg = nla_data(tb[KIPSEC_A_SA_ENC_ALG]);
		cfg->auth_alg = nla_data(tb[KIPSEC_A_SA_AUTH_ALG]);
		if (tb[KIPSEC_A_SA_ENC_KEY]) {
			cfg->enc_key = nla_data(tb[KIPSEC_A_SA_ENC_KEY]);
			cfg->enc_keylen = nla_len(tb[KIPSEC_A_SA_ENC_KEY]);
		}
		cfg->auth_key = nla_data(tb[KIPSEC_A_SA_AUTH_KEY]);
		cfg->auth_keylen = nla_len(tb[KIPSEC_A_SA_AUTH_KEY]);
	}
	return parse_lifetime(tb[KIPSEC_A_SA_LIFETIME], &cfg->lft, extack);
}

static int sa_add_or_update(struct genl_info *info, bool replace)
{
	struct kipsec_net *kn = kipsec_pernet(genl_info_net(info));
	struct kipsec_sa_config cfg;
	struct kipsec_sa *sa;
	int bad = 0;
	int ret;

	ret = parse_config(info, &cfg);
	if (ret)
		return ret;
	/* Instantiate outside the lock: it may load crypto modules. */
	sa = kipsec_sa_create(kn, &cfg, info->extack, &bad);
	if (IS_ERR(sa)) {
		if (bad && info->attrs[bad])
			info->extack->bad_attr = info->attrs[bad];
		return PTR_ERR(sa);
	}
	mutex_lock(&kn->lock);
	ret = kipsec_sa_insert(kn, sa, replace, info->extack);
	mutex_unlock(&kn->lock);
	if (ret) {
		if (info->attrs[KIPSEC_A_SA_SPI])
			info->extack->bad_attr = info->attrs[KIPSEC_A_SA_SPI];
		kipsec_sa_destroy(sa);
	}
	return ret;
}

int kipsec_nl_sa_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	return sa_add_or_update(info, false);
}

int kipsec_nl_sa_update_doit(struct sk_buff *skb, struct genl_info *info)
{
	return sa_add_or_update(info, true);
}

int kipsec_nl_sa_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_pernet(genl_info_net(info));
	struct kipsec_sa_id id;
	int ret;

	ret = parse_id(info, &id);
	if (ret)
		return ret;
	mutex_lock(&kn->lock);
	ret = kipsec_sa_delete(kn, &id);
	mutex_unlock(&kn->lock);
	if (ret)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KIPSEC_A_SA_SPI],
				    "no SA with this destination, SPI and protocol");
	return ret;
}

int kipsec_nl_sa_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_pernet(genl_info_net(info));

	mutex_lock(&kn->lock);
	kipsec_sa_flush(kn);
	mutex_unlock(&kn->lock);
	return 0;
}

static int put_u64(struct sk_buff *msg, int attr, u64 v, int pad)
{
	return nla_put_u64_64bit(msg, attr, v, pad);
}

static int put_lifetime(struct sk_buff *msg, const struct kipsec_lifetime *l)
{
	static const struct kipsec_lifetime none;
	const int pad = KIPSEC_A_LIFETIME_PAD;
	struct nlattr *nest;

	if (!memcmp(l, &none, sizeof(none)))
		return 0;
	nest = nla_nest_start(msg, KIPSEC_A_SA_LIFETIME);
	if (!nest ||
	    (l->soft_bytes && put_u64(msg, KIPSEC_A_LIFETIME_SOFT_BYTES, l->soft_bytes, pad)) ||
	    (l->hard_bytes && put_u64(msg, KIPSEC_A_LIFETIME_HARD_BYTES, l->hard_bytes, pad)) ||
	    (l->soft_packets &&
	     put_u64(msg, KIPSEC_A_LIFETIME_SOFT_PACKETS, l->soft_packets, pad)) ||
	    (l->hard_packets &&
	     put_u64(msg, KIPSEC_A_LIFETIME_HARD_PACKETS, l->hard_packets, pad)) ||
	    (l->soft_add && put_u64(msg, KIPSEC_A_LIFETIME_SOFT_ADD_SECS, l->soft_add, pad)) ||
	    (l->hard_add && put_u64(msg, KIPSEC_A_LIFETIME_HARD_ADD_SECS, l->hard_add, pad)) ||
	    (l->soft_use && put_u64(msg, KIPSEC_A_LIFETIME_SOFT_USE_SECS, l->soft_use, pad)) ||
	    (l->hard_use && put_u64(msg, KIPSEC_A_LIFETIME_HARD_USE_SECS, l->hard_use, pad)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int put_stats(struct sk_buff *msg, const struct kipsec_sa *sa)
{
	const int pad = KIPSEC_A_SA_STATS_PAD;
	struct kipsec_sa_stats s;
	struct nlattr *nest;

	kipsec_sa_stats_sum(sa, &s);
	nest = nla_nest_start(msg, KIPSEC_A_SA_STATS);
	if (!nest ||
	    put_u64(msg, KIPSEC_A_SA_STATS_PACKETS, s.packets, pad) ||
	    put_u64(msg, KIPSEC_A_SA_STATS_BYTES, s.bytes, pad) ||
	    put_u64(msg, KIPSEC_A_SA_STATS_REPLAY_DROPS, s.replay, pad) ||
	    put_u64(msg, KIPSEC_A_SA_STATS_WINDOW_DROPS, s.window, pad) ||
	    put_u64(msg, KIPSEC_A_SA_STATS_ICV_FAILURES, s.icv, pad) ||
	    put_u64(msg, KIPSEC_A_SA_STATS_ERRORS, s.errors, pad))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int put_keys(struct sk_buff *msg, const struct kipsec_sa *sa)
{
	if (sa->id.proto == IPPROTO_AH)
		return nla_put(msg, KIPSEC_A_SA_AUTH_KEY, sa->auth_keylen, sa->keys);
	if (sa->aead_alg)
		return nla_put(msg, KIPSEC_A_SA_AEAD_KEY, sa->enc_keylen, sa->keys);
	return nla_put(msg, KIPSEC_A_SA_ENC_KEY, sa->enc_keylen, sa->keys) ||
	       nla_put(msg, KIPSEC_A_SA_AUTH_KEY, sa->auth_keylen, sa->keys + sa->enc_keylen);
}

int kipsec_nl_put_sa(struct sk_buff *msg, const struct kipsec_sa *sa, bool keys)
{
	const int pad = KIPSEC_A_SA_PAD;
	u16 f = sa->id.family;

	if (nla_put_u32(msg, KIPSEC_A_SA_FAMILY, f) ||
	    kipsec_nl_put_addr(msg, KIPSEC_A_SA_DADDR, f, &sa->id.daddr) ||
	    kipsec_nl_put_addr(msg, KIPSEC_A_SA_SADDR, f, &sa->saddr) ||
	    nla_put_u32(msg, KIPSEC_A_SA_SPI, ntohl(sa->id.spi)) ||
	    nla_put_u32(msg, KIPSEC_A_SA_PROTO, sa->id.proto) ||
	    nla_put_u32(msg, KIPSEC_A_SA_MODE, sa->mode) ||
	    nla_put_u32(msg, KIPSEC_A_SA_REQID, sa->reqid) ||
	    (sa->cpu != KIPSEC_SA_ANY_CPU && nla_put_u32(msg, KIPSEC_A_SA_CPU, sa->cpu)) ||
	    (sa->encap &&
	     (nla_put_u32(msg, KIPSEC_A_SA_ENCAP_SPORT, ntohs(sa->encap_sport)) ||
	      nla_put_u32(msg, KIPSEC_A_SA_ENCAP_DPORT, ntohs(sa->encap_dport)))) ||
	    (sa->aead_alg && nla_put_string(msg, KIPSEC_A_SA_AEAD_ALG, sa->aead_alg)) ||
	    (sa->enc_alg && nla_put_string(msg, KIPSEC_A_SA_ENC_ALG, sa->enc_alg)) ||
	    (sa->auth_alg && nla_put_string(msg, KIPSEC_A_SA_AUTH_ALG, sa->auth_alg)) ||
	    (keys && put_keys(msg, sa)) ||
	    nla_put_u32(msg, KIPSEC_A_SA_ICV_LEN, sa->icvlen) ||
	    nla_put_u32(msg, KIPSEC_A_SA_REPLAY_WINDOW, sa->replay->size) ||
	    (sa->esn && nla_put_flag(msg, KIPSEC_A_SA_ESN)) ||
	    (sa->ah_align4 && nla_put_flag(msg, KIPSEC_A_SA_AH_ALIGN4)) ||
	    put_u64(msg, KIPSEC_A_SA_SEQ, atomic64_read(&sa->oseq), pad) ||
	    put_u64(msg, KIPSEC_A_SA_SEQ_IN, kipsec_replay_top(sa->replay), pad) ||
	    put_lifetime(msg, &sa->lft) ||
	    put_stats(msg, sa) ||
	    put_u64(msg, KIPSEC_A_SA_ADD_TIME, sa->add_time, pad) ||
	    put_u64(msg, KIPSEC_A_SA_USE_TIME, atomic64_read(&sa->use_time), pad) ||
	    (test_bit(KIPSEC_SA_SOFT, &sa->flags) && nla_put_flag(msg, KIPSEC_A_SA_DYING)))
		return -EMSGSIZE;
	return 0;
}

int kipsec_nl_sa_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_pernet(genl_info_net(info));
	bool keys = nla_get_flag(info->attrs[KIPSEC_A_SA_SHOW_KEYS]);
	struct kipsec_sa_id id;
	struct kipsec_sa *sa;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = parse_id(info, &id);
	if (ret)
		return ret;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &kipsec_genl_family, 0, info->genlhdr->cmd);
	ret = -EMSGSIZE;
	if (!hdr)
		goto err;
	mutex_lock(&kn->lock);
	sa = kipsec_sa_lookup(kn, &id);
	if (!sa) {
		mutex_unlock(&kn->lock);
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KIPSEC_A_SA_SPI],
				    "no SA with this destination, SPI and protocol");
		ret = -ENOENT;
		goto err;
	}
	ret = kipsec_nl_put_sa(msg, sa, keys);
	mutex_unlock(&kn->lock);
	if (ret)
		goto err;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err:
	nlmsg_free(msg);
	return ret;
}

/*
 * Dump: SAs in list order; cb->args[0] is how many were sent. If the list
 * changed between two parts of the dump, genl_dump_check_consistent() sets
 * NLM_F_DUMP_INTR so the reader knows to retry.
 */
int kipsec_nl_sa_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *di = genl_dumpit_info(cb);
	struct kipsec_net *kn = kipsec_pernet(sock_net(skb->sk));
	bool keys = nla_get_flag(di->attrs[KIPSEC_A_SA_SHOW_KEYS]);
	long skip = cb->args[0], i = 0;
	struct kipsec_sa *sa;
	void *hdr;
	int a;

	/*
	 * do and dump share one policy on 6.1: refuse the do-only attributes
	 * rather than ignore a filter the caller thinks applies.
	 */
	for (a = 0; a <= KIPSEC_A_SA_PROTO; a++) {
		if (di->attrs[a]) {
			NL_SET_ERR_MSG_ATTR(cb->extack, di->attrs[a],
					    "a dump takes no SA identity (it lists every SA)");
			return -EINVAL;
		}
	}

	mutex_lock(&kn->lock);
	cb->seq = lower_32_bits(kn->sa_gen) + 1;
	list_for_each_entry(sa, &kn->sa_list, list) {
		if (i++ < skip)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				  &kipsec_genl_family, NLM_F_MULTI, KIPSEC_CMD_SA_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (kipsec_nl_put_sa(skb, sa, keys)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0]++;
	}
	mutex_unlock(&kn->lock);
	return skb->len;
}
