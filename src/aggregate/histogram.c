// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * histogram.c - log-linear latency histogram (see histogram.h).
 */
#include <stdlib.h>
#include <string.h>

#include "histogram.h"

void histogram_init(struct histogram *h)
{
	memset(h, 0, sizeof(*h));
}

struct histogram *histogram_new(void)
{
	return calloc(1, sizeof(struct histogram));
}

void histogram_free(struct histogram *h)
{
	free(h);
}

static unsigned int msb64(uint64_t v)
{
	return 63u - (unsigned int)__builtin_clzll(v);
}

unsigned int histogram_bucket(uint64_t ns)
{
	unsigned int e;

	if (ns < HIST_SUB_COUNT)
		return (unsigned int)ns;
	e = msb64(ns);
	if (e >= HIST_MAX_EXP)
		return HIST_NR_BUCKETS - 1;
	return HIST_SUB_COUNT + (e - HIST_SUB_BITS) * HIST_SUB_COUNT +
	       (unsigned int)((ns >> (e - HIST_SUB_BITS)) - HIST_SUB_COUNT);
}

uint64_t histogram_bucket_upper(unsigned int idx)
{
	unsigned int j, shift;
	uint64_t lower;

	if (idx < HIST_SUB_COUNT)
		return idx;
	if (idx >= HIST_NR_BUCKETS - 1)
		return UINT64_MAX;
	j = idx - HIST_SUB_COUNT;
	shift = j / HIST_SUB_COUNT;
	lower = (uint64_t)(HIST_SUB_COUNT + j % HIST_SUB_COUNT) << shift;
	return lower + (1ull << shift) - 1;
}

void histogram_add(struct histogram *h, uint64_t ns)
{
	if (!h->count || ns < h->min)
		h->min = ns;
	h->buckets[histogram_bucket(ns)]++;
	h->count++;
	h->sum += ns;
	if (ns > h->max)
		h->max = ns;
}

void histogram_merge(struct histogram *dst, const struct histogram *src)
{
	unsigned int i;

	if (!src->count)
		return;
	if (!dst->count || src->min < dst->min)
		dst->min = src->min;
	for (i = 0; i < HIST_NR_BUCKETS; i++)
		dst->buckets[i] += src->buckets[i];
	dst->count += src->count;
	dst->sum += src->sum;
	if (src->max > dst->max)
		dst->max = src->max;
}

uint64_t histogram_count(const struct histogram *h)
{
	return h->count;
}

uint64_t histogram_sum(const struct histogram *h)
{
	return h->sum;
}

uint64_t histogram_min(const struct histogram *h)
{
	return h->count ? h->min : 0;
}

uint64_t histogram_max(const struct histogram *h)
{
	return h->max;
}

double histogram_mean(const struct histogram *h)
{
	return h->count ? (double)h->sum / (double)h->count : 0.0;
}

/* Rank (1-based) of the value at percentile @p, between 1 and count. */
static uint64_t percentile_rank(uint64_t count, double p)
{
	double r = p / 100.0 * (double)count;
	uint64_t rank;

	if (r >= (double)count)
		return count;
	rank = (uint64_t)r;
	if ((double)rank < r)	/* ceil() without libm */
		rank++;
	return rank ? rank : 1;
}

uint64_t histogram_percentile(const struct histogram *h, double p)
{
	uint64_t rank, seen = 0, up;
	unsigned int i;

	if (!h->count)
		return 0;
	if (!(p > 0.0))		/* also catches NaN */
		return h->min;
	if (p >= 100.0)
		return h->max;
	rank = percentile_rank(h->count, p);
	for (i = 0; i < HIST_NR_BUCKETS; i++) {
		seen += h->buckets[i];
		if (seen >= rank)
			break;
	}
	up = histogram_bucket_upper(i < HIST_NR_BUCKETS ? i : i - 1);
	if (up > h->max)
		up = h->max;
	return up < h->min ? h->min : up;
}
