// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * capture.c - wire the stream, decoder and builder together.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <traceevent/event-parse.h>
#include <tracefs/tracefs.h>

#include "capture.h"
#include "symbols.h"
#include "trace_events.h"
#include "trace_formats.h"
#include "trace_stream.h"
#include "tracedat.h"

struct capture {
	struct tep_handle *tep;		/* owned unless it is the trace.dat's */
	struct trace_stream *stream;	/* a recording or live tracefs, or */
	struct tracedat *dat;		/* a trace.dat file */
	uint64_t dat_lost;		/* events the trace.dat says were lost */
	bool events_only;		/* the builder's setting */
	struct event_decoder *dec;
	struct symbols *syms;
	struct fault_builder *builder;
	int64_t decode_errors;
	uint64_t by_type[REC_TYPE_COUNT];	/* records decoded, per type */
	uint64_t since_check;		/* records since the last stop check */
	uint64_t next_slurp_ns;		/* read ahead again after this */
	bool interrupted;		/* a pump was stopped by its callback */
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
		snprintf(err, errlen, "%s: %s", path, r == -EINVAL ?
			 "not a regular file" : strerror(-r));
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
	if (cfg->dir) {
		c->stream = trace_stream_open_dir(cfg->dir, c->tep, err,
						  errlen);
		if (!c->stream)
			return -EINVAL;
	} else {
		c->stream = trace_stream_open_live(cfg->instance, c->tep,
				(int)sysconf(_SC_NPROCESSORS_CONF));
	}
	if (!c->stream) {
		snprintf(err, errlen, "%s: cannot open per-CPU raw buffers",
			 cfg->dir ? cfg->dir : "tracefs");
		return -EIO;
	}
	if (cfg->spool_pages &&
	    trace_stream_set_spool(c->stream, cfg->spool_pages)) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
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

/* A trace.dat brings its formats and kallsyms; the builder resolves
 * function addresses through them. */
static int open_dat(struct capture *c, struct capture_config *cfg,
		    char *err, size_t errlen)
{
	c->dat = tracedat_open(cfg->dat_path, err, errlen);
	if (!c->dat)
		return -EINVAL;
	symbols_use_tep(c->syms, tracedat_tep(c->dat));
	return 0;
}

/*
 * What a trace.dat says about itself: the vendor (kvm_exit's isa) unless
 * the caller knows it, and events-only when no function_graph ran.
 */
static void dat_settings(struct capture *c, struct capture_config *cfg)
{
	if (cfg->builder.vendor == FAULT_VENDOR_UNKNOWN)
		cfg->builder.vendor = tracedat_vendor(c->dat);
	if (!tracedat_has_funcgraph(c->dat))
		cfg->builder.events_only = true;
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
	if (cfg->dat_path) {
		if (open_dat(c, cfg, err, errlen))
			goto fail;
	} else {
		c->tep = load_formats(cfg->dir, err, errlen);
		if (!c->tep || load_symbols(c, cfg->dir, err, errlen))
			goto fail;
	}
	if (c->dat)
		c->tep = tracedat_tep(c->dat);
	c->dec = event_decoder_new(c->tep, err, errlen);
	if (!c->dec)
		goto fail;
	if (!event_decoder_has(c->dec, REC_PAGE_FAULT)) {
		snprintf(err, errlen, "no kvm:kvm_page_fault event format: "
			 "is the kvm module loaded?");
		goto fail;
	}
	if (c->dat)
		dat_settings(c, cfg);
	else if (open_stream(c, cfg, err, errlen))
		goto fail;
	c->events_only = cfg->builder.events_only;
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
	if (c->tep && !c->dat)
		tep_free(c->tep);
	tracedat_close(c->dat);
	free(c);
}

bool capture_has_funcgraph(const struct capture *c)
{
	return event_decoder_has(c->dec, REC_FG_ENTRY) &&
	       event_decoder_has(c->dec, REC_FG_EXIT);
}

/* Decode one event and feed it to the builder: 1, 0 if undecodable. */
static int feed(struct capture *c, const void *data, unsigned int size,
		int cpu, uint64_t ts, bool missed)
{
	struct trace_record rec;
	int r;

	if (event_decode(c->dec, data, size, &rec) < 0) {
		c->decode_errors++;
		return 0;
	}
	c->by_type[rec.type]++;
	rec.cpu = cpu;
	rec.ts = ts;
	r = fault_builder_feed(c->builder, &rec, missed);
	return r < 0 ? r : 1;
}

struct dat_pump {
	struct capture *c;
	int64_t n;
};

static int feed_dat(const struct tracedat_record *r, void *ctx)
{
	struct dat_pump *dp = ctx;
	int ret;

	if (r->missed)	/* -1: some, number unknown: count one */
		dp->c->dat_lost += r->missed > 0 ? (uint64_t)r->missed : 1;
	if (r->size < 0)
		return -EBADMSG;
	ret = feed(dp->c, r->data, (unsigned int)r->size, r->cpu, r->ts,
		   r->missed != 0);
	if (ret < 0)
		return ret;
	dp->n += ret;
	return 0;
}

static int64_t pump_dat(struct capture *c)
{
	struct dat_pump dp = { .c = c };
	int r = tracedat_iterate(c->dat, feed_dat, &dp);

	return r < 0 ? r : dp.n;
}

#define SLURP_EVERY_NS	2000000ull

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * Move what the kernel holds into the spool, at most every 2 ms: pages
 * leave the ring buffer at the speed of a read, not of the decoder.
 */
static int read_ahead(struct capture *c, bool now)
{
	uint64_t t = mono_ns();

	if (!now && t < c->next_slurp_ns)
		return 0;
	c->next_slurp_ns = t + SLURP_EVERY_NS;
	return trace_stream_slurp(c->stream);
}

int64_t capture_pump_until(struct capture *c, uint64_t horizon,
			   capture_stop_fn stop, void *ctx)
{
	struct stream_event ev;
	int64_t n = 0;
	int r;

	if (c->dat)
		return pump_dat(c);
	c->interrupted = false;
	trace_stream_rearm(c->stream);
	r = read_ahead(c, true);
	while (r >= 0 && (r = trace_stream_next(c->stream, horizon, &ev)) == 1) {
		r = feed(c, ev.data, ev.size, ev.cpu, ev.ts, ev.missed);
		if (r < 0)
			return r;
		n += r;
		if (++c->since_check % CAPTURE_CHECK_EVERY)
			continue;
		r = read_ahead(c, false);
		if (stop && stop(ctx)) {
			c->interrupted = true;
			break;
		}
	}
	return r < 0 ? r : n;
}

int64_t capture_pump(struct capture *c, uint64_t horizon)
{
	return capture_pump_until(c, horizon, NULL, NULL);
}

bool capture_interrupted(const struct capture *c)
{
	return c->interrupted;
}

int capture_nr_cpus(const struct capture *c)
{
	return c->stream ? trace_stream_nr_cpus(c->stream) : 0;
}

uint64_t capture_cpu_lost(const struct capture *c, int cpu)
{
	return c->stream ? trace_stream_cpu_lost(c->stream, cpu) : 0;
}

uint64_t capture_bytes(const struct capture *c)
{
	return c->stream ? trace_stream_pages(c->stream) *
			   (uint64_t)trace_stream_page_size(c->stream) : 0;
}

int capture_read_ahead(struct capture *c)
{
	return c->stream ? read_ahead(c, true) : 0;
}

bool capture_spool_half_full(const struct capture *c)
{
	return c->stream && trace_stream_spooled_bytes(c->stream) * 2 >=
			    trace_stream_spool_cap_bytes(c->stream);
}

uint64_t capture_spooled_bytes(const struct capture *c)
{
	return c->stream ? trace_stream_spooled_bytes(c->stream) : 0;
}

bool capture_cpu_held(const struct capture *c, int cpu)
{
	return c->stream && trace_stream_cpu_held(c->stream, cpu);
}

void capture_finish(struct capture *c)
{
	fault_builder_finish(c->builder);
}

uint64_t capture_lost_events(const struct capture *c)
{
	return c->dat ? c->dat_lost : trace_stream_lost(c->stream);
}

uint64_t capture_pages(const struct capture *c)
{
	return c->dat ? 0 : trace_stream_pages(c->stream);
}

uint64_t capture_damaged_pages(const struct capture *c)
{
	return c->dat ? 0 : trace_stream_bad_pages(c->stream) +
			    trace_stream_zero_pages(c->stream);
}

bool capture_events_only(const struct capture *c)
{
	return c->events_only;
}

const char *capture_comm(const struct capture *c, int pid)
{
	return c->dat ? tracedat_comm(c->dat, pid) : NULL;
}

uint64_t capture_records(const struct capture *c, enum rec_type type)
{
	return type < REC_TYPE_COUNT ? c->by_type[type] : 0;
}

uint64_t capture_decode_errors(const struct capture *c)
{
	return (uint64_t)c->decode_errors;
}

const struct builder_stats *capture_builder_stats(const struct capture *c)
{
	return fault_builder_stats(c->builder);
}
