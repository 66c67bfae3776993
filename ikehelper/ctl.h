/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipsec-iked's control socket: a unix stream socket (root only) taking one
 * request line per connection and answering with lines:
 *
 *   request  = COMMAND [" " CONN] "\n"      at most IKE_CTL_LINE_MAX bytes
 *   COMMAND  = "list" | "conns" | "up" | "down"   (up and down need CONN)
 *   reply    = *("= " TEXT "\n") final
 *   final    = "ok" [" " TEXT] "\n" | "error: " TEXT "\n"
 *
 * The daemon closes the connection after the final line. A request with
 * bytes outside printable ASCII, too long, or not one of the commands gets
 * "error: ..." and the connection is closed. Data lines never carry keys.
 */
#ifndef KIPSEC_IKE_CTL_H
#define KIPSEC_IKE_CTL_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#define IKE_CTL_PATH "/run/kipsec-iked.ctl"
#define IKE_CTL_LINE_MAX 256		/* request line, newline included */
#define IKE_CTL_REPLY_MAX (256 * 1024)	/* a longer reply is cut, ending in an error */
#define IKE_CTL_CLIENTS 8		/* connections served at once; more are refused */
#define IKE_CTL_TIMEOUT_MS 10000	/* a client's whole life: request, then reading */

enum ike_ctl_cmd { CTL_LIST, CTL_CONNS, CTL_UP, CTL_DOWN };

struct ike_ctl_req {
	enum ike_ctl_cmd cmd;
	char conn[64];
};

/*
 * ctl_proto.c: parse one request line of @len bytes (without its newline;
 * a trailing CR is allowed). Returns 0, or -1 with the reason in *@why.
 */
int ike_ctl_parse(const char *line, size_t len, struct ike_ctl_req *req, const char **why);

/* Kinds of reply lines, for the client. */
enum ike_ctl_line { CTL_LINE_DATA, CTL_LINE_OK, CTL_LINE_ERROR, CTL_LINE_BAD };
/* Classify @line (no newline); *@text: what follows the tag ("" if nothing). */
enum ike_ctl_line ike_ctl_reply_line(const char *line, const char **text);

/* The reply being built: grows up to IKE_CTL_REPLY_MAX, then marks itself cut. */
struct ike_ctl_out {
	char *buf;
	size_t len, cap;
	bool cut;
};

void ike_ctl_printf(struct ike_ctl_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ike_ctl_out_free(struct ike_ctl_out *o);

struct ike_daemon;

/* ctl.c: the daemon's side. Listen on d->ctl_path (an existing live socket is an error). */
int ike_ctl_open(struct ike_daemon *d);
void ike_ctl_close(struct ike_daemon *d);
/* Fill at most @max poll entries (the listener, then clients); returns how many. */
int ike_ctl_pollfds(struct ike_daemon *d, struct pollfd *p, int max);
/* Serve what poll reported on those entries; drop clients past their time. */
void ike_ctl_serve(struct ike_daemon *d, const struct pollfd *p, int n);
/* Run one request, appending its reply (data lines and the final line) to @o. */
void ike_ctl_exec(struct ike_daemon *d, const struct ike_ctl_req *req, struct ike_ctl_out *o);
/* Delete every SA of connection @ci (Delete to the peer) and free them now. */
void ike_conn_down(struct ike_daemon *d, int ci);

/* ctl_client.c: "kipsec-iked ctl COMMAND [CONN]": exit status 0, 1 (refused/failed), 2 (usage). */
int ike_ctl_client(const char *path, int argc, char **argv);

#endif
