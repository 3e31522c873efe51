/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report.h - the result JSON
 */
#ifndef FAULTGEN_REPORT_H
#define FAULTGEN_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kvm_stats.h"
#include "pagemap.h"
#include "vcpu.h"

/* Everything measured after the guest finished. */
struct fg_result {
	uint64_t dirty_pages;
	struct fg_stat vcpu_stats[FG_MAX_VCPUS][FG_NR_VCPU_STATS];
	struct fg_stat vm_stats[FG_NR_VM_STATS];
	struct fg_pfn pfns[2 * FG_PFN_SAMPLES];
	unsigned int nr_pfns;
	uint64_t userfault_served;	/* --userfault: pages copied in */
};

int fg_report_write(FILE *f, const struct fg_run *r,
		    const struct fg_result *res);

#endif /* FAULTGEN_REPORT_H */
