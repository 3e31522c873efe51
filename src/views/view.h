/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * view.h - one way of showing faults: per-fault lines, JSON Lines, the
 * text summary, folded stacks, the SVG flame graph, metrics.
 *
 * A view is a table of operations (struct view_ops) and lives in one file
 * of src/views/; views.c lists them. A view gets the faults that pass the
 * filters, one at a time, then finish() once at the end of the run. It
 * sees only struct view_options, never the command line.
 */
#ifndef KVMMMU_VIEW_H
#define KVMMMU_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fault.h"
#include "flame.h"
#include "summary.h"

struct profile;
struct symbols;

/**
 * struct view_options - what the views are asked to show
 * @out:		stream of the lines, JSON and summary (stdout)
 * @syms:		function names
 * @prof:		profile (phase names)
 * @summary_only:	no per-fault output, only the end-of-run summary
 * @json:		JSON Lines and a JSON summary instead of text
 * @tree:		call tree under each line
 * @tree_min_ns:	with @tree: only faults at least this slow
 * @top_n:		slowest faults shown with their trees (-1 default)
 * @folded_path:	folded stacks file, or NULL
 * @svg_path:		SVG flame graph file, or NULL
 * @flame_group:	first frame of folded stacks / SVG
 * @chrome_path:	Trace Event Format file (--chrome-trace), or NULL
 * @prefault_path:	prefault advice JSON file (--prefault-report), or NULL
 * @chrome_max_bytes:	split it into files of about this size, 0 = never
 * @metrics_addr:	serve metrics over HTTP on "IPv4:PORT" / "[IPv6]:PORT",
 *			or NULL
 * @metrics_file:	rewrite this metrics file every second, or NULL
 * @metrics_hold_s:	keep serving this long after the run ends
 * @note:		shown once before the first line, or NULL
 * @t0_ns:		timestamp of the run's first fault, filtered or not
 *			(set by the report before views see a fault)
 */
struct view_options {
	FILE *out;
	const struct symbols *syms;
	const struct profile *prof;
	bool summary_only;
	bool json;
	bool tree;
	uint64_t tree_min_ns;
	int top_n;
	const char *folded_path;
	const char *svg_path;
	enum flame_group flame_group;
	const char *chrome_path;
	uint64_t chrome_max_bytes;
	const char *prefault_path;
	const char *metrics_addr;
	const char *metrics_file;
	double metrics_hold_s;
	const char *note;
	uint64_t t0_ns;
};

/**
 * struct view_ops - one view
 * @name:	short name ("lines", "json", ...)
 * @wanted:	does @o ask for this view?
 * @open:	set up; return private state (or NULL with @err set). Output
 *		files are opened here, before tracing starts.
 * @add_fault:	one fault that passed the filters; 0 or -errno
 * @progress:	optional: run facts so far (lost events, pages read), from
 *		the live capture loop between reads
 * @finish:	end of run (summary, files); 0 or -errno with @err set
 * @close:	free the state (also after a failed finish)
 */
struct view_ops {
	const char *name;
	bool (*wanted)(const struct view_options *o);
	void *(*open)(const struct view_options *o, char *err, size_t errlen);
	int (*add_fault)(void *state, const struct fault *f);
	void (*progress)(void *state, const struct run_info *ri);
	int (*finish)(void *state, const struct run_info *ri, char *err,
		      size_t errlen);
	void (*close)(void *state);
};

extern const struct view_ops view_lines;
extern const struct view_ops view_json;
extern const struct view_ops view_summary;
extern const struct view_ops view_folded;
extern const struct view_ops view_svg;
extern const struct view_ops view_chrome;
extern const struct view_ops view_prefault;
extern const struct view_ops view_metrics;

/* Open @path for writing ("we"); NULL with @err set. */
FILE *view_open_file(const char *path, char *err, size_t errlen);

/*
 * Close a stream a view wrote to; 0, or -errno (and @err naming @path)
 * when a write or the close failed.
 */
int view_close_file(FILE *f, const char *path, char *err, size_t errlen);

/*
 * @s as a JSON string: quotes, backslashes and control characters are
 * escaped, and bytes that are not valid UTF-8 become \u00XX (as Latin-1),
 * so the output is always valid JSON.
 */
void view_json_string(FILE *out, const char *s);

/* "Write+Present", "Read+Reserved(MMIO)", ...: the ERROR_TYPE column. */
const char *view_error_type(const struct fault *f, char *buf, size_t len);

#endif /* KVMMMU_VIEW_H */
