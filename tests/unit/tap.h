/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal TAP output for host unit tests: "ok N - what" / "not ok N - what". */
#ifndef KIPSEC_TAP_H
#define KIPSEC_TAP_H

#include <stdio.h>

static int tap_n, tap_failed;

#define CHECK(cond, ...) do {						\
	int ok_ = !!(cond);						\
	printf("%sok %d - ", ok_ ? "" : "not ", ++tap_n);		\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	if (!ok_) {							\
		tap_failed++;						\
		printf("#   failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
	}								\
} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
