// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec sa add|update|del|get|show|flush: parsing the command line and
 * building the request.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/kipsec.h>

#include "nl.h"
#include "nl_names.h"
#include "sa.h"

#define SPI_EXPECT "a number 256..4294967295"

static const char *const op_names[] = {
	[KIPSEC_SA_ADD] = "add", [KIPSEC_SA_UPDATE] = "update", [KIPSEC_SA_DEL] = "del",
	[KIPSEC_SA_GET] = "get", [KIPSEC_SA_SHOW] = "show", [KIPSEC_SA_FLUSH] = "flush", NULL,
};

/* Bits of "seen" for words that are not attributes. */
enum { SEEN_KEYS = 40, SEEN_LIFETIME = 48 };

static int parse_proto(const char *s, struct kipsec_sa *sa, struct kipsec_err *e)
{
	if (!strcmp(s, "esp") || !strcmp(s, "50"))
		sa->proto = IPPROTO_ESP;
	else if (!strcmp(s, "ah") || !strcmp(s, "51"))
		sa->proto = IPPROTO_AH;
	else
		return kipsec_err(e, "proto: expected esp or ah, got \"%s\"", s);
	return 0;
}

static int parse_mode(const char *s, uint32_t *mode, struct kipsec_err *e)
{
	static const char *const modes[] = { "transport", "tunnel", NULL };
	int i;

	if (kipsec_parse_word("mode", s, modes, &i, e) < 0)
		return -1;
	*mode = i ? KIPSEC_MODE_TUNNEL : KIPSEC_MODE_TRANSPORT;
	return 0;
}

/* "soft|hard (bytes|packets|add-secs|use-secs) N" after soft/hard was consumed. */
static int parse_lifetime(struct kipsec_argv *a, bool hard, uint64_t *seen, struct kipsec_sa *sa,
			  struct kipsec_err *e)
{
	static const char *const kinds[] = { "bytes", "packets", "add-secs", "use-secs", NULL };
	const char *kw = hard ? "hard" : "soft", *s;
	char what[32];
	int kind, attr;

	s = kipsec_argv_value(a, kw, "bytes, packets, add-secs or use-secs", e);
	if (!s || kipsec_parse_word(kw, s, kinds, &kind, e) < 0)
		return -1;
	/* soft-bytes, hard-bytes, soft-packets, ... alternate in the spec. */
	attr = KIPSEC_A_LIFETIME_SOFT_BYTES + 2 * kind + hard;
	snprintf(what, sizeof(what), "%s %s", kw, kinds[kind]);
	if (kipsec_argv_once(seen, SEEN_LIFETIME + (unsigned int)attr, what, e) < 0)
		return -1;
	s = kipsec_argv_value(a, what, "a number", e);
	if (!s || kipsec_parse_u64(what, s, &sa->lifetime[attr], e) < 0)
		return -1;
	sa->lifetime_present |= 1U << attr;
	return 0;
}

static int parse_alg(struct kipsec_argv *a, enum kipsec_key_kind kind, char *out, uint64_t *seen,
		     unsigned int attr, struct kipsec_sa *sa, struct kipsec_err *e)
{
	const char *kw = kipsec_key_kind_name(kind), *s;

	if (kipsec_argv_once(seen, attr, kw, e) < 0)
		return -1;
	s = kipsec_argv_value(a, kw, "an algorithm name", e);
	if (!s || kipsec_alg_parse(kind, s, out, e) < 0)
		return -1;
	sa->present |= 1ULL << attr;
	return 0;
}

/* Keys the algorithms need, present and non-empty; no keys they don't use. */
static int check_keys(const char *path, struct kipsec_sa *sa, struct kipsec_err *e)
{
	static const unsigned int key_attr[KIPSEC_KEY_KINDS] = {
		[KIPSEC_KEY_AEAD] = KIPSEC_A_SA_AEAD_KEY,
		[KIPSEC_KEY_ENC] = KIPSEC_A_SA_ENC_KEY,
		[KIPSEC_KEY_AUTH] = KIPSEC_A_SA_AUTH_KEY,
	};
	const char *alg[KIPSEC_KEY_KINDS] = {
		[KIPSEC_KEY_AEAD] = KIPSEC_SA_HAS(sa, KIPSEC_A_SA_AEAD_ALG) ? sa->aead_alg : NULL,
		[KIPSEC_KEY_ENC] = KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ENC_ALG) ? sa->enc_alg : NULL,
		[KIPSEC_KEY_AUTH] = KIPSEC_SA_HAS(sa, KIPSEC_A_SA_AUTH_ALG) ? sa->auth_alg : NULL,
	};
	int k;

	for (k = 0; k < KIPSEC_KEY_KINDS; k++) {
		const struct kipsec_key *key = &sa->keys.k[k];
		const char *name = kipsec_key_kind_name(k);

		if (!alg[k]) {
			if (key->set)
				return kipsec_err(e, "keys: %s has an %s key, but the SA has no %s algorithm",
						  path, name, name);
			continue;
		}
		if (kipsec_alg_keyless(alg[k])) {
			if (key->len)
				return kipsec_err(e, "keys: %s: %s takes no key; leave the %s line out or empty",
						  path, alg[k], name);
		} else if (!key->set) {
			return kipsec_err(e, "keys: %s has no %s key (a line \"%s HEX\") for %s",
					  path, name, name, alg[k]);
		} else if (!key->len) {
			return kipsec_err(e, "keys: %s: the %s key for %s is empty", path, name,
					  alg[k]);
		}
		sa->present |= 1ULL << key_attr[k];
	}
	return 0;
}

static int parse_add(struct kipsec_argv *a, struct kipsec_sa *sa, struct kipsec_err *e)
{
	const char *kw, *s, *keys_path = NULL;
	uint64_t seen = 0;

	while ((kw = kipsec_argv_next(a))) {
		int r = 0;

		if (!strcmp(kw, "src") || !strcmp(kw, "dst")) {
			bool src = kw[0] == 's';
			unsigned int bit = src ? KIPSEC_A_SA_SADDR : KIPSEC_A_SA_DADDR;

			if (kipsec_argv_once(&seen, bit, kw, e) < 0 ||
			    !(s = kipsec_argv_value(a, kw, "an IPv4 or IPv6 address", e)) ||
			    kipsec_addr_parse(kw, s, src ? &sa->saddr : &sa->daddr, e) < 0)
				return -1;
			sa->present |= 1ULL << bit;
		} else if (!strcmp(kw, "spi")) {
			if (kipsec_argv_once(&seen, KIPSEC_A_SA_SPI, kw, e) < 0 ||
			    !(s = kipsec_argv_value(a, kw, SPI_EXPECT, e)) ||
			    kipsec_parse_u32(kw, s, 256, UINT32_MAX, &sa->spi, e) < 0)
				return -1;
		} else if (!strcmp(kw, "proto")) {
			if (kipsec_argv_once(&seen, KIPSEC_A_SA_PROTO, kw, e) < 0 ||
			    !(s = kipsec_argv_value(a, kw, "esp", e)) || parse_proto(s, sa, e) < 0)
				return -1;
		} else if (!strcmp(kw, "mode")) {
			if (kipsec_argv_once(&seen, KIPSEC_A_SA_MODE, kw, e) < 0 ||
			    !(s = kipsec_argv_value(a, kw, "tunnel or transport", e)) ||
			    parse_mode(s, &sa->mode, e) < 0)
				return -1;
			sa->present |= 1ULL << KIPSEC_A_SA_MODE;
		} else if (!strcmp(kw, "reqid")) {
			if (kipsec_argv_once(&seen, KIPSEC_A_SA_REQID, kw, e) < 0 ||
			    !(s = kipsec_argv_value(a, kw, "a number", e)) ||
			    kipsec_parse_u32(kw, s, 0, UINT32_MAX, &sa->reqid, e) < 0)
				return -1;
			sa->present |= 1ULL << KIPSEC_A_SA_REQID;
		} else if (!strcmp(kw, "encap")) {
			if (kipsec_argv_once(&seen, KIPSEC_A_SA_ENCAP_SPORT, kw, e) < 0 ||
			    !(s = kipsec_argv_value(a, kw, "espinudp SPORT DPORT", e)))
				return -1;
			if (strcmp(s, "espinudp"))
				return kipsec_err(e, "encap: expected espinudp, got \"%s\"", s);
			if (!(s = kipsec_argv_value(a, "encap espinudp", "a source port", e)) ||
			    kipsec_parse_u32("encap sport", s, 1, 65535, &sa->encap_sport, e) < 0 ||
			    !(s = kipsec_argv_value(a, "encap espinudp", "a destination port", e)) ||
			    kipsec_parse_u32("encap dport", s, 1, 65535, &sa->encap_dport, e) < 0)
				return -1;
			sa->present |= 1ULL << KIPSEC_A_SA_ENCAP_SPORT | 1ULL << KIPSEC_A_SA_ENCAP_DPORT;
		} else if (!strcmp(kw, "cpu")) {
			if (kipsec_argv_once(&seen, KIPSEC_A_SA_CPU, kw, e) < 0 ||
			    !(s = kipsec_argv_value(a, kw, "a CPU number", e)) ||
			    kipsec_parse_u32(kw, s, 0, UINT32_MAX, &sa->cpu, e) < 0)
				return -1;
			sa->present |= 1ULL << KIPSEC_A_SA_CPU;
		} else if (!strcmp(kw, "aead")) {
			r = parse_alg(a, KIPSEC_KEY_AEAD, sa->aead_alg, &seen, KIPSEC_A_SA_AEAD_ALG, sa, e);
		} else if (!strcmp(kw, "enc")) {
			r = parse_alg(a, KIPSEC_KEY_ENC, sa->enc_alg, &seen, KIPSEC_A_SA_ENC_ALG, sa, e);
		} else if (!strcmp(kw, "auth")) {
			r = parse_alg(a, KIPSEC_KEY_AUTH, sa->auth_alg, &seen, KIPSEC_A_SA_AUTH_ALG, sa, e);
		} else if (!strcmp(kw, "icv")) {
			if (kipsec_argv_once(&seen, KIPSEC_A_SA_ICV_LEN, kw, e) < 0 ||
			    !(s = kipsec_argv_value(a, kw, "a number 8..32 (bytes)", e)) ||
			    kipsec_parse_u32(kw, s, 8, 32, &sa->icv_len, e) < 0)
				return -1;
			sa->present |= 1ULL << KIPSEC_A_SA_ICV_LEN;
		} else if (!strcmp(kw, "keys")) {
			if (kipsec_argv_once(&seen, SEEN_KEYS, kw, e) < 0 ||
			    !(keys_path = kipsec_argv_value(a, kw, "a file name or - for stdin", e)))
				return -1;
		} else if (!strcmp(kw, "replay-window")) {
			if (kipsec_argv_once(&seen, KIPSEC_A_SA_REPLAY_WINDOW, kw, e) < 0 ||
			    !(s = kipsec_argv_value(a, kw, "a number 0..32768", e)) ||
			    kipsec_parse_u32(kw, s, 0, 32768, &sa->replay_window, e) < 0)
				return -1;
			sa->present |= 1ULL << KIPSEC_A_SA_REPLAY_WINDOW;
		} else if (!strcmp(kw, "esn")) {
			if (kipsec_argv_once(&seen, KIPSEC_A_SA_ESN, kw, e) < 0)
				return -1;
			sa->present |= 1ULL << KIPSEC_A_SA_ESN;
		} else if (!strcmp(kw, "align4")) {
			if (kipsec_argv_once(&seen, KIPSEC_A_SA_AH_ALIGN4, kw, e) < 0)
				return -1;
			sa->present |= 1ULL << KIPSEC_A_SA_AH_ALIGN4;
		} else if (!strcmp(kw, "seq")) {
			if (kipsec_argv_once(&seen, KIPSEC_A_SA_SEQ, kw, e) < 0 ||
			    !(s = kipsec_argv_value(a, kw, "a number", e)) ||
			    kipsec_parse_u64(kw, s, &sa->seq, e) < 0)
				return -1;
			sa->present |= 1ULL << KIPSEC_A_SA_SEQ;
		} else if (!strcmp(kw, "soft") || !strcmp(kw, "hard")) {
			r = parse_lifetime(a, kw[0] == 'h', &seen, sa, e);
		} else {
			return kipsec_err(e, "%s: unknown argument \"%s\" (see kipsec help)", a->cmd, kw);
		}
		if (r < 0)
			return -1;
	}

	if (!KIPSEC_SA_HAS(sa, KIPSEC_A_SA_SADDR))
		return kipsec_err(e, "%s: missing \"src ADDR\"", a->cmd);
	if (!KIPSEC_SA_HAS(sa, KIPSEC_A_SA_DADDR))
		return kipsec_err(e, "%s: missing \"dst ADDR\"", a->cmd);
	if (kipsec_addr_same_family("src and dst", &sa->saddr, &sa->daddr, e) < 0)
		return -1;
	if (!(seen & (1ULL << KIPSEC_A_SA_SPI)))
		return kipsec_err(e, "%s: missing \"spi SPI\"", a->cmd);
	if (!KIPSEC_SA_HAS(sa, KIPSEC_A_SA_MODE))
		return kipsec_err(e, "%s: missing \"mode tunnel|transport\"", a->cmd);
	if (sa->proto == IPPROTO_AH) {
		/* AH authenticates only (RFC 4302): no cipher of any kind. */
		if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_AEAD_ALG) || KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ENC_ALG))
			return kipsec_err(e, "%s: proto ah takes only \"auth ALG\" (no aead or enc)",
					  a->cmd);
		if (!KIPSEC_SA_HAS(sa, KIPSEC_A_SA_AUTH_ALG))
			return kipsec_err(e, "%s: proto ah needs \"auth ALG\"", a->cmd);
	} else if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_AEAD_ALG) &&
	    (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ENC_ALG) || KIPSEC_SA_HAS(sa, KIPSEC_A_SA_AUTH_ALG)))
		return kipsec_err(e, "%s: aead excludes enc and auth", a->cmd);
	else if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ENC_ALG) && !KIPSEC_SA_HAS(sa, KIPSEC_A_SA_AUTH_ALG))
		return kipsec_err(e, "%s: enc needs auth too (or use aead)", a->cmd);
	else if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_AUTH_ALG) && !KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ENC_ALG))
		return kipsec_err(e, "%s: auth needs enc too (enc null, or proto ah, for integrity only)",
				  a->cmd);
	else if (!KIPSEC_SA_HAS(sa, KIPSEC_A_SA_AEAD_ALG) && !KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ENC_ALG))
		return kipsec_err(e, "%s: missing \"aead ALG\" or \"enc ALG auth ALG\"", a->cmd);
	if (!keys_path)
		return kipsec_err(e, "%s: missing \"keys FILE\" (or \"keys -\" for stdin)", a->cmd);
	if (kipsec_keys_load(keys_path, &sa->keys, e) < 0)
		return -1;
	if (check_keys(!strcmp(keys_path, "-") ? "stdin" : keys_path, sa, e) < 0) {
		kipsec_keys_wipe(&sa->keys);
		return -1;
	}
	if (sa->lifetime_present)
		sa->present |= 1ULL << KIPSEC_A_SA_LIFETIME;
	return 0;
}

/* "dst ADDR spi SPI [proto esp]", and "keys" for get. */
static int parse_id(struct kipsec_argv *a, bool keys_ok, struct kipsec_sa_cmd *cmd,
		    struct kipsec_err *e)
{
	struct kipsec_sa *sa = &cmd->sa;
	const char *kw, *s;
	uint64_t seen = 0;

	while ((kw = kipsec_argv_next(a))) {
		if (!strcmp(kw, "dst")) {
			if (kipsec_argv_once(&seen, KIPSEC_A_SA_DADDR, kw, e) < 0 ||
			    !(s = kipsec_argv_value(a, kw, "an IPv4 or IPv6 address", e)) ||
			    kipsec_addr_parse(kw, s, &sa->daddr, e) < 0)
				return -1;
		} else if (!strcmp(kw, "spi")) {
			if (kipsec_argv_once(&seen, KIPSEC_A_SA_SPI, kw, e) < 0 ||
			    !(s = kipsec_argv_value(a, kw, SPI_EXPECT, e)) ||
			    kipsec_parse_u32(kw, s, 256, UINT32_MAX, &sa->spi, e) < 0)
				return -1;
		} else if (!strcmp(kw, "proto")) {
			if (kipsec_argv_once(&seen, KIPSEC_A_SA_PROTO, kw, e) < 0 ||
			    !(s = kipsec_argv_value(a, kw, "esp", e)) || parse_proto(s, sa, e) < 0)
				return -1;
		} else if (keys_ok && !strcmp(kw, "keys")) {
			if (kipsec_argv_once(&seen, SEEN_KEYS, kw, e) < 0)
				return -1;
			cmd->show_keys = true;
		} else {
			return kipsec_err(e, "%s: unknown argument \"%s\" (see kipsec help)", a->cmd, kw);
		}
	}
	if (!(seen & (1ULL << KIPSEC_A_SA_DADDR)))
		return kipsec_err(e, "%s: missing \"dst ADDR\"", a->cmd);
	if (!(seen & (1ULL << KIPSEC_A_SA_SPI)))
		return kipsec_err(e, "%s: missing \"spi SPI\"", a->cmd);
	return 0;
}

int kipsec_sa_parse_cmd(int argc, char **argv, struct kipsec_sa_cmd *cmd, struct kipsec_err *e)
{
	static const char *const names[] = { "sa add", "sa update", "sa del", "sa get", "sa show", "sa flush" };
	struct kipsec_argv a = { .argc = argc, .argv = argv, .i = 1 };
	struct kipsec_sa *sa = &cmd->sa;
	int op, ret;

	memset(cmd, 0, sizeof(*cmd));
	if (!argc)
		return kipsec_err(e, "sa: missing command, expected add, update, del, get, show or flush");
	if (!strcmp(argv[0], "list"))
		op = KIPSEC_SA_SHOW;
	else if (kipsec_parse_word("sa", argv[0], op_names, &op, e) < 0)
		return -1;
	cmd->op = op;
	a.cmd = names[op];
	sa->proto = IPPROTO_ESP;

	switch (cmd->op) {
	case KIPSEC_SA_ADD:
	case KIPSEC_SA_UPDATE:
		ret = parse_add(&a, sa, e);
		break;
	case KIPSEC_SA_DEL:
	case KIPSEC_SA_GET:
		ret = parse_id(&a, cmd->op == KIPSEC_SA_GET, cmd, e);
		break;
	case KIPSEC_SA_SHOW:
		ret = 0;
		if (kipsec_argv_more(&a) && !strcmp(argv[a.i], "keys")) {
			cmd->show_keys = true;
			a.i++;
		}
		/* fall through */
	default:
		if (kipsec_argv_more(&a))
			return kipsec_err(e, "%s: unexpected argument \"%s\"%s", a.cmd, argv[a.i],
					  cmd->op == KIPSEC_SA_SHOW ? " (only \"keys\")" : "");
		return 0;
	}
	if (ret < 0) {
		kipsec_keys_wipe(&sa->keys);
		return -1;
	}
	sa->family = sa->daddr.family;
	sa->present |= 1ULL << KIPSEC_A_SA_FAMILY | 1ULL << KIPSEC_A_SA_DADDR |
		       1ULL << KIPSEC_A_SA_SPI | 1ULL << KIPSEC_A_SA_PROTO;
	return 0;
}

uint8_t kipsec_sa_genl_cmd(const struct kipsec_sa_cmd *cmd, uint16_t *flags)
{
	*flags = 0;
	switch (cmd->op) {
	case KIPSEC_SA_ADD:
		return KIPSEC_CMD_SA_ADD;
	case KIPSEC_SA_UPDATE:
		return KIPSEC_CMD_SA_UPDATE;
	case KIPSEC_SA_DEL:
		return KIPSEC_CMD_SA_DEL;
	case KIPSEC_SA_SHOW:
		*flags = NLM_F_DUMP;
		return KIPSEC_CMD_SA_GET;
	case KIPSEC_SA_GET:
		return KIPSEC_CMD_SA_GET;
	case KIPSEC_SA_FLUSH:
		break;
	}
	return KIPSEC_CMD_SA_FLUSH;
}

static void put_key(struct nlmsghdr *nlh, const struct kipsec_sa *sa, uint16_t attr,
		    const struct kipsec_key *key)
{
	if (KIPSEC_SA_HAS(sa, attr))
		mnl_attr_put(nlh, attr, key->len, key->data);
}

void kipsec_sa_put(struct nlmsghdr *nlh, const struct kipsec_sa_cmd *cmd)
{
	const struct kipsec_sa *sa = &cmd->sa;
	int i;

	if (cmd->op == KIPSEC_SA_SHOW || cmd->op == KIPSEC_SA_FLUSH) {
		if (cmd->show_keys)
			mnl_attr_put(nlh, KIPSEC_A_SA_SHOW_KEYS, 0, NULL);
		return;
	}
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_FAMILY, sa->family);
	mnl_attr_put(nlh, KIPSEC_A_SA_DADDR, sa->daddr.len, sa->daddr.bytes);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_SADDR))
		mnl_attr_put(nlh, KIPSEC_A_SA_SADDR, sa->saddr.len, sa->saddr.bytes);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_SPI, sa->spi);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_PROTO, sa->proto);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_MODE))
		mnl_attr_put_u32(nlh, KIPSEC_A_SA_MODE, sa->mode);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_REQID))
		mnl_attr_put_u32(nlh, KIPSEC_A_SA_REQID, sa->reqid);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_CPU))
		mnl_attr_put_u32(nlh, KIPSEC_A_SA_CPU, sa->cpu);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ENCAP_SPORT)) {
		mnl_attr_put_u32(nlh, KIPSEC_A_SA_ENCAP_SPORT, sa->encap_sport);
		mnl_attr_put_u32(nlh, KIPSEC_A_SA_ENCAP_DPORT, sa->encap_dport);
	}
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_AEAD_ALG))
		mnl_attr_put_strz(nlh, KIPSEC_A_SA_AEAD_ALG, sa->aead_alg);
	put_key(nlh, sa, KIPSEC_A_SA_AEAD_KEY, &sa->keys.k[KIPSEC_KEY_AEAD]);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ENC_ALG))
		mnl_attr_put_strz(nlh, KIPSEC_A_SA_ENC_ALG, sa->enc_alg);
	put_key(nlh, sa, KIPSEC_A_SA_ENC_KEY, &sa->keys.k[KIPSEC_KEY_ENC]);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_AUTH_ALG))
		mnl_attr_put_strz(nlh, KIPSEC_A_SA_AUTH_ALG, sa->auth_alg);
	put_key(nlh, sa, KIPSEC_A_SA_AUTH_KEY, &sa->keys.k[KIPSEC_KEY_AUTH]);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ICV_LEN))
		mnl_attr_put_u32(nlh, KIPSEC_A_SA_ICV_LEN, sa->icv_len);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_REPLAY_WINDOW))
		mnl_attr_put_u32(nlh, KIPSEC_A_SA_REPLAY_WINDOW, sa->replay_window);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ESN))
		mnl_attr_put(nlh, KIPSEC_A_SA_ESN, 0, NULL);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_AH_ALIGN4))
		mnl_attr_put(nlh, KIPSEC_A_SA_AH_ALIGN4, 0, NULL);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_SEQ))
		mnl_attr_put_u64(nlh, KIPSEC_A_SA_SEQ, sa->seq);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_LIFETIME)) {
		struct nlattr *nest = mnl_attr_nest_start(nlh, KIPSEC_A_SA_LIFETIME);

		for (i = 0; i <= KIPSEC_A_LIFETIME_MAX; i++)
			if (sa->lifetime_present & (1U << i))
				mnl_attr_put_u64(nlh, (uint16_t)i, sa->lifetime[i]);
		mnl_attr_nest_end(nlh, nest);
	}
	if (cmd->show_keys)
		mnl_attr_put(nlh, KIPSEC_A_SA_SHOW_KEYS, 0, NULL);
}

/* Run a dump until it was not interrupted by a concurrent change. */
static int talk_list(struct kipsec_nl *nl, void *buf, const struct kipsec_sa_cmd *cmd,
		     struct kipsec_sa_list *list, struct kipsec_nl_error *err)
{
	int tries;

	for (tries = 0; tries < 5; tries++) {
		struct nlmsghdr *nlh;
		uint16_t flags;
		uint8_t gcmd = kipsec_sa_genl_cmd(cmd, &flags);

		kipsec_sa_list_free(list);
		nlh = kipsec_nl_request(nl, buf, gcmd, flags);
		kipsec_sa_put(nlh, cmd);
		if (kipsec_nl_talk(nl, nlh, kipsec_sa_list_cb, list, err) < 0)
			return -1;
		if (!list->interrupted)
			return 0;
	}
	fprintf(stderr, "kipsec: warning: SAs kept changing during the dump; output may be inconsistent\n");
	return 0;
}

static void print_list(const struct kipsec_sa_cmd *cmd, const struct kipsec_sa_list *list,
		       bool json)
{
	size_t i;

	if (cmd->op == KIPSEC_SA_GET) {
		if (json)
			kipsec_sa_print_json(stdout, &list->sas[0]);
		else
			kipsec_sa_print(stdout, &list->sas[0]);
		return;
	}
	if (json)
		fputc('[', stdout);
	for (i = 0; i < list->n; i++) {
		if (json) {
			if (i)
				fputc(',', stdout);
			kipsec_sa_print_json(stdout, &list->sas[i]);
		} else {
			kipsec_sa_print(stdout, &list->sas[i]);
		}
	}
	if (json)
		fputs("]\n", stdout);
}

int cmd_sa(int argc, char **argv, bool json)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct kipsec_sa_list list = { 0 };
	struct kipsec_sa_cmd cmd;
	struct kipsec_nl_error err;
	struct kipsec_err e;
	struct kipsec_nl nl;
	int ret = 1;

	if (kipsec_sa_parse_cmd(argc, argv, &cmd, &e) < 0) {
		fprintf(stderr, "kipsec: %s\n", e.msg);
		return 1;
	}
	if (kipsec_nl_open(&nl) < 0)
		goto out_wipe;
	if (cmd.op == KIPSEC_SA_GET || cmd.op == KIPSEC_SA_SHOW) {
		if (talk_list(&nl, buf, &cmd, &list, &err) < 0) {
			kipsec_nl_perror(&err, kipsec_sa_attr_names, KIPSEC_A_SA_MAX + 1);
			goto out;
		}
		if (cmd.op == KIPSEC_SA_GET && list.n != 1) {
			fprintf(stderr, "kipsec: sa get: the kernel answered with %zu SAs\n", list.n);
			goto out;
		}
		print_list(&cmd, &list, json);
	} else {
		uint16_t flags;
		uint8_t gcmd = kipsec_sa_genl_cmd(&cmd, &flags);
		struct nlmsghdr *nlh = kipsec_nl_request(&nl, buf, gcmd, flags);

		kipsec_sa_put(nlh, &cmd);
		if (kipsec_nl_talk(&nl, nlh, NULL, NULL, &err) < 0) {
			kipsec_nl_perror(&err, kipsec_sa_attr_names, KIPSEC_A_SA_MAX + 1);
			goto out;
		}
	}
	ret = fflush(stdout) ? 1 : 0;
out:
	kipsec_nl_close(&nl);
out_wipe:
	kipsec_sa_list_free(&list);
	explicit_bzero(buf, sizeof(buf));
	kipsec_keys_wipe(&cmd.sa.keys);
	return ret;
}
