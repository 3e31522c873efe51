/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace_events.h - decode the raw payloads of the events kvmmmu-graph uses.
 *
 * Field offsets are looked up once by name in the event format files
 * (through libtraceevent); decoding a record is then a switch on the
 * event id and a few loads, with no allocation.
 */
#ifndef KVMMMU_TRACE_EVENTS_H
#define KVMMMU_TRACE_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tep_handle;

enum rec_type {
	REC_OTHER = 0,
	REC_FG_ENTRY,		/* ftrace/funcgraph_entry */
	REC_FG_EXIT,		/* ftrace/funcgraph_exit */
	REC_PAGE_FAULT,		/* kvm/kvm_page_fault */
	REC_KVM_ENTRY,		/* kvm/kvm_entry */
	REC_KVM_EXIT,		/* kvm/kvm_exit */
	REC_SPTE_REQUESTED,	/* kvmmmu/kvm_mmu_spte_requested */
	REC_FAST_PF,		/* kvmmmu/fast_page_fault */
	REC_MMIO_PF,		/* kvmmmu/handle_mmio_page_fault */
	REC_SET_SPTE,		/* kvmmmu/kvm_mmu_set_spte */
	REC_MEMSLOT,		/* kvmmmu_graph/memslot probe (if any) */
	REC_FAST_MMIO,		/* kvm/kvm_fast_mmio */
	REC_MEMSLOT_LEARN,	/* kvmmmu_graph/memslot_learn probe (if any) */
	REC_TYPE_COUNT
};

/**
 * struct trace_record - one decoded event
 * @type:	what it is; REC_OTHER for events we do not use
 * @cpu:	CPU whose buffer held it
 * @ts:		ring-buffer timestamp (trace clock), ns
 * @tid:	common_pid of the event (the thread)
 * @func:	function address (funcgraph)
 * @depth:	graph depth (funcgraph)
 * @calltime:	entry time (funcgraph_exit)
 * @rettime:	return time (funcgraph_exit)
 * @vcpu:	vcpu id (kvm events), -1 if absent
 * @addr:	GPA (page fault, fast pf, mmio) or gfn << 12 (spte events)
 * @error_code:	error code (page fault, fast pf)
 * @pfn:	host pfn (spte requested / set spte), UINT64_MAX if absent
 * @spte:	the new SPTE a fast-path fault installed (fast pf), 0 if absent
 * @exit_info:	kvm_exit info1 (EPT exit qualification on Intel)
 * @exit_reason: kvm_exit exit reason
 * @slot_id:	memslot id (memslot probes), -1 when called without a slot
 * @base_gfn:	memslot base gfn (memslot probe)
 * @uaddr:	memslot userspace address (memslot probe)
 * @npages:	memslot size in pages (memslot probe), 0 if absent
 * @fast_ret:	fast pf: the RET_PF_* value it returned, INT_MIN if absent
 * @fast_fixed:	fast pf: 1 if the fast path fixed the fault (RET_PF_FIXED
 *		or RET_PF_SPURIOUS, read from the event's print fmt), 0 if
 *		it gave up (the slow path follows), -1 if it cannot be told
 */
struct trace_record {
	enum rec_type type;
	int cpu;
	uint64_t ts;
	int tid;
	uint64_t func;
	int depth;
	uint64_t calltime;
	uint64_t rettime;
	int vcpu;
	uint64_t addr;
	uint64_t error_code;
	uint64_t pfn;
	uint64_t spte;
	uint64_t exit_info;
	uint32_t exit_reason;
	int slot_id;
	uint64_t base_gfn;
	uint64_t uaddr;
	uint64_t npages;
	int fast_ret;
	int fast_fixed;
};

struct event_decoder;

/**
 * event_decoder_wanted() - the events the decoder can use, one by one
 * @i:		index, from 0
 * @system:	filled with the event's system ("kvm")
 * @name:	filled with the event's name ("kvm_page_fault")
 * Return: false past the last one.
 */
bool event_decoder_wanted(unsigned int i, const char **system,
			  const char **name);

/**
 * event_decoder_new() - look up the events and fields in @tep
 * @tep:	event formats of the kernel (live tracefs or a recording)
 *
 * Events that the kernel does not have are simply not decoded; use
 * event_decoder_has() to ask. The offsets and sizes of the fields used
 * are checked against the largest event a page can hold, the 8-byte
 * common header and each other, so no payload is read out of bounds.
 * Return: the decoder, or NULL with @err set (a field that does not fit,
 * or out of memory).
 */
struct event_decoder *event_decoder_new(struct tep_handle *tep, char *err,
					size_t errlen);
void event_decoder_free(struct event_decoder *dec);

/* True when the kernel's formats offer records of @type. */
bool event_decoder_has(const struct event_decoder *dec, enum rec_type type);

/**
 * event_decode() - decode one raw event payload
 * @dec:	decoder
 * @data:	payload as returned by kbuffer_read_event()
 * @size:	payload size in bytes
 * @rec:	filled in; rec->cpu and rec->ts are left to the caller
 *
 * Return: the record type (REC_OTHER for unknown events), or -1 when the
 * payload is too short for its event's format.
 */
int event_decode(const struct event_decoder *dec, const void *data,
		 unsigned int size, struct trace_record *rec);

#endif /* KVMMMU_TRACE_EVENTS_H */
