/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * run_load.h - what a live capture cost and what it lost, per CPU, and
 * why: the lines under the summary (text) and its "capture" object (JSON).
 */
#ifndef KVMMMU_RUN_LOAD_H
#define KVMMMU_RUN_LOAD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/**
 * struct run_cpu - one CPU's ring buffer over the run
 * @lost_marked:	events lost by the missed-events marks on its pages
 * @overrun:		kernel stats: overwritten before read (delta)
 * @commit_overrun:	kernel stats: lost to nested writes (delta)
 * @dropped:		kernel stats: refused, buffer full (delta)
 * @hwm_bytes:		most unread bytes seen in the buffer at a poll
 * @kernel_stats:	per_cpu/cpuN/stats could be read at start and stop
 */
struct run_cpu {
	uint64_t lost_marked;
	uint64_t overrun;
	uint64_t commit_overrun;
	uint64_t dropped;
	uint64_t hwm_bytes;
	bool kernel_stats;
};

/**
 * struct run_load - the live capture's cost and losses
 * @stop:		what ended recording ("signal", "duration", "exit")
 * @events:		records read
 * @drain_events:	records read after recording stopped (the backlog)
 * @bytes:		bytes read from the ring buffers
 * @seconds:		wall time from tracing on to the end of the drain
 * @reader_cpu_s:	CPU time of the tool (user + system) from tracing on
 *			to the end of the drain (setup not counted)
 * @tracing_cpu_s:	the part of @reader_cpu_s spent before recording
 *			stopped: what competed with the traced VM for CPUs
 * @buffer_bytes:	ring buffer size per CPU
 * @nr_cpus:		entries in @cpus
 * @cpus:		per CPU
 * @orphan_pf:		kvm_page_fault events with no fault built: an
 *			estimate of faults lost whole
 * @drain_aborted:	a second signal stopped the final read
 * @unread_events:	events left in the buffers then
 * @unread_bytes:	bytes left in the buffers then
 */
struct run_load {
	const char *stop;
	uint64_t events;
	uint64_t drain_events;
	uint64_t bytes;
	double seconds;
	double reader_cpu_s;
	double tracing_cpu_s;
	uint64_t buffer_bytes;
	unsigned int nr_cpus;
	const struct run_cpu *cpus;
	uint64_t orphan_pf;
	bool drain_aborted;
	uint64_t unread_events;
	uint64_t unread_bytes;
};

/* Lost on one CPU: the larger of the page marks and the kernel's count. */
uint64_t run_cpu_lost(const struct run_cpu *c);
/* Lost over all CPUs (run_cpu_lost() summed). */
uint64_t run_load_lost(const struct run_load *l);

/* The "capture:" and "LOST:" lines of the text summary. */
void run_load_print_text(const struct run_load *l, FILE *out);
/* "capture":{...} (no separator around it). */
void run_load_print_json(const struct run_load *l, FILE *out);

#endif /* KVMMMU_RUN_LOAD_H */
