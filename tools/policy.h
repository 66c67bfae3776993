/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Security policies: kipsec policy add|del|show|flush. Command line →
 * struct kipsec_policy → request; dump replies and acquire events → struct
 * kipsec_policy → text.
 */
#ifndef KIPSEC_POLICY_H
#define KIPSEC_POLICY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libmnl/libmnl.h>
#include <linux/kipsec.h>

#include "addr.h"
#include "args.h"
#include "selector.h"

#define KIPSEC_POLICY_MAX_TMPL 2

#define KIPSEC_POLICY_HAS(p, attr) (!!((p)->present & (1U << (attr))))

struct kipsec_tmpl {
	uint32_t present;	/* bit KIPSEC_A_TMPL_x */
	uint32_t family;
	struct kipsec_addr saddr, daddr;
	uint32_t proto, mode, reqid;
};

struct kipsec_policy {
	uint32_t present;	/* bit KIPSEC_A_POLICY_x */
	uint32_t index, dir, priority, action;
	struct kipsec_sel sel;
	/* Innermost first: a bundle is tmpl[0] ESP inside tmpl[1] AH. */
	struct kipsec_tmpl tmpl[KIPSEC_POLICY_MAX_TMPL];
	unsigned int ntmpl;
	uint64_t packets;
};

enum kipsec_policy_op {
	KIPSEC_POLICY_ADD,
	KIPSEC_POLICY_DEL,
	KIPSEC_POLICY_SHOW,
	KIPSEC_POLICY_FLUSH,
};

struct kipsec_policy_cmd {
	enum kipsec_policy_op op;
	struct kipsec_policy pol;
};

/* Parse "policy" arguments (argv[0] is the operation). */
int kipsec_policy_parse_cmd(int argc, char **argv, struct kipsec_policy_cmd *cmd,
			    struct kipsec_err *e);

/* The genl command and flags @cmd sends, and its attributes into @nlh. */
uint8_t kipsec_policy_genl_cmd(const struct kipsec_policy_cmd *cmd, uint16_t *flags);
void kipsec_policy_put(struct nlmsghdr *nlh, const struct kipsec_policy_cmd *cmd);

/* A policy from a nest's or message's attributes; -1 if malformed. */
int kipsec_policy_parse_attrs(const void *payload, size_t len, struct kipsec_policy *pol);

struct kipsec_policy_list {
	struct kipsec_policy *pols;
	size_t n, cap;
	bool interrupted;
};
int kipsec_policy_list_cb(const struct nlmsghdr *nlh, void *data);
void kipsec_policy_list_free(struct kipsec_policy_list *l);

/* The add reply: its index into the uint32_t @data. */
int kipsec_policy_index_cb(const struct nlmsghdr *nlh, void *data);

const char *kipsec_dir_name(uint32_t dir);
const char *kipsec_action_name(uint32_t action);

void kipsec_policy_print(FILE *f, const struct kipsec_policy *pol);
void kipsec_policy_print_json(FILE *f, const struct kipsec_policy *pol);

int cmd_policy(int argc, char **argv, bool json);

#endif /* KIPSEC_POLICY_H */
