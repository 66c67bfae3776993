// SPDX-License-Identifier: GPL-2.0
/*
 * nl_badinput: every kipsec genl request that takes input, sent broken.
 *
 * Run as root in a fresh network namespace with kipsec.ko loaded. It sets up
 * two SAs and two policies with valid requests, then walks a table of cases:
 * each starts from a valid request for one op (the "base") and breaks it in
 * one way (an attribute omitted, too short or long, out of range, of the
 * wrong type, unknown, or semantically wrong). Each must fail with the
 * expected errno and an extended ACK message that names the offending
 * attribute (or, for a missing one, says what is missing), and must leave
 * the SAD, SPD and counters exactly as they were. Then a child drops root
 * (and with it CAP_NET_ADMIN) and checks what an unprivileged caller may do.
 * Output is TAP, one line per case, closing with the plan.
 *
 * The kipsec CLI validates its input and cannot send any of this: requests
 * are built here from tables, with libmnl, and exchanged with tools/nl.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/kipsec.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nl.h"
#include "nl_names.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- request descriptions ---------------------------------------------- */

/*
 * One attribute. Top-level ones have parent 0; members of a nest name the
 * nest's (top-level) type as parent. Payloads are raw bytes, so any length
 * can be sent for any type.
 */
struct attr {
	uint16_t parent;
	uint16_t type;
	uint16_t tflags;	/* OR'd into nla_type (NLA_F_NESTED on a non-nest) */
	bool nest;		/* members follow from the attrs naming it parent */
	bool bare;		/* a nest sent without NLA_F_NESTED */
	const void *data;
	int len;
};

#define U16(v) .data = &(const uint16_t){ v }, .len = 2
#define U32(v) .data = &(const uint32_t){ v }, .len = 4
#define U64(v) .data = &(const uint64_t){ v }, .len = 8
#define STR(s) .data = s, .len = sizeof(s)		/* with its NUL */
#define NONUL(s) .data = s, .len = sizeof(s) - 1	/* without */
#define FLAG .data = "", .len = 0
#define NEST .nest = true
#define BYTES(n) .data = bytes, .len = n
#define IP4(a, b, c, d) .data = (const uint8_t[4]){ a, b, c, d }, .len = 4
#define IP6(a, b, z) .data = (const uint8_t[16]){ a, b, [15] = z }, .len = 16

#define T(t, ...) { .type = t, __VA_ARGS__ }
#define N(p, t, ...) { .parent = p, .type = t, __VA_ARGS__ }

static const uint8_t bytes[128] = { [0 ... 127] = 0x5a };

#define S16 "xxxxxxxxxxxxxxxx"
#define S63 "xxxxxxxxxxxxxxx" S16 S16 S16
#define S64 S16 S16 S16 S16

/* Setup: SA 0x1001 (v4, AEAD, tunnel) and 0x1002 (v6, cbc+hmac, transport). */
#define SPI4 0x1001
#define SPI6 0x1002
#define SPI_NEW4 0x2001
#define SPI_NEW6 0x2002
#define SPI_NONE 0x9999

#define SA4_ATTRS(spi)								\
	T(KIPSEC_A_SA_FAMILY, U32(AF_INET)),					\
	T(KIPSEC_A_SA_DADDR, IP4(10, 0, 0, 2)),					\
	T(KIPSEC_A_SA_SADDR, IP4(10, 0, 0, 1)),					\
	T(KIPSEC_A_SA_SPI, U32(spi)),						\
	T(KIPSEC_A_SA_PROTO, U32(50)),						\
	T(KIPSEC_A_SA_MODE, U32(KIPSEC_MODE_TUNNEL)),				\
	T(KIPSEC_A_SA_REQID, U32(7)),						\
	T(KIPSEC_A_SA_AEAD_ALG, STR("rfc4106(gcm(aes))")),			\
	T(KIPSEC_A_SA_AEAD_KEY, BYTES(20)),					\
	T(KIPSEC_A_SA_ICV_LEN, U32(16)),					\
	T(KIPSEC_A_SA_REPLAY_WINDOW, U32(64)),					\
	T(KIPSEC_A_SA_SEQ, U64(5)),						\
	T(KIPSEC_A_SA_LIFETIME, NEST),						\
	N(KIPSEC_A_SA_LIFETIME, KIPSEC_A_LIFETIME_SOFT_BYTES, U64(1000000)),	\
	N(KIPSEC_A_SA_LIFETIME, KIPSEC_A_LIFETIME_HARD_BYTES, U64(2000000))

#define SA6_ATTRS(spi)								\
	T(KIPSEC_A_SA_FAMILY, U32(AF_INET6)),					\
	T(KIPSEC_A_SA_DADDR, IP6(0xfd, 0x00, 2)),				\
	T(KIPSEC_A_SA_SADDR, IP6(0xfd, 0x00, 1)),				\
	T(KIPSEC_A_SA_SPI, U32(spi)),						\
	T(KIPSEC_A_SA_MODE, U32(KIPSEC_MODE_TRANSPORT)),			\
	T(KIPSEC_A_SA_ENC_ALG, STR("cbc(aes)")),				\
	T(KIPSEC_A_SA_ENC_KEY, BYTES(16)),					\
	T(KIPSEC_A_SA_AUTH_ALG, STR("hmac(sha256)")),				\
	T(KIPSEC_A_SA_AUTH_KEY, BYTES(32)),					\
	T(KIPSEC_A_SA_REPLAY_WINDOW, U32(128)),					\
	T(KIPSEC_A_SA_ESN, FLAG)

static const struct attr sa_add4[] = { SA4_ATTRS(SPI_NEW4) };
static const struct attr sa_upd4[] = { SA4_ATTRS(SPI4) };
static const struct attr sa_add6[] = { SA6_ATTRS(SPI_NEW6) };
static const struct attr sa_upd6[] = { SA6_ATTRS(SPI6) };

static const struct attr sa_del[] = {
	T(KIPSEC_A_SA_FAMILY, U32(AF_INET)),
	T(KIPSEC_A_SA_DADDR, IP4(10, 0, 0, 2)),
	T(KIPSEC_A_SA_SPI, U32(SPI4)),
	T(KIPSEC_A_SA_PROTO, U32(50)),
};

static const struct attr sa_get[] = {
	T(KIPSEC_A_SA_FAMILY, U32(AF_INET)),
	T(KIPSEC_A_SA_DADDR, IP4(10, 0, 0, 2)),
	T(KIPSEC_A_SA_SPI, U32(SPI4)),
	T(KIPSEC_A_SA_PROTO, U32(50)),
	T(KIPSEC_A_SA_SHOW_KEYS, FLAG),
};

static const struct attr sa_dump[] = {
	T(KIPSEC_A_SA_SHOW_KEYS, FLAG),
};

#define SEL KIPSEC_A_POLICY_SELECTOR
#define TMPL KIPSEC_A_POLICY_TMPL
/*
 * A bundle repeats the tmpl nest. Attributes are told apart by type, so the
 * second and third tmpl nests carry a marker bit that never goes on the
 * wire (WIRE() drops it; attribute types have 14 bits, these stay below).
 */
#define REPEAT(t, k) ((t) | (k) << 11)
#define WIRE(t) ((t) & 0x7ff)
#define TMPL2 REPEAT(TMPL, 1)
#define TMPL3 REPEAT(TMPL, 2)
/* The outer layer of a valid bundle: AH, transport. */
#define AH_OUTER(t)								\
	SET(t, NEST), SETN(t, KIPSEC_A_TMPL_PROTO, U32(51)),			\
	SETN(t, KIPSEC_A_TMPL_MODE, U32(KIPSEC_MODE_TRANSPORT))

/* Out, protect, tunnel: TCP 10.1/16 -> 10.2/16 ports 80-443. */
static const struct attr pol_add[] = {
	T(KIPSEC_A_POLICY_DIR, U32(KIPSEC_DIR_OUT)),
	T(KIPSEC_A_POLICY_PRIORITY, U32(200)),
	T(KIPSEC_A_POLICY_ACTION, U32(KIPSEC_ACTION_PROTECT)),
	T(SEL, NEST),
	N(SEL, KIPSEC_A_SELECTOR_FAMILY, U32(AF_INET)),
	N(SEL, KIPSEC_A_SELECTOR_SADDR, IP4(10, 1, 0, 0)),
	N(SEL, KIPSEC_A_SELECTOR_SPREFIX, U32(16)),
	N(SEL, KIPSEC_A_SELECTOR_DADDR, IP4(10, 2, 0, 0)),
	N(SEL, KIPSEC_A_SELECTOR_DPREFIX, U32(16)),
	N(SEL, KIPSEC_A_SELECTOR_PROTO, U32(6)),
	N(SEL, KIPSEC_A_SELECTOR_SPORT_MIN, U32(0)),
	N(SEL, KIPSEC_A_SELECTOR_SPORT_MAX, U32(65535)),
	N(SEL, KIPSEC_A_SELECTOR_DPORT_MIN, U32(80)),
	N(SEL, KIPSEC_A_SELECTOR_DPORT_MAX, U32(443)),
	T(TMPL, NEST),
	N(TMPL, KIPSEC_A_TMPL_FAMILY, U32(AF_INET)),
	N(TMPL, KIPSEC_A_TMPL_SADDR, IP4(10, 0, 0, 1)),
	N(TMPL, KIPSEC_A_TMPL_DADDR, IP4(10, 0, 0, 2)),
	N(TMPL, KIPSEC_A_TMPL_PROTO, U32(50)),
	N(TMPL, KIPSEC_A_TMPL_MODE, U32(KIPSEC_MODE_TUNNEL)),
	N(TMPL, KIPSEC_A_TMPL_REQID, U32(7)),
};

/* The index of the first setup policy, learnt from its reply. */
static uint32_t pol_index;

static const struct attr pol_del[] = {
	T(KIPSEC_A_POLICY_INDEX, .data = &pol_index, .len = 4),
};

static const struct attr info[] = {
	T(KIPSEC_A_INFO_ALG_NAME, STR("hmac(sha256)")),
};

/* The valid requests every case starts from. */
enum {
	SA_ADD4, SA_UPD4, SA_ADD6, SA_UPD6, SA_DEL, SA_GET, SA_DUMP, SA_FLUSH,
	POL_ADD, POL_DEL, POL_DUMP, POL_FLUSH, STATS, INFO, NBASES
};

struct base {
	const char *op;
	uint8_t cmd;
	uint16_t flags;
	const struct attr *attrs;
	size_t nattrs;
	const char *const *names;	/* top-level attribute names */
	size_t nnames;
};

#define BASE(o, c, f, a, n) { o, c, f, a, ARRAY_SIZE(a), n, ARRAY_SIZE(n) }
#define BASE0(o, c, f, n) { o, c, f, NULL, 0, n, ARRAY_SIZE(n) }

static const struct base bases[NBASES] = {
	[SA_ADD4] = BASE("sa-add", KIPSEC_CMD_SA_ADD, 0, sa_add4, kipsec_sa_attr_names),
	[SA_UPD4] = BASE("sa-update", KIPSEC_CMD_SA_UPDATE, 0, sa_upd4, kipsec_sa_attr_names),
	[SA_ADD6] = BASE("sa-add v6", KIPSEC_CMD_SA_ADD, 0, sa_add6, kipsec_sa_attr_names),
	[SA_UPD6] = BASE("sa-update v6", KIPSEC_CMD_SA_UPDATE, 0, sa_upd6, kipsec_sa_attr_names),
	[SA_DEL] = BASE("sa-del", KIPSEC_CMD_SA_DEL, 0, sa_del, kipsec_sa_attr_names),
	[SA_GET] = BASE("sa-get", KIPSEC_CMD_SA_GET, 0, sa_get, kipsec_sa_attr_names),
	[SA_DUMP] = BASE("sa-get dump", KIPSEC_CMD_SA_GET, NLM_F_DUMP, sa_dump,
			 kipsec_sa_attr_names),
	[SA_FLUSH] = BASE0("sa-flush", KIPSEC_CMD_SA_FLUSH, 0, kipsec_sa_attr_names),
	[POL_ADD] = BASE("policy-add", KIPSEC_CMD_POLICY_ADD, 0, pol_add,
			 kipsec_policy_attr_names),
	[POL_DEL] = BASE("policy-del", KIPSEC_CMD_POLICY_DEL, 0, pol_del,
			 kipsec_policy_attr_names),
	[POL_DUMP] = BASE0("policy-get dump", KIPSEC_CMD_POLICY_GET, NLM_F_DUMP,
			   kipsec_policy_attr_names),
	[POL_FLUSH] = BASE0("policy-flush", KIPSEC_CMD_POLICY_FLUSH, 0, kipsec_policy_attr_names),
	[STATS] = BASE0("get-stats", KIPSEC_CMD_GET_STATS, 0, kipsec_stats_attr_names),
	[INFO] = BASE("get-info", KIPSEC_CMD_GET_INFO, 0, info, kipsec_info_attr_names),
};

/* ---- cases -------------------------------------------------------------- */

enum mop { M_NONE, M_SET, M_DEL };

/* Set (replace, or append if absent) or delete one attribute of the base. */
struct mut {
	enum mop op;
	struct attr a;
};

#define SET(t, ...) { M_SET, T(t, __VA_ARGS__) }
#define SETN(p, t, ...) { M_SET, N(p, t, __VA_ARGS__) }
#define DEL(t) { M_DEL, T(t) }
#define DELN(p, t) { M_DEL, N(p, t) }

#define MAXM 8

/* What the attribute check of a case wants. */
#define MISSING -2	/* a missing attribute: the message says which */
#define ANYATTR -3	/* some attribute offset, whichever */

struct tcase {
	unsigned int on;	/* bitmask of bases */
	const char *what;
	struct mut m[MAXM];
	int err;		/* expected errno */
	int attr;		/* top-level attribute the extack points at, or the above */
	const char *msg;	/* for MISSING: what the message must mention */
};

/* A case: where, what, expected errno and attribute, then the changes. */
#define C(o, w, e, a, ...) { .on = o, .what = w, .err = e, .attr = a, .m = { __VA_ARGS__ } }
/* A case omitting a required attribute: the message must mention @s. */
#define CM(o, w, s, ...) { .on = o, .what = w, .err = EINVAL, .attr = MISSING, .msg = s, \
			   .m = { __VA_ARGS__ } }

#define B(x) (1u << (x))
#define SA4 (B(SA_ADD4) | B(SA_UPD4))
#define SA6 (B(SA_ADD6) | B(SA_UPD6))
#define SAID (B(SA_DEL) | B(SA_GET))

#define A_(x) KIPSEC_A_SA_##x
#define P_(x) KIPSEC_A_POLICY_##x
#define S_(x) KIPSEC_A_SELECTOR_##x
#define TM_(x) KIPSEC_A_TMPL_##x
#define L_(x) KIPSEC_A_LIFETIME_##x

static const struct tcase cases[] = {
	/* --- SA identity: sa-add, sa-update, sa-del, sa-get --- */
	CM(SA4 | SAID, "no family", "family", DEL(A_(FAMILY))),
	CM(SA4 | SAID, "no daddr", "destination", DEL(A_(DADDR))),
	CM(SA4 | SAID, "no spi", "SPI", DEL(A_(SPI))),
	C(SA4 | SAID, "family 3", EAFNOSUPPORT, A_(FAMILY), SET(A_(FAMILY), U32(3))),
	C(B(SA_ADD4) | B(SA_DEL), "family as 2 bytes", EINVAL, A_(FAMILY),
	  SET(A_(FAMILY), U16(AF_INET))),
	C(B(SA_ADD4) | B(SA_GET), "daddr of 3 bytes", ERANGE, A_(DADDR), SET(A_(DADDR), BYTES(3))),
	C(B(SA_ADD4), "daddr of 17 bytes", ERANGE, A_(DADDR), SET(A_(DADDR), BYTES(17))),
	C(SA4 | SAID, "16-byte daddr for AF_INET", EINVAL, A_(DADDR), SET(A_(DADDR), BYTES(16))),
	C(SA6, "4-byte daddr for AF_INET6", EINVAL, A_(DADDR), SET(A_(DADDR), IP4(10, 0, 0, 2))),
	C(SA4 | SAID, "spi 255", ERANGE, A_(SPI), SET(A_(SPI), U32(255))),
	C(B(SA_ADD4), "spi 0", ERANGE, A_(SPI), SET(A_(SPI), U32(0))),
	C(SA4 | SAID, "spi as 2 bytes", EINVAL, A_(SPI), SET(A_(SPI), U16(0x3001))),
	C(B(SA_ADD4), "spi as 8 bytes", EINVAL, A_(SPI), SET(A_(SPI), U64(0x3001))),
	C(B(SA_ADD4), "spi flagged NLA_F_NESTED", EINVAL, A_(SPI),
	  SET(A_(SPI), U32(0x3001), .tflags = NLA_F_NESTED)),
	C(SA4 | SAID, "proto 49", ERANGE, A_(PROTO), SET(A_(PROTO), U32(49))),
	C(B(SA_ADD4), "proto 52", ERANGE, A_(PROTO), SET(A_(PROTO), U32(52))),
	C(SAID, "proto 51: no AH SA with this SPI", ENOENT, A_(SPI), SET(A_(PROTO), U32(51))),
	C(B(SA_ADD4), "proto as 8 bytes", EINVAL, A_(PROTO), SET(A_(PROTO), U64(50))),

	/* --- AH SAs (proto 51): integrity only --- */
	C(SA4, "AH with aead-alg", EINVAL, A_(AEAD_ALG), SET(A_(PROTO), U32(51))),
	C(SA4, "AH with aead-key only", EINVAL, A_(AEAD_KEY), SET(A_(PROTO), U32(51)),
	  DEL(A_(AEAD_ALG))),
	C(SA6, "AH with enc-alg", EINVAL, A_(ENC_ALG), SET(A_(PROTO), U32(51))),
	C(SA6, "AH with enc-key only", EINVAL, A_(ENC_KEY), SET(A_(PROTO), U32(51)),
	  DEL(A_(ENC_ALG))),
	CM(SA6, "AH without auth-alg", "auth-alg", SET(A_(PROTO), U32(51)), DEL(A_(ENC_ALG)),
	   DEL(A_(ENC_KEY)), DEL(A_(AUTH_ALG))),
	CM(SA6, "AH without auth-key", "auth-key", SET(A_(PROTO), U32(51)), DEL(A_(ENC_ALG)),
	   DEL(A_(ENC_KEY)), DEL(A_(AUTH_KEY))),
	C(SA6, "AH with a cipher as auth-alg", EINVAL, A_(AUTH_ALG), SET(A_(PROTO), U32(51)),
	  DEL(A_(ENC_ALG)), DEL(A_(ENC_KEY)), SET(A_(AUTH_ALG), STR("cbc(aes)"))),
	C(SA6, "AH icv-len 10 (not a multiple of 4)", EINVAL, A_(ICV_LEN),
	  SET(A_(PROTO), U32(51)), DEL(A_(ENC_ALG)), DEL(A_(ENC_KEY)), SET(A_(ICV_LEN), U32(10))),
	C(SA6, "AH hmac(sha1) icv-len 24 (above the digest)", EINVAL, A_(ICV_LEN),
	  SET(A_(PROTO), U32(51)), DEL(A_(ENC_ALG)), DEL(A_(ENC_KEY)),
	  SET(A_(AUTH_ALG), STR("hmac(sha1)")), SET(A_(ICV_LEN), U32(24))),

	/* --- SA configuration: sa-add, sa-update --- */
	CM(SA4, "no saddr", "source", DEL(A_(SADDR))),
	CM(SA4, "no mode", "mode", DEL(A_(MODE))),
	C(B(SA_ADD4), "saddr of 2 bytes", ERANGE, A_(SADDR), SET(A_(SADDR), BYTES(2))),
	C(SA4, "16-byte saddr for AF_INET", EINVAL, A_(SADDR), SET(A_(SADDR), BYTES(16))),
	C(SA6, "4-byte saddr for AF_INET6", EINVAL, A_(SADDR), SET(A_(SADDR), IP4(10, 0, 0, 1))),
	C(SA4, "mode 0", ERANGE, A_(MODE), SET(A_(MODE), U32(0))),
	C(SA4, "mode 3", ERANGE, A_(MODE), SET(A_(MODE), U32(3))),
	C(B(SA_ADD4), "reqid as 8 bytes", EINVAL, A_(REQID), SET(A_(REQID), U64(7))),
	C(B(SA_ADD4), "aead-alg without NUL", EINVAL, A_(AEAD_ALG),
	  SET(A_(AEAD_ALG), NONUL("rfc4106(gcm(aes))"))),
	C(SA4, "aead-alg of 64 chars", EINVAL, A_(AEAD_ALG), SET(A_(AEAD_ALG), STR(S64))),
	C(SA4, "unknown aead-alg", EINVAL, A_(AEAD_ALG), SET(A_(AEAD_ALG), STR("gcm(nope)"))),
	C(B(SA_ADD4), "aead-alg of 63 unknown chars", EINVAL, A_(AEAD_ALG),
	  SET(A_(AEAD_ALG), STR(S63))),
	C(B(SA_ADD4), "empty aead-alg", EINVAL, A_(AEAD_ALG), SET(A_(AEAD_ALG), STR(""))),
	C(B(SA_ADD4), "a cipher as aead-alg", EINVAL, A_(AEAD_ALG),
	  SET(A_(AEAD_ALG), STR("cbc(aes)"))),
	C(B(SA_ADD4), "aead-key of 37 bytes", ERANGE, A_(AEAD_KEY), SET(A_(AEAD_KEY), BYTES(37))),
	C(SA4, "aead-key of 19 bytes (wrong for rfc4106(gcm(aes)))", EINVAL, A_(AEAD_KEY),
	  SET(A_(AEAD_KEY), BYTES(19))),
	CM(SA4, "aead-alg without aead-key", "aead-key", DEL(A_(AEAD_KEY))),
	CM(SA4, "no algorithm at all", "aead-alg", DEL(A_(AEAD_ALG))),
	C(SA4, "aead-alg with enc-alg", EINVAL, A_(ENC_ALG), SET(A_(ENC_ALG), STR("cbc(aes)"))),
	C(B(SA_ADD4), "aead-alg with auth-alg", EINVAL, A_(AUTH_ALG),
	  SET(A_(AUTH_ALG), STR("hmac(sha256)")), SET(A_(AUTH_KEY), BYTES(32))),
	CM(SA6, "enc-alg without auth-alg", "auth-alg", DEL(A_(AUTH_ALG)), DEL(A_(AUTH_KEY))),
	CM(SA6, "auth-alg without auth-key", "auth-key", DEL(A_(AUTH_KEY))),
	C(SA6, "unknown enc-alg", EINVAL, A_(ENC_ALG), SET(A_(ENC_ALG), STR("cbc(nope)"))),
	C(B(SA_ADD6), "an AEAD as enc-alg", EINVAL, A_(ENC_ALG),
	  SET(A_(ENC_ALG), STR("rfc4106(gcm(aes))"))),
	C(B(SA_ADD6), "enc-alg without NUL", EINVAL, A_(ENC_ALG),
	  SET(A_(ENC_ALG), NONUL("cbc(aes)"))),
	C(SA6, "unknown auth-alg", EINVAL, A_(AUTH_ALG), SET(A_(AUTH_ALG), STR("hmac(md5)"))),
	C(B(SA_ADD6), "a cipher as auth-alg", EINVAL, A_(AUTH_ALG),
	  SET(A_(AUTH_ALG), STR("cbc(aes)"))),
	C(B(SA_ADD6), "auth-alg of 64 chars", EINVAL, A_(AUTH_ALG), SET(A_(AUTH_ALG), STR(S64))),
	C(B(SA_ADD6), "enc-key of 33 bytes", ERANGE, A_(ENC_KEY), SET(A_(ENC_KEY), BYTES(33))),
	C(SA6, "enc-key of 15 bytes (wrong for cbc(aes))", EINVAL, A_(ENC_KEY),
	  SET(A_(ENC_KEY), BYTES(15))),
	C(B(SA_ADD6), "auth-key of 65 bytes", ERANGE, A_(AUTH_KEY), SET(A_(AUTH_KEY), BYTES(65))),
	C(SA4, "icv-len 7", ERANGE, A_(ICV_LEN), SET(A_(ICV_LEN), U32(7))),
	C(B(SA_ADD4), "icv-len 33", ERANGE, A_(ICV_LEN), SET(A_(ICV_LEN), U32(33))),
	C(SA4, "icv-len 10 (not one rfc4106 allows)", EINVAL, A_(ICV_LEN),
	  SET(A_(ICV_LEN), U32(10))),
	C(B(SA_ADD4), "icv-len as 2 bytes", EINVAL, A_(ICV_LEN), SET(A_(ICV_LEN), U16(16))),
	C(SA4, "replay-window 40000", ERANGE, A_(REPLAY_WINDOW),
	  SET(A_(REPLAY_WINDOW), U32(40000))),
	C(B(SA_ADD6), "replay-window as 8 bytes", EINVAL, A_(REPLAY_WINDOW),
	  SET(A_(REPLAY_WINDOW), U64(64))),
	C(SA6, "esn flag with a payload", ERANGE, A_(ESN), SET(A_(ESN), U32(1))),
	C(SA4, "cpu 4096 (no such CPU)", EINVAL, A_(CPU), SET(A_(CPU), U32(4096))),
	C(B(SA_ADD4), "cpu as 8 bytes", EINVAL, A_(CPU), SET(A_(CPU), U64(1))),
	CM(SA4, "encap-sport without encap-dport", "encap-sport needs encap-dport",
	   SET(A_(ENCAP_SPORT), U32(4500))),
	CM(SA4, "encap-dport without encap-sport", "encap-dport needs encap-sport",
	   SET(A_(ENCAP_DPORT), U32(4500))),
	C(B(SA_ADD4), "encap-sport 0", ERANGE, A_(ENCAP_SPORT), SET(A_(ENCAP_SPORT), U32(0)),
	  SET(A_(ENCAP_DPORT), U32(4500))),
	C(SA4, "encap-dport 65536", ERANGE, A_(ENCAP_DPORT), SET(A_(ENCAP_SPORT), U32(4500)),
	  SET(A_(ENCAP_DPORT), U32(65536))),
	C(SA6, "AH in UDP", EINVAL, A_(ENCAP_SPORT), SET(A_(PROTO), U32(51)), DEL(A_(ENC_ALG)),
	  DEL(A_(ENC_KEY)), SET(A_(ENCAP_SPORT), U32(4500)), SET(A_(ENCAP_DPORT), U32(4500))),
	C(SA4, "ah-align4 on an ESP SA", EINVAL, A_(AH_ALIGN4), SET(A_(AH_ALIGN4), FLAG)),
	C(SA6, "ah-align4 on an IPv6 AH SA", EINVAL, A_(AH_ALIGN4), SET(A_(PROTO), U32(51)),
	  DEL(A_(ENC_ALG)), DEL(A_(ENC_KEY)), SET(A_(AH_ALIGN4), FLAG)),
	C(SA4, "seq 2^32 without esn", ERANGE, A_(SEQ), SET(A_(SEQ), U64(1ULL << 32))),
	C(SA4, "seq as 4 bytes", EINVAL, A_(SEQ), SET(A_(SEQ), U32(5))),
	C(SA4, "lifetime without NLA_F_NESTED", EINVAL, A_(LIFETIME),
	  SET(A_(LIFETIME), NEST, .bare = true)),
	C(B(SA_ADD4), "lifetime as a u32", EINVAL, A_(LIFETIME), SET(A_(LIFETIME), U32(1))),
	C(SA4, "lifetime soft-bytes as 4 bytes", EINVAL, A_(LIFETIME),
	  SETN(A_(LIFETIME), L_(SOFT_BYTES), U32(1000))),
	C(B(SA_ADD4), "lifetime with unknown member 10", EINVAL, A_(LIFETIME),
	  SETN(A_(LIFETIME), 10, U64(1))),
	C(B(SA_ADD4), "lifetime with a pad member", EINVAL, A_(LIFETIME),
	  SETN(A_(LIFETIME), L_(PAD), U32(0))),
	C(B(SA_ADD4), "attribute type 0", EINVAL, 0, SET(0, U32(1))),
	C(B(SA_ADD4), "pad attribute", EINVAL, A_(PAD), SET(A_(PAD), U32(0))),
	C(B(SA_ADD4), "seq-in (reply only)", EINVAL, A_(SEQ_IN), SET(A_(SEQ_IN), U64(1))),
	C(B(SA_ADD4), "stats (reply only, beyond the op's max)", EINVAL, A_(STATS),
	  SET(A_(STATS), NEST)),
	C(SA4, "show-keys (an sa-get attribute)", EINVAL, A_(SHOW_KEYS), SET(A_(SHOW_KEYS), FLAG)),
	C(B(SA_ADD4), "attribute type beyond the set", EINVAL, KIPSEC_A_SA_MAX + 1,
	  SET(KIPSEC_A_SA_MAX + 1, U32(1))),
	C(B(SA_ADD4), "duplicate of SA 0x1001", EEXIST, A_(SPI), SET(A_(SPI), U32(SPI4))),
	C(B(SA_ADD6), "duplicate of SA 0x1002", EEXIST, A_(SPI), SET(A_(SPI), U32(SPI6))),
	C(B(SA_UPD4), "missing SA", ENOENT, A_(SPI), SET(A_(SPI), U32(SPI_NONE))),

	/* --- sa-del, sa-get do, sa-get dump --- */
	C(SAID, "missing SA", ENOENT, A_(SPI), SET(A_(SPI), U32(SPI_NONE))),
	C(SAID, "saddr (not an attribute of this op)", EINVAL, A_(SADDR),
	  SET(A_(SADDR), IP4(10, 0, 0, 1))),
	C(SAID, "mode (not an attribute of this op)", EINVAL, A_(MODE), SET(A_(MODE), U32(1))),
	C(B(SA_DEL), "show-keys (not an attribute of this op)", EINVAL, A_(SHOW_KEYS),
	  SET(A_(SHOW_KEYS), FLAG)),
	C(B(SA_GET) | B(SA_DUMP), "show-keys with a payload", ERANGE, A_(SHOW_KEYS),
	  SET(A_(SHOW_KEYS), U32(1))),
	C(B(SA_DUMP), "mode (not an attribute of this op)", EINVAL, A_(MODE),
	  SET(A_(MODE), U32(1))),
	/* A dump's error comes in NLMSG_DONE, which carries a message but no offset on 6.1. */
	CM(B(SA_DUMP), "family (sa-get do only)", "dump", SET(A_(FAMILY), U32(AF_INET))),
	C(B(SA_DUMP), "attribute type beyond the set", EINVAL, KIPSEC_A_SA_MAX + 1,
	  SET(KIPSEC_A_SA_MAX + 1, U32(1))),

	/* --- ops that take no attributes --- */
	C(B(SA_FLUSH) | B(POL_DUMP) | B(POL_FLUSH) | B(STATS), "attribute type 1", EINVAL, 1,
	  SET(1, U32(0))),
	C(B(SA_FLUSH) | B(POL_DUMP) | B(POL_FLUSH) | B(STATS), "attribute type 2", EINVAL, 2,
	  SET(2, U32(2))),
	C(B(SA_FLUSH), "spi", EINVAL, A_(SPI), SET(A_(SPI), U32(SPI4))),

	/* --- policy-add --- */
	CM(B(POL_ADD), "no dir", "direction", DEL(P_(DIR))),
	CM(B(POL_ADD), "no action", "action", DEL(P_(ACTION))),
	CM(B(POL_ADD), "no selector", "selector", DEL(SEL)),
	CM(B(POL_ADD), "action protect without tmpl", "template", DEL(TMPL)),
	C(B(POL_ADD), "dir 0", ERANGE, P_(DIR), SET(P_(DIR), U32(0))),
	C(B(POL_ADD), "dir 4", ERANGE, P_(DIR), SET(P_(DIR), U32(4))),
	C(B(POL_ADD), "action 0", ERANGE, P_(ACTION), SET(P_(ACTION), U32(0))),
	C(B(POL_ADD), "action 4", ERANGE, P_(ACTION), SET(P_(ACTION), U32(4))),
	C(B(POL_ADD), "dir as 2 bytes", EINVAL, P_(DIR), SET(P_(DIR), U16(1))),
	C(B(POL_ADD), "priority as 8 bytes", EINVAL, P_(PRIORITY), SET(P_(PRIORITY), U64(200))),
	C(B(POL_ADD), "index (kernel-assigned)", EINVAL, P_(INDEX), SET(P_(INDEX), U32(77))),
	C(B(POL_ADD), "packets (reply only)", EINVAL, P_(PACKETS), SET(P_(PACKETS), U64(0))),
	C(B(POL_ADD), "attribute type beyond the set", EINVAL, KIPSEC_A_POLICY_MAX + 1,
	  SET(KIPSEC_A_POLICY_MAX + 1, U32(1))),
	C(B(POL_ADD), "action bypass with a tmpl", EINVAL, TMPL,
	  SET(P_(ACTION), U32(KIPSEC_ACTION_BYPASS))),
	C(B(POL_ADD), "action discard with a tmpl", EINVAL, TMPL,
	  SET(P_(ACTION), U32(KIPSEC_ACTION_DISCARD))),
	C(B(POL_ADD), "duplicate of the setup policy", EEXIST, ANYATTR,
	  SET(P_(PRIORITY), U32(100))),

	/* selector nest */
	C(B(POL_ADD), "selector without NLA_F_NESTED", EINVAL, SEL, SET(SEL, NEST, .bare = true)),
	C(B(POL_ADD), "selector as a u32", EINVAL, SEL, SET(SEL, U32(2))),
	CM(B(POL_ADD), "selector without family", "family", DELN(SEL, S_(FAMILY))),
	C(B(POL_ADD), "selector family 3", EAFNOSUPPORT, SEL, SETN(SEL, S_(FAMILY), U32(3))),
	C(B(POL_ADD), "selector family as 8 bytes", EINVAL, SEL, SETN(SEL, S_(FAMILY), U64(2))),
	C(B(POL_ADD), "selector sprefix 129", ERANGE, SEL, SETN(SEL, S_(SPREFIX), U32(129))),
	C(B(POL_ADD), "selector dprefix 33 for AF_INET", EINVAL, SEL,
	  SETN(SEL, S_(DPREFIX), U32(33))),
	C(B(POL_ADD), "selector v6 dprefix 129", ERANGE, SEL,
	  SETN(SEL, S_(FAMILY), U32(AF_INET6)), SETN(SEL, S_(SADDR), IP6(0xfd, 0x01, 0)),
	  SETN(SEL, S_(DADDR), IP6(0xfd, 0x02, 0)), SETN(SEL, S_(DPREFIX), U32(129))),
	C(B(POL_ADD), "selector saddr 10.1.0.1/16 (host bits)", EINVAL, SEL,
	  SETN(SEL, S_(SADDR), IP4(10, 1, 0, 1))),
	C(B(POL_ADD), "selector daddr fd02::1/64 (host bits)", EINVAL, SEL,
	  SETN(SEL, S_(FAMILY), U32(AF_INET6)), SETN(SEL, S_(SADDR), IP6(0xfd, 0x01, 0)),
	  SETN(SEL, S_(DADDR), IP6(0xfd, 0x02, 1)), SETN(SEL, S_(DPREFIX), U32(64))),
	C(B(POL_ADD), "selector 16-byte saddr for AF_INET", EINVAL, SEL,
	  SETN(SEL, S_(SADDR), BYTES(16))),
	C(B(POL_ADD), "selector 4-byte daddr for AF_INET6", EINVAL, SEL,
	  SETN(SEL, S_(FAMILY), U32(AF_INET6)), SETN(SEL, S_(SADDR), IP6(0xfd, 0x01, 0))),
	C(B(POL_ADD), "selector daddr of 3 bytes", ERANGE, SEL, SETN(SEL, S_(DADDR), BYTES(3))),
	C(B(POL_ADD), "selector proto 256", ERANGE, SEL, SETN(SEL, S_(PROTO), U32(256))),
	C(B(POL_ADD), "selector sport-min 70000", ERANGE, SEL,
	  SETN(SEL, S_(SPORT_MIN), U32(70000))),
	C(B(POL_ADD), "selector dport-max 70000", ERANGE, SEL,
	  SETN(SEL, S_(DPORT_MAX), U32(70000))),
	C(B(POL_ADD), "selector sport-min 2000 > sport-max 1000", EINVAL, SEL,
	  SETN(SEL, S_(SPORT_MIN), U32(2000)), SETN(SEL, S_(SPORT_MAX), U32(1000))),
	C(B(POL_ADD), "selector ports with proto 47 (GRE)", EINVAL, SEL,
	  SETN(SEL, S_(PROTO), U32(47))),
	C(B(POL_ADD), "selector ICMP type range to 300", EINVAL, SEL,
	  SETN(SEL, S_(PROTO), U32(1)), SETN(SEL, S_(DPORT_MIN), U32(0)),
	  SETN(SEL, S_(DPORT_MAX), U32(0)), SETN(SEL, S_(SPORT_MAX), U32(300))),
	C(B(POL_ADD), "selector sport-min as 2 bytes", EINVAL, SEL,
	  SETN(SEL, S_(SPORT_MIN), U16(0))),
	C(B(POL_ADD), "selector unknown member", EINVAL, SEL,
	  SETN(SEL, KIPSEC_A_SELECTOR_MAX + 1, U32(1))),
	C(B(POL_ADD), "selector member type 0", EINVAL, SEL, SETN(SEL, 0, U32(1))),

	/* tmpl nest */
	C(B(POL_ADD), "tmpl without NLA_F_NESTED", EINVAL, TMPL, SET(TMPL, NEST, .bare = true)),
	CM(B(POL_ADD), "tmpl without mode", "mode", DELN(TMPL, TM_(MODE))),
	C(B(POL_ADD), "tmpl mode 3", ERANGE, TMPL, SETN(TMPL, TM_(MODE), U32(3))),
	C(B(POL_ADD), "tmpl proto 49", ERANGE, TMPL, SETN(TMPL, TM_(PROTO), U32(49))),
	CM(B(POL_ADD), "tunnel tmpl without family", "family", DELN(TMPL, TM_(FAMILY))),
	CM(B(POL_ADD), "tunnel tmpl without saddr", "source", DELN(TMPL, TM_(SADDR))),
	CM(B(POL_ADD), "tunnel tmpl without daddr", "destination", DELN(TMPL, TM_(DADDR))),
	C(B(POL_ADD), "transport tmpl with endpoints", EINVAL, TMPL,
	  SETN(TMPL, TM_(MODE), U32(KIPSEC_MODE_TRANSPORT))),
	C(B(POL_ADD), "transport tmpl with just a daddr", EINVAL, TMPL,
	  SETN(TMPL, TM_(MODE), U32(KIPSEC_MODE_TRANSPORT)), DELN(TMPL, TM_(SADDR)),
	  DELN(TMPL, TM_(FAMILY))),
	C(B(POL_ADD), "tmpl family 3", EAFNOSUPPORT, TMPL, SETN(TMPL, TM_(FAMILY), U32(3))),
	C(B(POL_ADD), "tmpl 16-byte daddr for AF_INET", EINVAL, TMPL,
	  SETN(TMPL, TM_(DADDR), BYTES(16))),
	C(B(POL_ADD), "tmpl saddr of 17 bytes", ERANGE, TMPL, SETN(TMPL, TM_(SADDR), BYTES(17))),
	C(B(POL_ADD), "tmpl reqid as 8 bytes", EINVAL, TMPL, SETN(TMPL, TM_(REQID), U64(7))),
	C(B(POL_ADD), "tmpl per-cpu flag with a payload", ERANGE, TMPL,
	  SETN(TMPL, TM_(PER_CPU), U32(1))),
	C(B(POL_ADD), "tmpl unknown member", EINVAL, TMPL,
	  SETN(TMPL, KIPSEC_A_TMPL_MAX + 1, U32(1))),

	/* bundles: tmpl repeated, ESP (tunnel or transport) inside AH transport */
	C(B(POL_ADD), "three tmpl nests", EINVAL, TMPL, AH_OUTER(TMPL2), SET(TMPL3, NEST),
	  SETN(TMPL3, TM_(MODE), U32(KIPSEC_MODE_TRANSPORT))),
	C(B(POL_ADD), "bundle with AH inside ESP", EINVAL, TMPL, SETN(TMPL, TM_(PROTO), U32(51)),
	  SET(TMPL2, NEST), SETN(TMPL2, TM_(PROTO), U32(50)),
	  SETN(TMPL2, TM_(MODE), U32(KIPSEC_MODE_TRANSPORT))),
	C(B(POL_ADD), "bundle of two ESP templates", EINVAL, TMPL, SET(TMPL2, NEST),
	  SETN(TMPL2, TM_(MODE), U32(KIPSEC_MODE_TRANSPORT))),
	C(B(POL_ADD), "bundle with the outer AH in tunnel mode", EINVAL, TMPL, AH_OUTER(TMPL2),
	  SETN(TMPL2, TM_(MODE), U32(KIPSEC_MODE_TUNNEL)), SETN(TMPL2, TM_(FAMILY), U32(AF_INET)),
	  SETN(TMPL2, TM_(SADDR), IP4(10, 0, 0, 1)), SETN(TMPL2, TM_(DADDR), IP4(10, 0, 0, 2))),
	C(B(POL_ADD), "bundle with a per-cpu template", EINVAL, TMPL, AH_OUTER(TMPL2),
	  SETN(TMPL, TM_(PER_CPU), FLAG)),
	CM(B(POL_ADD), "bundle's outer tmpl without mode", "mode", SET(TMPL2, NEST),
	   SETN(TMPL2, TM_(PROTO), U32(51))),
	C(B(POL_ADD), "bundle's outer tmpl proto 52", ERANGE, TMPL, AH_OUTER(TMPL2),
	  SETN(TMPL2, TM_(PROTO), U32(52))),
	C(B(POL_ADD), "bundle with action bypass", EINVAL, TMPL, AH_OUTER(TMPL2),
	  SET(P_(ACTION), U32(KIPSEC_ACTION_BYPASS))),

	/* --- policy-del, policy-get dump --- */
	CM(B(POL_DEL), "no index", "index", DEL(P_(INDEX))),
	C(B(POL_DEL), "missing policy (index 999999)", ENOENT, P_(INDEX),
	  SET(P_(INDEX), U32(999999))),
	C(B(POL_DEL), "index as 2 bytes", EINVAL, P_(INDEX), SET(P_(INDEX), U16(1))),
	C(B(POL_DEL), "index as 8 bytes", EINVAL, P_(INDEX), SET(P_(INDEX), U64(1))),
	C(B(POL_DEL), "dir (not an attribute of this op)", EINVAL, P_(DIR), SET(P_(DIR), U32(1))),
	C(B(POL_DEL), "pad attribute", EINVAL, P_(PAD), SET(P_(PAD), U32(0))),
	C(B(POL_DUMP), "selector", EINVAL, SEL,
	  SET(SEL, NEST), SETN(SEL, S_(FAMILY), U32(AF_INET))),

	/* --- get-info --- */
	C(B(INFO), "unknown alg-name", ENOENT, KIPSEC_A_INFO_ALG_NAME,
	  SET(KIPSEC_A_INFO_ALG_NAME, STR("gcm(nope)"))),
	C(B(INFO), "empty alg-name", ENOENT, KIPSEC_A_INFO_ALG_NAME,
	  SET(KIPSEC_A_INFO_ALG_NAME, STR(""))),
	C(B(INFO), "alg-name without NUL", EINVAL, KIPSEC_A_INFO_ALG_NAME,
	  SET(KIPSEC_A_INFO_ALG_NAME, NONUL("hmac(sha256)"))),
	C(B(INFO), "alg-name of 64 chars", EINVAL, KIPSEC_A_INFO_ALG_NAME,
	  SET(KIPSEC_A_INFO_ALG_NAME, STR(S64))),
	C(B(INFO), "alg-name as a u32", EINVAL, KIPSEC_A_INFO_ALG_NAME,
	  SET(KIPSEC_A_INFO_ALG_NAME, U32(0x41414141))),
	C(B(INFO), "version (reply only)", EINVAL, KIPSEC_A_INFO_VERSION,
	  SET(KIPSEC_A_INFO_VERSION, STR("1"))),
	C(B(INFO), "alg (reply only, beyond the op's max)", EINVAL, KIPSEC_A_INFO_ALG,
	  SET(KIPSEC_A_INFO_ALG, NEST)),
};

/* ---- building and sending ----------------------------------------------- */

#define MAXA 48

struct req {
	struct attr a[MAXA];
	size_t n;
};

static void req_init(struct req *r, const struct base *b)
{
	memcpy(r->a, b->attrs, b->nattrs * sizeof(r->a[0]));
	r->n = b->nattrs;
}

static void req_apply(struct req *r, const struct mut *m)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->a[i].parent == m->a.parent && r->a[i].type == m->a.type)
			break;
	if (m->op == M_DEL) {
		if (i < r->n) {
			memmove(&r->a[i], &r->a[i + 1], (r->n - i - 1) * sizeof(r->a[0]));
			r->n--;
		}
		return;
	}
	if (i < r->n) {
		r->a[i] = m->a;
	} else if (r->n < MAXA) {
		r->a[r->n++] = m->a;
	} else {
		fprintf(stderr, "nl_badinput: MAXA too small\n");
		exit(2);
	}
}

static void put_data(struct nlmsghdr *nlh, const struct attr *a)
{
	mnl_attr_put(nlh, WIRE(a->type) | a->tflags, a->len, a->data);
}

/* Members of a nest follow it; a nest's members are the attrs naming it. */
static struct nlmsghdr *req_build(struct kipsec_nl *nl, char *buf, const struct base *b,
				  uint8_t cmd, const struct req *r)
{
	struct nlmsghdr *nlh = kipsec_nl_request(nl, buf, cmd ? cmd : b->cmd, b->flags);
	size_t i, j;

	for (i = 0; i < r->n; i++) {
		const struct attr *a = &r->a[i];
		struct nlattr *nest;

		if (a->parent)
			continue;
		if (!a->nest) {
			put_data(nlh, a);
			continue;
		}
		nest = mnl_attr_nest_start(nlh, WIRE(a->type));
		for (j = 0; j < r->n; j++)
			if (r->a[j].parent == a->type && r->a[j].parent)
				put_data(nlh, &r->a[j]);
		mnl_attr_nest_end(nlh, nest);
		if (a->bare)
			nest->nla_type &= ~NLA_F_NESTED;
	}
	return nlh;
}

/* Replies, concatenated without their netlink headers (seq and portid vary). */
struct blob {
	char *p;
	size_t n;
	int msgs;
};

static int collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct blob *b = data;
	size_t len = nlh->nlmsg_len - sizeof(*nlh);
	char *p = realloc(b->p, b->n + len + 1);

	if (!p)
		return MNL_CB_ERROR;
	memcpy(p + b->n, (const char *)nlh + sizeof(*nlh), len);
	b->p = p;
	b->n += len;
	b->msgs++;
	return MNL_CB_OK;
}

static void blob_free(struct blob *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

static bool blob_eq(const struct blob *a, const struct blob *b)
{
	return a->n == b->n && a->msgs == b->msgs && (!a->n || !memcmp(a->p, b->p, a->n));
}

/*
 * Send base @bi changed by @m (up to MAXM), with @cmd instead of the base's
 * if set; @cb sees the replies.
 */
static int send_req(struct kipsec_nl *nl, int bi, uint8_t cmd, const struct mut *m,
		    mnl_cb_t cb, void *data, struct kipsec_nl_error *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct req r;
	int i;

	req_init(&r, &bases[bi]);
	for (i = 0; m && i < MAXM && m[i].op != M_NONE; i++)
		req_apply(&r, &m[i]);
	nlh = req_build(nl, buf, &bases[bi], cmd, &r);
	return kipsec_nl_talk(nl, nlh, cb, data, err);
}

/* The namespace's whole state: SAs with keys, policies, counters. */
struct state {
	struct blob sa, pol, stats;
};

static int snapshot(struct kipsec_nl *nl, struct state *s)
{
	struct kipsec_nl_error err;

	memset(s, 0, sizeof(*s));
	if (send_req(nl, SA_DUMP, 0, NULL, collect_cb, &s->sa, &err) ||
	    send_req(nl, POL_DUMP, 0, NULL, collect_cb, &s->pol, &err) ||
	    send_req(nl, STATS, 0, NULL, collect_cb, &s->stats, &err)) {
		fprintf(stderr, "nl_badinput: state dump failed: %s (%s)\n", err.msg,
			strerror(err.error));
		return -1;
	}
	return 0;
}

static void state_free(struct state *s)
{
	blob_free(&s->sa);
	blob_free(&s->pol);
	blob_free(&s->stats);
}

static bool state_eq(const struct state *a, const struct state *b)
{
	return blob_eq(&a->sa, &b->sa) && blob_eq(&a->pol, &b->pol) &&
	       blob_eq(&a->stats, &b->stats);
}

/* ---- TAP ---------------------------------------------------------------- */

static int ntests, nfailed;

static void tap(bool pass, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tap(bool pass, const char *fmt, ...)
{
	va_list ap;

	ntests++;
	if (!pass)
		nfailed++;
	printf("%sok %d - ", pass ? "" : "not ", ntests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static const char *errname(int e)
{
	const char *s = e ? strerrorname_np(e) : "success";

	return s ? s : "E?";
}

static const char *attr_name(const struct base *b, int type, char *buf, size_t len)
{
	if (type < 0)
		return "none";
	if ((size_t)type < b->nnames && b->names[type])
		return b->names[type];
	snprintf(buf, len, "type %d", type);
	return buf;
}

/* ---- the run ------------------------------------------------------------ */

static void run_case(struct kipsec_nl *nl, const struct tcase *c, int bi, struct state *ref)
{
	const struct base *b = &bases[bi];
	struct kipsec_nl_error err;
	char why[512] = "", n1[32], n2[32];
	struct state now;
	int ret;

	ret = send_req(nl, bi, 0, c->m, NULL, NULL, &err);
	if (ret == 0)
		snprintf(why, sizeof(why), "the request succeeded");
	else if (err.error != c->err)
		snprintf(why, sizeof(why), "errno %s, wanted %s", errname(err.error),
			 errname(c->err));
	else if (!err.msg[0])
		snprintf(why, sizeof(why), "no extack message");
	else if (c->attr == MISSING && !strcasestr(err.msg, c->msg))
		snprintf(why, sizeof(why), "the message does not say \"%s\" is missing", c->msg);
	else if (c->attr == ANYATTR && err.attr < 0)
		snprintf(why, sizeof(why), "no attribute reported");
	else if (c->attr >= 0 && err.attr != c->attr)
		snprintf(why, sizeof(why), "attribute %s reported, wanted %s",
			 attr_name(b, err.attr, n1, sizeof(n1)), attr_name(b, c->attr, n2, sizeof(n2)));

	/* Whatever the answer, nothing may have changed. */
	if (snapshot(nl, &now) == 0) {
		if (!state_eq(&now, ref)) {
			size_t l = strlen(why);

			snprintf(why + l, sizeof(why) - l, "%sthe SAD, SPD or counters changed",
				 l ? "; " : "");
			state_free(ref);
			*ref = now;	/* blame the next change on its own case */
		} else {
			state_free(&now);
		}
	} else if (!why[0]) {
		snprintf(why, sizeof(why), "state dump failed");
	}

	if (c->attr == MISSING)
		tap(!why[0], "%s: %s rejected (%s, missing: \"%s\")", b->op, c->what,
		    errname(c->err), err.msg);
	else
		tap(!why[0], "%s: %s rejected (%s, attribute %s)", b->op, c->what,
		    errname(c->err), c->attr == ANYATTR ? attr_name(b, err.attr, n1, sizeof(n1)) :
		    attr_name(b, c->attr, n2, sizeof(n2)));
	if (why[0])
		printf("#   %s; got %s, attribute %s, message \"%s\"\n", why,
		       ret ? errname(err.error) : "success", attr_name(b, err.attr, n1, sizeof(n1)),
		       err.msg);
}

/* The valid requests whose results every case must leave alone. */
static const struct setup {
	int base;
	uint8_t cmd;
	const char *what;
	struct mut m[MAXM];
} setup[] = {
	{ .base = SA_UPD4, .cmd = KIPSEC_CMD_SA_ADD,
	  .what = "sa-add: AF_INET rfc4106(gcm(aes)) tunnel SA 0x1001" },
	{ .base = SA_UPD6, .cmd = KIPSEC_CMD_SA_ADD,
	  .what = "sa-add: AF_INET6 cbc(aes)+hmac(sha256) transport SA 0x1002" },
	{ .base = POL_ADD, .what = "policy-add: out protect tunnel, priority 100",
	  .m = { SET(P_(PRIORITY), U32(100)) } },
	{ .base = POL_ADD,
	  .what = "policy-add: out protect bundle (ESP tunnel inside AH transport), priority 150",
	  .m = { SET(P_(PRIORITY), U32(150)), AH_OUTER(TMPL2) } },
	{ .base = POL_ADD, .what = "policy-add: in bypass AF_INET6",
	  .m = { SET(P_(DIR), U32(KIPSEC_DIR_IN)), SET(P_(ACTION), U32(KIPSEC_ACTION_BYPASS)),
	    DEL(TMPL), SETN(SEL, S_(FAMILY), U32(AF_INET6)),
	    SETN(SEL, S_(SADDR), IP6(0xfd, 0x01, 0)), SETN(SEL, S_(DADDR), IP6(0xfd, 0x02, 0)) } },
};

/* policy-add's reply: the index the kernel gave the new policy. */
static int index_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == KIPSEC_A_POLICY_INDEX &&
		    mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			*(uint32_t *)data = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static int run_setup(struct kipsec_nl *nl)
{
	struct kipsec_nl_error err;
	struct state s;
	bool empty;
	size_t i;

	if (snapshot(nl, &s))
		return -1;
	empty = !s.sa.msgs && !s.pol.msgs;
	state_free(&s);
	tap(empty, "setup: the namespace starts with no SA and no policy");
	if (!empty)
		return -1;

	for (i = 0; i < ARRAY_SIZE(setup); i++) {
		const struct setup *st = &setup[i];
		uint32_t index = 0;
		int ret = send_req(nl, st->base, st->cmd, st->m, index_cb, &index, &err);

		tap(ret == 0, "setup: %s", st->what);
		if (ret) {
			printf("#   %s: %s\n", errname(err.error), err.msg);
			return -1;
		}
		if (st->base == POL_ADD && !pol_index) {
			pol_index = index;
			tap(index != 0, "setup: policy-add replies with the new index (%u)", index);
		}
	}
	return 0;
}

/* ---- unprivileged ------------------------------------------------------- */

static const struct unpriv {
	const char *what;
	int base;
	int err;	/* 0: must succeed */
} unpriv[] = {
	{ "sa-add refused", SA_ADD4, EPERM },
	{ "sa-update refused", SA_UPD4, EPERM },
	{ "sa-del refused", SA_DEL, EPERM },
	{ "sa-get refused", SA_GET, EPERM },
	{ "sa-get dump refused", SA_DUMP, EPERM },
	{ "sa-flush refused", SA_FLUSH, EPERM },
	{ "policy-add refused", POL_ADD, EPERM },
	{ "policy-del refused", POL_DEL, EPERM },
	{ "policy-get dump refused", POL_DUMP, EPERM },
	{ "policy-flush refused", POL_FLUSH, EPERM },
	{ "get-info allowed", INFO, 0 },
	{ "get-stats allowed", STATS, 0 },
};

#define UNPRIV_EXTRA 2	/* capabilities gone; events group refused */

static bool no_caps(void)
{
	char line[256];
	bool none = false;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "CapEff:", 7))
			none = strtoull(line + 7, NULL, 16) == 0;
	fclose(f);
	return none;
}

/* In the child: one byte per check (1 = passed) into @fd, diagnostics on stdout. */
static void unpriv_child(int fd)
{
	struct kipsec_nl_error err;
	struct kipsec_nl nl;
	unsigned int grp;
	char ok;
	size_t i;

	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534)) {
		printf("#   dropping root: %s\n", strerror(errno));
		_exit(1);
	}
	ok = no_caps();
	if (write(fd, &ok, 1) != 1)
		_exit(1);
	if (kipsec_nl_open(&nl))
		_exit(1);
	for (i = 0; i < ARRAY_SIZE(unpriv); i++) {
		int ret = send_req(&nl, unpriv[i].base, 0, NULL, NULL, NULL, &err);

		ok = unpriv[i].err ? ret < 0 && err.error == unpriv[i].err : ret == 0;
		if (!ok)
			printf("#   %s: got %s \"%s\"\n", unpriv[i].what,
			       ret ? errname(err.error) : "success", err.msg);
		fflush(stdout);
		if (write(fd, &ok, 1) != 1)
			_exit(1);
	}
	grp = nl.mcgrp_events;
	errno = 0;
	ok = grp && mnl_socket_setsockopt(nl.sock, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) < 0 &&
	     errno == EPERM;
	if (!ok)
		printf("#   joining events (group %u): %s\n", grp,
		       errno ? strerror(errno) : "allowed");
	fflush(stdout);
	if (write(fd, &ok, 1) != 1)
		_exit(1);
	kipsec_nl_close(&nl);
	_exit(0);
}

static void run_unpriv(void)
{
	char res[ARRAY_SIZE(unpriv) + UNPRIV_EXTRA] = { 0 };
	size_t i, got = 0;
	int fds[2], status;
	pid_t pid;
	ssize_t n;

	fflush(stdout);
	if (pipe(fds) < 0) {
		perror("pipe");
		exit(2);
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0) {
		close(fds[0]);
		unpriv_child(fds[1]);
	}
	close(fds[1]);
	while (got < sizeof(res) && (n = read(fds[0], res + got, sizeof(res) - got)) > 0)
		got += n;
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		printf("#   the unprivileged child failed (status 0x%x)\n", status);

	tap(res[0], "unprivileged (uid 65534): CAP_NET_ADMIN is gone");
	for (i = 0; i < ARRAY_SIZE(unpriv); i++)
		tap(res[1 + i], "unprivileged: %s (%s)", unpriv[i].what,
		    unpriv[i].err ? errname(unpriv[i].err) : "success");
	tap(res[1 + i], "unprivileged: joining the events group refused (EPERM)");
}

int main(void)
{
	struct state ref0, ref, end;
	struct kipsec_nl nl;
	size_t i;
	int bi;

	if (geteuid() != 0) {
		printf("Bail out! run as root (in a fresh network namespace)\n");
		return 1;
	}
	if (kipsec_nl_open(&nl)) {
		printf("Bail out! cannot open the kipsec genl family\n");
		return 1;
	}
	if (run_setup(&nl) || snapshot(&nl, &ref0) || snapshot(&nl, &ref)) {
		printf("Bail out! setup failed\n");
		return 1;
	}
	tap(ref0.sa.msgs == 2 && ref0.pol.msgs == 3,
	    "setup: the dumps show 2 SAs and 3 policies, one a bundle (%d, %d)", ref0.sa.msgs,
	    ref0.pol.msgs);

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		for (bi = 0; bi < NBASES; bi++)
			if (cases[i].on & B(bi))
				run_case(&nl, &cases[i], bi, &ref);

	run_unpriv();

	if (snapshot(&nl, &end)) {
		printf("Bail out! final state dump failed\n");
		return 1;
	}
	tap(blob_eq(&end.sa, &ref0.sa), "after all cases: the SAs are exactly the setup's (%d)",
	    end.sa.msgs);
	tap(blob_eq(&end.pol, &ref0.pol),
	    "after all cases: the policies are exactly the setup's (%d)", end.pol.msgs);
	tap(blob_eq(&end.stats, &ref0.stats), "after all cases: the counters are untouched");

	state_free(&ref0);
	state_free(&ref);
	state_free(&end);
	kipsec_nl_close(&nl);
	printf("1..%d\n", ntests);
	return nfailed ? 1 : 0;
}
