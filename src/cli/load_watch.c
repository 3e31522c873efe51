// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * load_watch.c - measure a live capture: per-CPU stats deltas (overrun,
 * commit overrun, dropped), high-water mark, unread remainder, CPU time.
 */
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "load_watch.h"
#include "ring_stats.h"

struct load_watch {
	struct tracefs_instance *inst;
	unsigned int nr_cpus;
	struct ring_stats *start;
	bool *have_start;
	struct run_cpu *cpus;
	struct run_load load;
	struct timespec t0;
	double cpu0;		/* CPU time spent before tracing started */
};

static double cpu_seconds(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

struct load_watch *load_watch_begin(struct tracefs_instance *inst,
				    int nr_cpus, unsigned int buffer_kb)
{
	struct load_watch *w = calloc(1, sizeof(*w));
	unsigned int i;

	if (!w || nr_cpus <= 0)
		goto fail;
	w->inst = inst;
	w->nr_cpus = (unsigned int)nr_cpus;
	w->start = calloc(w->nr_cpus, sizeof(*w->start));
	w->have_start = calloc(w->nr_cpus, sizeof(*w->have_start));
	w->cpus = calloc(w->nr_cpus, sizeof(*w->cpus));
	if (!w->start || !w->have_start || !w->cpus)
		goto fail;
	for (i = 0; i < w->nr_cpus; i++)
		w->have_start[i] = !ring_stats_read(inst, (int)i, &w->start[i]);
	w->load.buffer_bytes = (uint64_t)buffer_kb * 1024;
	w->load.nr_cpus = w->nr_cpus;
	w->load.cpus = w->cpus;
	clock_gettime(CLOCK_MONOTONIC, &w->t0);
	w->cpu0 = cpu_seconds();
	return w;
fail:
	load_watch_free(w);
	return NULL;
}

void load_watch_free(struct load_watch *w)
{
	if (!w)
		return;
	free(w->start);
	free(w->have_start);
	free(w->cpus);
	free(w);
}

void load_watch_sample(struct load_watch *w)
{
	struct ring_stats s;
	unsigned int i;

	for (i = 0; w && i < w->nr_cpus; i++)
		if (w->have_start[i] && !ring_stats_read(w->inst, (int)i, &s) &&
		    s.bytes > w->cpus[i].hwm_bytes)
			w->cpus[i].hwm_bytes = s.bytes;
}

static uint64_t delta(uint64_t end, uint64_t start)
{
	return end > start ? end - start : 0;
}

void load_watch_stop(struct load_watch *w, const char *why)
{
	struct ring_stats s;
	unsigned int i;

	if (!w)
		return;
	w->load.stop = why;
	w->load.tracing_cpu_s = cpu_seconds() - w->cpu0;
	for (i = 0; i < w->nr_cpus; i++) {
		struct run_cpu *c = &w->cpus[i];

		if (!w->have_start[i] || ring_stats_read(w->inst, (int)i, &s))
			continue;
		c->kernel_stats = true;
		c->overrun = delta(s.overrun, w->start[i].overrun);
		c->commit_overrun = delta(s.commit_overrun,
					  w->start[i].commit_overrun);
		c->dropped = delta(s.dropped, w->start[i].dropped);
		if (s.bytes > c->hwm_bytes)
			c->hwm_bytes = s.bytes;
	}
}

void load_watch_drained(struct load_watch *w, uint64_t events)
{
	if (w)
		w->load.drain_events = events;
}

void load_watch_unread(struct load_watch *w, const struct capture *c)
{
	struct ring_stats s;
	unsigned int i;

	if (!w)
		return;
	w->load.drain_aborted = true;
	w->load.unread_bytes = capture_spooled_bytes(c);	/* read ahead */
	for (i = 0; i < w->nr_cpus; i++) {
		if (ring_stats_read(w->inst, (int)i, &s))
			continue;
		w->load.unread_events += s.entries;
		w->load.unread_bytes += s.bytes;
	}
}

const struct run_load *load_watch_finish(struct load_watch *w,
					 const struct capture *c)
{
	struct timespec t1;
	unsigned int i;

	if (!w)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	w->load.seconds = (t1.tv_sec - w->t0.tv_sec) +
			  (t1.tv_nsec - w->t0.tv_nsec) / 1e9;
	w->load.reader_cpu_s = cpu_seconds() - w->cpu0;
	w->load.events = capture_builder_stats(c)->records;
	w->load.bytes = capture_bytes(c);
	w->load.orphan_pf = capture_builder_stats(c)->orphan_pf;
	for (i = 0; i < w->nr_cpus; i++)
		w->cpus[i].lost_marked = capture_cpu_lost(c, (int)i);
	return &w->load;
}
