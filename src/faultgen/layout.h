/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * layout.h - guest physical memory layout
 *
 *   slot 0  [0, 1 MiB)        per-vCPU code page at FG_CODE_GPA + i * 4 KiB,
 *                             per-vCPU stack page at FG_STACK_GPA + i * 4 KiB
 *   slot 1  [1 MiB, ...)      vCPU i touches pages [i * pages, (i + 1) * pages)
 *   slot 2  [--slot2-gpa, ...) vCPU 0 touches the first pages2 pages
 *   MMIO    --mmio-gpa        no memslot, 4 bytes used
 */
#ifndef FAULTGEN_LAYOUT_H
#define FAULTGEN_LAYOUT_H

#include "faultgen.h"
#include "options.h"

#define FG_SLOT0_GPA		0x0ULL
#define FG_SLOT0_SIZE		0x100000ULL
#define FG_CODE_GPA		0x1000ULL
#define FG_STACK_GPA		0x20000ULL
#define FG_SLOT1_GPA		0x100000ULL
#define FG_SLOT2_GPA_DEFAULT	0x40000000ULL
#define FG_MMIO_GPA_DEFAULT	0xd0000000ULL

static inline uint64_t fg_slot1_size(const struct fg_opts *o)
{
	return fg_round_up(o->pages * o->vcpus * FG_PAGE_SIZE, FG_HUGE_SIZE);
}

static inline uint64_t fg_slot2_size(const struct fg_opts *o)
{
	return fg_round_up(o->pages2 * FG_PAGE_SIZE, FG_HUGE_SIZE);
}

/* First slot-1 GPA touched by vCPU @i. */
static inline uint64_t fg_vcpu_slot1_gpa(const struct fg_opts *o,
					 unsigned int i)
{
	return FG_SLOT1_GPA + i * o->pages * FG_PAGE_SIZE;
}

static inline uint64_t fg_vcpu_code_gpa(unsigned int i)
{
	return FG_CODE_GPA + i * FG_PAGE_SIZE;
}

static inline uint64_t fg_vcpu_stack_gpa(unsigned int i)
{
	return FG_STACK_GPA + i * FG_PAGE_SIZE;
}

#endif /* FAULTGEN_LAYOUT_H */
