/* SPDX-License-Identifier: GPL-2.0 */
/* Logging to stderr with levels; key material only with --debug-keys. */
#ifndef KIPSEC_IKE_LOG_H
#define KIPSEC_IKE_LOG_H

#include <stddef.h>
#include <stdint.h>

enum ike_log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

extern int ike_log_level;	/* messages above it are dropped; default LOG_INFO */
extern int ike_log_keys;	/* --debug-keys */

void ike_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "WHAT: hex" at debug level, and only when ike_log_keys is set. */
void ike_log_key(const char *what, const uint8_t *p, size_t n);

#define log_err(...) ike_log(LOG_ERR, __VA_ARGS__)
#define log_warn(...) ike_log(LOG_WARN, __VA_ARGS__)
#define log_info(...) ike_log(LOG_INFO, __VA_ARGS__)
#define log_debug(...) ike_log(LOG_DEBUG, __VA_ARGS__)

#endif
