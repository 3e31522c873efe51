// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_replay.c - "kvmmmu-graph --input DIR": replay a recording.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "capture.h"
#include "cli.h"
#include "recording.h"
#include "thread_names.h"
#include "tracedat.h"

static bool recorded_events_only(const char *dir)
{
	char strategy[32];

	return !recording_read_note(dir, "strategy", strategy,
				    sizeof(strategy)) &&
	       !strcmp(strategy, "events-only");
}

/* --input DIR --record FILE.dat: the recording as a trace.dat. */
static int convert(const struct params *p)
{
	char err[512];

	if (!params_record_dat(p))
		return 0;
	if (tracedat_write_from_dir(p->input_dir, p->record_dir, err,
				    sizeof(err)))
		return fail(1, "%s", err);
	return 0;
}

int cmd_replay(const struct params *p)
{
	struct run run = { .p = p };
	bool dat = tracedat_is_file(p->input_dir);
	enum fault_vendor vendor;
	bool events_only;
	int64_t n;
	int ret;

	run.prof = load_profile(p->profile);
	if (!run.prof)
		return 1;
	if (dat && p->record_dir)
		return fail(2, "--input FILE.dat is already a trace.dat: "
			    "--record converts recording directories only");
	vendor = p->vendor ? p->vendor :
		 dat ? FAULT_VENDOR_UNKNOWN : recording_vendor(p->input_dir);
	events_only = p->strategy == STRATEGY_EVENTS_ONLY ||
		      (!dat && recorded_events_only(p->input_dir));
	ret = convert(p);
	if (!ret)
		ret = open_report(&run);
	if (!ret && dat) {
		ret = open_dat_capture(&run, p->input_dir, vendor, events_only);
	} else if (!ret) {
		thread_names_load_saved(run.names, p->input_dir);
		ret = open_capture(&run, p->input_dir, NULL, vendor,
				   events_only);
	}
	if (!ret && dat)
		events_only = capture_events_only(run.capture);
	if (!ret && !events_only && !capture_has_funcgraph(run.capture)) {
		ret = fail(1, "%s: no funcgraph event formats; use "
			   "--strategy events-only", p->input_dir);
	}
	if (!ret) {
		run.strategy = dat ? (events_only ? "events-only (trace.dat)" :
				      "trace.dat") :
			       events_only ? "events-only (recording)" :
					     "recording";
		n = capture_pump(run.capture, UINT64_MAX);
		if (n < 0)
			ret = fail(1, "%s: %s", p->input_dir, n == -EBADMSG ?
				   "corrupt or truncated raw ring-buffer data" :
				   strerror((int)-n));
	}
	if (!ret)
		ret = finish_report(&run);
	run_free(&run);
	return ret;
}
