// SPDX-License-Identifier: GPL-2.0
/* SIGHUP: the configuration read again and applied as a difference. */
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "ike.h"
#include "log.h"
#include "reload.h"

static bool addr_same(const struct kipsec_addr *a, const struct kipsec_addr *b)
{
	return a->family == b->family && a->len == b->len && a->len <= sizeof(a->bytes) &&
	       !memcmp(a->bytes, b->bytes, a->len);
}

static bool id_same(const struct ike_id *a, const struct ike_id *b)
{
	return a->type == b->type && a->len == b->len && a->len <= sizeof(a->data) &&
	       !memcmp(a->data, b->data, a->len);
}

bool ike_conn_same(const struct ike_conn *a, const struct ike_conn *b)
{
	int i;

	if (strcmp(a->name, b->name) || !addr_same(&a->local, &b->local) ||
	    !addr_same(&a->remote, &b->remote) || !id_same(&a->local_id, &b->local_id) ||
	    !id_same(&a->remote_id, &b->remote_id) || a->nike != b->nike || a->nesp != b->nesp ||
	    a->nah != b->nah ||
	    a->ike_lifetime != b->ike_lifetime || a->aggressive != b->aggressive ||
	    !ike_ts_same(&a->lts, &b->lts) || !ike_ts_same(&a->rts, &b->rts) ||
	    a->lts.range != b->lts.range || a->rts.range != b->rts.range || a->mode != b->mode ||
	    a->pfs != b->pfs || a->lifetime != b->lifetime || a->lifebytes != b->lifebytes ||
	    a->start != b->start ||
	    a->per_cpu != b->per_cpu || a->dpd_delay != b->dpd_delay ||
	    a->dpd_timeout != b->dpd_timeout || a->dpd_action != b->dpd_action ||
	    a->nat_traversal != b->nat_traversal || a->force_encap != b->force_encap ||
	    a->nat_keepalive != b->nat_keepalive ||
	    /* a positional reqid (both files silent) follows the connection */
	    ((a->reqid_set || b->reqid_set) && a->reqid != b->reqid) || a->psklen != b->psklen ||
	    a->psklen > sizeof(a->psk) || memcmp(a->psk, b->psk, a->psklen))
		return false;
	for (i = 0; i < a->nike && i < IKE_MAX_PROPS; i++)
		if (a->ike[i].enc != b->ike[i].enc || a->ike[i].keybits != b->ike[i].keybits ||
		    a->ike[i].hash != b->ike[i].hash || a->ike[i].group != b->ike[i].group)
			return false;
	for (i = 0; i < a->nesp && i < IKE_MAX_PROPS; i++)
		if (a->esp[i].esp != b->esp[i].esp || a->esp[i].keybits != b->esp[i].keybits ||
		    a->esp[i].auth != b->esp[i].auth)
			return false;
	for (i = 0; i < a->nah && i < IKE_MAX_PROPS; i++)
		if (a->ah[i].esp != b->ah[i].esp || a->ah[i].auth != b->ah[i].auth)
			return false;
	return true;
}

static bool reqid_used(const struct ike_config *cfg, int self, uint32_t reqid)
{
	int i;

	for (i = 0; i < cfg->nconns; i++)
		if (i != self && cfg->conns[i].reqid == reqid)
			return true;
	return false;
}

static bool is_kept(const int *keep, int nold, int j)
{
	int i;

	for (i = 0; i < nold; i++)
		if (keep[i] == j)
			return true;
	return false;
}

void ike_config_diff(const struct ike_config *old, struct ike_config *nw, int *keep)
{
	uint32_t max = 0;
	int i, j;

	for (i = 0; i < old->nconns; i++) {
		keep[i] = -1;
		for (j = 0; j < nw->nconns; j++)
			if (!strcmp(old->conns[i].name, nw->conns[j].name)) {
				if (ike_conn_same(&old->conns[i], &nw->conns[j])) {
					keep[i] = j;
					/* its SAs and policies carry the running reqid */
					nw->conns[j].reqid = old->conns[i].reqid;
				}
				break;
			}
	}
	for (j = 0; j < nw->nconns; j++)
		if (nw->conns[j].reqid > max)
			max = nw->conns[j].reqid;
	for (j = 0; j < nw->nconns; j++)
		if (!nw->conns[j].reqid_set && !is_kept(keep, old->nconns, j) &&
		    reqid_used(nw, j, nw->conns[j].reqid))
			nw->conns[j].reqid = ++max;
}

void ike_reload(struct ike_daemon *d)
{
	struct ike_config nw, old;
	struct ike_conn_state *cs;
	uint32_t *route_out;
	int *keep, *from;
	int i, j, nkept = 0, nchanged = 0, nremoved = 0, nadded = 0;
	struct ike_sa *sa;
	char err[512];

	log_info("SIGHUP: reading %s and %s again", d->config_path, d->secrets_path);
	if (ike_config_load(d->config_path, &nw, err, sizeof(err)) < 0) {
		log_err("reload refused: %s; the running configuration stays", err);
		return;
	}
	if (ike_secrets_load(d->secrets_path, &nw, err, sizeof(err)) < 0) {
		log_err("reload refused: %s; the running configuration stays", err);
		ike_config_free(&nw);
		return;
	}
	keep = calloc((size_t)d->cfg.nconns, sizeof(*keep));
	from = calloc((size_t)nw.nconns, sizeof(*from));
	cs = calloc((size_t)nw.nconns, sizeof(*cs));
	route_out = calloc((size_t)nw.nconns, sizeof(*route_out));
	if (!keep || !from || !cs || !route_out) {
		log_err("reload refused: out of memory; the running configuration stays");
		free(keep);
		free(from);
		free(cs);
		free(route_out);
		ike_config_free(&nw);
		return;
	}
	ike_config_diff(&d->cfg, &nw, keep);
	for (j = 0; j < nw.nconns; j++)
		from[j] = -1;
	/*
	 * Removed and changed connections go first, under the old
	 * configuration their SAs point into; the survivors then move to the
	 * new one, whose connections are started last.
	 */
	for (i = 0; i < d->cfg.nconns; i++) {
		const char *name = d->cfg.conns[i].name;

		if (keep[i] >= 0) {
			from[keep[i]] = i;
			nkept++;
			continue;
		}
		for (j = 0; j < nw.nconns && strcmp(nw.conns[j].name, name); j++)
			;
		if (j < nw.nconns) {
			log_info("conn %s: changed: bringing it down, then up with the new settings",
				 name);
			nchanged++;
		} else {
			log_info("conn %s: removed: bringing it down", name);
			nremoved++;
		}
		ike_conn_down(d, i);
		ike_kernel_unroute(d, i);
	}
	for (j = 0; j < nw.nconns; j++)
		if (from[j] >= 0) {
			cs[j] = d->cs[from[j]];
			route_out[j] = d->route_out[from[j]];
		}
	for (sa = d->sas; sa; sa = sa->next) {
		i = ike_conn_index(d, sa->conn);
		sa->conn = &nw.conns[keep[i]];
	}
	/* the half-open limit's log throttle is runtime state, not configuration */
	for (j = 0; j < nw.nconns; j++)
		if (from[j] >= 0) {
			nw.conns[j].half_open_dropped = d->cfg.conns[from[j]].half_open_dropped;
			nw.conns[j].half_open_logged = d->cfg.conns[from[j]].half_open_logged;
		}
	old = d->cfg;
	d->cfg = nw;
	ike_config_free(&old);
	free(d->cs);
	free(d->route_out);
	d->cs = cs;
	d->route_out = route_out;
	for (j = 0; j < nw.nconns; j++) {
		if (from[j] >= 0)
			continue;
		nadded++;
		if (ike_daemon_start_conn(d, j) < 0)
			log_err("conn %s: could not be started (see above); it stays loaded",
				d->cfg.conns[j].name);
	}
	nadded -= nchanged;
	log_info("reloaded: %d connection%s unchanged, %d changed, %d removed, %d added", nkept,
		 nkept == 1 ? "" : "s", nchanged, nremoved, nadded);
	free(keep);
	free(from);
}
