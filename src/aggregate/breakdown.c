// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * breakdown.c - per kind, per phase fault time table and slowest faults.
 *
 * Groups are the fault kinds followed by "all"; each group has one slot
 * per profile phase plus a last "other" slot for time outside any phase.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "breakdown.h"
#include "fault.h"
#include "flame.h"
#include "histogram.h"
#include "profile.h"
#include "symbols.h"

#define NR_GROUPS	(FAULT_KIND_COUNT + 1)
#define GROUP_ALL	FAULT_KIND_COUNT
#define NR_SLOTS_MAX	(PROFILE_MAX_PHASES + 1)
#define BAR_WIDTH	30
#define NO_ROOT		UINT32_MAX
#define MIXED_ROOTS	(UINT32_MAX - 1)

/**
 * struct bd_slot - one phase (or "other") of one group
 * @ns:		time attributed to it, summed over the faults
 * @hist:	its time per fault, for faults in which it occurred
 */
struct bd_slot {
	uint64_t ns;
	struct histogram hist;
};

/**
 * struct bd_group - one fault kind, or all faults
 * @nr_faults:	complete faults
 * @nr_tree:	complete faults with a call tree
 * @total_ns:	sum of the root durations of @nr_tree faults
 * @root:	root function of the tree faults, NO_ROOT, MIXED_ROOTS
 * @lat:	latency of every complete fault (root duration or delay)
 * @tree:	root durations of the @nr_tree faults
 * @slots:	nr_phases + 1 slots, "other" last
 */
struct bd_group {
	uint64_t nr_faults;
	uint64_t nr_tree;
	uint64_t total_ns;
	uint32_t root;
	struct histogram lat;
	struct histogram tree;
	struct bd_slot *slots;
};

struct breakdown {
	const struct symbols *syms;
	const struct profile *prof;
	unsigned int nr_slots;		/* phases + "other" */
	uint64_t nr_incomplete;
	uint64_t nr_malformed;
	struct bd_group groups[NR_GROUPS];
	/* slowest complete faults, unordered; top_min is the fastest */
	struct fault **top;
	unsigned int top_n, nr_top, top_min;
	/* per-fault scratch */
	uint64_t self[FAULT_MAX_NODES];
	uint8_t slot[FAULT_MAX_NODES];
	uint64_t per[NR_SLOTS_MAX];
	bool seen[NR_SLOTS_MAX];
};

void breakdown_free(struct breakdown *b)
{
	unsigned int i;

	if (!b)
		return;
	for (i = 0; i < NR_GROUPS; i++)
		free(b->groups[i].slots);
	for (i = 0; i < b->top_n && b->top; i++)
		free(b->top[i]);
	free(b->top);
	free(b);
}

/* @g is zero-filled (its histograms are empty); @nr_slots come zeroed too. */
static int init_group(struct bd_group *g, unsigned int nr_slots)
{
	g->root = NO_ROOT;
	g->slots = calloc(nr_slots, sizeof(*g->slots));
	return g->slots ? 0 : -ENOMEM;
}

static int alloc_top(struct breakdown *b)
{
	unsigned int i;

	if (!b->top_n)
		return 0;
	b->top = calloc(b->top_n, sizeof(*b->top));
	if (!b->top)
		return -ENOMEM;
	for (i = 0; i < b->top_n; i++) {
		b->top[i] = malloc(sizeof(struct fault));
		if (!b->top[i])
			return -ENOMEM;
	}
	return 0;
}

struct breakdown *breakdown_new(const struct symbols *syms,
				const struct profile *prof, int top_n)
{
	struct breakdown *b;
	unsigned int i;

	if (top_n > BREAKDOWN_MAX_TOP) {
		errno = EINVAL;
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->syms = syms;
	b->prof = prof;
	b->nr_slots = (prof ? profile_nr_phases(prof) : 0) + 1;
	b->top_n = top_n < 0 ? BREAKDOWN_DEFAULT_TOP : (unsigned int)top_n;
	for (i = 0; i < NR_GROUPS; i++)
		if (init_group(&b->groups[i], b->nr_slots))
			goto nomem;
	if (alloc_top(b))
		goto nomem;
	return b;
nomem:
	breakdown_free(b);
	errno = ENOMEM;
	return NULL;
}

uint64_t breakdown_fault_latency(const struct fault *f)
{
	if (f->has_tree && f->nr_nodes)
		return fault_node_duration(&f->nodes[0]);
	return f->delay_ns;
}

static void copy_fault(struct fault *dst, const struct fault *src)
{
	uint32_t n = src->nr_nodes < FAULT_MAX_NODES ? src->nr_nodes :
						     FAULT_MAX_NODES;

	memcpy(dst, src, offsetof(struct fault, nodes) +
	       n * sizeof(struct fault_node));
}

/* Keep @f if it is one of the top_n slowest complete faults so far. */
static void track_top(struct breakdown *b, const struct fault *f)
{
	uint64_t lat = breakdown_fault_latency(f);
	unsigned int i;

	if (!b->top_n)
		return;
	if (b->nr_top < b->top_n) {
		copy_fault(b->top[b->nr_top++], f);
	} else {
		if (lat <= breakdown_fault_latency(b->top[b->top_min]))
			return;
		copy_fault(b->top[b->top_min], f);
	}
	for (b->top_min = 0, i = 1; i < b->nr_top; i++)
		if (breakdown_fault_latency(b->top[i]) <
		    breakdown_fault_latency(b->top[b->top_min]))
			b->top_min = i;
}

/* Fill b->per / b->seen with the time of each slot in @f. */
static int split_by_phase(struct breakdown *b, const struct fault *f)
{
	unsigned int other = b->nr_slots - 1, s;
	uint32_t i, n = f->nr_nodes < FAULT_MAX_NODES ? f->nr_nodes :
						      FAULT_MAX_NODES;
	int64_t root = flame_split_fault(f, NULL, b->self);

	if (root < 0)
		return (int)root;
	memset(b->per, 0, sizeof(b->per));
	memset(b->seen, 0, sizeof(b->seen));
	for (i = 0; i < n; i++) {
		s = f->nodes[i].phase;
		if (s >= other)		/* no phase, or unknown to us */
			s = i ? b->slot[f->nodes[i].parent] : other;
		b->slot[i] = (uint8_t)s;
		b->per[s] += b->self[i];
		b->seen[s] = true;
	}
	return 0;
}

static void add_tree(struct breakdown *b, struct bd_group *g,
		     const struct fault *f)
{
	uint64_t root = fault_node_duration(&f->nodes[0]);
	unsigned int s;

	g->nr_tree++;
	g->total_ns += root;
	histogram_add(&g->tree, root);
	if (g->root == NO_ROOT)
		g->root = f->nodes[0].func;
	else if (g->root != f->nodes[0].func)
		g->root = MIXED_ROOTS;
	for (s = 0; s < b->nr_slots; s++) {
		if (!b->seen[s])
			continue;
		g->slots[s].ns += b->per[s];
		histogram_add(&g->slots[s].hist, b->per[s]);
	}
}

int breakdown_add(struct breakdown *b, const struct fault *f)
{
	bool tree = f->has_tree && f->nr_nodes;
	struct bd_group *g[2] = { NULL, &b->groups[GROUP_ALL] };
	int i, ret = 0;

	if (!f->complete) {
		b->nr_incomplete++;
		return 0;
	}
	if ((unsigned int)f->kind < FAULT_KIND_COUNT)
		g[0] = &b->groups[f->kind];
	if (tree) {
		ret = split_by_phase(b, f);
		if (ret) {
			b->nr_malformed++;
			return ret;
		}
	}
	for (i = 0; i < 2; i++) {
		if (!g[i])
			continue;
		g[i]->nr_faults++;
		histogram_add(&g[i]->lat, breakdown_fault_latency(f));
		if (tree)
			add_tree(b, g[i], f);
	}
	track_top(b, f);
	return 0;
}

/* ---- printing ---- */

static double us(uint64_t ns)
{
	return (double)ns / 1000.0;
}

static void put_time(FILE *out, uint64_t ns)
{
	if (ns < 1000000)
		fprintf(out, "%.3f us", us(ns));
	else if (ns < 1000000000)
		fprintf(out, "%.3f ms", (double)ns / 1e6);
	else
		fprintf(out, "%.3f s", (double)ns / 1e9);
}

static const char *slot_label(const struct breakdown *b,
			      const struct bd_group *g, unsigned int s,
			      char *buf, size_t len)
{
	if (s < b->nr_slots - 1)
		return profile_phase_name(b->prof, s);
	if (g->root == NO_ROOT || g->root == MIXED_ROOTS)
		return "(no phase)";
	snprintf(buf, len, "%s (other)", symbols_name(b->syms, g->root));
	return buf;
}

/*
 * Shares in tenths of a percent that add up to exactly 1000: floors,
 * then the missing tenths go to the largest remainders.
 */
static void shares_permille(const struct breakdown *b, const struct bd_group *g,
			    unsigned int *pm)
{
	uint64_t rem[NR_SLOTS_MAX], total = g->total_ns, x;
	unsigned int s, best, sum = 0, shift = 0;

	while ((total >> shift) > UINT64_MAX / 1000)	/* > 213 days */
		shift++;
	total >>= shift;
	for (s = 0; s < b->nr_slots; s++) {
		x = (g->slots[s].ns >> shift) * 1000;
		pm[s] = (unsigned int)(x / total);
		rem[s] = x % total;
		sum += pm[s];
	}
	for (; sum < 1000; sum++) {
		for (best = 0, s = 1; s < b->nr_slots; s++)
			if (rem[s] > rem[best])
				best = s;
		pm[best]++;
		rem[best] = 0;
	}
}

static void put_bar(FILE *out, unsigned int permille)
{
	unsigned int n = (permille * BAR_WIDTH + 500) / 1000, i;

	fputc('[', out);
	for (i = 0; i < BAR_WIDTH; i++)
		fputc(i < n ? '#' : ' ', out);
	fputc(']', out);
}

static void put_stats(FILE *out, uint64_t count, const struct histogram *h)
{
	fprintf(out, " %8" PRIu64 " %10.3f %10.3f %10.3f %10.3f\n", count,
		histogram_mean(h) / 1000.0, us(histogram_percentile(h, 50)),
		us(histogram_percentile(h, 99)), us(histogram_max(h)));
}

static void put_row(FILE *out, int width, const char *label,
		    unsigned int permille, uint64_t count,
		    const struct histogram *h)
{
	fprintf(out, "  %-*s ", width, label);
	put_bar(out, permille);
	fprintf(out, " %3u.%u%%", permille / 10, permille % 10);
	put_stats(out, count, h);
}

static int label_width(const struct breakdown *b, const struct bd_group *g)
{
	unsigned int s;
	size_t w = 5, l;
	char buf[160];

	for (s = 0; s < b->nr_slots; s++) {
		l = strlen(slot_label(b, g, s, buf, sizeof(buf)));
		if (g->slots[s].hist.count && l > w)
			w = l;
	}
	return w > 40 ? 40 : (int)w;
}

static void put_table(const struct breakdown *b, const struct bd_group *g,
		      FILE *out)
{
	unsigned int pm[NR_SLOTS_MAX], s;
	int w = label_width(b, g);
	char buf[160];

	shares_permille(b, g, pm);
	fprintf(out, "  %-*s %-*s %6s %8s %10s %10s %10s %10s\n", w, "phase",
		BAR_WIDTH + 2, "share of fault time", "%", "faults",
		"mean us", "p50 us", "p99 us", "max us");
	for (s = 0; s < b->nr_slots; s++)
		if (g->slots[s].hist.count)
			put_row(out, w, slot_label(b, g, s, buf, sizeof(buf)),
				pm[s], g->slots[s].hist.count,
				&g->slots[s].hist);
	put_row(out, w, "total", 1000, g->nr_tree, &g->tree);
}

static void put_group(const struct breakdown *b, unsigned int gi, FILE *out)
{
	const struct bd_group *g = &b->groups[gi];

	fprintf(out, "\n%s faults: %" PRIu64,
		gi == GROUP_ALL ? "all" : fault_kind_name(gi), g->nr_faults);
	if (g->nr_tree != g->nr_faults)
		fprintf(out, " (%" PRIu64 " with call tree)", g->nr_tree);
	fputs(", ", out);
	put_time(out, histogram_sum(&g->lat));
	fputs(" in total\n", out);
	if (g->nr_tree && g->total_ns) {
		put_table(b, g, out);
		return;
	}
	fprintf(out, "  no call trees: fault latency only (us):");
	fprintf(out, " mean %.3f p50 %.3f p99 %.3f max %.3f\n",
		histogram_mean(&g->lat) / 1000.0,
		us(histogram_percentile(&g->lat, 50)),
		us(histogram_percentile(&g->lat, 99)),
		us(histogram_max(&g->lat)));
}

static int cmp_slowest(const void *x, const void *y)
{
	const struct fault *a = *(struct fault *const *)x;
	const struct fault *c = *(struct fault *const *)y;
	uint64_t la = breakdown_fault_latency(a), lc = breakdown_fault_latency(c);

	if (la != lc)
		return la < lc ? 1 : -1;
	return a->ts_ns < c->ts_ns ? -1 : a->ts_ns > c->ts_ns;
}

unsigned int breakdown_slowest(const struct breakdown *b,
			       const struct fault **out, unsigned int max)
{
	const struct fault *sorted[BREAKDOWN_MAX_TOP];
	unsigned int n = b->nr_top < max ? b->nr_top : max;

	if (!n)
		return 0;
	memcpy(sorted, b->top, b->nr_top * sizeof(*sorted));
	qsort(sorted, b->nr_top, sizeof(*sorted), cmp_slowest);
	memcpy(out, sorted, n * sizeof(*out));
	return n;
}

int breakdown_print(const struct breakdown *b, FILE *out)
{
	const struct bd_group *all = &b->groups[GROUP_ALL];
	unsigned int gi;

	fprintf(out, "Where fault time goes: %" PRIu64 " complete faults\n",
		all->nr_faults);
	fputs("(self time of each call goes to its nearest phase; shares are "
	      "of the kind's total fault time; times per fault in us)\n", out);
	for (gi = 0; gi < FAULT_KIND_COUNT; gi++)
		if (b->groups[gi].nr_faults)
			put_group(b, gi, out);
	if (all->nr_faults)
		put_group(b, GROUP_ALL, out);
	if (b->nr_incomplete)
		fprintf(out, "\nnote: %" PRIu64 " incomplete faults (lost events"
			" or truncated call trees) are not included\n",
			b->nr_incomplete);
	if (b->nr_malformed)
		fprintf(out, "note: %" PRIu64 " faults with a malformed call "
			"tree are not included\n", b->nr_malformed);
	return fflush(out) || ferror(out) ? -EIO : 0;
}
