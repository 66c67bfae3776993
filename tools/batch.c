// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec -b FILE: a file of commands, one per line (see batch.h).
 */
#include <stdlib.h>
#include <string.h>

#include "batch.h"

int kipsec_batch_split(char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line;

	for (;;) {
		p += strspn(p, " \t\r\n");
		if (!*p || *p == '#')
			return argc;
		if (argc == max)
			return -1;
		argv[argc++] = p;
		p += strcspn(p, " \t\r\n");
		if (*p)
			*p++ = '\0';
	}
}

int kipsec_batch_run(FILE *f, const char *name, kipsec_batch_fn run, bool json)
{
	char *argv[KIPSEC_BATCH_MAX_WORDS + 1];
	unsigned long lineno = 0;
	size_t cap = 0;
	char *line = NULL;
	int argc, ret = 0;

	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		argc = kipsec_batch_split(line, argv, KIPSEC_BATCH_MAX_WORDS);
		if (argc < 0) {
			fprintf(stderr, "kipsec: %s:%lu: more than %d words\n", name, lineno,
				KIPSEC_BATCH_MAX_WORDS);
			ret = 1;
			break;
		}
		if (!argc)
			continue;
		argv[argc] = NULL;
		/* Each command prints its output and its error as it would alone. */
		fflush(stdout);
		if (run(argc, argv, json)) {
			fprintf(stderr, "kipsec: %s:%lu: \"%s%s%s\" failed; the lines after it were not run\n",
				name, lineno, argv[0], argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
			ret = 1;
			break;
		}
	}
	if (!ret && ferror(f)) {
		fprintf(stderr, "kipsec: %s: read error\n", name);
		ret = 1;
	}
	free(line);
	return ret;
}
