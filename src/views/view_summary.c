// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view_summary.c - the end-of-run text: summary with percentiles, the
 * phase breakdown per fault kind, and the slowest faults' call trees.
 */
#include <errno.h>
#include <stdlib.h>

#include "breakdown.h"
#include "findings.h"
#include "output_tree.h"
#include "prefault.h"
#include "view.h"

struct summary_view {
	const struct view_options *o;
	struct summary *summary;
	struct breakdown *breakdown;
	struct findings *findings;
	struct prefault *prefault;	/* NULL without a first-touch rule */
};

static bool summary_wanted(const struct view_options *o)
{
	return !o->json;
}

static void summary_close(void *state)
{
	struct summary_view *v = state;

	if (!v)
		return;
	summary_free(v->summary);
	breakdown_free(v->breakdown);
	findings_free(v->findings);
	prefault_free(v->prefault);
	free(v);
}

static void *summary_open(const struct view_options *o, char *err,
			  size_t errlen)
{
	struct summary_view *v = calloc(1, sizeof(*v));

	if (v) {
		v->summary = summary_new(o->prof);
		v->breakdown = breakdown_new(o->syms, o->prof, o->top_n);
		v->findings = findings_new(o->prof);
		v->prefault = prefault_new(o->prof);
	}
	if (!v || !v->summary || !v->breakdown || !v->findings) {
		summary_close(v);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	v->o = o;
	return v;
}

static int summary_add_fault(void *state, const struct fault *f)
{
	struct summary_view *v = state;

	summary_add(v->summary, f);
	breakdown_add(v->breakdown, f);	/* a malformed tree is only counted */
	findings_add(v->findings, f);
	prefault_add(v->prefault, f);
	return 0;
}

static int summary_finish(void *state, const struct run_info *ri, char *err,
			  size_t errlen)
{
	struct summary_view *v = state;
	FILE *out = v->o->out;
	int ret;

	summary_print_text(v->summary, ri, out);
	findings_print_text(v->findings, out);
	prefault_print_text(v->prefault, out, 5);
	breakdown_print(v->breakdown, out);
	ret = tree_print_slowest(out, v->breakdown, v->o->syms, v->o->prof);
	if (!ret && (fflush(out) || ferror(out)))
		ret = -EIO;
	if (ret)
		snprintf(err, errlen, "standard output: write error");
	return ret;
}

const struct view_ops view_summary = {
	.name = "summary",
	.wanted = summary_wanted,
	.open = summary_open,
	.add_fault = summary_add_fault,
	.finish = summary_finish,
	.close = summary_close,
};
