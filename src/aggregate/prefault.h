/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * prefault.h - prefault advice: the guest-physical ranges whose
 * first-touch faults cost most, merged, with their memslot and HVA range
 * and the time pre-faulting them would save.
 *
 * First-touch faults are grouped by 2 MiB guest-physical chunk (bounded:
 * at most PREFAULT_MAX_CHUNKS chunks, the rest counted); at the end
 * adjacent chunks of one memslot with contiguous HVAs merge into ranges.
 */
#ifndef KVMMMU_PREFAULT_H
#define KVMMMU_PREFAULT_H

#include <stdint.h>
#include <stdio.h>

#include "fault.h"

#define PREFAULT_MAX_CHUNKS	(1u << 20)	/* 2 TiB of guest memory */

struct profile;
struct prefault;

/**
 * struct prefault_range - guest memory worth pre-faulting
 * @gpa_start:	first byte (page aligned)
 * @gpa_end:	one past the last faulted page
 * @memslot:	its memslot, -1 if unknown
 * @hva_start:	host virtual address of @gpa_start, FAULT_UNKNOWN if unknown
 * @faults:	first-touch faults in it
 * @fault_ns:	their fault time (what KVM_PRE_FAULT_MEMORY saves)
 * @alloc_ns:	of it, host allocation time under GUP (the "gup" phase;
 *		what pre-faulting the host memory alone saves)
 */
struct prefault_range {
	uint64_t gpa_start;
	uint64_t gpa_end;
	int memslot;
	uint64_t hva_start;
	uint64_t faults;
	uint64_t fault_ns;
	uint64_t alloc_ns;
};

/* NULL when the profile has no "first-touch" cause (then no advice). */
struct prefault *prefault_new(const struct profile *prof);
void prefault_free(struct prefault *pf);

/* Count @f if it is a complete first-touch fault with a GPA. */
void prefault_add(struct prefault *pf, const struct fault *f);

/**
 * prefault_ranges() - the merged ranges, costliest first
 * @pf:		advice
 * @out:	set to an array (owned by @pf, valid until the next call)
 *
 * Return: the number of ranges, or -ENOMEM.
 */
int prefault_ranges(struct prefault *pf, const struct prefault_range **out);

/* First-touch faults seen, and those past the chunk limit (not in ranges). */
uint64_t prefault_faults(const struct prefault *pf);
uint64_t prefault_untracked(const struct prefault *pf);

/* The --prefault-report JSON document; 0 or -errno. */
int prefault_write_json(struct prefault *pf, FILE *out);

/* "Prefault advice:" lines (top @max ranges) for the text summary. */
void prefault_print_text(struct prefault *pf, FILE *out, unsigned int max);

#endif /* KVMMMU_PREFAULT_H */
