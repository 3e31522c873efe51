/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report.h - what the user sees: per-fault lines, JSON Lines, trees,
 * and at the end the summary, the phase breakdown and flame outputs.
 */
#ifndef KVMMMU_REPORT_H
#define KVMMMU_REPORT_H

#include <stdio.h>

#include "fault.h"
#include "params.h"
#include "summary.h"

struct profile;
struct symbols;
struct report;

/**
 * report_new() - set up the views @p asks for
 * @p:		parsed command line (views, filters, output files)
 * @syms:	function names
 * @prof:	profile (phase names)
 * @out:	where lines go (stdout)
 * @err:	one-line message on failure (e.g. an output file)
 *
 * Return: the report, or NULL with @err set.
 */
struct report *report_new(const struct params *p, const struct symbols *syms,
			  const struct profile *prof, FILE *out, char *err,
			  size_t errlen);
void report_free(struct report *r);

/* Builder callback: one finished fault (ctx is the struct report). */
void report_fault(const struct fault *f, void *ctx);

/* Note shown once before the first line (e.g. "events-only: no tree"). */
void report_set_note(struct report *r, const char *note);

/**
 * report_finish() - summary, breakdown, folded and SVG files
 * Return: 0, or -errno when an output file could not be written.
 */
int report_finish(struct report *r, struct run_info *ri, char *err,
		  size_t errlen);

#endif /* KVMMMU_REPORT_H */
