/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's state: phase-1 SAs (Main Mode), Quick Mode exchanges under
 * them, and the daemon holding sockets, config and the netlink handle.
 */
#ifndef KIPSEC_IKE_IKE_H
#define KIPSEC_IKE_IKE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "../tools/nl.h"
#include "config.h"
#include "dh.h"
#include "isakmp.h"
#include "keymat.h"
#include "natt.h"

#define IKE_NONCE_LEN	32
#define IKE_NONCE_MAX	256

/* The last message an exchange sent, for retransmission and duplicates. */
struct ike_xmit {
	uint8_t buf[ISAKMP_MAX_MSG];
	size_t len;
	int tries;		/* times sent */
	uint64_t due;		/* ms (monotonic) of the next resend; 0: none */
	bool expire_only;	/* the timer ends the exchange instead of resending */
	uint8_t rx[32];		/* SHA-256 of the last message that was processed */
	bool rx_valid;
};

enum p1_state {
	MM_I1,		/* sent SA, waiting for the responder's SA */
	MM_I2,		/* sent KE+Ni */
	MM_I3,		/* sent IDii+HASH_I */
	MM_R1,		/* sent SA, waiting for KE+Ni */
	MM_R2,		/* sent KE+Nr */
	AM_I1,		/* Aggressive Mode: sent SA, KE, Ni, IDii */
	AM_R1,		/* Aggressive Mode: sent SA, KE, Nr, IDir, HASH_R */
	P1_ESTABLISHED,
	P1_DEAD,
};

enum qm_state { QM_I1, QM_R1, QM_DONE, QM_DEAD };

struct ike_sa;

struct ike_quick {
	struct ike_quick *next;
	struct ike_sa *sa;
	uint32_t msgid;
	bool initiator;
	enum qm_state state;
	uint8_t iv[IKE_BLOCK_MAX];
	uint8_t ni[IKE_NONCE_MAX], nr[IKE_NONCE_MAX];
	size_t nilen, nrlen;
	struct ike_dh *dh;
	uint8_t gqm[IKE_DH_MAX];
	size_t gqmlen;
	uint32_t spi_in, spi_out;
	uint8_t proto;			/* of spi_in/out and prop: PROTO_IPSEC_ESP, or _AH (AH only) */
	struct p2_prop prop;
	/*
	 * An AH+ESP bundle (RFC 2409 5.5): the AH pair outside the ESP one,
	 * negotiated, keyed, installed, rekeyed and deleted with it.
	 */
	bool bundle;
	uint32_t ah_spi_in, ah_spi_out;
	struct p2_prop ah_prop;
	bool ah_in_gone, ah_out_gone;
	uint8_t ah_kout[64];		/* like kout, for the AH outbound SA */
	uint32_t life_secs;		/* hard lifetime (negotiated) */
	uint32_t soft_secs;		/* soft lifetime given to the kernel */
	uint64_t life_bytes;		/* hard byte limit (negotiated kilobytes * 1024); 0: none */
	uint64_t soft_bytes;		/* soft byte limit given to the kernel */
	uint32_t notify_secs, notify_kb;	/* responder: RESPONDER-LIFETIME to send (0: none) */
	bool installed;			/* the inbound SA (and the outbound unless deferred) */
	bool out_installed;
	bool in_gone, out_gone;		/* the kernel removed that SA itself (hard expire) */
	uint64_t installed_ms;		/* when: the newest pair is the one in use */
	uint32_t pol_out, pol_in;	/* kernel policy indexes */
	/* ESP in UDP (NAT traversal): our NAT-T port <-> the peer's, as seen */
	bool encap;
	uint16_t encap_peer_port;
	/*
	 * Rekeying (make-before-break): the initiator of a rekey installs the
	 * new outbound SA only at @out_due, once the responder (which installs
	 * on message 3) can take it, keeping its key until then; the pair with
	 * inbound SPI @replaces is deleted @del_due later.
	 */
	uint8_t kout[128];
	uint64_t out_due;
	uint32_t replaces;		/* inbound SPI of the pair this one replaces */
	bool has_cpu;			/* per-CPU pair: the outbound SA serves CPU @cpu */
	uint32_t cpu;
	bool rekeying;			/* soft expire seen: a successor is being negotiated */
	uint64_t del_due;		/* delete this pair (Delete to the peer too) then */
	struct ike_xmit x;
};

struct ike_daemon;

/*
 * Dead Peer Detection (RFC 3706) of one IKE SA: R-U-THEREs outstanding are
 * those numbered @first..@seq; an ACK for one of them (or any authenticated
 * message) ends the wait.
 */
struct ike_dpd {
	bool peer;			/* the peer announced DPD (its Vendor ID) */
	bool pending;			/* R-U-THERE sent, no ACK yet */
	uint32_t seq;			/* the last R-U-THERE's number */
	uint32_t first;			/* the first one not acknowledged */
	uint32_t sent;			/* how many since @since */
	uint64_t last_rx;		/* ms: the last authenticated message from the peer */
	uint64_t since;			/* ms: the first unanswered R-U-THERE */
	uint64_t next;			/* ms: the next R-U-THERE while pending */
};

struct ike_sa {
	struct ike_sa *next;
	struct ike_daemon *d;
	struct ike_conn *conn;
	struct sockaddr_storage peer;
	socklen_t peerlen;
	bool initiator;
	enum p1_state state;
	uint8_t icky[IKE_COOKIE_LEN], rcky[IKE_COOKIE_LEN];
	struct ike_transform chosen;
	size_t block;
	uint8_t *sai_b;			/* initiator's SA payload body */
	size_t sai_len;
	struct ike_dh *dh;
	uint8_t gxi[IKE_DH_MAX], gxr[IKE_DH_MAX];
	size_t gxlen;
	uint8_t ni[IKE_NONCE_MAX], nr[IKE_NONCE_MAX];
	size_t nilen, nrlen;
	uint8_t peer_id[4 + IKE_ID_MAX];	/* Aggressive Mode: IDii_b until HASH_I */
	size_t peer_idlen;
	struct ike_keys keys;
	uint8_t iv[IKE_BLOCK_MAX];	/* Main Mode's CBC chain */
	uint8_t p1_last[IKE_BLOCK_MAX];	/* its last block: seeds phase-2 IVs */
	struct ike_xmit x;
	struct ike_quick *qms;
	/* lifetime (ms, monotonic): rekey at the soft one, delete at the hard one */
	uint64_t established_ms, rekey_due, expire_due;
	bool p1_rekey;			/* this SA replaces an older one: no Quick Mode after it */
	bool rekeying;			/* a replacement for this one is being negotiated */
	uint64_t del_due;		/* replaced: delete it then (Delete to the peer too) */
	bool peer_deleted;		/* the peer's Delete: CHILD SAs go to a newer IKE SA */
	/*
	 * NAT traversal (natt.c): the version both sides announced, what the
	 * NAT-D payloads told, and whether IKE moved to the NAT-T port (then
	 * @peer is the address and port the peer was last seen at there, as
	 * its NAT rewrote them, and CHILD SAs are ESP in UDP).
	 */
	enum natt_vid natt;
	bool nat_local, nat_remote;
	bool floated;
	uint64_t keepalive_due;		/* behind a NAT: next keepalive (ms) */
	struct ike_dpd dpd;
};

/* Per connection, beside its configuration. */
struct ike_conn_state {
	uint32_t pol_out, pol_in;	/* start_action=route: policies installed at start */
	uint32_t replace;		/* the next Quick Mode replaces this inbound SPI's pair */
	uint32_t next_cpu;		/* ... and is for CPU next_cpu - 1 (0: shared) */
};

struct ike_daemon {
	struct ike_config cfg;
	struct ike_conn_state *cs;	/* one per connection */
	uint32_t *route_out;		/* cs[i].pol_out as an array, for ike_acquire_match */
	struct kipsec_nl ev;		/* the "events" multicast group (route connections) */
	bool ev_open;
	int fd4, fd6;
	uint16_t port;
	int nfd4, nfd6;			/* the NAT-T port's sockets (UDP_ENCAP), or -1 */
	uint16_t natt_port;		/* --natt-port, default 4500 */
	/* the datagram being dispatched: its source, and whether it came on natt_port */
	struct sockaddr_storage rx_from;
	socklen_t rx_fromlen;
	bool rx_natt;
	struct kipsec_nl nl;
	bool nl_open;
	struct ike_sa *sas;
	int retx_ms;		/* first retransmission delay */
	int retx_tries;		/* sends before giving up */
	int max_half_open;	/* responder SAs in phase 1 per connection */
	uint32_t bypass[2][4];	/* IKE bypass policies: [v4, v6][out, in; NAT-T out, in] */
	bool no_kernel;		/* --no-kernel: negotiate only, install nothing */
	const char *export_dir;	/* --export-keys: Wireshark's key tables */
	struct ike_pcap *pcap;	/* --pcap: decrypted messages, or NULL */
	bool detach;		/* --daemon */
	const char *pid_file;	/* --pid-file */
	const char *config_path, *secrets_path;	/* read again on SIGHUP */
	const char *ctl_path;	/* --ctl: the control socket ("": none) */
	bool ctl_given;		/* --ctl was given: failing to listen there is fatal */
	struct ike_ctl *ctl;	/* ctl.c's listener and clients, or NULL */
};

uint64_t ike_now_ms(void);
/* The address of @ss (family 0 if neither IPv4 nor IPv6). */
void ike_addr_of(const struct sockaddr_storage *ss, struct kipsec_addr *a);
/* The reverse: @a (IPv4 or IPv6) and @port into @ss; returns its length. */
socklen_t ike_sockaddr(const struct kipsec_addr *a, uint16_t port, struct sockaddr_storage *ss);
void ike_random(void *p, size_t n);

/*
 * daemon.c: send @x->len bytes of @x to @sa's peer. With @retransmit the
 * exchange's initiator arms the resend timer; a responder only remembers the
 * message (answering duplicates) and gives up after the exchange timeout.
 */
void ike_send(struct ike_sa *sa, struct ike_xmit *x, bool retransmit);
/*
 * One datagram to @to from the socket of its family (no retransmission),
 * from the address @from if given (NULL: the one the route prefers); with
 * @natt from the NAT-T port's socket, after the non-ESP marker.
 */
void ike_xmit(struct ike_daemon *d, bool natt, const struct kipsec_addr *from,
	      const struct sockaddr_storage *to, socklen_t tolen, const uint8_t *buf, size_t len);
/* The same to @sa's peer, on the port @sa uses now. */
void ike_xmit_sa(struct ike_sa *sa, const uint8_t *buf, size_t len);
/* The port of @ss (host byte order). */
uint16_t ike_port_of(const struct sockaddr_storage *ss);
/* SHA-256 of a received datagram (taken before decryption). */
void ike_digest(const uint8_t *buf, size_t len, uint8_t *out);
/* Did this exchange already process the message with digest @dg? */
static inline bool ike_xmit_is_dup(const struct ike_xmit *x, const uint8_t *dg)
{
	return x->rx_valid && !memcmp(x->rx, dg, sizeof(x->rx));
}

static inline void ike_xmit_seen(struct ike_xmit *x, const uint8_t *dg)
{
	memcpy(x->rx, dg, sizeof(x->rx));
	x->rx_valid = true;
}
/* An unencrypted informational notification (before keys exist). */
void ike_send_notify_plain(struct ike_daemon *d, const struct sockaddr_storage *to,
			   socklen_t tolen, const uint8_t *icky, const uint8_t *rcky, uint16_t type);
/* Free @sa and everything under it (kernel SAs included). */
void ike_sa_free(struct ike_sa *sa);
/*
 * One datagram from @from, received on the IKE port or (@natt) on the
 * NAT-T port with its non-ESP marker still in front; @buf is decrypted in
 * place. The one way network input enters: the socket loop, and the
 * fuzzer (tests/fuzz/) with the same checks.
 */
void ike_daemon_input(struct ike_daemon *d, const struct sockaddr_storage *from,
		      socklen_t fromlen, bool natt, uint8_t *buf, size_t len);

/* crypt.c: encrypted ISAKMP messages. */
/*
 * Pad @w's payloads to the block size, encrypt them with @iv (updated to
 * the last ciphertext block) and set the header length. Returns the length
 * or 0.
 */
/*
 * crypt.c: encrypt the message in @w (header included, padded here) /
 * decrypt @buf in place and parse its payloads into @m; both record the
 * cleartext with --pcap.
 */
size_t ike_encrypt(struct ike_sa *sa, struct ike_wbuf *w, uint8_t *iv);
/*
 * Decrypt the body of @buf in place with @iv (updated) and parse its
 * payloads into @m (padding allowed). Returns 0 or -1 (reason logged).
 */
int ike_decrypt(struct ike_sa *sa, uint8_t *buf, size_t len, struct ike_msg *m, uint8_t *iv);
/*
 * The phase-2 hashes: prf(SKEYID_a, [0 |] M-ID | @extra | @rest), with the
 * zero byte for HASH(3) (RFC 2409 section 5.5).
 */
int ike_hash_msg(struct ike_sa *sa, bool zero, uint32_t msgid, const uint8_t *extra,
		 size_t extralen, const uint8_t *rest, size_t restlen, uint8_t *out);

/*
 * natt_ike.c: NAT traversal in the exchanges. VIDs in the first messages;
 * NAT-D in Main Mode 3/4 (Aggressive Mode 2/3) with what they tell; the
 * move to the NAT-T port; the Quick Mode encapsulation mode; keepalives.
 */
void ike_natt_put_vids(struct ike_sa *sa, struct ike_wbuf *w);
/* The peer's VIDs in its first message: does it speak NAT-T, and which? */
void ike_natt_take_vids(struct ike_sa *sa, const struct ike_msg *m);
/* Our NAT-D payloads (if both speak NAT-T). Returns 0 or -1. */
int ike_natt_put_natd(struct ike_sa *sa, struct ike_wbuf *w);
/* The peer's NAT-D payloads: NAT found (logged)? Returns 0 or -1 (malformed). */
int ike_natt_take_natd(struct ike_sa *sa, const struct ike_msg *m);
/* Initiator: move IKE to the NAT-T port now if a NAT was found. */
void ike_natt_float(struct ike_sa *sa);
/*
 * The message being dispatched for @sa decrypted (or its hash verified):
 * if it came on the NAT-T port, follow its source (the peer floated, or
 * its NAT mapping changed). Not before: a forged datagram with the right
 * cookies would redirect the SA.
 */
void ike_natt_rx_ok(struct ike_sa *sa);
/* Quick Mode: the encapsulation mode for @sa's connection, as we number it. */
uint16_t ike_natt_encap(const struct ike_sa *sa);
/* Keepalives of IKE SAs behind a NAT: send the due ones; the next due time. */
uint64_t ike_natt_keepalives(struct ike_daemon *d, uint64_t now);

/* phase1.c */
struct ike_sa *ike_p1_initiate(struct ike_daemon *d, struct ike_conn *c);
/*
 * daemon.c, when phase 1 completes: its lifetimes set, and the CHILD SAs of
 * older IKE SAs of the connection moved under it (those it replaces, if we
 * started it as a rekey, are deleted shortly after).
 */
void ike_p1_established(struct ike_sa *sa);
/* A Main or Aggressive Mode message for @sa (NULL: a new exchange from @from). */
void ike_p1_input(struct ike_daemon *d, struct ike_sa *sa, const struct sockaddr_storage *from,
		  socklen_t fromlen, uint8_t *buf, size_t len, const struct ike_msg *hdr);

/* quickmode.c */
struct ike_quick *ike_qm_initiate(struct ike_sa *sa);
/* The outbound SA of a rekey, deferred until now; then the old pair's deletion is scheduled. */
void ike_qm_install_out(struct ike_quick *q);
void ike_qm_input(struct ike_sa *sa, uint8_t *buf, size_t len, const struct ike_msg *hdr);
void ike_qm_free(struct ike_quick *q);

/* info.c: informational exchanges under an established SA. */
void ike_info_input(struct ike_sa *sa, uint8_t *buf, size_t len, const struct ike_msg *hdr);
/* Tell the peer we delete every CHILD SA of @sa, then @sa itself. */
void ike_info_delete_all(struct ike_sa *sa);
/* Tell the peer we delete the IKE SA @sa (only: its CHILD SAs live on). */
void ike_info_delete_ike(struct ike_sa *sa);
/* Tell the peer we delete the CHILD SA of @q (our inbound SPI names it). */
void ike_info_delete_child(struct ike_sa *sa, const struct ike_quick *q);
/* HDR*, HASH(1), one payload of type @np with body @body: a new informational exchange. */
int ike_info_send(struct ike_sa *sa, uint8_t np, const uint8_t *body, size_t len);
/* A protected notification of @type about @proto's SPI (@spisz bytes, 0: none). */
void ike_info_notify(struct ike_sa *sa, uint8_t proto, const uint8_t *spi, uint8_t spisz,
		     uint16_t type);

/* dpd.c: Dead Peer Detection (RFC 3706). */
#define IKE_DPD_VID_LEN 16
extern const uint8_t ike_dpd_vid[IKE_DPD_VID_LEN];
/* Our DPD Vendor ID payload (every Main and Aggressive Mode message that carries SA). */
void ike_dpd_put_vid(struct ike_wbuf *w);
/* Did the peer announce DPD in (cleartext) phase-1 message @m? Remembered in @sa. */
void ike_dpd_peer_vid(struct ike_sa *sa, const struct ike_msg *m);
/*
 * The Notification body of an R-U-THERE (@type N_DPD_R_U_THERE) or its ACK:
 * DOI, protocol ISAKMP, SPI size 16, the cookies as SPI, @seq as data.
 * Returns its length (28) or 0 if @cap is too small.
 */
size_t ike_dpd_notify_body(uint8_t *out, size_t cap, uint16_t type, const uint8_t *icky,
			   const uint8_t *rcky, uint32_t seq);
/*
 * Parse a Notification body (@len bytes) of type R-U-THERE or R-U-THERE-ACK:
 * 1 with *@type and *@seq set, 0 when it is another notification, -1 when
 * malformed or naming other cookies (*@why says how).
 */
int ike_dpd_notify_parse(const uint8_t *body, size_t len, const uint8_t *icky,
			 const uint8_t *rcky, uint16_t *type, uint32_t *seq, const char **why);
/* Does an ACK numbered @seq answer an R-U-THERE outstanding in @s? */
bool ike_dpd_ack_ok(const struct ike_dpd *s, uint32_t seq);
/* An R-U-THERE or ACK the peer sent under @sa (its HASH(1) verified). */
void ike_dpd_input(struct ike_sa *sa, uint16_t type, uint32_t seq);
/* Phase 1 done: the idle clock starts; the log says whether and how DPD runs. */
void ike_dpd_established(struct ike_sa *sa);
/* Anything else authenticated from the peer under @sa: it is alive. */
void ike_dpd_alive(struct ike_sa *sa);
/*
 * daemon.c's timer: send R-U-THERE when @sa has been idle dpd_delay, declare
 * the peer dead after dpd_timeout without an answer (dpd_action follows).
 * Returns when it next needs to run (0: never).
 */
uint64_t ike_dpd_timer(struct ike_sa *sa, uint64_t now);
uint64_t ike_dpd_due(const struct ike_sa *sa);
/* daemon.c: dpd_action = hold on a connection not routed: route it now. */
int ike_daemon_route(struct ike_daemon *d, int ci);

/* kernel.c: SAs and policies in kipsec. */
/*
 * Both SAs, or only the inbound one with @key_out NULL (see
 * ike_kernel_install_out); a bundle's AH SAs with @ah_in and @ah_out
 * (NULL when @key_out is).
 */
int ike_kernel_install(struct ike_quick *q, const uint8_t *key_in, const uint8_t *key_out,
		       size_t keylen, const uint8_t *ah_in, const uint8_t *ah_out);
int ike_kernel_install_out(struct ike_quick *q, const uint8_t *key_out, const uint8_t *ah_out);
/* The kernel algorithms of @q's main pair (ESP, or AH for AH only). */
int ike_kernel_kalg(const struct ike_quick *q, struct esp_kalg *k);
/* start_action=route: the connection's protect policies, without SAs. */
int ike_kernel_route(struct ike_daemon *d, int ci);
void ike_kernel_unroute(struct ike_daemon *d, int ci);
static inline int ike_conn_index(const struct ike_daemon *d, const struct ike_conn *c)
{
	return (int)(c - d->cfg.conns);
}
void ike_kernel_remove(struct ike_quick *q);
/* Bypass policies (out, in) keeping UDP to/from @port out of protect policies. */
int ike_kernel_bypass(struct ike_daemon *d, uint32_t family, uint16_t port, uint32_t *index);
void ike_kernel_unbypass(struct ike_daemon *d, const uint32_t *index);

/* daemon.c: sockets up, connections with start_action=start initiated. */
int ike_daemon_start(struct ike_daemon *d);
/*
 * The UDP socket (and IKE bypass policies) for connection @ci's family if
 * there are none yet, then the connection routed or initiated per its
 * start_action (at start, and for connections a reload adds).
 */
int ike_daemon_start_conn(struct ike_daemon *d, int ci);
/*
 * Serve until *stop is set (by a signal); then remove every SA. *hup set
 * (SIGHUP) reloads the configuration (reload.c) and is cleared.
 */
void ike_daemon_run(struct ike_daemon *d, volatile int *stop, volatile int *hup);
void ike_daemon_stop(struct ike_daemon *d);

#endif
