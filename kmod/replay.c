// SPDX-License-Identifier: GPL-2.0
/*
 * Anti-replay window with extended sequence numbers.
 *
 * Input uses it in two steps, as RFC 4303 3.4.3 asks: kipsec_replay_check()
 * before decryption rejects old and duplicate packets cheaply without
 * changing anything, and kipsec_replay_advance() after the ICV verified
 * checks again and records the number. Only authenticated packets move the
 * window, so forged packets cannot slide it.
 *
 * Concurrency: a window is not safe for concurrent advance. The data path
 * that owns it must serialise kipsec_replay_advance() per window; the SA
 * layer documents how it does so without a shared per-SA lock.
 */
#include <linux/bitmap.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/slab.h>

#include "replay.h"

struct kipsec_replay *kipsec_replay_alloc(u32 size, bool esn, gfp_t gfp)
{
	struct kipsec_replay *r;
	u32 bits;

	if (!size || size > KIPSEC_REPLAY_MAX)
		return NULL;
	bits = roundup_pow_of_two(max_t(u32, size, BITS_PER_LONG));
	r = kzalloc(struct_size(r, bitmap, BITS_TO_LONGS(bits)), gfp);
	if (!r)
		return NULL;
	r->size = size;
	r->bits = bits;
	r->esn = esn;
	return r;
}

void kipsec_replay_free(struct kipsec_replay *r)
{
	kfree(r);
}

/*
 * Reconstruct the full sequence number from the 32 bits on the wire: the
 * high half is the one that puts the number nearest the window (RFC 4303
 * A2.1). Returns 0, never a valid number, when the packet would belong
 * before the first epoch or after the last.
 */
u64 kipsec_replay_infer(const struct kipsec_replay *r, u32 seq_lo)
{
	u32 tl = lower_32_bits(r->top);
	u32 th = upper_32_bits(r->top);
	u32 bottom = tl - r->size + 1;	/* modulo 2^32 on purpose */

	if (!r->esn)
		return seq_lo;

	if (tl >= r->size - 1) {
		/* Case A: the whole window lies in epoch th. */
		if (seq_lo >= bottom)
			return (u64)th << 32 | seq_lo;
		if (th == U32_MAX)
			return 0;
		return (u64)(th + 1) << 32 | seq_lo;
	}
	/* Case B: the window reaches back into epoch th - 1. */
	if (seq_lo >= bottom) {
		if (!th)
			return 0;
		return (u64)(th - 1) << 32 | seq_lo;
	}
	return (u64)th << 32 | seq_lo;
}

enum kipsec_replay_verdict kipsec_replay_check(const struct kipsec_replay *r, u64 seq)
{
	if (unlikely(!seq))
		return KIPSEC_REPLAY_TOO_OLD;
	if (seq > r->top)
		return KIPSEC_REPLAY_OK;
	if (r->top - seq >= r->size)
		return KIPSEC_REPLAY_TOO_OLD;
	if (test_bit(seq & (r->bits - 1), r->bitmap))
		return KIPSEC_REPLAY_DUPLICATE;
	return KIPSEC_REPLAY_OK;
}

/* Forget the numbers that used the n slots from @from on: they leave the window. */
static void clear_slots(struct kipsec_replay *r, u64 from, u32 n)
{
	u32 start = from & (r->bits - 1);
	u32 first = min(n, r->bits - start);

	bitmap_clear(r->bitmap, start, first);
	if (n > first)
		bitmap_clear(r->bitmap, 0, n - first);
}

enum kipsec_replay_verdict kipsec_replay_advance(struct kipsec_replay *r, u64 seq)
{
	enum kipsec_replay_verdict v = kipsec_replay_check(r, seq);

	if (v != KIPSEC_REPLAY_OK)
		return v;
	if (seq > r->top) {
		u64 diff = seq - r->top;

		if (diff >= r->bits)
			bitmap_zero(r->bitmap, r->bits);
		else
			clear_slots(r, r->top + 1, diff);
		r->top = seq;
	}
	__set_bit(seq & (r->bits - 1), r->bitmap);
	return KIPSEC_REPLAY_OK;
}
