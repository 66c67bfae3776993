// SPDX-License-Identifier: GPL-2.0
/*
 * The control commands: list (IKE and CHILD SAs, never keys), conns, up and
 * down. "up" only starts the exchanges: their outcome is in the log and in
 * a later "list".
 */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "ike.h"
#include "log.h"

static const char *const p1_states[] = {
	[MM_I1] = "main-mode-i1", [MM_I2] = "main-mode-i2", [MM_I3] = "main-mode-i3",
	[MM_R1] = "main-mode-r1", [MM_R2] = "main-mode-r2", [AM_I1] = "aggressive-i1",
	[AM_R1] = "aggressive-r1", [P1_ESTABLISHED] = "established", [P1_DEAD] = "dead",
};

static const char *const qm_states[] = {
	[QM_I1] = "quick-mode-i1", [QM_R1] = "quick-mode-r1", [QM_DONE] = "installed",
	[QM_DEAD] = "dead",
};

static void hex(const uint8_t *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

/* A CHILD SA's proposal: "aes128-sha256" (ESP), "ah-sha256" (AH only). */
static const char *child_prop(const struct ike_quick *q, char *buf, size_t len)
{
	char ah[16];

	if (q->proto != PROTO_IPSEC_AH)
		return p2_name(&q->prop, buf, len);
	snprintf(buf, len, "ah-%s", ah_name(&q->prop, ah, sizeof(ah)));
	return buf;
}

/* A bundle's AH pair after its ESP proposal: " ah-in 0x... ah-out 0x... ah-sha256". */
static const char *child_ah(const struct ike_quick *q, char *buf, size_t len)
{
	char ah[16];

	if (!q->bundle)
		return "";
	snprintf(buf, len, " ah-in 0x%08x ah-out 0x%08x ah-%s", q->ah_spi_in, q->ah_spi_out,
		 ah_name(&q->ah_prop, ah, sizeof(ah)));
	return buf;
}

static void list_sa(struct ike_ctl_out *o, const struct ike_sa *sa, uint64_t now)
{
	char peer[KIPSEC_ADDR_STRLEN], ic[2 * IKE_COOKIE_LEN + 1], rc[2 * IKE_COOKIE_LEN + 1];
	char pname[64], ahname[80];
	struct kipsec_addr a;
	const struct ike_quick *q;

	ike_addr_of(&sa->peer, &a);
	kipsec_addr_str(&a, peer);
	hex(sa->icky, IKE_COOKIE_LEN, ic);
	hex(sa->rcky, IKE_COOKIE_LEN, rc);
	if (sa->state == P1_ESTABLISHED)
		ike_ctl_printf(o, "= ike %s %s %s peer %s cookies %s:%s %s age %llus lifetime %llus%s\n",
			       sa->conn->name, sa->initiator ? "initiator" : "responder",
			       p1_states[sa->state], peer, ic, rc,
			       p1_name(&sa->chosen, pname, sizeof(pname)),
			       (unsigned long long)((now - sa->established_ms) / 1000),
			       (unsigned long long)((sa->expire_due - sa->established_ms) / 1000),
			       sa->del_due ? " (replaced: deleted soon)" : "");
	else
		ike_ctl_printf(o, "= ike %s %s %s peer %s cookies %s:%s\n", sa->conn->name,
			       sa->initiator ? "initiator" : "responder", p1_states[sa->state],
			       peer, ic, rc);
	for (q = sa->qms; q; q = q->next) {
		if (q->state != QM_DONE) {
			ike_ctl_printf(o, "= child %s %s in 0x%08x\n", sa->conn->name,
				       qm_states[q->state], q->spi_in);
			continue;
		}
		ike_ctl_printf(o, "= child %s %s in 0x%08x out 0x%08x %s%s %s age %llus lifetime %us%s%s\n",
			       sa->conn->name, qm_states[q->state], q->spi_in, q->spi_out,
			       child_prop(q, pname, sizeof(pname)), child_ah(q, ahname, sizeof(ahname)),
			       sa->conn->mode == ENCAP_TRANSPORT ? "transport" : "tunnel",
			       (unsigned long long)(q->installed_ms ? (now - q->installed_ms) / 1000 : 0),
			       q->life_secs, q->out_installed ? "" : " (outbound pending)",
			       q->del_due ? " (replaced: deleted soon)" : "");
	}
}

static void list(struct ike_daemon *d, struct ike_ctl_out *o)
{
	uint64_t now = ike_now_ms();
	const struct ike_sa *sa;
	int i, n = 0;

	/* in the configuration's order, so that a connection's SAs stay together */
	for (i = 0; i < d->cfg.nconns; i++)
		for (sa = d->sas; sa; sa = sa->next)
			if (sa->conn == &d->cfg.conns[i] && sa->state != P1_DEAD) {
				list_sa(o, sa, now);
				n++;
			}
	ike_ctl_printf(o, "ok %d IKE SA%s\n", n, n == 1 ? "" : "s");
}

static const char *start_name(enum start_action s)
{
	return s == START_START ? "start" : s == START_ROUTE ? "route" : "add";
}

static void conns(struct ike_daemon *d, struct ike_ctl_out *o)
{
	char l[KIPSEC_ADDR_STRLEN], r[KIPSEC_ADDR_STRLEN], lt[IKE_TS_TEXT];
	char rt[IKE_TS_TEXT], p1[64], p2[64], ah[16];
	struct ike_transform t;
	int i;

	for (i = 0; i < d->cfg.nconns; i++) {
		const struct ike_conn *c = &d->cfg.conns[i];
		const struct ike_sa *sa;
		const struct ike_quick *q;
		int nike = 0, nchild = 0;

		for (sa = d->sas; sa; sa = sa->next) {
			if (sa->conn != c || sa->state == P1_DEAD)
				continue;
			nike++;
			for (q = sa->qms; q; q = q->next)
				nchild += q->state == QM_DONE;
		}
		p1_to_transform(&c->ike[0], c->ike_lifetime, 1, &t);
		ike_ctl_printf(o, "= conn %s %s -> %s ts %s <-> %s %s start_action %s ike %s%s "
			       "esp %s%s%s%s%s reqid %u ike_sas %d child_sas %d\n", c->name,
			       kipsec_addr_str(&c->local, l), kipsec_addr_str(&c->remote, r),
			       ike_ts_str(&c->lts, lt, sizeof(lt)), ike_ts_str(&c->rts, rt, sizeof(rt)),
			       c->mode == ENCAP_TRANSPORT ? "transport" : "tunnel",
			       start_name(c->start), p1_name(&t, p1, sizeof(p1)),
			       c->nike > 1 ? ",..." : "",
			       c->nesp ? p2_name(&c->esp[0], p2, sizeof(p2)) : "none",
			       c->nesp > 1 ? ",..." : "", c->nah ? " ah " : "",
			       c->nah ? ah_name(&c->ah[0], ah, sizeof(ah)) : "",
			       c->nah > 1 ? ",..." : "", c->reqid, nike, nchild);
	}
	ike_ctl_printf(o, "ok %d connection%s\n", d->cfg.nconns, d->cfg.nconns == 1 ? "" : "s");
}

void ike_conn_down(struct ike_daemon *d, int ci)
{
	const struct ike_conn *c = &d->cfg.conns[ci];
	struct ike_sa *sa;

again:
	for (sa = d->sas; sa; sa = sa->next) {
		if (sa->conn != c)
			continue;
		/*
		 * Delete for the CHILD SAs and the IKE SA while the keys exist;
		 * freeing removes the kernel's SAs (and the policies they own).
		 */
		if (sa->state == P1_ESTABLISHED)
			ike_info_delete_all(sa);
		ike_sa_free(sa);
		goto again;	/* the list changed under us */
	}
}

static void up(struct ike_daemon *d, struct ike_conn *c, struct ike_ctl_out *o)
{
	struct ike_sa *sa, *est = NULL;
	struct ike_quick *q;

	for (sa = d->sas; sa; sa = sa->next) {
		if (sa->conn != c || sa->state == P1_DEAD)
			continue;
		if (sa->state != P1_ESTABLISHED) {
			ike_ctl_printf(o, "ok conn %s: phase 1 already under way\n", c->name);
			return;
		}
		if (!sa->del_due)
			est = sa;
		for (q = sa->qms; q; q = q->next) {
			if (q->state == QM_DONE && q->installed && !q->del_due) {
				ike_ctl_printf(o, "ok conn %s: already up (CHILD SA 0x%08x/0x%08x)\n",
					       c->name, q->spi_in, q->spi_out);
				return;
			}
			if (q->state == QM_I1 || q->state == QM_R1) {
				ike_ctl_printf(o, "ok conn %s: Quick Mode already under way\n",
					       c->name);
				return;
			}
		}
	}
	log_info("conn %s: up asked on the control socket", c->name);
	if (est) {
		q = ike_qm_initiate(est);
		if (!q || q->state == QM_DEAD) {
			ike_ctl_printf(o, "error: conn %s: cannot start Quick Mode (see the log)\n",
				       c->name);
			return;
		}
		ike_ctl_printf(o, "ok conn %s: IKE SA up: initiating Quick Mode\n", c->name);
		return;
	}
	if (!ike_p1_initiate(d, c)) {
		ike_ctl_printf(o, "error: conn %s: cannot start Main Mode (see the log)\n", c->name);
		return;
	}
	ike_ctl_printf(o, "ok conn %s: initiating %s Mode, then Quick Mode\n", c->name,
		       c->aggressive ? "Aggressive" : "Main");
}

static void down(struct ike_daemon *d, int ci, struct ike_ctl_out *o)
{
	const struct ike_conn *c = &d->cfg.conns[ci];
	const struct ike_sa *sa;
	const struct ike_quick *q;
	int nike = 0, nchild = 0;

	for (sa = d->sas; sa; sa = sa->next) {
		if (sa->conn != c)
			continue;
		nike++;
		for (q = sa->qms; q; q = q->next)
			nchild += q->state == QM_DONE;
	}
	if (!nike) {
		ike_ctl_printf(o, "ok conn %s: no SA: nothing to do\n", c->name);
		return;
	}
	log_info("conn %s: down asked on the control socket: deleting %d IKE SA%s and %d CHILD "
		 "SA%s", c->name, nike, nike == 1 ? "" : "s", nchild, nchild == 1 ? "" : "s");
	ike_conn_down(d, ci);
	ike_ctl_printf(o, "ok conn %s: deleted %d IKE SA%s and %d CHILD SA%s%s\n", c->name, nike,
		       nike == 1 ? "" : "s", nchild, nchild == 1 ? "" : "s",
		       c->start == START_ROUTE ? " (routed: its policies stay)" : "");
}

void ike_ctl_exec(struct ike_daemon *d, const struct ike_ctl_req *req, struct ike_ctl_out *o)
{
	int i;

	if (req->cmd == CTL_LIST) {
		list(d, o);
		return;
	}
	if (req->cmd == CTL_CONNS) {
		conns(d, o);
		return;
	}
	for (i = 0; i < d->cfg.nconns; i++)
		if (!strcmp(d->cfg.conns[i].name, req->conn))
			break;
	if (i == d->cfg.nconns) {
		log_warn("control: %s %s refused: no such connection", req->cmd == CTL_UP ? "up" :
			 "down", req->conn);
		ike_ctl_printf(o, "error: unknown connection \"%s\"\n", req->conn);
		return;
	}
	if (req->cmd == CTL_UP)
		up(d, &d->cfg.conns[i], o);
	else
		down(d, i, o);
}
