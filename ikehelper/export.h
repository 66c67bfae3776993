/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --export-keys DIR: the keys of every negotiated SA in the two tables
 * Wireshark decrypts with (WIRESHARK_CONFIG_DIR=DIR): ikev1_decryption_table
 * (initiator cookie, phase-1 key) and esp_sa (addresses, SPI, algorithms,
 * keys). Lines are appended; the files are created mode 600. For debugging
 * only: whoever reads them can decrypt the traffic.
 */
#ifndef KIPSEC_IKE_EXPORT_H
#define KIPSEC_IKE_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "../tools/addr.h"
#include "proposal.h"

/* One ikev1_decryption_table line (no newline) into @buf. */
int ike_export_ike_line(char *buf, size_t len, const uint8_t *icky, const uint8_t *key,
			size_t keylen);
/* One esp_sa line for the SA @src -> @dst, @spi; @key is enc key | auth key. */
int ike_export_esp_line(char *buf, size_t len, const struct kipsec_addr *src,
			const struct kipsec_addr *dst, uint32_t spi, const struct esp_kalg *k,
			const uint8_t *key);
/* Append @line to DIR/@file (created mode 600). */
int ike_export_append(const char *dir, const char *file, const char *line);

#endif
