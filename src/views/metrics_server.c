// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * metrics_server.c - GET /metrics over HTTP/1.0, one connection at a
 * time, from one thread that also ticks once a second.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "metrics_server.h"

#define TICK_MS		1000
#define REQUEST_MAX	8192
#define IO_TIMEOUT_S	2

struct metrics_server {
	int fd;			/* listening socket, -1 for none */
	int wake[2];		/* written to by metrics_server_stop() */
	pthread_t thread;
	bool running;
	metrics_render_fn render;
	metrics_tick_fn tick;
	void *ctx;
};

int metrics_addr_parse(const char *s, struct sockaddr_storage *ss,
		       socklen_t *len)
{
	struct sockaddr_storage tmp;
	struct sockaddr_in *in4 = (struct sockaddr_in *)&tmp;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&tmp;
	const char *colon, *port;
	char host[INET6_ADDRSTRLEN + 1];
	size_t hlen;
	char *end;
	long p;

	if (*s == '[') {
		colon = strstr(s, "]:");
		if (!colon)
			return -EINVAL;
		hlen = colon - s - 1;
		port = colon + 2;
		s++;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return -EINVAL;
		hlen = colon - s;
		port = colon + 1;
	}
	if (!hlen || hlen >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	errno = 0;
	p = strtol(port, &end, 10);
	if (errno || end == port || *end || p < 1 || p > 65535)
		return -EINVAL;
	memset(&tmp, 0, sizeof(tmp));
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1 && port[-2] != ']') {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)p);
		if (len)
			*len = sizeof(*in4);
	} else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1 &&
		   port[-2] == ']') {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)p);
		if (len)
			*len = sizeof(*in6);
	} else {
		return -EINVAL;
	}
	if (ss)
		*ss = tmp;
	return 0;
}

static int send_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static void reply(int fd, const char *status, const char *type,
		  const char *body, size_t len, bool head)
{
	char hdr[256];
	int n;

	n = snprintf(hdr, sizeof(hdr), "HTTP/1.0 %s\r\nContent-Type: %s\r\n"
		     "Content-Length: %zu\r\nConnection: close\r\n\r\n",
		     status, type, len);
	if (send_all(fd, hdr, (size_t)n) == 0 && !head)
		send_all(fd, body, len);
}

/* The request head, up to the blank line; false if none came in time. */
static bool read_request(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while (len < size - 1) {
		n = recv(fd, buf + len, size - 1 - len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n"))
			return true;
	}
	buf[len] = '\0';
	/* a head too large for the buffer still has its request line */
	return len == size - 1;
}

/* Does the Accept header name OpenMetrics? */
static bool wants_openmetrics(const char *req)
{
	const char *p, *eol;
	char line[1024];
	size_t n;

	for (p = strchr(req, '\n'); p; p = strchr(p + 1, '\n')) {
		if (strncasecmp(p + 1, "accept:", 7))
			continue;
		eol = strchr(p + 1, '\n');
		n = eol ? (size_t)(eol - p - 1) : strlen(p + 1);
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, p + 1, n);
		line[n] = '\0';
		return strstr(line, "application/openmetrics-text") != NULL;
	}
	return false;
}

static void serve(struct metrics_server *s, int fd)
{
	static const char not_found[] = "Not Found: try /metrics\n";
	static const char bad[] = "Bad Request\n";
	static const char method[] = "Method Not Allowed\n";
	char req[REQUEST_MAX], verb[8], path[256], *q, *body = NULL;
	struct timeval tv = { .tv_sec = IO_TIMEOUT_S };
	size_t len = 0;
	bool om, head;
	FILE *out;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (!read_request(fd, req, sizeof(req)) ||
	    sscanf(req, "%7s %255s", verb, path) != 2) {
		reply(fd, "400 Bad Request", "text/plain", bad,
		      sizeof(bad) - 1, false);
		return;
	}
	head = !strcmp(verb, "HEAD");
	if (strcmp(verb, "GET") && !head) {
		reply(fd, "405 Method Not Allowed", "text/plain", method,
		      sizeof(method) - 1, false);
		return;
	}
	q = strchr(path, '?');
	if (q)
		*q = '\0';
	if (strcmp(path, "/metrics")) {
		reply(fd, "404 Not Found", "text/plain", not_found,
		      sizeof(not_found) - 1, head);
		return;
	}
	om = wants_openmetrics(req);
	out = open_memstream(&body, &len);
	if (!out) {
		reply(fd, "500 Internal Server Error", "text/plain", "", 0,
		      head);
		return;
	}
	s->render(s->ctx, out, om);
	if (fclose(out)) {
		reply(fd, "500 Internal Server Error", "text/plain", "", 0,
		      head);
	} else {
		reply(fd, "200 OK", om ? METRICS_CT_OPENMETRICS :
		      METRICS_CT_PROMETHEUS, body, len, head);
	}
	free(body);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void *server_thread(void *arg)
{
	struct metrics_server *s = arg;
	uint64_t next_tick = now_ms() + TICK_MS, now;
	struct pollfd p[2];
	int n, fd;

	for (;;) {
		p[0] = (struct pollfd){ .fd = s->wake[0], .events = POLLIN };
		p[1] = (struct pollfd){ .fd = s->fd, .events = POLLIN };
		now = now_ms();
		n = poll(p, s->fd >= 0 ? 2 : 1,
			 next_tick > now ? (int)(next_tick - now) : 0);
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && p[0].revents)
			break;
		if (n > 0 && s->fd >= 0 && (p[1].revents & POLLIN)) {
			fd = accept4(s->fd, NULL, NULL, SOCK_CLOEXEC);
			if (fd >= 0) {
				serve(s, fd);
				close(fd);
			}
		}
		if (now_ms() >= next_tick) {
			if (s->tick)
				s->tick(s->ctx);
			next_tick = now_ms() + TICK_MS;
		}
	}
	return NULL;
}

static int listen_on(const char *addr, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1, e;

	if (metrics_addr_parse(addr, &ss, &len)) {
		snprintf(err, errlen, "metrics address '%s': not IPv4:PORT or "
			 "[IPv6]:PORT", addr);
		return -EINVAL;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "metrics on %s: %s", addr, strerror(e));
		return -e;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) || listen(fd, 16)) {
		e = errno;
		close(fd);
		snprintf(err, errlen, "metrics on %s: %s", addr, strerror(e));
		return -e;
	}
	return fd;
}

struct metrics_server *metrics_server_start(const char *addr,
					    metrics_render_fn render,
					    metrics_tick_fn tick, void *ctx,
					    char *err, size_t errlen)
{
	struct metrics_server *s = calloc(1, sizeof(*s));
	int r;

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->fd = -1;
	s->wake[0] = s->wake[1] = -1;
	s->render = render;
	s->tick = tick;
	s->ctx = ctx;
	if (addr) {
		s->fd = listen_on(addr, err, errlen);
		if (s->fd < 0)
			goto fail;
	}
	if (pipe2(s->wake, O_CLOEXEC)) {
		snprintf(err, errlen, "metrics: %s", strerror(errno));
		goto fail;
	}
	r = pthread_create(&s->thread, NULL, server_thread, s);
	if (r) {
		snprintf(err, errlen, "metrics: cannot start a thread: %s",
			 strerror(r));
		goto fail;
	}
	s->running = true;
	return s;
fail:
	metrics_server_stop(s);
	return NULL;
}

void metrics_server_stop(struct metrics_server *s)
{
	if (!s)
		return;
	if (s->running) {
		while (write(s->wake[1], "x", 1) < 0 && errno == EINTR)
			;
		pthread_join(s->thread, NULL);
	}
	if (s->fd >= 0)
		close(s->fd);
	if (s->wake[0] >= 0)
		close(s->wake[0]);
	if (s->wake[1] >= 0)
		close(s->wake[1]);
	free(s);
}
