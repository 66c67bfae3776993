// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec policy add|del|show|flush.
 */
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/kipsec.h>

#include "nl.h"
#include "nl_names.h"
#include "policy.h"
#include "sa.h"

/* Seen bits for policy words; selector words use 0..31 (see selector.c). */
enum { SEEN_DIR = 32, SEEN_PRIORITY, SEEN_ACTION, SEEN_TMPL, SEEN_INDEX };
/* Template words have their own set. */
enum { TSEEN_PROTO, TSEEN_MODE, TSEEN_REQID, TSEEN_SRC, TSEEN_DST, TSEEN_PER_CPU };

const char *kipsec_dir_name(uint32_t dir)
{
	switch (dir) {
	case KIPSEC_DIR_OUT:
		return "out";
	case KIPSEC_DIR_IN:
		return "in";
	case KIPSEC_DIR_FWD:
		return "fwd";
	}
	return "unknown";
}

const char *kipsec_action_name(uint32_t action)
{
	switch (action) {
	case KIPSEC_ACTION_PROTECT:
		return "protect";
	case KIPSEC_ACTION_BYPASS:
		return "bypass";
	case KIPSEC_ACTION_DISCARD:
		return "discard";
	}
	return "unknown";
}

/*
 * "tmpl [proto esp] mode tunnel|transport [reqid N] [src ADDR dst ADDR] [per-cpu]": the rest
 * of the line, or up to the next "tmpl" (a bundle).
 */
static int parse_tmpl(struct kipsec_argv *a, struct kipsec_tmpl *t, struct kipsec_err *e)
{
	static const char *const modes[] = { "transport", "tunnel", NULL };
	const char *kw, *s;
	uint64_t seen = 0;
	char what[16];
	int i;

	t->proto = IPPROTO_ESP;
	while ((kw = kipsec_argv_next(a))) {
		if (!strcmp(kw, "tmpl")) {
			a->i--;		/* the next template's */
			break;
		}
		snprintf(what, sizeof(what), "tmpl %s", kw);
		if (!strcmp(kw, "proto")) {
			if (kipsec_argv_once(&seen, TSEEN_PROTO, what, e) < 0 ||
			    !(s = kipsec_argv_value(a, what, "esp", e)))
				return -1;
			if (strcmp(s, "esp") && strcmp(s, "50") && strcmp(s, "ah") && strcmp(s, "51"))
				return kipsec_err(e, "tmpl proto: expected esp or ah, got \"%s\"", s);
			t->proto = s[0] == 'a' || s[1] == '1' ? IPPROTO_AH : IPPROTO_ESP;
		} else if (!strcmp(kw, "mode")) {
			if (kipsec_argv_once(&seen, TSEEN_MODE, what, e) < 0 ||
			    !(s = kipsec_argv_value(a, what, "tunnel or transport", e)) ||
			    kipsec_parse_word(what, s, modes, &i, e) < 0)
				return -1;
			t->mode = i ? KIPSEC_MODE_TUNNEL : KIPSEC_MODE_TRANSPORT;
		} else if (!strcmp(kw, "reqid")) {
			if (kipsec_argv_once(&seen, TSEEN_REQID, what, e) < 0 ||
			    !(s = kipsec_argv_value(a, what, "a number", e)) ||
			    kipsec_parse_u32(what, s, 0, UINT32_MAX, &t->reqid, e) < 0)
				return -1;
		} else if (!strcmp(kw, "per-cpu")) {
			if (kipsec_argv_once(&seen, TSEEN_PER_CPU, what, e) < 0)
				return -1;
			t->present |= 1U << KIPSEC_A_TMPL_PER_CPU;
		} else if (!strcmp(kw, "src") || !strcmp(kw, "dst")) {
			bool src = kw[0] == 's';

			if (kipsec_argv_once(&seen, src ? TSEEN_SRC : TSEEN_DST, what, e) < 0 ||
			    !(s = kipsec_argv_value(a, what, "an IPv4 or IPv6 address", e)) ||
			    kipsec_addr_parse(what, s, src ? &t->saddr : &t->daddr, e) < 0)
				return -1;
		} else {
			return kipsec_err(e, "tmpl: unknown argument \"%s\" (tmpl comes last; see kipsec help)",
					  kw);
		}
	}
	if (!(seen & (1ULL << TSEEN_MODE)))
		return kipsec_err(e, "tmpl: missing \"mode tunnel|transport\"");
	if (t->mode == KIPSEC_MODE_TUNNEL && (!t->saddr.family || !t->daddr.family))
		return kipsec_err(e, "tmpl: tunnel mode needs \"src ADDR dst ADDR\" (the tunnel endpoints)");
	if (t->mode == KIPSEC_MODE_TRANSPORT && (t->saddr.family || t->daddr.family))
		return kipsec_err(e, "tmpl: src and dst are for tunnel mode; transport uses the packet's");
	if (kipsec_addr_same_family("tmpl src and dst", &t->saddr, &t->daddr, e) < 0)
		return -1;
	t->present |= 1U << KIPSEC_A_TMPL_PROTO | 1U << KIPSEC_A_TMPL_MODE |
		      1U << KIPSEC_A_TMPL_REQID;
	if (t->saddr.family) {
		t->family = t->saddr.family;
		t->present |= 1U << KIPSEC_A_TMPL_FAMILY | 1U << KIPSEC_A_TMPL_SADDR |
			      1U << KIPSEC_A_TMPL_DADDR;
	}
	return 0;
}

/* What the kernel accepts as a bundle (nl_policy.c), said in the CLI's words. */
static int check_bundle(const struct kipsec_policy *pol, struct kipsec_err *e)
{
	const struct kipsec_tmpl *in = &pol->tmpl[0], *out = &pol->tmpl[1];

	if (in->proto != IPPROTO_ESP || out->proto != IPPROTO_AH)
		return kipsec_err(e, "tmpl: a bundle is \"tmpl proto esp ... tmpl proto ah ...\" (ESP inside, AH outside)");
	if (out->mode != KIPSEC_MODE_TRANSPORT)
		return kipsec_err(e, "tmpl: the outer ah of a bundle must be \"mode transport\"");
	if ((in->present | out->present) & (1U << KIPSEC_A_TMPL_PER_CPU))
		return kipsec_err(e, "tmpl: per-cpu does not go with a bundle");
	return 0;
}

static int parse_add(struct kipsec_argv *a, struct kipsec_policy *pol, struct kipsec_err *e)
{
	static const char *const dirs[] = { "out", "in", "fwd", NULL };
	static const char *const actions[] = { "protect", "bypass", "discard", NULL };
	static const uint32_t dir_vals[] = { KIPSEC_DIR_OUT, KIPSEC_DIR_IN, KIPSEC_DIR_FWD };
	static const uint32_t action_vals[] = { KIPSEC_ACTION_PROTECT, KIPSEC_ACTION_BYPASS,
						KIPSEC_ACTION_DISCARD };
	const char *kw, *s;
	uint64_t seen = 0;
	int i, r;

	while ((kw = kipsec_argv_next(a))) {
		if (!strcmp(kw, "dir")) {
			if (kipsec_argv_once(&seen, SEEN_DIR, kw, e) < 0 ||
			    !(s = kipsec_argv_value(a, kw, "out, in or fwd", e)) ||
			    kipsec_parse_word(kw, s, dirs, &i, e) < 0)
				return -1;
			pol->dir = dir_vals[i];
		} else if (!strcmp(kw, "priority")) {
			if (kipsec_argv_once(&seen, SEEN_PRIORITY, kw, e) < 0 ||
			    !(s = kipsec_argv_value(a, kw, "a number", e)) ||
			    kipsec_parse_u32(kw, s, 0, UINT32_MAX, &pol->priority, e) < 0)
				return -1;
			pol->present |= 1U << KIPSEC_A_POLICY_PRIORITY;
		} else if (!strcmp(kw, "action")) {
			if (kipsec_argv_once(&seen, SEEN_ACTION, kw, e) < 0 ||
			    !(s = kipsec_argv_value(a, kw, "protect, bypass or discard", e)) ||
			    kipsec_parse_word(kw, s, actions, &i, e) < 0)
				return -1;
			pol->action = action_vals[i];
		} else if (!strcmp(kw, "tmpl")) {
			if (pol->ntmpl == KIPSEC_POLICY_MAX_TMPL)
				return kipsec_err(e, "%s: at most 2 tmpl (a bundle: esp, then ah)",
						  a->cmd);
			if (parse_tmpl(a, &pol->tmpl[pol->ntmpl++], e) < 0)
				return -1;
			seen |= 1ULL << SEEN_TMPL;
		} else {
			r = kipsec_sel_parse_word(kw, a, &pol->sel, &seen, e);
			if (r < 0)
				return -1;
			if (!r)
				return kipsec_err(e, "%s: unknown argument \"%s\" (see kipsec help)",
						  a->cmd, kw);
		}
	}
	if (!(seen & (1ULL << SEEN_DIR)))
		return kipsec_err(e, "%s: missing \"dir out|in|fwd\"", a->cmd);
	if (!(seen & (1ULL << SEEN_ACTION)))
		return kipsec_err(e, "%s: missing \"action protect|bypass|discard\"", a->cmd);
	if (pol->action == KIPSEC_ACTION_PROTECT && !(seen & (1ULL << SEEN_TMPL)))
		return kipsec_err(e, "%s: action protect needs \"tmpl [proto esp] mode tunnel|transport ...\"",
				  a->cmd);
	if (pol->action != KIPSEC_ACTION_PROTECT && (seen & (1ULL << SEEN_TMPL)))
		return kipsec_err(e, "%s: tmpl only goes with action protect", a->cmd);
	if (pol->ntmpl > 1 && check_bundle(pol, e) < 0)
		return -1;
	if (kipsec_sel_finish(&pol->sel, seen, e) < 0)
		return -1;
	pol->present |= 1U << KIPSEC_A_POLICY_DIR | 1U << KIPSEC_A_POLICY_ACTION |
			1U << KIPSEC_A_POLICY_SELECTOR;
	if (seen & (1ULL << SEEN_TMPL))
		pol->present |= 1U << KIPSEC_A_POLICY_TMPL;
	return 0;
}

int kipsec_policy_parse_cmd(int argc, char **argv, struct kipsec_policy_cmd *cmd,
			    struct kipsec_err *e)
{
	static const char *const ops[] = { "add", "del", "show", "flush", NULL };
	static const char *const names[] = { "policy add", "policy del", "policy show", "policy flush" };
	struct kipsec_argv a = { .argc = argc, .argv = argv, .i = 1 };
	const char *s;
	int op;

	memset(cmd, 0, sizeof(*cmd));
	if (!argc)
		return kipsec_err(e, "policy: missing command, expected add, del, show or flush");
	if (!strcmp(argv[0], "list"))
		op = KIPSEC_POLICY_SHOW;
	else if (kipsec_parse_word("policy", argv[0], ops, &op, e) < 0)
		return -1;
	cmd->op = op;
	a.cmd = names[op];
	switch (cmd->op) {
	case KIPSEC_POLICY_ADD:
		return parse_add(&a, &cmd->pol, e);
	case KIPSEC_POLICY_DEL:
		if (!kipsec_argv_more(&a) || strcmp(argv[a.i], "index"))
			return kipsec_err(e, "%s: expected \"index N\"", a.cmd);
		a.i++;
		if (!(s = kipsec_argv_value(&a, "index", "a number", e)) ||
		    kipsec_parse_u32("index", s, 0, UINT32_MAX, &cmd->pol.index, e) < 0)
			return -1;
		cmd->pol.present |= 1U << KIPSEC_A_POLICY_INDEX;
		break;
	default:
		break;
	}
	if (kipsec_argv_more(&a))
		return kipsec_err(e, "%s: unexpected argument \"%s\"", a.cmd, argv[a.i]);
	return 0;
}

uint8_t kipsec_policy_genl_cmd(const struct kipsec_policy_cmd *cmd, uint16_t *flags)
{
	*flags = 0;
	switch (cmd->op) {
	case KIPSEC_POLICY_ADD:
		return KIPSEC_CMD_POLICY_ADD;
	case KIPSEC_POLICY_DEL:
		return KIPSEC_CMD_POLICY_DEL;
	case KIPSEC_POLICY_SHOW:
		*flags = NLM_F_DUMP;
		return KIPSEC_CMD_POLICY_GET;
	case KIPSEC_POLICY_FLUSH:
		break;
	}
	return KIPSEC_CMD_POLICY_FLUSH;
}

static void put_tmpl(struct nlmsghdr *nlh, const struct kipsec_tmpl *t)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY_TMPL);

	if (t->present & (1U << KIPSEC_A_TMPL_FAMILY)) {
		mnl_attr_put_u32(nlh, KIPSEC_A_TMPL_FAMILY, t->family);
		mnl_attr_put(nlh, KIPSEC_A_TMPL_SADDR, t->saddr.len, t->saddr.bytes);
		mnl_attr_put(nlh, KIPSEC_A_TMPL_DADDR, t->daddr.len, t->daddr.bytes);
	}
	mnl_attr_put_u32(nlh, KIPSEC_A_TMPL_PROTO, t->proto);
	mnl_attr_put_u32(nlh, KIPSEC_A_TMPL_MODE, t->mode);
	mnl_attr_put_u32(nlh, KIPSEC_A_TMPL_REQID, t->reqid);
	if (t->present & (1U << KIPSEC_A_TMPL_PER_CPU))
		mnl_attr_put(nlh, KIPSEC_A_TMPL_PER_CPU, 0, NULL);
	mnl_attr_nest_end(nlh, nest);
}

void kipsec_policy_put(struct nlmsghdr *nlh, const struct kipsec_policy_cmd *cmd)
{
	const struct kipsec_policy *pol = &cmd->pol;

	if (KIPSEC_POLICY_HAS(pol, KIPSEC_A_POLICY_INDEX))
		mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_INDEX, pol->index);
	if (cmd->op != KIPSEC_POLICY_ADD)
		return;
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_DIR, pol->dir);
	if (KIPSEC_POLICY_HAS(pol, KIPSEC_A_POLICY_PRIORITY))
		mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_PRIORITY, pol->priority);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_ACTION, pol->action);
	kipsec_sel_put(nlh, KIPSEC_A_POLICY_SELECTOR, &pol->sel);
	for (unsigned int i = 0; i < pol->ntmpl; i++)
		put_tmpl(nlh, &pol->tmpl[i]);
}

static int parse_tmpl_nest(const struct nlattr *nest, struct kipsec_tmpl *t)
{
	const struct nlattr *a;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -1;
	mnl_attr_for_each_nested(a, nest) {
		int type = mnl_attr_get_type(a);

		switch (type) {
		case KIPSEC_A_TMPL_SADDR:
			if (kipsec_addr_from_attr(a, &t->saddr) < 0)
				return -1;
			break;
		case KIPSEC_A_TMPL_DADDR:
			if (kipsec_addr_from_attr(a, &t->daddr) < 0)
				return -1;
			break;
		case KIPSEC_A_TMPL_FAMILY:
		case KIPSEC_A_TMPL_PROTO:
		case KIPSEC_A_TMPL_MODE:
		case KIPSEC_A_TMPL_REQID:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return -1;
			*(type == KIPSEC_A_TMPL_FAMILY ? &t->family :
			  type == KIPSEC_A_TMPL_PROTO ? &t->proto :
			  type == KIPSEC_A_TMPL_MODE ? &t->mode : &t->reqid) = mnl_attr_get_u32(a);
			break;
		case KIPSEC_A_TMPL_PER_CPU:
			if (mnl_attr_validate(a, MNL_TYPE_FLAG) < 0)
				return -1;
			break;
		default:
			continue;
		}
		t->present |= 1U << type;
	}
	if ((t->saddr.len || t->daddr.len) &&
	    (!kipsec_family_len(t->family) || !kipsec_addr_fits(&t->saddr, t->family) ||
	     !kipsec_addr_fits(&t->daddr, t->family)))
		return -1;
	return 0;
}

int kipsec_policy_parse_attrs(const void *payload, size_t len, struct kipsec_policy *pol)
{
	const struct nlattr *attr;	/* the name mnl_attr_for_each_payload() uses */

	memset(pol, 0, sizeof(*pol));
	mnl_attr_for_each_payload(payload, len) {
		int type = mnl_attr_get_type(attr);

		switch (type) {
		case KIPSEC_A_POLICY_INDEX:
		case KIPSEC_A_POLICY_DIR:
		case KIPSEC_A_POLICY_PRIORITY:
		case KIPSEC_A_POLICY_ACTION:
			if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
				return -1;
			*(type == KIPSEC_A_POLICY_INDEX ? &pol->index :
			  type == KIPSEC_A_POLICY_DIR ? &pol->dir :
			  type == KIPSEC_A_POLICY_PRIORITY ? &pol->priority : &pol->action) =
				mnl_attr_get_u32(attr);
			break;
		case KIPSEC_A_POLICY_SELECTOR:
			if (kipsec_sel_parse_nest(attr, &pol->sel) < 0)
				return -1;
			break;
		case KIPSEC_A_POLICY_TMPL:
			/* Repeated for a bundle, innermost first; more than we know is malformed. */
			if (pol->ntmpl == KIPSEC_POLICY_MAX_TMPL ||
			    parse_tmpl_nest(attr, &pol->tmpl[pol->ntmpl++]) < 0)
				return -1;
			break;
		case KIPSEC_A_POLICY_PACKETS:
			if (mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
				return -1;
			pol->packets = mnl_attr_get_u64(attr);
			break;
		default:
			continue;
		}
		pol->present |= 1U << type;
	}
	if (!KIPSEC_POLICY_HAS(pol, KIPSEC_A_POLICY_INDEX) ||
	    !KIPSEC_POLICY_HAS(pol, KIPSEC_A_POLICY_DIR) ||
	    !KIPSEC_POLICY_HAS(pol, KIPSEC_A_POLICY_ACTION) ||
	    !KIPSEC_POLICY_HAS(pol, KIPSEC_A_POLICY_SELECTOR))
		return -1;
	return 0;
}

int kipsec_policy_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct kipsec_policy_list *l = data;
	size_t hdr = MNL_ALIGN(sizeof(struct genlmsghdr));

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		l->interrupted = true;
	if (nlh->nlmsg_len < mnl_nlmsg_size(hdr))
		goto bad;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct kipsec_policy *p = realloc(l->pols, cap * sizeof(*p));

		if (!p)
			return MNL_CB_ERROR;
		l->pols = p;
		l->cap = cap;
	}
	if (kipsec_policy_parse_attrs(mnl_nlmsg_get_payload_offset(nlh, sizeof(struct genlmsghdr)),
				      nlh->nlmsg_len - mnl_nlmsg_size(hdr), &l->pols[l->n]) < 0)
		goto bad;
	l->n++;
	return MNL_CB_OK;
bad:
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

void kipsec_policy_list_free(struct kipsec_policy_list *l)
{
	free(l->pols);
	memset(l, 0, sizeof(*l));
}

int kipsec_policy_index_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;
	uint32_t *index = data;
	bool found = false;

	if (nlh->nlmsg_len < mnl_nlmsg_size(MNL_ALIGN(sizeof(struct genlmsghdr))))
		goto bad;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) != KIPSEC_A_POLICY_INDEX)
			continue;
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			goto bad;
		*index = mnl_attr_get_u32(a);
		found = true;
	}
	if (found)
		return MNL_CB_OK;
bad:
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

static void print_tmpl(FILE *f, const struct kipsec_tmpl *t)
{
	char s[KIPSEC_ADDR_STRLEN], p[12];

	fprintf(f, "tmpl %s %s reqid %u", kipsec_ipproto_name(t->proto, p, sizeof(p)),
		kipsec_mode_name(t->mode), t->reqid);
	if (t->saddr.len)
		fprintf(f, " src %s", kipsec_addr_str(&t->saddr, s));
	if (t->daddr.len)
		fprintf(f, " dst %s", kipsec_addr_str(&t->daddr, s));
	if (t->present & (1U << KIPSEC_A_TMPL_PER_CPU))
		fputs(" per-cpu", f);
}

void kipsec_policy_print(FILE *f, const struct kipsec_policy *pol)
{
	fprintf(f, "dir %s priority %u index %u action %s", kipsec_dir_name(pol->dir),
		pol->priority, pol->index, kipsec_action_name(pol->action));
	if (KIPSEC_POLICY_HAS(pol, KIPSEC_A_POLICY_PACKETS))
		fprintf(f, " packets %" PRIu64, pol->packets);
	fputs("\n    ", f);
	kipsec_sel_print(f, &pol->sel);
	fputc('\n', f);
	for (unsigned int i = 0; i < pol->ntmpl; i++) {
		fputs("    ", f);
		print_tmpl(f, &pol->tmpl[i]);
		fputc('\n', f);
	}
}

static void print_tmpl_json(FILE *f, const struct kipsec_tmpl *t)
{
	char s[KIPSEC_ADDR_STRLEN], p[12];

	fprintf(f, "{\"proto\":\"%s\",\"mode\":\"%s\",\"reqid\":%u",
		kipsec_ipproto_name(t->proto, p, sizeof(p)), kipsec_mode_name(t->mode), t->reqid);
	if (t->saddr.len)
		fprintf(f, ",\"src\":\"%s\"", kipsec_addr_str(&t->saddr, s));
	if (t->daddr.len)
		fprintf(f, ",\"dst\":\"%s\"", kipsec_addr_str(&t->daddr, s));
	if (t->present & (1U << KIPSEC_A_TMPL_PER_CPU))
		fputs(",\"per_cpu\":true", f);
	fputc('}', f);
}

/*
 * "tmpl": the innermost template (the only one but for bundles), as before
 * bundles; a bundle adds "tmpls": all of them, innermost first.
 */
void kipsec_policy_print_json(FILE *f, const struct kipsec_policy *pol)
{
	fprintf(f, "{\"index\":%u,\"dir\":\"%s\",\"priority\":%u,\"action\":\"%s\"", pol->index,
		kipsec_dir_name(pol->dir), pol->priority, kipsec_action_name(pol->action));
	if (KIPSEC_POLICY_HAS(pol, KIPSEC_A_POLICY_PACKETS))
		fprintf(f, ",\"packets\":%" PRIu64, pol->packets);
	fputs(",\"selector\":", f);
	kipsec_sel_print_json(f, &pol->sel);
	if (pol->ntmpl) {
		fputs(",\"tmpl\":", f);
		print_tmpl_json(f, &pol->tmpl[0]);
	}
	if (pol->ntmpl > 1) {
		fputs(",\"tmpls\":[", f);
		for (unsigned int i = 0; i < pol->ntmpl; i++) {
			if (i)
				fputc(',', f);
			print_tmpl_json(f, &pol->tmpl[i]);
		}
		fputc(']', f);
	}
	fputc('}', f);
}

static int show(struct kipsec_nl *nl, void *buf, const struct kipsec_policy_cmd *cmd, bool json,
		struct kipsec_nl_error *err)
{
	struct kipsec_policy_list list = { 0 };
	int tries, ret = -1;
	size_t i;

	for (tries = 0; tries < 5; tries++) {
		uint16_t flags;
		uint8_t gcmd = kipsec_policy_genl_cmd(cmd, &flags);
		struct nlmsghdr *nlh = kipsec_nl_request(nl, buf, gcmd, flags);

		kipsec_policy_list_free(&list);
		if (kipsec_nl_talk(nl, nlh, kipsec_policy_list_cb, &list, err) < 0)
			goto out;
		if (!list.interrupted)
			break;
	}
	if (list.interrupted)
		fprintf(stderr, "kipsec: warning: policies kept changing during the dump; output may be inconsistent\n");
	if (json)
		fputc('[', stdout);
	for (i = 0; i < list.n; i++) {
		if (json) {
			if (i)
				fputc(',', stdout);
			kipsec_policy_print_json(stdout, &list.pols[i]);
		} else {
			kipsec_policy_print(stdout, &list.pols[i]);
		}
	}
	if (json)
		fputs("]\n", stdout);
	ret = 0;
out:
	kipsec_policy_list_free(&list);
	return ret;
}

int cmd_policy(int argc, char **argv, bool json)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct kipsec_policy_cmd cmd;
	struct kipsec_nl_error err;
	struct kipsec_err e;
	struct kipsec_nl nl;
	int ret = 1;

	if (kipsec_policy_parse_cmd(argc, argv, &cmd, &e) < 0) {
		fprintf(stderr, "kipsec: %s\n", e.msg);
		return 1;
	}
	if (kipsec_nl_open(&nl) < 0)
		return 1;
	if (cmd.op == KIPSEC_POLICY_SHOW) {
		if (show(&nl, buf, &cmd, json, &err) < 0)
			goto err_nl;
	} else {
		uint16_t flags;
		uint8_t gcmd = kipsec_policy_genl_cmd(&cmd, &flags);
		struct nlmsghdr *nlh = kipsec_nl_request(&nl, buf, gcmd, flags);
		uint32_t index = 0;

		kipsec_policy_put(nlh, &cmd);
		if (kipsec_nl_talk(&nl, nlh, cmd.op == KIPSEC_POLICY_ADD ? kipsec_policy_index_cb : NULL,
				   &index, &err) < 0)
			goto err_nl;
		if (cmd.op == KIPSEC_POLICY_ADD)
			printf(json ? "{\"index\":%u}\n" : "index %u\n", index);
	}
	ret = fflush(stdout) ? 1 : 0;
	goto out;
err_nl:
	kipsec_nl_perror(&err, kipsec_policy_attr_names, KIPSEC_A_POLICY_MAX + 1);
out:
	kipsec_nl_close(&nl);
	return ret;
}
