// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel side of a negotiated CHILD SA: the inbound and outbound ESP
 * SAs and the out/in protect policies in kipsec, through its genl family;
 * and the bypass policies that keep IKE's own UDP traffic in the clear.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/kipsec.h>

#include <openssl/crypto.h>

#include "../tools/nl_names.h"
#include "ike.h"
#include "log.h"

#define PRIO_BYPASS	1
#define PRIO_PROTECT	100
#define REPLAY_WINDOW	64

static int index_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == KIPSEC_A_POLICY_INDEX &&
		    mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			*(uint32_t *)data = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static int talk(struct ike_daemon *d, struct nlmsghdr *nlh, uint32_t *index, const char *what,
		const char *const *names, int nnames)
{
	struct kipsec_nl_error err;

	if (kipsec_nl_talk(&d->nl, nlh, index ? index_cb : NULL, index, &err) == 0)
		return 0;
	log_err("kernel refused %s: %s%s%s (attribute %s)", what, strerror(err.error),
		err.msg[0] ? ": " : "", err.msg,
		err.attr >= 0 && err.attr < nnames && names[err.attr] ? names[err.attr] : "-");
	return -1;
}

/*
 * Which kernel SA of @q: its main pair (ESP, or AH alone) or, with @ah, a
 * bundle's AH pair. A tunnel-mode bundle is ESP in tunnel mode inside AH in
 * transport mode between the same gateways (tests/vm/t/bundle.sh).
 */
static uint32_t sa_proto(const struct ike_quick *q, bool ah)
{
	return ah || q->proto == PROTO_IPSEC_AH ? IPPROTO_AH : IPPROTO_ESP;
}

static uint32_t sa_spi(const struct ike_quick *q, bool in, bool ah)
{
	if (ah)
		return in ? q->ah_spi_in : q->ah_spi_out;
	return in ? q->spi_in : q->spi_out;
}

static uint32_t sa_mode(const struct ike_quick *q, bool ah)
{
	return q->sa->conn->mode == ENCAP_TUNNEL && !ah ? KIPSEC_MODE_TUNNEL :
							 KIPSEC_MODE_TRANSPORT;
}

static int sa_add(struct ike_quick *q, bool in, bool ah, const uint8_t *key,
		  const struct esp_kalg *k)
{
	const struct ike_conn *c = q->sa->conn;
	const struct kipsec_addr *src = in ? &c->remote : &c->local;
	const struct kipsec_addr *dst = in ? &c->local : &c->remote;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int ret;

	nlh = kipsec_nl_request(&q->sa->d->nl, buf, KIPSEC_CMD_SA_ADD, 0);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_FAMILY, c->local.family);
	mnl_attr_put(nlh, KIPSEC_A_SA_DADDR, dst->len, dst->bytes);
	mnl_attr_put(nlh, KIPSEC_A_SA_SADDR, src->len, src->bytes);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_SPI, sa_spi(q, in, ah));
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_PROTO, sa_proto(q, ah));
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_MODE, sa_mode(q, ah));
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_REQID, c->reqid);
	if (k->aead) {
		mnl_attr_put_strz(nlh, KIPSEC_A_SA_AEAD_ALG, k->aead);
		mnl_attr_put(nlh, KIPSEC_A_SA_AEAD_KEY, k->enc_keylen, key);
	} else {
		/* AH (no k->enc) authenticates only: its key is all integrity key */
		if (k->enc) {
			mnl_attr_put_strz(nlh, KIPSEC_A_SA_ENC_ALG, k->enc);
			mnl_attr_put(nlh, KIPSEC_A_SA_ENC_KEY, k->enc_keylen, key);
		}
		mnl_attr_put_strz(nlh, KIPSEC_A_SA_AUTH_ALG, k->auth);
		mnl_attr_put(nlh, KIPSEC_A_SA_AUTH_KEY, k->auth_keylen, key + k->enc_keylen);
	}
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_ICV_LEN, k->icv_len);
	/*
	 * IPv4 AH padded to 32 bits (RFC 4302 3.3.3.2.1's minimum): strongSwan's
	 * xfrm SAs (XFRM_STATE_ALIGN4) take no other length; kipsec takes both.
	 */
	if (sa_proto(q, ah) == IPPROTO_AH && c->local.family == AF_INET)
		mnl_attr_put(nlh, KIPSEC_A_SA_AH_ALIGN4, 0, NULL);
	if (!in && q->has_cpu)
		mnl_attr_put_u32(nlh, KIPSEC_A_SA_CPU, q->cpu);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_REPLAY_WINDOW, in ? REPLAY_WINDOW : 0);
	if (q->encap) {
		/* NAT traversal: our NAT-T port <-> the peer's as its NAT shows it */
		uint16_t ours = q->sa->d->natt_port, theirs = q->encap_peer_port;

		mnl_attr_put_u32(nlh, KIPSEC_A_SA_ENCAP_SPORT, in ? theirs : ours);
		mnl_attr_put_u32(nlh, KIPSEC_A_SA_ENCAP_DPORT, in ? ours : theirs);
	}
	nest = mnl_attr_nest_start(nlh, KIPSEC_A_SA_LIFETIME);
	if (q->soft_secs)
		mnl_attr_put_u64(nlh, KIPSEC_A_LIFETIME_SOFT_ADD_SECS, q->soft_secs);
	mnl_attr_put_u64(nlh, KIPSEC_A_LIFETIME_HARD_ADD_SECS, q->life_secs);
	if (q->soft_bytes)
		mnl_attr_put_u64(nlh, KIPSEC_A_LIFETIME_SOFT_BYTES, q->soft_bytes);
	if (q->life_bytes)
		mnl_attr_put_u64(nlh, KIPSEC_A_LIFETIME_HARD_BYTES, q->life_bytes);
	mnl_attr_nest_end(nlh, nest);
	ret = talk(q->sa->d, nlh, NULL,
		   ah ? (in ? "the inbound AH SA" : "the outbound AH SA") :
			(in ? "the inbound SA" : "the outbound SA"),
		   kipsec_sa_attr_names, KIPSEC_A_SA_MAX + 1);
	OPENSSL_cleanse(buf, sizeof(buf));
	return ret;
}

static void sa_del(struct ike_quick *q, bool in, bool ah)
{
	const struct ike_conn *c = q->sa->conn;
	const struct kipsec_addr *dst = in ? &c->local : &c->remote;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = kipsec_nl_request(&q->sa->d->nl, buf, KIPSEC_CMD_SA_DEL, 0);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_FAMILY, c->local.family);
	mnl_attr_put(nlh, KIPSEC_A_SA_DADDR, dst->len, dst->bytes);
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_SPI, sa_spi(q, in, ah));
	mnl_attr_put_u32(nlh, KIPSEC_A_SA_PROTO, sa_proto(q, ah));
	talk(q->sa->d, nlh, NULL, "deleting an SA", kipsec_sa_attr_names, KIPSEC_A_SA_MAX + 1);
}

/* The selector from @s to @dd; a port of 0 is any, as in the proxy ID. */
static void put_selector(struct nlmsghdr *nlh, const struct ike_ts *s, const struct ike_ts *dd)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY_SELECTOR);

	mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_FAMILY, s->addr.family);
	mnl_attr_put(nlh, KIPSEC_A_SELECTOR_SADDR, s->addr.len, s->addr.bytes);
	mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_SPREFIX, s->plen);
	mnl_attr_put(nlh, KIPSEC_A_SELECTOR_DADDR, dd->addr.len, dd->addr.bytes);
	mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_DPREFIX, dd->plen);
	if (s->proto)
		mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_PROTO, s->proto);
	if (s->port) {
		mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_SPORT_MIN, s->port);
		mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_SPORT_MAX, s->port);
	}
	if (dd->port) {
		mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_DPORT_MIN, dd->port);
		mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_DPORT_MAX, dd->port);
	}
	mnl_attr_nest_end(nlh, nest);
}

static void put_tmpl(struct nlmsghdr *nlh, const struct ike_conn *c, bool in, uint32_t proto,
		     uint16_t mode)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY_TMPL);

	if (mode == ENCAP_TUNNEL) {
		const struct kipsec_addr *s = in ? &c->remote : &c->local;
		const struct kipsec_addr *dd = in ? &c->local : &c->remote;

		mnl_attr_put_u32(nlh, KIPSEC_A_TMPL_FAMILY, s->family);
		mnl_attr_put(nlh, KIPSEC_A_TMPL_SADDR, s->len, s->bytes);
		mnl_attr_put(nlh, KIPSEC_A_TMPL_DADDR, dd->len, dd->bytes);
	}
	mnl_attr_put_u32(nlh, KIPSEC_A_TMPL_PROTO, proto);
	mnl_attr_put_u32(nlh, KIPSEC_A_TMPL_MODE,
			 mode == ENCAP_TUNNEL ? KIPSEC_MODE_TUNNEL : KIPSEC_MODE_TRANSPORT);
	mnl_attr_put_u32(nlh, KIPSEC_A_TMPL_REQID, c->reqid);
	if (!in && c->per_cpu)
		mnl_attr_put(nlh, KIPSEC_A_TMPL_PER_CPU, 0, NULL);
	mnl_attr_nest_end(nlh, nest);
}

static int policy_add(struct ike_daemon *d, const struct ike_conn *c, bool in, uint32_t *index)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = kipsec_nl_request(&d->nl, buf, KIPSEC_CMD_POLICY_ADD, 0);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_DIR, in ? KIPSEC_DIR_IN : KIPSEC_DIR_OUT);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_PRIORITY, PRIO_PROTECT);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_ACTION, KIPSEC_ACTION_PROTECT);
	if (in)
		put_selector(nlh, &c->rts, &c->lts);
	else
		put_selector(nlh, &c->lts, &c->rts);
	/* templates innermost first: ESP, then a bundle's AH around it */
	if (c->nesp)
		put_tmpl(nlh, c, in, IPPROTO_ESP, c->mode);
	if (c->nah)
		put_tmpl(nlh, c, in, IPPROTO_AH, c->nesp ? ENCAP_TRANSPORT : c->mode);
	return talk(d, nlh, index, in ? "the inbound policy" : "the outbound policy",
		    kipsec_policy_attr_names, KIPSEC_A_POLICY_MAX + 1);
}

static void policy_del(struct ike_daemon *d, uint32_t index)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = kipsec_nl_request(&d->nl, buf, KIPSEC_CMD_POLICY_DEL, 0);
	mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_INDEX, index);
	talk(d, nlh, NULL, "deleting a policy", kipsec_policy_attr_names, KIPSEC_A_POLICY_MAX + 1);
}

/*
 * The kernel holds one pair of protect policies per connection, owned by
 * one of its CHILD SAs: a newer CHILD SA (same reqid) is found through the
 * policies already there, and inherits them when the owner goes.
 */
static struct ike_quick *sibling(struct ike_quick *self, bool owner)
{
	struct ike_sa *sa;
	struct ike_quick *q;

	for (sa = self->sa->d->sas; sa; sa = sa->next)
		for (q = sa->qms; q; q = q->next)
			if (q != self && q->installed && q->sa->conn == self->sa->conn &&
			    (!owner || q->pol_out))
				return q;
	return NULL;
}

/* Does the connection own its policies (start_action=route)? */
static bool routed(const struct ike_quick *q)
{
	const struct ike_daemon *d = q->sa->d;

	return d->cs && d->cs[ike_conn_index(d, q->sa->conn)].pol_out;
}

int ike_kernel_kalg(const struct ike_quick *q, struct esp_kalg *k)
{
	return q->proto == PROTO_IPSEC_AH ? ah_kalg(&q->prop, k) : p2_kalg(&q->prop, k);
}

/* The outbound SA (and a bundle's outbound AH SA); undone on failure. */
static int add_out(struct ike_quick *q, const struct esp_kalg *k, const struct esp_kalg *ak,
		   const uint8_t *key_out, const uint8_t *ah_out)
{
	if (sa_add(q, false, false, key_out, k) < 0)
		return -1;
	if (q->bundle && sa_add(q, false, true, ah_out, ak) < 0) {
		sa_del(q, false, false);
		return -1;
	}
	return 0;
}

int ike_kernel_install(struct ike_quick *q, const uint8_t *key_in, const uint8_t *key_out,
		       size_t keylen, const uint8_t *ah_in, const uint8_t *ah_out)
{
	struct ike_daemon *d = q->sa->d;
	struct esp_kalg k, ak;
	(void)keylen;

	if (ike_kernel_kalg(q, &k) < 0 || (q->bundle && ah_kalg(&q->ah_prop, &ak) < 0))
		return -1;
	if (d->no_kernel) {
		q->out_installed = key_out != NULL;
		return 0;
	}
	if (sa_add(q, true, false, key_in, &k) < 0)
		return -1;
	if (q->bundle && sa_add(q, true, true, ah_in, &ak) < 0)
		goto err_in;
	if (key_out) {
		if (add_out(q, &k, &ak, key_out, ah_out) < 0)
			goto err_in_ah;
		q->out_installed = true;
	}
	if (routed(q) || sibling(q, true))
		return 0;
	if (policy_add(d, q->sa->conn, false, &q->pol_out) < 0)
		goto err_out;
	if (policy_add(d, q->sa->conn, true, &q->pol_in) < 0)
		goto err_pol;
	return 0;
err_pol:
	policy_del(d, q->pol_out);
	q->pol_out = 0;
err_out:
	if (q->out_installed) {
		sa_del(q, false, false);
		if (q->bundle)
			sa_del(q, false, true);
	}
	q->out_installed = false;
err_in_ah:
	if (q->bundle)
		sa_del(q, true, true);
err_in:
	sa_del(q, true, false);
	return -1;
}

int ike_kernel_install_out(struct ike_quick *q, const uint8_t *key_out, const uint8_t *ah_out)
{
	struct esp_kalg k, ak;

	if (ike_kernel_kalg(q, &k) < 0 || (q->bundle && ah_kalg(&q->ah_prop, &ak) < 0))
		return -1;
	if (!q->sa->d->no_kernel && add_out(q, &k, &ak, key_out, ah_out) < 0)
		return -1;
	q->out_installed = true;
	return 0;
}

void ike_kernel_remove(struct ike_quick *q)
{
	struct ike_quick *heir = sibling(q, false);

	if (q->sa->d->no_kernel)
		return;
	if (q->pol_out && heir) {
		/* another CHILD SA of the connection keeps the policies */
		heir->pol_out = q->pol_out;
		heir->pol_in = q->pol_in;
	} else if (q->pol_out) {
		policy_del(q->sa->d, q->pol_out);
		policy_del(q->sa->d, q->pol_in);
	}
	q->pol_out = q->pol_in = 0;
	if (q->out_installed && !q->out_gone)
		sa_del(q, false, false);
	if (q->bundle && q->out_installed && !q->ah_out_gone)
		sa_del(q, false, true);
	if (!q->in_gone)
		sa_del(q, true, false);
	if (q->bundle && !q->ah_in_gone)
		sa_del(q, true, true);
	q->installed = q->out_installed = false;
}

int ike_kernel_route(struct ike_daemon *d, int ci)
{
	const struct ike_conn *c = &d->cfg.conns[ci];
	struct ike_conn_state *cs = &d->cs[ci];

	if (d->no_kernel)
		return 0;
	if (policy_add(d, c, false, &cs->pol_out) < 0)
		return -1;
	if (policy_add(d, c, true, &cs->pol_in) < 0) {
		policy_del(d, cs->pol_out);
		cs->pol_out = 0;
		return -1;
	}
	d->route_out[ci] = cs->pol_out;
	return 0;
}

void ike_kernel_unroute(struct ike_daemon *d, int ci)
{
	struct ike_conn_state *cs = &d->cs[ci];

	if (cs->pol_out)
		policy_del(d, cs->pol_out);
	if (cs->pol_in)
		policy_del(d, cs->pol_in);
	cs->pol_out = cs->pol_in = 0;
	d->route_out[ci] = 0;
}

int ike_kernel_bypass(struct ike_daemon *d, uint32_t family, uint16_t port, uint32_t *index)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int dir;

	if (d->no_kernel)
		return 0;
	for (dir = 0; dir < 2; dir++) {
		nlh = kipsec_nl_request(&d->nl, buf, KIPSEC_CMD_POLICY_ADD, 0);
		mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_DIR, dir ? KIPSEC_DIR_IN : KIPSEC_DIR_OUT);
		mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_PRIORITY, PRIO_BYPASS);
		mnl_attr_put_u32(nlh, KIPSEC_A_POLICY_ACTION, KIPSEC_ACTION_BYPASS);
		nest = mnl_attr_nest_start(nlh, KIPSEC_A_POLICY_SELECTOR);
		mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_FAMILY, family);
		mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_PROTO, IPPROTO_UDP);
		if (dir) {
			mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_DPORT_MIN, port);
			mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_DPORT_MAX, port);
		} else {
			mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_SPORT_MIN, port);
			mnl_attr_put_u32(nlh, KIPSEC_A_SELECTOR_SPORT_MAX, port);
		}
		mnl_attr_nest_end(nlh, nest);
		if (talk(d, nlh, &index[dir], "the IKE bypass policy", kipsec_policy_attr_names,
			 KIPSEC_A_POLICY_MAX + 1) < 0)
			return -1;
	}
	return 0;
}

void ike_kernel_unbypass(struct ike_daemon *d, const uint32_t *index)
{
	if (index[0])
		policy_del(d, index[0]);
	if (index[1])
		policy_del(d, index[1]);
}
