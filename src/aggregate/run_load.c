// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * run_load.c - print a live capture's cost and losses, naming the cause
 * of every loss and what to do about it.
 */
#include "run_load.h"

#define MIB	(1024.0 * 1024.0)

uint64_t run_cpu_lost(const struct run_cpu *c)
{
	uint64_t k = c->overrun + c->commit_overrun + c->dropped;

	return k > c->lost_marked ? k : c->lost_marked;
}

uint64_t run_load_lost(const struct run_load *l)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < l->nr_cpus; i++)
		n += run_cpu_lost(&l->cpus[i]);
	return n;
}

static uint64_t high_water(const struct run_load *l, unsigned int *cpu)
{
	uint64_t hwm = 0;
	unsigned int i;

	*cpu = 0;
	for (i = 0; i < l->nr_cpus; i++) {
		if (l->cpus[i].hwm_bytes > hwm) {
			hwm = l->cpus[i].hwm_bytes;
			*cpu = i;
		}
	}
	return hwm;
}

static double rate(uint64_t n, double s)
{
	return s > 0 ? n / s : 0;
}

/* Why @c lost events, in the words of its largest kernel counter. */
static const char *cause(const struct run_cpu *c)
{
	if (!c->kernel_stats)
		return "missed-events marks on its pages (no kernel stats)";
	if (c->overrun >= c->dropped && c->overrun >= c->commit_overrun &&
	    c->overrun)
		return "ring buffer overrun: the reader fell behind; raise -b";
	if (c->dropped >= c->commit_overrun && c->dropped)
		return "buffer full, events dropped; raise -b";
	if (c->commit_overrun)
		return "commit overrun (nested writes filled a page); raise -b";
	return "missed-events marks on its pages, the kernel counted none";
}

static void text_losses(const struct run_load *l, FILE *out)
{
	unsigned int i;

	for (i = 0; i < l->nr_cpus; i++) {
		const struct run_cpu *c = &l->cpus[i];

		if (!run_cpu_lost(c))
			continue;
		fprintf(out, "LOST: %llu events on CPU %u: %s (kernel: "
			"overrun %llu, commit overrun %llu, dropped %llu; "
			"page marks %llu)\n",
			(unsigned long long)run_cpu_lost(c), i, cause(c),
			(unsigned long long)c->overrun,
			(unsigned long long)c->commit_overrun,
			(unsigned long long)c->dropped,
			(unsigned long long)c->lost_marked);
	}
	if (l->orphan_pf && run_load_lost(l))
		fprintf(out, "LOST: about %llu faults lost whole (kvm_page_"
			"fault events with no call tree)\n",
			(unsigned long long)l->orphan_pf);
	if (l->drain_aborted)
		fprintf(out, "LOST: the final read was aborted by a second "
			"signal: %llu events (%.1f MiB) left unread\n",
			(unsigned long long)l->unread_events,
			l->unread_bytes / MIB);
}

void run_load_print_text(const struct run_load *l, FILE *out)
{
	unsigned int hcpu;
	uint64_t hwm = high_water(l, &hcpu);

	fprintf(out, "capture: stopped by %s; %llu events, %.1f MiB read in "
		"%.1f s (%.0f events/s), %llu of them after the stop; "
		"reader CPU %.2f s (%.2f s while tracing)",
		l->stop ? l->stop : "end of input",
		(unsigned long long)l->events, l->bytes / MIB, l->seconds,
		rate(l->events, l->seconds),
		(unsigned long long)l->drain_events, l->reader_cpu_s,
		l->tracing_cpu_s);
	if (l->buffer_bytes)
		fprintf(out, "; buffer high-water %.2f of %.2f MiB (CPU %u)",
			hwm / MIB, l->buffer_bytes / MIB, hcpu);
	fputc('\n', out);
	text_losses(l, out);
}

static void json_cpus(const struct run_load *l, FILE *out)
{
	unsigned int i;

	fputs("\"cpus\":[", out);
	for (i = 0; i < l->nr_cpus; i++) {
		const struct run_cpu *c = &l->cpus[i];

		fprintf(out, "%s{\"cpu\":%u,\"lost\":%llu,\"lost_marked\":%llu,"
			"\"kernel_stats\":%s,\"overrun\":%llu,"
			"\"commit_overrun\":%llu,\"dropped\":%llu,"
			"\"high_water_bytes\":%llu}", i ? "," : "", i,
			(unsigned long long)run_cpu_lost(c),
			(unsigned long long)c->lost_marked,
			c->kernel_stats ? "true" : "false",
			(unsigned long long)c->overrun,
			(unsigned long long)c->commit_overrun,
			(unsigned long long)c->dropped,
			(unsigned long long)c->hwm_bytes);
	}
	fputc(']', out);
}

void run_load_print_json(const struct run_load *l, FILE *out)
{
	unsigned int hcpu;

	fprintf(out, "\"capture\":{\"stop\":\"%s\",\"events\":%llu,"
		"\"drain_events\":%llu,"
		"\"bytes\":%llu,\"seconds\":%.3f,\"events_per_s\":%.0f,"
		"\"reader_cpu_s\":%.3f,\"tracing_cpu_s\":%.3f,"
		"\"buffer_bytes_per_cpu\":%llu,"
		"\"high_water_bytes\":%llu,\"lost_events\":%llu,"
		"\"faults_lost_whole_est\":%llu,\"drain_aborted\":%s,"
		"\"unread_events\":%llu,\"unread_bytes\":%llu,",
		l->stop ? l->stop : "end of input",
		(unsigned long long)l->events,
		(unsigned long long)l->drain_events,
		(unsigned long long)l->bytes, l->seconds, rate(l->events, l->seconds), l->reader_cpu_s,
		l->tracing_cpu_s, (unsigned long long)l->buffer_bytes,
		(unsigned long long)high_water(l, &hcpu),
		(unsigned long long)run_load_lost(l),
		(unsigned long long)l->orphan_pf,
		l->drain_aborted ? "true" : "false",
		(unsigned long long)l->unread_events,
		(unsigned long long)l->unread_bytes);
	json_cpus(l, out);
	fputc('}', out);
}
