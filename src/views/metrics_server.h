/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * metrics_server.h - a tiny HTTP/1.0 server for GET /metrics, and a
 * ticker: one thread that answers one connection at a time and calls a
 * tick function about once a second.
 *
 * The listening socket is bound in metrics_server_start(), so a busy
 * port fails before tracing starts. Requests other than GET or HEAD get
 * 405, paths other than /metrics 404. A request whose Accept header
 * names application/openmetrics-text gets OpenMetrics, any other the
 * Prometheus text format 0.0.4.
 */
#ifndef KVMMMU_METRICS_SERVER_H
#define KVMMMU_METRICS_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>

#define METRICS_CT_PROMETHEUS	"text/plain; version=0.0.4; charset=utf-8"
#define METRICS_CT_OPENMETRICS	\
	"application/openmetrics-text; version=1.0.0; charset=utf-8"

/* Write the exposition to @out (under the caller's own locking). */
typedef void (*metrics_render_fn)(void *ctx, FILE *out, bool openmetrics);
/* Called from the server thread about once a second. */
typedef void (*metrics_tick_fn)(void *ctx);

struct metrics_server;

/**
 * metrics_addr_parse() - "IPv4:PORT" or "[IPv6]:PORT", numeric only
 * @s:		the address
 * @ss:		out, the socket address (may be NULL to only check)
 * @len:	out, its length (may be NULL)
 *
 * Return: 0, or -EINVAL (a bad address or a port outside 1-65535).
 */
int metrics_addr_parse(const char *s, struct sockaddr_storage *ss,
		       socklen_t *len);

/**
 * metrics_server_start() - bind, listen and start the thread
 * @addr:	address to serve on (see metrics_addr_parse()), or NULL for
 *		no socket: the thread only ticks
 * @render:	writes the body of GET /metrics
 * @tick:	called about once a second, or NULL
 * @ctx:	passed to @render and @tick
 * @err:	one-line message on failure
 *
 * Return: the server, or NULL with @err set.
 */
struct metrics_server *metrics_server_start(const char *addr,
					    metrics_render_fn render,
					    metrics_tick_fn tick, void *ctx,
					    char *err, size_t errlen);

/* Stop the thread (a request being served is finished first), close. */
void metrics_server_stop(struct metrics_server *s);

#endif /* KVMMMU_METRICS_SERVER_H */
