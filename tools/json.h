/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal JSON output for -j: strings are escaped per RFC 8259. */
#ifndef KIPSEC_JSON_H
#define KIPSEC_JSON_H

#include <stdio.h>

void json_string(FILE *f, const char *s);

#endif
