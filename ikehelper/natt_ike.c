// SPDX-License-Identifier: GPL-2.0
/*
 * NAT traversal in the exchanges (RFC 3947):
 *
 *   Main Mode   I -> R  SA, VIDs            R -> I  SA, VID
 *               I -> R  KE, Ni, NAT-D x2    R -> I  KE, Nr, NAT-D x2
 *               --- both on the NAT-T port from here on, if a NAT was found ---
 *               I -> R  *IDii, HASH_I       R -> I  *IDir, HASH_R
 *   Aggressive  I -> R  SA, KE, Ni, IDii, VIDs
 *               R -> I  SA, KE, Nr, IDir, HASH_R, VID, NAT-D x2
 *               I -> R  *HASH_I, NAT-D x2 (on the NAT-T port if a NAT was found)
 *
 * Each NAT-D pair is the hash of the receiver's address and port, then the
 * sender's, as the sender knows them: a NAT between the two changes what
 * the receiver sees. Hashes are computed for the ports of the message they
 * travel in, so both ends use the same ones whatever port the exchange is
 * on. The side behind a NAT sends keepalives to keep its mapping.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "ike.h"
#include "log.h"

/* nat_traversal = yes, and a socket on the NAT-T port to float to */
static bool enabled(const struct ike_sa *sa)
{
	return sa->conn->nat_traversal && (sa->d->nfd4 >= 0 || sa->d->nfd6 >= 0);
}

void ike_natt_put_vids(struct ike_sa *sa, struct ike_wbuf *w)
{
	const uint8_t *v;

	if (!enabled(sa))
		return;
	if (sa->initiator) {
		natt_put_vids(w);
		return;
	}
	/* a responder names the one version it chose */
	v = natt_vid_bytes(sa->natt);
	if (v)
		isakmp_pl(w, ISAKMP_NP_VID, v, 16);
}

void ike_natt_take_vids(struct ike_sa *sa, const struct ike_msg *m)
{
	enum natt_vid v = natt_vid_best(m);

	if (!enabled(sa)) {
		if (v)
			log_debug("conn %s: peer supports NAT-T (%s); ours is off",
				  sa->conn->name, natt_vid_name(v));
		sa->natt = NATT_NONE;
		return;
	}
	sa->natt = v;
	if (v)
		log_info("conn %s: peer supports NAT traversal (%s)", sa->conn->name,
			 natt_vid_name(v));
	else
		log_info("conn %s: peer sent no NAT-T vendor ID: no NAT traversal",
			 sa->conn->name);
}

/* Our end of the current message: the configured address, the port in use. */
static uint16_t our_port(const struct ike_sa *sa)
{
	return sa->floated ? sa->d->natt_port : sa->d->port;
}

int ike_natt_put_natd(struct ike_sa *sa, struct ike_wbuf *w)
{
	struct kipsec_addr peer;

	if (!sa->natt)
		return 0;
	ike_addr_of(&sa->peer, &peer);
	return natt_put_natd(w, natt_np_natd(sa->natt), sa->keys.hash, sa->icky, sa->rcky, &peer,
			     ike_port_of(&sa->peer), &sa->conn->local, our_port(sa),
			     sa->conn->force_encap);
}

int ike_natt_take_natd(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_conn *c = sa->conn;
	struct natt_result r;
	struct kipsec_addr peer;
	char b[KIPSEC_ADDR_STRLEN];

	if (!sa->natt)
		return 0;
	ike_addr_of(&sa->peer, &peer);
	if (natt_check(m, natt_np_natd(sa->natt), sa->keys.hash, sa->icky, sa->rcky, &c->local,
		       our_port(sa), &peer, ike_port_of(&sa->peer), &r) < 0) {
		log_warn("conn %s: malformed NAT-D payloads (fewer than two, or not %zu bytes): "
			 "dropped", c->name, ike_prf_len(sa->keys.hash));
		return -1;
	}
	if (!r.present) {
		log_warn("conn %s: peer announced NAT-T but sent no NAT-D payloads: no NAT "
			 "traversal", c->name);
		sa->natt = NATT_NONE;
		return 0;
	}
	sa->nat_local = r.local_nat || c->force_encap;
	sa->nat_remote = r.remote_nat;
	if (!sa->nat_local && !sa->nat_remote)
		log_info("conn %s: NAT-D: no NAT between us and %s", c->name,
			 kipsec_addr_str(&peer, b));
	else
		log_info("conn %s: NAT-D: %s%s%s (peer seen at %s port %u)", c->name,
			 r.local_nat ? "we are behind a NAT" :
			 c->force_encap && !r.local_nat ? "no NAT in front of us, but force_encap = "
							  "yes fakes one" : "",
			 sa->nat_local && sa->nat_remote ? "; " : "",
			 sa->nat_remote ? "the peer is behind a NAT" : "",
			 kipsec_addr_str(&peer, b), ike_port_of(&sa->peer));
	return 0;
}

static void set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

void ike_natt_float(struct ike_sa *sa)
{
	if (!sa->natt || sa->floated || (!sa->nat_local && !sa->nat_remote))
		return;
	set_port(&sa->peer, NATT_PORT);
	sa->floated = true;
	log_info("conn %s: NAT traversal: IKE moves to port %u (peer port %u)", sa->conn->name,
		 sa->d->natt_port, NATT_PORT);
}

void ike_natt_rx_ok(struct ike_sa *sa)
{
	const struct sockaddr_storage *from;
	socklen_t fromlen;
	bool natt;
	struct kipsec_addr was, now;
	char b1[KIPSEC_ADDR_STRLEN], b2[KIPSEC_ADDR_STRLEN];
	uint16_t pwas = ike_port_of(&sa->peer), pnow;

	/*
	 * Only the NAT-T port moves an exchange: the peer floated, or its NAT
	 * gave it a new mapping. Messages still on the IKE port (resent
	 * before the peer floated) are taken but change nothing.
	 */
	if (!sa->d)
		return;
	from = &sa->d->rx_from;
	fromlen = sa->d->rx_fromlen;
	natt = sa->d->rx_natt && fromlen;
	if (!natt)
		return;
	pnow = ike_port_of(from);
	ike_addr_of(&sa->peer, &was);
	ike_addr_of(from, &now);
	if (!sa->floated)
		log_info("conn %s: peer moved to the NAT-T port: %s port %u", sa->conn->name,
			 kipsec_addr_str(&now, b2), pnow);
	else if (pwas != pnow || was.family != now.family || memcmp(was.bytes, now.bytes, was.len))
		log_info("conn %s: peer's NAT mapping changed: %s port %u -> %s port %u",
			 sa->conn->name, kipsec_addr_str(&was, b1), pwas, kipsec_addr_str(&now, b2),
			 pnow);
	memcpy(&sa->peer, from, fromlen);
	sa->peerlen = fromlen;
	sa->floated = true;
}

uint16_t ike_natt_encap(const struct ike_sa *sa)
{
	if (!sa->floated)
		return sa->conn->mode;
	return natt_encap(sa->conn->mode, sa->natt ? sa->natt : NATT_RFC3947);
}

static void keepalive(struct ike_sa *sa)
{
	static const uint8_t ka = NATT_KEEPALIVE_BYTE;
	int fd = sa->peer.ss_family == AF_INET6 ? sa->d->nfd6 : sa->d->nfd4;

	/* not through ike_xmit: a keepalive has no non-ESP marker */
	if (fd < 0 || sendto(fd, &ka, 1, 0, (const struct sockaddr *)&sa->peer, sa->peerlen) < 0)
		log_debug("conn %s: NAT keepalive not sent: %s", sa->conn->name,
			  fd < 0 ? "no socket" : strerror(errno));
	else
		log_debug("conn %s: NAT keepalive sent", sa->conn->name);
}

uint64_t ike_natt_keepalives(struct ike_daemon *d, uint64_t now)
{
	uint64_t next = 0;
	struct ike_sa *sa;

	for (sa = d->sas; sa; sa = sa->next) {
		uint32_t every = sa->conn->nat_keepalive;

		if (sa->state != P1_ESTABLISHED || !sa->floated || !sa->nat_local || !every) {
			sa->keepalive_due = 0;
			continue;
		}
		if (!sa->keepalive_due) {
			sa->keepalive_due = now + (uint64_t)every * 1000;
			log_info("conn %s: behind a NAT: keepalive to %s every %u s", sa->conn->name,
				 "the peer's NAT-T port", every);
		} else if (sa->keepalive_due <= now) {
			keepalive(sa);
			sa->keepalive_due = now + (uint64_t)every * 1000;
		}
		if (!next || sa->keepalive_due < next)
			next = sa->keepalive_due;
	}
	return next;
}
