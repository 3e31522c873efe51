// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report.c - the views a run asks for, fed by one callback.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* Every view; a new view is one file and one row here. */
static const struct view_ops *const all_views[] = {
	&view_lines,
	&view_json,
	&view_summary,
	&view_folded,
	&view_svg,
	&view_chrome,
	&view_prefault,
	&view_metrics,		/* last: it may hold the run open */
};

#define NR_VIEWS	(sizeof(all_views) / sizeof(all_views[0]))

struct report {
	struct view_options opts;
	struct report_filter filter;
	const struct view_ops *ops[NR_VIEWS];
	void *state[NR_VIEWS];
	unsigned int nr;
	uint64_t filtered;
	int error;		/* first add_fault() error */
	const char *error_view;
};

struct report *report_new(const struct view_options *o,
			  const struct report_filter *filter, char *err,
			  size_t errlen)
{
	struct report *r = calloc(1, sizeof(*r));
	unsigned int i;

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->opts = *o;
	r->filter = *filter;
	for (i = 0; i < NR_VIEWS; i++) {
		if (!all_views[i]->wanted(&r->opts))
			continue;
		r->state[r->nr] = all_views[i]->open(&r->opts, err, errlen);
		if (!r->state[r->nr]) {
			report_free(r);
			return NULL;
		}
		r->ops[r->nr++] = all_views[i];
	}
	return r;
}

void report_free(struct report *r)
{
	unsigned int i;

	if (!r)
		return;
	for (i = 0; i < r->nr; i++)
		r->ops[i]->close(r->state[i]);
	free(r);
}

void report_set_note(struct report *r, const char *note)
{
	r->opts.note = note;
}

static bool filtered_out(const struct report *r, const struct fault *f)
{
	if (r->filter.vcpu >= 0 && f->vcpu != r->filter.vcpu)
		return true;
	return f->complete && f->delay_ns < r->filter.threshold_ns;
}

void report_fault(const struct fault *f, void *ctx)
{
	struct report *r = ctx;
	unsigned int i;
	int ret;

	if (!r->opts.t0_ns)
		r->opts.t0_ns = f->ts_ns;
	if (filtered_out(r, f)) {
		r->filtered++;
		return;
	}
	for (i = 0; i < r->nr; i++) {
		ret = r->ops[i]->add_fault(r->state[i], f);
		if (ret && !r->error) {
			r->error = ret;
			r->error_view = r->ops[i]->name;
		}
	}
}

void report_progress(struct report *r, struct run_info *ri)
{
	unsigned int i;

	ri->filtered = r->filtered;
	for (i = 0; i < r->nr; i++)
		if (r->ops[i]->progress)
			r->ops[i]->progress(r->state[i], ri);
}

int report_finish(struct report *r, struct run_info *ri, char *err,
		  size_t errlen)
{
	unsigned int i;
	int ret = 0;

	ri->filtered = r->filtered;
	for (i = 0; i < r->nr && !ret; i++)
		ret = r->ops[i]->finish(r->state[i], ri, err, errlen);
	if (!ret && r->error) {
		snprintf(err, errlen, "%s output: %s", r->error_view,
			 strerror(-r->error));
		ret = r->error;
	}
	return ret;
}
