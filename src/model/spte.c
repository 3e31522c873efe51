// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spte.c - the host PFN of a KVM SPTE (see spte.h for the mask's origin).
 */
#include <stdio.h>
#include <string.h>

#include "spte.h"

#define SPTE_MMU_PRESENT	(1ull << 11)	/* KVM's SPTE_MMU_PRESENT_MASK */
#define SPTE_PAGE_SIZE		(1ull << 7)	/* PT_PAGE_SIZE_MASK */
#define PAGES_2M		512ull

static uint64_t base_addr_mask(unsigned int phys_bits)
{
	if (!phys_bits || phys_bits > SPTE_MAX_PHYS_BITS)
		phys_bits = SPTE_MAX_PHYS_BITS;
	return ((1ull << phys_bits) - 1) & ~0xfffull;
}

bool spte_pfn(uint64_t spte, uint64_t gpa, unsigned int phys_bits,
	      uint64_t *pfn)
{
	uint64_t base, gfn = gpa >> 12, pages = 1;

	if (!(spte & SPTE_MMU_PRESENT))
		return false;
	base = (spte & base_addr_mask(phys_bits)) >> 12;
	if (spte & SPTE_PAGE_SIZE)
		pages = PAGES_2M;
	*pfn = base + (gfn & (pages - 1));
	return true;
}

unsigned int spte_host_phys_bits(const char *cpuinfo)
{
	char line[256];
	unsigned int bits = 0;
	FILE *f = fopen(cpuinfo, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "address sizes", 13))
			continue;
		if (sscanf(strchr(line, ':') ? strchr(line, ':') + 1 : line,
			   "%u bits physical", &bits) != 1)
			bits = 0;
		break;
	}
	fclose(f);
	return bits;
}
