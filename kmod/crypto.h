/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The algorithms kipsec uses, by their Kernel Crypto API template names.
 */
#ifndef _KIPSEC_CRYPTO_H
#define _KIPSEC_CRYPTO_H

#include <linux/types.h>

#include "../uapi/linux/kipsec.h"

struct kipsec_alg {
	const char *name;		/* crypto API template, as xfrm names it */
	enum kipsec_alg_kind kind;
};

extern const struct kipsec_alg kipsec_algs[];
extern const size_t kipsec_algs_count;

const struct kipsec_alg *kipsec_alg_find(const char *name);
int kipsec_alg_probe(const struct kipsec_alg *alg, char *driver, size_t len);

#endif /* _KIPSEC_CRYPTO_H */
