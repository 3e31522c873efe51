// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * capture.c - wire the stream, decoder and builder together.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <traceevent/event-parse.h>
#include <tracefs/tracefs.h>

#include "capture.h"
#include "symbols.h"
#include "trace_events.h"
#include "trace_formats.h"
#include "trace_stream.h"

struct capture {
	struct tep_handle *tep;
	struct trace_stream *stream;
	struct event_decoder *dec;
	struct symbols *syms;
	struct fault_builder *builder;
	int64_t decode_errors;
};

static struct tep_handle *load_formats(const char *dir, char *err,
				       size_t errlen)
{
	const char *tdir = dir ? dir : tracefs_tracing_dir();

	if (!tdir) {
		snprintf(err, errlen, "tracefs is not mounted");
		return NULL;
	}
	return trace_formats_load(tdir, err, errlen);
}

static int load_symbols(struct capture *c, const char *dir, char *err,
			size_t errlen)
{
	char path[PATH_MAX];
	int r;

	snprintf(path, sizeof(path), "%s", dir ? dir : "/proc");
	strncat(path, "/kallsyms", sizeof(path) - strlen(path) - 1);
	r = symbols_load_kallsyms(c->syms, path);
	if (r < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-r));
		return r;
	}
	if (r == 0 && !dir) {
		snprintf(err, errlen, "%s: no kernel text symbols (is "
			 "kptr_restrict hiding them? run as root)", path);
		return -ENOENT;
	}
	return 0;
}

static int open_stream(struct capture *c, struct capture_config *cfg,
		       char *err, size_t errlen)
{
	if (cfg->dir)
		c->stream = trace_stream_open_dir(cfg->dir, c->tep);
	else
		c->stream = trace_stream_open_live(cfg->instance, c->tep,
				(int)sysconf(_SC_NPROCESSORS_CONF));
	if (!c->stream) {
		snprintf(err, errlen, "%s: cannot open per-CPU raw buffers",
			 cfg->dir ? cfg->dir : "tracefs");
		return -EIO;
	}
	if (cfg->record_dir) {
		int r = trace_stream_record_to(c->stream, cfg->record_dir);

		if (r) {
			snprintf(err, errlen, "recording %s: %s",
				 cfg->record_dir, strerror(-r));
			return r;
		}
	}
	return 0;
}

struct capture *capture_open(struct capture_config *cfg, char *err,
			     size_t errlen)
{
	struct capture *c = calloc(1, sizeof(*c));

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->syms = cfg->builder.syms;
	c->tep = load_formats(cfg->dir, err, errlen);
	if (!c->tep || load_symbols(c, cfg->dir, err, errlen))
		goto fail;
	c->dec = event_decoder_new(c->tep);
	if (!c->dec) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (!event_decoder_has(c->dec, REC_PAGE_FAULT)) {
		snprintf(err, errlen, "no kvm:kvm_page_fault event format: "
			 "is the kvm module loaded?");
		goto fail;
	}
	if (open_stream(c, cfg, err, errlen))
		goto fail;
	c->builder = fault_builder_new(&cfg->builder);
	if (!c->builder) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	return c;
fail:
	capture_close(c);
	return NULL;
}

void capture_close(struct capture *c)
{
	if (!c)
		return;
	fault_builder_free(c->builder);
	trace_stream_close(c->stream);
	event_decoder_free(c->dec);
	if (c->tep)
		tep_free(c->tep);
	free(c);
}

bool capture_has_funcgraph(const struct capture *c)
{
	return event_decoder_has(c->dec, REC_FG_ENTRY) &&
	       event_decoder_has(c->dec, REC_FG_EXIT);
}

int64_t capture_pump(struct capture *c, uint64_t horizon)
{
	struct stream_event ev;
	struct trace_record rec;
	int64_t n = 0;
	int r;

	trace_stream_rearm(c->stream);
	while ((r = trace_stream_next(c->stream, horizon, &ev)) == 1) {
		if (event_decode(c->dec, ev.data, ev.size, &rec) < 0) {
			c->decode_errors++;
			continue;
		}
		rec.cpu = ev.cpu;
		rec.ts = ev.ts;
		r = fault_builder_feed(c->builder, &rec, ev.missed);
		if (r < 0)
			return r;
		n++;
	}
	return r < 0 ? r : n;
}

void capture_finish(struct capture *c)
{
	fault_builder_finish(c->builder);
}

uint64_t capture_lost_events(const struct capture *c)
{
	return trace_stream_lost(c->stream);
}

uint64_t capture_pages(const struct capture *c)
{
	return trace_stream_pages(c->stream);
}

uint64_t capture_decode_errors(const struct capture *c)
{
	return (uint64_t)c->decode_errors;
}

const struct builder_stats *capture_builder_stats(const struct capture *c)
{
	return fault_builder_stats(c->builder);
}
