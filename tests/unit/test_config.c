// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper/config.c: kipsec-iked.conf and the secrets file, values and
 * defaults, and errors that name the file and the line.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "tap.h"

static void config(void)
{
	static const char good[] =
		"# test\n"
		"conn net\n"
		"\tlocal = 192.0.2.1\n"
		"\tremote = 192.0.2.2\n"
		"\tremote_id = peer.example\n"
		"\tike = aes256-sha256-ecp256\n"
		"\tlocal_ts = 10.1.0.0/16\n"
		"\tremote_ts = 10.2.0.0/16\n"
		"\tpfs = curve25519\n"
		"\tstart_action = start\n"
		"conn host\n"
		"  local = 2001:db8::1\n"
		"  remote = 2001:db8::2\n"
		"  mode = transport\n";
	struct ike_config cfg;
	char err[300] = "", path[] = "/tmp/kipsec-secrets-XXXXXX";
	bool ok;
	int fd;

	CHECK(ike_config_parse("t.conf", good, &cfg, err, sizeof(err)) == 0 && cfg.nconns == 2,
	      "config parses (%s)", err);
	if (cfg.nconns == 2) {
		struct ike_conn *a = &cfg.conns[0], *b = &cfg.conns[1];

		CHECK(a->remote_id.type == 2 && a->local_id.type == 1 && a->ike[0].group == 19 &&
		      a->pfs == 31 && a->lts.plen == 16 && a->start == START_START &&
		      a->mode == ENCAP_TUNNEL && a->nesp == 1, "conn net: values and defaults");
		CHECK(b->local.family == 10 && b->lts.plen == 128 && b->mode == ENCAP_TRANSPORT &&
		      b->local_id.type == 5 && b->reqid == 2,
		      "conn host: selectors default to the hosts, IPv6 ID");
		CHECK(ike_secrets_parse("t.secrets",
					"# psk\npeer.example : PSK \"one\"\n"
					"2001:db8::2 2001:db8::1 : PSK 0x0102ff\n", &cfg, err,
					sizeof(err)) == 0 && a->psklen == 3 &&
		      !memcmp(a->psk, "one", 3) && b->psklen == 3 && b->psk[2] == 0xff,
		      "secrets: quoted and hex, by remote and local ID (%s)", err);
		CHECK(ike_secrets_parse("t.secrets", "other : PSK \"x\"\n", &cfg, err,
					sizeof(err)) == 0, "secrets for unknown IDs are ignored");
		ike_config_free(&cfg);
	}
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal = 192.0.2.1\n\tremote = 192.0.2.2\n"
			       "\tesp = aes128-sha3\n", &cfg, err, sizeof(err)) < 0 &&
	      !strncmp(err, "t.conf:4: esp:", 14), "bad ESP proposal names file and line: %s", err);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal = 192.0.2.1\n\tlifetime = 5\n", &cfg, err,
			       sizeof(err)) < 0 && !strncmp(err, "t.conf:3:", 9),
	      "lifetime out of range: %s", err);
	err[0] = '\0';
	ok = ike_config_parse("t.conf", "conn a\n\tlocal = 192.0.2.1\n\tremote = 192.0.2.2\n"
			      "\tlifebytes = 200000\nconn b\n\tlocal = 192.0.2.1\n"
			      "\tremote = 192.0.2.3\n", &cfg, err, sizeof(err)) == 0;
	CHECK(ok && cfg.conns[0].lifebytes == 200000 && cfg.conns[1].lifebytes == 0,
	      "lifebytes: bytes; absent is none (%s)", err);
	if (ok)
		ike_config_free(&cfg);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal = 192.0.2.1\n\tlifebytes = 1000\n",
			       &cfg, err, sizeof(err)) < 0 && strstr(err, "t.conf:3: lifebytes"),
	      "lifebytes below 10240: %s", err);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal = 192.0.2.1\n\tlifebytes = 2M\n",
			       &cfg, err, sizeof(err)) < 0 && strstr(err, "t.conf:3: lifebytes"),
	      "lifebytes with a suffix: %s", err);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal = 192.0.2.1\n"
			       "\tlifebytes = 4398046510081\n", &cfg, err, sizeof(err)) < 0 &&
	      strstr(err, "lifebytes"), "lifebytes past 2^32 kilobytes: %s", err);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal = 192.0.2.1\n", &cfg, err,
			       sizeof(err)) < 0 && strstr(err, "needs local and remote"),
	      "missing remote: %s", err);
	CHECK(ike_config_parse("t.conf", "\tlocal = 192.0.2.1\n", &cfg, err, sizeof(err)) < 0 &&
	      strstr(err, "outside"), "key outside a section: %s", err);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal=192.0.2.1\n\tremote=192.0.2.2\n"
			       "\taggressive = maybe\n", &cfg, err, sizeof(err)) < 0 &&
	      strstr(err, "t.conf:4: aggressive: expected yes or no"), "aggressive: %s", err);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal=192.0.2.1\n\tremote=192.0.2.2\n"
			       "\taggressive = yes\nconn b\n\tlocal=192.0.2.1\n\tremote=192.0.2.3\n",
			       &cfg, err, sizeof(err)) == 0 && cfg.conns[0].aggressive &&
	      !cfg.conns[1].aggressive, "aggressive = yes per connection, off by default");
	ike_config_free(&cfg);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal=192.0.2.1\n\tremote=192.0.2.2\n"
			       "\tforce_encap = yes\n\tnat_keepalive = 5\nconn b\n\tlocal=192.0.2.1\n"
			       "\tremote=192.0.2.3\n\tnat_traversal = no\nconn c\n\tlocal=192.0.2.1\n"
			       "\tremote=192.0.2.4\n", &cfg, err, sizeof(err)) == 0 &&
	      cfg.conns[0].nat_traversal && cfg.conns[0].force_encap &&
	      cfg.conns[0].nat_keepalive == 5 && !cfg.conns[1].nat_traversal &&
	      cfg.conns[2].nat_traversal && !cfg.conns[2].force_encap &&
	      cfg.conns[2].nat_keepalive == 20,
	      "nat_traversal (default yes), force_encap (default no), nat_keepalive (default 20)");
	ike_config_free(&cfg);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal=192.0.2.1\n\tremote=192.0.2.2\n"
			       "\tnat_traversal = no\n\tforce_encap = yes\n", &cfg, err,
			       sizeof(err)) < 0 && strstr(err, "force_encap = yes needs nat_traversal"),
	      "force_encap without nat_traversal refused: %s", err);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal=192.0.2.1\n\tremote=192.0.2.2\n"
			       "\tnat_keepalive = 3601\n", &cfg, err, sizeof(err)) < 0 &&
	      strstr(err, "t.conf:4: nat_keepalive: expected seconds"), "nat_keepalive: %s", err);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal=192.0.2.1\n\tremote=192.0.2.2\n"
			       "\tnat_traversal = sometimes\n", &cfg, err, sizeof(err)) < 0 &&
	      strstr(err, "t.conf:4: nat_traversal: expected yes or no"), "nat_traversal: %s", err);
	CHECK(ike_config_parse("t.conf", "conn a\n\tfoo = 1\n", &cfg, err, sizeof(err)) < 0 &&
	      strstr(err, "t.conf:2: unknown key \"foo\""), "unknown key: %s", err);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal=192.0.2.1\n\tremote=192.0.2.2\n"
			       "\tmode=transport\n\tlocal_ts=10.0.0.0/8\n", &cfg, err,
			       sizeof(err)) < 0 && strstr(err, "transport"),
	      "transport mode with subnets refused: %s", err);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal=192.0.2.1\n\tremote=2001:db8::1\n", &cfg,
			       err, sizeof(err)) < 0, "mixed families refused: %s", err);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal=192.0.2.1\n\tremote=192.0.2.2\n"
			       "conn a\n", &cfg, err, sizeof(err)) < 0 && strstr(err, "t.conf:4"),
	      "duplicate conn: %s", err);

	ike_config_parse("t.conf", good, &cfg, err, sizeof(err));
	CHECK(ike_secrets_parse("s", "peer.example : PSK \"one\"\n", &cfg, err, sizeof(err)) < 0 &&
	      strstr(err, "no PSK for conn host"), "a conn without PSK: %s", err);
	CHECK(ike_secrets_parse("s", "peer.example : RSA key.pem\n", &cfg, err, sizeof(err)) < 0 &&
	      strstr(err, "s:1:"), "non-PSK secret: %s", err);
	CHECK(ike_secrets_parse("s", "peer.example : PSK 0x1\n", &cfg, err, sizeof(err)) < 0,
	      "odd hex refused: %s", err);
	fd = mkstemp(path);
	if (fd >= 0) {
		CHECK(write(fd, "peer.example : PSK \"one\"\n", 25) == 25, "write temp secrets");
		close(fd);
		chmod(path, 0644);
		CHECK(ike_secrets_load(path, &cfg, err, sizeof(err)) < 0 && strstr(err, "chmod 600"),
		      "a secrets file others can read is refused: %s", err);
		unlink(path);
	}
	ike_config_free(&cfg);
}

int main(void)
{
	config();
	return tap_done();
}
