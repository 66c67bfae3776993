// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the CLI's building blocks: numbers (args.c), addresses and
 * prefixes (addr.c), algorithm aliases (alg.c).
 */
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "alg.h"
#include "args.h"
#include "tap.h"

static struct kipsec_err e;

#define ERR_IS(call, want, what) do {						\
	memset(&e, 0, sizeof(e));						\
	CHECK((call) < 0 && !strcmp(e.msg, want), "%s: %s", what, e.msg);	\
} while (0)

static void test_numbers(void)
{
	uint32_t v;
	uint64_t w;

	CHECK(kipsec_parse_u32("spi", "256", 256, UINT32_MAX, &v, &e) == 0 && v == 256, "spi 256");
	CHECK(kipsec_parse_u32("spi", "0x1001", 256, UINT32_MAX, &v, &e) == 0 && v == 0x1001,
	      "hex spi");
	CHECK(kipsec_parse_u32("spi", "4294967295", 256, UINT32_MAX, &v, &e) == 0 &&
	      v == UINT32_MAX, "largest spi");
	ERR_IS(kipsec_parse_u32("spi", "x", 256, UINT32_MAX, &v, &e),
	       "spi: expected a number 256..4294967295, got \"x\"", "not a number");
	ERR_IS(kipsec_parse_u32("spi", "255", 256, UINT32_MAX, &v, &e),
	       "spi: expected a number 256..4294967295, got \"255\"", "reserved spi");
	ERR_IS(kipsec_parse_u32("spi", "4294967296", 256, UINT32_MAX, &v, &e),
	       "spi: expected a number 256..4294967295, got \"4294967296\"", "spi overflow");
	ERR_IS(kipsec_parse_u32("spi", "-300", 256, UINT32_MAX, &v, &e),
	       "spi: expected a number 256..4294967295, got \"-300\"", "negative");
	ERR_IS(kipsec_parse_u32("spi", " 300", 256, UINT32_MAX, &v, &e),
	       "spi: expected a number 256..4294967295, got \" 300\"", "leading space");
	ERR_IS(kipsec_parse_u32("spi", "0x", 256, UINT32_MAX, &v, &e),
	       "spi: expected a number 256..4294967295, got \"0x\"", "bare 0x");
	ERR_IS(kipsec_parse_u32("icv", "", 8, 32, &v, &e),
	       "icv: expected a number 8..32, got \"\"", "empty");
	CHECK(kipsec_parse_u32("n", "010", 0, 100, &v, &e) == 0 && v == 10,
	      "leading zero is decimal, not octal");
	CHECK(kipsec_parse_u64("seq", "18446744073709551615", &w, &e) == 0 && w == UINT64_MAX,
	      "largest u64");
	ERR_IS(kipsec_parse_u64("seq", "18446744073709551616", &w, &e),
	       "seq: expected a number 0..18446744073709551615, got \"18446744073709551616\"",
	       "u64 overflow");
}

static void test_words(void)
{
	static const char *const modes[] = { "transport", "tunnel", NULL };
	static const char *const three[] = { "out", "in", "fwd", NULL };
	char *argv[] = { "spi", NULL };
	struct kipsec_argv a = { .argc = 1, .argv = argv, .i = 1 };
	uint64_t seen = 0;
	int i;

	CHECK(kipsec_parse_word("mode", "tunnel", modes, &i, &e) == 0 && i == 1, "word found");
	ERR_IS(kipsec_parse_word("mode", "tunel", modes, &i, &e),
	       "mode: expected transport or tunnel, got \"tunel\"", "two choices");
	ERR_IS(kipsec_parse_word("dir", "up", three, &i, &e),
	       "dir: expected out, in or fwd, got \"up\"", "three choices");
	CHECK(kipsec_argv_value(&a, "spi", "a number", &e) == NULL &&
	      !strcmp(e.msg, "spi: missing value, expected a number"), "missing value: %s", e.msg);
	CHECK(kipsec_argv_once(&seen, 3, "spi", &e) == 0, "first time");
	ERR_IS(kipsec_argv_once(&seen, 3, "spi", &e), "spi: given twice", "twice");
}

static void test_addresses(void)
{
	char buf[KIPSEC_ADDR_STRLEN];
	struct kipsec_addr a, b;
	uint32_t plen;

	CHECK(kipsec_addr_parse("src", "10.0.0.1", &a, &e) == 0 && a.family == AF_INET &&
	      a.len == 4 && a.bytes[0] == 10 && a.bytes[3] == 1, "IPv4 address");
	CHECK(kipsec_addr_parse("src", "2001:db8::1", &b, &e) == 0 && b.family == AF_INET6 &&
	      b.len == 16 && b.bytes[15] == 1, "IPv6 address");
	CHECK(!strcmp(kipsec_addr_str(&b, buf), "2001:db8::1"), "IPv6 printed back");
	ERR_IS(kipsec_addr_parse("src", "10.0.0", &a, &e),
	       "src: expected an IPv4 or IPv6 address, got \"10.0.0\"", "short IPv4");
	ERR_IS(kipsec_addr_parse("dst", "10.0.0.256", &a, &e),
	       "dst: expected an IPv4 or IPv6 address, got \"10.0.0.256\"", "octet too big");
	ERR_IS(kipsec_addr_parse("dst", "host.example", &a, &e),
	       "dst: expected an IPv4 or IPv6 address, got \"host.example\"", "names refused");
	ERR_IS(kipsec_addr_parse("dst", "10.0.0.0/24", &a, &e),
	       "dst: expected an IPv4 or IPv6 address, got \"10.0.0.0/24\"", "prefix is no address");
	kipsec_addr_parse("src", "10.0.0.1", &a, &e);
	ERR_IS(kipsec_addr_same_family("src and dst", &a, &b, &e),
	       "src and dst: one address is IPv4, the other IPv6", "mixed families");

	CHECK(kipsec_prefix_parse("src", "10.0.1.0/24", &a, &plen, &e) == 0 && plen == 24 &&
	      a.family == AF_INET, "IPv4 prefix");
	CHECK(kipsec_prefix_parse("src", "10.0.1.7", &a, &plen, &e) == 0 && plen == 32,
	      "bare IPv4 is /32");
	CHECK(kipsec_prefix_parse("src", "2001:db8::/64", &a, &plen, &e) == 0 && plen == 64 &&
	      a.len == 16, "IPv6 prefix");
	CHECK(kipsec_prefix_parse("src", "2001:db8::1", &a, &plen, &e) == 0 && plen == 128,
	      "bare IPv6 is /128");
	CHECK(kipsec_prefix_parse("src", "any", &a, &plen, &e) == 0 && !a.family && !plen, "any");
	CHECK(kipsec_prefix_parse("src", "0.0.0.0/0", &a, &plen, &e) == 0 && !plen, "/0");
	CHECK(kipsec_prefix_parse("src", "10.0.1.128/25", &a, &plen, &e) == 0 && plen == 25,
	      "/25 with the 25th bit set");
	ERR_IS(kipsec_prefix_parse("src", "10.0.1.1/24", &a, &plen, &e),
	       "src: 10.0.1.1/24 has bits set beyond the prefix length (did you mean 10.0.1.0/24?)",
	       "host bits");
	ERR_IS(kipsec_prefix_parse("dst", "2001:db8::1/64", &a, &plen, &e),
	       "dst: 2001:db8::1/64 has bits set beyond the prefix length (did you mean 2001:db8::/64?)",
	       "IPv6 host bits");
	ERR_IS(kipsec_prefix_parse("src", "10.0.0.0/33", &a, &plen, &e),
	       "src: prefix length must be 0..32, got \"33\"", "IPv4 prefix too long");
	ERR_IS(kipsec_prefix_parse("src", "::/129", &a, &plen, &e),
	       "src: prefix length must be 0..128, got \"129\"", "IPv6 prefix too long");
	ERR_IS(kipsec_prefix_parse("src", "10.0.0.0/", &a, &plen, &e),
	       "src: prefix length must be 0..32, got \"\"", "empty length");
	ERR_IS(kipsec_prefix_parse("src", "10.0.0.0/024", &a, &plen, &e),
	       "src: prefix length must be 0..32, got \"024\"", "leading zero length");
	ERR_IS(kipsec_prefix_parse("src", "10.0.0.0/x", &a, &plen, &e),
	       "src: prefix length must be 0..32, got \"x\"", "non-numeric length");
	ERR_IS(kipsec_prefix_parse("src", "10.0.0/24", &a, &plen, &e),
	       "src: expected a prefix (ADDR/LEN, ADDR or any), got \"10.0.0/24\"", "bad address");
	ERR_IS(kipsec_prefix_parse("src", "anywhere", &a, &plen, &e),
	       "src: expected a prefix (ADDR/LEN, ADDR or any), got \"anywhere\"", "not any");
}

static void test_algs(void)
{
	static const struct {
		enum kipsec_key_kind kind;
		const char *in, *out;
	} ok[] = {
		{ KIPSEC_KEY_AEAD, "aes-gcm", "rfc4106(gcm(aes))" },
		{ KIPSEC_KEY_AEAD, "rfc4106(gcm(aes))", "rfc4106(gcm(aes))" },
		{ KIPSEC_KEY_AEAD, "chacha20-poly1305", "rfc7539esp(chacha20,poly1305)" },
		{ KIPSEC_KEY_ENC, "aes-cbc", "cbc(aes)" },
		{ KIPSEC_KEY_ENC, "3des-cbc", "cbc(des3_ede)" },
		{ KIPSEC_KEY_ENC, "null", "ecb(cipher_null)" },
		{ KIPSEC_KEY_ENC, "cbc(des3_ede)", "cbc(des3_ede)" },
		{ KIPSEC_KEY_AUTH, "sha1", "hmac(sha1)" },
		{ KIPSEC_KEY_AUTH, "sha256", "hmac(sha256)" },
		{ KIPSEC_KEY_AUTH, "sha384", "hmac(sha384)" },
		{ KIPSEC_KEY_AUTH, "sha512", "hmac(sha512)" },
		{ KIPSEC_KEY_AUTH, "hmac(sha512)", "hmac(sha512)" },
		{ KIPSEC_KEY_AUTH, "aes-xcbc", "xcbc(aes)" },
		{ KIPSEC_KEY_AUTH, "xcbc(aes)", "xcbc(aes)" },
		{ KIPSEC_KEY_AUTH, "hmac(md5)", "hmac(md5)" },	/* unknown here: the kernel decides */
	};
	char out[KIPSEC_ALG_NAME_MAX];
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		CHECK(kipsec_alg_parse(ok[i].kind, ok[i].in, out, &e) == 0 && !strcmp(out, ok[i].out),
		      "%s %s → %s", kipsec_key_kind_name(ok[i].kind), ok[i].in, out);
	ERR_IS(kipsec_alg_parse(KIPSEC_KEY_AEAD, "aes-cbc", out, &e),
	       "aead: aes-cbc is a cipher, not an AEAD", "cipher as aead");
	ERR_IS(kipsec_alg_parse(KIPSEC_KEY_ENC, "sha256", out, &e),
	       "enc: sha256 is an integrity algorithm, not a cipher", "hmac as cipher");
	ERR_IS(kipsec_alg_parse(KIPSEC_KEY_AUTH, "rfc4106(gcm(aes))", out, &e),
	       "auth: rfc4106(gcm(aes)) is an AEAD, not an integrity algorithm", "aead as auth");
	ERR_IS(kipsec_alg_parse(KIPSEC_KEY_AUTH, "", out, &e),
	       "auth: expected an algorithm name (at most 63 characters), got \"\"", "empty name");
	ERR_IS(kipsec_alg_parse(KIPSEC_KEY_ENC,
				"0123456789012345678901234567890123456789012345678901234567890123",
				out, &e),
	       "enc: expected an algorithm name (at most 63 characters), got "
	       "\"0123456789012345678901234567890123456789012345678901234567890123\"", "overlong name");
	CHECK(kipsec_alg_keyless("ecb(cipher_null)") && !kipsec_alg_keyless("cbc(aes)"), "keyless");
}

int main(void)
{
	test_numbers();
	test_words();
	test_addresses();
	test_algs();
	return tap_done();
}
