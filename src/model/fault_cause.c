// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fault_cause.c - the cause of a fault by the profile's rules.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fault_cause.h"
#include "profile.h"
#include "symbols.h"

#define SEEN	(1ull << 63)	/* the function's masks are computed */

/*
 * Per function (symbol index): bit i = in rule i's "any" list, bit
 * 24 + i = in rule i's "lock" list (PROFILE_MAX_CAUSES <= 24).
 */
struct cause_classifier {
	const struct profile *prof;
	const struct symbols *syms;
	unsigned int nr_rules;
	int map_phase;			/* phase "map", -1 if none */
	bool map_seen;			/* a fault of this run mapped */
	uint64_t *masks;
	uint32_t cap;
};

_Static_assert(PROFILE_MAX_CAUSES <= 24, "two masks in 48 bits");

struct cause_classifier *cause_classifier_new(const struct profile *prof,
					      const struct symbols *syms)
{
	struct cause_classifier *cc = calloc(1, sizeof(*cc));
	unsigned int i;

	if (!cc)
		return NULL;
	cc->prof = prof;
	cc->syms = syms;
	cc->nr_rules = profile_nr_causes(prof);
	cc->map_phase = -1;
	for (i = 0; i < profile_nr_phases(prof); i++)
		if (!strcmp(profile_phase_name(prof, i), "map"))
			cc->map_phase = (int)i;
	return cc;
}

void cause_classifier_free(struct cause_classifier *cc)
{
	if (!cc)
		return;
	free(cc->masks);
	free(cc);
}

static bool in_list(const char *func, char *const *list)
{
	for (; *list; list++)
		if (profile_func_matches(func, *list))
			return true;
	return false;
}

static uint64_t compute_mask(const struct cause_classifier *cc,
			     const char *func)
{
	uint64_t m = SEEN;
	unsigned int i;

	for (i = 0; func && i < cc->nr_rules; i++) {
		const struct profile_cause *r = profile_cause(cc->prof, i);

		if (in_list(func, r->any))
			m |= 1ull << i;
		if (in_list(func, r->lock))
			m |= 1ull << (24 + i);
	}
	return m;
}

/* The masks of function @idx, computed on first sight. */
static uint64_t mask_of(struct cause_classifier *cc, uint32_t idx)
{
	uint64_t *n;
	uint32_t cap;

	if (idx >= cc->cap) {
		for (cap = cc->cap ? cc->cap : 256; cap <= idx; cap *= 2)
			;
		n = realloc(cc->masks, (size_t)cap * sizeof(*n));
		if (!n)
			return compute_mask(cc, symbols_name(cc->syms, idx));
		memset(n + cc->cap, 0, (size_t)(cap - cc->cap) * sizeof(*n));
		cc->masks = n;
		cc->cap = cap;
	}
	if (!cc->masks[idx])
		cc->masks[idx] = compute_mask(cc, symbols_name(cc->syms, idx));
	return cc->masks[idx];
}

/* Is an ancestor of node @i a lock function of rule @bit too? */
static bool lock_ancestor(struct cause_classifier *cc, const struct fault *f,
			  uint32_t i, uint64_t bit)
{
	uint16_t p = f->nodes[i].parent;

	while (p != FAULT_NO_PARENT && p < i) {
		if (mask_of(cc, f->nodes[p].func) & bit)
			return true;
		p = f->nodes[p].parent;
	}
	return false;
}

static bool rule_holds(struct cause_classifier *cc, const struct fault *f,
		       unsigned int rule, const struct profile_cause *r)
{
	uint64_t any = 1ull << rule, lock = 1ull << (24 + rule), m, lock_ns = 0;
	bool has_any = false, has_map = false;
	uint32_t i;

	for (i = 0; i < f->nr_nodes; i++) {
		m = mask_of(cc, f->nodes[i].func);
		has_any |= !!(m & any);
		has_map |= (int)f->nodes[i].phase == cc->map_phase;
		if ((m & lock) && !lock_ancestor(cc, f, i, lock))
			lock_ns += fault_node_duration(&f->nodes[i]);
	}
	if (r->any[0] && !has_any)
		return false;
	cc->map_seen |= has_map;
	if (r->lock[0] && lock_ns < r->lock_min_ns + (r->lock_min_ns ? 0 : 1))
		return false;
	/* where no fault ever shows a map call, the kernel inlines it */
	return !r->nomap || (!has_map && cc->map_seen);
}

static bool needs_tree(const struct profile_cause *r)
{
	return r->any[0] || r->lock[0] || r->nomap;
}

uint8_t cause_classify(struct cause_classifier *cc, const struct fault *f)
{
	bool tree = f->has_tree && f->nr_nodes, undecided = false;
	unsigned int i;

	for (i = 0; i < cc->nr_rules; i++) {
		const struct profile_cause *r = profile_cause(cc->prof, i);

		if (r->kind >= 0 && r->kind != (int)f->kind)
			continue;
		if (needs_tree(r) && !tree) {
			undecided = true;
			continue;
		}
		if (rule_holds(cc, f, i, r))
			return (uint8_t)i;
	}
	return undecided ? FAULT_CAUSE_UNKNOWN : FAULT_CAUSE_OTHER;
}

const char *fault_cause_name(const struct profile *prof, uint8_t cause)
{
	const struct profile_cause *r = profile_cause(prof, cause);

	if (r)
		return r->name;
	return cause == FAULT_CAUSE_UNKNOWN ? "unknown" : "other";
}
