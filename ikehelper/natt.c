// SPDX-License-Identifier: GPL-2.0
/*
 * NAT traversal's wire pieces (RFC 3947, RFC 3948): vendor IDs, NAT-D,
 * UDP-encapsulated modes, NAT-OA, the non-ESP marker. The daemon's use of
 * them (when to float to port 4500, keepalives) is in phase1.c and
 * daemon.c.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include <openssl/crypto.h>

#include "isakmp.h"
#include "natt.h"

#define VID_LEN 16

/* MD5 of each name (tests/unit/test_natt.c recomputes them). */
static const struct {
	const char *name;
	uint8_t vid[VID_LEN];
} vids[] = {
	[NATT_DRAFT_02] = { "draft-ietf-ipsec-nat-t-ike-02",
			    { 0xcd, 0x60, 0x46, 0x43, 0x35, 0xdf, 0x21, 0xf8,
			      0x7c, 0xfd, 0xb2, 0xfc, 0x68, 0xb6, 0xa4, 0x48 } },
	[NATT_DRAFT_02N] = { "draft-ietf-ipsec-nat-t-ike-02\\n",
			     { 0x90, 0xcb, 0x80, 0x91, 0x3e, 0xbb, 0x69, 0x6e,
			       0x08, 0x63, 0x81, 0xb5, 0xec, 0x42, 0x7b, 0x1f } },
	[NATT_DRAFT_03] = { "draft-ietf-ipsec-nat-t-ike-03",
			    { 0x7d, 0x94, 0x19, 0xa6, 0x53, 0x10, 0xca, 0x6f,
			      0x2c, 0x17, 0x9d, 0x92, 0x15, 0x52, 0x9d, 0x56 } },
	[NATT_RFC3947] = { "RFC 3947",
			   { 0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
			     0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f } },
};

const uint8_t *natt_vid_bytes(enum natt_vid v)
{
	return v > NATT_NONE && v <= NATT_RFC3947 ? vids[v].vid : NULL;
}

const char *natt_vid_name(enum natt_vid v)
{
	return v > NATT_NONE && v <= NATT_RFC3947 ? vids[v].name : "none";
}

enum natt_vid natt_vid_parse(const uint8_t *body, size_t len)
{
	int v;

	if (len != VID_LEN)
		return NATT_NONE;
	for (v = NATT_DRAFT_02; v <= NATT_RFC3947; v++)
		if (!memcmp(body, vids[v].vid, VID_LEN))
			return (enum natt_vid)v;
	return NATT_NONE;
}

enum natt_vid natt_vid_best(const struct ike_msg *m)
{
	enum natt_vid best = NATT_NONE, v;
	int i;

	for (i = 0; i < m->n; i++) {
		if (m->pl[i].type != ISAKMP_NP_VID)
			continue;
		v = natt_vid_parse(m->pl[i].body, m->pl[i].len);
		if (v > best)
			best = v;
	}
	return best;
}

void natt_put_vids(struct ike_wbuf *w)
{
	int v;

	/* newest first, as strongSwan and Libreswan order theirs */
	for (v = NATT_RFC3947; v >= NATT_DRAFT_02; v--)
		isakmp_pl(w, ISAKMP_NP_VID, vids[v].vid, VID_LEN);
}

uint8_t natt_np_natd(enum natt_vid v)
{
	return v == NATT_RFC3947 ? ISAKMP_NP_NATD : ISAKMP_NP_NATD_DRAFT;
}

uint8_t natt_np_natoa(enum natt_vid v)
{
	return v == NATT_RFC3947 ? ISAKMP_NP_NATOA : ISAKMP_NP_NATOA_DRAFT;
}

int natt_hash(enum ike_hash h, const uint8_t *icky, const uint8_t *rcky,
	      const struct kipsec_addr *a, uint16_t port, uint8_t *out)
{
	uint16_t nport = htons(port);
	struct iovec v[4] = {
		{ (void *)icky, IKE_COOKIE_LEN },
		{ (void *)rcky, IKE_COOKIE_LEN },
		{ (void *)a->bytes, a->len },
		{ &nport, sizeof(nport) },
	};

	if (a->len != 4 && a->len != 16)
		return -1;
	return ike_hash(h, v, 4, out);
}

int natt_check(const struct ike_msg *m, uint8_t np, enum ike_hash h, const uint8_t *icky,
	       const uint8_t *rcky, const struct kipsec_addr *us, uint16_t us_port,
	       const struct kipsec_addr *them, uint16_t them_port, struct natt_result *r)
{
	uint8_t mine[IKE_PRF_MAX], theirs[IKE_PRF_MAX];
	size_t hl = ike_prf_len(h);
	bool first = true, seen_them = false;
	int i, n = 0;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < m->n; i++)
		if (m->pl[i].type == np)
			n++;
	if (!n)
		return 0;
	r->present = true;
	if (n < 2 || natt_hash(h, icky, rcky, us, us_port, mine) < 0 ||
	    natt_hash(h, icky, rcky, them, them_port, theirs) < 0)
		return -1;
	for (i = 0; i < m->n; i++) {
		const struct ike_payload *p = &m->pl[i];

		if (p->type != np)
			continue;
		if (p->len != hl)
			return -1;
		if (first)
			r->local_nat = CRYPTO_memcmp(p->body, mine, hl) != 0;
		else if (!CRYPTO_memcmp(p->body, theirs, hl))
			seen_them = true;
		first = false;
	}
	r->remote_nat = !seen_them;
	return 0;
}

int natt_put_natd(struct ike_wbuf *w, uint8_t np, enum ike_hash h, const uint8_t *icky,
		  const uint8_t *rcky, const struct kipsec_addr *peer, uint16_t peer_port,
		  const struct kipsec_addr *us, uint16_t us_port, bool fake)
{
	uint8_t d[IKE_PRF_MAX];
	size_t hl = ike_prf_len(h);

	if (natt_hash(h, icky, rcky, peer, peer_port, d) < 0)
		return -1;
	isakmp_pl(w, np, d, hl);
	if (fake) {
		/* a hash of nothing our address could give: a NAT in front of us */
		struct kipsec_addr none = { .family = us->family, .len = us->len };

		memset(none.bytes, 0xff, sizeof(none.bytes));
		if (natt_hash(h, icky, rcky, &none, 0, d) < 0)
			return -1;
	} else if (natt_hash(h, icky, rcky, us, us_port, d) < 0) {
		return -1;
	}
	isakmp_pl(w, np, d, hl);
	return 0;
}

uint16_t natt_encap(uint16_t mode, enum natt_vid v)
{
	bool draft = v != NATT_RFC3947;

	if (mode == ENCAP_TRANSPORT)
		return draft ? ENCAP_UDP_TRANSPORT_DRAFT : ENCAP_UDP_TRANSPORT;
	return draft ? ENCAP_UDP_TUNNEL_DRAFT : ENCAP_UDP_TUNNEL;
}

uint16_t natt_encap_norm(uint16_t encap)
{
	if (encap == ENCAP_UDP_TUNNEL_DRAFT)
		return ENCAP_UDP_TUNNEL;
	if (encap == ENCAP_UDP_TRANSPORT_DRAFT)
		return ENCAP_UDP_TRANSPORT;
	return encap;
}

bool natt_encap_is_udp(uint16_t encap)
{
	encap = natt_encap_norm(encap);
	return encap == ENCAP_UDP_TUNNEL || encap == ENCAP_UDP_TRANSPORT;
}

void natt_put_oa(struct ike_wbuf *w, uint8_t np, const struct kipsec_addr *a)
{
	isakmp_pl_open(w, np);
	isakmp_put8(w, a->len == 16 ? ID_IPV6_ADDR : ID_IPV4_ADDR);
	isakmp_put8(w, 0);
	isakmp_put16(w, 0);
	isakmp_put(w, a->bytes, a->len);
	isakmp_pl_close(w);
}

int natt_parse_oa(const uint8_t *body, size_t len, struct kipsec_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (len == 8 && body[0] == ID_IPV4_ADDR) {
		a->family = AF_INET;
		a->len = 4;
	} else if (len == 20 && body[0] == ID_IPV6_ADDR) {
		a->family = AF_INET6;
		a->len = 16;
	} else {
		return -1;
	}
	memcpy(a->bytes, body + 4, a->len);
	return 0;
}

int natt_strip_marker(const uint8_t *buf, size_t len)
{
	static const uint8_t marker[NATT_MARKER_LEN];

	if (len < NATT_MARKER_LEN + ISAKMP_HDR_LEN || memcmp(buf, marker, NATT_MARKER_LEN))
		return -1;
	return NATT_MARKER_LEN;
}
