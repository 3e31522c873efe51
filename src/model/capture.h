/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * capture.h - the record pipeline: raw pages -> records -> faults.
 *
 * A capture owns the event formats (tep), the per-CPU stream, the payload
 * decoder, the symbol table and the fault builder.  It reads either a
 * live tracefs instance, a recording directory or a trace.dat file.
 */
#ifndef KVMMMU_CAPTURE_H
#define KVMMMU_CAPTURE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "fault_builder.h"
#include "trace_events.h"

struct tracefs_instance;
struct capture;

/**
 * struct capture_config - what to open and how to build faults
 * @dir:	recording directory, NULL for the live tracefs
 * @dat_path:	a trace.dat file to read instead (then @dir, @instance
 *		and @record_dir are not used)
 * @instance:	live instance to read (NULL = top level)
 * @record_dir: also copy every raw page read into this recording
 * @spool_pages: live: pages per CPU read ahead of the decoder (0: none)
 * @builder:	builder settings; the capture loads kallsyms (of the
 *		recording, or /proc/kallsyms) into builder.syms
 */
struct capture_config {
	const char *dir;
	const char *dat_path;
	struct tracefs_instance *instance;
	const char *record_dir;
	unsigned int spool_pages;
	struct builder_config builder;
};

/**
 * capture_open() - load formats and symbols, open the per-CPU buffers
 * @err:	one-line reason on failure
 *
 * Return: the capture, or NULL with @err set.
 */
struct capture *capture_open(struct capture_config *cfg, char *err,
			     size_t errlen);
void capture_close(struct capture *c);

/* True when the formats have funcgraph events (a tree can be built). */
bool capture_has_funcgraph(const struct capture *c);

/**
 * capture_pump() - feed every available record up to @horizon
 * Return: records processed, or a negative errno.
 */
int64_t capture_pump(struct capture *c, uint64_t horizon);

/* Asked every CAPTURE_CHECK_EVERY records: true stops the pump. */
typedef bool (*capture_stop_fn)(void *ctx);
#define CAPTURE_CHECK_EVERY	512

/**
 * capture_pump_until() - capture_pump() that @stop can cut short
 * @stop:	called every CAPTURE_CHECK_EVERY records; true returns at
 *		once, with the rest left in the buffers (NULL: never)
 * Return: records processed, or a negative errno.
 */
int64_t capture_pump_until(struct capture *c, uint64_t horizon,
			   capture_stop_fn stop, void *ctx);
/* Was the last pump cut short by its @stop? */
bool capture_interrupted(const struct capture *c);
/* Live or recorded per-CPU buffers (0 for a trace.dat). */
int capture_nr_cpus(const struct capture *c);
/* Events lost on @cpu by its pages' missed-events marks. */
uint64_t capture_cpu_lost(const struct capture *c, int cpu);
/* Bytes read from the ring buffers (whole pages). */
uint64_t capture_bytes(const struct capture *c);
/* Does @cpu hold part of a page not yet handed to the builder? */
bool capture_cpu_held(const struct capture *c, int cpu);
/**
 * capture_read_ahead() - move every page the kernel holds into the spool
 * (nothing is decoded)
 * Return: pages moved, or a negative errno.
 */
int capture_read_ahead(struct capture *c);
/* Is the read-ahead spool half full (time to decode)? */
bool capture_spool_half_full(const struct capture *c);
/* Bytes read ahead from the kernel, not decoded yet. */
uint64_t capture_spooled_bytes(const struct capture *c);

/* End of input: emit faults still open (incomplete). */
void capture_finish(struct capture *c);

uint64_t capture_lost_events(const struct capture *c);
uint64_t capture_pages(const struct capture *c);
/* Raw pages skipped because they do not fit the ring-buffer format. */
uint64_t capture_damaged_pages(const struct capture *c);
/* Are faults built from events only (no function_graph)? */
bool capture_events_only(const struct capture *c);
/* The command name a trace.dat saved for @pid, or NULL. */
const char *capture_comm(const struct capture *c, int pid);
/* Records of @type decoded so far. */
uint64_t capture_records(const struct capture *c, enum rec_type type);
/* Records whose payload could not be decoded. */
uint64_t capture_decode_errors(const struct capture *c);
const struct builder_stats *capture_builder_stats(const struct capture *c);

#endif /* KVMMMU_CAPTURE_H */
