/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * params.h - the command line of kvmmmu-graph, parsed into one struct.
 */
#ifndef KVMMMU_PARAMS_H
#define KVMMMU_PARAMS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "flame.h"
#include "tracing_session.h"
#include "vendor.h"

enum run_mode {
	MODE_TRACE_PID,		/* --vm PID */
	MODE_TRACE_CMD,		/* -- COMMAND [ARGS...] */
	MODE_REPLAY,		/* --input DIR: a recording */
	MODE_CHECK,		/* check */
	MODE_DIFF,		/* diff A B */
	MODE_HELP,
	MODE_VERSION,
};

struct params {
	enum run_mode mode;
	int pid;
	char **cmd_argv;
	const char *input_dir;		/* --input: a directory or a trace.dat */
	const char *diff_a, *diff_b;	/* diff A B: the two runs */
	double duration_s;		/* 0 = until Ctrl-C / exit */
	bool summary_only;
	bool tree;
	uint64_t tree_min_ns;
	bool json;
	uint64_t threshold_ns;
	int vcpu;			/* -1 = all */
	unsigned int buffer_kb;
	const char *profile;		/* name or path */
	enum capture_strategy strategy;
	bool force;
	const char *folded_path;
	enum flame_group folded_by;
	const char *svg_path;
	const char *chrome_path;
	const char *prefault_path;	/* --prefault-report FILE */	/* --chrome-trace FILE */
	uint64_t chrome_max_bytes;	/* --chrome-trace-max-mb, 0 = no split */
	int top_n;
	enum fault_vendor vendor;	/* --vendor: override for replays */
	const char *record_dir;		/* --record: save the raw capture */
	bool no_memslot;		/* --no-memslot: no memslot kprobe */
	const char *metrics_addr;	/* --metrics IPv4:PORT / [IPv6]:PORT */
	const char *metrics_file;	/* --metrics-file */
	double metrics_hold_s;		/* --metrics-hold */
};

/**
 * params_parse() - fill @p from argv
 * @err:	one-line message on failure
 *
 * Return: 0, or -1 with @err set (usage error, exit status 2).
 */
int params_parse(struct params *p, int argc, char **argv, char *err,
		 int errlen);

void params_usage(FILE *out);

/* Does --record name a trace.dat file (FILE.dat) rather than a directory? */
bool params_record_dat(const struct params *p);

#endif /* KVMMMU_PARAMS_H */
