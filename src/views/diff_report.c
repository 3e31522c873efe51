// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * diff_report.c - two runs compared, as text or JSON.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diff_report.h"
#include "view.h"

#define METHOD "counts: difference of two Poisson counts above %.0f sigma " \
	"and %.0f %%; times: Mann-Whitney U, two-sided, ties within one " \
	"histogram bucket (0.8 %%), p < %g and a p50 change of at least %.0f %%"

/* all, then type:, cause:, phase:, each by name. */
static int group_rank(const char *name)
{
	return !strncmp(name, "type:", 5) ? 1 : !strncmp(name, "cause:", 6) ?
	       2 : !strncmp(name, "phase:", 6) ? 3 : 0;
}

static int cmp_groups(const void *x, const void *y)
{
	const char *a = *(const char *const *)x, *b = *(const char *const *)y;
	int ra = group_rank(a), rb = group_rank(b);

	return ra != rb ? ra - rb : strcmp(a, b);
}

/* Every group name of either run: A's, then those only B has. */
static unsigned int group_names(const struct diffstats *a,
				const struct diffstats *b,
				const char **names)
{
	unsigned int n = 0, i;
	const char *name;

	for (i = 0; i < diffstats_nr_groups(a); i++)
		names[n++] = diffstats_group(a, i)->name;
	for (i = 0; i < diffstats_nr_groups(b); i++) {
		name = diffstats_group(b, i)->name;
		if (!diffstats_find(a, name))
			names[n++] = name;
	}
	qsort(names, n, sizeof(*names), cmp_groups);
	return n;
}

static uint64_t count_of(const struct diff_group *g)
{
	return g ? g->faults : 0;
}

static double ms_of(const struct diff_group *g)
{
	return g ? (double)histogram_sum(&g->times) / 1e6 : 0;
}

static double us_at(const struct diff_group *g, double p)
{
	return g && g->times.count ?
	       (double)histogram_percentile(&g->times, p) / 1e3 : NAN;
}

static const char *verdict(const struct diff_result *r)
{
	if (r->count_significant && r->time_significant)
		return "CHANGED (count, time)";
	if (r->count_significant)
		return "CHANGED (count)";
	if (r->time_significant)
		return "CHANGED (time)";
	return "-";
}

static void text_row(FILE *out, const char *name, const struct diff_group *a,
		     const struct diff_group *b, const struct diff_result *r)
{
	fprintf(out, "%-22s %9" PRIu64 " %9" PRIu64 " %+8.1f%% %10.3f %10.3f "
		"%10.3f %10.3f %10.3f %10.3f %9.2g  %s\n", name, count_of(a),
		count_of(b), isinf(r->count_change) ? 100.0 :
		100.0 * r->count_change, ms_of(a), ms_of(b), us_at(a, 50),
		us_at(b, 50), us_at(a, 99), us_at(b, 99), r->p_value,
		verdict(r));
}

static void json_side(FILE *out, const char *key, const struct diff_group *g)
{
	fprintf(out, "\"%s\":{\"faults\":%" PRIu64 ",\"total_ns\":%" PRIu64
		",\"p50_ns\":%" PRIu64 ",\"p99_ns\":%" PRIu64 "}", key,
		count_of(g), g ? histogram_sum(&g->times) : 0,
		g && g->times.count ? histogram_percentile(&g->times, 50) : 0,
		g && g->times.count ? histogram_percentile(&g->times, 99) : 0);
}

static void json_row(FILE *out, const char *name, const struct diff_group *a,
		     const struct diff_group *b, const struct diff_result *r,
		     bool first)
{
	fprintf(out, "%s{\"group\":\"%s\",", first ? "" : ",", name);
	json_side(out, "a", a);
	fputc(',', out);
	json_side(out, "b", b);
	if (isinf(r->count_change))
		fputs(",\"count_change\":null", out);
	else
		fprintf(out, ",\"count_change\":%.4f", r->count_change);
	fprintf(out, ",\"count_significant\":%s,\"p50_change\":%.4f,"
		"\"p_value\":%.3g,\"time_significant\":%s}",
		r->count_significant ? "true" : "false", r->p50_change,
		r->p_value, r->time_significant ? "true" : "false");
}

int diff_report_print(FILE *out, const struct diffstats *a,
		      const char *name_a, const struct diffstats *b,
		      const char *name_b, bool json)
{
	const char *names[2 * DIFF_MAX_GROUPS];
	unsigned int n = group_names(a, b, names), i, changed = 0;
	const struct diff_group *ga, *gb;
	struct diff_result r;

	if (json) {
		fputs("{\"type\":\"diff\",\"a\":", out);
		view_json_string(out, name_a);
		fputs(",\"b\":", out);
		view_json_string(out, name_b);
		fprintf(out, ",\"method\":\"" METHOD "\",\"groups\":[",
			DIFF_COUNT_SIGMAS, DIFF_MIN_CHANGE * 100, DIFF_P_MAX,
			DIFF_MIN_CHANGE * 100);
	} else {
		fprintf(out, "A: %s\nB: %s\nsignificant: " METHOD "\n\n", name_a,
			name_b, DIFF_COUNT_SIGMAS, DIFF_MIN_CHANGE * 100,
			DIFF_P_MAX, DIFF_MIN_CHANGE * 100);
		fprintf(out, "%-22s %9s %9s %9s %10s %10s %10s %10s %10s %10s "
			"%9s  %s\n", "group", "faults A", "faults B", "change",
			"total A ms", "total B ms", "p50 A us", "p50 B us",
			"p99 A us", "p99 B us", "p-value", "verdict");
	}
	for (i = 0; i < n; i++) {
		ga = diffstats_find(a, names[i]);
		gb = diffstats_find(b, names[i]);
		diff_compare(ga, gb, &r);
		changed += r.count_significant || r.time_significant;
		if (json)
			json_row(out, names[i], ga, gb, &r, i == 0);
		else
			text_row(out, names[i], ga, gb, &r);
	}
	if (json)
		fprintf(out, "],\"significant\":%u}\n", changed);
	else
		fprintf(out, "\n%u of %u groups changed beyond noise\n",
			changed, n);
	return fflush(out) || ferror(out) ? -EIO : (int)changed;
}
