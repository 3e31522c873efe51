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

/**
 * replay_input() - rebuild every fault of a recording or trace.dat
 * @run:	run with its profile and report (or emit) set up
 * @input:	recording directory or trace.dat file
 *
 * Return: 0, or the exit status after printing why.
 */
int replay_input(struct run *run, const char *input)
{
	const struct params *p = run->p;
	bool dat = tracedat_is_file(input);
	enum fault_vendor vendor;
	bool events_only;
	int64_t n;
	int ret;

	vendor = p->vendor ? p->vendor :
		 dat ? FAULT_VENDOR_UNKNOWN : recording_vendor(input);
	events_only = p->strategy == STRATEGY_EVENTS_ONLY ||
		      (!dat && recorded_events_only(input));
	if (dat) {
		ret = open_dat_capture(run, input, vendor, events_only);
	} else {
		thread_names_load_saved(run->names, input);
		ret = open_capture(run, input, NULL, vendor, events_only);
	}
	if (ret)
		return ret;
	if (dat)
		events_only = capture_events_only(run->capture);
	if (!events_only && !capture_has_funcgraph(run->capture))
		return fail(1, "%s: no funcgraph event formats; use "
			    "--strategy events-only", input);
	run->strategy = dat ? (events_only ? "events-only (trace.dat)" :
			       "trace.dat") :
			events_only ? "events-only (recording)" : "recording";
	n = capture_pump(run->capture, UINT64_MAX);
	if (n < 0)
		return fail(1, "%s: %s", input, n == -EBADMSG ?
			    "corrupt or truncated raw ring-buffer data" :
			    strerror((int)-n));
	return 0;
}

/*
 * A replay whose data is damaged still prints what it could rebuild, then
 * says so in one line and exits 3: its figures cannot be trusted.
 */
static int check_damage(struct run *run, const char *input)
{
	uint64_t pages = capture_damaged_pages(run->capture);
	uint64_t undecoded = capture_decode_errors(run->capture);
	uint64_t pf = capture_records(run->capture, REC_PAGE_FAULT);

	if (!capture_events_only(run->capture) && pf &&
	    !capture_records(run->capture, REC_FG_ENTRY))
		return fail(EXIT_DAMAGED, "warning: %s: %llu kvm_page_fault "
			    "events but no function_graph records (recorded "
			    "events-only, strategy note missing?): replay it "
			    "with --strategy events-only", input,
			    (unsigned long long)pf);
	uint64_t dropped = capture_builder_stats(run->capture)->threads_dropped;

	if (dropped)
		return fail(EXIT_DAMAGED, "warning: %s: %llu records dropped: "
			    "more threads in a fault at once than the %d "
			    "followed; the figures are incomplete", input,
			    (unsigned long long)dropped, BUILDER_MAX_THREADS);
	if (!pages && !undecoded)
		return 0;
	return fail(EXIT_DAMAGED, "warning: %s is damaged: %llu raw pages "
		    "skipped, %llu records not decodable; the figures are "
		    "incomplete", input, (unsigned long long)pages,
		    (unsigned long long)undecoded);
}

int cmd_replay(const struct params *p)
{
	struct run run = { .p = p };
	int ret;

	run.prof = load_profile(p->profile);
	if (!run.prof)
		return 1;
	if (p->record_dir && tracedat_is_file(p->input_dir)) {
		run_free(&run);
		return fail(2, "--input FILE.dat is already a trace.dat: "
			    "--record converts recording directories only");
	}
	ret = convert(p);
	if (!ret)
		ret = open_report(&run);
	if (!ret)
		ret = replay_input(&run, p->input_dir);
	if (!ret)
		ret = finish_report(&run);
	if (!ret)
		ret = check_damage(&run, p->input_dir);
	run_free(&run);
	return ret;
}
