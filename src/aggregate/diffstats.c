// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * diffstats.c - two runs compared per group, with a significance test.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diffstats.h"
#include "fault.h"
#include "fault_cause.h"
#include "profile.h"
#include "summary.h"

struct diffstats {
	struct diff_group *groups[DIFF_MAX_GROUPS];
	unsigned int nr;
};

struct diffstats *diffstats_new(void)
{
	return calloc(1, sizeof(struct diffstats));
}

void diffstats_free(struct diffstats *ds)
{
	if (!ds)
		return;
	while (ds->nr)
		free(ds->groups[--ds->nr]);
	free(ds);
}

static struct diff_group *group(struct diffstats *ds, const char *prefix,
				const char *name)
{
	char full[48];
	unsigned int i;

	snprintf(full, sizeof(full), "%s%s", prefix, name);
	for (i = 0; i < ds->nr; i++)
		if (!strcmp(ds->groups[i]->name, full))
			return ds->groups[i];
	if (ds->nr >= DIFF_MAX_GROUPS)
		return NULL;
	ds->groups[ds->nr] = calloc(1, sizeof(struct diff_group));
	if (!ds->groups[ds->nr])
		return NULL;
	snprintf(ds->groups[ds->nr]->name, sizeof(full), "%s", full);
	return ds->groups[ds->nr++];
}

static int count_in(struct diffstats *ds, const char *prefix,
		    const char *name, bool complete, uint64_t ns)
{
	struct diff_group *g = group(ds, prefix, name);

	if (!g)
		return -ENOSPC;
	g->faults++;
	if (complete)
		histogram_add(&g->times, ns);
	return 0;
}

int diffstats_add(struct diffstats *ds, const char *kind, const char *cause,
		  bool complete, uint64_t delay_ns, const char *const *phases,
		  const uint64_t *phase_ns, unsigned int nr)
{
	unsigned int i;
	int ret = count_in(ds, "", "all", complete, delay_ns);

	if (!ret)
		ret = count_in(ds, "type:", kind, complete, delay_ns);
	if (!ret && cause)
		ret = count_in(ds, "cause:", cause, complete, delay_ns);
	for (i = 0; !ret && complete && i < nr; i++)
		ret = count_in(ds, "phase:", phases[i], true, phase_ns[i]);
	return ret;
}

int diffstats_add_fault(struct diffstats *ds, const struct profile *prof,
			const struct fault *f)
{
	unsigned int nr = profile_nr_phases(prof), i, n = 0;
	uint64_t ns[PROFILE_MAX_PHASES], times[PROFILE_MAX_PHASES];
	const char *names[PROFILE_MAX_PHASES];
	unsigned char seen[PROFILE_MAX_PHASES];

	if (f->has_tree && f->complete) {
		fault_phase_times(f, nr, ns, seen);
		for (i = 0; i < nr; i++) {
			if (!seen[i])
				continue;
			names[n] = profile_phase_name(prof, i);
			times[n++] = ns[i];
		}
	}
	return diffstats_add(ds, fault_kind_name(f->kind),
			     fault_cause_name(prof, f->cause), f->complete,
			     f->complete ? f->delay_ns : 0, names, times, n);
}

unsigned int diffstats_nr_groups(const struct diffstats *ds)
{
	return ds->nr;
}

const struct diff_group *diffstats_group(const struct diffstats *ds,
					 unsigned int i)
{
	return i < ds->nr ? ds->groups[i] : NULL;
}

const struct diff_group *diffstats_find(const struct diffstats *ds,
					const char *name)
{
	unsigned int i;

	for (i = 0; i < ds->nr; i++)
		if (!strcmp(ds->groups[i]->name, name))
			return ds->groups[i];
	return NULL;
}

double diff_mann_whitney(const struct histogram *a, const struct histogram *b)
{
	double n1 = (double)a->count, n2 = (double)b->count, n = n1 + n2;
	double u = 0, below_b = 0, ties = 0, t, var, z;
	unsigned int i;

	if (!a->count || !b->count)
		return 1.0;
	for (i = 0; i < HIST_NR_BUCKETS; i++) {
		double ai = (double)a->buckets[i], bi = (double)b->buckets[i];

		u += ai * (below_b + 0.5 * bi);	/* pairs with a > b, ties half */
		below_b += bi;
		t = ai + bi;
		ties += t * t * t - t;
	}
	var = n1 * n2 / 12.0 * ((n + 1) - ties / (n * (n - 1)));
	if (var <= 0)
		return 1.0;
	z = (u - n1 * n2 / 2.0) / sqrt(var);
	return erfc(fabs(z) / sqrt(2.0));
}

void diff_compare(const struct diff_group *a, const struct diff_group *b,
		  struct diff_result *r)
{
	double ca = a ? (double)a->faults : 0, cb = b ? (double)b->faults : 0;
	double pa, pb;

	memset(r, 0, sizeof(*r));
	r->count_change = ca ? (cb - ca) / ca : (cb ? INFINITY : 0);
	r->count_significant = ca != cb &&
		fabs(cb - ca) > DIFF_COUNT_SIGMAS * sqrt(ca + cb) &&
		fabs(cb - ca) >= DIFF_MIN_CHANGE * (ca > cb ? ca : cb);
	r->p_value = 1.0;
	if (!a || !b || !a->times.count || !b->times.count)
		return;
	pa = (double)histogram_percentile(&a->times, 50);
	pb = (double)histogram_percentile(&b->times, 50);
	r->p50_change = pa ? (pb - pa) / pa : 0;
	r->p_value = diff_mann_whitney(&a->times, &b->times);
	r->time_significant = r->p_value < DIFF_P_MAX &&
			      fabs(r->p50_change) >= DIFF_MIN_CHANGE;
}
