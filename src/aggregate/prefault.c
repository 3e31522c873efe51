// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * prefault.c - guest ranges whose first-touch faults cost most.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "hashtab.h"
#include "prefault.h"
#include "profile.h"
#include "summary.h"

#define CHUNK_SHIFT	9	/* 512 pages: 2 MiB */

struct prefault {
	const struct profile *prof;
	uint8_t cause;			/* index of "first-touch" */
	int gup_phase;			/* phase "gup", -1 if none */
	struct hashtab index;		/* chunk -> position in @chunks */
	struct prefault_range *chunks;
	uint32_t nr_chunks, cap_chunks;
	struct prefault_range *ranges;
	uint64_t faults, untracked;
};

struct prefault *prefault_new(const struct profile *prof)
{
	int cause = profile_cause_index(prof, "first-touch");
	struct prefault *pf;
	unsigned int i;

	if (cause < 0)
		return NULL;
	pf = calloc(1, sizeof(*pf));
	if (!pf)
		return NULL;
	pf->prof = prof;
	pf->cause = (uint8_t)cause;
	pf->gup_phase = -1;
	for (i = 0; i < profile_nr_phases(prof); i++)
		if (!strcmp(profile_phase_name(prof, i), "gup"))
			pf->gup_phase = (int)i;
	hashtab_init(&pf->index, PREFAULT_MAX_CHUNKS);
	return pf;
}

void prefault_free(struct prefault *pf)
{
	if (!pf)
		return;
	hashtab_release(&pf->index);
	free(pf->chunks);
	free(pf->ranges);
	free(pf);
}

static uint64_t alloc_time(const struct prefault *pf, const struct fault *f)
{
	uint64_t ns[PROFILE_MAX_PHASES];
	unsigned char seen[PROFILE_MAX_PHASES];

	if (pf->gup_phase < 0 || !f->has_tree)
		return 0;
	fault_phase_times(f, profile_nr_phases(pf->prof), ns, seen);
	return seen[pf->gup_phase] ? ns[pf->gup_phase] : 0;
}

static struct prefault_range *chunk_of(struct prefault *pf, uint64_t gfn)
{
	uint64_t *idx;
	struct prefault_range *n;
	int r = hashtab_get_or_add(&pf->index, gfn >> CHUNK_SHIFT, &idx);

	if (r < 0)
		return NULL;
	if (!r)
		return &pf->chunks[*idx];
	if (pf->nr_chunks == pf->cap_chunks) {
		uint32_t cap = pf->cap_chunks ? pf->cap_chunks * 2 : 256;

		n = realloc(pf->chunks, (size_t)cap * sizeof(*n));
		if (!n)
			return NULL;
		pf->chunks = n;
		pf->cap_chunks = cap;
	}
	*idx = pf->nr_chunks;
	pf->chunks[pf->nr_chunks] = (struct prefault_range){
		.gpa_start = UINT64_MAX, .memslot = -1,
		.hva_start = FAULT_UNKNOWN,
	};
	return &pf->chunks[pf->nr_chunks++];
}

void prefault_add(struct prefault *pf, const struct fault *f)
{
	struct prefault_range *c;
	uint64_t gpa;

	/* pages KVM_PRE_FAULT_MEMORY mapped are pre-faulted already */
	if (!pf || f->cause != pf->cause || !f->complete ||
	    f->gpa == FAULT_UNKNOWN || f->origin == FAULT_ORIGIN_PREFAULT)
		return;
	pf->faults++;
	c = chunk_of(pf, f->gpa >> 12);
	if (!c) {
		pf->untracked++;
		return;
	}
	gpa = f->gpa & ~0xfffull;
	if (gpa < c->gpa_start) {
		c->gpa_start = gpa;
		c->hva_start = f->hva == FAULT_UNKNOWN ? FAULT_UNKNOWN :
			       f->hva & ~0xfffull;
	}
	if (gpa + 4096 > c->gpa_end)
		c->gpa_end = gpa + 4096;
	if (f->memslot >= 0)
		c->memslot = f->memslot;
	c->faults++;
	c->fault_ns += f->delay_ns;
	c->alloc_ns += alloc_time(pf, f);
}

static int by_gpa(const void *a, const void *b)
{
	const struct prefault_range *x = a, *y = b;

	return x->gpa_start < y->gpa_start ? -1 : x->gpa_start > y->gpa_start;
}

static int by_cost(const void *a, const void *b)
{
	const struct prefault_range *x = a, *y = b;

	if (x->fault_ns != y->fault_ns)
		return x->fault_ns < y->fault_ns ? 1 : -1;
	return by_gpa(a, b);
}

/* Can chunk @b extend range @a: the next chunk, same memslot, HVAs in step? */
static int continues(const struct prefault_range *a,
		     const struct prefault_range *b)
{
	if (b->gpa_start >> 21 != ((a->gpa_end - 1) >> 21) + 1 ||
	    a->memslot != b->memslot)
		return 0;
	if (a->hva_start == FAULT_UNKNOWN || b->hva_start == FAULT_UNKNOWN)
		return a->hva_start == b->hva_start;
	return b->hva_start - a->hva_start == b->gpa_start - a->gpa_start;
}

int prefault_ranges(struct prefault *pf, const struct prefault_range **out)
{
	struct prefault_range *r, *last = NULL;
	uint32_t i, n = 0;

	free(pf->ranges);
	pf->ranges = NULL;
	*out = NULL;
	if (!pf->nr_chunks)
		return 0;
	r = malloc((size_t)pf->nr_chunks * sizeof(*r));
	if (!r)
		return -ENOMEM;
	memcpy(r, pf->chunks, (size_t)pf->nr_chunks * sizeof(*r));
	qsort(r, pf->nr_chunks, sizeof(*r), by_gpa);
	for (i = 0; i < pf->nr_chunks; i++) {
		/* a chunk joins the range whose last chunk it follows */
		if (last && continues(last, &r[i])) {
			last->gpa_end = r[i].gpa_end;
			last->faults += r[i].faults;
			last->fault_ns += r[i].fault_ns;
			last->alloc_ns += r[i].alloc_ns;
			continue;
		}
		r[n] = r[i];
		last = &r[n++];
	}
	qsort(r, n, sizeof(*r), by_cost);
	pf->ranges = r;
	*out = r;
	return (int)n;
}

uint64_t prefault_faults(const struct prefault *pf)
{
	return pf ? pf->faults : 0;
}

uint64_t prefault_untracked(const struct prefault *pf)
{
	return pf ? pf->untracked : 0;
}

static void json_hex(FILE *out, const char *key, uint64_t v)
{
	if (v == FAULT_UNKNOWN)
		fprintf(out, "\"%s\":null", key);
	else
		fprintf(out, "\"%s\":\"0x%" PRIx64 "\"", key, v);
}

int prefault_write_json(struct prefault *pf, FILE *out)
{
	const struct prefault_range *r;
	uint64_t fault_ns = 0, alloc_ns = 0;
	int n = prefault_ranges(pf, &r), i;

	if (n < 0)
		return n;
	fputs("{\"ranges\":[", out);
	for (i = 0; i < n; i++) {
		fprintf(out, "%s\n{", i ? "," : "");
		json_hex(out, "gpa_start", r[i].gpa_start);
		fputc(',', out);
		json_hex(out, "gpa_end", r[i].gpa_end);
		fprintf(out, ",\"memslot\":");
		if (r[i].memslot < 0)
			fputs("null", out);
		else
			fprintf(out, "%d", r[i].memslot);
		fputc(',', out);
		json_hex(out, "hva_start", r[i].hva_start);
		fputc(',', out);
		json_hex(out, "hva_end", r[i].hva_start == FAULT_UNKNOWN ?
			 FAULT_UNKNOWN : r[i].hva_start + (r[i].gpa_end -
							    r[i].gpa_start));
		fprintf(out, ",\"faults\":%" PRIu64 ",\"fault_ns\":%" PRIu64
			",\"alloc_ns\":%" PRIu64 "}", r[i].faults,
			r[i].fault_ns, r[i].alloc_ns);
		fault_ns += r[i].fault_ns;
		alloc_ns += r[i].alloc_ns;
	}
	fprintf(out, "\n],\"first_touch_faults\":%" PRIu64 ",\"untracked\":%"
		PRIu64 ",\"saved_ns\":{\"kvm_pre_fault_memory\":%" PRIu64
		",\"host_prefault\":%" PRIu64 "}}\n", pf->faults, pf->untracked,
		fault_ns, alloc_ns);
	return ferror(out) ? -EIO : 0;
}

void prefault_print_text(struct prefault *pf, FILE *out, unsigned int max)
{
	const struct prefault_range *r;
	int n = pf ? prefault_ranges(pf, &r) : 0, i;

	if (n <= 0)
		return;
	fprintf(out, "\nPrefault advice: %" PRIu64 " first-touch faults in %d "
		"range%s; costliest:\n", pf->faults, n, n == 1 ? "" : "s");
	for (i = 0; i < n && (unsigned int)i < max; i++) {
		fprintf(out, "  GPA 0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64
			" KiB", r[i].gpa_start, r[i].gpa_end,
			(r[i].gpa_end - r[i].gpa_start) >> 10);
		if (r[i].memslot >= 0)
			fprintf(out, ", memslot %d", r[i].memslot);
		if (r[i].hva_start != FAULT_UNKNOWN)
			fprintf(out, ", HVA 0x%" PRIx64, r[i].hva_start);
		fprintf(out, "): %" PRIu64 " faults, %.3f ms of fault time, "
			"%.3f ms of it allocating\n", r[i].faults,
			(double)r[i].fault_ns / 1e6, (double)r[i].alloc_ns / 1e6);
	}
}
