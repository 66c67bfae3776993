// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink requests on policies: add, delete, dump, flush; and the policy,
 * selector and flow encodings shared with events.
 */
#include <linux/in.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "events.h"
#include "nl_common.h"
#include "nl_gen.h"
#include "policy.h"
#include "sa.h"

static u32 get_u32(struct nlattr **tb, int attr, u32 def)
{
	return tb[attr] ? nla_get_u32(tb[attr]) : def;
}

static int parse_selector(struct nlattr *attr, struct kipsec_selector *sel,
			  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[KIPSEC_A_SELECTOR_MAX + 1];
	const char *why = NULL;
	int ret;

	ret = nla_parse_nested(tb, KIPSEC_A_SELECTOR_MAX, attr, kipsec_selector_nl_policy, extack);
	if (ret)
		return ret;
	if (KIPSEC_REQUIRE(extack, attr, tb, KIPSEC_A_SELECTOR_FAMILY,
			   "selector family is required"))
		return -EINVAL;
	memset(sel, 0, sizeof(*sel));
	ret = kipsec_nl_get_family(tb[KIPSEC_A_SELECTOR_FAMILY], &sel->family, extack);
	if (ret)
		return ret;
	if (tb[KIPSEC_A_SELECTOR_SADDR]) {
		ret = kipsec_nl_get_addr(tb[KIPSEC_A_SELECTOR_SADDR], sel->family, &sel->saddr,
					 extack);
		if (ret)
			return ret;
	}
	if (tb[KIPSEC_A_SELECTOR_DADDR]) {
		ret = kipsec_nl_get_addr(tb[KIPSEC_A_SELECTOR_DADDR], sel->family, &sel->daddr,
					 extack);
		if (ret)
			return ret;
	}
	sel->sprefix = get_u32(tb, KIPSEC_A_SELECTOR_SPREFIX, 0);
	sel->dprefix = get_u32(tb, KIPSEC_A_SELECTOR_DPREFIX, 0);
	sel->proto = get_u32(tb, KIPSEC_A_SELECTOR_PROTO, 0);
	sel->sport_lo = get_u32(tb, KIPSEC_A_SELECTOR_SPORT_MIN, 0);
	sel->sport_hi = get_u32(tb, KIPSEC_A_SELECTOR_SPORT_MAX, 65535);
	sel->dport_lo = get_u32(tb, KIPSEC_A_SELECTOR_DPORT_MIN, 0);
	sel->dport_hi = get_u32(tb, KIPSEC_A_SELECTOR_DPORT_MAX, 65535);
	if (kipsec_selector_check(sel, &why)) {
		/* @why is a static string: extack keeps the pointer, not a copy. */
		if (extack) {
			extack->_msg = why;
			extack->bad_attr = attr;
		}
		return -EINVAL;
	}
	return 0;
}

static int parse_tmpl(struct nlattr *attr, struct kipsec_tmpl *t, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[KIPSEC_A_TMPL_MAX + 1];
	int ret;

	ret = nla_parse_nested(tb, KIPSEC_A_TMPL_MAX, attr, kipsec_tmpl_nl_policy, extack);
	if (ret)
		return ret;
	if (KIPSEC_REQUIRE(extack, attr, tb, KIPSEC_A_TMPL_MODE, "template mode is required"))
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	t->mode = nla_get_u32(tb[KIPSEC_A_TMPL_MODE]);
	/* The policy allows 50 and 51 only: ESP or AH. */
	t->proto = get_u32(tb, KIPSEC_A_TMPL_PROTO, IPPROTO_ESP);
	t->reqid = get_u32(tb, KIPSEC_A_TMPL_REQID, 0);
	t->per_cpu = nla_get_flag(tb[KIPSEC_A_TMPL_PER_CPU]);
	if (t->mode != KIPSEC_MODE_TUNNEL) {
		struct nlattr *ep = tb[KIPSEC_A_TMPL_SADDR] ?: tb[KIPSEC_A_TMPL_DADDR];

		if (ep) {
			NL_SET_ERR_MSG_ATTR(extack, ep,
					    "transport mode uses the packet's addresses: no endpoints");
			return -EINVAL;
		}
		return 0;
	}
	if (KIPSEC_REQUIRE(extack, attr, tb, KIPSEC_A_TMPL_FAMILY,
			   "tunnel mode needs the endpoints' family") ||
	    KIPSEC_REQUIRE(extack, attr, tb, KIPSEC_A_TMPL_SADDR, "tunnel mode needs a source") ||
	    KIPSEC_REQUIRE(extack, attr, tb, KIPSEC_A_TMPL_DADDR,
			   "tunnel mode needs a destination"))
		return -EINVAL;
	ret = kipsec_nl_get_family(tb[KIPSEC_A_TMPL_FAMILY], &t->family, extack);
	if (!ret)
		ret = kipsec_nl_get_addr(tb[KIPSEC_A_TMPL_SADDR], t->family, &t->saddr, extack);
	if (!ret)
		ret = kipsec_nl_get_addr(tb[KIPSEC_A_TMPL_DADDR], t->family, &t->daddr, extack);
	return ret;
}

/*
 * The policy's templates: every KIPSEC_A_POLICY_TMPL of the request, in
 * order (the attribute repeats for a bundle; tb[] only holds the last).
 * A bundle is ESP inside AH, the AH layer in transport mode: between the
 * ESP tunnel's endpoints, or the packet's hosts when ESP is transport too.
 * Those are the combinations native xfrm builds from the same templates
 * and the ones the input path can check.
 */
static int parse_tmpls(struct genl_info *info, struct kipsec_policy *pol,
		       struct netlink_ext_ack *extack)
{
	struct kipsec_tmpl *inner = &pol->tmpl[0], *outer = &pol->tmpl[1];
	struct nlattr *nests[KIPSEC_MAX_TMPL];
	const struct nlattr *a;
	int rem, ret, i;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != KIPSEC_A_POLICY_TMPL)
			continue;
		if (pol->ntmpl == KIPSEC_MAX_TMPL) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "at most 2 templates: ESP inside, AH outside");
			return -EINVAL;
		}
		nests[pol->ntmpl++] = (struct nlattr *)a;
	}
	for (i = 0; i < pol->ntmpl; i++) {
		ret = parse_tmpl(nests[i], &pol->tmpl[i], extack);
		if (ret)
			return ret;
		if (pol->ntmpl > 1 && pol->tmpl[i].per_cpu) {
			NL_SET_ERR_MSG_ATTR(extack, nests[i], "per-cpu SAs are not for bundles");
			return -EINVAL;
		}
	}
	if (inner->mode == KIPSEC_MODE_TRANSPORT)
		inner->family = pol->sel.family;
	if (pol->ntmpl == 1)
		return 0;
	if (inner->proto != IPPROTO_ESP || outer->proto != IPPROTO_AH) {
		NL_SET_ERR_MSG_ATTR(extack, nests[inner->proto != IPPROTO_ESP ? 0 : 1],
				    "a bundle is ESP inside AH: the first template ESP, the second AH");
		return -EINVAL;
	}
	if (outer->mode != KIPSEC_MODE_TRANSPORT) {
		NL_SET_ERR_MSG_ATTR(extack, nests[1],
				    "the outer AH template of a bundle must be transport mode");
		return -EINVAL;
	}
	/* AH protects the packet ESP produced: its outer addresses are ESP's. */
	outer->family = inner->family;
	return 0;
}

int kipsec_nl_policy_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_pernet(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **tb = info->attrs;
	struct kipsec_policy *pol;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	if (KIPSEC_REQUIRE(extack, NULL, tb, KIPSEC_A_POLICY_DIR, "policy direction is required") ||
	    KIPSEC_REQUIRE(extack, NULL, tb, KIPSEC_A_POLICY_ACTION, "policy action is required") ||
	    KIPSEC_REQUIRE(extack, NULL, tb, KIPSEC_A_POLICY_SELECTOR,
			   "policy selector is required"))
		return -EINVAL;
	pol = kipsec_policy_alloc();
	if (!pol)
		return -ENOMEM;
	pol->dir = nla_get_u32(tb[KIPSEC_A_POLICY_DIR]);
	pol->action = nla_get_u32(tb[KIPSEC_A_POLICY_ACTION]);
	pol->priority = get_u32(tb, KIPSEC_A_POLICY_PRIORITY, 0);
	ret = parse_selector(tb[KIPSEC_A_POLICY_SELECTOR], &pol->sel, extack);
	if (ret)
		goto err_free;
	ret = -EINVAL;
	if (pol->action == KIPSEC_ACTION_PROTECT) {
		if (KIPSEC_REQUIRE(extack, NULL, tb, KIPSEC_A_POLICY_TMPL,
				   "action protect needs a template"))
			goto err_free;
		ret = parse_tmpls(info, pol, extack);
		if (ret)
			goto err_free;
		ret = -EINVAL;
	} else if (tb[KIPSEC_A_POLICY_TMPL]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KIPSEC_A_POLICY_TMPL],
				    "only action protect takes a template");
		goto err_free;
	}

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	ret = -ENOMEM;
	if (!msg)
		goto err_free;
	mutex_lock(&kn->lock);
	ret = kipsec_policy_add(kn, pol, extack);
	mutex_unlock(&kn->lock);
	if (ret) {
		if (ret == -EEXIST && extack)
			extack->bad_attr = tb[KIPSEC_A_POLICY_SELECTOR];
		nlmsg_free(msg);
		goto err_free;
	}
	/* The policy is in; a reply that cannot be built only loses its index. */
	hdr = genlmsg_put_reply(msg, info, &kipsec_genl_family, 0, info->genlhdr->cmd);
	if (!hdr || nla_put_u32(msg, KIPSEC_A_POLICY_INDEX, pol->index)) {
		nlmsg_free(msg);
		return 0;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	kipsec_policy_free(pol);
	return ret;
}

int kipsec_nl_policy_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_pernet(genl_info_net(info));
	int ret;

	if (KIPSEC_REQUIRE(info->extack, NULL, info->attrs, KIPSEC_A_POLICY_INDEX,
			   "policy index is required"))
		return -EINVAL;
	mutex_lock(&kn->lock);
	ret = kipsec_policy_del(kn, nla_get_u32(info->attrs[KIPSEC_A_POLICY_INDEX]));
	mutex_unlock(&kn->lock);
	if (ret)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KIPSEC_A_POLICY_INDEX],
				    "no policy with this index");
	return ret;
}

int kipsec_nl_policy_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_pernet(genl_info_net(info));

	mutex_lock(&kn->lock);
	kipsec_policy_flush(kn);
	mutex_unlock(&kn->lock);
	return 0;
}

static int put_selector(struct sk_buff *msg, int attr, const struct kipsec_selector *sel)
{
	struct nlattr *nest = nla_nest_start(msg, attr);
	u16 f = sel->family;

	if (!nest ||
	    nla_put_u32(msg, KIPSEC_A_SELECTOR_FAMILY, f) ||
	    kipsec_nl_put_addr(msg, KIPSEC_A_SELECTOR_SADDR, f, &sel->saddr) ||
	    nla_put_u32(msg, KIPSEC_A_SELECTOR_SPREFIX, sel->sprefix) ||
	    kipsec_nl_put_addr(msg, KIPSEC_A_SELECTOR_DADDR, f, &sel->daddr) ||
	    nla_put_u32(msg, KIPSEC_A_SELECTOR_DPREFIX, sel->dprefix) ||
	    nla_put_u32(msg, KIPSEC_A_SELECTOR_PROTO, sel->proto) ||
	    nla_put_u32(msg, KIPSEC_A_SELECTOR_SPORT_MIN, sel->sport_lo) ||
	    nla_put_u32(msg, KIPSEC_A_SELECTOR_SPORT_MAX, sel->sport_hi) ||
	    nla_put_u32(msg, KIPSEC_A_SELECTOR_DPORT_MIN, sel->dport_lo) ||
	    nla_put_u32(msg, KIPSEC_A_SELECTOR_DPORT_MAX, sel->dport_hi))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* A packet's flow as a selector of one host pair (ports exact when known). */
int kipsec_nl_put_flow(struct sk_buff *msg, int attr, const struct kipsec_flow *fl)
{
	struct kipsec_selector sel = {
		.family = fl->family,
		.proto = fl->proto,
		.saddr = fl->saddr,
		.daddr = fl->daddr,
		.sprefix = fl->family == AF_INET ? 32 : 128,
		.dprefix = fl->family == AF_INET ? 32 : 128,
		.sport_lo = 0, .sport_hi = 65535,
		.dport_lo = 0, .dport_hi = 65535,
	};

	if (kipsec_proto_has_ports(fl->proto) && !fl->ports_opaque) {
		sel.sport_lo = fl->sport;
		sel.sport_hi = fl->sport;
		sel.dport_lo = fl->dport;
		sel.dport_hi = fl->dport;
	}
	return put_selector(msg, attr, &sel);
}

static int put_tmpl(struct sk_buff *msg, const struct kipsec_tmpl *t)
{
	struct nlattr *nest = nla_nest_start(msg, KIPSEC_A_POLICY_TMPL);

	if (!nest ||
	    nla_put_u32(msg, KIPSEC_A_TMPL_PROTO, t->proto) ||
	    nla_put_u32(msg, KIPSEC_A_TMPL_MODE, t->mode) ||
	    nla_put_u32(msg, KIPSEC_A_TMPL_REQID, t->reqid) ||
	    (t->per_cpu && nla_put_flag(msg, KIPSEC_A_TMPL_PER_CPU)))
		return -EMSGSIZE;
	if (t->mode == KIPSEC_MODE_TUNNEL &&
	    (nla_put_u32(msg, KIPSEC_A_TMPL_FAMILY, t->family) ||
	     kipsec_nl_put_addr(msg, KIPSEC_A_TMPL_SADDR, t->family, &t->saddr) ||
	     kipsec_nl_put_addr(msg, KIPSEC_A_TMPL_DADDR, t->family, &t->daddr)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* Innermost first, as they were added. */
static int put_tmpls(struct sk_buff *msg, const struct kipsec_policy *pol)
{
	int i;

	for (i = 0; i < pol->ntmpl; i++)
		if (put_tmpl(msg, &pol->tmpl[i]))
			return -EMSGSIZE;
	return 0;
}

int kipsec_nl_put_policy(struct sk_buff *msg, const struct kipsec_policy *pol)
{
	if (nla_put_u32(msg, KIPSEC_A_POLICY_INDEX, pol->index) ||
	    nla_put_u32(msg, KIPSEC_A_POLICY_DIR, pol->dir) ||
	    nla_put_u32(msg, KIPSEC_A_POLICY_PRIORITY, pol->priority) ||
	    nla_put_u32(msg, KIPSEC_A_POLICY_ACTION, pol->action) ||
	    put_selector(msg, KIPSEC_A_POLICY_SELECTOR, &pol->sel) ||
	    put_tmpls(msg, pol) ||
	    nla_put_u64_64bit(msg, KIPSEC_A_POLICY_PACKETS, kipsec_policy_packets(pol),
			      KIPSEC_A_POLICY_PAD))
		return -EMSGSIZE;
	return 0;
}

/*
 * Dump: out, then in, then fwd, each in lookup order. cb->args[0] counts the
 * policies sent; an SPD change mid-dump is flagged with NLM_F_DUMP_INTR.
 */
int kipsec_nl_policy_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kipsec_net *kn = kipsec_pernet(sock_net(skb->sk));
	struct kipsec_policy *pol;
	long skip = cb->args[0], i = 0;
	void *hdr;
	int dir;

	mutex_lock(&kn->lock);
	cb->seq = kn->policy_next_index + kn->policy_count + 1;
	for (dir = 0; dir < KIPSEC_DIRS; dir++) {
		list_for_each_entry(pol, &kn->spd[dir], list) {
			if (i++ < skip)
				continue;
			hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
					  &kipsec_genl_family, NLM_F_MULTI, KIPSEC_CMD_POLICY_GET);
			if (!hdr)
				goto out;
			genl_dump_check_consistent(cb, hdr);
			if (kipsec_nl_put_policy(skb, pol)) {
				genlmsg_cancel(skb, hdr);
				goto out;
			}
			genlmsg_end(skb, hdr);
			cb->args[0]++;
		}
	}
out:
	mutex_unlock(&kn->lock);
	return skb->len;
}
