// SPDX-License-Identifier: GPL-2.0
/* Unit tests of tools/json.c. */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "tap.h"

static int gives(const char *in, const char *want)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	int same;

	json_string(f, in);
	fclose(f);
	same = !strcmp(out, want);
	if (!same)
		printf("# got %s want %s\n", out, want);
	free(out);
	return same;
}

int main(void)
{
	CHECK(gives("rfc4106(gcm(aes))", "\"rfc4106(gcm(aes))\""), "plain string");
	CHECK(gives("a\"b\\c", "\"a\\\"b\\\\c\""), "quote and backslash escaped");
	CHECK(gives("x\ny\tz\x01", "\"x\\ny\\tz\\u0001\""), "control characters escaped");
	CHECK(gives("", "\"\""), "empty string");
	CHECK(gives("caf\xc3\xa9", "\"caf\xc3\xa9\""), "UTF-8 passes through");
	return tap_done();
}
