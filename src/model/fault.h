/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fault.h - one rebuilt KVM second-level page fault.
 *
 * A fault is produced by the fault builder when the root call of the
 * profile (kvm_mmu_page_fault) returns, or, in the events-only strategy,
 * when the faulting vCPU enters the guest again.  Consumers (live lines,
 * JSON, trees, summaries, flame output) receive a const pointer that is
 * only valid during the callback: the storage is reused for the next
 * fault of the same thread.
 */
#ifndef KVMMMU_FAULT_H
#define KVMMMU_FAULT_H

#include <stdbool.h>
#include <stdint.h>

#include "vendor.h"

#define FAULT_MAX_NODES		512
#define FAULT_NO_PARENT		0xffffu
#define FAULT_UNKNOWN		UINT64_MAX
#define FAULT_NO_PHASE		0xffu
#define FAULT_COMM_LEN		16
#define FAULT_CAUSE_OTHER	0xfeu	/* no cause rule matched */
#define FAULT_CAUSE_UNKNOWN	0xffu	/* no call tree to decide from */

/* What kind of fault it was, decided from error code, events and tree. */
enum fault_kind {
	FAULT_KIND_NORMAL,	/* slow path: faultin pfn + map */
	FAULT_KIND_FAST,	/* fixed by fast_page_fault, no faultin */
	FAULT_KIND_MMIO,	/* emulated device memory (no memslot) */
	FAULT_KIND_COUNT
};

/*
 * Who asked for the fault: the guest (a second-level fault KVM took on a
 * vCPU exit), or KVM itself mapping a page ahead of the guest through
 * the same fault handler.  Only guest faults count in KVM's pf_taken.
 */
enum fault_origin {
	FAULT_ORIGIN_GUEST,	/* root kvm_mmu_page_fault */
	FAULT_ORIGIN_PREFAULT,	/* KVM_PRE_FAULT_MEMORY (6.10+) */
	FAULT_ORIGIN_ASYNC_PF,	/* an async page fault's page came in */
	FAULT_ORIGIN_COUNT
};

/**
 * struct fault_node - one function call inside a fault
 * @func:	index in the symbol table (see symbols.h)
 * @phase:	phase index in the profile, FAULT_NO_PHASE if none
 * @depth:	depth below the fault's root (root is 0)
 * @parent:	index of the parent node, FAULT_NO_PARENT for the root
 * @calltime:	entry time in ns (funcgraph clock)
 * @rettime:	return time in ns, 0 if the call never returned in the trace
 */
struct fault_node {
	uint32_t func;
	uint8_t phase;
	uint8_t pad;
	uint16_t depth;
	uint16_t parent;
	uint16_t pad2;
	uint64_t calltime;
	uint64_t rettime;
};

/**
 * struct fault - a rebuilt fault
 * @ts_ns:	trace timestamp of the kvm_page_fault event (trace clock)
 * @cpu:	CPU the fault started on
 * @pid:	thread group (VM process) id, 0 if unknown
 * @tid:	vCPU thread id
 * @comm:	thread name
 * @vcpu:	vCPU index from kvm_page_fault, -1 if unknown
 * @gpa:	faulting guest physical address
 * @error_code:	raw error code as the kernel reported it
 * @vendor:	how to decode @error_code
 * @kind:	normal / fast / MMIO
 * @origin:	guest, prefault or async-pf (from the root function)
 * @complete:	false when lost events or truncation touched this fault
 * @has_tree:	true when @nodes holds the call tree (function_graph ran)
 * @delay_ns:	root call duration (or event delay in events-only mode)
 * @count:	faults seen so far on this guest page in this run (>= 1)
 * @hva:	host virtual address, FAULT_UNKNOWN if unknown
 * @pfn:	host page frame number, FAULT_UNKNOWN if unknown
 * @memslot:	memslot id, -1 if unknown
 * @cause:	index of the profile's cause rule that matched,
 *		FAULT_CAUSE_OTHER or FAULT_CAUSE_UNKNOWN (fault_cause.h)
 * @nr_nodes:	valid entries in @nodes
 * @truncated:	calls that did not fit in @nodes
 * @nodes:	calls in entry order, nodes[0] is the root
 */
struct fault {
	uint64_t ts_ns;
	int cpu;
	int pid;
	int tid;
	char comm[FAULT_COMM_LEN];
	int vcpu;
	uint64_t gpa;
	uint64_t error_code;
	enum fault_vendor vendor;
	enum fault_kind kind;
	enum fault_origin origin;
	bool complete;
	bool has_tree;
	uint64_t delay_ns;
	uint32_t count;
	uint64_t hva;
	uint64_t pfn;
	int memslot;
	uint8_t cause;
	uint32_t nr_nodes;
	uint32_t truncated;
	struct fault_node nodes[FAULT_MAX_NODES];
};

static inline uint64_t fault_node_duration(const struct fault_node *n)
{
	return n->rettime > n->calltime ? n->rettime - n->calltime : 0;
}

const char *fault_kind_name(enum fault_kind kind);
const char *fault_origin_name(enum fault_origin origin);

/**
 * fault_origin_from_name() - the origin a profile's origin=NAME names
 * @name:	"guest", "prefault" or "async-pf"
 *
 * Return: the origin, or -1 for any other name.
 */
int fault_origin_from_name(const char *name);

#endif /* KVMMMU_FAULT_H */
