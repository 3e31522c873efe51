// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_diff.c - "kvmmmu-graph diff A B": compare two runs, each a
 * recording directory, a trace.dat or the JSON Lines of --json.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "capture.h"
#include "cli.h"
#include "diff_report.h"
#include "diffstats.h"
#include "jsonl_faults.h"
#include "profile.h"
#include "symbols.h"
#include "thread_names.h"

struct diff_side {
	struct diffstats *ds;
	const struct profile *prof;
	int error;
};

static void add_fault(const struct fault *f, void *ctx)
{
	struct diff_side *side = ctx;
	int r = diffstats_add_fault(side->ds, side->prof, f);

	if (r && !side->error)
		side->error = r;
}

static int add_json(const struct jsonl_fault *f, void *ctx)
{
	struct diff_side *side = ctx;

	return diffstats_add(side->ds, f->kind, f->cause[0] ? f->cause : NULL,
			     f->complete, f->delay_ns, f->phases, f->phase_ns,
			     f->nr_phases);
}

/* A recording or trace.dat, rebuilt with the profile of the command line. */
static int load_replay(const struct params *p, const char *input,
		       struct diff_side *side)
{
	struct run run = { .p = p, .emit = add_fault, .emit_ctx = side };
	int ret;

	run.prof = load_profile(p->profile);
	run.syms = symbols_new();
	run.names = thread_names_new();
	if (!run.prof) {
		run_free(&run);
		return 1;
	}
	if (!run.syms || !run.names) {
		run_free(&run);
		return fail(1, "out of memory");
	}
	side->prof = run.prof;
	ret = replay_input(&run, input);
	if (!ret)
		capture_finish(run.capture);
	if (!ret && side->error)
		ret = fail(1, "%s: %s", input, strerror(-side->error));
	run_free(&run);
	return ret;
}

static int load_side(const struct params *p, const char *input,
		     struct diff_side *side)
{
	char err[512];
	struct stat st;
	int64_t n;

	side->ds = diffstats_new();
	if (!side->ds)
		return fail(1, "out of memory");
	if (stat(input, &st))
		return fail(1, "%s: %s", input, strerror(errno));
	if (S_ISREG(st.st_mode) && jsonl_is_file(input)) {
		n = jsonl_faults_read(input, add_json, side, err, sizeof(err));
		return n < 0 ? fail(1, "%s", err) : 0;
	}
	return load_replay(p, input, side);
}

int cmd_diff(const struct params *p)
{
	struct diff_side a = { 0 }, b = { 0 };
	int ret = load_side(p, p->diff_a, &a);

	if (!ret)
		ret = load_side(p, p->diff_b, &b);
	if (!ret && diff_report_print(stdout, a.ds, p->diff_a, b.ds,
				      p->diff_b, p->json) < 0)
		ret = fail(1, "standard output: write error");
	diffstats_free(a.ds);
	diffstats_free(b.ds);
	return ret;
}
