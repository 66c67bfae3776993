/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SIGHUP: the configuration and secrets read again and compared with the
 * running ones by connection name. Unchanged connections keep their SAs,
 * removed and changed ones are brought down (Delete to the peer), changed
 * and new ones are started per start_action. A file with an error changes
 * nothing.
 */
#ifndef KIPSEC_IKE_RELOAD_H
#define KIPSEC_IKE_RELOAD_H

#include <stdbool.h>

#include "config.h"

/* Do @a and @b negotiate and install the same way (PSK included)? */
bool ike_conn_same(const struct ike_conn *a, const struct ike_conn *b);

/*
 * For each of @old's connections, the index of the same connection in @nw
 * (unchanged, same name) or -1 (removed or changed): @keep[old->nconns].
 * A connection whose reqid is its position (not given in the file) is the
 * same whatever its position: it keeps its running reqid in @nw, and a new
 * connection's positional reqid that would then collide is moved past the
 * largest one in use.
 */
void ike_config_diff(const struct ike_config *old, struct ike_config *nw, int *keep);

struct ike_daemon;

/* Read d->config_path and d->secrets_path again and apply the difference. */
void ike_reload(struct ike_daemon *d);

#endif
