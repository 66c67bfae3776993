/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Anti-replay window with extended sequence numbers (RFC 4303 3.4.3, A2).
 */
#ifndef _KIPSEC_REPLAY_H
#define _KIPSEC_REPLAY_H

#include <linux/types.h>

/* Largest window an SA may ask for, in packets. */
#define KIPSEC_REPLAY_MAX	32768

enum kipsec_replay_verdict {
	KIPSEC_REPLAY_OK,
	KIPSEC_REPLAY_TOO_OLD,		/* left of the window (or number 0) */
	KIPSEC_REPLAY_DUPLICATE,	/* inside the window, seen before */
};

struct kipsec_replay {
	u64 top;		/* highest number accepted; 0 before the first */
	u32 size;		/* window in packets, as configured */
	u32 bits;		/* bitmap length: power of two >= size */
	bool esn;		/* 64-bit numbers, only the low half on the wire */
	unsigned long bitmap[];	/* bit (seq & (bits - 1)) set once accepted */
};

struct kipsec_replay *kipsec_replay_alloc(u32 size, bool esn, gfp_t gfp);
void kipsec_replay_free(struct kipsec_replay *r);
u64 kipsec_replay_infer(const struct kipsec_replay *r, u32 seq_lo);
enum kipsec_replay_verdict kipsec_replay_check(const struct kipsec_replay *r, u64 seq);
enum kipsec_replay_verdict kipsec_replay_advance(struct kipsec_replay *r, u64 seq);

#endif /* _KIPSEC_REPLAY_H */
