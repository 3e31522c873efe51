/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_counter.h - how many faults each guest page took in this run.
 */
#ifndef KVMMMU_PAGE_COUNTER_H
#define KVMMMU_PAGE_COUNTER_H

#include <stdint.h>

struct page_counter;

struct page_counter *page_counter_new(void);
void page_counter_free(struct page_counter *pc);

/**
 * page_counter_hit() - count one more fault on guest frame @gfn
 * Return: the count including this fault, or 0 when out of memory.
 */
uint32_t page_counter_hit(struct page_counter *pc, uint64_t gfn);

#endif /* KVMMMU_PAGE_COUNTER_H */
