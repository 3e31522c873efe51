/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * diff_report.h - `kvmmmu-graph diff A B` output: per group of faults,
 * counts, totals, p50 and p99 of both runs, the change and whether it is
 * beyond run-to-run noise (aggregate/diffstats.h says how), as a text
 * table or one JSON object.
 */
#ifndef KVMMMU_DIFF_REPORT_H
#define KVMMMU_DIFF_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "diffstats.h"

/**
 * diff_report_print() - compare @a (named @name_a) with @b
 * @json:	one JSON object instead of the text table
 *
 * Return: the number of groups with a significant change, or -EIO when
 * writing failed.
 */
int diff_report_print(FILE *out, const struct diffstats *a,
		      const char *name_a, const struct diffstats *b,
		      const char *name_b, bool json);

#endif /* KVMMMU_DIFF_REPORT_H */
