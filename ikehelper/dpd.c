// SPDX-License-Identifier: GPL-2.0
/*
 * Dead Peer Detection for IKEv1 (RFC 3706).
 *
 * Both sides announce it with a Vendor ID in phase 1; we always do (we
 * always answer), but ask only a peer that announced it. Under an
 * established IKE SA, in protected Informational exchanges (HASH(1) as in
 * info.c):
 *   R-U-THERE      notify 36136, SPI = CKY-I | CKY-R, data = 32-bit sequence
 *   R-U-THERE-ACK  notify 36137, the same SPI and the sequence it answers
 * The check is idle-based: an R-U-THERE goes out only when nothing
 * authenticated came from the peer for dpd_delay seconds, then one more with
 * the next number every dpd_delay while none is answered; after dpd_timeout
 * without an answer the peer is dead and dpd_action says what follows.
 * Only IKE messages count as liveness, not ESP traffic under the CHILD SAs
 * (the kernel's counters are not read).
 */
#include <arpa/inet.h>
#include <string.h>

#include "ike.h"
#include "log.h"

/* RFC 3706 section 7: the last two bytes are the major and minor version */
const uint8_t ike_dpd_vid[IKE_DPD_VID_LEN] = {
	0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
	0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00,
};

#define DPD_BODY_LEN (8 + 2 * IKE_COOKIE_LEN + 4)

static const char *const action_name[] = {
	[DPD_CLEAR] = "clear", [DPD_RESTART] = "restart", [DPD_HOLD] = "hold",
};

void ike_dpd_put_vid(struct ike_wbuf *w)
{
	isakmp_pl(w, ISAKMP_NP_VID, ike_dpd_vid, sizeof(ike_dpd_vid));
}

void ike_dpd_peer_vid(struct ike_sa *sa, const struct ike_msg *m)
{
	int i;

	if (sa->dpd.peer)
		return;
	for (i = 0; i < m->n; i++)
		/* the version bytes may differ: the first 14 name DPD */
		if (m->pl[i].type == ISAKMP_NP_VID && m->pl[i].len == IKE_DPD_VID_LEN &&
		    !memcmp(m->pl[i].body, ike_dpd_vid, IKE_DPD_VID_LEN - 2)) {
			sa->dpd.peer = true;
			/* RFC 3706 section 5.5: a random first number (room left before it wraps) */
			ike_random(&sa->dpd.seq, sizeof(sa->dpd.seq));
			sa->dpd.seq &= 0x7fffffff;
			log_info("conn %s: peer supports DPD (RFC 3706 Vendor ID)", sa->conn->name);
			return;
		}
}

size_t ike_dpd_notify_body(uint8_t *out, size_t cap, uint16_t type, const uint8_t *icky,
			   const uint8_t *rcky, uint32_t seq)
{
	if (cap < DPD_BODY_LEN)
		return 0;
	memset(out, 0, 8);
	out[3] = IPSEC_DOI;
	out[4] = PROTO_ISAKMP;
	out[5] = 2 * IKE_COOKIE_LEN;
	out[6] = (uint8_t)(type >> 8);
	out[7] = (uint8_t)type;
	memcpy(out + 8, icky, IKE_COOKIE_LEN);
	memcpy(out + 8 + IKE_COOKIE_LEN, rcky, IKE_COOKIE_LEN);
	seq = htonl(seq);
	memcpy(out + 8 + 2 * IKE_COOKIE_LEN, &seq, 4);
	return DPD_BODY_LEN;
}

int ike_dpd_notify_parse(const uint8_t *body, size_t len, const uint8_t *icky,
			 const uint8_t *rcky, uint16_t *type, uint32_t *seq, const char **why)
{
	size_t spisz;

	if (len < 8) {
		*why = "truncated";
		return -1;
	}
	*type = ike_get16(body + 6);
	if (*type != N_DPD_R_U_THERE && *type != N_DPD_R_U_THERE_ACK)
		return 0;
	spisz = body[5];
	/* RFC 3706 section 5.3: SPI size 16, the cookies; none is tolerated (older peers) */
	if (spisz != 0 && spisz != 2 * IKE_COOKIE_LEN) {
		*why = "SPI size is neither 16 nor 0";
		return -1;
	}
	if (len != 8 + spisz + 4) {
		*why = "data is not a 32-bit sequence number";
		return -1;
	}
	if (spisz && (memcmp(body + 8, icky, IKE_COOKIE_LEN) ||
		      memcmp(body + 8 + IKE_COOKIE_LEN, rcky, IKE_COOKIE_LEN))) {
		*why = "its SPI is not this IKE SA's cookies";
		return -1;
	}
	*seq = ike_get32(body + 8 + spisz);
	return 1;
}

bool ike_dpd_ack_ok(const struct ike_dpd *s, uint32_t seq)
{
	/* numbers wrap: within first..seq counted from first */
	return s->pending && (uint32_t)(seq - s->first) <= (uint32_t)(s->seq - s->first);
}

static void send_notify(struct ike_sa *sa, uint16_t type, uint32_t seq)
{
	uint8_t body[DPD_BODY_LEN];
	size_t n = ike_dpd_notify_body(body, sizeof(body), type, sa->icky, sa->rcky, seq);

	if (ike_info_send(sa, ISAKMP_NP_N, body, n) < 0)
		log_warn("conn %s: DPD: building the %s failed", sa->conn->name,
			 type == N_DPD_R_U_THERE ? "R-U-THERE" : "R-U-THERE-ACK");
}

void ike_dpd_alive(struct ike_sa *sa)
{
	sa->dpd.last_rx = ike_now_ms();
	sa->dpd.pending = false;
}

void ike_dpd_input(struct ike_sa *sa, uint16_t type, uint32_t seq)
{
	struct ike_dpd *s = &sa->dpd;

	if (type == N_DPD_R_U_THERE) {
		/* the peer asking is alive too; answer whether or not we probe it */
		log_info("conn %s: DPD: R-U-THERE seq %u received, sending R-U-THERE-ACK",
			 sa->conn->name, seq);
		send_notify(sa, N_DPD_R_U_THERE_ACK, seq);
		ike_dpd_alive(sa);
		return;
	}
	if (!s->pending && s->sent && (uint32_t)(seq - s->first) <= (uint32_t)(s->seq - s->first)) {
		/* the peer's own R-U-THERE (or another message) overtook its ACKs */
		log_info("conn %s: DPD: R-U-THERE-ACK seq %u arrived after the peer proved alive "
			 "otherwise: nothing to do", sa->conn->name, seq);
		return;
	}
	if (!s->pending) {
		log_warn("conn %s: DPD: R-U-THERE-ACK seq %u but no R-U-THERE is outstanding: "
			 "ignored", sa->conn->name, seq);
		return;
	}
	if (!ike_dpd_ack_ok(s, seq)) {
		log_warn("conn %s: DPD: R-U-THERE-ACK seq %u answers none of ours (%u..%u): ignored",
			 sa->conn->name, seq, s->first, s->seq);
		return;
	}
	log_info("conn %s: DPD: R-U-THERE-ACK seq %u received: peer alive", sa->conn->name, seq);
	ike_dpd_alive(sa);
}

/* Is @sa the IKE SA that speaks for its connection (the newest, not being replaced)? */
static bool in_charge(const struct ike_sa *sa)
{
	const struct ike_sa *o;

	if (sa->state != P1_ESTABLISHED || sa->del_due)
		return false;
	for (o = sa->d->sas; o; o = o->next)
		if (o != sa && o->conn == sa->conn && o->state == P1_ESTABLISHED && !o->del_due &&
		    o->established_ms > sa->established_ms)
			return false;
	return true;
}

static bool active(const struct ike_sa *sa)
{
	return sa->conn->dpd_delay && sa->dpd.peer && in_charge(sa);
}

static void send_r_u_there(struct ike_sa *sa, uint64_t now)
{
	struct ike_dpd *s = &sa->dpd;

	s->seq++;
	if (!s->pending) {
		s->pending = true;
		s->first = s->seq;
		s->since = now;
		s->sent = 0;
	}
	s->sent++;
	s->next = now + (uint64_t)sa->conn->dpd_delay * 1000;
	log_info("conn %s: DPD: %s, sending R-U-THERE seq %u", sa->conn->name,
		 s->sent == 1 ? "peer idle" : "still no answer", s->seq);
	send_notify(sa, N_DPD_R_U_THERE, s->seq);
}

/*
 * Every IKE SA of the connection goes (CHILD SAs out of the kernel now, so a
 * route installed for hold does not meet their policies); the peer is not
 * told: it does not answer.
 */
static void peer_dead(struct ike_sa *sa)
{
	struct ike_daemon *d = sa->d;
	struct ike_conn *c = sa->conn;
	int ci = ike_conn_index(d, c), n = 0;
	char peer[KIPSEC_ADDR_STRLEN];
	struct ike_quick *q;
	struct ike_sa *o;

	for (o = d->sas; o; o = o->next) {
		if (o->conn != c || o->state == P1_DEAD)
			continue;
		for (q = o->qms; q; q = q->next) {
			n += q->state == QM_DONE;
			if (q->installed)
				ike_kernel_remove(q);
			q->state = QM_DEAD;
		}
		o->state = P1_DEAD;
	}
	log_warn("conn %s: DPD: peer %s is dead: no answer to %u R-U-THERE in %u s (dpd_timeout); "
		 "dpd_action = %s: IKE SA and %d CHILD SA%s deleted%s", c->name,
		 kipsec_addr_str(&c->remote, peer), sa->dpd.sent, c->dpd_timeout,
		 action_name[c->dpd_action], n, n == 1 ? "" : "s",
		 c->dpd_action == DPD_RESTART ? ", initiating again" :
		 c->dpd_action == DPD_HOLD ? ", traffic waits for a new negotiation (route)" :
		 c->start == START_ROUTE ? " (its routed policies stay)" : "");
	if (c->dpd_action == DPD_RESTART)
		ike_p1_initiate(d, c);
	else if (c->dpd_action == DPD_HOLD && c->start != START_ROUTE &&
		 ike_daemon_route(d, ci) < 0)
		log_warn("conn %s: DPD: dpd_action = hold could not route the connection",
			 c->name);
}

void ike_dpd_established(struct ike_sa *sa)
{
	const struct ike_conn *c = sa->conn;

	sa->dpd.last_rx = ike_now_ms();
	if (!c->dpd_delay)
		return;
	if (!sa->dpd.peer)
		log_info("conn %s: DPD: the peer did not announce it (no DPD Vendor ID): not "
			 "probing it (dpd_delay %u s ignored)", c->name, c->dpd_delay);
	else
		log_info("conn %s: DPD: R-U-THERE after %u s idle, peer dead after %u s without an "
			 "answer (dpd_action = %s)", c->name, c->dpd_delay, c->dpd_timeout,
			 action_name[c->dpd_action]);
}

uint64_t ike_dpd_due(const struct ike_sa *sa)
{
	const struct ike_dpd *s = &sa->dpd;
	uint64_t dead;

	if (!active(sa))
		return 0;
	if (!s->pending)
		return s->last_rx + (uint64_t)sa->conn->dpd_delay * 1000;
	dead = s->since + (uint64_t)sa->conn->dpd_timeout * 1000;
	return s->next < dead ? s->next : dead;
}

uint64_t ike_dpd_timer(struct ike_sa *sa, uint64_t now)
{
	struct ike_dpd *s = &sa->dpd;

	if (!active(sa))
		return 0;
	if (!s->last_rx)
		s->last_rx = sa->established_ms ? sa->established_ms : now;
	if (s->pending && now >= s->since + (uint64_t)sa->conn->dpd_timeout * 1000) {
		peer_dead(sa);
		return 0;
	}
	if ((!s->pending && now >= s->last_rx + (uint64_t)sa->conn->dpd_delay * 1000) ||
	    (s->pending && now >= s->next))
		send_r_u_there(sa, now);
	return ike_dpd_due(sa);
}
