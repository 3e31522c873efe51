/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * summary.h - run totals: fault counts per kind, delay and per-phase
 * percentiles, in bounded memory (histograms, not samples).
 */
#ifndef KVMMMU_SUMMARY_H
#define KVMMMU_SUMMARY_H

#include <stdint.h>
#include <stdio.h>

#include "fault.h"
#include "profile.h"
#include "run_load.h"

struct summary;
struct findings;

/**
 * struct run_info - facts about the capture shown with the summary
 * @strategy:	capture strategy name
 * @lost_events: events the kernel dropped
 * @pages:	raw pages read
 * @filtered:	faults left out by --threshold / --vcpu
 * @decode_errors: records whose payload could not be decoded
 * @damaged_pages: raw pages skipped as malformed or zeroed
 * @unmatched_exits: function_graph exits that matched no open call
 * @missing:	profile items this kernel lacks ("event kvmmmu/foo",
 *		"allow bar", ...), skipped at start
 * @nr_missing:	entries in @missing
 * @load:	the live capture's own cost and losses (NULL for a replay)
 */
struct run_info {
	const char *strategy;
	uint64_t lost_events;
	uint64_t pages;
	uint64_t filtered;
	uint64_t decode_errors;
	uint64_t damaged_pages;
	uint64_t unmatched_exits;
	const char *const *missing;
	unsigned int nr_missing;
	const struct run_load *load;
};

struct summary *summary_new(const struct profile *prof);
void summary_free(struct summary *s);

/**
 * fault_phase_times() - inclusive time per phase for one fault
 * @f:		fault with a tree
 * @nr_phases:	phases in the profile (<= PROFILE_MAX_PHASES)
 * @ns:		out, @nr_phases entries; a phase nested in itself counts once
 * @seen:	out, @nr_phases flags: the phase occurred in the fault
 */
void fault_phase_times(const struct fault *f, unsigned int nr_phases,
		       uint64_t *ns, unsigned char *seen);

void summary_add(struct summary *s, const struct fault *f);
void summary_print_text(const struct summary *s, const struct run_info *ri,
			FILE *out);
/* The JSON summary object; with @fi, its causes, findings and stuck GFNs. */
void summary_print_json(const struct summary *s, const struct run_info *ri,
			const struct findings *fi, FILE *out);

#endif /* KVMMMU_SUMMARY_H */
