// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec-iked: the IKEv1 key daemon for kipsec.
 *
 * Reads its connections and pre-shared keys, listens on the IKE port,
 * negotiates Main Mode and Quick Mode and installs the resulting ESP SAs and
 * policies in kipsec. --selftest and --check-kernel check its foundations.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/kipsec.h>

#include "../tools/info.h"
#include "../tools/nl.h"
#include "../tools/nl_names.h"
#include "ctl.h"
#include "ike.h"
#include "log.h"
#include "pcap.h"
#include "prf.h"

/* RFC 2202 / RFC 4231 test case 2: key "Jefe". */
static const struct {
	enum ike_hash h;
	const char *hex;
} kat[] = {
	{ IKE_HASH_SHA1, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
	{ IKE_HASH_SHA2_256, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	{ IKE_HASH_SHA2_384, "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec373632244"
			     "5e8e2240ca5e69e2c78b3239ecfab21649" },
	{ IKE_HASH_SHA2_512, "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
			     "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
};

static int selftest(void)
{
	static const char data[] = "what do ya want for nothing?";
	uint8_t out[IKE_PRF_MAX];
	char hex[2 * IKE_PRF_MAX + 1];
	struct iovec iov[2] = {
		{ (void *)data, 10 }, { (void *)(data + 10), sizeof(data) - 1 - 10 },
	};
	size_t i, j;
	int bad = 0;

	for (i = 0; i < sizeof(kat) / sizeof(kat[0]); i++) {
		if (ike_prf(kat[i].h, (const uint8_t *)"Jefe", 4, iov, 2, out) < 0) {
			bad++;
			continue;
		}
		for (j = 0; j < ike_prf_len(kat[i].h); j++)
			sprintf(hex + 2 * j, "%02x", out[j]);
		if (strcmp(hex, kat[i].hex)) {
			fprintf(stderr, "kipsec-iked: prf HMAC-%s gives a wrong answer\n",
				ike_hash_name(kat[i].h));
			bad++;
		}
	}
	printf("prf self-test: %s\n", bad ? "FAILED" : "ok");
	return bad ? 1 : 0;
}

/* The module must speak our API and offer the ciphers IKE would propose. */
static int check_kernel(void)
{
	static const char *const needed[] = { "rfc4106(gcm(aes))", "cbc(aes)", "hmac(sha256)" };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct kipsec_info info = { 0 };
	struct kipsec_nl_error err;
	struct kipsec_nl nl;
	size_t i;
	int j, bad = 0;

	if (kipsec_nl_open(&nl) < 0)
		return 1;
	if (kipsec_nl_talk(&nl, kipsec_nl_request(&nl, buf, KIPSEC_CMD_GET_INFO, 0),
			   kipsec_info_parse, &info, &err) < 0) {
		kipsec_nl_perror(&err, kipsec_info_attr_names, KIPSEC_A_INFO_MAX + 1);
		kipsec_nl_close(&nl);
		return 1;
	}
	kipsec_nl_close(&nl);
	if (info.api_version != KIPSEC_FAMILY_VERSION) {
		fprintf(stderr, "kipsec-iked: module speaks API %u, this daemon %u\n",
			info.api_version, KIPSEC_FAMILY_VERSION);
		return 1;
	}
	for (i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
		for (j = 0; j < info.nalgs; j++)
			if (!strcmp(info.algs[j].name, needed[i]) && info.algs[j].available)
				break;
		if (j == info.nalgs) {
			fprintf(stderr, "kipsec-iked: the kernel cannot run %s\n", needed[i]);
			bad++;
		}
	}
	printf("kernel: kipsec %s, API %u, %s\n", info.version, info.api_version,
	       bad ? "algorithms missing" : "algorithms ok");
	return bad ? 1 : 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: kipsec-iked [options]\n"
		"       kipsec-iked --selftest | --check-kernel\n"
		"       kipsec-iked [--ctl PATH] ctl list | conns | up CONN | down CONN\n"
		"  -c, --config FILE     connections (default /etc/kipsec-iked.conf)\n"
		"  -s, --secrets FILE    pre-shared keys, mode 600 (default /etc/kipsec-iked.secrets)\n"
		"  -t, --check-config    parse both files and exit\n"
		"  -v, --verbose         debug messages\n"
		"      --debug-keys      with -v, log key material (testing only)\n"
		"      --port N          IKE port (default 500)\n"
		"      --natt-port N     NAT traversal's port (default 4500; 0: no NAT-T socket)\n"
		"      --retransmit MS   first retransmission delay, doubled each time (default 2000)\n"
		"      --tries N         transmissions of a message before giving up (default 5)\n"
		"      --syslog          log to syslog (facility daemon) instead of stderr\n"
		"      --daemon          detach once listening (implies --syslog)\n"
		"      --pid-file FILE   write the daemon's pid to FILE\n"
		"      --ctl PATH        control socket (default " IKE_CTL_PATH ", \"\": none);\n"
		"                        with \"ctl\": the daemon's socket to talk to\n"
		"      --max-half-open N phase-1 exchanges a connection may have waiting as\n"
		"                        responder; more first messages are dropped (default 64)\n"
		"      --no-kernel       negotiate but install nothing (tests without kipsec)\n"
		"      --export-keys DIR append every SA's keys to Wireshark's tables in DIR\n"
		"                        (ikev1_decryption_table, esp_sa; debugging only)\n"
		"      --pcap FILE       write the ISAKMP messages it encrypts and decrypts, in\n"
		"                        cleartext, to the capture FILE (debugging only)\n"
		"      --selftest        known-answer tests of the daemon's crypto\n"
		"      --check-kernel    check the kipsec module's API and algorithms\n");
}

static volatile int stop, hup;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		hup = 1;
	else
		stop = 1;
}

static int number(const char *what, const char *s, long min, long max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "kipsec-iked: %s: expected %ld..%ld, got \"%s\"\n", what, min, max, s);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/*
 * --daemon: detach only once the sockets are bound and the kernel answered,
 * so that a failure to start still reaches the terminal (the log goes to
 * both until then, to syslog only after). The working directory is kept
 * (daemon(1, 0)) so that relative paths given on the command line
 * (--export-keys) stay valid.
 */
static int detach(struct ike_daemon *d)
{
	bool ok = false;
	FILE *f;

	if (d->detach) {
		if (daemon(1, 0) < 0) {
			log_err("--daemon: %s", strerror(errno));
			return -1;
		}
		ike_log_to_syslog(false);	/* stderr is /dev/null now */
	}
	if (!d->pid_file)
		return 0;
	f = fopen(d->pid_file, "we");
	if (f) {
		ok = fprintf(f, "%d\n", (int)getpid()) > 0;
		ok = fclose(f) == 0 && ok;
	}
	if (!f || !ok) {
		log_err("--pid-file %s: %s", d->pid_file, strerror(errno));
		d->pid_file = NULL;
		return -1;
	}
	return 0;
}

static int serve(struct ike_daemon *d, const char *config, const char *secrets, bool check_only,
		 const char *pcap_path)
{
	struct sigaction sa = { .sa_handler = on_signal };
	char err[512];
	int ret = 1;

	if (ike_config_load(config, &d->cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "kipsec-iked: %s\n", err);
		return 1;
	}
	if (ike_secrets_load(secrets, &d->cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "kipsec-iked: %s\n", err);
		goto out;
	}
	if (check_only) {
		printf("%s: %d connection%s, secrets ok\n", config, d->cfg.nconns,
		       d->cfg.nconns == 1 ? "" : "s");
		ret = 0;
		goto out;
	}
	if (pcap_path) {
		d->pcap = ike_pcap_open(pcap_path, err, sizeof(err));
		if (!d->pcap) {
			fprintf(stderr, "kipsec-iked: %s\n", err);
			goto out;
		}
	}
	if (!d->no_kernel && kipsec_nl_open(&d->nl) < 0)
		goto out;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->config_path = config;
	d->secrets_path = secrets;
	if (d->detach)
		ike_log_to_syslog(true);
	if (ike_daemon_start(d) == 0 && detach(d) == 0) {
		ike_daemon_run(d, &stop, &hup);
		ret = 0;
	}
	if (d->pid_file)
		unlink(d->pid_file);
	ike_daemon_stop(d);
	if (!d->no_kernel)
		kipsec_nl_close(&d->nl);
out:
	ike_pcap_close(d->pcap);
	ike_config_free(&d->cfg);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "selftest", no_argument, NULL, 'S' },
		{ "check-kernel", no_argument, NULL, 'k' },
		{ "config", required_argument, NULL, 'c' },
		{ "secrets", required_argument, NULL, 's' },
		{ "check-config", no_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "debug-keys", no_argument, NULL, 'K' },
		{ "port", required_argument, NULL, 'p' },
		{ "natt-port", required_argument, NULL, 'T' },
		{ "retransmit", required_argument, NULL, 'r' },
		{ "tries", required_argument, NULL, 'n' },
		{ "max-half-open", required_argument, NULL, 'H' },
		{ "syslog", no_argument, NULL, 'L' },
		{ "daemon", no_argument, NULL, 'D' },
		{ "pid-file", required_argument, NULL, 'F' },
		{ "no-kernel", no_argument, NULL, 'N' },
		{ "export-keys", required_argument, NULL, 'E' },
		{ "pcap", required_argument, NULL, 'P' },
		{ "ctl", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *config = "/etc/kipsec-iked.conf", *secrets = "/etc/kipsec-iked.secrets";
	const char *pcap_path = NULL;
	struct ike_daemon d = { .port = 500, .natt_port = NATT_PORT, .retx_ms = 2000,
				.retx_tries = 5, .max_half_open = 64, .ctl_path = IKE_CTL_PATH };
	int c, port, ret = 0, did = 0;
	bool check_only = false;

	/* "+": options end at the first word, so that "ctl down CONN" reaches the client whole */
	while ((c = getopt_long(argc, argv, "+c:s:tvh", opts, NULL)) != -1) {
		switch (c) {
		case 'S':
			ret |= selftest();
			did = 1;
			break;
		case 'k':
			ret |= check_kernel();
			did = 1;
			break;
		case 'c':
			config = optarg;
			break;
		case 's':
			secrets = optarg;
			break;
		case 't':
			check_only = true;
			break;
		case 'v':
			ike_log_level = IKE_LOG_DEBUG;
			break;
		case 'K':
			ike_log_keys = 1;
			break;
		case 'p':
			if (number("--port", optarg, 1, 65535, &port) < 0)
				return 2;
			d.port = (uint16_t)port;
			break;
		case 'T':
			if (number("--natt-port", optarg, 0, 65535, &port) < 0)
				return 2;
			d.natt_port = (uint16_t)port;
			break;
		case 'r':
			if (number("--retransmit", optarg, 10, 60000, &d.retx_ms) < 0)
				return 2;
			break;
		case 'n':
			if (number("--tries", optarg, 1, 20, &d.retx_tries) < 0)
				return 2;
			break;
		case 'H':
			if (number("--max-half-open", optarg, 1, 100000, &d.max_half_open) < 0)
				return 2;
			break;
		case 'N':
			d.no_kernel = true;
			break;
		case 'E':
			d.export_dir = optarg;
			break;
		case 'P':
			pcap_path = optarg;
			break;
		case 'L':
			ike_log_to_syslog(false);
			break;
		case 'D':
			d.detach = true;
			break;
		case 'F':
			d.pid_file = optarg;
			break;
		case 'C':
			d.ctl_path = optarg;
			d.ctl_given = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc && !strcmp(argv[optind], "ctl") && !did)
		return ike_ctl_client(d.ctl_path, argc - optind - 1, argv + optind + 1);
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (did)
		return ret;
	return serve(&d, config, secrets, check_only, pcap_path);
}
