// SPDX-License-Identifier: GPL-2.0
/* The control socket's line protocol (see ctl.h): requests and reply lines. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

static const struct {
	const char *name;
	enum ike_ctl_cmd cmd;
	bool conn;		/* takes a connection name */
} cmds[] = {
	{ "list", CTL_LIST, false },
	{ "conns", CTL_CONNS, false },
	{ "up", CTL_UP, true },
	{ "down", CTL_DOWN, true },
};

int ike_ctl_parse(const char *line, size_t len, struct ike_ctl_req *req, const char **why)
{
	size_t i, wlen, alen;
	const char *arg;

	memset(req, 0, sizeof(*req));
	if (len && line[len - 1] == '\r')
		len--;
	if (len >= IKE_CTL_LINE_MAX) {
		*why = "request too long";
		return -1;
	}
	for (i = 0; i < len; i++)
		if ((unsigned char)line[i] < 0x20 || (unsigned char)line[i] > 0x7e) {
			*why = "malformed request (bytes outside printable ASCII)";
			return -1;
		}
	for (wlen = 0; wlen < len && line[wlen] != ' '; wlen++)
		;
	if (!wlen) {
		*why = "empty request";
		return -1;
	}
	arg = line + wlen;
	alen = len - wlen;
	if (alen) {
		/* exactly one space, then the name: no other spaces */
		arg++;
		alen--;
		if (!alen || memchr(arg, ' ', alen)) {
			*why = "expected COMMAND [CONN]";
			return -1;
		}
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strlen(cmds[i].name) != wlen || memcmp(cmds[i].name, line, wlen))
			continue;
		if (cmds[i].conn != (alen != 0)) {
			*why = cmds[i].conn ? "this command needs a connection name"
					    : "this command takes no argument";
			return -1;
		}
		if (alen >= sizeof(req->conn) || memchr(arg, '=', alen)) {
			*why = "bad connection name";
			return -1;
		}
		req->cmd = cmds[i].cmd;
		memcpy(req->conn, arg, alen);
		req->conn[alen] = 0;
		return 0;
	}
	*why = "unknown command (list, conns, up CONN, down CONN)";
	return -1;
}

enum ike_ctl_line ike_ctl_reply_line(const char *line, const char **text)
{
	*text = "";
	if (!strncmp(line, "= ", 2)) {
		*text = line + 2;
		return CTL_LINE_DATA;
	}
	if (!strcmp(line, "ok"))
		return CTL_LINE_OK;
	if (!strncmp(line, "ok ", 3)) {
		*text = line + 3;
		return CTL_LINE_OK;
	}
	if (!strncmp(line, "error: ", 7)) {
		*text = line + 7;
		return CTL_LINE_ERROR;
	}
	return CTL_LINE_BAD;
}

void ike_ctl_printf(struct ike_ctl_out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->cut)
		return;
	for (;;) {
		size_t room = o->cap - o->len;

		va_start(ap, fmt);
		n = o->buf ? vsnprintf(o->buf + o->len, room, fmt, ap) : -1;
		va_end(ap);
		if (n >= 0 && (size_t)n < room) {
			o->len += (size_t)n;
			return;
		}
		if (o->buf && n < 0)
			break;
		{
			size_t cap = o->cap ? o->cap * 2 : 4096;
			char *nb;

			if (cap > IKE_CTL_REPLY_MAX)
				break;
			nb = realloc(o->buf, cap);
			if (!nb)
				break;
			o->buf = nb;
			o->cap = cap;
		}
	}
	/* out of room: the client sees the cut, not a silently short list */
	o->cut = true;
	if (o->buf && o->cap > 64) {
		o->len = o->len < o->cap - 64 ? o->len : o->cap - 64;
		/* back to the start of the line being written */
		while (o->len && o->buf[o->len - 1] != '\n')
			o->len--;
		o->len += (size_t)snprintf(o->buf + o->len, 64, "error: reply too long: cut\n");
	}
}

void ike_ctl_out_free(struct ike_ctl_out *o)
{
	free(o->buf);
	memset(o, 0, sizeof(*o));
}
