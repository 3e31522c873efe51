/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report.h - every view the options ask for, fed by one callback: the
 * faults that pass the filters (--vcpu, --threshold) go to each view, and
 * report_finish() ends them all.
 */
#ifndef KVMMMU_REPORT_H
#define KVMMMU_REPORT_H

#include <stdint.h>

#include "fault.h"
#include "summary.h"
#include "view.h"

struct report;

/**
 * struct report_filter - which faults the views see
 * @vcpu:		only this vCPU, -1 for all
 * @threshold_ns:	only complete faults at least this slow (incomplete
 *			faults are always shown)
 */
struct report_filter {
	int vcpu;
	uint64_t threshold_ns;
};

/**
 * report_new() - open the views @o asks for
 * @o:		view options (copied; views see the copy)
 * @filter:	fault filter
 * @err:	one-line message on failure (e.g. an output file)
 *
 * Return: the report, or NULL with @err set.
 */
struct report *report_new(const struct view_options *o,
			  const struct report_filter *filter, char *err,
			  size_t errlen);
void report_free(struct report *r);

/* Note shown once before the first line (e.g. "events-only: no tree"). */
void report_set_note(struct report *r, const char *note);

/* Builder callback: one finished fault (ctx is the struct report). */
void report_fault(const struct fault *f, void *ctx);

/*
 * Run facts so far (lost events, pages read, ...) for the views that show
 * them live; @ri->filtered is filled in by the report.
 */
void report_progress(struct report *r, struct run_info *ri);

/**
 * report_finish() - end every view: summary, breakdown, output files
 * Return: 0, or -errno with @err set (the first error of a view, or of a
 * write to a view's stream during the run).
 */
int report_finish(struct report *r, struct run_info *ri, char *err,
		  size_t errlen);

#endif /* KVMMMU_REPORT_H */
