/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipsec-iked's configuration: connections from kipsec-iked.conf (one
 * "conn NAME" section each, ipsec.conf-like "key = value" lines) and
 * pre-shared keys from a separate secrets file that only root may read.
 * Errors name the file and the line.
 */
#ifndef KIPSEC_IKE_CONFIG_H
#define KIPSEC_IKE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../tools/addr.h"
#include "proposal.h"
#include "ts.h"

#define IKE_ID_MAX 128
#define IKE_PSK_MAX 256

enum start_action { START_ADD, START_START, START_ROUTE };
enum dpd_action { DPD_CLEAR, DPD_RESTART, DPD_HOLD };

struct ike_id {
	uint8_t type;			/* ID_IPV4_ADDR, ID_FQDN, ... */
	uint8_t data[IKE_ID_MAX];
	size_t len;
	char text[IKE_ID_MAX + 1];
};

struct ike_conn {
	char name[64];
	int line;			/* where the section starts */
	struct kipsec_addr local, remote;
	struct ike_id local_id, remote_id;
	struct p1_prop ike[IKE_MAX_PROPS];
	int nike;
	uint32_t ike_lifetime;
	bool aggressive;		/* Aggressive Mode allowed (and used to initiate) */
	struct ike_ts lts, rts;		/* traffic selectors (proxy IDs) */
	uint16_t mode;			/* ENCAP_TUNNEL / ENCAP_TRANSPORT */
	struct p2_prop esp[IKE_MAX_PROPS];
	int nesp;			/* 0: AH only (ah given, esp not) */
	struct p2_prop ah[IKE_MAX_PROPS];
	int nah;			/* AH proposals; with nesp an AH+ESP bundle */
	bool esp_set;			/* esp given in the file (else the default, unless ah is) */
	uint16_t pfs;			/* DH group, 0 = none */
	uint32_t lifetime;		/* child SA, seconds (hard; soft comes earlier) */
	uint64_t lifebytes;		/* child SA, bytes (sent as kilobytes); 0: none */
	enum start_action start;
	bool per_cpu;			/* out policy's template per-cpu: a pair per CPU on acquire */
	uint32_t reqid;
	bool nat_traversal;		/* announce and use NAT-T (RFC 3947); default yes */
	bool force_encap;		/* fake a NAT: ESP in UDP even without one */
	uint32_t nat_keepalive;		/* seconds between keepalives behind a NAT; 0: none */
	uint32_t dpd_delay;		/* s idle before R-U-THERE; 0: DPD off */
	uint32_t dpd_timeout;		/* s without an answer: the peer is dead */
	enum dpd_action dpd_action;
	bool reqid_set;			/* given in the file (else the section's position) */
	uint8_t psk[IKE_PSK_MAX];
	size_t psklen;
	/* phase1.c's half-open limit: drops since it last logged, and when */
	unsigned long half_open_dropped;
	uint64_t half_open_logged;
};

struct ike_config {
	struct ike_conn *conns;
	int nconns;
};

/* Parse @path into @cfg; on error fills @err ("FILE:LINE: what") and returns -1. */
int ike_config_load(const char *path, struct ike_config *cfg, char *err, size_t errlen);
/* Same, from a string (for tests); @name stands in for the file name. */
int ike_config_parse(const char *name, const char *text, struct ike_config *cfg, char *err,
		     size_t errlen);

/*
 * Read @path (refused when group or others may read or write it) and give
 * every connection its PSK: a line "ID [ID2] : PSK "secret"" matches a
 * connection whose remote ID is ID (and local ID is ID2, when given).
 */
int ike_secrets_load(const char *path, struct ike_config *cfg, char *err, size_t errlen);
int ike_secrets_parse(const char *name, const char *text, struct ike_config *cfg, char *err,
		      size_t errlen);

/* Zero the PSKs and free. */
void ike_config_free(struct ike_config *cfg);

/* Text → ID: an address is ID_IPV4/6_ADDR, "user@host" USER_FQDN, else FQDN. */
int ike_id_parse(const char *s, struct ike_id *id);

#endif
