// SPDX-License-Identifier: GPL-2.0
/*
 * ikehelper/dpd.c: the DPD Vendor ID in our first phase-1 message (and not
 * in the SA body HASH_I covers), R-U-THERE / R-U-THERE-ACK notification
 * bodies built and parsed (good and malformed), the ACK sequence check
 * across wrap-around, and the idle / retry / dead timer with its config.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "ike.h"
#include "log.h"
#include "tap.h"

static const uint8_t icky[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t rcky[8] = { 9, 10, 11, 12, 13, 14, 15, 16 };

static void codec(void)
{
	static const uint8_t want[28] = {
		0, 0, 0, 1,	/* DOI IPsec */
		1, 16,		/* protocol ISAKMP, SPI size 16 */
		0x8d, 0x28,	/* 36136 */
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
		0x12, 0x34, 0x56, 0x78,
	};
	uint8_t b[64], other[8] = { 0 };
	const char *why = "";
	uint16_t type = 0;
	uint32_t seq = 0;
	size_t n;

	n = ike_dpd_notify_body(b, sizeof(b), N_DPD_R_U_THERE, icky, rcky, 0x12345678);
	CHECK(n == 28 && !memcmp(b, want, 28), "R-U-THERE body: DOI, ISAKMP, SPI = cookies, seq");
	CHECK(ike_dpd_notify_body(b, 27, N_DPD_R_U_THERE, icky, rcky, 1) == 0,
	      "a buffer too small is refused");
	CHECK(ike_dpd_notify_parse(want, 28, icky, rcky, &type, &seq, &why) == 1 &&
	      type == N_DPD_R_U_THERE && seq == 0x12345678, "R-U-THERE parses back");
	n = ike_dpd_notify_body(b, sizeof(b), N_DPD_R_U_THERE_ACK, icky, rcky, 0xffffffff);
	CHECK(n == 28 && b[6] == 0x8d && b[7] == 0x29 &&
	      ike_dpd_notify_parse(b, n, icky, rcky, &type, &seq, &why) == 1 &&
	      type == N_DPD_R_U_THERE_ACK && seq == 0xffffffff, "R-U-THERE-ACK round trip");

	memcpy(b, want, 28);
	b[6] = 0x60;
	b[7] = 0x02;	/* INITIAL-CONTACT */
	CHECK(ike_dpd_notify_parse(b, 8, icky, rcky, &type, &seq, &why) == 0,
	      "another notification is not DPD's");
	CHECK(ike_dpd_notify_parse(want, 7, icky, rcky, &type, &seq, &why) == -1,
	      "truncated header refused (%s)", why);
	CHECK(ike_dpd_notify_parse(want, 27, icky, rcky, &type, &seq, &why) == -1,
	      "3-byte sequence refused (%s)", why);
	memcpy(b, want, 28);
	b[28] = 0;
	CHECK(ike_dpd_notify_parse(b, 29, icky, rcky, &type, &seq, &why) == -1,
	      "5-byte data refused (%s)", why);
	CHECK(ike_dpd_notify_parse(want, 28, icky, other, &type, &seq, &why) == -1,
	      "SPI of other cookies refused (%s)", why);
	memcpy(b, want, 28);
	b[5] = 8;
	CHECK(ike_dpd_notify_parse(b, 20, icky, rcky, &type, &seq, &why) == -1,
	      "SPI size 8 refused (%s)", why);
	memcpy(b, want, 8);
	b[5] = 0;
	memcpy(b + 8, want + 24, 4);
	CHECK(ike_dpd_notify_parse(b, 12, icky, rcky, &type, &seq, &why) == 1 &&
	      seq == 0x12345678, "SPI size 0 (older peers) tolerated");
}

static void seqcheck(void)
{
	struct ike_dpd s = { .pending = true, .first = 100, .seq = 102 };

	CHECK(ike_dpd_ack_ok(&s, 100) && ike_dpd_ack_ok(&s, 101) && ike_dpd_ack_ok(&s, 102),
	      "ACK of any outstanding R-U-THERE accepted");
	CHECK(!ike_dpd_ack_ok(&s, 99) && !ike_dpd_ack_ok(&s, 103) && !ike_dpd_ack_ok(&s, 0),
	      "ACK of a number never sent (or answered already) refused");
	s.first = 0xfffffffe;
	s.seq = 1;
	CHECK(ike_dpd_ack_ok(&s, 0xffffffff) && ike_dpd_ack_ok(&s, 0) && ike_dpd_ack_ok(&s, 1) &&
	      !ike_dpd_ack_ok(&s, 2) && !ike_dpd_ack_ok(&s, 0xfffffffd),
	      "the window across the 32-bit wrap");
	s.pending = false;
	CHECK(!ike_dpd_ack_ok(&s, 0), "no R-U-THERE outstanding: every ACK refused");
}

static struct ike_config cfg;
static struct ike_daemon d = { .fd4 = -1, .fd6 = -1, .nfd4 = -1, .nfd6 = -1, .retx_ms = 1000,
				.retx_tries = 1 };

static void vid(void)
{
	struct ike_sa *sa = ike_p1_initiate(&d, &cfg.conns[0]);
	struct ike_msg m;
	const struct ike_payload *p;
	const char *why;
	uint8_t bad;

	CHECK(sa != NULL, "Main Mode initiated");
	if (!sa)
		return;
	CHECK(isakmp_parse_header(sa->x.buf, sa->x.len, &m, &why) == 0 &&
	      isakmp_parse_payloads(&m, sa->x.buf + ISAKMP_HDR_LEN, sa->x.len - ISAKMP_HDR_LEN,
				    m.np, false, &why, &bad) == 0 && m.n == 2,
	      "first message: SA and one more payload");
	p = isakmp_find(&m, ISAKMP_NP_VID);
	CHECK(p && p->len == 16 && !memcmp(p->body, ike_dpd_vid, 16) &&
	      !memcmp(ike_dpd_vid, "\xaf\xca\xd7\x13\x68\xa1\xf1\xc9\x6b\x86\x96\xfc\x77\x57\x01\x00",
		      16), "it is RFC 3706's DPD Vendor ID");
	p = isakmp_find(&m, ISAKMP_NP_SA);
	CHECK(p && sa->sai_len == p->len && !memcmp(sa->sai_b, p->body, p->len),
	      "the SA body kept for HASH_I excludes the Vendor ID");
	CHECK(!sa->dpd.peer, "nothing heard from the peer: DPD not announced by it");
	m.pl[0] = (struct ike_payload){ ISAKMP_NP_VID, (const uint8_t *)"\x4a\x13\x1c\x81\x07\x03"
				       "\x58\x45\x5c\x57\x28\xf2\x0e\x95\x45\x2f", 16 };
	m.n = 1;
	ike_dpd_peer_vid(sa, &m);
	CHECK(!sa->dpd.peer, "another Vendor ID (NAT-T) is not DPD's");
	m.pl[0].body = ike_dpd_vid;
	ike_dpd_peer_vid(sa, &m);
	CHECK(sa->dpd.peer && sa->dpd.seq < 0x80000000u,
	      "the peer's DPD Vendor ID recognised; first number random below 2^31");
	ike_sa_free(sa);
}

/* An established SA whose peer never answers: the timer's idle, retry and dead steps. */
static void timer(void)
{
	struct ike_conn *c = &cfg.conns[0];
	struct ike_sa *sa = calloc(1, sizeof(*sa));
	uint64_t t0 = 1000000, due;
	uint32_t s0;

	if (!sa)
		return;
	sa->d = &d;
	sa->conn = c;
	sa->state = P1_ESTABLISHED;
	sa->established_ms = t0;
	sa->block = 16;
	d.sas = sa;
	c->dpd_delay = 2;
	c->dpd_timeout = 8;
	CHECK(ike_dpd_timer(sa, t0 + 5000) == 0 && !sa->dpd.pending,
	      "peer without the DPD Vendor ID: never probed");
	sa->dpd.peer = true;
	sa->dpd.seq = s0 = 41;
	due = ike_dpd_timer(sa, t0 + 1000);
	CHECK(!sa->dpd.pending && due == t0 + 2000, "idle 1 s of 2: nothing sent, due at 2 s");
	due = ike_dpd_timer(sa, t0 + 2000);
	CHECK(sa->dpd.pending && sa->dpd.seq == s0 + 1 && sa->dpd.first == s0 + 1 &&
	      due == t0 + 4000, "idle 2 s: R-U-THERE %u sent, the next in 2 s", sa->dpd.seq);
	ike_dpd_input(sa, N_DPD_R_U_THERE_ACK, s0 + 7);
	CHECK(sa->dpd.pending, "an ACK with a number never sent is ignored");
	ike_dpd_timer(sa, t0 + 4000);
	CHECK(sa->dpd.seq == s0 + 2 && sa->dpd.first == s0 + 1 && sa->dpd.sent == 2,
	      "still no answer: another R-U-THERE, with the next number");
	ike_dpd_input(sa, N_DPD_R_U_THERE_ACK, s0 + 1);
	CHECK(!sa->dpd.pending && sa->dpd.last_rx >= t0,
	      "an ACK of the earlier R-U-THERE proves the peer alive");
	ike_dpd_input(sa, N_DPD_R_U_THERE_ACK, s0 + 2);
	CHECK(!sa->dpd.pending, "a late ACK after that is ignored");

	sa->dpd.last_rx = t0;
	ike_dpd_timer(sa, t0 + 2000);
	CHECK(sa->dpd.pending && sa->dpd.sent == 1, "idle again: a new round of R-U-THERE");
	ike_dpd_timer(sa, t0 + 9000);
	CHECK(sa->state == P1_ESTABLISHED, "8 s after the first one not yet dead at 7 s");
	c->dpd_action = DPD_CLEAR;
	ike_dpd_timer(sa, t0 + 10000);
	CHECK(sa->state == P1_DEAD && d.sas == sa,
	      "dpd_timeout without an answer: the IKE SA is dead (clear: nothing initiated)");
	ike_sa_free(sa);
}

static void config(void)
{
	struct ike_config c2;
	char err[300] = "";

	CHECK(cfg.conns[0].dpd_delay == 2 && cfg.conns[0].dpd_timeout == 8, "dpd keys parse");
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal = 192.0.2.1\n\tremote = 192.0.2.2\n",
			       &c2, err, sizeof(err)) == 0 && c2.conns[0].dpd_delay == 0 &&
	      c2.conns[0].dpd_timeout == 150 && c2.conns[0].dpd_action == DPD_CLEAR,
	      "defaults: DPD off, 150 s, clear");
	ike_config_free(&c2);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal = 192.0.2.1\n\tremote = 192.0.2.2\n"
			       "\tdpd_delay = 30s\n\tdpd_action = restart\n", &c2, err,
			       sizeof(err)) == 0 && c2.conns[0].dpd_delay == 30 &&
	      c2.conns[0].dpd_action == DPD_RESTART, "swanctl's \"30s\" and restart");
	ike_config_free(&c2);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal = 192.0.2.1\n\tremote = 192.0.2.2\n"
			       "\tdpd_action = none\n", &c2, err, sizeof(err)) < 0 &&
	      strstr(err, "t.conf:4") && strstr(err, "dpd_action"), "bad dpd_action named (%s)",
	      err);
	CHECK(ike_config_parse("t.conf", "conn a\n\tlocal = 192.0.2.1\n\tremote = 192.0.2.2\n"
			       "\tdpd_timeout = 0\n", &c2, err, sizeof(err)) < 0 &&
	      strstr(err, "dpd_timeout"), "dpd_timeout 0 refused (%s)", err);
}

int main(void)
{
	char err[300] = "";

	ike_log_level = IKE_LOG_ERR;
	if (ike_config_parse("t.conf", "conn a\n\tlocal = 192.0.2.1\n\tremote = 192.0.2.2\n"
			     "\tdpd_delay = 2\n\tdpd_timeout = 8\n", &cfg, err, sizeof(err)) < 0) {
		CHECK(0, "config: %s", err);
		return tap_done();
	}
	codec();
	seqcheck();
	vid();
	timer();
	config();
	ike_config_free(&cfg);
	return tap_done();
}
