// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * page_counter.c - open-addressing gfn -> count table, doubled when half
 * full, so the cost per fault is one probe sequence and no allocation.
 */
#include <stdlib.h>

#include "page_counter.h"

struct pc_slot {
	uint64_t key;		/* gfn + 1; 0 = empty */
	uint32_t count;
};

struct page_counter {
	struct pc_slot *slots;
	uint64_t cap;		/* power of two */
	uint64_t used;
};

static uint64_t hash_gfn(uint64_t key)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdull;
	key ^= key >> 33;
	return key;
}

struct page_counter *page_counter_new(void)
{
	struct page_counter *pc = calloc(1, sizeof(*pc));

	if (!pc)
		return NULL;
	pc->cap = 1024;
	pc->slots = calloc(pc->cap, sizeof(*pc->slots));
	if (!pc->slots) {
		free(pc);
		return NULL;
	}
	return pc;
}

void page_counter_free(struct page_counter *pc)
{
	if (!pc)
		return;
	free(pc->slots);
	free(pc);
}

static struct pc_slot *lookup(struct pc_slot *slots, uint64_t cap,
			      uint64_t key)
{
	uint64_t i = hash_gfn(key) & (cap - 1);

	while (slots[i].key && slots[i].key != key)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static int rehash(struct page_counter *pc)
{
	uint64_t ncap = pc->cap * 2, i;
	struct pc_slot *n = calloc(ncap, sizeof(*n));

	if (!n)
		return -1;
	for (i = 0; i < pc->cap; i++)
		if (pc->slots[i].key)
			*lookup(n, ncap, pc->slots[i].key) = pc->slots[i];
	free(pc->slots);
	pc->slots = n;
	pc->cap = ncap;
	return 0;
}

uint32_t page_counter_hit(struct page_counter *pc, uint64_t gfn)
{
	struct pc_slot *s;

	if ((pc->used + 1) * 2 > pc->cap && rehash(pc))
		return 0;
	s = lookup(pc->slots, pc->cap, gfn + 1);
	if (!s->key) {
		s->key = gfn + 1;
		pc->used++;
	}
	return ++s->count;
}

uint64_t page_counter_pages(const struct page_counter *pc)
{
	return pc->used;
}
