// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_histogram.c - unit tests of the log-linear latency histogram.
 */
#define TEST_SUITE "histogram"
#include "testlib.h"

#include <stdlib.h>

#include "histogram.h"

static struct histogram h;

/* Deterministic pseudo-random numbers (xorshift64*). */
static uint64_t rnd_state = 0x2545f4914f6cdd1dull;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 0x2545f4914f6cdd1dull;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* True value at percentile @p of sorted @v, same rank rule as the lib. */
static uint64_t true_percentile(const uint64_t *v, size_t n, double p)
{
	size_t rank = (size_t)(p / 100.0 * (double)n);

	if ((double)rank < p / 100.0 * (double)n)
		rank++;
	if (rank < 1)
		rank = 1;
	return v[rank - 1];
}

/* r must be in [v, v + v/128] (and exact below 128 ns). */
static int within_precision(uint64_t r, uint64_t v)
{
	return r >= v && r - v <= v / 128;
}

TEST(empty)
{
	histogram_init(&h);
	CHECK_EQ(histogram_count(&h), 0);
	CHECK_EQ(histogram_sum(&h), 0);
	CHECK_EQ(histogram_min(&h), 0);
	CHECK_EQ(histogram_max(&h), 0);
	CHECK(histogram_mean(&h) == 0.0);
	CHECK_EQ(histogram_percentile(&h, 50), 0);
	CHECK_EQ(histogram_percentile(&h, 99), 0);
	CHECK_EQ(histogram_percentile(&h, 100), 0);
}

TEST(exact_count_sum_min_max)
{
	uint64_t vals[] = { 5000, 123, 987654321, 7, 1000000, 42424242 };
	uint64_t sum = 0;
	unsigned int i;

	histogram_init(&h);
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		histogram_add(&h, vals[i]);
		sum += vals[i];
	}
	CHECK_EQ(histogram_count(&h), 6);
	CHECK_EQ(histogram_sum(&h), sum);
	CHECK_EQ(histogram_min(&h), 7);
	CHECK_EQ(histogram_max(&h), 987654321);
	CHECK(histogram_mean(&h) == (double)sum / 6.0);
	CHECK_EQ(histogram_percentile(&h, 100), 987654321);
	CHECK_EQ(histogram_percentile(&h, 0), 7);
}

TEST(single_value)
{
	histogram_init(&h);
	histogram_add(&h, 123457);
	/* the bucket bound is clamped to the exact max */
	CHECK_EQ(histogram_percentile(&h, 50), 123457);
	CHECK_EQ(histogram_percentile(&h, 99), 123457);
	CHECK_EQ(histogram_percentile(&h, 1), 123457);
}

TEST(small_values_exact)
{
	unsigned int i;

	histogram_init(&h);
	for (i = 1; i <= 100; i++)
		histogram_add(&h, i);
	CHECK_EQ(histogram_percentile(&h, 50), 50);
	CHECK_EQ(histogram_percentile(&h, 90), 90);
	CHECK_EQ(histogram_percentile(&h, 99), 99);
	CHECK_EQ(histogram_percentile(&h, 99.5), 100);
}

TEST(buckets_cover_and_bound)
{
	uint64_t v, up, prev_up = 0;
	unsigned int b, i;

	for (b = 0; b + 1 < HIST_NR_BUCKETS; b++) {
		up = histogram_bucket_upper(b);
		if (b)
			CHECK(up > prev_up);
		CHECK_EQ(histogram_bucket(up), b);
		CHECK_EQ(histogram_bucket(up + 1), b + 1);
		prev_up = up;
	}
	for (i = 0; i < 100000; i++) {
		v = rnd() >> (rnd() % 64);
		if (v >> HIST_MAX_EXP)
			continue;
		up = histogram_bucket_upper(histogram_bucket(v));
		if (!within_precision(up, v))
			break;
	}
	CHECK_EQ(i, 100000);
	CHECK_EQ(histogram_bucket(UINT64_MAX), HIST_NR_BUCKETS - 1);
	CHECK_EQ(histogram_bucket(1ull << HIST_MAX_EXP), HIST_NR_BUCKETS - 1);
}

static void check_percentiles(uint64_t *v, size_t n)
{
	static const double ps[] = { 1, 10, 50, 90, 99, 99.9 };
	unsigned int i;
	uint64_t r, t;

	qsort(v, n, sizeof(*v), cmp_u64);
	for (i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
		r = histogram_percentile(&h, ps[i]);
		t = true_percentile(v, n, ps[i]);
		if (!within_precision(r, t))
			tl_fail("p%g: %llu, true %llu", ps[i],
				(unsigned long long)r, (unsigned long long)t);
	}
}

TEST(uniform_percentiles)
{
	static uint64_t v[100000];
	size_t i;

	histogram_init(&h);
	for (i = 0; i < 100000; i++) {
		v[i] = 1000 + rnd() % 1000000;	/* 1 us .. 1 ms */
		histogram_add(&h, v[i]);
	}
	check_percentiles(v, 100000);
	/* p50 of uniform 1us..1ms is ~500 us, within 1 % + sampling */
	CHECK(histogram_percentile(&h, 50) > 490000);
	CHECK(histogram_percentile(&h, 50) < 512000);
}

TEST(long_tail_percentiles)
{
	static uint64_t v[50000];
	uint64_t sum = 0;
	size_t i;

	histogram_init(&h);
	for (i = 0; i < 50000; i++) {
		/* mostly ~2 us, a tail up to seconds */
		v[i] = 2000 + (rnd() % 500) +
		       (i % 100 == 0 ? rnd() % 3000000000ull : 0);
		histogram_add(&h, v[i]);
		sum += v[i];
	}
	CHECK_EQ(histogram_sum(&h), sum);
	check_percentiles(v, 50000);
}

TEST(huge_values_clamp_to_max)
{
	histogram_init(&h);
	histogram_add(&h, 500ull * 1000000000);	/* 500 s, past the buckets */
	histogram_add(&h, 1000);
	CHECK_EQ(histogram_max(&h), 500ull * 1000000000);
	CHECK_EQ(histogram_percentile(&h, 99), 500ull * 1000000000);
	CHECK(within_precision(histogram_percentile(&h, 50), 1000));
}

TEST(merge)
{
	struct histogram *a = histogram_new(), *b = histogram_new();
	unsigned int i;

	CHECK(a && b);
	if (!a || !b)
		goto out;
	for (i = 1; i <= 1000; i++)
		histogram_add(i % 2 ? a : b, i * 100);
	histogram_merge(a, b);
	CHECK_EQ(histogram_count(a), 1000);
	CHECK_EQ(histogram_sum(a), 100ull * 1000 * 1001 / 2);
	CHECK_EQ(histogram_min(a), 100);
	CHECK_EQ(histogram_max(a), 100000);
	CHECK(within_precision(histogram_percentile(a, 50), 50000));
out:
	histogram_free(a);
	histogram_free(b);
}

/*
 * Zero-filled memory is an empty histogram: the first value becomes min
 * even though it is larger than the zero already there, and merging into
 * zeroed memory takes the source's min.
 */
TEST(zero_filled_is_empty)
{
	struct histogram *z = calloc(1, sizeof(*z)), *m = calloc(1, sizeof(*m));

	CHECK(z && m);
	if (!z || !m)
		goto out;
	CHECK_EQ(histogram_count(z), 0);
	CHECK_EQ(histogram_percentile(z, 50), 0);
	histogram_add(z, 7000);
	histogram_add(z, 9000);
	CHECK_EQ(histogram_min(z), 7000);
	CHECK_EQ(histogram_percentile(z, 0), 7000);
	histogram_merge(m, z);
	CHECK_EQ(histogram_min(m), 7000);
	CHECK_EQ(histogram_max(m), 9000);
	histogram_add(m, 8000);
	CHECK_EQ(histogram_min(m), 7000);
	histogram_merge(z, m);		/* min 7000 against 7000 */
	histogram_add(z, 6000);
	CHECK_EQ(histogram_min(z), 6000);
	CHECK_EQ(histogram_count(z), 6);
out:
	free(z);
	free(m);
}

int main(void)
{
	RUN(empty);
	RUN(exact_count_sum_min_max);
	RUN(single_value);
	RUN(small_values_exact);
	RUN(buckets_cover_and_bound);
	RUN(uniform_percentiles);
	RUN(long_tail_percentiles);
	RUN(huge_values_clamp_to_max);
	RUN(merge);
	RUN(zero_filled_is_empty);
	return TESTS_DONE();
}
