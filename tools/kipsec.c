// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec: command line for the kipsec module. One function per command.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "batch.h"
#include "info.h"
#include "keys.h"
#include "monitor.h"
#include "policy.h"
#include "sa.h"
#include "stats.h"

#define KIPSEC_TOOL_VERSION "0.1.0"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv, bool json);
	const char *help;
} commands[] = {
	{ "info", cmd_info,
	  "info [alg NAME]                 module version, namespace, supported algorithms" },
	{ "sa", cmd_sa,
	  "sa add|update src ADDR dst ADDR spi SPI [proto esp] mode tunnel|transport\n"
	  "        [reqid N] ( aead ALG | enc ALG auth ALG ) [icv BYTES] keys FILE|-\n"
	  "        [replay-window N] [esn] [align4] [seq N] [cpu N]\n"
	  "        [encap espinudp SPORT DPORT]\n"
	  "        [soft|hard bytes|packets|add-secs|use-secs N]...\n"
	  "  sa del dst ADDR spi SPI [proto esp]\n"
	  "  sa get dst ADDR spi SPI [proto esp] [keys]\n"
	  "  sa show [keys]\n"
	  "  sa flush\n"
	  "      ALG: a crypto API name (rfc4106(gcm(aes)), cbc(aes), hmac(sha256), ...) or\n"
	  "      aes-gcm chacha20-poly1305 aes-cbc 3des-cbc null sha1 sha256 sha384 sha512\n"
	  "      keys FILE (- for stdin): lines \"aead HEX\", \"enc HEX\", \"auth HEX\"" },
	{ "policy", cmd_policy,
	  "policy add dir out|in|fwd [priority N] [family inet|inet6] [src PREFIX]\n"
	  "        [dst PREFIX] [proto tcp|udp|icmp|ipv6-icmp|N] [sport N[-M]] [dport N[-M]]\n"
	  "        [type T] [code C] action protect|bypass|discard\n"
	  "        [tmpl [proto esp] mode tunnel|transport [reqid N] [src ADDR dst ADDR]\n"
	  "         [per-cpu] [tmpl proto ah mode transport [reqid N]]]   (a second tmpl:\n"
	  "         ESP inside AH)\n"
	  "  policy del index N\n"
	  "  policy show\n"
	  "  policy flush" },
	{ "stats", cmd_stats,
	  "stats                           namespace counters" },
	{ "monitor", cmd_monitor,
	  "monitor                         acquire, expire, sa-deleted events until interrupted" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: kipsec [-j] COMMAND [ARGS]\n       kipsec [-j] -b FILE\n\n"
		"  -j       JSON output\n"
		"  -b FILE  commands from FILE (- for stdin), one per line, without \"kipsec\";\n"
		"           # comments; stops at the first command that fails\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %s\n", commands[i].help);
	fprintf(f, "  %-31s %s\n  %-31s %s\n", "help", "this text", "version",
		"print the tool's version");
}

/* One command: @argv[0] is its name. */
static int dispatch(int argc, char **argv, bool json)
{
	size_t i;

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

/* A batch line: any command but monitor, which would never return. */
static int batch_line(int argc, char **argv, bool json)
{
	if (!strcmp(argv[0], "monitor")) {
		fprintf(stderr, "kipsec: monitor runs until interrupted: not in a batch\n");
		return 1;
	}
	return dispatch(argc, argv, json);
}

static int batch(const char *path, bool json)
{
	bool from_stdin = !strcmp(path, "-");
	FILE *f = stdin;
	int ret;

	if (from_stdin) {
		kipsec_keys_stdin_taken("the batch");
	} else {
		f = fopen(path, "re");
		if (!f) {
			fprintf(stderr, "kipsec: -b %s: %s\n", path, strerror(errno));
			return 1;
		}
	}
	ret = kipsec_batch_run(f, from_stdin ? "stdin" : path, batch_line, json);
	if (!from_stdin)
		fclose(f);
	return ret;
}

int main(int argc, char **argv)
{
	const char *batch_path = NULL;
	bool json = false;

	argc--, argv++;
	while (argc && argv[0][0] == '-') {
		if (!strcmp(argv[0], "-j") || !strcmp(argv[0], "--json")) {
			json = true;
		} else if (!strcmp(argv[0], "-b") || !strcmp(argv[0], "--batch")) {
			if (argc < 2) {
				fprintf(stderr, "kipsec: %s needs a file (- for stdin)\n", argv[0]);
				return 1;
			}
			batch_path = argv[1];
			argc--, argv++;
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
	if (batch_path) {
		if (argc) {
			fprintf(stderr, "kipsec: -b takes its commands from the file, not \"%s\"\n",
				argv[0]);
			return 1;
		}
		return batch(batch_path, json);
	}
	if (!argc) {
		usage(stderr);
		return 1;
	}
	return dispatch(argc, argv, json);
}
