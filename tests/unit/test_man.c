// SPDX-License-Identifier: GPL-2.0
/*
 * doc/kipsec.8 and doc/kipsec-iked.8: groff (and mandoc, if installed)
 * parse them without warnings; kipsec.8 documents every command the CLI
 * has, kipsec-iked.8 every long option in ikehelper/main.c's table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

/* @rel (e.g. "doc/kipsec.8"), found from the make directory or from this file's. */
static const char *find(const char *rel)
{
	static char path[2][256];
	static int k;
	const char *const pre[] = { "", "../../" };
	size_t i;

	for (i = 0; i < 2; i++) {
		FILE *f;

		k ^= 1;
		snprintf(path[k], sizeof(path[k]), "%s%s", pre[i], rel);
		f = fopen(path[k], "r");
		if (f) {
			fclose(f);
			return path[k];
		}
	}
	return NULL;
}

/* The whole of @path into @buf (NUL-terminated); its length. */
static size_t slurp(const char *path, char *buf, size_t len)
{
	FILE *f = path ? fopen(path, "r") : NULL;
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, len - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return n;
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

/* groff and mandoc (each if installed) find nothing to warn about in @path. */
static void lint(const char *path)
{
	char cmd[512], out[4096];

	if (have("groff")) {
		snprintf(cmd, sizeof(cmd), "groff -man -Tutf8 -ww -z %s 2>&1", path);
		CHECK(silent(cmd, out, sizeof(out)), "%s: groff -ww: no warnings%s%s", path,
		      *out ? ": " : "", out);
	} else {
		printf("ok %d # skip groff not installed\n", ++tap_n);
	}
	if (have("mandoc")) {
		snprintf(cmd, sizeof(cmd), "mandoc -Tlint -Wwarning %s 2>&1", path);
		CHECK(silent(cmd, out, sizeof(out)), "%s: mandoc -Tlint: no warnings%s%s", path,
		      *out ? ": " : "", out);
	} else {
		printf("ok %d # skip mandoc not installed\n", ++tap_n);
	}
}

static void cli_page(void)
{
	static const char *const words[] = {
		".SS kipsec info", ".SS kipsec sa add", ".SS kipsec sa del", ".SS kipsec sa get",
		".SS kipsec sa show", ".SS kipsec sa flush", ".SS kipsec policy add",
		".SS kipsec policy del", ".SS kipsec policy show", ".SS kipsec policy flush",
		".SS kipsec stats", ".SS kipsec monitor", ".SH KEYS FILE FORMAT", ".SH EXIT STATUS",
		".SH EXAMPLES", ".BR ip\\-xfrm (8)",
	};
	const char *path = find("doc/kipsec.8");
	static char text[65536];
	size_t i;

	CHECK(path != NULL, "doc/kipsec.8 exists");
	if (!path)
		return;
	slurp(path, text, sizeof(text));
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		CHECK(strstr(text, words[i]) != NULL, "the page has \"%s\"", words[i]);
	lint(path);
}

/* Every { "name", ... } of main.c's option table is on the page as \-\-name. */
static void iked_page(void)
{
	const char *path = find("doc/kipsec-iked.8");
	static char text[65536], src[65536];
	char want[96], name[64], *p;
	int n = 0, missing = 0;

	CHECK(path != NULL, "doc/kipsec-iked.8 exists");
	if (!path)
		return;
	slurp(path, text, sizeof(text));
	slurp(find("ikehelper/main.c"), src, sizeof(src));
	p = strstr(src, "static const struct option opts[]");
	CHECK(p != NULL, "ikehelper/main.c has its option table");
	while (p && (p = strstr(p, "\t{ \"")) && sscanf(p, "\t{ \"%63[a-z-]\"", name) == 1) {
		char *q = want;
		const char *c;

		for (c = "\\-\\-"; *c; )
			*q++ = *c++;
		for (c = name; *c && q < want + sizeof(want) - 3; c++) {
			if (*c == '-')
				*q++ = '\\';
			*q++ = *c;
		}
		*q = '\0';
		n++;
		if (!strstr(text, want)) {
			printf("#   kipsec-iked.8 lacks %s\n", want);
			missing++;
		}
		p++;
	}
	CHECK(n >= 15 && !missing, "kipsec-iked.8 documents all %d long options (%d missing)", n,
	      missing);
	lint(path);
}

int main(void)
{
	cli_page();
	iked_page();
	return tap_done();
}
