/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ring_stats.h - the kernel's own per-CPU ring-buffer counters
 * (per_cpu/cpuN/stats), the cross-check of the missed-events marks.
 */
#ifndef KVMMMU_RING_STATS_H
#define KVMMMU_RING_STATS_H

#include <stdint.h>

struct tracefs_instance;

/**
 * struct ring_stats - one CPU's per_cpu/cpuN/stats
 * @entries:	events in the buffer, not read yet
 * @overrun:	events overwritten before they were read (overwrite mode)
 * @commit_overrun: events lost to nested writes filling a page
 * @bytes:	bytes in the buffer, not read yet
 * @dropped:	events refused because the buffer was full (overwrite off)
 * @read:	events read
 * @now_ns:	the trace clock's time when the file was read ("now ts:",
 *		seconds.microseconds), 0 if the kernel gives none
 */
struct ring_stats {
	uint64_t entries;
	uint64_t overrun;
	uint64_t commit_overrun;
	uint64_t bytes;
	uint64_t dropped;
	uint64_t read;
	uint64_t now_ns;
};

/**
 * ring_stats_read() - read per_cpu/cpu@cpu/stats of @inst
 * @inst:	instance, NULL for the top level
 * @out:	the counters (a counter the kernel lacks stays 0)
 *
 * Return: 0, or a negative errno when the file cannot be read or has
 * no "entries:" line.
 */
int ring_stats_read(struct tracefs_instance *inst, int cpu,
		    struct ring_stats *out);

/* Parse the text of a stats file; 0 or -EINVAL. */
int ring_stats_parse(const char *text, struct ring_stats *out);

#endif /* KVMMMU_RING_STATS_H */
