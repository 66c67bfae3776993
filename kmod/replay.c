// SPDX-License-Identifier: GPL-2.0
/*
 * Anti-replay window with extended sequence numbers, shared lock-free by
 * every CPU that receives for the SA.
 *
 * Input uses it in two steps, as RFC 4303 3.4.3 asks: kipsec_replay_check()
 * before decryption rejects old and duplicate packets cheaply without
 * changing anything, and kipsec_replay_advance() after the ICV verified
 * checks again and records the number. Only authenticated packets move the
 * window, so forged packets cannot slide it. Both may run on any number of
 * CPUs at once for one window, with no lock: the caller serialises nothing.
 *
 * Layout. @top (atomic64) is the highest number accepted, 0 before the
 * first. @slot[] has @slots entries, a power of two >= the window and at
 * least 8; slot[seq & (slots - 1)] (atomic64) holds the full 64-bit number
 * last accepted in that slot, 0 if none. A slot holding an older number is
 * free for a newer one: sliding the window clears nothing, which is what a
 * bitmap cannot do without a lock (its bits must be cleared as the window
 * moves, in step with @top).
 *
 * check(seq), read-only: 0 is too old (no packet carries it); left of the
 * window (seq + size <= top, computed without overflow) is too old; a slot
 * holding seq is a duplicate; a slot holding a larger number is too old
 * (that number is >= seq + slots >= seq + size, so seq left the window);
 * otherwise OK.
 *
 * advance(seq): the same window test on a fresh read of @top, then a
 * compare-and-exchange loop on the slot: read old; old == seq: duplicate;
 * old > seq: too old; else try_cmpxchg(old -> seq), retrying with the value
 * that beat us. Success accepts the packet. Then @top is raised to seq with
 * a try_cmpxchg loop that gives up as soon as @top >= seq, so @top only
 * ever grows.
 *
 * Why no number is ever accepted twice. All writes to a slot are successful
 * cmpxchgs (a read-modify-write, atomic), and each writes a number strictly
 * larger than the one it replaced. So the values a slot takes, in the order
 * of its writes (coherence order, which every CPU agrees on), strictly
 * increase: seq can be written into its slot at most once, and being
 * written there is what accepting it means. That argument uses nothing but
 * the atomicity of the cmpxchg on one slot: no memory barrier, and nothing
 * about @top. The window test and @top only decide whether a number that
 * was never accepted is still young enough.
 *
 * Races on @top. @top is raised after the slot is written, and read without
 * ordering, so a reader may see a value that is late by whatever is being
 * accepted right now. Then it can accept a never-seen number that a serial
 * window would have just found too old (as if it had come a moment
 * earlier), or, with a newer number already in its slot, drop one a serial
 * window would have just accepted. Neither breaks the invariant above, and
 * a serial caller sees exactly the behaviour of the classic bitmap window
 * (in one thread the "slot holds a larger number" test never fires before
 * the window test does).
 *
 * Nor are numbers lost to the races when every receiver handles them in
 * increasing order (or shuffled only within blocks no longer than the
 * window), skipping the same ones if any: each is then accepted exactly
 * once. A rejection of n as too old comes from reading a number m >= n +
 * size (in @top or in n's slot) that a receiver accepted, and that receiver
 * handled n before m. So the first handling of n cannot have been rejected
 * as too old, and a duplicate means n was accepted. The KUnit tests check
 * this, and the invariant, with many threads on one window.
 *
 * Memory ordering. Reads are atomic64_read() (READ_ONCE) and successful
 * try_cmpxchg is fully ordered: whoever reads m from @top or a slot is
 * ordered after the handling of n that preceded m's cmpxchg, which is all
 * the argument above needs. Nothing else is published through the window,
 * so nothing needs acquire/release. On 32-bit machines without a native 64-bit
 * cmpxchg the kernel's generic atomic64 uses hashed spinlocks: correct, but
 * no longer lock-free there.
 *
 * Memory: a 32-byte header and, apart, 8 bytes per slot. The slot array is
 * a power of two of 8-byte slots, so it fills its kmalloc() size class
 * exactly: the usual windows of 32 and 64 packets take 256 B and 512 B (vs
 * 8 B of bitmap); 1024 packets take 8 KiB; the largest, KIPSEC_REPLAY_MAX,
 * 256 KiB (kvcalloc(), so a sleeping caller may get vmalloc memory). The
 * header is apart because header and slots together would spill into the
 * next size class, doubling the cost of every SA (the window was the
 * largest allocation of an SA after its crypto transform).
 *
 * Consecutive numbers share cache lines (8 slots per 64 B line) and every
 * in-order packet writes @top, so the window lines move between CPUs
 * receiving for the same SA: lock-free does not mean free, but no CPU ever
 * waits for another (a cmpxchg only fails because another CPU's succeeded).
 *
 * Size 0 turns replay checking off: no slots, check() and advance() say OK
 * to everything (0 included: without anti-replay a non-ESN sender may wrap,
 * RFC 4303 3.3.3), and advance() still raises @top so that ESN inference
 * keeps following the sender.
 */
#include <linux/bits.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "replay.h"

/* Smallest slot array: one cache line. */
#define REPLAY_MIN_SLOTS	8

/*
 * The window ESN inference assumes when there is none (size 0): the number
 * nearest @top, up to 2^31 behind or ahead of it.
 */
#define REPLAY_OFF_SPAN		BIT(31)

struct kipsec_replay *kipsec_replay_alloc(u32 size, bool esn, gfp_t gfp)
{
	struct kipsec_replay *r;
	u32 slots = 0;

	if (size > KIPSEC_REPLAY_MAX)
		return NULL;
	if (size)
		slots = roundup_pow_of_two(max_t(u32, size, REPLAY_MIN_SLOTS));
	r = kzalloc(sizeof(*r), gfp);
	if (!r)
		return NULL;
	/* Zeroed: atomic64_t is a plain s64, and 0 is "nothing accepted". */
	if (slots) {
		r->slot = kvcalloc(slots, sizeof(*r->slot), gfp);
		if (!r->slot) {
			kfree(r);
			return NULL;
		}
	}
	r->size = size;
	r->slots = slots;
	r->esn = esn;
	return r;
}

/* Any context but NMI, as kvfree(). */
void kipsec_replay_free(struct kipsec_replay *r)
{
	if (!r)
		return;
	kvfree(r->slot);
	kfree(r);
}

u64 kipsec_replay_top(const struct kipsec_replay *r)
{
	return (u64)atomic64_read(&r->top);
}

/*
 * Reconstruct the full sequence number from the 32 bits on the wire: the
 * high half is the one that puts the number nearest the window (RFC 4303
 * A2.1), judged on one snapshot of @top. Returns 0, never a valid number,
 * when the packet would belong before the first epoch or after the last;
 * without a window (size 0) it returns the nearest number in range instead,
 * since nothing will be checked.
 *
 * Racing with advance() on other CPUs, the snapshot may be late: a number
 * near the left edge may then be given the wrong high half. The ICV covers
 * the high half, so such a packet fails authentication and is dropped; it
 * is never accepted under another number.
 */
u64 kipsec_replay_infer(const struct kipsec_replay *r, u32 seq_lo)
{
	u64 top;
	u32 tl, th, w, bottom;

	if (!r->esn)
		return seq_lo;

	top = kipsec_replay_top(r);	/* once: it moves under us */
	tl = lower_32_bits(top);
	th = upper_32_bits(top);
	w = r->size ?: REPLAY_OFF_SPAN;
	bottom = tl - w + 1;		/* modulo 2^32 on purpose */

	if (tl >= w - 1) {
		/* Case A: the whole window lies in epoch th. */
		if (seq_lo >= bottom)
			return (u64)th << 32 | seq_lo;
		if (th == U32_MAX)
			return r->size ? 0 : (u64)th << 32 | seq_lo;
		return (u64)(th + 1) << 32 | seq_lo;
	}
	/* Case B: the window reaches back into epoch th - 1. */
	if (seq_lo >= bottom) {
		if (!th)
			return r->size ? 0 : seq_lo;
		return (u64)(th - 1) << 32 | seq_lo;
	}
	return (u64)th << 32 | seq_lo;
}

/* seq + size <= top, without overflow: seq has left the window. */
static bool left_of_window(const struct kipsec_replay *r, u64 seq)
{
	u64 top = kipsec_replay_top(r);

	return seq <= top && top - seq >= r->size;
}

static u32 slot_idx(const struct kipsec_replay *r, u64 seq)
{
	return seq & (r->slots - 1);
}

enum kipsec_replay_verdict kipsec_replay_check(const struct kipsec_replay *r, u64 seq)
{
	u64 cur;

	if (unlikely(!r->size))
		return KIPSEC_REPLAY_OK;
	if (unlikely(!seq) || left_of_window(r, seq))
		return KIPSEC_REPLAY_TOO_OLD;
	cur = (u64)atomic64_read(&r->slot[slot_idx(r, seq)]);
	if (cur == seq)
		return KIPSEC_REPLAY_DUPLICATE;
	if (cur > seq)
		return KIPSEC_REPLAY_TOO_OLD;
	return KIPSEC_REPLAY_OK;
}

/* Raise @top to @seq unless it is already there or above: it never drops. */
static void raise_top(struct kipsec_replay *r, u64 seq)
{
	s64 old = atomic64_read(&r->top);

	do {
		if ((u64)old >= seq)
			return;
	} while (!atomic64_try_cmpxchg(&r->top, &old, (s64)seq));
}

enum kipsec_replay_verdict kipsec_replay_advance(struct kipsec_replay *r, u64 seq)
{
	atomic64_t *slot;
	s64 old;

	if (unlikely(!r->size)) {
		raise_top(r, seq);
		return KIPSEC_REPLAY_OK;
	}
	if (unlikely(!seq) || left_of_window(r, seq))
		return KIPSEC_REPLAY_TOO_OLD;

	slot = &r->slot[slot_idx(r, seq)];
	old = atomic64_read(slot);
	do {
		if ((u64)old == seq)
			return KIPSEC_REPLAY_DUPLICATE;
		if ((u64)old > seq)
			return KIPSEC_REPLAY_TOO_OLD;
	} while (!atomic64_try_cmpxchg(slot, &old, (s64)seq));

	/* Accepted: seq is in its slot for good. Now let the window follow. */
	raise_top(r, seq);
	return KIPSEC_REPLAY_OK;
}
