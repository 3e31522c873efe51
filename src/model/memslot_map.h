/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memslot_map.h - the VM's memslots as learned from memslot probe records.
 *
 * Each probe record tells one slot's id, first gfn, size and host
 * address. Faults that did not call the probed function (fast-path faults
 * fixed without a fault-in, events-only captures) are attributed through
 * this map when their GPA falls inside a slot already seen.
 */
#ifndef KVMMMU_MEMSLOT_MAP_H
#define KVMMMU_MEMSLOT_MAP_H

#include <stdbool.h>
#include <stdint.h>

#define MEMSLOT_MAP_MAX	512

struct memslot_range {
	int id;
	uint64_t base_gfn;
	uint64_t npages;
	uint64_t uaddr;
};

struct memslot_map {
	unsigned int nr;
	struct memslot_range slots[MEMSLOT_MAP_MAX];
};

/**
 * memslot_map_learn() - remember (or update) one slot
 *
 * A slot with the same id, or overlapping guest frames, is replaced: a
 * VMM may move or resize slots. Slots with no size are ignored.
 */
void memslot_map_learn(struct memslot_map *map, int id, uint64_t base_gfn,
		       uint64_t npages, uint64_t uaddr);

/* The slot holding @gfn: fills @id and @hva. False if none is known. */
bool memslot_map_find(const struct memslot_map *map, uint64_t gfn, int *id,
		      uint64_t *hva);

#endif /* KVMMMU_MEMSLOT_MAP_H */
