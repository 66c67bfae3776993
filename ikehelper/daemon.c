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
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "ike.h"
#include "log.h"

#define EXCHANGE_TIMEOUT_MS 30000	/* a responder's half-open SA lives this long */

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

static int fd_for(struct ike_daemon *d, const struct sockaddr_storage *to)
{
	return to->ss_family == AF_INET6 ? d->fd6 : d->fd4;
}

void ike_xmit(struct ike_daemon *d, const struct kipsec_addr *from,
	      const struct sockaddr_storage *to, socklen_t tolen, const uint8_t *buf, size_t len)
{
	union {
		struct cmsghdr h;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} ctl;
	struct iovec iov = { (void *)buf, len };
	struct msghdr msg = { .msg_name = (void *)to, .msg_namelen = tolen,
			      .msg_iov = &iov, .msg_iovlen = 1 };
	int fd = fd_for(d, to);
	struct cmsghdr *c;

	/*
	 * The sockets are bound to the wildcard address: name the connection's
	 * local address as the source, or a host with several addresses would
	 * send from whichever the route prefers and the peer would match the
	 * message to another connection (or to none).
	 */
	if (from && from->family == to->ss_family) {
		memset(&ctl, 0, sizeof(ctl));
		msg.msg_control = ctl.b;
		c = &ctl.h;
		if (from->family == AF_INET) {
			struct in_pktinfo pi = { 0 };

			memcpy(&pi.ipi_spec_dst, from->bytes, 4);
			msg.msg_controllen = CMSG_SPACE(sizeof(pi));
			c->cmsg_level = IPPROTO_IP;
			c->cmsg_type = IP_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		} else {
			struct in6_pktinfo pi = { 0 };

			memcpy(&pi.ipi6_addr, from->bytes, 16);
			msg.msg_controllen = CMSG_SPACE(sizeof(pi));
			c->cmsg_level = IPPROTO_IPV6;
			c->cmsg_type = IPV6_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(pi));
			memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		}
	}
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
	ike_xmit(sa->d, &sa->conn->local, &sa->peer, sa->peerlen, x->buf, x->len);
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
		ike_xmit(d, NULL, to, tolen, buf, w.len);
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
	ike_xmit(sa->d, &sa->conn->local, &sa->peer, sa->peerlen, x->buf, x->len);
	return false;
}

static void timers(struct ike_daemon *d)
{
	uint64_t now = ike_now_ms();
	struct ike_sa *sa, *next;

	for (sa = d->sas; sa; sa = next) {
		struct ike_quick **qp = &sa->qms;

		next = sa->next;
		if (timer(sa, &sa->x, now, "phase 1"))
			sa->state = P1_DEAD;
		if (sa->state == P1_DEAD) {
			ike_sa_free(sa);
			continue;
		}
		while (*qp) {
			struct ike_quick *q = *qp;

			if (timer(sa, &q->x, now, "Quick Mode"))
				q->state = QM_DEAD;
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
		for (q = sa->qms; q; q = q->next) {
			if (q->state == QM_DEAD)
				return 0;
			if (q->x.due && q->x.due < best)
				best = q->x.due;
		}
	}
	return best > now ? (int)(best - now) : 0;
}

static int udp_socket(int family, uint16_t port)
{
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
	return fd;
}

int ike_daemon_start(struct ike_daemon *d)
{
	bool fam[2] = { false, false };
	int i;

	for (i = 0; i < d->cfg.nconns; i++)
		fam[d->cfg.conns[i].local.family == AF_INET6] = true;
	d->fd4 = d->fd6 = -1;
	if (fam[0] && (d->fd4 = udp_socket(AF_INET, d->port)) < 0)
		return -1;
	if (fam[1] && (d->fd6 = udp_socket(AF_INET6, d->port)) < 0)
		return -1;
	for (i = 0; i < 2; i++)
		if (fam[i] && ike_kernel_bypass(d, i ? AF_INET6 : AF_INET, d->bypass[i]) < 0)
			return -1;
	log_info("listening on UDP port %u, %d connection%s", d->port, d->cfg.nconns,
		 d->cfg.nconns == 1 ? "" : "s");
	for (i = 0; i < d->cfg.nconns; i++)
		if (d->cfg.conns[i].start == START_START)
			ike_p1_initiate(d, &d->cfg.conns[i]);
	return 0;
}

void ike_daemon_run(struct ike_daemon *d, volatile int *stop)
{
	static uint8_t buf[ISAKMP_MAX_MSG + 1];

	while (!*stop) {
		struct pollfd pfd[2] = { { d->fd4, POLLIN, 0 }, { d->fd6, POLLIN, 0 } };
		int i, n = poll(pfd, 2, next_timeout(d));

		if (n < 0 && errno != EINTR) {
			log_err("poll: %s", strerror(errno));
			break;
		}
		for (i = 0; n > 0 && i < 2; i++) {
			struct sockaddr_storage from;
			socklen_t fromlen = sizeof(from);
			ssize_t r;

			if (!(pfd[i].revents & POLLIN))
				continue;
			r = recvfrom(pfd[i].fd, buf, sizeof(buf), MSG_DONTWAIT,
				     (struct sockaddr *)&from, &fromlen);
			if (r < 0)
				continue;
			if ((size_t)r > ISAKMP_MAX_MSG) {
				log_debug("datagram larger than %d bytes dropped", ISAKMP_MAX_MSG);
				continue;
			}
			dispatch(d, &from, fromlen, buf, (size_t)r);
		}
		timers(d);
	}
}

void ike_daemon_stop(struct ike_daemon *d)
{
	int i;

	struct ike_sa *sa;

	log_info("shutting down: removing %s SAs and policies", d->sas ? "its" : "no");
	for (sa = d->sas; sa; sa = sa->next)
		if (sa->state == P1_ESTABLISHED)
			ike_info_delete_all(sa);
	while (d->sas)
		ike_sa_free(d->sas);
	for (i = 0; i < 2; i++)
		ike_kernel_unbypass(d, d->bypass[i]);
	if (d->fd4 >= 0)
		close(d->fd4);
	if (d->fd6 >= 0)
		close(d->fd6);
}
