// SPDX-License-Identifier: GPL-2.0
/*
 * SA keys from a file or stdin.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "keys.h"

static const char *const kind_names[KIPSEC_KEY_KINDS] = {
	[KIPSEC_KEY_AEAD] = "aead",
	[KIPSEC_KEY_ENC] = "enc",
	[KIPSEC_KEY_AUTH] = "auth",
};

/* The spec's max-len for aead-key, enc-key, auth-key. */
static const uint32_t key_max[KIPSEC_KEY_KINDS] = {
	[KIPSEC_KEY_AEAD] = 36,
	[KIPSEC_KEY_ENC] = 32,
	[KIPSEC_KEY_AUTH] = 64,
};

const char *kipsec_key_kind_name(enum kipsec_key_kind kind)
{
	return kind < KIPSEC_KEY_KINDS ? kind_names[kind] : "?";
}

uint32_t kipsec_key_max(enum kipsec_key_kind kind)
{
	return kind < KIPSEC_KEY_KINDS ? key_max[kind] : 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* @hex (with or without 0x, ending at @end) into @key. */
static int parse_hex(const char *where, enum kipsec_key_kind kind, const char *hex,
		     const char *end, struct kipsec_key *key, struct kipsec_err *e)
{
	const char *p = hex;
	size_t digits;
	uint32_t i;

	if (end - p >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	digits = (size_t)(end - p);
	for (i = 0; i < digits; i++)
		if (hexval(p[i]) < 0)
			return kipsec_err(e, "%s: %s key: not hex (bad digit at position %u)",
					  where, kind_names[kind], (unsigned int)(p - hex) + i + 1);
	if (digits % 2)
		return kipsec_err(e, "%s: %s key: odd number of hex digits (%zu)", where,
				  kind_names[kind], digits);
	if (digits / 2 > key_max[kind])
		return kipsec_err(e, "%s: %s key: %zu bytes, at most %u allowed", where,
				  kind_names[kind], digits / 2, key_max[kind]);
	key->len = (uint32_t)(digits / 2);
	for (i = 0; i < key->len; i++)
		key->data[i] = (uint8_t)(hexval(p[2 * i]) << 4 | hexval(p[2 * i + 1]));
	key->set = true;
	return 0;
}

static int parse_line(const char *where, char *line, struct kipsec_keys *keys,
		      struct kipsec_err *e)
{
	char *p = line, *word, *hex, *end;
	int kind;

	while (isspace((unsigned char)*p))
		p++;
	if (!*p || *p == '#')
		return 0;
	word = p;
	while (*p && !isspace((unsigned char)*p))
		p++;
	end = p;
	while (isspace((unsigned char)*p))
		p++;
	hex = p;
	while (*p && !isspace((unsigned char)*p))
		p++;
	*end = '\0';
	for (kind = 0; kind < KIPSEC_KEY_KINDS; kind++)
		if (!strcmp(word, kind_names[kind]))
			break;
	if (kind == KIPSEC_KEY_KINDS)
		return kipsec_err(e, "%s: unknown key \"%.16s\" (expected aead, enc or auth)",
				  where, word);
	end = p;
	while (isspace((unsigned char)*p))
		p++;
	if (*p && *p != '#')
		return kipsec_err(e, "%s: %s key: one hex string expected, found more", where,
				  word);
	if (keys->k[kind].set)
		return kipsec_err(e, "%s: %s key given twice", where, word);
	return parse_hex(where, kind, hex, end, &keys->k[kind], e);
}

int kipsec_keys_read(FILE *f, const char *name, struct kipsec_keys *keys, struct kipsec_err *e)
{
	char *line = NULL, where[160];
	size_t cap = 0;
	ssize_t n;
	int lineno = 0, ret = 0;

	memset(keys, 0, sizeof(*keys));
	while ((n = getline(&line, &cap, f)) >= 0) {
		snprintf(where, sizeof(where), "keys: %s:%d", name, ++lineno);
		ret = parse_line(where, line, keys, e);
		explicit_bzero(line, (size_t)n);
		if (ret < 0)
			break;
	}
	if (line)
		explicit_bzero(line, cap);
	free(line);
	if (!ret && ferror(f))
		ret = kipsec_err(e, "keys: %s: %s", name, strerror(errno));
	if (ret < 0)
		kipsec_keys_wipe(keys);
	return ret;
}

static const char *stdin_taken;

void kipsec_keys_stdin_taken(const char *by)
{
	stdin_taken = by;
}

int kipsec_keys_load(const char *path, struct kipsec_keys *keys, struct kipsec_err *e)
{
	char buf[4096];
	struct stat st;
	FILE *f;
	int ret;

	if (!strcmp(path, "-") && stdin_taken)
		return kipsec_err(e, "keys -: stdin carries %s: give the keys in a file", stdin_taken);
	if (!strcmp(path, "-"))
		return kipsec_keys_read(stdin, "stdin", keys, e);
	f = fopen(path, "re");
	if (!f)
		return kipsec_err(e, "keys: %s: %s", path, strerror(errno));
	/*
	 * stdio buffers the file in @buf, ours, so that no copy of the keys
	 * outlives this call: it is wiped after fclose(). (Unbuffered, each
	 * byte was one read(): ~50 round trips per key file on 9p or NFS.)
	 */
	setvbuf(f, buf, _IOFBF, sizeof(buf));
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & S_IROTH))
		fprintf(stderr, "kipsec: warning: keys file %s is world-readable (chmod o-r %s)\n",
			path, path);
	ret = kipsec_keys_read(f, path, keys, e);
	fclose(f);
	explicit_bzero(buf, sizeof(buf));
	return ret;
}

void kipsec_keys_wipe(struct kipsec_keys *keys)
{
	explicit_bzero(keys, sizeof(*keys));
}
