/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fault_builder.h - rebuild faults from a time-ordered record stream.
 *
 * funcgraph entries and exits are paired per thread (vCPU threads migrate
 * between CPUs, so pairing by CPU would be wrong); calls below a profile
 * root form the fault's tree; kvm and kvmmmu events inside a fault are
 * attached to it.  In events-only mode a fault runs from kvm_page_fault
 * to the thread's next kvm_entry.
 */
#ifndef KVMMMU_FAULT_BUILDER_H
#define KVMMMU_FAULT_BUILDER_H

#include <stdbool.h>
#include <stdint.h>

#include "fault.h"
#include "trace_events.h"

struct profile;
struct symbols;
struct fault_builder;

typedef void (*fault_emit_fn)(const struct fault *f, void *ctx);
/* Fill @comm (FAULT_COMM_LEN bytes) and *tgid for @tid; may leave them. */
typedef void (*thread_info_fn)(int tid, char *comm, int *tgid, void *ctx);

/**
 * struct builder_config - how to build faults
 * @prof:	roots and phases
 * @syms:	function names (the builder adds to it)
 * @vendor:	how error codes are to be read (AMD or Intel)
 * @events_only: no function_graph: delay = kvm_page_fault -> kvm_entry
 * @phys_bits:	the traced host's physical address bits, to read the PFN
 *		out of a fast-path fault's SPTE (0: 52, the widest)
 * @emit:	called for each finished fault
 * @thread_info: called at the start of each fault (may be NULL); must be
 *		cheap (a table look-up)
 * @ctx:	passed to @emit
 * @info_ctx:	passed to @thread_info
 */
struct builder_config {
	const struct profile *prof;
	struct symbols *syms;
	enum fault_vendor vendor;
	bool events_only;
	unsigned int phys_bits;
	fault_emit_fn emit;
	thread_info_fn thread_info;
	void *ctx;
	void *info_ctx;
};

/*
 * Threads followed at once (each keeps a call stack and a fault being
 * built, about 15 KB): a recording naming a new thread on every event
 * would otherwise grow without bound. Idle threads are forgotten first.
 */
#define BUILDER_MAX_THREADS	4096

/**
 * struct builder_stats - what the builder saw
 * @records:	records fed
 * @faults:	faults emitted
 * @incomplete:	faults emitted with complete == false
 * @loss_marks:	missed-events marks seen
 * @unmatched:	funcgraph exits that did not match an open call
 * @threads_evicted: idle threads forgotten to keep the table bounded
 * @threads_dropped: records ignored: the table was full of threads in
 *		the middle of a fault
 * @orphan_pf:	kvm_page_fault events no fault was built from (with
 *		function_graph): faults whose call tree was lost
 */
struct builder_stats {
	uint64_t records;
	uint64_t faults;
	uint64_t incomplete;
	uint64_t loss_marks;
	uint64_t unmatched;
	uint64_t threads_evicted;
	uint64_t threads_dropped;
	uint64_t orphan_pf;
	uint64_t idle_roots;	/* KVM-side roots that faulted nothing in */
};

struct fault_builder *fault_builder_new(const struct builder_config *cfg);
void fault_builder_free(struct fault_builder *b);

/**
 * fault_builder_feed() - process one record
 * @b:		builder
 * @rec:	decoded record, in timestamp order
 * @missed:	events were lost on rec->cpu just before this record
 *
 * Return: 0, or -ENOMEM when a new thread could not be tracked.
 */
int fault_builder_feed(struct fault_builder *b, const struct trace_record *rec,
		       bool missed);

/* End of trace: emit faults still open, marked incomplete. */
void fault_builder_finish(struct fault_builder *b);

const struct builder_stats *fault_builder_stats(const struct fault_builder *b);

#endif /* KVMMMU_FAULT_BUILDER_H */
