// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket in the daemon: accepted without blocking from the poll
 * loop, one request per connection, the reply built at once and written as
 * the client reads it. Each client has bounded buffers and a deadline, and
 * only IKE_CTL_CLIENTS are served at a time: a slow or hostile client costs
 * a few kilobytes and a poll entry, never a stall of the negotiations.
 */
#define _GNU_SOURCE	/* struct ucred */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl.h"
#include "ike.h"
#include "log.h"

struct ctl_client {
	int fd;			/* -1: slot free */
	char in[IKE_CTL_LINE_MAX];
	size_t inlen;
	bool answered;		/* the reply is built: writing it, reading nothing more */
	struct ike_ctl_out out;
	size_t off;		/* bytes of out written */
	uint64_t deadline;
};

struct ike_ctl {
	int fd;
	struct ctl_client c[IKE_CTL_CLIENTS];
};

static int ctl_addr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return -1;
	strcpy(sun->sun_path, path);
	return 0;
}

/* Is a daemon answering on @path? (Else a socket there is stale.) */
static bool live(const struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool ok;

	if (fd < 0)
		return false;
	ok = connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0;
	close(fd);
	return ok;
}

int ike_ctl_open(struct ike_daemon *d)
{
	struct sockaddr_un sun;
	struct ike_ctl *ctl;
	struct stat st;
	mode_t old;
	int i, r;

	if (!d->ctl_path || !*d->ctl_path)
		return 0;	/* --ctl "": no control socket */
	if (ctl_addr(d->ctl_path, &sun) < 0) {
		log_err("--ctl %s: path too long for a unix socket", d->ctl_path);
		return -1;
	}
	if (lstat(d->ctl_path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			log_err("control socket %s: exists and is not a socket: refusing to replace "
				"it", d->ctl_path);
			return -1;
		}
		if (live(&sun)) {
			log_err("control socket %s: another kipsec-iked answers there", d->ctl_path);
			return -1;
		}
		unlink(d->ctl_path);	/* stale: its daemon died */
	}
	ctl = calloc(1, sizeof(*ctl));
	if (!ctl) {
		log_err("out of memory");
		return -1;
	}
	for (i = 0; i < IKE_CTL_CLIENTS; i++)
		ctl->c[i].fd = -1;
	ctl->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (ctl->fd < 0) {
		log_err("control socket: %s", strerror(errno));
		free(ctl);
		return -1;
	}
	/* mode 600 from the start: no window in which others could connect */
	old = umask(0177);
	r = bind(ctl->fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (r < 0 || listen(ctl->fd, IKE_CTL_CLIENTS) < 0) {
		log_err("control socket %s: %s", d->ctl_path, strerror(errno));
		close(ctl->fd);
		free(ctl);
		return -1;
	}
	d->ctl = ctl;
	log_info("control socket %s (root only)", d->ctl_path);
	return 0;
}

/*
 * Close a client's socket. Input left unread would make the kernel reset
 * the connection instead of ending it, and the client could lose our
 * answer: discard what is there first (bounded; no waiting for more).
 */
static void close_gently(int fd)
{
	char junk[4096];
	int i;

	for (i = 0; i < 16; i++)
		if (recv(fd, junk, sizeof(junk), MSG_DONTWAIT) <= 0)
			break;
	close(fd);
}

static void drop(struct ctl_client *c)
{
	close_gently(c->fd);
	c->fd = -1;
	ike_ctl_out_free(&c->out);
	memset(c->in, 0, sizeof(c->in));
	c->inlen = c->off = 0;
	c->answered = false;
}

void ike_ctl_close(struct ike_daemon *d)
{
	int i;

	if (!d->ctl)
		return;
	for (i = 0; i < IKE_CTL_CLIENTS; i++)
		if (d->ctl->c[i].fd >= 0)
			drop(&d->ctl->c[i]);
	close(d->ctl->fd);
	unlink(d->ctl_path);
	free(d->ctl);
	d->ctl = NULL;
}

int ike_ctl_pollfds(struct ike_daemon *d, struct pollfd *p, int max)
{
	int i, n = 0;

	if (!d->ctl || max < 1 + IKE_CTL_CLIENTS)
		return 0;
	p[n++] = (struct pollfd){ d->ctl->fd, POLLIN, 0 };
	for (i = 0; i < IKE_CTL_CLIENTS; i++) {
		struct ctl_client *c = &d->ctl->c[i];

		p[n++] = (struct pollfd){ c->fd, (short)(c->answered ? POLLOUT : POLLIN), 0 };
	}
	return n;
}

/* A refusal before any request: one line, best effort (the socket is fresh, it fits). */
static void refuse(int fd, const char *msg)
{
	if (send(fd, msg, strlen(msg), MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		log_debug("control: %s", strerror(errno));
	close_gently(fd);
}

static void accept_one(struct ike_daemon *d)
{
	struct ucred cr;
	socklen_t crlen = sizeof(cr);
	int fd, i;

	fd = accept4(d->ctl->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &crlen) < 0) {
		log_warn("control: cannot read the client's credentials (%s): refused",
			 strerror(errno));
		close(fd);
		return;
	}
	/* the socket's mode already keeps others out; this holds if it was changed */
	if (cr.uid != 0 && cr.uid != geteuid()) {
		log_warn("control: client pid %d uid %u refused: only root (or uid %u) may use the "
			 "control socket", (int)cr.pid, (unsigned)cr.uid, (unsigned)geteuid());
		refuse(fd, "error: permission denied: the control socket is for root only\n");
		return;
	}
	for (i = 0; i < IKE_CTL_CLIENTS; i++)
		if (d->ctl->c[i].fd < 0)
			break;
	if (i == IKE_CTL_CLIENTS) {
		log_warn("control: %d clients already: client pid %d refused", IKE_CTL_CLIENTS,
			 (int)cr.pid);
		refuse(fd, "error: busy: too many control clients\n");
		return;
	}
	d->ctl->c[i].fd = fd;
	d->ctl->c[i].deadline = ike_now_ms() + IKE_CTL_TIMEOUT_MS;
	log_debug("control: client pid %d uid %u", (int)cr.pid, (unsigned)cr.uid);
}

/* The request is complete (@len bytes, newline excluded): answer it. */
static void answer(struct ike_daemon *d, struct ctl_client *c, size_t len)
{
	struct ike_ctl_req req;
	const char *why;

	c->answered = true;
	if (ike_ctl_parse(c->in, len, &req, &why) < 0) {
		log_warn("control: request refused: %s", why);
		ike_ctl_printf(&c->out, "error: %s\n", why);
		return;
	}
	ike_ctl_exec(d, &req, &c->out);
}

static void client_read(struct ike_daemon *d, struct ctl_client *c)
{
	ssize_t r = recv(c->fd, c->in + c->inlen, sizeof(c->in) - c->inlen, MSG_DONTWAIT);
	char *nl;

	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		/* end of input without a newline: what came is the request */
		if (r == 0 && c->inlen) {
			answer(d, c, c->inlen);
			return;
		}
		drop(c);
		return;
	}
	c->inlen += (size_t)r;
	nl = memchr(c->in, '\n', c->inlen);
	if (nl)
		answer(d, c, (size_t)(nl - c->in));
	else if (c->inlen == sizeof(c->in))
		answer(d, c, c->inlen);		/* too long: the parser says so */
}

static void client_write(struct ctl_client *c)
{
	ssize_t r;

	if (c->off < c->out.len) {
		r = send(c->fd, c->out.buf + c->off, c->out.len - c->off, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (r < 0) {
			drop(c);
			return;
		}
		c->off += (size_t)r;
	}
	if (c->off >= c->out.len)
		drop(c);
}

void ike_ctl_serve(struct ike_daemon *d, const struct pollfd *p, int n)
{
	uint64_t now = ike_now_ms();
	int i;

	if (!d->ctl || n < 1 + IKE_CTL_CLIENTS)
		return;
	for (i = 0; i < IKE_CTL_CLIENTS; i++) {
		struct ctl_client *c = &d->ctl->c[i];
		short ev = p[1 + i].revents;

		if (c->fd < 0 || p[1 + i].fd != c->fd)
			continue;
		if (ev & (POLLERR | POLLNVAL)) {
			drop(c);
			continue;
		}
		if (!c->answered && (ev & (POLLIN | POLLHUP)))
			client_read(d, c);
		/* try at once: a short reply goes out without another poll round */
		if (c->fd >= 0 && c->answered)
			client_write(c);
		if (c->fd >= 0 && c->deadline <= now) {
			log_warn("control: client too slow (%d ms): dropped", IKE_CTL_TIMEOUT_MS);
			drop(c);
		}
	}
	if (p[0].revents & POLLIN)
		accept_one(d);
}
