// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's loop: UDP sockets on the IKE port, dispatch of each
 * datagram to the exchange it belongs to, retransmission with exponential
 * backoff and a limit, expiry of exchanges that stall.
 */
#define _GNU_SOURCE	/* struct in6_pktinfo */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/kipsec.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "ctl.h"
#include "events.h"
#include "ike.h"
#include "log.h"
#include "reload.h"

#define EXCHANGE_TIMEOUT_MS 30000	/* a responder's half-open SA lives this long */
#define P1_SETTLE_MS 1000		/* a replaced IKE SA is deleted this long after */

uint64_t ike_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void ike_random(void *p, size_t n)
{
	if (RAND_bytes(p, (int)n) != 1) {
		log_err("libcrypto's RAND_bytes failed");
		abort();
	}
}

void ike_digest(const uint8_t *buf, size_t len, uint8_t *out)
{
	struct iovec v = { (void *)buf, len };

	if (ike_hash(IKE_HASH_SHA2_256, &v, 1, out) < 0)
		memset(out, 0, 32);
}

static int fd_for(struct ike_daemon *d, const struct sockaddr_storage *to, bool natt)
{
	if (natt)
		return to->ss_family == AF_INET6 ? d->nfd6 : d->nfd4;
	return to->ss_family == AF_INET6 ? d->fd6 : d->fd4;
}

uint16_t ike_port_of(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return 0;
}

/* Ask for the source address @from: an IP_PKTINFO / IPV6_PKTINFO cmsg in @buf. */
static void put_pktinfo(struct msghdr *msg, struct cmsghdr *c, const struct kipsec_addr *from)
{
	struct in6_pktinfo pi6 = { 0 };
	struct in_pktinfo pi4 = { 0 };
	bool v6 = from->family == AF_INET6;
	size_t len = v6 ? sizeof(pi6) : sizeof(pi4);

	if (v6)
		memcpy(&pi6.ipi6_addr, from->bytes, 16);
	else
		memcpy(&pi4.ipi_spec_dst, from->bytes, 4);
	memset(c, 0, CMSG_SPACE(len));
	msg->msg_control = c;
	msg->msg_controllen = CMSG_SPACE(len);
	c->cmsg_level = v6 ? IPPROTO_IPV6 : IPPROTO_IP;
	c->cmsg_type = v6 ? IPV6_PKTINFO : IP_PKTINFO;
	c->cmsg_len = CMSG_LEN(len);
	memcpy(CMSG_DATA(c), v6 ? (void *)&pi6 : (void *)&pi4, len);
}

void ike_xmit(struct ike_daemon *d, bool natt, const struct kipsec_addr *from,
	      const struct sockaddr_storage *to, socklen_t tolen, const uint8_t *buf, size_t len)
{
	static const uint8_t marker[NATT_MARKER_LEN];
	union {
		struct cmsghdr h;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} ctl;
	struct iovec iov[2] = { { (void *)marker, NATT_MARKER_LEN }, { (void *)buf, len } };
	/* on the NAT-T port the non-ESP marker tells IKE from ESP (RFC 3948 2.2) */
	struct msghdr msg = { .msg_name = (void *)to, .msg_namelen = tolen,
			      .msg_iov = natt ? iov : iov + 1, .msg_iovlen = natt ? 2 : 1 };
	int fd = fd_for(d, to, natt);

	/*
	 * The sockets are bound to the wildcard address: name the connection's
	 * local address as the source, or a host with several addresses would
	 * send from whichever the route prefers and the peer would match the
	 * message to another connection (or to none).
	 */
	if (from && from->family == to->ss_family)
		put_pktinfo(&msg, &ctl.h, from);
	if (fd < 0 || sendmsg(fd, &msg, 0) < 0)
		log_warn("sending %zu bytes failed: %s", len, fd < 0 ? "no socket" : strerror(errno));
}

void ike_send(struct ike_sa *sa, struct ike_xmit *x, bool retransmit)
{
	x->expire_only = false;
	if (retransmit) {
		x->tries = 1;
		x->due = ike_now_ms() + (uint64_t)sa->d->retx_ms;
	} else if (x == &sa->x && sa->state != P1_ESTABLISHED) {
		x->expire_only = true;
		x->due = ike_now_ms() + EXCHANGE_TIMEOUT_MS;
	} else {
		x->due = 0;
	}
	ike_xmit_sa(sa, x->buf, x->len);
}

void ike_xmit_sa(struct ike_sa *sa, const uint8_t *buf, size_t len)
{
	ike_xmit(sa->d, sa->floated, &sa->conn->local, &sa->peer, sa->peerlen, buf, len);
}

void ike_send_notify_plain(struct ike_daemon *d, const struct sockaddr_storage *to,
			   socklen_t tolen, const uint8_t *icky, const uint8_t *rcky, uint16_t type)
{
	uint8_t buf[128];
	struct ike_wbuf w;
	uint32_t msgid;

	ike_random(&msgid, sizeof(msgid));
	isakmp_begin(&w, buf, sizeof(buf), icky, rcky, ISAKMP_EXCH_INFO, 0, msgid);
	isakmp_pl_open(&w, ISAKMP_NP_N);
	isakmp_put32(&w, IPSEC_DOI);
	isakmp_put8(&w, PROTO_ISAKMP);
	isakmp_put8(&w, 0);
	isakmp_put16(&w, type);
	isakmp_pl_close(&w);
	if (isakmp_finish(&w))
		ike_xmit(d, d->rx_natt, NULL, to, tolen, buf, w.len);
}

void ike_sa_free(struct ike_sa *sa)
{
	struct ike_sa **pp;

	for (pp = &sa->d->sas; *pp; pp = &(*pp)->next)
		if (*pp == sa) {
			*pp = sa->next;
			break;
		}
	while (sa->qms) {
		struct ike_quick *q = sa->qms;

		sa->qms = q->next;
		ike_qm_free(q);
	}
	ike_dh_free(sa->dh);
	if (sa->sai_b)
		OPENSSL_cleanse(sa->sai_b, sa->sai_len);
	free(sa->sai_b);
	OPENSSL_cleanse(sa, sizeof(*sa));
	free(sa);
}

static struct ike_sa *lookup(struct ike_daemon *d, const struct ike_msg *m)
{
	static const uint8_t zero[IKE_COOKIE_LEN];
	struct ike_sa *sa;

	for (sa = d->sas; sa; sa = sa->next) {
		if (memcmp(sa->icky, m->icookie, IKE_COOKIE_LEN))
			continue;
		if (!memcmp(sa->rcky, m->rcookie, IKE_COOKIE_LEN))
			return sa;
		/* the responder's first answer brings its cookie */
		if (sa->initiator && (sa->state == MM_I1 || sa->state == AM_I1) && !memcmp(sa->rcky, zero, IKE_COOKIE_LEN))
			return sa;
	}
	return NULL;
}

/* A cleartext notification (answer to a first message): log it, stop waiting. */
static void plain_info(struct ike_sa *sa, uint8_t *buf, size_t len, const struct ike_msg *hdr)
{
	struct ike_msg m = *hdr;
	const char *why;
	uint8_t bad = 0;
	int i;

	if (!sa || sa->state == P1_ESTABLISHED ||
	    isakmp_parse_payloads(&m, buf + ISAKMP_HDR_LEN, len - ISAKMP_HDR_LEN, m.np, false, &why,
				  &bad) < 0)
		return;
	for (i = 0; i < m.n; i++)
		if (m.pl[i].type == ISAKMP_NP_N && m.pl[i].len >= 8) {
			log_warn("conn %s: peer refused: notification %u", sa->conn->name,
				 ike_get16(m.pl[i].body + 6));
			sa->state = P1_DEAD;
		}
}

static void dispatch(struct ike_daemon *d, const struct sockaddr_storage *from, socklen_t fromlen,
		     uint8_t *buf, size_t len)
{
	static const uint8_t zero[IKE_COOKIE_LEN];
	struct ike_sa *sa;
	struct ike_msg m;
	const char *why;

	if (isakmp_parse_header(buf, len, &m, &why) < 0) {
		log_debug("datagram of %zu bytes dropped: %s", len, why);
		return;
	}
	len = m.length;
	sa = lookup(d, &m);
	switch (m.exch) {
	case ISAKMP_EXCH_IDPROT:
		if (!sa && memcmp(m.rcookie, zero, IKE_COOKIE_LEN)) {
			log_debug("Main Mode message for an unknown IKE SA: dropped");
			return;
		}
		ike_p1_input(d, sa, from, fromlen, buf, len, &m);
		break;
	case ISAKMP_EXCH_QUICK:
		if (sa)
			ike_qm_input(sa, buf, len, &m);
		break;
	case ISAKMP_EXCH_INFO:
		if (sa && (m.flags & ISAKMP_FLAG_ENC))
			ike_info_input(sa, buf, len, &m);
		else
			plain_info(sa, buf, len, &m);
		break;
	case ISAKMP_EXCH_AGGRESSIVE:
		if (!sa && memcmp(m.rcookie, zero, IKE_COOKIE_LEN)) {
			log_debug("Aggressive Mode message for an unknown IKE SA: dropped");
			return;
		}
		ike_p1_input(d, sa, from, fromlen, buf, len, &m);
		break;
	default:
		log_debug("exchange type %u is not supported: dropped", m.exch);
	}
}

void ike_daemon_input(struct ike_daemon *d, const struct sockaddr_storage *from,
		      socklen_t fromlen, bool natt, uint8_t *buf, size_t len)
{
	int off = 0;

	if (natt && (off = natt_strip_marker(buf, len)) < 0) {
		log_debug("datagram of %zu bytes on the NAT-T port without the non-ESP marker: "
			  "dropped", len);
		return;
	}
	if (len - (size_t)off > ISAKMP_MAX_MSG) {
		log_debug("datagram larger than %d bytes dropped", ISAKMP_MAX_MSG);
		return;
	}
	d->rx_natt = natt;
	memcpy(&d->rx_from, from, fromlen);
	d->rx_fromlen = fromlen;
	dispatch(d, from, fromlen, buf + off, len - (size_t)off);
	d->rx_natt = false;
	d->rx_fromlen = 0;
}

/* Returns true when the exchange must end. */
static bool timer(struct ike_sa *sa, struct ike_xmit *x, uint64_t now, const char *what)
{
	if (!x->due || x->due > now)
		return false;
	x->due = 0;
	if (x->expire_only) {
		log_warn("conn %s: %s timed out", sa->conn->name, what);
		return true;
	}
	if (x->tries >= sa->d->retx_tries) {
		log_warn("conn %s: %s: no answer after %d transmissions, giving up", sa->conn->name,
			 what, x->tries);
		return true;
	}
	log_info("conn %s: %s: retransmitting (%d)", sa->conn->name, what, x->tries);
	x->due = now + ((uint64_t)sa->d->retx_ms << (x->tries < 16 ? x->tries : 16));
	x->tries++;
	ike_xmit_sa(sa, x->buf, x->len);
	return false;
}

/*
 * A rekey's Quick Mode died before installing: the old pair is no longer
 * being rekeyed (the kernel sends no second soft expire, so it lives until
 * its hard one; an acquire then starts afresh).
 */
static void rekey_failed(struct ike_daemon *d, struct ike_quick *nq)
{
	struct ike_sa *sa;
	struct ike_quick *q;

	for (sa = d->sas; sa; sa = sa->next)
		for (q = sa->qms; q; q = q->next)
			if (q->spi_in == nq->replaces && q->rekeying) {
				log_warn("conn %s: rekey of CHILD SA 0x%08x/0x%08x failed; the old "
					 "pair lives until its hard expire", sa->conn->name, q->spi_in,
					 q->spi_out);
				q->rekeying = false;
			}
	nq->replaces = 0;
}

static int nchildren(const struct ike_sa *sa)
{
	const struct ike_quick *q;
	int n = 0;

	for (q = sa->qms; q; q = q->next)
		n += q->state == QM_DONE;
	return n;
}

/* Move @from's installed CHILD SAs under @to; returns how many. */
static int move_children(struct ike_sa *from, struct ike_sa *to)
{
	struct ike_quick **qp = &from->qms;
	int n = 0;

	while (*qp) {
		struct ike_quick *q = *qp;

		if (q->state != QM_DONE) {
			qp = &q->next;
			continue;
		}
		*qp = q->next;
		q->sa = to;
		q->next = to->qms;
		to->qms = q;
		n++;
	}
	return n;
}

/* The newest established IKE SA of @sa's connection but @sa, not being deleted. */
static struct ike_sa *successor(struct ike_daemon *d, const struct ike_sa *sa)
{
	struct ike_sa *o, *best = NULL;

	for (o = d->sas; o; o = o->next)
		if (o != sa && o->conn == sa->conn && o->state == P1_ESTABLISHED && !o->del_due &&
		    (!best || o->established_ms > best->established_ms))
			best = o;
	return best;
}

static bool qm_pending(const struct ike_sa *sa)
{
	const struct ike_quick *q;

	for (q = sa->qms; q; q = q->next)
		if (q->state == QM_I1 || q->state == QM_R1)
			return true;
	return false;
}

/*
 * An IKE SA going away hands its CHILD SAs to a newer one of the connection,
 * if there is one (the peer deleted it, or it was replaced).
 */
static void hand_over(struct ike_daemon *d, struct ike_sa *sa, const char *why)
{
	struct ike_sa *to = successor(d, sa);
	int n;

	if (!to || !nchildren(sa))
		return;
	n = move_children(sa, to);
	log_info("conn %s: %s: its %d CHILD SA%s move%s to the newest IKE SA", sa->conn->name, why,
		 n, n == 1 ? "" : "s", n == 1 ? "s" : "");
}

/* An IKE SA's soft and hard lifetimes, and its deletion once replaced. */
static void p1_lifetime(struct ike_daemon *d, struct ike_sa *sa, uint64_t now)
{
	const struct ike_conn *c = sa->conn;
	struct ike_sa *o, *n;

	if (sa->del_due && sa->del_due <= now) {
		if (qm_pending(sa) && now < sa->expire_due) {
			/* a Quick Mode under it (a CHILD SA's rekey) finishes first */
			log_debug("conn %s: the replaced IKE SA waits for its Quick Mode", c->name);
			sa->del_due = now + 500;
			return;
		}
		hand_over(d, sa, "replaced IKE SA");
		log_info("conn %s: phase-1 rekey done: deleting the old IKE SA", c->name);
		ike_info_delete_ike(sa);
		sa->state = P1_DEAD;
		return;
	}
	if (sa->expire_due && sa->expire_due <= now)
		hand_over(d, sa, "IKE SA at its hard lifetime");
	if (sa->expire_due && sa->expire_due <= now && !nchildren(sa)) {
		log_info("conn %s: IKE SA reached its hard lifetime: deleting it", c->name);
		ike_info_delete_ike(sa);
		sa->state = P1_DEAD;
		return;
	}
	if (sa->expire_due && sa->expire_due <= now) {
		log_info("conn %s: IKE SA reached its hard lifetime without a replacement: deleting "
			 "it and its %d CHILD SA%s", c->name, nchildren(sa),
			 nchildren(sa) == 1 ? "" : "s");
		ike_info_delete_all(sa);
		sa->state = P1_DEAD;
		return;
	}
	if (!sa->rekey_due || sa->rekey_due > now || sa->rekeying)
		return;
	sa->rekeying = true;
	for (o = d->sas; o; o = o->next)
		if (o != sa && o->conn == c && o->state != P1_DEAD &&
		    (o->state != P1_ESTABLISHED || o->established_ms > sa->established_ms)) {
			log_info("conn %s: IKE SA reached its soft lifetime; a newer one is %s: "
				 "nothing to do", c->name,
				 o->state == P1_ESTABLISHED ? "up" : "being negotiated");
			return;
		}
	log_info("conn %s: IKE SA reached its soft lifetime: rekeying phase 1 (a new Main Mode; "
		 "the new IKE SA takes over its CHILD SAs: %d)", c->name, nchildren(sa));
	n = ike_p1_initiate(d, (struct ike_conn *)c);
	if (n)
		n->p1_rekey = true;
}

void ike_p1_established(struct ike_sa *sa)
{
	struct ike_daemon *d = sa->d;
	uint32_t life = sa->chosen.life_secs ? sa->chosen.life_secs : sa->conn->ike_lifetime;
	uint64_t now = ike_now_ms();
	uint32_t rnd, soft;
	struct ike_sa *o;

	ike_random(&rnd, sizeof(rnd));
	soft = ike_soft_lifetime(life, sa->initiator, rnd);
	sa->established_ms = now;
	sa->rekey_due = soft ? now + (uint64_t)soft * 1000 : 0;
	sa->expire_due = now + (uint64_t)life * 1000;
	log_info("conn %s: IKE SA lifetime %u s, rekeyed after %u s", sa->conn->name, life, soft);
	ike_dpd_established(sa);
	for (o = d->sas; o; o = o->next) {
		int n;

		if (o == sa || o->conn != sa->conn || o->state != P1_ESTABLISHED)
			continue;
		/* IKEv1's CHILD SAs do not depend on the IKE SA: the newest one manages them */
		n = move_children(o, sa);
		if (sa->p1_rekey && !o->del_due)
			o->del_due = now + P1_SETTLE_MS;
		log_info("conn %s: the new IKE SA takes over %d CHILD SA%s of an older one%s",
			 sa->conn->name, n, n == 1 ? "" : "s",
			 sa->p1_rekey ? ", which is deleted in a moment" :
			 " (the peer replaced it: it deletes the old one)");
	}
}

static void timers(struct ike_daemon *d)
{
	uint64_t now = ike_now_ms();
	struct ike_sa *sa, *next;

	ike_natt_keepalives(d, now);
	for (sa = d->sas; sa; sa = next) {
		struct ike_quick **qp = &sa->qms;

		next = sa->next;
		if (timer(sa, &sa->x, now, "phase 1"))
			sa->state = P1_DEAD;
		if (sa->state == P1_ESTABLISHED)
			p1_lifetime(d, sa, now);
		/*
		 * After the lifetimes: a replaced SA no longer probes. A dead peer
		 * ends every IKE SA of the connection (freed as the loop reaches
		 * them, or on the next pass: next_timeout is 0 while one is dead).
		 */
		if (sa->state == P1_ESTABLISHED)
			ike_dpd_timer(sa, now);
		if (sa->state == P1_DEAD && sa->peer_deleted)
			hand_over(d, sa, "the peer deleted the IKE SA");
		if (sa->state == P1_DEAD) {
			ike_sa_free(sa);
			continue;
		}
		while (*qp) {
			struct ike_quick *q = *qp;

			if (timer(sa, &q->x, now, "Quick Mode"))
				q->state = QM_DEAD;
			if (q->state == QM_DONE && q->out_due && q->out_due <= now)
				ike_qm_install_out(q);
			if (q->state == QM_DONE && q->del_due && q->del_due <= now) {
				log_info("conn %s: rekey done: deleting the old CHILD SA "
					 "0x%08x/0x%08x", sa->conn->name, q->spi_in, q->spi_out);
				if (sa->state == P1_ESTABLISHED)
					ike_info_delete_child(sa, q);
				q->state = QM_DEAD;
			}
			if (q->state == QM_DEAD && q->replaces && !q->out_installed)
				rekey_failed(d, q);
			if (q->state == QM_DEAD) {
				*qp = q->next;
				ike_qm_free(q);
			} else {
				qp = &q->next;
			}
		}
	}
}

static int next_timeout(struct ike_daemon *d)
{
	uint64_t now = ike_now_ms(), best = now + 1000;
	struct ike_sa *sa;
	struct ike_quick *q;

	for (sa = d->sas; sa; sa = sa->next) {
		if (sa->state == P1_DEAD)
			return 0;
		if (sa->x.due && sa->x.due < best)
			best = sa->x.due;
		if (sa->state == P1_ESTABLISHED) {
			if (sa->del_due && sa->del_due < best)
				best = sa->del_due;
			if (sa->expire_due && sa->expire_due < best)
				best = sa->expire_due;
			if (sa->rekey_due && !sa->rekeying && sa->rekey_due < best)
				best = sa->rekey_due;
			if (sa->keepalive_due && sa->keepalive_due < best)
				best = sa->keepalive_due;
			if (ike_dpd_due(sa) && ike_dpd_due(sa) < best)
				best = ike_dpd_due(sa);
		}
		for (q = sa->qms; q; q = q->next) {
			if (q->state == QM_DEAD)
				return 0;
			if (q->x.due && q->x.due < best)
				best = q->x.due;
			if (q->out_due && q->out_due < best)
				best = q->out_due;
			if (q->del_due && q->del_due < best)
				best = q->del_due;
		}
	}
	return best > now ? (int)(best - now) : 0;
}

static int udp_socket(int family, uint16_t port, bool encap)
{
	int espinudp = UDP_ENCAP_ESPINUDP;
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int fd, one = 1;

	fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		len = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		len = sizeof(*in6);
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	}
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		log_err("cannot bind UDP port %u (%s): %s", port, family == AF_INET ? "IPv4" : "IPv6",
			strerror(errno));
		close(fd);
		return -1;
	}
	/*
	 * The NAT-T port: the kernel takes ESP in UDP arriving here (and
	 * swallows keepalives); IKE, after its non-ESP marker, comes to us.
	 */
	if (encap && setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &espinudp, sizeof(espinudp)) < 0) {
		log_err("UDP_ENCAP on port %u: %s", port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* The newest established (or else any live) IKE SA of connection @c. */
static struct ike_sa *conn_p1(struct ike_daemon *d, const struct ike_conn *c)
{
	struct ike_sa *sa, *best = NULL, *any = NULL;

	for (sa = d->sas; sa; sa = sa->next) {
		if (sa->conn != c || sa->state == P1_DEAD)
			continue;
		if (sa->state == P1_ESTABLISHED && !sa->del_due &&
		    (!best || sa->established_ms > best->established_ms))
			best = sa;
		if (sa->state != P1_ESTABLISHED)
			any = sa;
	}
	return best ? best : any;
}

/* Is @q the shared pair (@cpu < 0) or the pair of CPU @cpu? */
static bool for_cpu(const struct ike_quick *q, int64_t cpu)
{
	return cpu < 0 ? !q->has_cpu : q->has_cpu && q->cpu == (uint32_t)cpu;
}

/*
 * A Quick Mode of @c under way (not installed yet, whatever its CPU), or
 * an installed pair (the shared one, @cpu < 0, or CPU @cpu's).
 */
static struct ike_quick *conn_child(struct ike_daemon *d, const struct ike_conn *c, bool pending,
				    int64_t cpu)
{
	struct ike_sa *sa;
	struct ike_quick *q;

	for (sa = d->sas; sa; sa = sa->next)
		for (q = sa->qms; q; q = q->next)
			if (sa->conn == c &&
			    (pending ? q->state == QM_I1 || q->state == QM_R1
				     : q->state == QM_DONE && q->installed && !q->del_due &&
					       for_cpu(q, cpu)))
				return q;
	return NULL;
}

static void on_acquire(struct ike_daemon *d, const struct ike_event *ev)
{
	char src[KIPSEC_ADDR_STRLEN] = "?", dst[KIPSEC_ADDR_STRLEN] = "?";
	struct ike_conn *c;
	struct ike_sa *p1;
	struct ike_quick *q;
	char what[64] = "";
	int64_t cpu;
	int ci = ike_acquire_match(d->cfg.conns, d->cfg.nconns, d->route_out, ev);

	if (ev->has_flow) {
		kipsec_addr_str(&ev->fsrc, src);
		kipsec_addr_str(&ev->fdst, dst);
	}
	if (ci < 0) {
		log_debug("acquire (policy %u, reqid %u, %s -> %s) matches no route connection: "
			  "ignored", ev->index, ev->reqid, src, dst);
		return;
	}
	c = &d->cfg.conns[ci];
	cpu = ev->has_cpu ? (int64_t)ev->cpu : -1;
	if (ev->has_cpu)
		snprintf(what, sizeof(what), ", CPU %u without an SA of its own", ev->cpu);
	p1 = conn_p1(d, c);
	if (!p1) {
		log_info("conn %s: acquire (policy %u, %s -> %s%s): no IKE SA: initiating Main Mode",
			 c->name, ev->index, src, dst, what);
		/* the Quick Mode after it is for that CPU */
		d->cs[ci].next_cpu = ev->has_cpu ? ev->cpu + 1 : 0;
		ike_p1_initiate(d, c);
		return;
	}
	if (p1->state != P1_ESTABLISHED) {
		log_info("conn %s: acquire (%s -> %s): phase 1 already under way: ignored", c->name,
			 src, dst);
		return;
	}
	if ((q = conn_child(d, c, true, -1))) {
		log_info("conn %s: acquire (%s -> %s%s): Quick Mode already under way: ignored",
			 c->name, src, dst, what);
		return;
	}
	if ((q = conn_child(d, c, false, cpu))) {
		log_info("conn %s: acquire (%s -> %s%s): CHILD SA 0x%08x/0x%08x is installed: ignored",
			 c->name, src, dst, what, q->spi_in, q->spi_out);
		return;
	}
	log_info("conn %s: acquire (%s -> %s%s): IKE SA up, no CHILD SA%s: initiating Quick Mode",
		 c->name, src, dst, what, ev->has_cpu ? " for that CPU" : "");
	d->cs[ci].next_cpu = ev->has_cpu ? ev->cpu + 1 : 0;
	ike_qm_initiate(p1);
}

/* Does @ev name the SA @spi to @dst, one we still hold (@held)? */
static bool names_sa(const struct ike_event *ev, uint32_t spi, bool held,
		     const struct kipsec_addr *dst)
{
	return held && spi == ev->spi && ev->daddr.len == dst->len &&
	       !memcmp(ev->daddr.bytes, dst->bytes, dst->len);
}

/*
 * The CHILD SA one of whose kernel SAs the event names; *@in: the inbound
 * one; *@ah: its bundle's AH SA.
 */
static struct ike_quick *child_of(struct ike_daemon *d, const struct ike_event *ev, bool *in,
				  bool *ah)
{
	struct ike_sa *sa;
	struct ike_quick *q;

	for (sa = d->sas; sa; sa = sa->next)
		for (q = sa->qms; q; q = q->next) {
			const struct kipsec_addr *l = &sa->conn->local, *r = &sa->conn->remote;

			if (q->state != QM_DONE || !q->installed)
				continue;
			*ah = q->bundle;
			if (q->bundle && names_sa(ev, q->ah_spi_in, !q->ah_in_gone, l)) {
				*in = true;
				return q;
			}
			if (q->bundle &&
			    names_sa(ev, q->ah_spi_out, q->out_installed && !q->ah_out_gone, r)) {
				*in = false;
				return q;
			}
			*ah = false;
			if (names_sa(ev, q->spi_in, !q->in_gone, l)) {
				*in = true;
				return q;
			}
			if (names_sa(ev, q->spi_out, q->out_installed && !q->out_gone, r)) {
				*in = false;
				return q;
			}
		}
	return NULL;
}

/* The kernel removed one SA of @q (@ah: of its bundle's AH pair): the pair is done for. */
static void child_gone(struct ike_quick *q, bool in, bool ah, const char *why)
{
	if (ah && in)
		q->ah_in_gone = true;
	else if (ah)
		q->ah_out_gone = true;
	else if (in)
		q->in_gone = true;
	else
		q->out_gone = true;
	log_info("conn %s: %s%s SA 0x%08x %s: forgetting CHILD SA 0x%08x/0x%08x%s",
		 q->sa->conn->name, in ? "inbound" : "outbound", ah ? " AH" : "",
		 ah ? (in ? q->ah_spi_in : q->ah_spi_out) : in ? q->spi_in : q->spi_out, why, q->spi_in,
		 q->spi_out, q->sa->state == P1_ESTABLISHED ? " and telling the peer" : "");
	if (q->sa->state == P1_ESTABLISHED)
		ike_info_delete_child(q->sa, q);
	q->state = QM_DEAD;
}

static void on_soft_expire(struct ike_daemon *d, struct ike_quick *q, bool in)
{
	const struct ike_conn *c = q->sa->conn;
	struct ike_sa *sa, *p1;
	struct ike_quick *o;
	uint32_t spi = in ? q->spi_in : q->spi_out;

	if (q->rekeying || q->del_due) {
		log_debug("conn %s: soft expire of SA 0x%08x: its rekey is under way already",
			  c->name, spi);
		return;
	}
	for (sa = d->sas; sa; sa = sa->next)
		for (o = sa->qms; o; o = o->next)
			if (o != q && sa->conn == c && o->state == QM_DONE && o->installed &&
			    o->installed_ms > q->installed_ms &&
			    for_cpu(o, q->has_cpu ? (int64_t)q->cpu : -1)) {
				log_info("conn %s: soft expire of SA 0x%08x: the newer CHILD SA "
					 "0x%08x/0x%08x replaces it already: nothing to do", c->name,
					 spi, o->spi_in, o->spi_out);
				return;
			}
	/* other pairs' rekeys (per-CPU pairs) may run at the same time */
	q->rekeying = true;
	d->cs[ike_conn_index(d, c)].replace = q->spi_in;
	d->cs[ike_conn_index(d, c)].next_cpu = q->has_cpu ? q->cpu + 1 : 0;
	p1 = conn_p1(d, c);
	log_info("conn %s: soft expire of %s SA 0x%08x: rekeying CHILD SA 0x%08x/0x%08x "
		 "(new pair first, then the old one goes)%s", c->name, in ? "inbound" : "outbound",
		 spi, q->spi_in, q->spi_out,
		 !p1 ? "; no IKE SA: Main Mode first" : "");
	if (!p1)
		ike_p1_initiate(d, (struct ike_conn *)c);
	else if (p1->state == P1_ESTABLISHED)
		ike_qm_initiate(p1);
	/* else phase 1 is under way and will start the Quick Mode */
}

static void on_event(struct ike_daemon *d, const struct ike_event *ev)
{
	struct ike_quick *q;
	bool in = false, ah = false;

	if (ev->cmd == KIPSEC_CMD_ACQUIRE) {
		on_acquire(d, ev);
		return;
	}
	/* a soft expire of either SA of a bundle rekeys the whole bundle, once */
	q = child_of(d, ev, &in, &ah);
	if (!q) {
		log_debug("%s for SA 0x%08x: not one of ours (or gone already): ignored",
			  ev->cmd == KIPSEC_CMD_EXPIRE ? (ev->hard ? "hard expire" : "soft expire")
						       : "SA deleted", ev->spi);
		return;
	}
	if (ev->cmd == KIPSEC_CMD_SA_DELETED)
		child_gone(q, in, ah, "was deleted from the kernel by someone else");
	else if (ev->hard)
		child_gone(q, in, ah, "reached its hard lifetime (the kernel deleted it)");
	else
		on_soft_expire(d, q, in);
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ike_daemon *d = data;
	struct ike_event ev;

	if (nlh->nlmsg_type != d->ev.family)
		return MNL_CB_OK;
	if (ike_event_parse(nlh, &ev) < 0) {
		log_debug("kipsec event skipped: malformed or unknown");
		return MNL_CB_OK;
	}
	on_event(d, &ev);
	return MNL_CB_OK;
}

static void read_events(struct ike_daemon *d)
{
	static char buf[32768];	/* events are at most a page (NLMSG_GOODSIZE) */
	int fd = mnl_socket_get_fd(d->ev.sock);

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n < 0) {
			if (errno == ENOBUFS) {
				log_warn("kipsec events lost (receive buffer overrun)");
				continue;
			}
			return;
		}
		/* notifications answer no request: sequence and port 0 */
		if (mnl_cb_run(buf, (size_t)n, 0, 0, event_cb, d) < 0)
			log_warn("kipsec events: %s", strerror(errno));
	}
}

/*
 * kipsec's events: expires (every CHILD SA we install rekeys on its soft
 * expire, by time or by bytes) and acquires (route connections).
 */
static int events_open(struct ike_daemon *d)
{
	if (d->ev_open)
		return 0;
	if (kipsec_nl_open(&d->ev) < 0)
		return -1;
	d->ev_open = true;
	if (!d->ev.mcgrp_events) {
		log_err("the kernel announces no \"%s\" multicast group: rekeying and "
			"start_action = route need it", KIPSEC_MCGRP_EVENTS);
		return -1;
	}
	if (mnl_socket_setsockopt(d->ev.sock, NETLINK_ADD_MEMBERSHIP, &d->ev.mcgrp_events,
				  sizeof(d->ev.mcgrp_events)) < 0) {
		log_err("joining kipsec's events group: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The UDP socket of @c's family and its bypass policies, unless there
 * already; with NAT traversal the NAT-T port's too.
 */
static int family_up(struct ike_daemon *d, const struct ike_conn *c)
{
	int family = (int)c->local.family;
	bool v6 = family == AF_INET6;
	int *fd = v6 ? &d->fd6 : &d->fd4, *nfd = v6 ? &d->nfd6 : &d->nfd4;

	if (*fd < 0) {
		*fd = udp_socket(family, d->port, false);
		if (*fd < 0 ||
		    ike_kernel_bypass(d, (uint32_t)family, d->port, d->bypass[v6]) < 0)
			return -1;
	}
	if (*nfd >= 0 || !c->nat_traversal || !d->natt_port)
		return 0;
	*nfd = udp_socket(family, d->natt_port, true);
	if (*nfd < 0)
		return -1;
	return ike_kernel_bypass(d, (uint32_t)family, d->natt_port, d->bypass[v6] + 2);
}

int ike_daemon_start_conn(struct ike_daemon *d, int ci)
{
	struct ike_conn *c = &d->cfg.conns[ci];

	if (family_up(d, c) < 0)
		return -1;
	if (c->start == START_START) {
		ike_p1_initiate(d, c);
		return 0;
	}
	if (c->start != START_ROUTE)
		return 0;
	if (d->no_kernel) {
		log_warn("conn %s: --no-kernel: a start_action = route connection is never started",
			 c->name);
		return 0;
	}
	if (events_open(d) < 0 || ike_kernel_route(d, ci) < 0)
		return -1;
	log_info("conn %s: routed: protect policies %u (out), %u (in) installed, reqid %u; "
		 "negotiating on the first packet (acquire)", c->name, d->cs[ci].pol_out,
		 d->cs[ci].pol_in, c->reqid);
	return 0;
}

int ike_daemon_route(struct ike_daemon *d, int ci)
{
	if (d->no_kernel)
		return 0;
	/* from now on an acquire for its traffic negotiates it again */
	d->cfg.conns[ci].start = START_ROUTE;
	return ike_daemon_start_conn(d, ci);
}

int ike_daemon_start(struct ike_daemon *d)
{
	int i;

	d->fd4 = d->fd6 = d->nfd4 = d->nfd6 = -1;
	d->cs = calloc((size_t)d->cfg.nconns, sizeof(*d->cs));
	d->route_out = calloc((size_t)d->cfg.nconns, sizeof(*d->route_out));
	if (!d->cs || !d->route_out) {
		log_err("out of memory");
		return -1;
	}
	if (ike_ctl_open(d) < 0) {
		if (d->ctl_given)
			return -1;
		/* several daemons (one per netns in tests) share /run: the first has it */
		log_warn("running without a control socket (give one with --ctl PATH)");
	}
	for (i = 0; i < d->cfg.nconns; i++)
		if (family_up(d, &d->cfg.conns[i]) < 0)
			return -1;
	/* before any SA exists: no soft expire may go unseen */
	if (!d->no_kernel && events_open(d) < 0)
		return -1;
	for (i = 0; i < d->cfg.nconns; i++)
		if (d->cfg.conns[i].start == START_ROUTE && ike_daemon_start_conn(d, i) < 0)
			return -1;
	if (d->nfd4 >= 0 || d->nfd6 >= 0)
		log_info("listening on UDP port %u and on %u for NAT traversal, %d connection%s",
			 d->port, d->natt_port, d->cfg.nconns, d->cfg.nconns == 1 ? "" : "s");
	else
		log_info("listening on UDP port %u, %d connection%s", d->port, d->cfg.nconns,
			 d->cfg.nconns == 1 ? "" : "s");
	for (i = 0; i < d->cfg.nconns; i++)
		if (d->cfg.conns[i].start == START_START)
			ike_daemon_start_conn(d, i);
	return 0;
}

void ike_daemon_run(struct ike_daemon *d, volatile int *stop, volatile int *hup)
{
	static uint8_t buf[NATT_MARKER_LEN + ISAKMP_MAX_MSG + 1];

	while (!*stop) {
		struct pollfd pfd[5 + 1 + IKE_CTL_CLIENTS] = {
			{ d->fd4, POLLIN, 0 }, { d->fd6, POLLIN, 0 }, { d->nfd4, POLLIN, 0 },
			{ d->nfd6, POLLIN, 0 },
			{ d->ev_open ? mnl_socket_get_fd(d->ev.sock) : -1, POLLIN, 0 } };
		int nctl = ike_ctl_pollfds(d, pfd + 5, 1 + IKE_CTL_CLIENTS);
		int i, n;

		/* a SIGHUP during poll interrupts it; one just before waits <= 1 s */
		if (*hup) {
			*hup = 0;
			ike_reload(d);
			continue;
		}
		n = poll(pfd, (nfds_t)(5 + nctl), next_timeout(d));

		if (n < 0 && errno != EINTR) {
			log_err("poll: %s", strerror(errno));
			break;
		}
		for (i = 0; n > 0 && i < 4; i++) {
			struct sockaddr_storage from;
			socklen_t fromlen = sizeof(from);
			ssize_t r;

			if (!(pfd[i].revents & POLLIN))
				continue;
			r = recvfrom(pfd[i].fd, buf, sizeof(buf), MSG_DONTWAIT,
				     (struct sockaddr *)&from, &fromlen);
			if (r >= 0)
				ike_daemon_input(d, &from, fromlen, i >= 2, buf, (size_t)r);
		}
		if (n > 0 && (pfd[4].revents & POLLIN))
			read_events(d);
		/* every round, even without events (revents 0): clients past their deadline go */
		ike_ctl_serve(d, pfd + 5, nctl);
		timers(d);
	}
}

void ike_daemon_stop(struct ike_daemon *d)
{
	int i;

	struct ike_sa *sa;

	log_info("shutting down: removing %s SAs and policies", d->sas ? "its" : "no");
	ike_ctl_close(d);
	for (sa = d->sas; sa; sa = sa->next)
		if (sa->state == P1_ESTABLISHED)
			ike_info_delete_all(sa);
	while (d->sas)
		ike_sa_free(d->sas);
	for (i = 0; d->cs && i < d->cfg.nconns; i++)
		ike_kernel_unroute(d, i);
	free(d->cs);
	free(d->route_out);
	d->cs = NULL;
	d->route_out = NULL;
	if (d->ev_open)
		kipsec_nl_close(&d->ev);
	d->ev_open = false;
	for (i = 0; i < 2; i++) {
		ike_kernel_unbypass(d, d->bypass[i]);
		ike_kernel_unbypass(d, d->bypass[i] + 2);
	}
	if (d->fd4 >= 0)
		close(d->fd4);
	if (d->fd6 >= 0)
		close(d->fd6);
	if (d->nfd4 >= 0)
		close(d->nfd4);
	if (d->nfd6 >= 0)
		close(d->nfd6);
}
