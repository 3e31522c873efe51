// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_diffstats.c - the Mann-Whitney test from histograms against
 * values worked out by hand, and the significance rules of diff.
 */
#define TEST_SUITE "diffstats"
#include "testlib.h"

#include <math.h>
#include <stdlib.h>

#include "diffstats.h"

static struct histogram ha, hb;

static void fill(struct histogram *h, const uint64_t *v, unsigned int n)
{
	histogram_init(h);
	while (n--)
		histogram_add(h, v[n]);
}

TEST(mann_whitney_known_values)
{
	static const uint64_t a[] = { 1, 2, 3, 4, 5 }, b[] = { 6, 7, 8, 9, 10 };
	static const uint64_t c[] = { 1, 3, 5, 7, 9 }, d[] = { 2, 4, 6, 8, 10 };
	double p;

	/* U = 0: z = -12.5 / sqrt(25 * 11 / 12), p = 0.00902 */
	fill(&ha, a, 5);
	fill(&hb, b, 5);
	p = diff_mann_whitney(&ha, &hb);
	CHECK(fabs(p - 0.00902) < 0.0001);
	CHECK(fabs(diff_mann_whitney(&hb, &ha) - p) < 1e-12);
	/* U = 10: z = -2.5 / 4.787, p = 0.6015 */
	fill(&ha, c, 5);
	fill(&hb, d, 5);
	p = diff_mann_whitney(&ha, &hb);
	CHECK(fabs(p - 0.6015) < 0.001);
	/* identical samples: no evidence */
	fill(&hb, c, 5);
	CHECK(diff_mann_whitney(&ha, &hb) > 0.99);
}

static void sample(struct diffstats *ds, unsigned int n, uint64_t base,
		   unsigned int seed, const char *cause)
{
	unsigned int i;

	srand(seed);
	for (i = 0; i < n; i++)
		diffstats_add(ds, "normal", cause, true,
			      base + (uint64_t)(rand() % (int)(base / 2)),
			      NULL, NULL, 0);
}

TEST(noise_is_not_a_change)
{
	struct diffstats *a = diffstats_new(), *b = diffstats_new();
	struct diff_result r;

	sample(a, 2000, 10000, 1, "first-touch");
	sample(b, 2000, 10000, 2, "first-touch");
	diff_compare(diffstats_find(a, "all"), diffstats_find(b, "all"), &r);
	CHECK(!r.count_significant);
	CHECK(!r.time_significant);
	CHECK(r.p_value > DIFF_P_MAX);
	diffstats_free(a);
	diffstats_free(b);
}

TEST(fewer_faults_and_slower_faults_are_changes)
{
	struct diffstats *a = diffstats_new(), *b = diffstats_new();
	struct diff_result r;

	sample(a, 4096, 10000, 1, "first-touch");
	sample(b, 8, 10000, 2, "first-touch");
	sample(b, 500, 30000, 3, "dirty-log");
	sample(a, 500, 10000, 4, "dirty-log");
	diff_compare(diffstats_find(a, "cause:first-touch"),
		     diffstats_find(b, "cause:first-touch"), &r);
	CHECK(r.count_significant);
	CHECK(r.count_change < -0.99);
	diff_compare(diffstats_find(a, "cause:dirty-log"),
		     diffstats_find(b, "cause:dirty-log"), &r);
	CHECK(!r.count_significant);
	CHECK(r.time_significant);
	CHECK(r.p50_change > 1.5);
	/* a group only B has */
	diff_compare(NULL, diffstats_find(b, "cause:dirty-log"), &r);
	CHECK(isinf(r.count_change));
	diffstats_free(a);
	diffstats_free(b);
}

int main(void)
{
	RUN(mann_whitney_known_values);
	RUN(noise_is_not_a_change);
	RUN(fewer_faults_and_slower_faults_are_changes);
	return TESTS_DONE();
}
