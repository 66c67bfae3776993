// SPDX-License-Identifier: GPL-2.0
/* Unit tests of tools/keys.c: the SA key file format. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "keys.h"
#include "tap.h"

static struct kipsec_keys keys;
static struct kipsec_err e;

/* Parse @text as a key file named "k". */
static int parse(const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	memset(&e, 0, sizeof(e));
	ret = kipsec_keys_read(f, "k", &keys, &e);
	fclose(f);
	return ret;
}

#define BAD(text, want, what) CHECK(parse(text) < 0 && !strcmp(e.msg, want), "%s: %s", what, e.msg)

static bool all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

int main(void)
{
	const struct kipsec_key *aead = &keys.k[KIPSEC_KEY_AEAD];
	const struct kipsec_key *enc = &keys.k[KIPSEC_KEY_ENC];
	const struct kipsec_key *auth = &keys.k[KIPSEC_KEY_AUTH];
	const char *path;

	CHECK(parse("aead 0x0102030405060708090a0b0c0d0e0f1011121314\n") == 0 && aead->set &&
	      aead->len == 20 && aead->data[0] == 1 && aead->data[19] == 0x14 && !enc->set &&
	      !auth->set, "aead key with 0x");
	CHECK(parse("# keys for SA 0x1001\n\n  enc   00112233445566778899AABBCCDDEEFF  # comment\n"
		    "\tauth 0X0123\n") == 0 && enc->len == 16 && enc->data[15] == 0xff &&
	      auth->len == 2 && auth->data[1] == 0x23 && !aead->set,
	      "comments, blank lines, tabs, upper case, 0X");
	CHECK(parse("enc\nauth 01\n") == 0 && enc->set && enc->len == 0,
	      "an empty enc key (ecb(cipher_null))");
	CHECK(parse("enc 0x\nauth 01") == 0 && enc->set && enc->len == 0 && auth->len == 1,
	      "bare 0x is empty, last line without newline");
	CHECK(parse("") == 0 && !aead->set && !enc->set && !auth->set, "empty file");
	CHECK(parse("aead 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233\n") == 0 &&
	      aead->len == 36, "36-byte aead key (AES-256 + salt)");

	BAD("aead 0x012\n", "keys: k:1: aead key: odd number of hex digits (3)", "odd hex");
	BAD("\n\nenc 01zz\n", "keys: k:3: enc key: not hex (bad digit at position 3)", "bad digit");
	BAD("auth 0x01g2\n", "keys: k:1: auth key: not hex (bad digit at position 5)",
	    "bad digit after 0x (position counts the 0x)");
	BAD("aead 01\naead 02\n", "keys: k:2: aead key given twice", "duplicate");
	BAD("key 0102\n", "keys: k:1: unknown key \"key\" (expected aead, enc or auth)",
	    "unknown keyword");
	BAD("aead 01 02\n", "keys: k:1: aead key: one hex string expected, found more",
	    "two hex strings");
	BAD("enc 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00\n",
	    "keys: k:1: enc key: 33 bytes, at most 32 allowed", "enc key too long");
	BAD("aead 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff0011223344\n",
	    "keys: k:1: aead key: 37 bytes, at most 36 allowed", "aead key too long");
	CHECK(parse("aead 0x0102\nfoo\n") < 0 && all_zero(&keys, sizeof(keys)),
	      "keys are wiped when a later line fails");
	CHECK(parse("aead 0xdeadbeefcafe\nbogus\n") < 0 && !strstr(e.msg, "dead"),
	      "messages never show key material");

	path = cli_file("aead 0x0102030405060708090a0b0c0d0e0f1011121314\n", 0600);
	memset(&e, 0, sizeof(e));
	CHECK(kipsec_keys_load(path, &keys, &e) == 0 && aead->len == 20, "load a private file");
	unlink(path);
	path = cli_file("auth 01\n", 0644);
	CHECK(kipsec_keys_load(path, &keys, &e) == 0 && auth->len == 1,
	      "world-readable file loads (with a warning on stderr)");
	unlink(path);
	CHECK(kipsec_keys_load("/nonexistent/keys", &keys, &e) < 0 &&
	      !strcmp(e.msg, "keys: /nonexistent/keys: No such file or directory"), "missing file: %s",
	      e.msg);

	path = cli_file("enc 0011\nauth 2233\n", 0600);
	CHECK(freopen(path, "r", stdin) != NULL, "stdin from a file");
	CHECK(kipsec_keys_load("-", &keys, &e) == 0 && enc->len == 2 && auth->data[1] == 0x33,
	      "keys - reads stdin");
	unlink(path);
	kipsec_keys_stdin_taken("the batch");
	CHECK(kipsec_keys_load("-", &keys, &e) < 0 &&
	      !strcmp(e.msg, "keys -: stdin carries the batch: give the keys in a file"),
	      "keys - refused while stdin carries a batch: %s", e.msg);
	kipsec_keys_stdin_taken(NULL);

	kipsec_keys_wipe(&keys);
	CHECK(all_zero(&keys, sizeof(keys)), "wipe");
	return tap_done();
}
