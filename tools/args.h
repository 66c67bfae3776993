/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line parsing helpers shared by the kipsec commands: numbers with
 * ranges, keyword values, and error messages that say exactly what to fix.
 * Parsers never print: they fill a struct kipsec_err and return -1, so unit
 * tests can check every message.
 */
#ifndef KIPSEC_ARGS_H
#define KIPSEC_ARGS_H

#include <stdbool.h>
#include <stdint.h>

struct kipsec_err {
	char msg[256];
};

/* Format @e's message; always returns -1. */
int kipsec_err(struct kipsec_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The words of a command line, consumed left to right. */
struct kipsec_argv {
	const char *cmd;	/* "sa add": prefixes errors about the whole line */
	int argc;
	char **argv;
	int i;
};

static inline bool kipsec_argv_more(const struct kipsec_argv *a)
{
	return a->i < a->argc;
}

/* The next word, consumed; NULL at the end. */
const char *kipsec_argv_next(struct kipsec_argv *a);

/*
 * The value after keyword @kw (already consumed), consumed too. Without one:
 * "KW: missing value, expected EXPECT".
 */
const char *kipsec_argv_value(struct kipsec_argv *a, const char *kw, const char *expect,
			      struct kipsec_err *e);

/* Remember that @kw (bit @bit of @seen) was given; a second time is an error. */
int kipsec_argv_once(uint64_t *seen, unsigned int bit, const char *kw, struct kipsec_err *e);

/*
 * Decimal or 0x-hexadecimal, nothing else (no sign, no spaces, no octal).
 * Errors read "WHAT: expected a number MIN..MAX, got "S"".
 */
int kipsec_parse_u32(const char *what, const char *s, uint32_t min, uint32_t max, uint32_t *out,
		     struct kipsec_err *e);
int kipsec_parse_u64(const char *what, const char *s, uint64_t *out, struct kipsec_err *e);

/* One of @words (NULL-terminated) → its index; errors list the choices. */
int kipsec_parse_word(const char *what, const char *s, const char *const *words, int *out,
		      struct kipsec_err *e);

#endif /* KIPSEC_ARGS_H */
