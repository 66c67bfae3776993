// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of kmod/replay.c: each case feeds a window a series of
 * sequence numbers as they come off the wire and checks both the inferred
 * 64-bit number and the verdict.
 */
#include <kunit/test.h>

#include "../../kmod/replay.h"

#define OK	KIPSEC_REPLAY_OK
#define OLD	KIPSEC_REPLAY_TOO_OLD
#define DUP	KIPSEC_REPLAY_DUPLICATE

struct replay_step {
	bool set;		/* accept @full directly (to place the window) */
	u32 wire;		/* low 32 bits as received */
	u64 full;		/* expected inferred number */
	enum kipsec_replay_verdict verdict;
};

struct replay_case {
	const char *name;
	u32 size;
	bool esn;
	const struct replay_step *steps;
	size_t n;
};

#define W(w, f, v)	{ .wire = (w), .full = (f), .verdict = (v) }
#define SET(f)		{ .set = true, .full = (f), .verdict = OK }

static const struct replay_step in_order[] = {
	W(1, 1, OK), W(2, 2, OK), W(3, 3, OK), W(2, 2, DUP), W(1, 1, DUP), W(4, 4, OK),
};

static const struct replay_step out_of_order[] = {
	W(10, 10, OK), W(5, 5, OK), W(7, 7, OK), W(5, 5, DUP), W(10, 10, DUP), W(6, 6, OK),
};

static const struct replay_step too_old[] = {
	W(100, 100, OK), W(37, 37, OK), W(36, 36, OLD), W(0, 0, OLD), W(37, 37, DUP),
};

static const struct replay_step far_jump[] = {
	W(5, 5, OK), W(1000, 1000, OK), W(5, 5, OLD), W(999, 999, OK),
	W(1000, 1000, DUP), W(937, 937, OK), W(936, 936, OLD),
};

/* A jump by exactly the window empties it; slots reused must read as new. */
static const struct replay_step jump_window[] = {
	W(1, 1, OK), W(65, 65, OK), W(1, 1, OLD), W(2, 2, OK), W(65, 65, DUP),
	W(129, 129, OK), W(65, 65, OLD), W(66, 66, OK),
};

/* A window that is not a power of two keeps its exact left edge. */
static const struct replay_step odd_size[] = {
	W(200, 200, OK), W(101, 101, OK), W(100, 100, OLD), W(150, 150, OK), W(150, 150, DUP),
};

/* RFC 4303 A2, case A (window inside one epoch) across 2^32. */
static const struct replay_step esn_case_a[] = {
	SET(0xfffffff0ULL),
	W(0x00000005, 0x100000005ULL, OK),	/* left of the bottom: next epoch */
	W(0xffffffe0, 0x0ffffffe0ULL, OK),	/* case B now: previous epoch */
	W(0xfffffff8, 0x0fffffff8ULL, OK),
	W(0xfffffff0, 0x0fffffff0ULL, DUP),
	W(0x00000003, 0x100000003ULL, OK),
	W(0x00000005, 0x100000005ULL, DUP),
	/*
	 * Left of the bottom: read as the next epoch, never as too old; the
	 * ICV (which covers the high half) rejects it if the guess is wrong.
	 */
	W(0xffffffc0, 0x1ffffffc0ULL, OK),
};

/* Case B at the start: numbers before the first epoch do not exist. */
static const struct replay_step esn_start[] = {
	W(0xfffffff0, 0, OLD), W(1, 1, OK), W(0xffffffff, 0, OLD), W(2, 2, OK),
};

/* Without ESN the wire number is the number, however near 2^32. */
static const struct replay_step no_esn_wrap[] = {
	W(0xfffffffe, 0xfffffffeULL, OK), W(0xffffffff, 0xffffffffULL, OK),
	W(0xfffffffe, 0xfffffffeULL, DUP), W(1, 1, OLD),
};

/* The largest window: numbers 4096 apart share no slot while inside it. */
static const struct replay_step big_window[] = {
	W(5000, 5000, OK), W(905, 905, OK), W(904, 904, OLD), W(4999, 4999, OK),
	W(905, 905, DUP), W(9000, 9000, OK), W(4905, 4905, OK), W(4904, 4904, OLD),
};

static const struct replay_case replay_cases[] = {
	{ "in_order", 64, false, in_order, ARRAY_SIZE(in_order) },
	{ "out_of_order_inside_window", 64, false, out_of_order, ARRAY_SIZE(out_of_order) },
	{ "too_old", 64, false, too_old, ARRAY_SIZE(too_old) },
	{ "far_jump", 64, false, far_jump, ARRAY_SIZE(far_jump) },
	{ "jump_by_window", 64, false, jump_window, ARRAY_SIZE(jump_window) },
	{ "odd_size_exact_edge", 100, false, odd_size, ARRAY_SIZE(odd_size) },
	{ "esn_wrap_case_a_and_b", 64, true, esn_case_a, ARRAY_SIZE(esn_case_a) },
	{ "esn_before_first_epoch", 64, true, esn_start, ARRAY_SIZE(esn_start) },
	{ "no_esn_near_2_32", 64, false, no_esn_wrap, ARRAY_SIZE(no_esn_wrap) },
	{ "window_4096", 4096, false, big_window, ARRAY_SIZE(big_window) },
};

static void replay_case_desc(const struct replay_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(replay, replay_cases, replay_case_desc);

static void kipsec_replay_sequence_test(struct kunit *test)
{
	const struct replay_case *c = test->param_value;
	struct kipsec_replay *r;
	size_t i;

	r = kipsec_replay_alloc(c->size, c->esn, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);

	for (i = 0; i < c->n; i++) {
		const struct replay_step *s = &c->steps[i];
		u64 full = s->set ? s->full : kipsec_replay_infer(r, s->wire);

		KUNIT_EXPECT_EQ_MSG(test, full, s->full, "step %zu: inferred number", i);
		KUNIT_EXPECT_EQ_MSG(test, kipsec_replay_check(r, full), s->verdict,
				    "step %zu: check", i);
		KUNIT_EXPECT_EQ_MSG(test, kipsec_replay_advance(r, full), s->verdict,
				    "step %zu: advance", i);
	}
	kipsec_replay_free(r);
}

/* check() runs before decryption: it must never move the window. */
static void kipsec_replay_check_does_not_advance_test(struct kunit *test)
{
	struct kipsec_replay *r = kipsec_replay_alloc(64, false, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 7), OK);
	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 7), OK);
	KUNIT_EXPECT_EQ(test, r->top, 0ULL);
	KUNIT_EXPECT_EQ(test, kipsec_replay_advance(r, 7), OK);
	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 7), DUP);
	kipsec_replay_free(r);
}

static void kipsec_replay_alloc_bounds_test(struct kunit *test)
{
	struct kipsec_replay *r;

	KUNIT_EXPECT_NULL(test, kipsec_replay_alloc(0, false, GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, kipsec_replay_alloc(KIPSEC_REPLAY_MAX + 1, false, GFP_KERNEL));

	r = kipsec_replay_alloc(100, true, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->size, 100U);
	KUNIT_EXPECT_EQ(test, r->bits, 128U);
	kipsec_replay_free(r);

	r = kipsec_replay_alloc(KIPSEC_REPLAY_MAX, false, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->bits, (u32)KIPSEC_REPLAY_MAX);
	KUNIT_EXPECT_EQ(test, kipsec_replay_advance(r, 1), OK);
	KUNIT_EXPECT_EQ(test, kipsec_replay_advance(r, KIPSEC_REPLAY_MAX), OK);
	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 1), DUP);
	kipsec_replay_free(r);
}

static struct kunit_case kipsec_replay_test_cases[] = {
	KUNIT_CASE_PARAM(kipsec_replay_sequence_test, replay_gen_params),
	KUNIT_CASE(kipsec_replay_check_does_not_advance_test),
	KUNIT_CASE(kipsec_replay_alloc_bounds_test),
	{}
};

static struct kunit_suite kipsec_replay_suite = {
	.name = "kipsec_replay",
	.test_cases = kipsec_replay_test_cases,
};

kunit_test_suite(kipsec_replay_suite);
