/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers for the CLI unit tests: command lines from strings, attribute tables. */
#ifndef KIPSEC_TEST_CLI_H
#define KIPSEC_TEST_CLI_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#define CLI_MAX_ARGS 64

/* Split @line on spaces into a static argv (no quoting: tests don't need it). */
static char cli_line[1024] __attribute__((unused));
static char *cli_argv[CLI_MAX_ARGS] __attribute__((unused));

static inline int cli_split(const char *line)
{
	int argc = 0;
	char *p;

	snprintf(cli_line, sizeof(cli_line), "%s", line);
	for (p = strtok(cli_line, " "); p && argc < CLI_MAX_ARGS - 1; p = strtok(NULL, " "))
		cli_argv[argc++] = p;
	cli_argv[argc] = NULL;
	return argc;
}

/* A kipsec message header in @buf, as kipsec_nl_request() would start it. */
static inline struct nlmsghdr *cli_msg(void *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	nlh->nlmsg_type = 0x20;
	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

/* Top-level (or nested) attributes by type; a repeated type keeps the last. */
#define CLI_MAX_ATTR 64
static const struct nlattr *cli_tb[CLI_MAX_ATTR] __attribute__((unused));
static int cli_count __attribute__((unused));

static inline int cli_tb_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(a) < CLI_MAX_ATTR)
		tb[mnl_attr_get_type(a)] = a;
	cli_count++;
	return MNL_CB_OK;
}

static inline void cli_attrs(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	memset(tb, 0, CLI_MAX_ATTR * sizeof(*tb));
	cli_count = 0;
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), cli_tb_cb, tb);
}

static inline void cli_nested(const struct nlattr *nest, const struct nlattr **tb)
{
	memset(tb, 0, CLI_MAX_ATTR * sizeof(*tb));
	cli_count = 0;
	mnl_attr_parse_nested(nest, cli_tb_cb, tb);
}

/* Run @print into a string (static buffer). */
static char cli_out[8192] __attribute__((unused));

#define CLI_CAPTURE(call) do {							\
	FILE *f_ = fmemopen(cli_out, sizeof(cli_out), "w");			\
	if (f_) {								\
		FILE *f = f_;							\
		(void)f;							\
		call;								\
		fclose(f_);							\
	}									\
} while (0)

/* A file in /tmp holding @text, mode @mode; returns its static path. */
static char cli_path[64] __attribute__((unused));

static inline const char *cli_file(const char *text, int mode)
{
	FILE *f;
	int fd;

	snprintf(cli_path, sizeof(cli_path), "/tmp/kipsec-test-XXXXXX");
	fd = mkstemp(cli_path);
	if (fd < 0)
		return "/nonexistent";
	f = fdopen(fd, "w");
	fputs(text, f);
	fchmod(fileno(f), (mode_t)mode);
	fclose(f);
	return cli_path;
}

#endif /* KIPSEC_TEST_CLI_H */
