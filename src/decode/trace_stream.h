/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace_stream.h - per-CPU raw ring-buffer pages merged in time order.
 *
 * The same reader serves a live tracefs instance and a recording
 * (a directory laid out like tracefs: per_cpu/cpuN/trace_pipe_raw).
 */
#ifndef KVMMMU_TRACE_STREAM_H
#define KVMMMU_TRACE_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tep_handle;
struct tracefs_instance;
struct trace_stream;

/**
 * struct stream_event - one raw event handed out by trace_stream_next()
 * @data:	payload (valid until the next call)
 * @size:	payload size
 * @ts:		timestamp, ns in the trace clock
 * @cpu:	CPU buffer it came from
 * @missed:	events were lost on this CPU just before this one
 */
struct stream_event {
	const void *data;
	unsigned int size;
	uint64_t ts;
	int cpu;
	bool missed;
};

/* Open per_cpu/cpuN/trace_pipe_raw of @inst (NULL = top level), CPUs 0..nr_cpus-1. */
struct trace_stream *trace_stream_open_live(struct tracefs_instance *inst,
					    struct tep_handle *tep,
					    int nr_cpus);
/**
 * trace_stream_open_dir() - open the per-CPU raw files of a recording
 * @dir:	recording directory (per_cpu/cpuN/trace_pipe_raw)
 * @tep:	its formats
 * @err:	one-line reason on failure
 *
 * The files are checked first (see stream_files_open()): regular files,
 * whole pages, no CPU missing between others, no CPU file a copy of
 * another. Return: the stream, or NULL with @err set.
 */
struct trace_stream *trace_stream_open_dir(const char *dir,
					   struct tep_handle *tep,
					   char *err, size_t errlen);
void trace_stream_close(struct trace_stream *st);

int trace_stream_nr_cpus(const struct trace_stream *st);

/**
 * trace_stream_next() - the oldest event not newer than @horizon
 * @st:		stream
 * @horizon:	only events with ts <= horizon are returned (UINT64_MAX
 *		for a recording, or to drain everything at the end)
 * @ev:		filled with the event
 *
 * Events on CPUs whose buffer is empty right now may still arrive later;
 * the caller picks @horizon so that such events are newer than it.
 * Return: 1 with an event, 0 when none is available up to @horizon,
 * or a negative errno on a read or format error.
 */
int trace_stream_next(struct trace_stream *st, uint64_t horizon,
		      struct stream_event *ev);

/*
 * A CPU whose buffer was found empty is not read again until this is
 * called (once per polling round), so an idle CPU costs one read a round.
 */
void trace_stream_rearm(struct trace_stream *st);

/**
 * trace_stream_record_to() - also append every page read to a recording
 * @dir:	directory; per_cpu/cpuN/trace_pipe_raw files are created there
 * Return: 0 or -errno.
 */
int trace_stream_record_to(struct trace_stream *st, const char *dir);

/* Pages read and bytes read so far (for statistics). */
uint64_t trace_stream_pages(const struct trace_stream *st);
/* Of the pages read, those moved by splice (whole pages, in batches). */
uint64_t trace_stream_spliced_pages(const struct trace_stream *st);
/* Events the kernel reported as lost (sum over missed-events marks). */
uint64_t trace_stream_lost(const struct trace_stream *st);
/*
 * Pages skipped as damaged: a header or event that does not fit the page
 * (bad), or a page of zero bytes (zero). Either means data is missing.
 */
uint64_t trace_stream_bad_pages(const struct trace_stream *st);
uint64_t trace_stream_zero_pages(const struct trace_stream *st);

/* Events lost on @cpu (its missed-events marks); 0 for a bad @cpu. */
uint64_t trace_stream_cpu_lost(const struct trace_stream *st, int cpu);
/* Bytes in one page read (the ring buffer's sub-buffer size). */
int trace_stream_page_size(const struct trace_stream *st);
/* Does @cpu hold a page read but not handed out to its end? */
bool trace_stream_cpu_held(const struct trace_stream *st, int cpu);

/**
 * trace_stream_set_spool() - let trace_stream_slurp() read ahead
 * @pages:	pages per CPU that may be held in memory, read but not yet
 *		handed out (a live stream: moving pages out of the kernel's
 *		ring buffer is cheap, decoding them is not, and a full ring
 *		buffer loses events)
 * Return: 0, -ENOMEM, or -EBUSY if already set to another size.
 */
int trace_stream_set_spool(struct trace_stream *st, unsigned int pages);
/**
 * trace_stream_slurp() - read every page the kernel has, up to the spool
 * Return: pages read, or a negative errno.
 */
int trace_stream_slurp(struct trace_stream *st);
/* What the spool can hold, over all CPUs. */
uint64_t trace_stream_spool_cap_bytes(const struct trace_stream *st);
/* Bytes read ahead and not handed out yet. */
uint64_t trace_stream_spooled_bytes(const struct trace_stream *st);

#endif /* KVMMMU_TRACE_STREAM_H */
