/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * load_watch.h - a live capture's cost and losses: the kernel's per-CPU
 * ring-buffer stats at start and stop, the buffers' high-water mark at
 * each poll, what a read left behind, and the tool's CPU time.
 */
#ifndef KVMMMU_LOAD_WATCH_H
#define KVMMMU_LOAD_WATCH_H

#include "capture.h"
#include "summary.h"

struct tracefs_instance;
struct load_watch;

/* Right after tracing is turned on (buffers just cleared); NULL if no memory. */
struct load_watch *load_watch_begin(struct tracefs_instance *inst,
				    int nr_cpus, unsigned int buffer_kb);
/* At each poll, before reading: the unread bytes per CPU. */
void load_watch_sample(struct load_watch *w);
/* Right after tracing is turned off: the kernel's loss counters. */
void load_watch_stop(struct load_watch *w, const char *why);
/* Records the final drain read. */
void load_watch_drained(struct load_watch *w, uint64_t events);
/* After a drain a signal cut short: what the buffers still hold. */
void load_watch_unread(struct load_watch *w, const struct capture *c);
/* At the end: read counts, marks, CPU time. Return: the result. */
const struct run_load *load_watch_finish(struct load_watch *w,
					 const struct capture *c);
void load_watch_free(struct load_watch *w);

#endif /* KVMMMU_LOAD_WATCH_H */
