// SPDX-License-Identifier: GPL-2.0
/* Wireshark's IKEv1 and ESP decryption tables (UAT files). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "export.h"
#include "log.h"

static int hex(char *out, size_t len, const uint8_t *p, size_t n)
{
	size_t i;

	if (len < 2 * n + 1)
		return -1;
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
	out[2 * n] = 0;
	return 0;
}

int ike_export_ike_line(char *buf, size_t len, const uint8_t *icky, const uint8_t *key,
			size_t keylen)
{
	char c[17], k[2 * 64 + 1];
	int n;

	if (hex(c, sizeof(c), icky, 8) < 0 || hex(k, sizeof(k), key, keylen) < 0)
		return -1;
	n = snprintf(buf, len, "%s,%s", c, k);
	OPENSSL_cleanse(k, sizeof(k));
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Wireshark 4.0's names for the algorithms (its esp_sa UAT). */
static const char *ws_enc(const struct esp_kalg *k)
{
	if (k->aead)
		return "AES-GCM with 16 octet ICV [RFC4106]";
	return !strcmp(k->enc, "cbc(aes)") ? "AES-CBC [RFC3602]" : "TripleDES-CBC [RFC2451]";
}

static const char *ws_auth(const struct esp_kalg *k)
{
	if (k->aead)
		return "NULL";
	switch (k->icv_len) {
	case 12: return "HMAC-SHA-1-96 [RFC2404]";
	case 16: return "HMAC-SHA-256-128 [RFC4868]";
	case 24: return "HMAC-SHA-384-192 [RFC4868]";
	default: return "HMAC-SHA-512-256 [RFC4868]";
	}
}

int ike_export_esp_line(char *buf, size_t len, const struct kipsec_addr *src,
			const struct kipsec_addr *dst, uint32_t spi, const struct esp_kalg *k,
			const uint8_t *key)
{
	char s[KIPSEC_ADDR_STRLEN], d[KIPSEC_ADDR_STRLEN], ek[2 * 64 + 1], ak[2 * 64 + 1] = "";
	int n;

	if (hex(ek, sizeof(ek), key, k->enc_keylen) < 0 ||
	    (!k->aead && hex(ak, sizeof(ak), key + k->enc_keylen, k->auth_keylen) < 0))
		return -1;
	n = snprintf(buf, len, "\"%s\",\"%s\",\"%s\",\"0x%08x\",\"%s\",\"0x%s\",\"%s\",\"%s%s\"",
		     src->family == 10 ? "IPv6" : "IPv4", kipsec_addr_str(src, s),
		     kipsec_addr_str(dst, d), spi, ws_enc(k), ek, ws_auth(k), k->aead ? "" : "0x",
		     ak);
	OPENSSL_cleanse(ek, sizeof(ek));
	OPENSSL_cleanse(ak, sizeof(ak));
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int ike_export_append(const char *dir, const char *file, const char *line)
{
	char path[4096];
	int fd, ok;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >= sizeof(path))
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0) {
		log_warn("--export-keys: %s: %s", path, strerror(errno));
		return -1;
	}
	ok = write(fd, line, strlen(line)) == (ssize_t)strlen(line) && write(fd, "\n", 1) == 1;
	close(fd);
	if (!ok)
		log_warn("--export-keys: writing %s failed", path);
	return ok ? 0 : -1;
}
