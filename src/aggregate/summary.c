// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * summary.c - aggregate faults into counts and latency histograms.
 */
#include <stdlib.h>
#include <string.h>

#include "findings.h"
#include "histogram.h"
#include "summary.h"

struct summary {
	const struct profile *prof;
	uint64_t faults;
	uint64_t incomplete;
	uint64_t by_kind[FAULT_KIND_COUNT];
	uint64_t by_origin[FAULT_ORIGIN_COUNT];
	struct histogram delay;
	struct histogram delay_kind[FAULT_KIND_COUNT];
	struct histogram phase[PROFILE_MAX_PHASES];
};

struct summary *summary_new(const struct profile *prof)
{
	struct summary *s = calloc(1, sizeof(*s));	/* empty histograms */

	if (!s)
		return NULL;
	s->prof = prof;
	return s;
}

void summary_free(struct summary *s)
{
	free(s);
}

/* Does an ancestor of node @i carry the same phase? */
static int phase_in_ancestor(const struct fault *f, uint32_t i)
{
	uint8_t ph = f->nodes[i].phase;
	uint16_t p = f->nodes[i].parent;

	while (p != FAULT_NO_PARENT && p < f->nr_nodes) {
		if (f->nodes[p].phase == ph)
			return 1;
		p = f->nodes[p].parent;
	}
	return 0;
}

void fault_phase_times(const struct fault *f, unsigned int nr_phases,
		       uint64_t *ns, unsigned char *seen)
{
	uint32_t i;

	memset(ns, 0, nr_phases * sizeof(*ns));
	memset(seen, 0, nr_phases);
	for (i = 0; i < f->nr_nodes; i++) {
		const struct fault_node *n = &f->nodes[i];

		if (n->phase >= nr_phases || phase_in_ancestor(f, i))
			continue;
		seen[n->phase] = 1;
		ns[n->phase] += fault_node_duration(n);
	}
}

void summary_add(struct summary *s, const struct fault *f)
{
	unsigned int nr = profile_nr_phases(s->prof), i;
	uint64_t ns[PROFILE_MAX_PHASES];
	unsigned char seen[PROFILE_MAX_PHASES];

	s->faults++;
	s->by_kind[f->kind]++;
	s->by_origin[f->origin]++;
	if (!f->complete) {
		s->incomplete++;
		return;
	}
	histogram_add(&s->delay, f->delay_ns);
	histogram_add(&s->delay_kind[f->kind], f->delay_ns);
	if (!f->has_tree)
		return;
	fault_phase_times(f, nr, ns, seen);
	for (i = 0; i < nr; i++)
		if (seen[i])
			histogram_add(&s->phase[i], ns[i]);
}

static void text_row(FILE *out, const char *name, const struct histogram *h)
{
	if (!histogram_count(h))
		return;
	fprintf(out, "  %-22s %8llu %12.3f %9.3f %9.3f %9.3f %9.3f %9.3f\n",
		name, (unsigned long long)histogram_count(h),
		histogram_sum(h) / 1000.0, histogram_mean(h) / 1000.0,
		histogram_percentile(h, 50) / 1000.0,
		histogram_percentile(h, 90) / 1000.0,
		histogram_percentile(h, 99) / 1000.0,
		histogram_max(h) / 1000.0);
}

/* What went wrong on the way, said once, only when something did. */
static void text_diagnostics(FILE *out, const struct run_info *ri)
{
	unsigned int i;

	if (ri->decode_errors || ri->unmatched_exits)
		fprintf(out, "note: %llu records could not be decoded, %llu "
			"function exits matched no call\n",
			(unsigned long long)ri->decode_errors,
			(unsigned long long)ri->unmatched_exits);
	if (ri->damaged_pages)
		fprintf(out, "note: %llu damaged raw pages were skipped\n",
			(unsigned long long)ri->damaged_pages);
	if (!ri->nr_missing)
		return;
	fprintf(out, "note: %u profile items this kernel lacks were skipped:",
		ri->nr_missing);
	for (i = 0; i < ri->nr_missing; i++)
		fprintf(out, "%s %s", i ? "," : "", ri->missing[i]);
	fputc('\n', out);
}

/* Faults KVM took to map ahead of the guest, when there were any. */
static void print_origins_text(const struct summary *s, FILE *out)
{
	unsigned int i, n = 0;

	if (s->by_origin[FAULT_ORIGIN_GUEST] == s->faults)
		return;
	fputs("(KVM mapped ahead of the guest:", out);
	for (i = FAULT_ORIGIN_GUEST + 1; i < FAULT_ORIGIN_COUNT; i++)
		if (s->by_origin[i])
			fprintf(out, "%s %s %llu", n++ ? "," : "",
				fault_origin_name(i),
				(unsigned long long)s->by_origin[i]);
	fprintf(out, "; %llu guest faults, which KVM's pf_taken counts)\n",
		(unsigned long long)s->by_origin[FAULT_ORIGIN_GUEST]);
}

void summary_print_text(const struct summary *s, const struct run_info *ri,
			FILE *out)
{
	unsigned int i;
	char name[64];

	fprintf(out, "\nSummary: %llu faults (normal %llu, fast %llu, mmio "
		"%llu), %llu incomplete, %llu lost events, strategy %s\n",
		(unsigned long long)s->faults,
		(unsigned long long)s->by_kind[FAULT_KIND_NORMAL],
		(unsigned long long)s->by_kind[FAULT_KIND_FAST],
		(unsigned long long)s->by_kind[FAULT_KIND_MMIO],
		(unsigned long long)s->incomplete,
		(unsigned long long)ri->lost_events, ri->strategy);
	print_origins_text(s, out);
	if (ri->filtered)
		fprintf(out, "(%llu faults not shown: --threshold/--vcpu)\n",
			(unsigned long long)ri->filtered);
	if (ri->load)
		run_load_print_text(ri->load, out);
	text_diagnostics(out, ri);
	fprintf(out, "  %-22s %8s %12s %9s %9s %9s %9s %9s\n", "(times in us)",
		"count", "total", "mean", "p50", "p90", "p99", "max");
	text_row(out, "delay: all", &s->delay);
	for (i = 0; i < FAULT_KIND_COUNT; i++) {
		snprintf(name, sizeof(name), "delay: %s", fault_kind_name(i));
		text_row(out, name, &s->delay_kind[i]);
	}
	for (i = 0; i < profile_nr_phases(s->prof); i++) {
		snprintf(name, sizeof(name), "phase: %s",
			 profile_phase_name(s->prof, i));
		text_row(out, name, &s->phase[i]);
	}
}

static void json_hist(FILE *out, const struct histogram *h)
{
	fprintf(out, "{\"count\":%llu,\"total_ns\":%llu,\"p50\":%llu,"
		"\"p90\":%llu,\"p99\":%llu,\"max\":%llu}",
		(unsigned long long)histogram_count(h),
		(unsigned long long)histogram_sum(h),
		(unsigned long long)histogram_percentile(h, 50),
		(unsigned long long)histogram_percentile(h, 90),
		(unsigned long long)histogram_percentile(h, 99),
		(unsigned long long)histogram_max(h));
}

/* "missing":[...]; the items are profile words (no quotes, no controls). */
static void json_missing(FILE *out, const struct run_info *ri)
{
	const char *c;
	unsigned int i;

	fputs("\"missing\":[", out);
	for (i = 0; i < ri->nr_missing; i++) {
		fputs(i ? ",\"" : "\"", out);
		for (c = ri->missing[i]; *c; c++)
			if (*c != '"' && *c != '\\' && (unsigned char)*c >= 0x20)
				fputc(*c, out);
		fputc('"', out);
	}
	fputc(']', out);
}

void summary_print_json(const struct summary *s, const struct run_info *ri,
			const struct findings *fi, FILE *out)
{
	unsigned int i, n = 0;

	fprintf(out, "{\"type\":\"summary\",\"strategy\":\"%s\",\"faults\":%llu,"
		"\"incomplete\":%llu,\"lost_events\":%llu,\"filtered\":%llu,"
		"\"decode_errors\":%llu,\"damaged_pages\":%llu,"
		"\"unmatched_exits\":%llu,",
		ri->strategy, (unsigned long long)s->faults,
		(unsigned long long)s->incomplete,
		(unsigned long long)ri->lost_events,
		(unsigned long long)ri->filtered,
		(unsigned long long)ri->decode_errors,
		(unsigned long long)ri->damaged_pages,
		(unsigned long long)ri->unmatched_exits);
	json_missing(out, ri);
	if (ri->load) {
		fputc(',', out);
		run_load_print_json(ri->load, out);
	}
	fputs(",\"by_type\":{", out);
	for (i = 0; i < FAULT_KIND_COUNT; i++)
		fprintf(out, "%s\"%s\":%llu", i ? "," : "", fault_kind_name(i),
			(unsigned long long)s->by_kind[i]);
	fputs("},\"by_origin\":{", out);
	for (i = 0; i < FAULT_ORIGIN_COUNT; i++)
		fprintf(out, "%s\"%s\":%llu", i ? "," : "",
			fault_origin_name(i),
			(unsigned long long)s->by_origin[i]);
	fputs("},\"delay\":", out);
	json_hist(out, &s->delay);
	fputs(",\"phases\":{", out);
	for (i = 0; i < profile_nr_phases(s->prof); i++) {
		if (!histogram_count(&s->phase[i]))
			continue;
		fprintf(out, "%s\"%s\":", n++ ? "," : "",
			profile_phase_name(s->prof, i));
		json_hist(out, &s->phase[i]);
	}
	fputc('}', out);
	if (fi)
		findings_print_json(fi, out);
	fputs("}\n", out);
}
