// SPDX-License-Identifier: GPL-2.0
/* Unit tests of tools/batch.c: kipsec -b, one command per line. */
#include <stdio.h>
#include <string.h>

#include "batch.h"
#include "tap.h"

/* What the fake command saw: each call's words joined by '|', calls by ';'. */
static char seen[512];
static const char *fail_on;

static int record(int argc, char **argv, bool json)
{
	int i;

	(void)json;
	for (i = 0; i < argc; i++) {
		strcat(seen, argv[i]);
		strcat(seen, i + 1 < argc ? "|" : ";");
	}
	return argv[argc] == NULL && !(fail_on && !strcmp(argv[0], fail_on)) ? 0 : 1;
}

static int run(const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	seen[0] = '\0';
	ret = kipsec_batch_run(f, "t", record, false);
	fclose(f);
	return ret;
}

int main(void)
{
	char line[64], many[2 * (KIPSEC_BATCH_MAX_WORDS + 1) + 1];
	char *argv[4];
	int i;

	strcpy(line, "  sa\tflush  \r\n");
	CHECK(kipsec_batch_split(line, argv, 4) == 2 && !strcmp(argv[0], "sa") &&
	      !strcmp(argv[1], "flush"), "blanks, tabs and CRLF separate words");
	strcpy(line, "   # sa flush");
	CHECK(kipsec_batch_split(line, argv, 4) == 0, "comment line: no words");
	strcpy(line, "policy show #a comment");
	CHECK(kipsec_batch_split(line, argv, 4) == 2 && !strcmp(argv[1], "show"),
	      "a word starting with '#' starts a comment");
	strcpy(line, "sa fl#ush");
	CHECK(kipsec_batch_split(line, argv, 4) == 2 && !strcmp(argv[1], "fl#ush"),
	      "'#' inside a word is part of it");
	strcpy(line, "\n");
	CHECK(kipsec_batch_split(line, argv, 4) == 0, "empty line");
	strcpy(line, "a b c d e");
	CHECK(kipsec_batch_split(line, argv, 4) == -1, "more words than room: -1");
	strcpy(line, "a b c d");
	CHECK(kipsec_batch_split(line, argv, 4) == 4, "exactly as many words as room");

	CHECK(run("# install\nsa flush # all of them\n\npolicy add dir out action bypass\n") == 0 &&
	      !strcmp(seen, "sa|flush;policy|add|dir|out|action|bypass;"),
	      "each line one command, comments and blank lines skipped: %s", seen);
	CHECK(run("stats") == 0 && !strcmp(seen, "stats;"), "last line without newline: %s", seen);
	fail_on = "bad";
	CHECK(run("stats\nbad line\nstats\n") == 1 && !strcmp(seen, "stats;bad|line;"),
	      "stops at the first failing command: %s", seen);
	fail_on = NULL;
	for (i = 0; i <= KIPSEC_BATCH_MAX_WORDS; i++)
		memcpy(many + 2 * i, "x ", 2);
	many[sizeof(many) - 1] = '\0';
	CHECK(run(many) == 1 && !seen[0], "a line of %d words refused, not run",
	      KIPSEC_BATCH_MAX_WORDS + 1);
	CHECK(run("") == 0 && !seen[0], "empty file: nothing run, success");
	return tap_done();
}
