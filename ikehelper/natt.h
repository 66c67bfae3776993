/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NAT traversal for IKEv1 (RFC 3947, and the drafts older peers still
 * speak): the vendor IDs that announce it, the NAT-D hashes that find a NAT
 * between the peers, the UDP-encapsulated modes of Quick Mode, NAT-OA, and
 * the wire format of port 4500 (the non-ESP marker, the keepalive byte).
 * Everything here is pure and unit-tested; ike.h's daemon uses it.
 */
#ifndef KIPSEC_IKE_NATT_H
#define KIPSEC_IKE_NATT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "../tools/addr.h"
#include "isakmp.h"
#include "prf.h"

#define NATT_PORT		4500
#define NATT_MARKER_LEN		4	/* the non-ESP marker: four zero bytes */
#define NATT_KEEPALIVE_BYTE	0xff
#define NATT_KEEPALIVE_DEFAULT	20	/* seconds */

/* The NAT-T versions a vendor ID announces, oldest first (higher is preferred). */
enum natt_vid {
	NATT_NONE = 0,
	NATT_DRAFT_02,		/* "draft-ietf-ipsec-nat-t-ike-02" */
	NATT_DRAFT_02N,		/* "draft-ietf-ipsec-nat-t-ike-02\n" */
	NATT_DRAFT_03,		/* "draft-ietf-ipsec-nat-t-ike-03" */
	NATT_RFC3947,		/* "RFC 3947" */
};

/* Payload types of the drafts (RFC 3947 took 20 and 21). */
#define ISAKMP_NP_NATD_DRAFT	130
#define ISAKMP_NP_NATOA_DRAFT	131

/* Quick Mode encapsulation modes (RFC 3947 section 5.1, and the drafts'). */
enum {
	ENCAP_UDP_TUNNEL = 3,
	ENCAP_UDP_TRANSPORT = 4,
	ENCAP_UDP_TUNNEL_DRAFT = 61443,
	ENCAP_UDP_TRANSPORT_DRAFT = 61444,
};

/* The 16-byte vendor ID of @v (MD5 of its name); NULL for NATT_NONE. */
const uint8_t *natt_vid_bytes(enum natt_vid v);
const char *natt_vid_name(enum natt_vid v);
/* Which NAT-T version a VID payload body announces, NATT_NONE if none. */
enum natt_vid natt_vid_parse(const uint8_t *body, size_t len);
/* The newest NAT-T version among @m's VID payloads. */
enum natt_vid natt_vid_best(const struct ike_msg *m);
/* Every VID we send: RFC 3947's and the drafts'. */
void natt_put_vids(struct ike_wbuf *w);

/* The NAT-D and NAT-OA payload types of version @v. */
uint8_t natt_np_natd(enum natt_vid v);
uint8_t natt_np_natoa(enum natt_vid v);

/*
 * HASH(CKY-I | CKY-R | IP | Port) with @h's plain digest (RFC 3947 3.2),
 * port in network byte order; @out holds ike_prf_len(@h) bytes. Returns 0
 * or -1.
 */
int natt_hash(enum ike_hash h, const uint8_t *icky, const uint8_t *rcky,
	      const struct kipsec_addr *a, uint16_t port, uint8_t *out);

/* NAT-D payloads of a message against the addresses of its two ends. */
struct natt_result {
	bool present;		/* the message had NAT-D payloads at all */
	bool local_nat;		/* the first one (our address) did not match: we are behind one */
	bool remote_nat;	/* none of the others matched the sender's address */
};
/*
 * Check the NAT-D payloads (type @np) in @m: the first is the hash of the
 * receiver (@us, @us_port), one of the rest must be the sender's (@them,
 * @them_port) as we see it. Returns 0, or -1 when they are malformed
 * (wrong length, only one).
 */
int natt_check(const struct ike_msg *m, uint8_t np, enum ike_hash h, const uint8_t *icky,
	       const uint8_t *rcky, const struct kipsec_addr *us, uint16_t us_port,
	       const struct kipsec_addr *them, uint16_t them_port, struct natt_result *r);
/*
 * The two NAT-D payloads we send: the peer's address as we send to it,
 * then ours (with @fake, random bytes instead: the peer, and we, then
 * believe there is a NAT, as strongSwan's encap = yes does). Returns 0 or -1.
 */
int natt_put_natd(struct ike_wbuf *w, uint8_t np, enum ike_hash h, const uint8_t *icky,
		  const uint8_t *rcky, const struct kipsec_addr *peer, uint16_t peer_port,
		  const struct kipsec_addr *us, uint16_t us_port, bool fake);

/*
 * The encapsulation mode to propose for @mode (ENCAP_TUNNEL or
 * ENCAP_TRANSPORT) when UDP-encapsulated, in the numbering of @v.
 */
uint16_t natt_encap(uint16_t mode, enum natt_vid v);
/* The drafts' UDP modes as RFC 3947's (61443 -> 3, 61444 -> 4); others unchanged. */
uint16_t natt_encap_norm(uint16_t encap);
/* Is @encap one of the UDP-encapsulated modes (either numbering)? */
bool natt_encap_is_udp(uint16_t encap);

/* NAT-OA body (RFC 3947 5.2): ID type, three reserved bytes, the address. */
void natt_put_oa(struct ike_wbuf *w, uint8_t np, const struct kipsec_addr *a);
int natt_parse_oa(const uint8_t *body, size_t len, struct kipsec_addr *a);

/*
 * A datagram received on the NAT-T port: IKE after the non-ESP marker.
 * Returns the offset of the ISAKMP message (4), or -1 for anything else
 * (a keepalive, ESP the kernel did not take, a short datagram).
 */
int natt_strip_marker(const uint8_t *buf, size_t len);

#endif
