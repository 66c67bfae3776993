// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper/export.c: Wireshark's ikev1_decryption_table and esp_sa lines
 * (the formats tshark 4.0 reads; tests/ike/decode.sh checks them against
 * real captures), files created mode 600 and appended to.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export.h"
#include "tap.h"

int main(void)
{
	static const uint8_t icky[8] = { 0xb5, 0x6c, 0x4f, 0x90, 0xbc, 0x54, 0xfb, 0x0d };
	uint8_t key[64];
	struct kipsec_addr a = { .family = 2, .len = 4, .bytes = { 192, 0, 2, 1 } };
	struct kipsec_addr b = { .family = 2, .len = 4, .bytes = { 192, 0, 2, 2 } };
	struct kipsec_addr v6 = { .family = 10, .len = 16, .bytes = { 0x20, 0x01, 0x0d, 0xb8 } };
	struct p2_prop gcm = { .esp = ESP_AES_GCM_16, .keybits = 128 };
	struct p2_prop cbc = { .esp = ESP_AES_CBC, .keybits = 128, .auth = AUTH_HMAC_SHA1 };
	char line[512], dir[] = "/tmp/kipsec-export-XXXXXX", path[600], buf[1024];
	struct esp_kalg k;
	struct stat st;
	FILE *f;
	size_t i, n;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)i;
	CHECK(ike_export_ike_line(line, sizeof(line), icky, key, 16) == 0 &&
	      !strcmp(line, "b56c4f90bc54fb0d,000102030405060708090a0b0c0d0e0f"),
	      "ikev1_decryption_table: cookie,key in hex: %s", line);
	p2_kalg(&gcm, &k);
	CHECK(ike_export_esp_line(line, sizeof(line), &a, &b, 0x1234, &k, key) == 0 &&
	      !strcmp(line, "\"IPv4\",\"192.0.2.1\",\"192.0.2.2\",\"0x00001234\","
			    "\"AES-GCM with 16 octet ICV [RFC4106]\","
			    "\"0x000102030405060708090a0b0c0d0e0f10111213\",\"NULL\",\"\""),
	      "esp_sa, GCM: key with its salt, no integrity: %s", line);
	p2_kalg(&cbc, &k);
	CHECK(ike_export_esp_line(line, sizeof(line), &v6, &v6, 0xdeadbeef, &k, key) == 0 &&
	      strstr(line, "\"IPv6\",\"2001:db8::\"") &&
	      strstr(line, "\"AES-CBC [RFC3602]\",\"0x000102030405060708090a0b0c0d0e0f\","
			   "\"HMAC-SHA-1-96 [RFC2404]\",\"0x101112131415161718191a1b1c1d1e1f20212223\""),
	      "esp_sa, AES-CBC + HMAC-SHA1: encryption then integrity key: %s", line);
	CHECK(ike_export_ike_line(line, 20, icky, key, 16) < 0, "a short buffer is refused");

	if (!mkdtemp(dir))
		return 1;
	CHECK(ike_export_append(dir, "esp_sa", "one") == 0 &&
	      ike_export_append(dir, "esp_sa", "two") == 0, "two lines appended");
	snprintf(path, sizeof(path), "%s/esp_sa", dir);
	f = fopen(path, "r");
	n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	buf[n] = 0;
	if (f)
		fclose(f);
	CHECK(!strcmp(buf, "one\ntwo\n"), "file holds both lines");
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "the file is mode 600");
	unlink(path);
	rmdir(dir);
	CHECK(ike_export_append("/nonexistent-dir", "esp_sa", "x") < 0,
	      "an unwritable directory is reported");
	return tap_done();
}
