/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spte.h - the host PFN of a KVM shadow/TDP page-table entry.
 *
 * The kvmmmu:fast_page_fault event carries the SPTE a fast-path fault
 * installed, not its PFN.  KVM's SPTE_BASE_ADDR_MASK (arch/x86/kvm/mmu/
 * spte.h, unchanged in its meaning from 6.1 to 7.x) is bits 12..51 of
 * physical_mask: everything above is software or ignored bits (A/D
 * tracking at 52-53, host/MMU-writable, saved access bits, MMIO
 * generation up to 62, NX/suppress-#VE at 63), and physical_mask drops the
 * memory-encryption key bits (SME C-bit, TDX key id) that sit below 52
 * but above the CPU's usable physical address bits.  So the mask is built
 * from the host's physical address width, not from one kernel's layout.
 */
#ifndef KVMMMU_SPTE_H
#define KVMMMU_SPTE_H

#include <stdbool.h>
#include <stdint.h>

#define SPTE_MAX_PHYS_BITS	52	/* __PHYSICAL_MASK_SHIFT on x86-64 */

/**
 * spte_pfn() - the PFN a present leaf SPTE maps for a guest address
 * @spte:	the SPTE (as KVM wrote it)
 * @gpa:	the faulting guest physical address
 * @phys_bits:	the host's physical address bits (x86_phys_bits, as
 *		/proc/cpuinfo's "address sizes" shows it); 0 or above 52
 *		means 52
 * @pfn:	filled with the host PFN of @gpa's 4 KiB page
 *
 * A huge leaf (bit 7, page size) maps the PFN of @gpa's page inside it:
 * its base plus @gpa's offset in a 2 MiB page.  The event has no level,
 * so a 1 GiB leaf (1 GiB hugetlbfs backing, never under dirty logging,
 * which maps 4 KiB pages) would be read as 2 MiB.
 *
 * Return: false when @spte is not a present SPTE (KVM's MMU-present bit
 * 11 clear: zero, MMIO or removed SPTEs), and @pfn is left alone.
 */
bool spte_pfn(uint64_t spte, uint64_t gpa, unsigned int phys_bits,
	      uint64_t *pfn);

/**
 * spte_host_phys_bits() - the physical address width of this machine
 * @cpuinfo:	path of a cpuinfo file ("/proc/cpuinfo")
 *
 * Return: the "N bits physical" of its "address sizes" line, or 0 when
 * the file or line is missing.
 */
unsigned int spte_host_phys_bits(const char *cpuinfo);

#endif /* KVMMMU_SPTE_H */
