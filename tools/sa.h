/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Security associations: the command line (sa add|update|del|get|show|flush)
 * → struct kipsec_sa → a netlink request; replies and events → struct
 * kipsec_sa → human or JSON text.
 */
#ifndef KIPSEC_SA_H
#define KIPSEC_SA_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libmnl/libmnl.h>
#include <linux/kipsec.h>

#include "addr.h"
#include "alg.h"
#include "args.h"
#include "keys.h"

enum kipsec_sa_op {
	KIPSEC_SA_ADD,
	KIPSEC_SA_UPDATE,
	KIPSEC_SA_DEL,
	KIPSEC_SA_GET,
	KIPSEC_SA_SHOW,
	KIPSEC_SA_FLUSH,
};

#define KIPSEC_SA_HAS(sa, attr) (!!((sa)->present & (1ULL << (attr))))

struct kipsec_sa {
	uint64_t present;	/* bit KIPSEC_A_SA_x: attribute x given / received */
	uint32_t family;
	struct kipsec_addr saddr, daddr;
	uint32_t spi, proto, mode, reqid, cpu;
	uint32_t encap_sport, encap_dport;	/* ESP in UDP */
	char aead_alg[KIPSEC_ALG_NAME_MAX];
	char enc_alg[KIPSEC_ALG_NAME_MAX];
	char auth_alg[KIPSEC_ALG_NAME_MAX];
	struct kipsec_keys keys;
	uint32_t icv_len, replay_window;
	uint64_t seq, seq_in, add_time, use_time;
	uint32_t lifetime_present;	/* bit KIPSEC_A_LIFETIME_x */
	uint64_t lifetime[KIPSEC_A_LIFETIME_MAX + 1];
	uint32_t stats_present;		/* bit KIPSEC_A_SA_STATS_x */
	uint64_t stats[KIPSEC_A_SA_STATS_MAX + 1];
};

/* A parsed command line: the operation and, for add/update/del/get, the SA. */
struct kipsec_sa_cmd {
	enum kipsec_sa_op op;
	bool show_keys;
	struct kipsec_sa sa;
};

/*
 * Parse "sa" arguments (argv[0] is the operation). Reads the keys file of
 * add/update. On error @cmd holds no keys.
 */
int kipsec_sa_parse_cmd(int argc, char **argv, struct kipsec_sa_cmd *cmd, struct kipsec_err *e);

/* The genl command and flags @cmd sends. */
uint8_t kipsec_sa_genl_cmd(const struct kipsec_sa_cmd *cmd, uint16_t *flags);

/* Put the attributes of @cmd into @nlh (a started kipsec request). */
void kipsec_sa_put(struct nlmsghdr *nlh, const struct kipsec_sa_cmd *cmd);

/* Fill @sa from attributes (a message's or a nest's payload); -1 if malformed. */
int kipsec_sa_parse_attrs(const void *payload, size_t len, struct kipsec_sa *sa);

/* mnl callback for get and dump replies; @data is a struct kipsec_sa_list. */
struct kipsec_sa_list {
	struct kipsec_sa *sas;
	size_t n, cap;
	bool interrupted;	/* NLM_F_DUMP_INTR seen: dump again */
};
int kipsec_sa_list_cb(const struct nlmsghdr *nlh, void *data);
void kipsec_sa_list_free(struct kipsec_sa_list *l);

/* "esp", "ah", or the number. */
const char *kipsec_ipproto_name(uint32_t proto, char *buf, size_t len);
const char *kipsec_mode_name(uint32_t mode);

/* Human text (several lines, @indent before continuation lines) or one JSON object. */
void kipsec_sa_print(FILE *f, const struct kipsec_sa *sa);
void kipsec_sa_print_json(FILE *f, const struct kipsec_sa *sa);
/* The identity line alone: "src A dst B proto esp spi 0x.. reqid N mode M". */
void kipsec_sa_print_id(FILE *f, const struct kipsec_sa *sa);

int cmd_sa(int argc, char **argv, bool json);

#endif /* KIPSEC_SA_H */
