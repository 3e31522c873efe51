/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * histogram.h - latency histogram in ns with bounded memory.
 *
 * Log-linear buckets: values below 128 ns each have their own bucket;
 * above, every power of two [2^e, 2^(e+1)) is cut into 128 equal
 * buckets, so a bucket is at most 1/128 (0.78 %) of its lower bound
 * wide.  Buckets go up to 2^37 ns (137 s); larger values share one last
 * overflow bucket (percentiles that land there report the exact max).
 * Count, sum, min and max are exact; percentiles are within the bucket
 * precision.  The struct is fixed size (~31 KiB): embed it or use
 * histogram_new(); adding never allocates.  Zero-filled memory is an
 * empty histogram, so one inside calloc()ed memory needs no init (and
 * its untouched buckets cost no page until used).
 */
#ifndef KVMMMU_HISTOGRAM_H
#define KVMMMU_HISTOGRAM_H

#include <stdint.h>

#define HIST_SUB_BITS		7
#define HIST_SUB_COUNT		(1u << HIST_SUB_BITS)	/* buckets per octave */
#define HIST_MAX_EXP		37			/* 2^37 ns = 137 s */
/* the last bucket holds every value >= 2^HIST_MAX_EXP */
#define HIST_NR_BUCKETS		\
	(HIST_SUB_COUNT + (HIST_MAX_EXP - HIST_SUB_BITS) * HIST_SUB_COUNT + 1)

/**
 * struct histogram - log-linear latency histogram
 * @count:	number of values added
 * @sum:	exact sum of the values
 * @min:	smallest value, meaningless while @count is 0
 * @max:	largest value, 0 while empty
 * @buckets:	per-bucket counts, see histogram_bucket()
 */
struct histogram {
	uint64_t count;
	uint64_t sum;
	uint64_t min;
	uint64_t max;
	uint64_t buckets[HIST_NR_BUCKETS];
};

/**
 * histogram_init() - make @h empty
 * @h:	histogram to reset
 */
void histogram_init(struct histogram *h);

/**
 * histogram_new() - allocate an empty histogram
 *
 * Return: the histogram, or NULL when out of memory.
 */
struct histogram *histogram_new(void);

/**
 * histogram_free() - free a histogram from histogram_new()
 * @h:	histogram, may be NULL
 */
void histogram_free(struct histogram *h);

/**
 * histogram_add() - record one value
 * @h:	histogram
 * @ns:	value in ns
 */
void histogram_add(struct histogram *h, uint64_t ns);

/**
 * histogram_merge() - add every value of @src to @dst
 * @dst:	histogram that receives the values
 * @src:	histogram to read
 */
void histogram_merge(struct histogram *dst, const struct histogram *src);

/**
 * histogram_count() - number of values added
 * @h:	histogram
 *
 * Return: the exact count.
 */
uint64_t histogram_count(const struct histogram *h);

/**
 * histogram_sum() - sum of the values added
 * @h:	histogram
 *
 * Return: the exact sum in ns.
 */
uint64_t histogram_sum(const struct histogram *h);

/**
 * histogram_min() - smallest value added
 * @h:	histogram
 *
 * Return: the exact minimum, 0 when empty.
 */
uint64_t histogram_min(const struct histogram *h);

/**
 * histogram_max() - largest value added
 * @h:	histogram
 *
 * Return: the exact maximum, 0 when empty.
 */
uint64_t histogram_max(const struct histogram *h);

/**
 * histogram_mean() - average value
 * @h:	histogram
 *
 * Return: sum / count in ns, 0.0 when empty.
 */
double histogram_mean(const struct histogram *h);

/**
 * histogram_percentile() - value below or at which @p percent of values are
 * @h:	histogram
 * @p:	percentile, 0.0 to 100.0 (clamped)
 *
 * Finds the bucket holding the value of rank ceil(@p / 100 * count) and
 * returns its upper bound clamped to the exact maximum, so the result r
 * for a true value v satisfies v <= r <= v + v / 128.  @p = 0 returns the
 * exact minimum, @p = 100 the exact maximum.
 *
 * Return: the value in ns, 0 when empty.
 */
uint64_t histogram_percentile(const struct histogram *h, double p);

/**
 * histogram_bucket() - bucket index of a value
 * @ns:	value
 *
 * Return: an index below HIST_NR_BUCKETS.
 */
unsigned int histogram_bucket(uint64_t ns);

/**
 * histogram_bucket_upper() - largest value that falls into bucket @idx
 * @idx:	bucket index below HIST_NR_BUCKETS
 *
 * Return: the upper bound in ns (UINT64_MAX for the last bucket).
 */
uint64_t histogram_bucket_upper(unsigned int idx);

#endif /* KVMMMU_HISTOGRAM_H */
