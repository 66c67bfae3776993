// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

int ike_log_level = IKE_LOG_INFO;
int ike_log_keys;
static bool to_syslog, to_stderr = true;

void ike_log_to_syslog(bool also_stderr)
{
	if (!to_syslog)
		openlog("kipsec-iked", LOG_PID, LOG_DAEMON);
	to_syslog = true;
	to_stderr = also_stderr;
}

void ike_log(int level, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warning", "info", "debug" };
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
	struct timespec ts;
	va_list ap;

	if (level > ike_log_level)
		return;
	if (to_syslog) {
		va_start(ap, fmt);
		vsyslog(prio[level], fmt, ap);
		va_end(ap);
	}
	if (!to_stderr)
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

	if (!ike_log_keys || ike_log_level < IKE_LOG_DEBUG)
		return;
	if (n > 512)
		n = 512;
	for (i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", p[i]);
	hex[2 * n] = 0;
	ike_log(IKE_LOG_DEBUG, "key %s: %s", what, hex);
}
