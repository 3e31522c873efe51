/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * breakdown.h - "where does fault time go", printed at the end of a run.
 *
 * For each fault kind that had faults, and for all faults together, the
 * fault time is split by profile phase: the self time of every call (see
 * flame.h for how clock skew is absorbed) goes to its nearest
 * ancestor-or-self call that starts a phase, or to "ROOT (other)" when no
 * such call exists.  The phase times of a fault therefore add up to its
 * root's duration and the printed shares add up to 100 %.  Then the N
 * slowest complete faults are printed with their call trees.
 *
 * Memory is bounded: per kind one latency histogram per phase (see
 * histogram.h) and N copies of struct fault, all allocated at creation.
 */
#ifndef KVMMMU_BREAKDOWN_H
#define KVMMMU_BREAKDOWN_H

#include <stdint.h>
#include <stdio.h>

struct fault;
struct symbols;
struct profile;
struct breakdown;

#define BREAKDOWN_DEFAULT_TOP	5	/* top_n < 0 */
#define BREAKDOWN_MAX_TOP	100

/**
 * breakdown_new() - create an empty breakdown
 * @syms:	function names (read when printing)
 * @prof:	profile for phase labels; may be NULL, then all time is "other"
 * @top_n:	slowest faults to keep and print, 0 for none,
 *		< 0 for BREAKDOWN_DEFAULT_TOP
 *
 * @syms and @prof must outlive the breakdown.
 * Return: the breakdown, or NULL with errno set (ENOMEM, or EINVAL when
 * @top_n > BREAKDOWN_MAX_TOP).
 */
struct breakdown *breakdown_new(const struct symbols *syms,
				const struct profile *prof, int top_n);

/**
 * breakdown_free() - free a breakdown
 * @b:	breakdown, may be NULL
 */
void breakdown_free(struct breakdown *b);

/**
 * breakdown_add() - account one fault
 * @b:	breakdown
 * @f:	fault; incomplete faults are only counted, complete faults without
 *	call tree only count in the per-kind latency line
 *
 * Never allocates.
 * Return: 0, or -EINVAL for a malformed tree (then only counted).
 */
int breakdown_add(struct breakdown *b, const struct fault *f);

/**
 * breakdown_print() - print the breakdown tables
 * @b:		breakdown
 * @out:	stream
 *
 * Return: 0, or -EIO when writing failed.
 */
int breakdown_print(const struct breakdown *b, FILE *out);

/* Latency of a fault: its root call's duration, or its event delay. */
uint64_t breakdown_fault_latency(const struct fault *f);

/**
 * breakdown_slowest() - the slowest complete faults kept (--top)
 * @b:		breakdown
 * @out:	filled with up to @max faults, slowest first (ties: earliest)
 * @max:	room in @out
 *
 * Return: the number of faults in @out; they live as long as @b.
 */
unsigned int breakdown_slowest(const struct breakdown *b,
			       const struct fault **out, unsigned int max);

#endif /* KVMMMU_BREAKDOWN_H */
