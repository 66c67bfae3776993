/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SA keys, read from a file or stdin, never from argv. The format, one key
 * per line:
 *
 *	# comment
 *	aead 0x<hex>	(AEAD key with its 4-byte salt appended)
 *	enc <hex>	(cipher key; empty for ecb(cipher_null))
 *	auth <hex>	(integrity key)
 */
#ifndef KIPSEC_KEYS_H
#define KIPSEC_KEYS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "args.h"

#define KIPSEC_KEY_MAX 64

enum kipsec_key_kind {
	KIPSEC_KEY_AEAD,
	KIPSEC_KEY_ENC,
	KIPSEC_KEY_AUTH,
	KIPSEC_KEY_KINDS,
};

struct kipsec_key {
	bool set;
	uint32_t len;
	uint8_t data[KIPSEC_KEY_MAX];
};

struct kipsec_keys {
	struct kipsec_key k[KIPSEC_KEY_KINDS];
};

/* "aead", "enc", "auth" */
const char *kipsec_key_kind_name(enum kipsec_key_kind kind);

/* Largest key the kernel takes for each kind (the spec's max-len). */
uint32_t kipsec_key_max(enum kipsec_key_kind kind);

/*
 * Parse key lines from @f; @name is used in messages ("FILE:LINE: ..."). Key
 * material never appears in a message. Line buffers are wiped.
 */
int kipsec_keys_read(FILE *f, const char *name, struct kipsec_keys *keys, struct kipsec_err *e);

/*
 * Open @path ("-": stdin) and read it; warns on stderr when the file is
 * world-readable.
 */
int kipsec_keys_load(const char *path, struct kipsec_keys *keys, struct kipsec_err *e);

/* Forget every key (explicit_bzero). */
void kipsec_keys_wipe(struct kipsec_keys *keys);

/* Refuse "keys -" from now on: stdin carries something else (@by, for the message). */
void kipsec_keys_stdin_taken(const char *by);

#endif /* KIPSEC_KEYS_H */
