/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * findings.h - what a run says about why faults were slow: fault time per
 * cause, the causes above the profile's share threshold with their hint
 * (ordered by time), and stuck vCPUs (the same GFN faulting again and
 * again within a short window). Bounded memory.
 */
#ifndef KVMMMU_FINDINGS_H
#define KVMMMU_FINDINGS_H

#include <stdint.h>
#include <stdio.h>

#include "fault.h"

struct profile;
struct findings;

#define FINDINGS_MAX_STUCK	8	/* stuck GFNs reported */

/**
 * struct cause_stats - one cause over the run
 * @faults:	faults with this cause
 * @complete:	of those, complete (with a delay)
 * @total_ns:	their delays summed
 */
struct cause_stats {
	uint64_t faults;
	uint64_t complete;
	uint64_t total_ns;
};

/**
 * struct stuck_gfn - a GFN one vCPU kept faulting on
 * @gfn:	guest frame
 * @vcpu:	vCPU
 * @count:	most faults seen within one window
 * @window_ns:	time those took from first to last
 * @phases:	phases the repeats went through (bit per profile phase)
 * @kind:	kind of the last repeat
 */
struct stuck_gfn {
	uint64_t gfn;
	int vcpu;
	uint32_t count;
	uint64_t window_ns;
	uint32_t phases;
	enum fault_kind kind;
};

struct findings *findings_new(const struct profile *prof);
void findings_free(struct findings *fi);

/* Count @f (never allocates once its GFN is known; bounded table). */
void findings_add(struct findings *fi, const struct fault *f);

/* Per cause: index FAULT_CAUSE_OTHER/UNKNOWN map to the last two. */
const struct cause_stats *findings_cause(const struct findings *fi,
					 uint8_t cause);

/* The stuck GFNs, worst first; their number. */
unsigned int findings_stuck(const struct findings *fi,
			    const struct stuck_gfn **out);

/* "Findings:" lines at the end of the text summary (nothing if none). */
void findings_print_text(const struct findings *fi, FILE *out);

/* ,"findings":[{"cause","faults","share","total_ns","hint"}...],"stuck":[..] */
void findings_print_json(const struct findings *fi, FILE *out);

#endif /* KVMMMU_FINDINGS_H */
