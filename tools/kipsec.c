// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec: command line for the kipsec module. One function per command.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "info.h"

#define KIPSEC_TOOL_VERSION "0.1.0"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv, bool json);
	const char *help;
} commands[] = {
	{ "info", cmd_info, "[alg NAME]   module version, namespace, supported algorithms" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: kipsec [-j] COMMAND [ARGS]\n\n  -j  JSON output\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-6s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "  %-6s %s\n  %-6s %s\n", "help", "this text", "version", "print the tool's version");
}

int main(int argc, char **argv)
{
	bool json = false;
	size_t i;

	argc--, argv++;
	while (argc && argv[0][0] == '-') {
		if (!strcmp(argv[0], "-j") || !strcmp(argv[0], "--json")) {
			json = true;
		} else if (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "kipsec: unknown option %s\n", argv[0]);
			usage(stderr);
			return 1;
		}
		argc--, argv++;
	}
	if (!argc) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[0], "version")) {
		printf("kipsec %s\n", KIPSEC_TOOL_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[0], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1, json);
	fprintf(stderr, "kipsec: unknown command \"%s\" (try \"kipsec help\")\n", argv[0]);
	return 1;
}
