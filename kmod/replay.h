/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Anti-replay window with extended sequence numbers (RFC 4303 3.4.3, A2),
 * shared without a lock by every CPU that receives for the SA: see replay.c.
 */
#ifndef _KIPSEC_REPLAY_H
#define _KIPSEC_REPLAY_H

#include <linux/atomic.h>
#include <linux/types.h>

/* Largest window an SA may ask for, in packets; 0 turns checking off. */
#define KIPSEC_REPLAY_MAX	32768

enum kipsec_replay_verdict {
	KIPSEC_REPLAY_OK,
	KIPSEC_REPLAY_TOO_OLD,		/* left of the window (or number 0) */
	KIPSEC_REPLAY_DUPLICATE,	/* inside the window, seen before */
};

struct kipsec_replay {
	atomic64_t top;		/* highest number accepted (u64); 0 before the first */
	u32 size;		/* window in packets, as configured; 0: no checking */
	u32 slots;		/* entries in slot[]: power of two >= max(size, 8), 0 if size 0 */
	bool esn;		/* 64-bit numbers, only the low half on the wire */
	atomic64_t *slot;	/* slot[seq & (slots - 1)]: last number accepted there (u64) */
};

struct kipsec_replay *kipsec_replay_alloc(u32 size, bool esn, gfp_t gfp);
void kipsec_replay_free(struct kipsec_replay *r);
u64 kipsec_replay_top(const struct kipsec_replay *r);
u64 kipsec_replay_infer(const struct kipsec_replay *r, u32 seq_lo);
enum kipsec_replay_verdict kipsec_replay_check(const struct kipsec_replay *r, u64 seq);
enum kipsec_replay_verdict kipsec_replay_advance(struct kipsec_replay *r, u64 seq);

#endif /* _KIPSEC_REPLAY_H */
