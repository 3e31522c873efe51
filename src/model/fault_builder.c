// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fault_builder.c - per-thread pairing of calls and events into faults.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "fault_builder.h"
#include "fault_cause.h"
#include "fault_type.h"
#include "memslot_map.h"
#include "page_counter.h"
#include "profile.h"
#include "spte.h"
#include "symbols.h"

#define MAX_STACK		128
#define NO_NODE			-1
#define PFN_ERR_MASK		(0xfffull << 52)	/* KVM error/noslot pfns */
#define PFN_NOSLOT		(1ull << 63)
#define VMX_EXIT_EPT_MISCONFIG	49	/* Intel: an MMIO spte was hit */

struct pending_pf {
	bool valid;
	uint64_t ts;
	int cpu;
	int vcpu;
	uint64_t gpa;
	uint64_t error_code;
};

/* What a fault has been told by events, besides its tree. */
struct fault_marks {
	bool fast_seen;
	bool spte_seen;
	bool mmio_seen;
	bool misconfig;		/* Intel EPT misconfiguration exit */
};

struct thread_state {
	int tid;
	int tgid;
	char comm[FAULT_COMM_LEN];
	bool in_fault;
	int root_depth;
	int sp;				/* open calls in the fault */
	int overflow;			/* open calls beyond MAX_STACK */
	int stack[MAX_STACK];		/* their node index, or NO_NODE */
	uint32_t stack_func[MAX_STACK];	/* their function */
	struct pending_pf pf;
	struct pending_pf fast_mmio;	/* kvm_fast_mmio outside a fault */
	uint32_t exit_reason;		/* of the thread's last kvm_exit */
	struct fault_marks marks;
	struct fault fault;
};

struct fault_builder {
	struct builder_config cfg;
	struct builder_stats stats;
	struct page_counter *pages;
	struct cause_classifier *causes;
	struct thread_state **threads;	/* open addressing by tid */
	unsigned int threads_cap;
	unsigned int threads_used;
	bool evict_blocked;		/* full of faulting threads */
	unsigned char *phase_of;	/* dense func -> phase, grown lazily */
	unsigned char *root_of;		/* dense func -> ROOT_*, see classify() */
	uint32_t func_cap;
	struct memslot_map slots;	/* learned from memslot records */
};

struct fault_builder *fault_builder_new(const struct builder_config *cfg)
{
	struct fault_builder *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->cfg = *cfg;
	b->pages = page_counter_new();
	b->causes = cause_classifier_new(cfg->prof, cfg->syms);
	b->threads_cap = 64;
	b->threads = calloc(b->threads_cap, sizeof(*b->threads));
	if (!b->pages || !b->threads || !b->causes) {
		fault_builder_free(b);
		return NULL;
	}
	return b;
}

void fault_builder_free(struct fault_builder *b)
{
	unsigned int i;

	if (!b)
		return;
	for (i = 0; i < b->threads_cap && b->threads; i++)
		free(b->threads[i]);
	free(b->threads);
	free(b->phase_of);
	free(b->root_of);
	page_counter_free(b->pages);
	cause_classifier_free(b->causes);
	free(b);
}

const struct builder_stats *fault_builder_stats(const struct fault_builder *b)
{
	return &b->stats;
}

/* ---- thread table ---- */

static struct thread_state **thread_slot(struct thread_state **tab,
					 unsigned int cap, int tid)
{
	unsigned int i = ((unsigned int)tid * 2654435761u) & (cap - 1);

	while (tab[i] && tab[i]->tid != tid)
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static int grow_threads(struct fault_builder *b)
{
	unsigned int ncap = b->threads_cap * 2, i;
	struct thread_state **n = calloc(ncap, sizeof(*n));

	if (!n)
		return -ENOMEM;
	for (i = 0; i < b->threads_cap; i++)
		if (b->threads[i])
			*thread_slot(n, ncap, b->threads[i]->tid) =
				b->threads[i];
	free(b->threads);
	b->threads = n;
	b->threads_cap = ncap;
	return 0;
}

/* Rebuild the table without the threads that are not in a fault. */
static void evict_idle(struct fault_builder *b)
{
	struct thread_state **n = calloc(b->threads_cap, sizeof(*n));
	unsigned int i, kept = 0;
	struct thread_state *t;

	if (!n)
		return;
	for (i = 0; i < b->threads_cap; i++) {
		t = b->threads[i];
		if (!t)
			continue;
		if (t->in_fault || t->pf.valid) {
			*thread_slot(n, b->threads_cap, t->tid) = t;
			kept++;
		} else {
			free(t);
			b->stats.threads_evicted++;
		}
	}
	free(b->threads);
	b->threads = n;
	b->threads_used = kept;
	b->evict_blocked = kept == BUILDER_MAX_THREADS;
}

static struct thread_state *get_thread(struct fault_builder *b, int tid)
{
	struct thread_state **slot;
	struct thread_state *t;

	slot = thread_slot(b->threads, b->threads_cap, tid);
	if (*slot)
		return *slot;
	if (b->threads_used >= BUILDER_MAX_THREADS && !b->evict_blocked) {
		evict_idle(b);
		slot = thread_slot(b->threads, b->threads_cap, tid);
	}
	if (b->threads_used >= BUILDER_MAX_THREADS) {
		b->stats.threads_dropped++;
		return NULL;
	}
	if ((b->threads_used + 1) * 2 > b->threads_cap) {
		if (grow_threads(b))
			return NULL;
		slot = thread_slot(b->threads, b->threads_cap, tid);
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->tid = tid;
	strcpy(t->comm, "-");
	*slot = t;
	b->threads_used++;
	return t;
}

/* ---- function classification, cached per dense index ---- */

/* Dense function indexes are below this (symbols.c caps them lower). */
#define FUNC_CACHE_MAX	(1u << 24)

static int grow_func_cache(struct fault_builder *b, uint32_t idx)
{
	uint32_t ncap = b->func_cap ? b->func_cap : 256;
	unsigned char *p, *r;

	if (idx >= FUNC_CACHE_MAX)	/* UINT32_MAX: out of memory */
		return -ERANGE;
	while (ncap <= idx)
		ncap *= 2;
	p = realloc(b->phase_of, ncap);
	if (!p)
		return -ENOMEM;
	b->phase_of = p;
	r = realloc(b->root_of, ncap);
	if (!r)
		return -ENOMEM;
	b->root_of = r;
	memset(b->root_of + b->func_cap, 0, ncap - b->func_cap);
	b->func_cap = ncap;
	return 0;
}

/* root_of[]: not classified yet, not a root, or ROOT_ORIGIN + origin */
#define ROOT_UNKNOWN	0
#define ROOT_NOT	1
#define ROOT_ORIGIN	2

static void classify(struct fault_builder *b, uint32_t idx)
{
	const char *name;
	int origin;

	if (idx >= b->func_cap && grow_func_cache(b, idx))
		return;
	if (b->root_of[idx] != ROOT_UNKNOWN)
		return;
	name = symbols_name(b->cfg.syms, idx);
	b->phase_of[idx] = (unsigned char)profile_phase_of(b->cfg.prof, name);
	origin = profile_root_origin(b->cfg.prof, name);
	b->root_of[idx] = origin < 0 ? ROOT_NOT :
			  (unsigned char)(ROOT_ORIGIN + origin);
}

/* The origin of the faults root function @idx handles, or -1. */
static int root_origin(struct fault_builder *b, uint32_t idx)
{
	classify(b, idx);
	if (idx >= b->func_cap || b->root_of[idx] < ROOT_ORIGIN)
		return -1;
	return b->root_of[idx] - ROOT_ORIGIN;
}

static uint8_t phase_of(struct fault_builder *b, uint32_t idx)
{
	classify(b, idx);
	return idx < b->func_cap ? b->phase_of[idx] : FAULT_NO_PHASE;
}

/* ---- fault life cycle ---- */

/*
 * Only a guest fault takes the thread's pending kvm_page_fault event: KVM
 * mapping ahead (prefault, async-PF completion) has no exit of its own.
 */
static void start_fault(struct fault_builder *b, struct thread_state *t,
			const struct trace_record *rec, enum fault_origin origin)
{
	struct fault *f = &t->fault;

	memset(f, 0, offsetof(struct fault, nodes));
	f->ts_ns = rec->ts;
	f->cpu = rec->cpu;
	f->vcpu = -1;
	f->gpa = FAULT_UNKNOWN;
	f->hva = FAULT_UNKNOWN;
	f->pfn = FAULT_UNKNOWN;
	f->memslot = -1;
	f->vendor = b->cfg.vendor;
	f->origin = origin;
	f->complete = true;
	if (b->cfg.thread_info)
		b->cfg.thread_info(t->tid, t->comm, &t->tgid, b->cfg.info_ctx);
	f->tid = t->tid;
	f->pid = t->tgid;
	memcpy(f->comm, t->comm, FAULT_COMM_LEN);
	if (t->pf.valid && origin == FAULT_ORIGIN_GUEST) {
		f->ts_ns = t->pf.ts;
		f->cpu = t->pf.cpu;
		f->vcpu = t->pf.vcpu;
		f->gpa = t->pf.gpa;
		f->error_code = t->pf.error_code;
		t->pf.valid = false;
	}
	memset(&t->marks, 0, sizeof(t->marks));
	/*
	 * On VMX an EPT misconfiguration (a cached MMIO spte) enters
	 * kvm_mmu_page_fault with no kvm_page_fault event before it.
	 */
	t->marks.misconfig = b->cfg.vendor == FAULT_VENDOR_INTEL &&
			     origin == FAULT_ORIGIN_GUEST &&
			     f->gpa == FAULT_UNKNOWN &&
			     t->exit_reason == VMX_EXIT_EPT_MISCONFIG;
	t->in_fault = true;
	t->sp = 0;
	t->overflow = 0;
}

static enum fault_kind decide_kind(const struct fault *f,
				   const struct fault_marks *m)
{
	bool noslot = f->pfn != FAULT_UNKNOWN && (f->pfn & PFN_NOSLOT);
	struct fault_access a = { 0 };

	if (f->gpa != FAULT_UNKNOWN)
		fault_type_from_trace(f->error_code,
				      f->vendor == FAULT_VENDOR_INTEL, &a);
	if (m->mmio_seen || m->misconfig || noslot || a.rsvd)
		return FAULT_KIND_MMIO;
	if (m->fast_seen && !m->spte_seen)
		return FAULT_KIND_FAST;
	return FAULT_KIND_NORMAL;
}

static void end_fault(struct fault_builder *b, struct thread_state *t)
{
	struct fault *f = &t->fault;

	f->kind = decide_kind(f, &t->marks);
	if (f->pfn != FAULT_UNKNOWN && (f->pfn & PFN_ERR_MASK))
		f->pfn = FAULT_UNKNOWN;
	if (f->kind == FAULT_KIND_MMIO) {
		f->hva = FAULT_UNKNOWN;
		f->memslot = -1;
	} else if (f->memslot < 0 && f->gpa != FAULT_UNKNOWN) {
		memslot_map_find(&b->slots, f->gpa >> 12, &f->memslot, &f->hva);
	}
	f->count = f->gpa == FAULT_UNKNOWN ? 1 :
		   page_counter_hit(b->pages, f->gpa >> 12);
	f->cause = cause_classify(b->causes, f);
	t->in_fault = false;
	b->evict_blocked = false;
	b->stats.faults++;
	if (!f->complete)
		b->stats.incomplete++;
	b->cfg.emit(f, b->cfg.ctx);
}

static void abort_fault(struct fault_builder *b, struct thread_state *t)
{
	t->fault.complete = false;
	t->fault.delay_ns = 0;
	end_fault(b, t);
}

/* ---- funcgraph ---- */

/*
 * Calls are paired with a per-thread stack, matched by function: the
 * graph depth the kernel reports is not reliable enough to pair with.
 * An interrupt taken while a call is being entered can show its handlers
 * at the depth of that call (seen on 6.1), and frames can be skipped
 * (notrace code, or irq entry with funcgraph-irqs off: irq_enter_rcu
 * shows two levels deeper). Depth only tells a new root from a child.
 */
static void push_call(struct fault_builder *b, struct thread_state *t,
		      uint32_t func)
{
	struct fault *f = &t->fault;
	struct fault_node *n;
	int parent = t->sp ? t->stack[t->sp - 1] : NO_NODE;

	if (t->sp >= MAX_STACK) {
		f->truncated++;
		t->overflow++;		/* calls deeper than the stack */
		return;
	}
	t->stack_func[t->sp] = func;
	if (f->nr_nodes >= FAULT_MAX_NODES || (t->sp && parent == NO_NODE)) {
		f->truncated++;
		t->stack[t->sp++] = NO_NODE;
		return;
	}
	n = &f->nodes[f->nr_nodes];
	memset(n, 0, sizeof(*n));
	n->func = func;
	n->phase = phase_of(b, func);
	n->depth = (uint16_t)t->sp;
	n->parent = parent == NO_NODE ? FAULT_NO_PARENT : (uint16_t)parent;
	t->stack[t->sp++] = (int)f->nr_nodes++;
}

static void end_fast_mmio(struct fault_builder *b, struct thread_state *t,
			  uint64_t ts);

static void on_call_entry(struct fault_builder *b, struct thread_state *t,
			  const struct trace_record *rec)
{
	uint32_t func = symbols_resolve(b->cfg.syms, rec->func);
	int origin = root_origin(b, func);

	if (t->in_fault) {
		/*
		 * Only a root begins a new fault. Anything else, even at the
		 * root's depth, is an interrupt taken while a call (the root
		 * too, as it returned) was entered or left: 6.1 shows its
		 * handlers at that call's depth.
		 */
		if (rec->depth > t->root_depth || origin < 0) {
			push_call(b, t, func);
			return;
		}
		abort_fault(b, t);	/* the root's exit was lost */
	}
	if (origin < 0)
		return;
	end_fast_mmio(b, t, rec->ts);
	start_fault(b, t, rec, (enum fault_origin)origin);
	t->root_depth = rec->depth;
	t->fault.has_tree = true;
	push_call(b, t, func);
}

/* Stack slot of the innermost open call of @func, or -1. */
static int find_open(const struct thread_state *t, uint32_t func)
{
	int k;

	for (k = t->sp - 1; k >= 0; k--)
		if (t->stack_func[k] == func)
			return k;
	return -1;
}

/*
 * A KVM-side root that called nothing did not fault anything in: an
 * async PF "wake all" or a completion KVM dropped (the guest's MMU
 * changed).  The guest's own root always counts: it is one exit.
 */
static bool idle_root(const struct fault *f)
{
	return f->origin != FAULT_ORIGIN_GUEST && f->complete &&
	       f->nr_nodes == 1 && !f->truncated;
}

static void on_call_exit(struct fault_builder *b, struct thread_state *t,
			 const struct trace_record *rec)
{
	struct fault *f = &t->fault;
	uint32_t func;
	int k, idx;

	if (!t->in_fault)
		return;
	if (t->overflow) {
		t->overflow--;
		return;
	}
	func = symbols_resolve(b->cfg.syms, rec->func);
	k = find_open(t, func);
	if (k < 0) {
		/* entered before the fault began (or its entry was lost) */
		b->stats.unmatched++;
		return;
	}
	if (k != t->sp - 1) {
		/* calls above it never returned in the trace */
		b->stats.unmatched++;
		f->complete = false;
	}
	t->sp = k;
	idx = t->stack[k];
	if (idx == NO_NODE)
		return;
	f->nodes[idx].calltime = rec->calltime;
	f->nodes[idx].rettime = rec->rettime;
	if (k == 0) {
		f->delay_ns = fault_node_duration(&f->nodes[idx]);
		if (idle_root(f)) {
			t->in_fault = false;
			b->stats.idle_roots++;
			return;
		}
		end_fault(b, t);
	}
}

/* ---- kvm / kvmmmu events ---- */

static void on_page_fault(struct fault_builder *b, struct thread_state *t,
			  const struct trace_record *rec)
{
	end_fast_mmio(b, t, rec->ts);
	if (b->cfg.events_only && t->in_fault)
		abort_fault(b, t);	/* no kvm_entry seen in between */
	if (!b->cfg.events_only && t->pf.valid)
		b->stats.orphan_pf++;	/* the one before had no root */
	t->pf = (struct pending_pf){ .valid = true, .ts = rec->ts,
		.cpu = rec->cpu, .vcpu = rec->vcpu, .gpa = rec->addr,
		.error_code = rec->error_code };
	if (b->cfg.events_only)
		start_fault(b, t, rec, FAULT_ORIGIN_GUEST);
}

/*
 * A fast MMIO write (an ioeventfd, kvm:kvm_fast_mmio) is answered before
 * kvm_mmu_page_fault: on Intel from an EPT misconfiguration, on AMD from
 * 7.x.  It is an MMIO fault of its own, from the event to the vCPU's next
 * entry (or the next thing the thread does in KVM's fault path).
 */
static void end_fast_mmio(struct fault_builder *b, struct thread_state *t,
			  uint64_t ts)
{
	struct trace_record at = { .ts = t->fast_mmio.ts,
				   .cpu = t->fast_mmio.cpu };

	if (!t->fast_mmio.valid || t->in_fault)
		return;
	t->fast_mmio.valid = false;
	start_fault(b, t, &at, FAULT_ORIGIN_GUEST);
	if (t->fault.gpa == FAULT_UNKNOWN)
		t->fault.gpa = t->fast_mmio.gpa;
	if (t->fault.vcpu < 0)
		t->fault.vcpu = t->fast_mmio.vcpu;
	t->marks.mmio_seen = true;
	t->fault.delay_ns = ts > at.ts ? ts - at.ts : 0;
	t->fault.complete = ts > at.ts;	/* no end seen at the trace's end */
	end_fault(b, t);
}

static void on_fast_mmio(struct fault_builder *b, struct thread_state *t,
			 const struct trace_record *rec)
{
	if (t->in_fault) {		/* inside kvm_mmu_page_fault */
		t->marks.mmio_seen = true;
		if (t->fault.gpa == FAULT_UNKNOWN)
			t->fault.gpa = rec->addr;
		return;
	}
	end_fast_mmio(b, t, rec->ts);
	t->fast_mmio = (struct pending_pf){ .valid = true, .ts = rec->ts,
		.cpu = rec->cpu, .vcpu = rec->vcpu, .gpa = rec->addr };
}

static void on_kvm_entry(struct fault_builder *b, struct thread_state *t,
			 const struct trace_record *rec)
{
	end_fast_mmio(b, t, rec->ts);
	if (t->pf.valid && !b->cfg.events_only)
		b->stats.orphan_pf++;	/* a pf event not followed by a root */
	t->pf.valid = false;
	if (!b->cfg.events_only || !t->in_fault)
		return;
	t->fault.delay_ns = rec->ts - t->fault.ts_ns;
	end_fault(b, t);
}

static void on_memslot(struct thread_state *t, const struct trace_record *rec)
{
	struct fault *f = &t->fault;
	uint64_t gfn = rec->addr >> 12;

	if (rec->slot_id < 0)
		return;	/* called without a slot (MMIO, no memslot) */
	if (f->memslot >= 0)
		return;	/* the fault-in came first; later calls prefetch */
	f->memslot = rec->slot_id;
	if (gfn >= rec->base_gfn)
		f->hva = rec->uaddr + ((gfn - rec->base_gfn) << 12);
}

/*
 * The fast path installs an SPTE without a fault-in, so no
 * kvm_mmu_spte_requested: its PFN is in the new SPTE.  An event that
 * says the fast path gave up (its ret) installed nothing: the slow path
 * follows, and may itself map nothing (a retry).  Without ret, a later
 * kvm_mmu_spte_requested (the fast path gave up) overrides it.
 */
static void on_fast_pf(struct fault_builder *b, struct thread_state *t,
		       const struct trace_record *rec)
{
	struct fault *f = &t->fault;
	uint64_t gpa = f->gpa != FAULT_UNKNOWN ? f->gpa : rec->addr;

	if (rec->fast_fixed == 0)
		return;
	t->marks.fast_seen = true;
	if (!t->marks.spte_seen)
		spte_pfn(rec->spte, gpa, b->cfg.phys_bits, &f->pfn);
}

static void on_fault_event(struct fault_builder *b, struct thread_state *t,
			   const struct trace_record *rec)
{
	switch (rec->type) {
	case REC_SPTE_REQUESTED:
		t->marks.spte_seen = true;
		t->fault.pfn = rec->pfn;
		if (t->fault.gpa == FAULT_UNKNOWN)	/* prefault, async PF */
			t->fault.gpa = rec->addr;
		break;
	case REC_FAST_PF:
		on_fast_pf(b, t, rec);
		break;
	case REC_MMIO_PF:
		t->marks.mmio_seen = true;
		if (t->fault.gpa == FAULT_UNKNOWN)
			t->fault.gpa = rec->addr;
		break;
	case REC_MEMSLOT:
		on_memslot(t, rec);
		break;
	default:
		break;
	}
}

static void on_loss(struct fault_builder *b)
{
	unsigned int i;

	b->stats.loss_marks++;
	for (i = 0; i < b->threads_cap; i++) {
		struct thread_state *t = b->threads[i];

		if (!t)
			continue;
		t->pf.valid = false;
		if (t->in_fault)
			t->fault.complete = false;
	}
}

int fault_builder_feed(struct fault_builder *b, const struct trace_record *rec,
		       bool missed)
{
	struct thread_state *t;
	uint64_t dropped;

	b->stats.records++;
	if (missed)
		on_loss(b);
	if (rec->type == REC_OTHER)
		return 0;
	if ((rec->type == REC_MEMSLOT || rec->type == REC_MEMSLOT_LEARN) &&
	    rec->slot_id >= 0)
		memslot_map_learn(&b->slots, rec->slot_id, rec->base_gfn,
				  rec->npages, rec->uaddr);
	/*
	 * A memslot_learn record names the slot of a gfn KVM marked dirty,
	 * perhaps not the fault's (shadow paging sets the guest's A/D bits
	 * first): it teaches the map, which end_fault() asks by the fault's
	 * own gfn.
	 */
	if (rec->type == REC_MEMSLOT_LEARN)
		return 0;
	dropped = b->stats.threads_dropped;
	t = get_thread(b, rec->tid);
	if (!t)	/* too many threads in faults (counted), or no memory */
		return b->stats.threads_dropped != dropped ? 0 : -ENOMEM;
	switch (rec->type) {
	case REC_FG_ENTRY:
		on_call_entry(b, t, rec);
		break;
	case REC_FG_EXIT:
		on_call_exit(b, t, rec);
		break;
	case REC_PAGE_FAULT:
		on_page_fault(b, t, rec);
		break;
	case REC_KVM_ENTRY:
		on_kvm_entry(b, t, rec);
		break;
	case REC_KVM_EXIT:
		t->exit_reason = rec->exit_reason;
		break;
	case REC_FAST_MMIO:
		on_fast_mmio(b, t, rec);
		break;
	default:
		if (t->in_fault)
			on_fault_event(b, t, rec);
		break;
	}
	return 0;
}

void fault_builder_finish(struct fault_builder *b)
{
	unsigned int i;

	for (i = 0; i < b->threads_cap; i++) {
		if (b->threads[i] && b->threads[i]->in_fault)
			abort_fault(b, b->threads[i]);
		if (b->threads[i] && b->threads[i]->fast_mmio.valid)
			end_fast_mmio(b, b->threads[i],
				      b->threads[i]->fast_mmio.ts);
	}
}
