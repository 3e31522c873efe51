// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pagemap.c - look up host PFNs in /proc/self/pagemap
 *
 * Each 64-bit entry: bit 63 present, bits 0-54 PFN.  Without
 * CAP_SYS_ADMIN the kernel reports PFN 0, which is taken as unknown.
 */
#include <fcntl.h>
#include <unistd.h>

#include "faultgen.h"
#include "gmem.h"
#include "pagemap.h"

#define PM_PRESENT		(1ULL << 63)
#define PM_PFN_MASK		((1ULL << 55) - 1)

static void fg_pagemap_lookup(int fd, long host_page, struct fg_pfn *p)
{
	uint64_t entry;
	off_t off = (off_t)(p->hva / host_page) * sizeof(entry);

	p->valid = false;
	p->pfn = 0;
	if (fd < 0 || pread(fd, &entry, sizeof(entry), off) != sizeof(entry))
		return;
	if (!(entry & PM_PRESENT) || !(entry & PM_PFN_MASK))
		return;
	p->pfn = entry & PM_PFN_MASK;
	p->valid = true;
}

/**
 * fg_pagemap_sample() - PFNs of up to FG_PFN_SAMPLES evenly spaced pages
 * @vm: the VM
 * @slot: slot id, copied into the results
 * @gpa: first guest page of the range
 * @pages: pages in the range
 * @out: array of FG_PFN_SAMPLES entries
 *
 * A guest_memfd slot's page is read by the host first, which maps it.
 *
 * Return: number of entries filled.
 */
unsigned int fg_pagemap_sample(const struct fg_vm *vm, unsigned int slot,
			       uint64_t gpa, uint64_t pages,
			       struct fg_pfn *out)
{
	unsigned int i, n = pages < FG_PFN_SAMPLES ? pages : FG_PFN_SAMPLES;
	long host_page = sysconf(_SC_PAGESIZE);
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);

	for (i = 0; i < n; i++) {
		out[i].slot = slot;
		out[i].gpa = gpa + (i * pages / n) * FG_PAGE_SIZE;
		out[i].hva = (uintptr_t)fg_vm_hva(vm, out[i].gpa);
		if (vm->slots[slot].backing == FG_BACKING_GMEM)
			fg_gmem_touch(&vm->slots[slot], out[i].gpa);
		fg_pagemap_lookup(fd, host_page, &out[i]);
	}
	if (fd >= 0)
		close(fd);
	return n;
}
