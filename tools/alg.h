/* SPDX-License-Identifier: GPL-2.0 */
/* Algorithm names for SAs: friendly aliases → Crypto API template names. */
#ifndef KIPSEC_ALG_H
#define KIPSEC_ALG_H

#include <stddef.h>

#include "args.h"
#include "keys.h"

#define KIPSEC_ALG_NAME_MAX 64	/* with the NUL; the spec's max-len is 63 */

/*
 * Resolve @s for the role @kind (aead, enc or auth) into @out: an alias
 * ("aes-gcm"), a known template name, or any other template name (which the
 * kernel checks). A known algorithm in the wrong role is refused.
 */
int kipsec_alg_parse(enum kipsec_key_kind kind, const char *s, char *out, struct kipsec_err *e);

/* Does @name need no key (ecb(cipher_null))? */
int kipsec_alg_keyless(const char *name);

#endif /* KIPSEC_ALG_H */
