// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of kmod/crypto.c: the algorithm table and probing it against
 * the running kernel's crypto API.
 */
#include <crypto/algapi.h>
#include <kunit/test.h>

#include "../../kmod/crypto.h"

static void kipsec_alg_find_known_and_unknown_test(struct kunit *test)
{
	const struct kipsec_alg *a = kipsec_alg_find("rfc4106(gcm(aes))");

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, a->kind, KIPSEC_ALG_KIND_AEAD);
	KUNIT_EXPECT_NULL(test, kipsec_alg_find("gcm(aes)"));
	KUNIT_EXPECT_NULL(test, kipsec_alg_find(""));
}

/* The debug kernel builds every algorithm kipsec lists in: all must load. */
static void kipsec_alg_probe_every_alg_test(struct kunit *test)
{
	char driver[CRYPTO_MAX_ALG_NAME];
	size_t i;

	for (i = 0; i < kipsec_algs_count; i++) {
		driver[0] = '\0';
		KUNIT_EXPECT_EQ_MSG(test, kipsec_alg_probe(&kipsec_algs[i], driver, sizeof(driver)),
				    0, "%s", kipsec_algs[i].name);
		KUNIT_EXPECT_NE_MSG(test, driver[0], '\0', "%s", kipsec_algs[i].name);
	}
}

static void kipsec_alg_probe_missing_test(struct kunit *test)
{
	static const struct kipsec_alg bogus = {
		"rfc4106(gcm(nosuchcipher))", KIPSEC_ALG_KIND_AEAD
	};
	char driver[CRYPTO_MAX_ALG_NAME] = "";

	KUNIT_EXPECT_LT(test, kipsec_alg_probe(&bogus, driver, sizeof(driver)), 0);
	KUNIT_EXPECT_EQ(test, driver[0], '\0');
}

static struct kunit_case kipsec_crypto_test_cases[] = {
	KUNIT_CASE(kipsec_alg_find_known_and_unknown_test),
	KUNIT_CASE(kipsec_alg_probe_every_alg_test),
	KUNIT_CASE(kipsec_alg_probe_missing_test),
	{}
};

static struct kunit_suite kipsec_crypto_suite = {
	.name = "kipsec_crypto",
	.test_cases = kipsec_crypto_test_cases,
};

kunit_test_suite(kipsec_crypto_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of kipsec's kernel code");
