/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Logging with levels to stderr, or to syslog (facility daemon) once
 * ike_log_to_syslog() was called; key material only with --debug-keys.
 */
#ifndef KIPSEC_IKE_LOG_H
#define KIPSEC_IKE_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ike_log_level { IKE_LOG_ERR, IKE_LOG_WARN, IKE_LOG_INFO, IKE_LOG_DEBUG };

extern int ike_log_level;	/* messages above it are dropped; default IKE_LOG_INFO */
extern int ike_log_keys;	/* --debug-keys */

void ike_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* From now on to syslog, as "kipsec-iked[PID]", and to stderr too if asked. */
void ike_log_to_syslog(bool also_stderr);
/* "WHAT: hex" at debug level, and only when ike_log_keys is set. */
void ike_log_key(const char *what, const uint8_t *p, size_t n);

#define log_err(...) ike_log(IKE_LOG_ERR, __VA_ARGS__)
#define log_warn(...) ike_log(IKE_LOG_WARN, __VA_ARGS__)
#define log_info(...) ike_log(IKE_LOG_INFO, __VA_ARGS__)
#define log_debug(...) ike_log(IKE_LOG_DEBUG, __VA_ARGS__)

#endif
