/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipsec -b FILE: one command per line, as "ip -batch" does, so that a
 * script installing many SAs and policies starts one process, not one per
 * line. Words are separated by blanks (no quoting: no argument of the
 * CLI holds a blank); a word starting with '#' starts a comment, which
 * runs to the end of the line; lines without words are skipped.
 * The first command that fails stops the batch.
 */
#ifndef KIPSEC_BATCH_H
#define KIPSEC_BATCH_H

#include <stdbool.h>
#include <stdio.h>

#define KIPSEC_BATCH_MAX_WORDS 128

/*
 * Split @line in place into words at @argv (at most @max), up to a comment;
 * the count (0: nothing to run), -1 if it has more than @max words.
 */
int kipsec_batch_split(char *line, char **argv, int max);

typedef int (*kipsec_batch_fn)(int argc, char **argv, bool json);

/*
 * Run every line of @f (named @name in messages) through @run; 0 if all
 * succeeded, else 1 once a line failed (its number is reported on stderr
 * and the lines after it are not run).
 */
int kipsec_batch_run(FILE *f, const char *name, kipsec_batch_fn run, bool json);

#endif
