// SPDX-License-Identifier: GPL-2.0
/*
 * SAs from the kernel (get and dump replies, events) and their text forms.
 */
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <linux/genetlink.h>
#include <linux/kipsec.h>

#include "json.h"
#include "nl_names.h"
#include "sa.h"

const char *kipsec_ipproto_name(uint32_t proto, char *buf, size_t len)
{
	if (proto == IPPROTO_ESP)
		return "esp";
	if (proto == IPPROTO_AH)
		return "ah";
	snprintf(buf, len, "%u", proto);
	return buf;
}

const char *kipsec_mode_name(uint32_t mode)
{
	switch (mode) {
	case KIPSEC_MODE_TRANSPORT:
		return "transport";
	case KIPSEC_MODE_TUNNEL:
		return "tunnel";
	}
	return "unknown";
}

static int copy_str(const struct nlattr *a, char *dst, size_t len)
{
	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0 || mnl_attr_get_payload_len(a) > len)
		return -1;
	memcpy(dst, mnl_attr_get_str(a), mnl_attr_get_payload_len(a));
	dst[len - 1] = '\0';
	return 0;
}

static int copy_key(const struct nlattr *a, struct kipsec_key *key)
{
	uint16_t len = mnl_attr_get_payload_len(a);

	if (mnl_attr_validate(a, MNL_TYPE_BINARY) < 0 || len > KIPSEC_KEY_MAX)
		return -1;
	memcpy(key->data, mnl_attr_get_payload(a), len);
	key->len = len;
	key->set = true;
	return 0;
}

/* A nest of u64 counters indexed by attribute type, up to @max. */
static int parse_u64_nest(const struct nlattr *nest, uint64_t *vals, uint32_t *present, int max)
{
	const struct nlattr *a;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -1;
	mnl_attr_for_each_nested(a, nest) {
		int type = mnl_attr_get_type(a);

		if (type <= 1 || type > max)	/* unspec, pad, or newer */
			continue;
		if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
			return -1;
		vals[type] = mnl_attr_get_u64(a);
		*present |= 1U << type;
	}
	return 0;
}

static int parse_attr(const struct nlattr *a, struct kipsec_sa *sa)
{
	int type = mnl_attr_get_type(a);

	switch (type) {
	case KIPSEC_A_SA_FAMILY:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return -1;
		sa->family = mnl_attr_get_u32(a);
		break;
	case KIPSEC_A_SA_DADDR:
		return kipsec_addr_from_attr(a, &sa->daddr) < 0 ? -1 : 1;
	case KIPSEC_A_SA_SADDR:
		return kipsec_addr_from_attr(a, &sa->saddr) < 0 ? -1 : 1;
	case KIPSEC_A_SA_SPI:
	case KIPSEC_A_SA_PROTO:
	case KIPSEC_A_SA_MODE:
	case KIPSEC_A_SA_REQID:
	case KIPSEC_A_SA_CPU:
	case KIPSEC_A_SA_ENCAP_SPORT:
	case KIPSEC_A_SA_ENCAP_DPORT:
	case KIPSEC_A_SA_ICV_LEN:
	case KIPSEC_A_SA_REPLAY_WINDOW: {
		uint32_t *dst = type == KIPSEC_A_SA_SPI ? &sa->spi :
				type == KIPSEC_A_SA_PROTO ? &sa->proto :
				type == KIPSEC_A_SA_MODE ? &sa->mode :
				type == KIPSEC_A_SA_REQID ? &sa->reqid :
				type == KIPSEC_A_SA_CPU ? &sa->cpu :
				type == KIPSEC_A_SA_ENCAP_SPORT ? &sa->encap_sport :
				type == KIPSEC_A_SA_ENCAP_DPORT ? &sa->encap_dport :
				type == KIPSEC_A_SA_ICV_LEN ? &sa->icv_len : &sa->replay_window;

		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return -1;
		*dst = mnl_attr_get_u32(a);
		break;
	}
	case KIPSEC_A_SA_AEAD_ALG:
		return copy_str(a, sa->aead_alg, sizeof(sa->aead_alg)) < 0 ? -1 : 1;
	case KIPSEC_A_SA_ENC_ALG:
		return copy_str(a, sa->enc_alg, sizeof(sa->enc_alg)) < 0 ? -1 : 1;
	case KIPSEC_A_SA_AUTH_ALG:
		return copy_str(a, sa->auth_alg, sizeof(sa->auth_alg)) < 0 ? -1 : 1;
	case KIPSEC_A_SA_AEAD_KEY:
		return copy_key(a, &sa->keys.k[KIPSEC_KEY_AEAD]) < 0 ? -1 : 1;
	case KIPSEC_A_SA_ENC_KEY:
		return copy_key(a, &sa->keys.k[KIPSEC_KEY_ENC]) < 0 ? -1 : 1;
	case KIPSEC_A_SA_AUTH_KEY:
		return copy_key(a, &sa->keys.k[KIPSEC_KEY_AUTH]) < 0 ? -1 : 1;
	case KIPSEC_A_SA_ESN:
	case KIPSEC_A_SA_AH_ALIGN4:
	case KIPSEC_A_SA_DYING:
	case KIPSEC_A_SA_SHOW_KEYS:
		return mnl_attr_validate(a, MNL_TYPE_FLAG) < 0 ? -1 : 1;
	case KIPSEC_A_SA_SEQ:
	case KIPSEC_A_SA_SEQ_IN:
	case KIPSEC_A_SA_ADD_TIME:
	case KIPSEC_A_SA_USE_TIME: {
		uint64_t *dst = type == KIPSEC_A_SA_SEQ ? &sa->seq :
				type == KIPSEC_A_SA_SEQ_IN ? &sa->seq_in :
				type == KIPSEC_A_SA_ADD_TIME ? &sa->add_time : &sa->use_time;

		if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
			return -1;
		*dst = mnl_attr_get_u64(a);
		break;
	}
	case KIPSEC_A_SA_LIFETIME:
		return parse_u64_nest(a, sa->lifetime, &sa->lifetime_present,
				      KIPSEC_A_LIFETIME_MAX) < 0 ? -1 : 1;
	case KIPSEC_A_SA_STATS:
		return parse_u64_nest(a, sa->stats, &sa->stats_present,
				      KIPSEC_A_SA_STATS_MAX) < 0 ? -1 : 1;
	default:
		return 0;	/* pad, or from a newer kernel */
	}
	return 1;
}

int kipsec_sa_parse_attrs(const void *payload, size_t len, struct kipsec_sa *sa)
{
	const struct nlattr *attr;	/* the name mnl_attr_for_each_payload() uses */
	uint32_t alen;

	memset(sa, 0, sizeof(*sa));
	mnl_attr_for_each_payload(payload, len) {
		int r = parse_attr(attr, sa);

		if (r < 0)
			return -1;
		if (r > 0)
			sa->present |= 1ULL << mnl_attr_get_type(attr);
	}
	/* The identity is mandatory, and addresses must fit the family. */
	alen = kipsec_family_len(sa->family);
	if (!alen || !KIPSEC_SA_HAS(sa, KIPSEC_A_SA_DADDR) || !KIPSEC_SA_HAS(sa, KIPSEC_A_SA_SPI) ||
	    !KIPSEC_SA_HAS(sa, KIPSEC_A_SA_PROTO) || sa->daddr.len != alen ||
	    !kipsec_addr_fits(&sa->saddr, sa->family))
		return -1;
	sa->daddr.family = sa->family;
	if (sa->saddr.len)
		sa->saddr.family = sa->family;
	return 0;
}

int kipsec_sa_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct kipsec_sa_list *l = data;
	size_t hdr = MNL_ALIGN(sizeof(struct genlmsghdr));

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		l->interrupted = true;
	if (nlh->nlmsg_len < mnl_nlmsg_size(hdr))
		goto bad;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct kipsec_sa *sas = calloc(cap, sizeof(*sas));

		if (!sas)
			return MNL_CB_ERROR;
		/* Not realloc(): the old copy holds keys and must be wiped. */
		if (l->sas) {
			memcpy(sas, l->sas, l->n * sizeof(*sas));
			explicit_bzero(l->sas, l->cap * sizeof(*sas));
			free(l->sas);
		}
		l->sas = sas;
		l->cap = cap;
	}
	if (kipsec_sa_parse_attrs(mnl_nlmsg_get_payload_offset(nlh, sizeof(struct genlmsghdr)),
				  nlh->nlmsg_len - mnl_nlmsg_size(hdr), &l->sas[l->n]) < 0)
		goto bad;
	l->n++;
	return MNL_CB_OK;
bad:
	errno = EBADMSG;
	return MNL_CB_ERROR;
}

void kipsec_sa_list_free(struct kipsec_sa_list *l)
{
	if (l->sas)
		explicit_bzero(l->sas, l->cap * sizeof(*l->sas));
	free(l->sas);
	memset(l, 0, sizeof(*l));
}

static void print_hex(FILE *f, const struct kipsec_key *key)
{
	uint32_t i;

	fputs("0x", f);
	for (i = 0; i < key->len; i++)
		fprintf(f, "%02x", key->data[i]);
}

static void print_time(FILE *f, uint64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[32];

	if (!t || !localtime_r(&tt, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm))
		fputs(t ? "?" : "never", f);
	else
		fputs(buf, f);
}

void kipsec_sa_print_id(FILE *f, const struct kipsec_sa *sa)
{
	char s[KIPSEC_ADDR_STRLEN], d[KIPSEC_ADDR_STRLEN], p[12];

	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_SADDR))
		fprintf(f, "src %s ", kipsec_addr_str(&sa->saddr, s));
	fprintf(f, "dst %s proto %s spi 0x%08x", kipsec_addr_str(&sa->daddr, d),
		kipsec_ipproto_name(sa->proto, p, sizeof(p)), sa->spi);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_REQID))
		fprintf(f, " reqid %u", sa->reqid);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_MODE))
		fprintf(f, " mode %s", kipsec_mode_name(sa->mode));
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_CPU))
		fprintf(f, " cpu %u", sa->cpu);
}

static void print_alg(FILE *f, const struct kipsec_sa *sa, const char *kw, const char *name,
		      enum kipsec_key_kind kind, bool icv)
{
	fprintf(f, "    %s %s", kw, name);
	if (icv && KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ICV_LEN))
		fprintf(f, " icv %u", sa->icv_len);
	if (sa->keys.k[kind].set && sa->keys.k[kind].len) {
		fputs(" key ", f);
		print_hex(f, &sa->keys.k[kind]);
	}
	fputc('\n', f);
}

static const char *const lifetime_words[] = { "bytes", "packets", "add-secs", "use-secs" };

void kipsec_sa_print(FILE *f, const struct kipsec_sa *sa)
{
	int i, hard;

	kipsec_sa_print_id(f, sa);
	fputc('\n', f);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_AEAD_ALG))
		print_alg(f, sa, "aead", sa->aead_alg, KIPSEC_KEY_AEAD, true);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ENC_ALG))
		print_alg(f, sa, "enc", sa->enc_alg, KIPSEC_KEY_ENC, false);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_AUTH_ALG))
		print_alg(f, sa, "auth", sa->auth_alg, KIPSEC_KEY_AUTH, true);

	fputs("   ", f);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_REPLAY_WINDOW))
		fprintf(f, " replay-window %u", sa->replay_window);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ESN))
		fputs(" esn", f);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_AH_ALIGN4))
		fputs(" align4", f);
	fprintf(f, " seq 0x%" PRIx64, sa->seq);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_SEQ_IN))
		fprintf(f, " seq-in 0x%" PRIx64, sa->seq_in);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_DYING))
		fputs(" dying", f);
	fputc('\n', f);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ENCAP_SPORT) && KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ENCAP_DPORT))
		fprintf(f, "    encap espinudp %u %u\n", sa->encap_sport, sa->encap_dport);

	if (sa->lifetime_present) {
		fputs("    lifetime", f);
		for (hard = 0; hard < 2; hard++) {
			bool first = true;

			for (i = 0; i < 4; i++) {
				int attr = KIPSEC_A_LIFETIME_SOFT_BYTES + 2 * i + hard;

				if (!(sa->lifetime_present & (1U << attr)))
					continue;
				if (first)
					fputs(hard ? " hard" : " soft", f);
				first = false;
				fprintf(f, " %s %" PRIu64, lifetime_words[i], sa->lifetime[attr]);
			}
		}
		fputc('\n', f);
	}
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_STATS)) {
		fputs("    stats", f);
		for (i = KIPSEC_A_SA_STATS_PACKETS; i <= KIPSEC_A_SA_STATS_MAX; i++)
			fprintf(f, " %s %" PRIu64, kipsec_sa_stats_attr_names[i], sa->stats[i]);
		fputc('\n', f);
	}
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ADD_TIME)) {
		fputs("    added ", f);
		print_time(f, sa->add_time);
		fputs(" used ", f);
		print_time(f, sa->use_time);
		fputc('\n', f);
	}
}

/* "soft-bytes" → "soft_bytes": JSON keys use underscores like info's. */
static void json_key(FILE *f, const char *name, bool first)
{
	const char *p;

	fputs(first ? "\"" : ",\"", f);
	for (p = name; *p; p++)
		fputc(*p == '-' ? '_' : *p, f);
	fputs("\":", f);
}

static void json_alg(FILE *f, const struct kipsec_sa *sa, const char *kw, const char *name,
		     enum kipsec_key_kind kind)
{
	json_key(f, kw, false);
	fputs("{\"name\":", f);
	json_string(f, name);
	if (sa->keys.k[kind].set) {
		fputs(",\"key\":\"", f);
		print_hex(f, &sa->keys.k[kind]);
		fputc('"', f);
	}
	fputc('}', f);
}

void kipsec_sa_print_json(FILE *f, const struct kipsec_sa *sa)
{
	char s[KIPSEC_ADDR_STRLEN], p[12];
	int i;

	fprintf(f, "{\"family\":\"%s\"", kipsec_family_name(sa->family));
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_SADDR))
		fprintf(f, ",\"src\":\"%s\"", kipsec_addr_str(&sa->saddr, s));
	fprintf(f, ",\"dst\":\"%s\",\"proto\":\"%s\",\"spi\":%u", kipsec_addr_str(&sa->daddr, s),
		kipsec_ipproto_name(sa->proto, p, sizeof(p)), sa->spi);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_REQID))
		fprintf(f, ",\"reqid\":%u", sa->reqid);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_MODE))
		fprintf(f, ",\"mode\":\"%s\"", kipsec_mode_name(sa->mode));
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_CPU))
		fprintf(f, ",\"cpu\":%u", sa->cpu);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ENCAP_SPORT) && KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ENCAP_DPORT))
		fprintf(f, ",\"encap\":{\"type\":\"espinudp\",\"sport\":%u,\"dport\":%u}",
			sa->encap_sport, sa->encap_dport);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_AEAD_ALG))
		json_alg(f, sa, "aead", sa->aead_alg, KIPSEC_KEY_AEAD);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ENC_ALG))
		json_alg(f, sa, "enc", sa->enc_alg, KIPSEC_KEY_ENC);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_AUTH_ALG))
		json_alg(f, sa, "auth", sa->auth_alg, KIPSEC_KEY_AUTH);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ICV_LEN))
		fprintf(f, ",\"icv\":%u", sa->icv_len);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_REPLAY_WINDOW))
		fprintf(f, ",\"replay_window\":%u", sa->replay_window);
	fprintf(f, ",\"esn\":%s", KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ESN) ? "true" : "false");
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_AH_ALIGN4))
		fputs(",\"align4\":true", f);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_SEQ))
		fprintf(f, ",\"seq\":%" PRIu64, sa->seq);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_SEQ_IN))
		fprintf(f, ",\"seq_in\":%" PRIu64, sa->seq_in);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_LIFETIME)) {
		bool first = true;

		fputs(",\"lifetime\":{", f);
		for (i = KIPSEC_A_LIFETIME_SOFT_BYTES; i <= KIPSEC_A_LIFETIME_MAX; i++) {
			if (!(sa->lifetime_present & (1U << i)))
				continue;
			json_key(f, kipsec_lifetime_attr_names[i], first);
			first = false;
			fprintf(f, "%" PRIu64, sa->lifetime[i]);
		}
		fputc('}', f);
	}
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_STATS)) {
		fputs(",\"stats\":{", f);
		for (i = KIPSEC_A_SA_STATS_PACKETS; i <= KIPSEC_A_SA_STATS_MAX; i++) {
			json_key(f, kipsec_sa_stats_attr_names[i], i == KIPSEC_A_SA_STATS_PACKETS);
			fprintf(f, "%" PRIu64, sa->stats[i]);
		}
		fputc('}', f);
	}
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ADD_TIME))
		fprintf(f, ",\"add_time\":%" PRIu64, sa->add_time);
	if (KIPSEC_SA_HAS(sa, KIPSEC_A_SA_USE_TIME))
		fprintf(f, ",\"use_time\":%" PRIu64, sa->use_time);
	fprintf(f, ",\"dying\":%s}", KIPSEC_SA_HAS(sa, KIPSEC_A_SA_DYING) ? "true" : "false");
}
