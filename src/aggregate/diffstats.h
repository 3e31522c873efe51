/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * diffstats.h - compare two runs per group of faults (all faults, each
 * fault type, each cause, each phase): counts, totals, p50/p99, and
 * whether a change is beyond run-to-run noise.
 *
 * Each run keeps one log-linear histogram per group (bounded memory: a
 * fixed number of groups, no per-fault samples). Significance:
 *  - times: a two-sided Mann-Whitney U test computed from the two
 *    histograms (values in one bucket count as ties, with the tie
 *    correction of the variance; normal approximation), and the change of
 *    the median must also be practically large: significant when
 *    p < DIFF_P_MAX and |p50 change| >= DIFF_MIN_CHANGE;
 *  - counts: the difference of two Poisson counts, significant when it
 *    exceeds DIFF_COUNT_SIGMAS standard deviations (sqrt(a + b)) and
 *    DIFF_MIN_CHANGE of the larger count.
 */
#ifndef KVMMMU_DIFFSTATS_H
#define KVMMMU_DIFFSTATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "histogram.h"

#define DIFF_MAX_GROUPS		64
#define DIFF_P_MAX		0.001
#define DIFF_MIN_CHANGE		0.20
#define DIFF_COUNT_SIGMAS	4.0

struct fault;
struct profile;
struct diffstats;

/**
 * struct diff_group - one group of one run
 * @name:	"all", "type:normal", "cause:first-touch", "phase:gup"
 * @faults:	faults in the group (complete or not)
 * @times:	times of the complete ones (delay; for phases, the phase time)
 */
struct diff_group {
	char name[48];
	uint64_t faults;
	struct histogram times;
};

struct diffstats *diffstats_new(void);
void diffstats_free(struct diffstats *ds);

/**
 * diffstats_add() - one fault, by names (from a replay or JSON Lines)
 * @kind:	"normal", "fast", "mmio"
 * @cause:	cause name, or NULL if the input has none
 * @complete:	has a delay
 * @delay_ns:	its delay
 * @phases:	phase names, @nr of them, with their times in @phase_ns
 *
 * Return: 0, or -ENOSPC past DIFF_MAX_GROUPS groups.
 */
int diffstats_add(struct diffstats *ds, const char *kind, const char *cause,
		  bool complete, uint64_t delay_ns, const char *const *phases,
		  const uint64_t *phase_ns, unsigned int nr);

/* The same for a rebuilt fault (its phase times from its tree). */
int diffstats_add_fault(struct diffstats *ds, const struct profile *prof,
			const struct fault *f);

unsigned int diffstats_nr_groups(const struct diffstats *ds);
const struct diff_group *diffstats_group(const struct diffstats *ds,
					 unsigned int i);
/* The group named @name, or NULL. */
const struct diff_group *diffstats_find(const struct diffstats *ds,
					const char *name);

/**
 * struct diff_result - one group compared
 * @count_change: (b - a) / a, or +inf for a new group
 * @count_significant: the count changed beyond noise
 * @p50_change:	relative change of the median time
 * @p_value:	Mann-Whitney two-sided p of the times (1 without data)
 * @time_significant: the times changed beyond noise
 */
struct diff_result {
	double count_change;
	bool count_significant;
	double p50_change;
	double p_value;
	bool time_significant;
};

/* Compare @a with @b (either may be NULL: an empty group). */
void diff_compare(const struct diff_group *a, const struct diff_group *b,
		  struct diff_result *r);

/* Mann-Whitney U two-sided p-value of two histograms (ties by bucket). */
double diff_mann_whitney(const struct histogram *a, const struct histogram *b);

#endif /* KVMMMU_DIFFSTATS_H */
