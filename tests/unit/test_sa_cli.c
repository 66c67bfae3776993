// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of tools/sa.c and sa_show.c: "kipsec sa" command lines, the
 * requests they build, and the parsing and printing of replies.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/kipsec.h>

#include "cli.h"
#include "sa.h"
#include "tap.h"

static struct kipsec_sa_cmd cmd;
static struct kipsec_err e;
static char gcm_keys[64], cbc_keys[64], null_keys[64], both_keys[64], ah_keys[64];
static char buf[8192];

/* "@GCM", "@CBC", "@NULL", "@BOTH", "@AH" stand for the key files made in main(). */
static const char *subst(const char *in, char *out, size_t len)
{
	snprintf(out, len, "%s", in);
	for (;;) {
		char *at = strchr(out, '@'), rest[1024];
		const char *path;
		size_t n;

		if (!at)
			return out;
		if (!strncmp(at, "@GCM", 4))
			path = gcm_keys, n = 4;
		else if (!strncmp(at, "@CBC", 4))
			path = cbc_keys, n = 4;
		else if (!strncmp(at, "@BOTH", 5))
			path = both_keys, n = 5;
		else if (!strncmp(at, "@AH", 3))
			path = ah_keys, n = 3;
		else
			path = null_keys, n = 5;
		snprintf(rest, sizeof(rest), "%s", at + n);
		snprintf(at, len - (size_t)(at - out), "%s%s", path, rest);
	}
}

static int parse(const char *line)
{
	char full[1024];
	int argc;

	/* As main() passes it: the words after "sa". */
	memset(&e, 0, sizeof(e));
	argc = cli_split(subst(line, full, sizeof(full)));
	return kipsec_sa_parse_cmd(argc - 1, cli_argv + 1, &cmd, &e);
}

static char want_buf[1024];

#define BAD(line, want) CHECK(parse(line) < 0 &&						\
			      !strcmp(e.msg, subst(want, want_buf, sizeof(want_buf))),		\
			      "%s → %s", line, e.msg)

#define ADD "sa add src 10.0.0.1 dst 10.0.0.2 spi 0x1001 mode tunnel "

static struct nlmsghdr *build(void)
{
	uint16_t flags;
	uint8_t c = kipsec_sa_genl_cmd(&cmd, &flags);
	struct nlmsghdr *nlh = cli_msg(buf, c);

	nlh->nlmsg_flags |= flags;
	kipsec_sa_put(nlh, &cmd);
	return nlh;
}

static void test_parse_ok(void)
{
	const struct kipsec_sa *sa = &cmd.sa;

	CHECK(parse(ADD "aead aes-gcm keys @GCM") == 0, "minimal aead SA: %s", e.msg);
	CHECK(cmd.op == KIPSEC_SA_ADD && sa->family == AF_INET && sa->spi == 0x1001 &&
	      sa->proto == IPPROTO_ESP && sa->mode == KIPSEC_MODE_TUNNEL &&
	      !strcmp(sa->aead_alg, "rfc4106(gcm(aes))") &&
	      sa->keys.k[KIPSEC_KEY_AEAD].len == 20, "fields of the aead SA");
	CHECK(!KIPSEC_SA_HAS(sa, KIPSEC_A_SA_REQID) && !KIPSEC_SA_HAS(sa, KIPSEC_A_SA_LIFETIME) &&
	      !KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ESN), "optional attributes absent");

	CHECK(parse("sa update src 2001:db8::1 dst 2001:db8::2 spi 4096 proto esp mode transport "
		    "reqid 7 enc aes-cbc auth sha256 icv 16 keys @CBC replay-window 128 esn seq 0x10 "
		    "soft bytes 1000 hard bytes 2000 soft packets 10 hard add-secs 3600 soft use-secs 60") == 0,
	      "full IPv6 enc+auth SA: %s", e.msg);
	CHECK(cmd.op == KIPSEC_SA_UPDATE && sa->family == AF_INET6 && sa->reqid == 7 &&
	      sa->mode == KIPSEC_MODE_TRANSPORT && !strcmp(sa->enc_alg, "cbc(aes)") &&
	      !strcmp(sa->auth_alg, "hmac(sha256)") && sa->icv_len == 16 &&
	      sa->replay_window == 128 && KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ESN) && sa->seq == 16,
	      "fields of the enc+auth SA");
	CHECK(sa->lifetime_present == (1U << KIPSEC_A_LIFETIME_SOFT_BYTES |
				       1U << KIPSEC_A_LIFETIME_HARD_BYTES |
				       1U << KIPSEC_A_LIFETIME_SOFT_PACKETS |
				       1U << KIPSEC_A_LIFETIME_HARD_ADD_SECS |
				       1U << KIPSEC_A_LIFETIME_SOFT_USE_SECS) &&
	      sa->lifetime[KIPSEC_A_LIFETIME_HARD_ADD_SECS] == 3600 &&
	      sa->lifetime[KIPSEC_A_LIFETIME_SOFT_USE_SECS] == 60, "lifetimes");

	CHECK(parse(ADD "enc null auth sha1 keys @NULL") == 0 && !strcmp(sa->enc_alg, "ecb(cipher_null)") &&
	      KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ENC_KEY) && sa->keys.k[KIPSEC_KEY_ENC].len == 0,
	      "null cipher with its empty key: %s", e.msg);
	CHECK(parse(ADD "proto ah auth sha256 keys @AH") == 0 && sa->proto == IPPROTO_AH &&
	      !strcmp(sa->auth_alg, "hmac(sha256)") && KIPSEC_SA_HAS(sa, KIPSEC_A_SA_AUTH_KEY) &&
	      sa->keys.k[KIPSEC_KEY_AUTH].len == 32 && !KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ENC_ALG) &&
	      !KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ENC_KEY), "AH SA: auth only: %s", e.msg);
	CHECK(parse(ADD "aead rfc7539esp(chacha20,poly1305) keys @GCM") == 0 &&
	      !strcmp(sa->aead_alg, "rfc7539esp(chacha20,poly1305)"), "full crypto API name");
	CHECK(parse("sa del dst 10.0.0.2 spi 0x1001") == 0 && cmd.op == KIPSEC_SA_DEL &&
	      sa->family == AF_INET && sa->proto == IPPROTO_ESP, "del");
	CHECK(parse("sa get dst ::1 spi 300 proto esp keys") == 0 && cmd.op == KIPSEC_SA_GET &&
	      cmd.show_keys && sa->family == AF_INET6, "get with keys");
	CHECK(parse("sa show") == 0 && cmd.op == KIPSEC_SA_SHOW && !cmd.show_keys, "show");
	CHECK(parse("sa show keys") == 0 && cmd.show_keys, "show keys");
	CHECK(parse("sa list") == 0 && cmd.op == KIPSEC_SA_SHOW, "list is show");
	CHECK(parse("sa flush") == 0 && cmd.op == KIPSEC_SA_FLUSH, "flush");
}

static void test_parse_errors(void)
{
	BAD("sa", "sa: missing command, expected add, update, del, get, show or flush");
	BAD("sa remove", "sa: expected add, update, del, get, show or flush, got \"remove\"");
	BAD(ADD "aead aes-gcm keys @GCM spi 300", "spi: given twice");
	BAD("sa add src 10.0.0.1 dst 10.0.0.2 spi x", "spi: expected a number 256..4294967295, got \"x\"");
	BAD("sa add src 10.0.0.1 dst 10.0.0.2 spi 255", "spi: expected a number 256..4294967295, got \"255\"");
	BAD("sa add src 10.0.0.1 dst 10.0.0.2 spi", "spi: missing value, expected a number 256..4294967295");
	BAD("sa add src 10.0.0.1 dst 10.0.0.x", "dst: expected an IPv4 or IPv6 address, got \"10.0.0.x\"");
	BAD("sa add src 10.0.0.1 dst ::2 spi 300 mode tunnel aead aes-gcm keys @GCM",
	    "src and dst: one address is IPv4, the other IPv6");
	BAD("sa add dst 10.0.0.2 spi 300 mode tunnel aead aes-gcm keys @GCM", "sa add: missing \"src ADDR\"");
	BAD("sa add src 10.0.0.1 spi 300 mode tunnel aead aes-gcm keys @GCM", "sa add: missing \"dst ADDR\"");
	BAD("sa update src 10.0.0.1 dst 10.0.0.2 mode tunnel aead aes-gcm keys @GCM",
	    "sa update: missing \"spi SPI\"");
	BAD("sa add src 10.0.0.1 dst 10.0.0.2 spi 300 aead aes-gcm keys @GCM",
	    "sa add: missing \"mode tunnel|transport\"");
	BAD(ADD "mode tunnel", "mode: given twice");
	BAD("sa add src 10.0.0.1 dst 10.0.0.2 spi 300 mode beet", "mode: expected transport or tunnel, got \"beet\"");
	BAD(ADD "proto gre", "proto: expected esp or ah, got \"gre\"");
	BAD(ADD "keys @GCM", "sa add: missing \"aead ALG\" or \"enc ALG auth ALG\"");
	BAD(ADD "aead aes-gcm", "sa add: missing \"keys FILE\" (or \"keys -\" for stdin)");
	BAD(ADD "aead aes-gcm enc aes-cbc auth sha1 keys @GCM", "sa add: aead excludes enc and auth");
	BAD(ADD "enc aes-cbc keys @CBC", "sa add: enc needs auth too (or use aead)");
	BAD(ADD "auth sha1 keys @CBC",
	    "sa add: auth needs enc too (enc null, or proto ah, for integrity only)");
	BAD(ADD "proto ah enc aes-cbc auth sha1 keys @CBC",
	    "sa add: proto ah takes only \"auth ALG\" (no aead or enc)");
	BAD(ADD "proto ah aead aes-gcm keys @GCM",
	    "sa add: proto ah takes only \"auth ALG\" (no aead or enc)");
	BAD(ADD "proto ah keys @AH", "sa add: proto ah needs \"auth ALG\"");
	BAD(ADD "proto ah auth sha256 keys @CBC",
	    "keys: @CBC has an enc key, but the SA has no enc algorithm");
	BAD(ADD "aead aes-cbc", "aead: aes-cbc is a cipher, not an AEAD");
	BAD(ADD "enc sha1", "enc: sha1 is an integrity algorithm, not a cipher");
	BAD(ADD "aead", "aead: missing value, expected an algorithm name");
	BAD(ADD "aead aes-gcm icv 7 keys @GCM", "icv: expected a number 8..32, got \"7\"");
	BAD(ADD "aead aes-gcm replay-window 40000", "replay-window: expected a number 0..32768, got \"40000\"");
	BAD(ADD "aead aes-gcm seq -1", "seq: expected a number 0..18446744073709551615, got \"-1\"");
	BAD(ADD "aead aes-gcm reqid 1 reqid 2", "reqid: given twice");
	BAD(ADD "aead aes-gcm cpu", "cpu: missing value, expected a CPU number");
	BAD(ADD "aead aes-gcm encap espinudp 4500", "encap espinudp: missing value, expected a destination port");
	BAD(ADD "aead aes-gcm encap udp 4500 4500", "encap: expected espinudp, got \"udp\"");
	BAD(ADD "aead aes-gcm encap espinudp 0 4500", "encap sport: expected a number 1..65535, got \"0\"");
	BAD(ADD "aead aes-gcm encap espinudp 4500 65536", "encap dport: expected a number 1..65535, got \"65536\"");
	BAD(ADD "aead aes-gcm cpu one", "cpu: expected a number 0..4294967295, got \"one\"");
	BAD(ADD "aead aes-gcm esn esn", "esn: given twice");
	BAD(ADD "aead aes-gcm soft", "soft: missing value, expected bytes, packets, add-secs or use-secs");
	BAD(ADD "aead aes-gcm hard seconds 5", "hard: expected bytes, packets, add-secs or use-secs, got \"seconds\"");
	BAD(ADD "aead aes-gcm soft bytes", "soft bytes: missing value, expected a number");
	BAD(ADD "aead aes-gcm soft bytes x", "soft bytes: expected a number 0..18446744073709551615, got \"x\"");
	BAD(ADD "aead aes-gcm soft bytes 1 soft bytes 2", "soft bytes: given twice");
	BAD(ADD "aead aes-gcm key 0x0102", "sa add: unknown argument \"key\" (see kipsec help)");
	BAD(ADD "aead aes-gcm keys", "keys: missing value, expected a file name or - for stdin");
	BAD(ADD "aead aes-gcm keys /nonexistent", "keys: /nonexistent: No such file or directory");
	BAD(ADD "aead aes-gcm keys @CBC", "keys: @CBC has no aead key (a line \"aead HEX\") for rfc4106(gcm(aes))");
	BAD(ADD "aead aes-gcm keys @BOTH", "keys: @BOTH has an enc key, but the SA has no enc algorithm");
	BAD(ADD "enc aes-cbc auth sha256 keys @GCM", "keys: @GCM has an aead key, but the SA has no aead algorithm");
	BAD(ADD "enc aes-cbc auth sha256 keys @NULL", "keys: @NULL: the enc key for cbc(aes) is empty");
	BAD(ADD "enc null auth sha1 keys @CBC", "keys: @CBC: ecb(cipher_null) takes no key; leave the enc line out or empty");
	BAD("sa del dst 10.0.0.2", "sa del: missing \"spi SPI\"");
	BAD("sa del spi 300", "sa del: missing \"dst ADDR\"");
	BAD("sa del dst 10.0.0.2 spi 300 keys", "sa del: unknown argument \"keys\" (see kipsec help)");
	BAD("sa get dst 10.0.0.2 spi 300 src 10.0.0.1", "sa get: unknown argument \"src\" (see kipsec help)");
	BAD("sa show all", "sa show: unexpected argument \"all\" (only \"keys\")");
	BAD("sa flush now", "sa flush: unexpected argument \"now\"");
}

static void test_requests(void)
{
	const struct nlattr *tb[CLI_MAX_ATTR], *lt[CLI_MAX_ATTR];
	struct nlmsghdr *nlh;

	parse(ADD "reqid 1 aead aes-gcm keys @GCM soft bytes 1000 hard packets 5");
	nlh = build();
	cli_attrs(nlh, tb);
	CHECK(((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd == KIPSEC_CMD_SA_ADD &&
	      !(nlh->nlmsg_flags & NLM_F_DUMP), "add request command");
	CHECK(tb[KIPSEC_A_SA_FAMILY] && mnl_attr_get_u32(tb[KIPSEC_A_SA_FAMILY]) == AF_INET,
	      "family AF_INET");
	CHECK(tb[KIPSEC_A_SA_DADDR] && mnl_attr_get_payload_len(tb[KIPSEC_A_SA_DADDR]) == 4 &&
	      !memcmp(mnl_attr_get_payload(tb[KIPSEC_A_SA_DADDR]), "\x0a\x00\x00\x02", 4),
	      "daddr: 4 bytes, network order");
	CHECK(tb[KIPSEC_A_SA_SADDR] && mnl_attr_get_payload_len(tb[KIPSEC_A_SA_SADDR]) == 4,
	      "saddr: 4 bytes");
	CHECK(mnl_attr_get_u32(tb[KIPSEC_A_SA_SPI]) == 0x1001 &&
	      mnl_attr_get_u32(tb[KIPSEC_A_SA_PROTO]) == IPPROTO_ESP &&
	      mnl_attr_get_u32(tb[KIPSEC_A_SA_MODE]) == KIPSEC_MODE_TUNNEL &&
	      mnl_attr_get_u32(tb[KIPSEC_A_SA_REQID]) == 1, "spi (host order), proto, mode, reqid");
	CHECK(tb[KIPSEC_A_SA_AEAD_ALG] &&
	      !strcmp(mnl_attr_get_str(tb[KIPSEC_A_SA_AEAD_ALG]), "rfc4106(gcm(aes))") &&
	      mnl_attr_validate(tb[KIPSEC_A_SA_AEAD_ALG], MNL_TYPE_NUL_STRING) == 0,
	      "aead-alg NUL-terminated");
	CHECK(tb[KIPSEC_A_SA_AEAD_KEY] && mnl_attr_get_payload_len(tb[KIPSEC_A_SA_AEAD_KEY]) == 20 &&
	      ((uint8_t *)mnl_attr_get_payload(tb[KIPSEC_A_SA_AEAD_KEY]))[19] == 0x14, "aead-key");
	CHECK(!tb[KIPSEC_A_SA_ENC_ALG] && !tb[KIPSEC_A_SA_ENC_KEY] && !tb[KIPSEC_A_SA_AUTH_KEY] &&
	      !tb[KIPSEC_A_SA_ICV_LEN] && !tb[KIPSEC_A_SA_ESN] && !tb[KIPSEC_A_SA_SEQ] &&
	      !tb[KIPSEC_A_SA_SHOW_KEYS] && !tb[KIPSEC_A_SA_REPLAY_WINDOW] && !tb[KIPSEC_A_SA_CPU],
	      "nothing else");
	CHECK(tb[KIPSEC_A_SA_LIFETIME] &&
	      mnl_attr_validate(tb[KIPSEC_A_SA_LIFETIME], MNL_TYPE_NESTED) == 0, "lifetime nest");
	cli_nested(tb[KIPSEC_A_SA_LIFETIME], lt);
	CHECK(cli_count == 2 && lt[KIPSEC_A_LIFETIME_SOFT_BYTES] &&
	      mnl_attr_get_payload_len(lt[KIPSEC_A_LIFETIME_SOFT_BYTES]) == 8 &&
	      mnl_attr_get_u64(lt[KIPSEC_A_LIFETIME_SOFT_BYTES]) == 1000 &&
	      mnl_attr_get_u64(lt[KIPSEC_A_LIFETIME_HARD_PACKETS]) == 5, "lifetime: two u64s");

	parse(ADD "aead aes-gcm keys @GCM cpu 1");
	nlh = build();
	cli_attrs(nlh, tb);
	CHECK(tb[KIPSEC_A_SA_CPU] && mnl_attr_get_u32(tb[KIPSEC_A_SA_CPU]) == 1, "cpu: a u32");

	parse(ADD "aead aes-gcm keys @GCM encap espinudp 4500 4501");
	nlh = build();
	cli_attrs(nlh, tb);
	CHECK(tb[KIPSEC_A_SA_ENCAP_SPORT] && mnl_attr_get_u32(tb[KIPSEC_A_SA_ENCAP_SPORT]) == 4500 &&
	      tb[KIPSEC_A_SA_ENCAP_DPORT] && mnl_attr_get_u32(tb[KIPSEC_A_SA_ENCAP_DPORT]) == 4501,
	      "encap espinudp: both ports as u32s");

	parse("sa update src 2001:db8::1 dst 2001:db8::2 spi 4096 mode transport enc null auth sha512 "
	      "keys @NULL esn seq 7 replay-window 0 icv 32");
	nlh = build();
	cli_attrs(nlh, tb);
	CHECK(((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd == KIPSEC_CMD_SA_UPDATE,
	      "update request command");
	CHECK(mnl_attr_get_u32(tb[KIPSEC_A_SA_FAMILY]) == AF_INET6 &&
	      mnl_attr_get_payload_len(tb[KIPSEC_A_SA_DADDR]) == 16 &&
	      mnl_attr_get_payload_len(tb[KIPSEC_A_SA_SADDR]) == 16, "IPv6: family 10, 16-byte addresses");
	CHECK(tb[KIPSEC_A_SA_ENC_KEY] && mnl_attr_get_payload_len(tb[KIPSEC_A_SA_ENC_KEY]) == 0 &&
	      !strcmp(mnl_attr_get_str(tb[KIPSEC_A_SA_ENC_ALG]), "ecb(cipher_null)"),
	      "null cipher: empty enc-key");
	CHECK(mnl_attr_get_payload_len(tb[KIPSEC_A_SA_AUTH_KEY]) == 2 &&
	      !strcmp(mnl_attr_get_str(tb[KIPSEC_A_SA_AUTH_ALG]), "hmac(sha512)"), "auth alg and key");
	CHECK(tb[KIPSEC_A_SA_ESN] && mnl_attr_get_payload_len(tb[KIPSEC_A_SA_ESN]) == 0 &&
	      mnl_attr_get_u64(tb[KIPSEC_A_SA_SEQ]) == 7 &&
	      mnl_attr_get_u32(tb[KIPSEC_A_SA_REPLAY_WINDOW]) == 0 &&
	      mnl_attr_get_u32(tb[KIPSEC_A_SA_ICV_LEN]) == 32 && !tb[KIPSEC_A_SA_LIFETIME],
	      "esn flag, seq, replay-window 0 sent, icv, no lifetime");

	parse("sa del dst 2001:db8::2 spi 4096");
	nlh = build();
	cli_attrs(nlh, tb);
	CHECK(((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd == KIPSEC_CMD_SA_DEL &&
	      cli_count == 4 && mnl_attr_get_payload_len(tb[KIPSEC_A_SA_DADDR]) == 16 &&
	      mnl_attr_get_u32(tb[KIPSEC_A_SA_FAMILY]) == AF_INET6 &&
	      mnl_attr_get_u32(tb[KIPSEC_A_SA_PROTO]) == IPPROTO_ESP, "del: family, daddr, spi, proto");

	parse("sa get dst 10.0.0.2 spi 300 keys");
	nlh = build();
	cli_attrs(nlh, tb);
	CHECK(((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd == KIPSEC_CMD_SA_GET &&
	      !(nlh->nlmsg_flags & NLM_F_DUMP) && cli_count == 5 && tb[KIPSEC_A_SA_SHOW_KEYS],
	      "get: identity and show-keys");

	parse("sa show keys");
	nlh = build();
	cli_attrs(nlh, tb);
	CHECK(((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd == KIPSEC_CMD_SA_GET &&
	      (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP && cli_count == 1 &&
	      tb[KIPSEC_A_SA_SHOW_KEYS], "show keys: a dump with show-keys only");
	parse("sa show");
	nlh = build();
	cli_attrs(nlh, tb);
	CHECK(cli_count == 0, "show: an empty dump request");
	parse("sa flush");
	nlh = build();
	CHECK(((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd == KIPSEC_CMD_SA_FLUSH &&
	      nlh->nlmsg_len == MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr)),
	      "flush: no attributes");
}

/* A get/dump reply as the kernel would send it. */
static struct nlmsghdr *reply(bool v6, bool keys)
{
	struct nlmsghdr *nlh = cli_msg(buf, KIPSEC_CMD_SA_GET);
	static const uint8_t key[20] = { 0xaa, [19] = 0xbb };
	struct nlattr *n;

	mnl_attr_put_u32(nlh, KIPSEC_A_SA_FAMILY, v6 ? AF_INET6 : AF_INET);
	mnl_attr_put(nlh, KIPSEC_A_SA_DADDR, v6 ? 16 : 4,
		     v6 ? "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x02" : "\x0a\0\0\x02");
	mnl_attr_put(nlh, KIPSEC_A_SA_SADDR, v6 ? 16 : 4,
		     v6 ? "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01" : "\x0a\0\0\x01");
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_SPI, 0x1001);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_PROTO, IPPROTO_ESP);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_MODE, KIPSEC_MODE_TUNNEL);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_REQID, 1);
	mnl_attr_put_strz(nlh, KIPSEC_A_SA_AEAD_ALG, "rfc4106(gcm(aes))");
	if (keys)
		mnl_attr_put(nlh, KIPSEC_A_SA_AEAD_KEY, sizeof(key), key);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_ICV_LEN, 16);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_REPLAY_WINDOW, 64);
	mnl_attr_put(nlh, KIPSEC_A_SA_ESN, 0, NULL);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_SEQ, 5);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_SEQ_IN, 0);
	n = mnl_attr_nest_start(nlh, KIPSEC_A_SA_LIFETIME);
	mnl_attr_put_u64(nlh, KIPSEC_A_LIFETIME_SOFT_BYTES, 1000);
	mnl_attr_put_u64(nlh, KIPSEC_A_LIFETIME_HARD_ADD_SECS, 3600);
	mnl_attr_put_u64(nlh, 99, 1);		/* newer kernel: ignored */
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, KIPSEC_A_SA_STATS);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_PACKETS, 5);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_BYTES, 420);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_REPLAY_DROPS, 0);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_WINDOW_DROPS, 0);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_ICV_FAILURES, 0);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_STATS_ERRORS, 0);
	mnl_attr_nest_end(nlh, n);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_ADD_TIME, 0);
	mnl_attr_put_u64(nlh, KIPSEC_A_SA_USE_TIME, 0);
	mnl_attr_put_u32(nlh, 200, 1);		/* newer kernel: ignored */
	return nlh;
}

static void test_replies(void)
{
	struct kipsec_sa_list list = { 0 };
	struct nlmsghdr *nlh;
	const struct kipsec_sa *sa;
	uint16_t two = 2;

	nlh = reply(false, true);
	CHECK(kipsec_sa_list_cb(nlh, &list) == MNL_CB_OK && list.n == 1, "reply parses");
	sa = &list.sas[0];
	CHECK(sa->family == AF_INET && sa->daddr.len == 4 && sa->saddr.len == 4 &&
	      sa->spi == 0x1001 && sa->reqid == 1 && sa->icv_len == 16 && sa->seq == 5 &&
	      KIPSEC_SA_HAS(sa, KIPSEC_A_SA_ESN) && sa->keys.k[KIPSEC_KEY_AEAD].len == 20,
	      "reply fields");
	CHECK(sa->lifetime_present == (1U << KIPSEC_A_LIFETIME_SOFT_BYTES |
				       1U << KIPSEC_A_LIFETIME_HARD_ADD_SECS) &&
	      sa->stats[KIPSEC_A_SA_STATS_BYTES] == 420, "nests; unknown nested attribute skipped");
	CLI_CAPTURE(kipsec_sa_print(f, sa));
	CHECK(!strcmp(cli_out,
		      "src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x00001001 reqid 1 mode tunnel\n"
		      "    aead rfc4106(gcm(aes)) icv 16 key 0xaa000000000000000000000000000000000000bb\n"
		      "    replay-window 64 esn seq 0x5 seq-in 0x0\n"
		      "    lifetime soft bytes 1000 hard add-secs 3600\n"
		      "    stats packets 5 bytes 420 replay-drops 0 window-drops 0 icv-failures 0 errors 0\n"
		      "    added never used never\n"), "human output");
	CLI_CAPTURE(kipsec_sa_print_json(f, sa));
	CHECK(!strcmp(cli_out,
		      "{\"family\":\"inet\",\"src\":\"10.0.0.1\",\"dst\":\"10.0.0.2\",\"proto\":\"esp\","
		      "\"spi\":4097,\"reqid\":1,\"mode\":\"tunnel\",\"aead\":{\"name\":\"rfc4106(gcm(aes))\","
		      "\"key\":\"0xaa000000000000000000000000000000000000bb\"},\"icv\":16,"
		      "\"replay_window\":64,\"esn\":true,\"seq\":5,\"seq_in\":0,"
		      "\"lifetime\":{\"soft_bytes\":1000,\"hard_add_secs\":3600},"
		      "\"stats\":{\"packets\":5,\"bytes\":420,\"replay_drops\":0,\"window_drops\":0,"
		      "\"icv_failures\":0,\"errors\":0},\"add_time\":0,\"use_time\":0,\"dying\":false}"),
	      "JSON output: %s", cli_out);

	nlh = reply(true, false);
	CHECK(kipsec_sa_list_cb(nlh, &list) == MNL_CB_OK && list.n == 2, "second (IPv6) SA");
	sa = &list.sas[1];
	CLI_CAPTURE(kipsec_sa_print(f, sa));
	CHECK(!strncmp(cli_out, "src 2001:db8::1 dst 2001:db8::2 proto esp spi 0x00001001", 56) &&
	      strstr(cli_out, "    aead rfc4106(gcm(aes)) icv 16\n") && !strstr(cli_out, "key"),
	      "IPv6, no key without show-keys");

	nlh = reply(false, false);
	nlh->nlmsg_flags |= NLM_F_DUMP_INTR;
	CHECK(kipsec_sa_list_cb(nlh, &list) == MNL_CB_OK && list.interrupted, "NLM_F_DUMP_INTR noted");
	kipsec_sa_list_free(&list);
	CHECK(!list.sas && !list.n, "list freed");

	/* Malformed replies. */
	nlh = cli_msg(buf, KIPSEC_CMD_SA_GET);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_FAMILY, AF_INET);
	mnl_attr_put(nlh, KIPSEC_A_SA_DADDR, 16, "0123456789abcdef");
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_SPI, 300);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_PROTO, IPPROTO_ESP);
	CHECK(kipsec_sa_list_cb(nlh, &list) == MNL_CB_ERROR && errno == EBADMSG,
	      "16-byte daddr with AF_INET is refused");
	nlh = cli_msg(buf, KIPSEC_CMD_SA_GET);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_FAMILY, AF_INET);
	mnl_attr_put(nlh, KIPSEC_A_SA_DADDR, 5, "01234");
	CHECK(kipsec_sa_list_cb(nlh, &list) == MNL_CB_ERROR, "5-byte address is refused");
	nlh = cli_msg(buf, KIPSEC_CMD_SA_GET);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_FAMILY, AF_INET);
	mnl_attr_put(nlh, KIPSEC_A_SA_DADDR, 4, "0123");
	mnl_attr_put(nlh, KIPSEC_A_SA_SPI, sizeof(two), &two);
	CHECK(kipsec_sa_list_cb(nlh, &list) == MNL_CB_ERROR, "u16 spi is refused");
	nlh = cli_msg(buf, KIPSEC_CMD_SA_GET);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_FAMILY, AF_INET);
	mnl_attr_put(nlh, KIPSEC_A_SA_DADDR, 4, "0123");
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_PROTO, IPPROTO_ESP);
	CHECK(kipsec_sa_list_cb(nlh, &list) == MNL_CB_ERROR, "SA without spi is refused");
	nlh = reply(false, false);
	mnl_attr_put(nlh, KIPSEC_A_SA_ENC_ALG, 3, "abc");
	CHECK(kipsec_sa_list_cb(nlh, &list) == MNL_CB_ERROR, "unterminated algorithm name is refused");
	nlh = reply(false, false);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_SEQ_IN, 1);
	CHECK(kipsec_sa_list_cb(nlh, &list) == MNL_CB_ERROR, "u32 where a u64 belongs is refused");
	nlh = reply(false, false);
	mnl_attr_put(nlh, KIPSEC_A_SA_AUTH_KEY, 65, buf + 4096);
	CHECK(kipsec_sa_list_cb(nlh, &list) == MNL_CB_ERROR, "overlong key is refused");
	nlh = reply(false, false);
	nlh->nlmsg_len = sizeof(*nlh) + 2;
	CHECK(kipsec_sa_list_cb(nlh, &list) == MNL_CB_ERROR, "message shorter than genl header");
	kipsec_sa_list_free(&list);
}

int main(void)
{
	const char *p;

	p = cli_file("aead 0x0102030405060708090a0b0c0d0e0f1011121314\n", 0600);
	snprintf(gcm_keys, sizeof(gcm_keys), "%s", p);
	p = cli_file("# cbc(aes) + hmac\nenc 00112233445566778899aabbccddeeff\nauth 0x0102\n", 0600);
	snprintf(cbc_keys, sizeof(cbc_keys), "%s", p);
	p = cli_file("enc\nauth 0x0102\n", 0600);
	snprintf(null_keys, sizeof(null_keys), "%s", p);
	p = cli_file("aead 0x0102030405060708090a0b0c0d0e0f1011121314\nenc 00\n", 0600);
	snprintf(both_keys, sizeof(both_keys), "%s", p);
	p = cli_file("auth 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", 0600);
	snprintf(ah_keys, sizeof(ah_keys), "%s", p);

	test_parse_ok();
	test_parse_errors();
	test_requests();
	test_replies();

	unlink(gcm_keys);
	unlink(cbc_keys);
	unlink(null_keys);
	unlink(both_keys);
	unlink(ah_keys);
	return tap_done();
}
