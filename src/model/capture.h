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
 * @builder:	builder settings; the capture loads kallsyms (of the
 *		recording, or /proc/kallsyms) into builder.syms
 */
struct capture_config {
	const char *dir;
	const char *dat_path;
	struct tracefs_instance *instance;
	const char *record_dir;
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
