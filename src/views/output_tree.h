/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * output_tree.h - print one fault's call tree, function_graph style.
 */
#ifndef KVMMMU_OUTPUT_TREE_H
#define KVMMMU_OUTPUT_TREE_H

#include <stdio.h>

struct fault;
struct breakdown;
struct symbols;
struct profile;

/**
 * tree_print() - print the call tree of one fault
 * @out:	stream
 * @f:		fault (the caller prints its summary line before)
 * @syms:	function names
 * @prof:	phase labels, may be NULL (phases are then shown as "?")
 *
 * Prints a column header line, then one line per call in entry order:
 *
 *	#      DURATION  | FUNCTION CALLS
 *	       12.345 us | kvm_mmu_page_fault() {
 *	        0.250 us |   fast_page_fault(); [fast]
 *	                 | }
 *
 * A call with children opens a "{" closed by a "}" line, a leaf is
 * "func();".  Durations are in us with 3 decimals, "?" for a call that
 * never returned.  "[phase]" follows calls that start a profile phase.
 * A last line "... N calls not recorded" tells that the tree was
 * truncated; a fault without tree prints one "(no call tree ...)" line.
 *
 * Return: 0, or -EIO when writing failed.
 */
int tree_print(FILE *out, const struct fault *f, const struct symbols *syms,
	       const struct profile *prof);

/**
 * tree_print_slowest() - the slowest complete faults with their trees
 * @out:	stream
 * @b:		breakdown that kept them (--top)
 * @syms:	function names
 * @prof:	phase labels
 *
 * Prints "Slowest N complete faults:", then for each a header line (rank,
 * latency, kind, GPA, vCPU, thread, CPU, timestamp) and its call tree.
 * Return: 0, or the first error of tree_print().
 */
int tree_print_slowest(FILE *out, const struct breakdown *b,
		       const struct symbols *syms, const struct profile *prof);

#endif /* KVMMMU_OUTPUT_TREE_H */
