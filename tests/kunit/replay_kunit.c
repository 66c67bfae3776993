// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of kmod/replay.c: table-driven cases feed a window a series
 * of sequence numbers as they come off the wire and check both the inferred
 * 64-bit number and the verdicts; a concurrent case has several kthreads
 * share one window and checks that no number is ever accepted twice.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/wait.h>

#include "../../kmod/replay.h"

#define OK	KIPSEC_REPLAY_OK
#define OLD	KIPSEC_REPLAY_TOO_OLD
#define DUP	KIPSEC_REPLAY_DUPLICATE

struct replay_step {
	bool set;		/* accept @full directly (to place the window) */
	bool same;		/* @full is @wire (no ESN, or below 2^32) */
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
#define N(n, v)		{ .same = true, .wire = (n), .verdict = (v) }
#define SET(f)		{ .set = true, .full = (f), .verdict = OK }

static const struct replay_step in_order[] = {
	N(1, OK), N(2, OK), N(3, OK), N(2, DUP), N(1, DUP), N(4, OK),
};

static const struct replay_step out_of_order[] = {
	N(10, OK), N(5, OK), N(7, OK), N(5, DUP), N(10, DUP), N(6, OK),
};

/* Each number once, however often it comes: at the edges too. */
static const struct replay_step duplicates[] = {
	N(1, OK), N(1, DUP), N(1, DUP), N(64, OK), N(64, DUP), N(1, DUP),
	N(65, OK), N(1, OLD), N(2, OK), N(2, DUP),
};

/* The window is [top - size + 1, top], edges included, for size 64. */
static const struct replay_step window_edges[] = {
	N(70, OK), N(7, OK), N(7, DUP), N(6, OLD), N(70, DUP), N(71, OK),
	N(7, OLD), N(8, OK), N(8, DUP), N(72, OK), N(9, OK), N(8, OLD),
};

static const struct replay_step too_old[] = {
	N(100, OK), N(37, OK), N(36, OLD), N(0, OLD), N(37, DUP), N(1, OLD),
};

/* Jumps by more than the window and more than the slots (64). */
static const struct replay_step far_jump[] = {
	N(5, OK), N(1000, OK), N(5, OLD), N(999, OK),
	N(1000, DUP), N(937, OK), N(936, OLD), N(1000000, OK), N(999937, OK),
	N(999936, OLD), N(1000, OLD), N(1000000, DUP),
};

/* A jump by exactly the window empties it; slots reused must read as new. */
static const struct replay_step jump_window[] = {
	N(1, OK), N(65, OK), N(1, OLD), N(2, OK), N(65, DUP),
	N(129, OK), N(65, OLD), N(66, OK),
};

/*
 * Size 100 uses 128 slots: numbers 128 apart share a slot, and numbers
 * 100 to 127 behind the top are still in a slot but out of the window.
 */
static const struct replay_step slots_beyond_window[] = {
	N(1, OK), N(129, OK), N(1, OLD), N(129, DUP), N(30, OK), N(29, OLD),
	N(257, OK), N(129, OLD), N(158, OK), N(157, OLD), N(130, OLD),
	N(385, OK), N(257, OLD), N(286, OK), N(285, OLD),
};

/* A window that is not a power of two keeps its exact left edge. */
static const struct replay_step odd_size[] = {
	N(200, OK), N(101, OK), N(100, OLD), N(150, OK), N(150, DUP), N(101, DUP),
	N(72, OLD),
};

/* A window of one: only numbers above the top. */
static const struct replay_step size_one[] = {
	N(5, OK), N(4, OLD), N(5, DUP), N(6, OK), N(5, OLD), N(100, OK), N(99, OLD),
	N(100, DUP), N(101, OK),
};

/* No window: everything goes, 0 and repeats included (the top follows). */
static const struct replay_step size_zero[] = {
	N(5, OK), N(5, OK), N(1, OK), N(0, OK), N(1000000, OK), N(3, OK), N(5, OK),
};

/* RFC 4303 A2.1 case A (Tl >= W - 1), both branches. */
static const struct replay_step esn_a2_case_a[] = {
	SET(0x100000100ULL),			/* Tl = 0x100, bottom 0xc1 */
	W(0x000000f0, 0x1000000f0ULL, OK),	/* Seql >= bottom: Th */
	W(0x000000c1, 0x1000000c1ULL, OK),	/* the bottom itself */
	W(0x00000100, 0x100000100ULL, DUP),
	W(0x000000f0, 0x1000000f0ULL, DUP),
	W(0x00000101, 0x100000101ULL, OK),	/* bottom now 0xc2 */
	W(0x000000c1, 0x2000000c1ULL, OK),	/* Seql < bottom: Th + 1 */
	W(0x000000c1, 0x2000000c1ULL, DUP),
};

/* RFC 4303 A2.1 case B (Tl < W - 1), both branches. */
static const struct replay_step esn_a2_case_b[] = {
	SET(0x100000010ULL),			/* Tl = 0x10, bottom 0xffffffd1 */
	W(0xfffffff0, 0x0fffffff0ULL, OK),	/* Seql >= bottom: Th - 1 */
	W(0xffffffd1, 0x0ffffffd1ULL, OK),	/* the bottom itself */
	W(0x00000005, 0x100000005ULL, OK),	/* Seql < bottom: Th */
	W(0xfffffff0, 0x0fffffff0ULL, DUP),
	W(0x00000020, 0x100000020ULL, OK),	/* bottom now 0xffffffe1 */
	W(0xffffffe1, 0x0ffffffe1ULL, OK),
	W(0xffffffe0, 0x1ffffffe0ULL, OK),	/* below it: Th, far ahead */
};

/* The boundary between the cases: Tl = W - 1 is A, Tl = W - 2 is B. */
static const struct replay_step esn_case_edge[] = {
	SET(0x10000003eULL),			/* B, bottom 0xffffffff */
	W(0xffffffff, 0x0ffffffffULL, OK),
	W(0x0000003f, 0x10000003fULL, OK),	/* A now, bottom 0 */
	W(0x00000000, 0x100000000ULL, OK),
	W(0xffffffff, 0x1ffffffffULL, OK),
};

/* Case A then B across 2^32, with the window moving. */
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

/* Case A in the last epoch: numbers after it do not exist either. */
static const struct replay_step esn_end[] = {
	SET(0xffffffff00000100ULL),
	W(0x00000010, 0, OLD),
	W(0x00000100, 0xffffffff00000100ULL, DUP),
	W(0xffffffff, 0xffffffffffffffffULL, OK),
	W(0xffffffc1, 0xffffffffffffffc1ULL, OK),
	W(0xffffffc0, 0xffffffffffffffc0ULL, OK),	/* the bottom */
	W(0xffffffbf, 0, OLD),
	W(0xffffffff, 0xffffffffffffffffULL, DUP),
};

/* No window and ESN: the number nearest the top, never "does not exist". */
static const struct replay_step esn_off[] = {
	W(0xfffffff0, 0x0fffffff0ULL, OK),	/* first epoch, not 0 */
	W(0x00000001, 0x100000001ULL, OK),
	W(0xfffffff0, 0x0fffffff0ULL, OK),	/* again: not checked */
	W(0x80000002, 0x080000002ULL, OK),	/* < 2^31 behind */
	W(0x80000001, 0x180000001ULL, OK),	/* 2^31 behind: ahead */
	W(0x00000006, 0x100000006ULL, OK),
};

/* Without ESN the wire number is the number, however near 2^32. */
static const struct replay_step no_esn_wrap[] = {
	N(0xfffffffe, OK), N(0xffffffff, OK), N(0xfffffffe, DUP), N(1, OLD),
	N(0xffffffc0, OK), N(0xffffffbf, OLD), N(0xffffffff, DUP),
};

/*
 * The usual window of 32 has exactly 32 slots: a number 32 behind the top
 * shares the top's slot and has just left the window.
 */
static const struct replay_step slots_equal_window[] = {
	N(1, OK), N(33, OK), N(1, OLD), N(33, DUP), N(2, OK), N(34, OK),
	N(2, OLD), N(3, OK), N(35, OK), N(3, OLD), N(35, DUP),
};

/* The largest window: numbers 4096 apart share no slot while inside it. */
static const struct replay_step big_window[] = {
	N(5000, OK), N(905, OK), N(904, OLD), N(4999, OK),
	N(905, DUP), N(9000, OK), N(4905, OK), N(4904, OLD),
};

static const struct replay_step max_window[] = {
	N(1, OK), N(32768, OK), N(1, DUP), N(2, OK), N(32769, OK), N(1, OLD),
	N(2, DUP), N(3, OK), N(65537, OK), N(32769, OLD), N(32770, OK),
};

static const struct replay_case replay_cases[] = {
	{ "in_order", 64, false, in_order, ARRAY_SIZE(in_order) },
	{ "out_of_order_inside_window", 64, false, out_of_order, ARRAY_SIZE(out_of_order) },
	{ "duplicates", 64, false, duplicates, ARRAY_SIZE(duplicates) },
	{ "window_edges", 64, false, window_edges, ARRAY_SIZE(window_edges) },
	{ "too_old", 64, false, too_old, ARRAY_SIZE(too_old) },
	{ "far_jump", 64, false, far_jump, ARRAY_SIZE(far_jump) },
	{ "jump_by_window", 64, false, jump_window, ARRAY_SIZE(jump_window) },
	{ "slots_beyond_window", 100, false, slots_beyond_window,
	  ARRAY_SIZE(slots_beyond_window) },
	{ "slots_equal_window", 32, false, slots_equal_window,
	  ARRAY_SIZE(slots_equal_window) },
	{ "odd_size_exact_edge", 100, false, odd_size, ARRAY_SIZE(odd_size) },
	{ "size_1", 1, false, size_one, ARRAY_SIZE(size_one) },
	{ "size_0_off", 0, false, size_zero, ARRAY_SIZE(size_zero) },
	{ "esn_rfc4303_a2_case_a", 64, true, esn_a2_case_a, ARRAY_SIZE(esn_a2_case_a) },
	{ "esn_rfc4303_a2_case_b", 64, true, esn_a2_case_b, ARRAY_SIZE(esn_a2_case_b) },
	{ "esn_case_a_b_boundary", 64, true, esn_case_edge, ARRAY_SIZE(esn_case_edge) },
	{ "esn_wrap_case_a_and_b", 64, true, esn_case_a, ARRAY_SIZE(esn_case_a) },
	{ "esn_before_first_epoch", 64, true, esn_start, ARRAY_SIZE(esn_start) },
	{ "esn_after_last_epoch", 64, true, esn_end, ARRAY_SIZE(esn_end) },
	{ "esn_size_0_nearest", 0, true, esn_off, ARRAY_SIZE(esn_off) },
	{ "no_esn_near_2_32", 64, false, no_esn_wrap, ARRAY_SIZE(no_esn_wrap) },
	{ "window_4096", 4096, false, big_window, ARRAY_SIZE(big_window) },
	{ "window_max", KIPSEC_REPLAY_MAX, false, max_window, ARRAY_SIZE(max_window) },
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
	u64 top = 0;
	size_t i;

	r = kipsec_replay_alloc(c->size, c->esn, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);

	for (i = 0; i < c->n; i++) {
		const struct replay_step *s = &c->steps[i];
		u64 want = s->same ? s->wire : s->full;
		u64 full = s->set ? s->full : kipsec_replay_infer(r, s->wire);

		KUNIT_EXPECT_EQ_MSG(test, full, want, "step %zu: inferred number", i);
		KUNIT_EXPECT_EQ_MSG(test, kipsec_replay_check(r, full), s->verdict,
				    "step %zu: check", i);
		KUNIT_EXPECT_EQ_MSG(test, kipsec_replay_advance(r, full), s->verdict,
				    "step %zu: advance", i);
		if (s->verdict == OK)
			top = max(top, full);
		KUNIT_EXPECT_EQ_MSG(test, kipsec_replay_top(r), top, "step %zu: top", i);
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
	KUNIT_EXPECT_EQ(test, kipsec_replay_top(r), 0ULL);
	KUNIT_EXPECT_EQ(test, kipsec_replay_advance(r, 7), OK);
	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 7), DUP);
	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 1000), OK);
	KUNIT_EXPECT_EQ(test, kipsec_replay_top(r), 7ULL);
	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 7), DUP);
	kipsec_replay_free(r);
}

static void kipsec_replay_alloc_bounds_test(struct kunit *test)
{
	static const struct { u32 size, slots; } sizes[] = {
		{ 0, 0 }, { 1, 8 }, { 8, 8 }, { 9, 16 }, { 32, 32 }, { 64, 64 }, { 65, 128 },
		{ 100, 128 }, { 1024, 1024 }, { KIPSEC_REPLAY_MAX, KIPSEC_REPLAY_MAX },
	};
	struct kipsec_replay *r;
	size_t i;

	KUNIT_EXPECT_NULL(test, kipsec_replay_alloc(KIPSEC_REPLAY_MAX + 1, false, GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, kipsec_replay_alloc(U32_MAX, true, GFP_KERNEL));

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		r = kipsec_replay_alloc(sizes[i].size, i & 1, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, r);
		KUNIT_EXPECT_EQ(test, r->size, sizes[i].size);
		KUNIT_EXPECT_EQ(test, r->slots, sizes[i].slots);
		KUNIT_EXPECT_EQ(test, r->esn, (bool)(i & 1));
		KUNIT_EXPECT_EQ(test, kipsec_replay_top(r), 0ULL);
		kipsec_replay_free(r);
	}

	/* Atomic context: the default windows are small kmalloc()s. */
	r = kipsec_replay_alloc(64, false, GFP_ATOMIC);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, kipsec_replay_advance(r, 1), OK);
	kipsec_replay_free(r);
}

/* No window: nothing is refused, but the top follows for ESN inference. */
static void kipsec_replay_off_test(struct kunit *test)
{
	struct kipsec_replay *r = kipsec_replay_alloc(0, true, GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 0xfffffff0ULL), OK);
		KUNIT_EXPECT_EQ(test, kipsec_replay_advance(r, 0xfffffff0ULL), OK);
	}
	KUNIT_EXPECT_EQ(test, kipsec_replay_top(r), 0xfffffff0ULL);
	KUNIT_EXPECT_EQ(test, kipsec_replay_infer(r, 3), 0x100000003ULL);
	KUNIT_EXPECT_EQ(test, kipsec_replay_advance(r, 0x100000003ULL), OK);
	KUNIT_EXPECT_EQ(test, kipsec_replay_advance(r, 5), OK);
	KUNIT_EXPECT_EQ(test, kipsec_replay_top(r), 0x100000003ULL);
	KUNIT_EXPECT_EQ(test, kipsec_replay_infer(r, 0xfffffff0), 0x0fffffff0ULL);
	kipsec_replay_free(r);
}

/*
 * The invariant does not rest on the top: with the top forced back to 0,
 * as if every reader saw it arbitrarily late, no number is taken again.
 */
static void kipsec_replay_invariant_without_top_test(struct kunit *test)
{
	struct kipsec_replay *r = kipsec_replay_alloc(64, false, GFP_KERNEL);
	u64 seq;

	KUNIT_ASSERT_NOT_NULL(test, r);
	for (seq = 1; seq <= 300; seq++)
		KUNIT_EXPECT_EQ(test, kipsec_replay_advance(r, seq), OK);
	atomic64_set(&r->top, 0);
	for (seq = 1; seq <= 300; seq++) {
		KUNIT_EXPECT_NE_MSG(test, kipsec_replay_check(r, seq), OK, "check %llu", seq);
		KUNIT_EXPECT_NE_MSG(test, kipsec_replay_advance(r, seq), OK, "advance %llu", seq);
	}
	KUNIT_EXPECT_EQ(test, kipsec_replay_advance(r, 237), DUP);
	KUNIT_EXPECT_EQ(test, kipsec_replay_advance(r, 236), OLD);	/* slot holds 300 */
	KUNIT_EXPECT_EQ(test, kipsec_replay_advance(r, 301), OK);
	KUNIT_EXPECT_EQ(test, kipsec_replay_top(r), 301ULL);
	kipsec_replay_free(r);
}

/*
 * What a late read of the top can do, with the top set back by hand: take
 * a never-seen number a serial window would have found too old (once), or
 * refuse one whose slot already holds a newer number.
 */
static void kipsec_replay_late_top_test(struct kunit *test)
{
	struct kipsec_replay *r = kipsec_replay_alloc(64, false, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, kipsec_replay_advance(r, 1000), OK);
	atomic64_set(&r->top, 900);
	KUNIT_EXPECT_EQ(test, kipsec_replay_check(r, 936), OLD);	/* slot: 1000 */
	KUNIT_EXPECT_EQ(test, kipsec_replay_advance(r, 936), OLD);
	KUNIT_EXPECT_EQ(test, kipsec_replay_advance(r, 930), OK);	/* 70 behind */
	KUNIT_EXPECT_EQ(test, kipsec_replay_advance(r, 930), DUP);
	KUNIT_EXPECT_EQ(test, kipsec_replay_advance(r, 1000), DUP);
	KUNIT_EXPECT_EQ(test, kipsec_replay_top(r), 930ULL);
	kipsec_replay_free(r);
}

/*
 * Concurrency: threads (one per online CPU, at least four) feed one window
 * the same numbers, each in its own order, through infer, check and advance
 * as the input path does, and count the numbers accepted.
 *
 * Every thread walks the same spine in segments (waiting for the others
 * every 64 numbers, so that they race on the same ones): in order; shuffled
 * in blocks no longer than the window; a jump over a gap wider than the
 * slots (the same gap for all, as if lost); each number twice in a row.
 * Between spine numbers, a quarter of the time, it replays a random number
 * from the two segments behind what it has fully delivered: duplicates of
 * the spine and late arrivals of numbers in the gaps. Every number may be
 * accepted at most once; every spine number exactly once (see replay.c).
 */
#define CONC_SEG	256	/* numbers per segment */
#define CONC_SEGS	16
#define CONC_NUMS	(CONC_SEG * CONC_SEGS)
#define CONC_BLK	32	/* shuffled block: <= every window below */
#define CONC_GAP	(CONC_SEG - 16)	/* > the slots of every window below */
#define CONC_SYNC	64	/* numbers between barriers */
#define CONC_MAX_THREADS 8

struct conc_param {
	const char *name;
	u32 size;
	bool esn;
	u64 base;		/* number i of the run is base + i, i >= 1 */
};

static const struct conc_param conc_params[] = {
	{ "size_64", 64, false, 0 },
	{ "size_32_esn_across_2_32", 32, true, 0xfffff800ULL },
};

static void conc_param_desc(const struct conc_param *p, char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(conc, conc_params, conc_param_desc);

struct conc_ctx {
	const struct conc_param *p;
	struct kipsec_replay *r;
	atomic_t *accepted;	/* [CONC_NUMS + 1], by run index */
	atomic_t misinferred;	/* "ICV failures": wrong high half */
	atomic_t raced;		/* check() said OK, advance() no longer */
	atomic_t arrived[CONC_NUMS / CONC_SYNC];	/* threads at each barrier */
	unsigned int nthreads;	/* started */
	wait_queue_head_t barrier;
	struct completion start;
};

struct conc_thread {
	struct conc_ctx *ctx;
	struct completion done;
	u32 rnd;
	u32 delivered;
	u32 accepted;
};

static bool conc_spine(u32 i)
{
	u32 seg = (i - 1) / CONC_SEG, off = (i - 1) % CONC_SEG;

	return seg % 4 != 2 || off >= CONC_GAP;
}

static u32 conc_rand(struct conc_thread *t)
{
	/* xorshift32: reproducible per thread, no locking */
	t->rnd ^= t->rnd << 13;
	t->rnd ^= t->rnd >> 17;
	t->rnd ^= t->rnd << 5;
	return t->rnd;
}

/* One packet: infer (ESN), check, "decrypt", advance. */
static void conc_deliver(struct conc_thread *t, u32 i)
{
	struct conc_ctx *ctx = t->ctx;
	u64 seq = ctx->p->base + i;

	if (++t->delivered % 32 == 0)
		cond_resched();
	if (ctx->p->esn && kipsec_replay_infer(ctx->r, lower_32_bits(seq)) != seq) {
		atomic_inc(&ctx->misinferred);
		return;
	}
	if (kipsec_replay_check(ctx->r, seq) != OK)
		return;
	if (kipsec_replay_advance(ctx->r, seq) != OK) {
		atomic_inc(&ctx->raced);
		return;
	}
	atomic_inc(&ctx->accepted[i]);
	t->accepted++;
}

/* Wait for every thread to reach barrier @n. */
static void conc_barrier(struct conc_ctx *ctx, u32 n)
{
	if (atomic_inc_return(&ctx->arrived[n]) == ctx->nthreads)
		wake_up_all(&ctx->barrier);
	else
		wait_event(ctx->barrier, atomic_read(&ctx->arrived[n]) == ctx->nthreads);
}

/* A spine number, then maybe a late one from before @done. */
static void conc_spine_deliver(struct conc_thread *t, u32 i, u32 done)
{
	conc_deliver(t, i);
	if (done > 1 && conc_rand(t) % 4 == 0) {
		u32 lo = done > 2 * CONC_SEG ? done - 2 * CONC_SEG : 1;

		conc_deliver(t, lo + conc_rand(t) % (done - lo));
	}
}

/* The numbers from @c on, one barrier chunk, as the segment says. */
static void conc_chunk(struct conc_thread *t, u32 c)
{
	u32 i, j, k, tmp;
	u32 perm[CONC_BLK];

	switch ((c - 1) / CONC_SEG % 4) {
	case 0:
		for (i = c; i < c + CONC_SYNC; i++)
			conc_spine_deliver(t, i, i);
		break;
	case 1:
		for (i = c; i < c + CONC_SYNC; i += CONC_BLK) {
			for (j = 0; j < CONC_BLK; j++)
				perm[j] = i + j;
			for (j = CONC_BLK - 1; j > 0; j--) {
				k = conc_rand(t) % (j + 1);
				tmp = perm[j];
				perm[j] = perm[k];
				perm[k] = tmp;
			}
			for (j = 0; j < CONC_BLK; j++)
				conc_spine_deliver(t, perm[j], i);
		}
		break;
	case 2:
		for (i = c; i < c + CONC_SYNC; i++)
			if (conc_spine(i))
				conc_spine_deliver(t, i, i);
		break;
	default:
		for (i = c; i < c + CONC_SYNC; i++) {
			conc_deliver(t, i);
			conc_spine_deliver(t, i, i);
		}
		break;
	}
}

static int conc_thread_fn(void *data)
{
	struct conc_thread *t = data;
	u32 c;

	wait_for_completion(&t->ctx->start);
	for (c = 1; c <= CONC_NUMS; c += CONC_SYNC) {
		conc_barrier(t->ctx, (c - 1) / CONC_SYNC);
		conc_chunk(t, c);
	}
	kthread_complete_and_exit(&t->done, 0);
}

static void kipsec_replay_concurrent_test(struct kunit *test)
{
	const struct conc_param *p = test->param_value;
	struct task_struct *task[CONC_MAX_THREADS];
	struct conc_thread *threads;
	struct conc_ctx *ctx;
	unsigned int nthreads, started = 0, cpu, i;
	u32 accepted = 0, delivered = 0, late = 0, twice = 0, lost = 0;

	nthreads = clamp(num_online_cpus(), 4U, (unsigned int)CONC_MAX_THREADS);
	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	threads = kunit_kcalloc(test, nthreads, sizeof(*threads), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	KUNIT_ASSERT_NOT_NULL(test, threads);
	ctx->accepted = kunit_kcalloc(test, CONC_NUMS + 1, sizeof(atomic_t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->accepted);
	ctx->p = p;
	ctx->r = kipsec_replay_alloc(p->size, p->esn, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->r);
	init_completion(&ctx->start);
	init_waitqueue_head(&ctx->barrier);
	if (p->base)
		KUNIT_EXPECT_EQ(test, kipsec_replay_advance(ctx->r, p->base), OK);

	cpus_read_lock();
	cpu = cpumask_first(cpu_online_mask);
	for (i = 0; i < nthreads; i++) {
		threads[i].ctx = ctx;
		threads[i].rnd = 0x9e3779b9U * (i + 1);
		init_completion(&threads[i].done);
		task[i] = kthread_create(conc_thread_fn, &threads[i], "kipsec_replay/%u", i);
		if (IS_ERR(task[i]))
			break;
		kthread_bind(task[i], cpu);
		wake_up_process(task[i]);
		started++;
		cpu = cpumask_next(cpu, cpu_online_mask);
		if (cpu >= nr_cpu_ids)
			cpu = cpumask_first(cpu_online_mask);
	}
	cpus_read_unlock();
	ctx->nthreads = started;
	complete_all(&ctx->start);
	for (i = 0; i < started; i++) {
		wait_for_completion(&threads[i].done);
		accepted += threads[i].accepted;
		delivered += threads[i].delivered;
	}
	KUNIT_ASSERT_EQ_MSG(test, started, nthreads, "kthread_create failed");

	for (i = 1; i <= CONC_NUMS; i++) {
		int n = atomic_read(&ctx->accepted[i]);

		if (n > 1)
			twice++;
		if (conc_spine(i) && n != 1)
			lost++;
		if (!conc_spine(i) && n == 1)
			late++;
		KUNIT_EXPECT_LE_MSG(test, n, 1, "number %llu accepted %d times", p->base + i, n);
		if (conc_spine(i))
			KUNIT_EXPECT_EQ_MSG(test, n, 1, "spine number %llu accepted %d times",
					    p->base + i, n);
	}
	KUNIT_EXPECT_EQ(test, twice, 0U);
	KUNIT_EXPECT_EQ(test, lost, 0U);
	KUNIT_EXPECT_EQ(test, kipsec_replay_top(ctx->r), p->base + CONC_NUMS);

	/* Afterwards, nothing goes in again. */
	for (i = 1; i <= CONC_NUMS; i++)
		KUNIT_EXPECT_NE(test, kipsec_replay_advance(ctx->r, p->base + i), OK);

	kunit_info(test, "%u threads, %u packets, %u accepted (%u late), %d lost a race, %d misinferred\n",
		   nthreads, delivered, accepted, late, atomic_read(&ctx->raced),
		   atomic_read(&ctx->misinferred));
	kipsec_replay_free(ctx->r);
}

static struct kunit_case kipsec_replay_test_cases[] = {
	KUNIT_CASE_PARAM(kipsec_replay_sequence_test, replay_gen_params),
	KUNIT_CASE(kipsec_replay_check_does_not_advance_test),
	KUNIT_CASE(kipsec_replay_alloc_bounds_test),
	KUNIT_CASE(kipsec_replay_off_test),
	KUNIT_CASE(kipsec_replay_invariant_without_top_test),
	KUNIT_CASE(kipsec_replay_late_top_test),
	KUNIT_CASE_PARAM(kipsec_replay_concurrent_test, conc_gen_params),
	{}
};

static struct kunit_suite kipsec_replay_suite = {
	.name = "kipsec_replay",
	.test_cases = kipsec_replay_test_cases,
};

kunit_test_suite(kipsec_replay_suite);
