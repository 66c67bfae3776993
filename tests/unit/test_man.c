// SPDX-License-Identifier: GPL-2.0
/*
 * doc/kipsec.8: groff (and mandoc, if installed) parse it without warnings,
 * and it documents every command the CLI has.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

/* The page, found from the make directory or from this file's. */
static const char *page(void)
{
	static const char *const candidates[] = { "doc/kipsec.8", "../../doc/kipsec.8" };
	size_t i;

	for (i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		FILE *f = fopen(candidates[i], "r");

		if (f) {
			fclose(f);
			return candidates[i];
		}
	}
	return NULL;
}

static int have(const char *tool)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

/* Run @cmd; true if it exits 0 and prints nothing. */
static int silent(const char *cmd, char *out, size_t len)
{
	FILE *p = popen(cmd, "r");
	size_t n;

	if (!p)
		return 0;
	n = fread(out, 1, len - 1, p);
	out[n] = '\0';
	return pclose(p) == 0 && n == 0;
}

int main(void)
{
	static const char *const words[] = {
		".SS kipsec info", ".SS kipsec sa add", ".SS kipsec sa del", ".SS kipsec sa get",
		".SS kipsec sa show", ".SS kipsec sa flush", ".SS kipsec policy add",
		".SS kipsec policy del", ".SS kipsec policy show", ".SS kipsec policy flush",
		".SS kipsec stats", ".SS kipsec monitor", ".SH KEYS FILE FORMAT", ".SH EXIT STATUS",
		".SH EXAMPLES", ".BR ip\\-xfrm (8)",
	};
	const char *path = page();
	char cmd[512], out[4096], text[65536];
	size_t i, n = 0;
	FILE *f;

	CHECK(path != NULL, "doc/kipsec.8 exists");
	if (!path)
		return tap_done();
	f = fopen(path, "r");
	if (f) {
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
	}
	text[n] = '\0';
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		CHECK(strstr(text, words[i]) != NULL, "the page has \"%s\"", words[i]);

	if (have("groff")) {
		snprintf(cmd, sizeof(cmd), "groff -man -Tutf8 -ww -z %s 2>&1", path);
		CHECK(silent(cmd, out, sizeof(out)), "groff -ww: no warnings%s%s", *out ? ": " : "", out);
	} else {
		printf("ok %d # skip groff not installed\n", ++tap_n);
	}
	if (have("mandoc")) {
		snprintf(cmd, sizeof(cmd), "mandoc -Tlint -Wwarning %s 2>&1", path);
		CHECK(silent(cmd, out, sizeof(out)), "mandoc -Tlint: no warnings%s%s", *out ? ": " : "",
		      out);
	} else {
		printf("ok %d # skip mandoc not installed\n", ++tap_n);
	}
	return tap_done();
}
