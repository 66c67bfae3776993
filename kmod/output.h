/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The output path (output.c) and the input path (input.c): per-namespace
 * netfilter hooks and the global ESP protocol handlers.
 */
#ifndef _KIPSEC_OUTPUT_H
#define _KIPSEC_OUTPUT_H

#include <net/net_namespace.h>

int kipsec_output_net_init(struct net *net);
void kipsec_output_net_uninit(struct net *net);
int kipsec_input_net_init(struct net *net);
void kipsec_input_net_uninit(struct net *net);
int kipsec_input_init(void);
void kipsec_input_uninit(void);

#endif /* _KIPSEC_OUTPUT_H */
