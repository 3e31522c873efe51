/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pagemap.h - host PFNs behind guest pages, from /proc/self/pagemap
 */
#ifndef FAULTGEN_PAGEMAP_H
#define FAULTGEN_PAGEMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "vm.h"

#define FG_PFN_SAMPLES		8	/* per slot */

struct fg_pfn {
	unsigned int slot;
	uint64_t gpa;
	uint64_t hva;
	bool valid;	/* false: not present, or PFN hidden (not root) */
	uint64_t pfn;
};

unsigned int fg_pagemap_sample(const struct fg_vm *vm, unsigned int slot,
			       uint64_t gpa, uint64_t pages,
			       struct fg_pfn *out);

#endif /* FAULTGEN_PAGEMAP_H */
