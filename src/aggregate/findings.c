// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * findings.c - causes, findings with hints, and stuck vCPUs.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fault_cause.h"
#include "findings.h"
#include "hashtab.h"
#include "profile.h"

#define NR_SLOTS	(PROFILE_MAX_CAUSES + 2)
#define MAX_TRACKED	(1u << 20)	/* (vCPU, GFN) pairs watched */

/* One (vCPU, GFN) pair's current window. */
struct window {
	uint64_t first_ts;
	uint64_t last_ts;
	uint32_t count;
};

struct findings {
	const struct profile *prof;
	const struct profile_findings *cfg;
	struct cause_stats causes[NR_SLOTS];
	uint64_t total_ns;
	struct hashtab pairs;		/* gfn << 8 | vcpu -> window index */
	struct window *windows;
	uint32_t nr_windows, cap_windows;
	uint64_t untracked;		/* faults past MAX_TRACKED pairs */
	struct stuck_gfn stuck[FINDINGS_MAX_STUCK];
	unsigned int nr_stuck;
};

static unsigned int slot_of(uint8_t cause)
{
	if (cause == FAULT_CAUSE_OTHER)
		return PROFILE_MAX_CAUSES;
	if (cause == FAULT_CAUSE_UNKNOWN)
		return PROFILE_MAX_CAUSES + 1;
	return cause < PROFILE_MAX_CAUSES ? cause : PROFILE_MAX_CAUSES;
}

static uint8_t cause_of_slot(unsigned int slot)
{
	return slot == PROFILE_MAX_CAUSES ? FAULT_CAUSE_OTHER :
	       slot == PROFILE_MAX_CAUSES + 1 ? FAULT_CAUSE_UNKNOWN :
	       (uint8_t)slot;
}

struct findings *findings_new(const struct profile *prof)
{
	struct findings *fi = calloc(1, sizeof(*fi));

	if (!fi)
		return NULL;
	fi->prof = prof;
	fi->cfg = profile_findings(prof);
	hashtab_init(&fi->pairs, MAX_TRACKED);
	return fi;
}

void findings_free(struct findings *fi)
{
	if (!fi)
		return;
	hashtab_release(&fi->pairs);
	free(fi->windows);
	free(fi);
}

const struct cause_stats *findings_cause(const struct findings *fi,
					 uint8_t cause)
{
	return &fi->causes[slot_of(cause)];
}

static uint32_t phase_mask(const struct fault *f)
{
	uint32_t m = 0, i;

	for (i = 0; i < f->nr_nodes; i++)
		if (f->nodes[i].phase < 32)
			m |= 1u << f->nodes[i].phase;
	return m;
}

/* The slot for (@gfn, @vcpu): its own, a free one, or the weakest. */
static struct stuck_gfn *stuck_slot(struct findings *fi, uint64_t gfn,
				    int vcpu)
{
	struct stuck_gfn *weakest = NULL;
	unsigned int i;

	for (i = 0; i < fi->nr_stuck; i++) {
		if (fi->stuck[i].gfn == gfn && fi->stuck[i].vcpu == vcpu)
			return &fi->stuck[i];
		if (!weakest || fi->stuck[i].count < weakest->count)
			weakest = &fi->stuck[i];
	}
	if (fi->nr_stuck < FINDINGS_MAX_STUCK)
		return &fi->stuck[fi->nr_stuck++];
	return weakest;
}

/* Keep the worst windows (most faults) among the stuck GFNs. */
static void note_stuck(struct findings *fi, const struct fault *f,
		       const struct window *w)
{
	struct stuck_gfn *s = stuck_slot(fi, f->gpa >> 12, f->vcpu);

	if (s->count >= w->count)
		return;
	*s = (struct stuck_gfn){
		.gfn = f->gpa >> 12, .vcpu = f->vcpu, .count = w->count,
		.window_ns = w->last_ts - w->first_ts, .phases = phase_mask(f),
		.kind = f->kind,
	};
}

static struct window *window_of(struct findings *fi, const struct fault *f)
{
	uint64_t key = (f->gpa >> 12) << 8 | ((uint64_t)f->vcpu & 0xff), *idx;
	struct window *n;
	int r = hashtab_get_or_add(&fi->pairs, key, &idx);

	if (r < 0)
		return NULL;
	if (r == 0)
		return &fi->windows[*idx];
	if (fi->nr_windows == fi->cap_windows) {
		uint32_t cap = fi->cap_windows ? fi->cap_windows * 2 : 1024;

		n = realloc(fi->windows, (size_t)cap * sizeof(*n));
		if (!n)
			return NULL;
		fi->windows = n;
		fi->cap_windows = cap;
	}
	*idx = fi->nr_windows;
	fi->windows[fi->nr_windows] = (struct window){ .first_ts = f->ts_ns };
	return &fi->windows[fi->nr_windows++];
}

/* Same GFN, same vCPU, again and again (MMIO repeats are expected). */
static void watch_repeats(struct findings *fi, const struct fault *f)
{
	struct window *w;

	if (f->gpa == FAULT_UNKNOWN || f->vcpu < 0 ||
	    f->kind == FAULT_KIND_MMIO)
		return;
	w = window_of(fi, f);
	if (!w) {
		fi->untracked++;
		return;
	}
	if (f->ts_ns - w->first_ts > fi->cfg->stuck_window_ns) {
		w->first_ts = f->ts_ns;
		w->count = 0;
	}
	w->count++;
	w->last_ts = f->ts_ns;
	if (w->count > fi->cfg->stuck_count)
		note_stuck(fi, f, w);
}

/*
 * Findings are about the time vCPUs waited. KVM_PRE_FAULT_MEMORY maps
 * pages before the guest needs them: its faults (which would read as
 * first-touch, with the advice to pre-fault) stay out.
 */
void findings_add(struct findings *fi, const struct fault *f)
{
	struct cause_stats *c = &fi->causes[slot_of(f->cause)];

	if (f->origin == FAULT_ORIGIN_PREFAULT)
		return;
	c->faults++;
	if (f->complete) {
		c->complete++;
		c->total_ns += f->delay_ns;
		fi->total_ns += f->delay_ns;
	}
	watch_repeats(fi, f);
}

static int cmp_stuck(const void *a, const void *b)
{
	const struct stuck_gfn *x = a, *y = b;

	return x->count != y->count ? (x->count < y->count ? 1 : -1) :
	       x->gfn < y->gfn ? -1 : x->gfn > y->gfn;
}

unsigned int findings_stuck(const struct findings *fi,
			    const struct stuck_gfn **out)
{
	struct findings *w = (struct findings *)fi;

	qsort(w->stuck, w->nr_stuck, sizeof(w->stuck[0]), cmp_stuck);
	*out = fi->stuck;
	return fi->nr_stuck;
}

/* Causes past the share threshold, by time; their slots in @order. */
static unsigned int ranked(const struct findings *fi, unsigned int *order)
{
	unsigned int n = 0, i, j;

	for (i = 0; i < NR_SLOTS && fi->total_ns; i++) {
		if (!fi->causes[i].complete ||
		    (double)fi->causes[i].total_ns / (double)fi->total_ns <
		    fi->cfg->min_share)
			continue;
		for (j = n++; j > 0 && fi->causes[order[j - 1]].total_ns <
		     fi->causes[i].total_ns; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	return n;
}

static const char *hint_of(const struct findings *fi, unsigned int slot)
{
	const struct profile_cause *r =
		profile_cause(fi->prof, cause_of_slot(slot));

	if (r && r->hint)
		return r->hint;
	return slot == PROFILE_MAX_CAUSES + 1 ?
	       "no call trees to decide from (events-only or lost events)" :
	       "no cause rule of the profile matched";
}

static void put_time(FILE *out, uint64_t ns)
{
	if (ns >= 1000000000ull)
		fprintf(out, "%.2f s", (double)ns / 1e9);
	else if (ns >= 1000000)
		fprintf(out, "%.1f ms", (double)ns / 1e6);
	else
		fprintf(out, "%.1f us", (double)ns / 1e3);
}

static void phase_names(const struct findings *fi, uint32_t mask, FILE *out)
{
	unsigned int i, n = 0;

	for (i = 0; i < 32 && i < profile_nr_phases(fi->prof); i++)
		if (mask & (1u << i))
			fprintf(out, "%s%s", n++ ? ">" : "",
				profile_phase_name(fi->prof, i));
	if (!n)
		fputs("no phase", out);
}

void findings_print_text(const struct findings *fi, FILE *out)
{
	unsigned int order[NR_SLOTS], n = ranked(fi, order), i;
	const struct stuck_gfn *st;
	unsigned int ns = findings_stuck(fi, &st);
	const struct cause_stats *c;

	if (!n && !ns)
		return;
	fputs("\nFindings:\n", out);
	for (i = 0; i < n; i++) {
		c = &fi->causes[order[i]];
		fprintf(out, "  %.1f %% of fault time is %s (%" PRIu64
			" faults, ", 100.0 * (double)c->total_ns /
			(double)fi->total_ns,
			fault_cause_name(fi->prof, cause_of_slot(order[i])),
			c->faults);
		put_time(out, c->total_ns);
		fprintf(out, "): %s\n", hint_of(fi, order[i]));
	}
	for (i = 0; i < ns; i++) {
		fprintf(out, "  stuck vCPU %d: GFN 0x%" PRIx64 " faulted %u "
			"times within ", st[i].vcpu, st[i].gfn, st[i].count);
		put_time(out, st[i].window_ns);
		fprintf(out, " (%s faults, path ", fault_kind_name(st[i].kind));
		phase_names(fi, st[i].phases, out);
		fputs("): something keeps invalidating or write-protecting "
		      "this page\n", out);
	}
	if (fi->untracked)
		fprintf(out, "  (%" PRIu64 " faults on GFNs past the %u watched "
			"were not checked for repeats)\n", fi->untracked,
			MAX_TRACKED);
}

static void json_text(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++)
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s >= 0x20)
			fputc(*s, out);
	fputc('"', out);
}

void findings_print_json(const struct findings *fi, FILE *out)
{
	unsigned int order[NR_SLOTS], n = ranked(fi, order), i, k;
	const struct stuck_gfn *st;
	unsigned int ns = findings_stuck(fi, &st);
	const struct cause_stats *c;

	fputs(",\"causes\":{", out);
	for (i = 0, k = 0; i < NR_SLOTS; i++) {
		c = &fi->causes[i];
		if (!c->faults)
			continue;
		fprintf(out, "%s\"%s\":{\"faults\":%" PRIu64 ",\"total_ns\":%"
			PRIu64 "}", k++ ? "," : "",
			fault_cause_name(fi->prof, cause_of_slot(i)), c->faults,
			c->total_ns);
	}
	fputs("},\"findings\":[", out);
	for (i = 0; i < n; i++) {
		c = &fi->causes[order[i]];
		fprintf(out, "%s{\"cause\":\"%s\",\"faults\":%" PRIu64
			",\"share\":%.4f,\"total_ns\":%" PRIu64 ",\"hint\":",
			i ? "," : "",
			fault_cause_name(fi->prof, cause_of_slot(order[i])),
			c->faults, (double)c->total_ns / (double)fi->total_ns,
			c->total_ns);
		json_text(out, hint_of(fi, order[i]));
		fputc('}', out);
	}
	fputs("],\"stuck\":[", out);
	for (i = 0; i < ns; i++)
		fprintf(out, "%s{\"gfn\":\"0x%" PRIx64 "\",\"vcpu\":%d,"
			"\"count\":%u,\"window_ns\":%" PRIu64 ",\"kind\":\"%s\"}",
			i ? "," : "", st[i].gfn, st[i].vcpu, st[i].count,
			st[i].window_ns, fault_kind_name(st[i].kind));
	fputc(']', out);
}
