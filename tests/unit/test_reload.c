// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper/reload.c: which connections survive a SIGHUP (same name, same
 * settings, same PSK), and the reqids they and the new ones end up with.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "reload.h"
#include "tap.h"

#define CONN(name, remote, extra) \
	"conn " name "\n\tlocal = 192.0.2.1\n\tremote = " remote "\n" extra

static const char sec[] = "192.0.2.2 : PSK \"psk-a\"\n192.0.2.3 : PSK \"psk-b\"\n"
			  "192.0.2.4 : PSK \"psk-c\"\n";

static int load(const char *text, const char *secrets, struct ike_config *cfg)
{
	char err[256];

	if (ike_config_parse("t.conf", text, cfg, err, sizeof(err)) < 0 ||
	    ike_secrets_parse("t.secrets", secrets, cfg, err, sizeof(err)) < 0) {
		printf("# %s\n", err);
		return -1;
	}
	return 0;
}

/* Diff @a -> @b; @want: keep[] as text ("0 1", "-1 0"), and @reqids of @b ("1 2"). */
static void diff(const char *what, const char *a, const char *b, const char *secrets_b,
		 const char *want, const char *reqids)
{
	struct ike_config o, n;
	char got[128] = "", rq[128] = "";
	int keep[16], i;

	if (load(a, sec, &o) < 0 || load(b, secrets_b ? secrets_b : sec, &n) < 0) {
		CHECK(0, "%s: configurations load", what);
		return;
	}
	ike_config_diff(&o, &n, keep);
	for (i = 0; i < o.nconns; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%d", i ? " " : "", keep[i]);
	for (i = 0; i < n.nconns; i++)
		snprintf(rq + strlen(rq), sizeof(rq) - strlen(rq), "%s%u", i ? " " : "",
			 n.conns[i].reqid);
	CHECK(!strcmp(got, want) && !strcmp(rq, reqids), "%s: kept [%s] (want [%s]), new reqids [%s] (want [%s])",
	      what, got, want, rq, reqids);
	ike_config_free(&o);
	ike_config_free(&n);
}

static void same(void)
{
	struct ike_config a, b;

	if (load(CONN("a", "192.0.2.2", "\tesp = aes256gcm16\n"), sec, &a) < 0 ||
	    load("# comments and blank lines do not matter\n\n" CONN("a", "192.0.2.2", "\tesp = aes256gcm16\n"), sec, &b) < 0) {
		CHECK(0, "configurations load");
		return;
	}
	CHECK(ike_conn_same(&a.conns[0], &b.conns[0]), "the same section parsed twice is the same");
	b.conns[0].line = 99;
	b.conns[0].half_open_dropped = 5;
	CHECK(ike_conn_same(&a.conns[0], &b.conns[0]), "its line and runtime counters do not count");
	b.conns[0].esp[0].keybits = 128;
	CHECK(!ike_conn_same(&a.conns[0], &b.conns[0]), "an ESP key size does");
	b.conns[0].esp[0].keybits = a.conns[0].esp[0].keybits;
	b.conns[0].force_encap = true;
	CHECK(!ike_conn_same(&a.conns[0], &b.conns[0]), "force_encap does");
	b.conns[0].force_encap = false;
	b.conns[0].nat_keepalive = 5;
	CHECK(!ike_conn_same(&a.conns[0], &b.conns[0]), "nat_keepalive does");
	b.conns[0].nat_keepalive = a.conns[0].nat_keepalive;
	b.conns[0].nat_traversal = false;
	CHECK(!ike_conn_same(&a.conns[0], &b.conns[0]), "nat_traversal does");
	ike_config_free(&a);
	ike_config_free(&b);
}

int main(void)
{
	const char *ab = CONN("a", "192.0.2.2", "") CONN("b", "192.0.2.3", "");

	same();
	diff("unchanged", ab, ab, NULL, "0 1", "1 2");
	diff("b's esp changed", ab, CONN("a", "192.0.2.2", "") CONN("b", "192.0.2.3", "\tesp = aes128gcm16\n"),
	     NULL, "0 -1", "1 2");
	diff("each key counts: lifetime", ab, CONN("a", "192.0.2.2", "\tlifetime = 60\n") CONN("b", "192.0.2.3", ""),
	     NULL, "-1 1", "1 2");
	diff("each key counts: start_action", ab, CONN("a", "192.0.2.2", "\tstart_action = route\n")
	     CONN("b", "192.0.2.3", ""), NULL, "-1 1", "1 2");
	diff("each key counts: traffic selectors", ab, CONN("a", "192.0.2.2", "\tremote_ts = 10.0.2.0/24\n")
	     CONN("b", "192.0.2.3", ""), NULL, "-1 1", "1 2");
	diff("each key counts: remote_id", ab, CONN("a", "192.0.2.2", "") CONN("b", "192.0.2.3", "\tremote_id = b.example\n"),
	     "192.0.2.2 : PSK \"psk-a\"\nb.example : PSK \"psk-b\"\n", "0 -1", "1 2");
	diff("b's PSK changed (secrets only)", ab, ab,
	     "192.0.2.2 : PSK \"psk-a\"\n192.0.2.3 : PSK \"psk-B\"\n", "0 -1", "1 2");
	diff("a removed: b keeps reqid 2 (its position moved)", ab, CONN("b", "192.0.2.3", ""), NULL,
	     "-1 0", "2");
	diff("a removed, c added: c does not take b's reqid", ab,
	     CONN("b", "192.0.2.3", "") CONN("c", "192.0.2.4", ""), NULL, "-1 0", "2 3");
	diff("c added at the front: a and b keep their reqids, c gets a free one", ab,
	     CONN("c", "192.0.2.4", "") CONN("a", "192.0.2.2", "") CONN("b", "192.0.2.3", ""), NULL,
	     "1 2", "3 1 2");
	diff("order swapped: both kept", ab, CONN("b", "192.0.2.3", "") CONN("a", "192.0.2.2", ""), NULL,
	     "1 0", "2 1");
	diff("renamed: the old one removed, the new one added", ab,
	     CONN("a", "192.0.2.2", "") CONN("b2", "192.0.2.3", ""), NULL, "0 -1", "1 2");
	diff("an explicit reqid changed", CONN("a", "192.0.2.2", "\treqid = 7\n"),
	     CONN("a", "192.0.2.2", "\treqid = 8\n"), NULL, "-1", "8");
	diff("an explicit reqid equal to the running one is no change",
	     CONN("a", "192.0.2.2", ""), CONN("a", "192.0.2.2", "\treqid = 1\n"), NULL, "0", "1");
	diff("... but the positional one that moved is, against an explicit one",
	     ab, CONN("b", "192.0.2.3", "\treqid = 1\n"), NULL, "-1 -1", "1");
	diff("explicit reqids are never moved", CONN("a", "192.0.2.2", "\treqid = 2\n"),
	     CONN("a", "192.0.2.2", "\treqid = 2\n") CONN("b", "192.0.2.3", "\treqid = 2\n"), NULL,
	     "0", "2 2");
	return tap_done();
}
