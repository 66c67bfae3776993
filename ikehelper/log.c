// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "log.h"

int ike_log_level = LOG_INFO;
int ike_log_keys;

void ike_log(int level, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warning", "info", "debug" };
	struct timespec ts;
	va_list ap;

	if (level > ike_log_level)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	fprintf(stderr, "kipsec-iked[%ld.%03ld] %s: ", (long)ts.tv_sec, ts.tv_nsec / 1000000,
		names[level]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void ike_log_key(const char *what, const uint8_t *p, size_t n)
{
	char hex[2 * 512 + 1];
	size_t i;

	if (!ike_log_keys || ike_log_level < LOG_DEBUG)
		return;
	if (n > 512)
		n = 512;
	for (i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", p[i]);
	hex[2 * n] = 0;
	ike_log(LOG_DEBUG, "key %s: %s", what, hex);
}
