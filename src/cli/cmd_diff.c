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
#include "flame.h"
#include "flame_svg.h"
#include "jsonl_faults.h"
#include "profile.h"
#include "symbols.h"
#include "thread_names.h"

/*
 * One run. A replayed one keeps its run (profile, symbols) to the end:
 * its flame aggregate (--svg) names frames through them.
 */
struct diff_side {
	struct diffstats *ds;
	struct run run;
	struct flame *flame;
	int error;
};

static void add_fault(const struct fault *f, void *ctx)
{
	struct diff_side *side = ctx;
	int r = diffstats_add_fault(side->ds, side->run.prof, f);

	if (!r && side->flame && flame_add(side->flame, f) == -ENOMEM)
		r = -ENOMEM;
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
	struct run *run = &side->run;
	int ret;

	*run = (struct run){ .p = p, .emit = add_fault, .emit_ctx = side };
	run->prof = load_profile(p->profile);
	if (!run->prof)
		return 1;
	run->syms = symbols_new();
	run->names = thread_names_new();
	if (run->syms && p->svg_path)
		side->flame = flame_new(run->syms, run->prof, FLAME_GROUP_TYPE);
	if (!run->syms || !run->names || (p->svg_path && !side->flame))
		return fail(1, "out of memory");
	ret = replay_input(run, input);
	if (!ret)
		capture_finish(run->capture);
	if (!ret && side->error)
		ret = fail(1, "%s: %s", input, strerror(-side->error));
	return ret;
}

static void free_side(struct diff_side *side)
{
	diffstats_free(side->ds);
	flame_free(side->flame);
	run_free(&side->run);
}

/* --svg: B's flame graph coloured by the change from A. */
static int write_svg(const struct params *p, const struct diff_side *a,
		     const struct diff_side *b)
{
	char title[256];
	FILE *f = fopen(p->svg_path, "we");
	int ret;

	if (!f)
		return fail(1, "%s: %s", p->svg_path, strerror(errno));
	snprintf(title, sizeof(title), "kvmmmu-graph diff: %s (red: slower "
		 "than in %s, blue: faster)", p->diff_b, p->diff_a);
	ret = flame_write_svg_diff(b->flame, a->flame, f, title);
	if (fclose(f) && !ret)
		ret = -errno;
	if (ret)
		return fail(1, "%s: %s", p->svg_path, strerror(-ret));
	return 0;
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
		if (p->svg_path)
			return fail(1, "%s: --svg needs call trees: compare "
				    "recordings or trace.dat files, not --json "
				    "output", input);
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
	if (!ret && p->svg_path)
		ret = write_svg(p, &a, &b);
	free_side(&a);
	free_side(&b);
	return ret;
}
