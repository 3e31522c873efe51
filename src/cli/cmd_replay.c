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

static bool recorded_events_only(const char *dir)
{
	char strategy[32];

	return !recording_read_note(dir, "strategy", strategy,
				    sizeof(strategy)) &&
	       !strcmp(strategy, "events-only");
}

int cmd_replay(const struct params *p)
{
	struct run run = { .p = p };
	enum fault_vendor vendor;
	bool events_only;
	int64_t n;
	int ret;

	run.prof = load_profile(p->profile);
	if (!run.prof)
		return 1;
	vendor = p->vendor ? p->vendor : recording_vendor(p->input_dir);
	events_only = p->strategy == STRATEGY_EVENTS_ONLY ||
		      recorded_events_only(p->input_dir);
	ret = open_report(&run);
	if (!ret) {
		thread_names_load_saved(run.names, p->input_dir);
		ret = open_capture(&run, p->input_dir, NULL, vendor,
				   events_only);
	}
	if (!ret && !events_only && !capture_has_funcgraph(run.capture)) {
		ret = fail(1, "%s: no funcgraph event formats; use "
			   "--strategy events-only", p->input_dir);
	}
	if (!ret) {
		run.strategy = events_only ? "events-only (recording)" :
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
