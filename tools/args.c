// SPDX-License-Identifier: GPL-2.0
/*
 * Command-line parsing helpers: numbers, keyword values, error messages.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

int kipsec_err(struct kipsec_err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

const char *kipsec_argv_next(struct kipsec_argv *a)
{
	return a->i < a->argc ? a->argv[a->i++] : NULL;
}

const char *kipsec_argv_value(struct kipsec_argv *a, const char *kw, const char *expect,
			      struct kipsec_err *e)
{
	if (a->i >= a->argc) {
		kipsec_err(e, "%s: missing value, expected %s", kw, expect);
		return NULL;
	}
	return a->argv[a->i++];
}

int kipsec_argv_once(uint64_t *seen, unsigned int bit, const char *kw, struct kipsec_err *e)
{
	if (*seen & (1ULL << bit))
		return kipsec_err(e, "%s: given twice", kw);
	*seen |= 1ULL << bit;
	return 0;
}

/* Strictly digits (or 0x and hex digits); strtoull alone takes " -1" and "010". */
static int parse_raw(const char *s, uint64_t *out)
{
	int base = 10;
	const char *p = s;
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		p = s + 2;
	}
	if (!*p)
		return -1;
	for (const char *q = p; *q; q++)
		if (base == 16 ? !isxdigit((unsigned char)*q) : !isdigit((unsigned char)*q))
			return -1;
	errno = 0;
	*out = strtoull(p, &end, base);
	return errno || *end ? -1 : 0;
}

int kipsec_parse_u32(const char *what, const char *s, uint32_t min, uint32_t max, uint32_t *out,
		     struct kipsec_err *e)
{
	uint64_t v;

	if (parse_raw(s, &v) < 0 || v < min || v > max)
		return kipsec_err(e, "%s: expected a number %" PRIu32 "..%" PRIu32 ", got \"%s\"",
				  what, min, max, s);
	*out = (uint32_t)v;
	return 0;
}

int kipsec_parse_u64(const char *what, const char *s, uint64_t *out, struct kipsec_err *e)
{
	if (parse_raw(s, out) < 0)
		return kipsec_err(e, "%s: expected a number 0..%" PRIu64 ", got \"%s\"", what,
				  UINT64_MAX, s);
	return 0;
}

int kipsec_parse_word(const char *what, const char *s, const char *const *words, int *out,
		      struct kipsec_err *e)
{
	char choices[160] = "";
	size_t len = 0;
	int i;

	for (i = 0; words[i]; i++) {
		if (!strcmp(s, words[i])) {
			*out = i;
			return 0;
		}
	}
	for (i = 0; words[i] && len < sizeof(choices); i++)
		len += (size_t)snprintf(choices + len, sizeof(choices) - len, "%s%s",
					i ? (words[i + 1] ? ", " : " or ") : "", words[i]);
	return kipsec_err(e, "%s: expected %s, got \"%s\"", what, choices, s);
}
