// SPDX-License-Identifier: GPL-2.0
/* "kipsec-iked ctl ...": one request to the daemon's control socket, its reply printed. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kipsec-iked: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static int connect_to(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (!path || !*path || strlen(path) >= sizeof(sun.sun_path)) {
		fail("control socket \"%s\": no such path", path ? path : "");
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fail("socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		return fd;
	if (errno == ENOENT || errno == ECONNREFUSED)
		fail("the daemon is not running (nothing listens on %s: %s)", path, strerror(errno));
	else if (errno == EACCES || errno == EPERM)
		fail("permission denied: %s is for root only (%s)", path, strerror(errno));
	else
		fail("cannot reach the daemon at %s: %s", path, strerror(errno));
	close(fd);
	return -1;
}

/* Print one reply line; returns 1 at the final "ok", -1 at an error (or garbage), else 0. */
static int line_out(const char *line)
{
	const char *text;

	switch (ike_ctl_reply_line(line, &text)) {
	case CTL_LINE_DATA:
		printf("%s\n", text);
		return 0;
	case CTL_LINE_OK:
		if (*text)
			printf("%s\n", text);
		return 1;
	case CTL_LINE_ERROR:
		fail("%s", text);
		return -1;
	default:
		fail("the daemon answered something unexpected: \"%.80s\"", line);
		return -1;
	}
}

int ike_ctl_client(const char *path, int argc, char **argv)
{
	char req[IKE_CTL_LINE_MAX + 1], buf[4096], line[4096];
	struct ike_ctl_req parsed;
	const char *why;
	size_t llen = 0;
	int fd, n, res = 0;
	time_t end;

	if (argc < 1 || argc > 2) {
		fprintf(stderr, "usage: kipsec-iked [--ctl PATH] ctl list | conns | up CONN | down "
			"CONN\n");
		return 2;
	}
	n = snprintf(req, sizeof(req), "%s%s%s", argv[0], argc > 1 ? " " : "",
		     argc > 1 ? argv[1] : "");
	/* the daemon would refuse it too: say so without bothering it */
	if (n < 0 || (size_t)n >= sizeof(req) - 1 || ike_ctl_parse(req, (size_t)n, &parsed, &why) < 0) {
		fprintf(stderr, "kipsec-iked: ctl: %s\n", n < 0 || (size_t)n >= sizeof(req) - 1 ?
			"request too long" : why);
		return 2;
	}
	fd = connect_to(path);
	if (fd < 0)
		return 1;
	req[n++] = '\n';
	/*
	 * A daemon that refuses us (credentials, too many clients) answers and
	 * closes at once: writing then fails, but its answer is there to read.
	 */
	if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n && errno != EPIPE && errno != ECONNRESET) {
		close(fd);
		return fail("writing to %s: %s", path, strerror(errno));
	}
	shutdown(fd, SHUT_WR);
	end = time(NULL) + IKE_CTL_TIMEOUT_MS / 1000;
	while (!res) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t r;
		size_t i;

		if (poll(&p, 1, 1000) < 0 && errno != EINTR)
			break;
		if (time(NULL) > end) {
			close(fd);
			return fail("no answer from the daemon at %s", path);
		}
		if (!p.revents)
			continue;
		r = read(fd, buf, sizeof(buf));
		if (r <= 0)
			break;
		for (i = 0; i < (size_t)r && !res; i++) {
			if (buf[i] != '\n') {
				if (llen < sizeof(line) - 1)
					line[llen++] = buf[i];
				continue;
			}
			line[llen] = 0;
			llen = 0;
			res = line_out(line);
		}
	}
	close(fd);
	if (!res)
		return fail("the daemon at %s closed the connection without an answer", path);
	return res > 0 ? 0 : 1;
}
