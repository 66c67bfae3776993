// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper/ctl_proto.c and ctl_cmd.c: the control socket's request
 * parsing, reply lines, the bounded reply buffer, and the commands run on
 * a daemon without network or kernel (list never shows keys).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "cipher.h"
#include "ctl.h"
#include "ike.h"
#include "log.h"
#include "tap.h"

static int parse(const char *s, struct ike_ctl_req *r, const char **why)
{
	*why = "";
	return ike_ctl_parse(s, strlen(s), r, why);
}

static void requests(void)
{
	struct ike_ctl_req r;
	const char *why;
	char long_name[80], big[IKE_CTL_LINE_MAX + 10];

	CHECK(parse("list", &r, &why) == 0 && r.cmd == CTL_LIST && !r.conn[0], "list");
	CHECK(parse("conns\r", &r, &why) == 0 && r.cmd == CTL_CONNS, "conns (a CR before the newline is allowed)");
	CHECK(parse("up t", &r, &why) == 0 && r.cmd == CTL_UP && !strcmp(r.conn, "t"), "up t");
	CHECK(parse("down site-b.2", &r, &why) == 0 && r.cmd == CTL_DOWN &&
	      !strcmp(r.conn, "site-b.2"), "down site-b.2");
	CHECK(parse("up", &r, &why) < 0 && strstr(why, "needs a connection name"), "up without a name: %s", why);
	CHECK(parse("list t", &r, &why) < 0 && strstr(why, "takes no argument"), "list with an argument: %s", why);
	CHECK(parse("up a b", &r, &why) < 0 && strstr(why, "expected COMMAND [CONN]"), "two names: %s", why);
	CHECK(parse("up ", &r, &why) < 0, "up and a space: refused (%s)", why);
	CHECK(parse("up  t", &r, &why) < 0, "two spaces: refused (%s)", why);
	CHECK(parse("", &r, &why) < 0 && strstr(why, "empty"), "empty line: %s", why);
	CHECK(parse(" list", &r, &why) < 0, "leading space: refused (%s)", why);
	CHECK(parse("flush", &r, &why) < 0 && strstr(why, "unknown command"), "unknown command: %s", why);
	CHECK(parse("LIST", &r, &why) < 0, "commands are lower case (%s)", why);
	CHECK(parse("listx", &r, &why) < 0 && strstr(why, "unknown command"), "a command's prefix does not match longer words");
	CHECK(parse("li\x01st", &r, &why) < 0 && strstr(why, "printable"), "a control byte: %s", why);
	CHECK(parse("up t\xff", &r, &why) < 0 && strstr(why, "printable"), "a byte above 0x7e: %s", why);
	CHECK(ike_ctl_parse("up t\0x", 6, &r, &why) < 0 && strstr(why, "printable"), "a NUL inside the line: %s", why);
	CHECK(parse("up a=b", &r, &why) < 0 && strstr(why, "bad connection name"), "a name with '=': %s", why);
	memset(long_name, 'n', sizeof(long_name));
	memcpy(long_name, "up ", 3);
	long_name[3 + 63] = 0;
	CHECK(parse(long_name, &r, &why) == 0 && strlen(r.conn) == 63, "a 63-byte name (the config's longest)");
	long_name[3 + 63] = 'n';
	long_name[3 + 64] = 0;
	CHECK(parse(long_name, &r, &why) < 0 && strstr(why, "bad connection name"), "a 64-byte name: %s", why);
	memset(big, 'l', sizeof(big));
	CHECK(ike_ctl_parse(big, IKE_CTL_LINE_MAX, &r, &why) < 0 && strstr(why, "too long"),
	      "a line of %d bytes: %s", IKE_CTL_LINE_MAX, why);
}

static void replies(void)
{
	const char *t;

	CHECK(ike_ctl_reply_line("= ike t", &t) == CTL_LINE_DATA && !strcmp(t, "ike t"), "data line");
	CHECK(ike_ctl_reply_line("ok", &t) == CTL_LINE_OK && !*t, "ok");
	CHECK(ike_ctl_reply_line("ok 1 IKE SA", &t) == CTL_LINE_OK && !strcmp(t, "1 IKE SA"), "ok with text");
	CHECK(ike_ctl_reply_line("error: unknown connection \"x\"", &t) == CTL_LINE_ERROR &&
	      !strcmp(t, "unknown connection \"x\""), "error line");
	CHECK(ike_ctl_reply_line("okay", &t) == CTL_LINE_BAD, "\"okay\" is not ok");
	CHECK(ike_ctl_reply_line("ike t", &t) == CTL_LINE_BAD, "an untagged line is garbage");
	CHECK(ike_ctl_reply_line("", &t) == CTL_LINE_BAD, "an empty line is garbage");
}

static void out_buffer(void)
{
	struct ike_ctl_out o = { 0 };
	const char *last;
	int i;

	ike_ctl_printf(&o, "= %s\n", "a");
	ike_ctl_printf(&o, "ok\n");
	CHECK(o.len == 7 && !memcmp(o.buf, "= a\nok\n", 7) && !o.cut, "two lines");
	ike_ctl_out_free(&o);
	for (i = 0; i < 20000; i++)
		ike_ctl_printf(&o, "= child t installed in 0x%08x out 0x%08x\n", i, i);
	ike_ctl_printf(&o, "ok\n");
	CHECK(o.cut && o.len <= IKE_CTL_REPLY_MAX, "a reply over %d bytes is cut (%zu bytes kept)",
	      IKE_CTL_REPLY_MAX, o.len);
	o.buf[o.len - 1] = 0;
	last = strrchr(o.buf, '\n');
	CHECK(last && !strcmp(last + 1, "error: reply too long: cut"),
	      "... and ends in an error line, after whole lines: %s", last ? last + 1 : "?");
	CHECK(!strncmp(o.buf, "= child t installed in 0x00000000", 33), "... which keeps the start");
	ike_ctl_out_free(&o);
}

static const char conf[] = "conn t\n\tlocal = 192.0.2.1\n\tremote = 192.0.2.2\n"
			   "\tlocal_ts = 10.0.1.0/24\n\tremote_ts = 10.0.2.0/24\n\tlifetime = 600\n"
			   "conn u\n\tlocal = 192.0.2.1\n\tremote = 192.0.2.3\n\tmode = transport\n"
			   "\tesp = aes256gcm16\n\tstart_action = route\n";
static const char secrets[] = "192.0.2.2 : PSK \"secret-t\"\n192.0.2.3 : PSK \"secret-u\"\n";

/* @s with its newlines shown as '|': a reply inside one TAP line. */
static const char *flat(char *s)
{
	static char buf[2048];
	size_t i;

	snprintf(buf, sizeof(buf), "%s", s);
	for (i = 0; buf[i]; i++)
		if (buf[i] == '\n')
			buf[i] = '|';
	return buf;
}

static char *run(struct ike_daemon *d, const char *line)
{
	struct ike_ctl_out o = { 0 };
	struct ike_ctl_req r;
	const char *why;
	char *s;

	if (ike_ctl_parse(line, strlen(line), &r, &why) < 0)
		return strdup(why);
	ike_ctl_exec(d, &r, &o);
	s = strndup(o.buf ? o.buf : "", o.len);
	ike_ctl_out_free(&o);
	return s;
}

/* An established IKE SA with one CHILD SA, as phase1.c and quickmode.c leave them. */
static struct ike_sa *fake_sa(struct ike_daemon *d, struct ike_conn *c)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));
	struct ike_quick *q = calloc(1, sizeof(*q));
	struct sockaddr_in *in = (struct sockaddr_in *)&sa->peer;
	uint64_t now = ike_now_ms();

	sa->d = d;
	sa->conn = c;
	in->sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.2", &in->sin_addr);
	sa->peerlen = sizeof(*in);
	sa->initiator = true;
	sa->state = P1_ESTABLISHED;
	memcpy(sa->icky, "\x01\x23\x45\x67\x89\xab\xcd\xef", 8);
	memcpy(sa->rcky, "\xfe\xdc\xba\x98\x76\x54\x32\x10", 8);
	sa->chosen = (struct ike_transform){ .enc = IKE_ENC_AES_CBC, .keylen = 128,
					     .hash = P1_HASH_SHA2_256, .group = 14 };
	/* key material that must never reach a reply */
	sa->keys.hash = IKE_HASH_SHA2_256;
	sa->keys.plen = 32;
	memset(sa->keys.skeyid, 0x5a, sizeof(sa->keys.skeyid));
	memset(sa->keys.skeyid_e, 0x5a, sizeof(sa->keys.skeyid_e));
	memset(sa->keys.enc, 0x5a, 16);
	sa->keys.enc_len = 16;
	sa->block = 16;
	sa->established_ms = now - 5000;
	sa->expire_due = sa->established_ms + 10800 * 1000ULL;
	q->sa = sa;
	q->state = QM_DONE;
	q->spi_in = 0xc0ffee01;
	q->spi_out = 0xc0ffee02;
	q->prop = c->esp[0];
	q->life_secs = 600;
	q->installed = true;
	q->out_installed = true;
	q->installed_ms = now - 3000;
	memset(q->kout, 0x5a, sizeof(q->kout));
	sa->qms = q;
	sa->next = d->sas;
	d->sas = sa;
	return sa;
}

static void commands(void)
{
	struct ike_daemon d = { .fd4 = -1, .fd6 = -1, .nfd4 = -1, .nfd6 = -1,
				.no_kernel = true, .retx_ms = 1000,
				.retx_tries = 3 };
	char err[256] = "", *s;

	ike_log_level = IKE_LOG_ERR - 1;	/* quiet: the tests read replies, not logs */
	CHECK(ike_config_parse("t.conf", conf, &d.cfg, err, sizeof(err)) == 0 &&
	      ike_secrets_parse("t.secrets", secrets, &d.cfg, err, sizeof(err)) == 0, "config (%s)", err);
	d.cs = calloc((size_t)d.cfg.nconns, sizeof(*d.cs));
	d.route_out = calloc((size_t)d.cfg.nconns, sizeof(*d.route_out));

	s = run(&d, "conns");
	CHECK(!strcmp(s, "= conn t 192.0.2.1 -> 192.0.2.2 ts 10.0.1.0/24 <-> 10.0.2.0/24 tunnel "
		      "start_action add ike aes128-sha256-modp2048 esp aes128-sha256 reqid 1 "
		      "ike_sas 0 child_sas 0\n"
		      "= conn u 192.0.2.1 -> 192.0.2.3 ts 192.0.2.1/32 <-> 192.0.2.3/32 transport "
		      "start_action route ike aes128-sha256-modp2048 esp aes256gcm16 reqid 2 "
		      "ike_sas 0 child_sas 0\n"
		      "ok 2 connections\n"), "conns: %s", flat(s));
	free(s);
	s = run(&d, "list");
	CHECK(!strcmp(s, "ok 0 IKE SAs\n"), "list without SAs: %s", flat(s));
	free(s);
	s = run(&d, "up nosuch");
	CHECK(!strcmp(s, "error: unknown connection \"nosuch\"\n"), "up of an unknown conn: %s", flat(s));
	free(s);
	s = run(&d, "down nosuch");
	CHECK(!strcmp(s, "error: unknown connection \"nosuch\"\n"), "down of an unknown conn: %s", flat(s));
	free(s);
	s = run(&d, "down t");
	CHECK(!strcmp(s, "ok conn t: no SA: nothing to do\n"), "down without SAs: %s", flat(s));
	free(s);

	s = run(&d, "up t");
	CHECK(!strcmp(s, "ok conn t: initiating Main Mode, then Quick Mode\n") && d.sas &&
	      d.sas->state == MM_I1 && d.sas->conn == &d.cfg.conns[0], "up t starts Main Mode: %s", flat(s));
	free(s);
	s = run(&d, "up t");
	CHECK(!strcmp(s, "ok conn t: phase 1 already under way\n") && !d.sas->next,
	      "up t again: nothing more started: %s", flat(s));
	free(s);
	s = run(&d, "list");
	CHECK(strstr(s, "= ike t initiator main-mode-i1 peer 192.0.2.2 cookies ") &&
	      strstr(s, ":0000000000000000\nok 1 IKE SA\n"), "list: the half-open IKE SA: %s", flat(s));
	free(s);
	s = run(&d, "down t");
	CHECK(!strcmp(s, "ok conn t: deleted 1 IKE SA and 0 CHILD SAs\n") && !d.sas,
	      "down t: the SA freed at once: %s", flat(s));
	free(s);

	fake_sa(&d, &d.cfg.conns[0]);
	s = run(&d, "list");
	CHECK(!strcmp(s, "= ike t initiator established peer 192.0.2.2 cookies "
		      "0123456789abcdef:fedcba9876543210 aes128-sha256-modp2048 age 5s lifetime 10800s\n"
		      "= child t installed in 0xc0ffee01 out 0xc0ffee02 aes128-sha256 tunnel age 3s "
		      "lifetime 600s\n"
		      "ok 1 IKE SA\n"), "list: IKE SA and CHILD SA: %s", flat(s));
	CHECK(!strstr(s, "5a5a") && !strstr(s, "secret"), "list shows no key material");
	free(s);
	s = run(&d, "conns");
	CHECK(strstr(s, "reqid 1 ike_sas 1 child_sas 1\n"), "conns counts the SAs");
	free(s);
	s = run(&d, "up t");
	CHECK(!strcmp(s, "ok conn t: already up (CHILD SA 0xc0ffee01/0xc0ffee02)\n"),
	      "up of an established conn: %s", flat(s));
	free(s);
	s = run(&d, "down t");
	CHECK(!strcmp(s, "ok conn t: deleted 1 IKE SA and 1 CHILD SA\n") && !d.sas,
	      "down t: IKE and CHILD SA gone: %s", flat(s));
	free(s);
	free(d.cs);
	free(d.route_out);
	ike_config_free(&d.cfg);
}

int main(void)
{
	requests();
	replies();
	out_buffer();
	commands();
	return tap_done();
}
