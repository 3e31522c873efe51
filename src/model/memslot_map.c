// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * memslot_map.c - a small array of the memslots seen; a VM has few.
 */
#include <stddef.h>

#include "memslot_map.h"

static bool overlaps(const struct memslot_range *r, uint64_t base,
		     uint64_t npages)
{
	return base < r->base_gfn + r->npages && r->base_gfn < base + npages;
}

void memslot_map_learn(struct memslot_map *map, int id, uint64_t base_gfn,
		       uint64_t npages, uint64_t uaddr)
{
	struct memslot_range *slot = NULL;
	unsigned int i;

	if (!npages || base_gfn + npages < base_gfn)
		return;
	for (i = 0; i < map->nr && !slot; i++)
		if (map->slots[i].id == id ||
		    overlaps(&map->slots[i], base_gfn, npages))
			slot = &map->slots[i];
	if (!slot) {
		if (map->nr >= MEMSLOT_MAP_MAX)
			return;
		slot = &map->slots[map->nr++];
	}
	*slot = (struct memslot_range){ .id = id, .base_gfn = base_gfn,
					.npages = npages, .uaddr = uaddr };
}

bool memslot_map_find(const struct memslot_map *map, uint64_t gfn, int *id,
		      uint64_t *hva)
{
	unsigned int i;

	for (i = 0; i < map->nr; i++) {
		const struct memslot_range *r = &map->slots[i];

		if (gfn >= r->base_gfn && gfn - r->base_gfn < r->npages) {
			*id = r->id;
			*hva = r->uaddr + ((gfn - r->base_gfn) << 12);
			return true;
		}
	}
	return false;
}
