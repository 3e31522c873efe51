// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * page_counter.c - gfn -> fault count, in the shared hash table: one
 * probe sequence per fault and no allocation but amortized growth.
 */
#include <stdlib.h>

#include "hashtab.h"
#include "page_counter.h"

struct page_counter {
	struct hashtab counts;
};

struct page_counter *page_counter_new(void)
{
	struct page_counter *pc = calloc(1, sizeof(*pc));

	if (pc)
		hashtab_init(&pc->counts, HASHTAB_NO_LIMIT);
	return pc;
}

void page_counter_free(struct page_counter *pc)
{
	if (!pc)
		return;
	hashtab_release(&pc->counts);
	free(pc);
}

uint32_t page_counter_hit(struct page_counter *pc, uint64_t gfn)
{
	uint64_t *count;

	if (hashtab_get_or_add(&pc->counts, gfn, &count) < 0)
		return 0;
	if (*count < UINT32_MAX)
		(*count)++;
	return (uint32_t)*count;
}

