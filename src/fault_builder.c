// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fault_builder.c - per-thread pairing of calls and events into faults.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "fault_builder.h"
#include "fault_type.h"
#include "page_counter.h"
#include "profile.h"
#include "symbols.h"

#define MAX_REL_DEPTH		128
#define NO_NODE			-1
#define PFN_ERR_MASK		(0xfffull << 52)	/* KVM error/noslot pfns */
#define PFN_NOSLOT		(1ull << 63)

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
};

struct thread_state {
	int tid;
	int tgid;
	char comm[FAULT_COMM_LEN];
	bool in_fault;
	int root_depth;
	int cur_rel;			/* deepest open relative depth */
	int open[MAX_REL_DEPTH];	/* node index per relative depth */
	struct pending_pf pf;
	struct fault_marks marks;
	struct fault fault;
};

struct fault_builder {
	struct builder_config cfg;
	struct builder_stats stats;
	struct page_counter *pages;
	struct thread_state **threads;	/* open addressing by tid */
	unsigned int threads_cap;
	unsigned int threads_used;
	unsigned char *phase_of;	/* dense func -> phase, grown lazily */
	unsigned char *root_of;		/* dense func -> 1 root, 2 not, 0 ? */
	uint32_t func_cap;
};

struct fault_builder *fault_builder_new(const struct builder_config *cfg)
{
	struct fault_builder *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->cfg = *cfg;
	b->pages = page_counter_new();
	b->threads_cap = 64;
	b->threads = calloc(b->threads_cap, sizeof(*b->threads));
	if (!b->pages || !b->threads) {
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

static struct thread_state *get_thread(struct fault_builder *b, int tid)
{
	struct thread_state **slot;
	struct thread_state *t;

	slot = thread_slot(b->threads, b->threads_cap, tid);
	if (*slot)
		return *slot;
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

static int grow_func_cache(struct fault_builder *b, uint32_t idx)
{
	uint32_t ncap = b->func_cap ? b->func_cap : 256;
	unsigned char *p, *r;

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

static void classify(struct fault_builder *b, uint32_t idx)
{
	const char *name;

	if (idx >= b->func_cap && grow_func_cache(b, idx))
		return;
	if (b->root_of[idx])
		return;
	name = symbols_name(b->cfg.syms, idx);
	b->phase_of[idx] = (unsigned char)profile_phase_of(b->cfg.prof, name);
	b->root_of[idx] = profile_is_root(b->cfg.prof, name) ? 1 : 2;
}

static bool is_root(struct fault_builder *b, uint32_t idx)
{
	classify(b, idx);
	return idx < b->func_cap && b->root_of[idx] == 1;
}

static uint8_t phase_of(struct fault_builder *b, uint32_t idx)
{
	classify(b, idx);
	return idx < b->func_cap ? b->phase_of[idx] : FAULT_NO_PHASE;
}

/* ---- fault life cycle ---- */

static void start_fault(struct fault_builder *b, struct thread_state *t,
			const struct trace_record *rec)
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
	f->complete = true;
	if (b->cfg.thread_info)
		b->cfg.thread_info(t->tid, t->comm, &t->tgid, b->cfg.info_ctx);
	f->tid = t->tid;
	f->pid = t->tgid;
	memcpy(f->comm, t->comm, FAULT_COMM_LEN);
	if (t->pf.valid) {
		f->ts_ns = t->pf.ts;
		f->cpu = t->pf.cpu;
		f->vcpu = t->pf.vcpu;
		f->gpa = t->pf.gpa;
		f->error_code = t->pf.error_code;
		t->pf.valid = false;
	}
	memset(&t->marks, 0, sizeof(t->marks));
	t->in_fault = true;
	t->cur_rel = -1;
}

static enum fault_kind decide_kind(const struct fault *f,
				   const struct fault_marks *m)
{
	bool noslot = f->pfn != FAULT_UNKNOWN && (f->pfn & PFN_NOSLOT);
	struct fault_access a = { 0 };

	if (f->gpa != FAULT_UNKNOWN)
		fault_type_from_trace(f->error_code,
				      f->vendor == FAULT_VENDOR_INTEL, &a);
	if (m->mmio_seen || noslot || a.rsvd)
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
	}
	f->count = f->gpa == FAULT_UNKNOWN ? 1 :
		   page_counter_hit(b->pages, f->gpa >> 12);
	t->in_fault = false;
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

static void add_node(struct fault_builder *b, struct thread_state *t,
		     uint32_t func, int rel)
{
	struct fault *f = &t->fault;
	struct fault_node *n;
	int parent = rel > 0 ? t->open[rel - 1] : NO_NODE;

	t->cur_rel = rel;
	if (f->nr_nodes >= FAULT_MAX_NODES || (rel > 0 && parent == NO_NODE)) {
		f->truncated++;
		t->open[rel] = NO_NODE;
		return;
	}
	n = &f->nodes[f->nr_nodes];
	memset(n, 0, sizeof(*n));
	n->func = func;
	n->phase = phase_of(b, func);
	n->depth = (uint16_t)rel;
	n->parent = parent == NO_NODE ? FAULT_NO_PARENT : (uint16_t)parent;
	t->open[rel] = (int)f->nr_nodes++;
}

/*
 * A call can appear deeper than its caller + 1: frames in between were not
 * traced (notrace code, or an interrupt's entry path with funcgraph-irqs
 * off, whose first traced function is irq_enter_rcu). Its parent is the
 * deepest open call, so the skipped depths point there.
 */
static void bridge_gap(struct thread_state *t, int rel)
{
	int k, parent = t->cur_rel >= 0 ? t->open[t->cur_rel] : NO_NODE;

	for (k = t->cur_rel + 1; k < rel; k++)
		t->open[k] = parent;
}

static void on_call_entry(struct fault_builder *b, struct thread_state *t,
		     const struct trace_record *rec)
{
	uint32_t func = symbols_resolve(b->cfg.syms, rec->func);
	int rel;

	if (t->in_fault) {
		rel = rec->depth - t->root_depth;
		if (rel > 0 && rel < MAX_REL_DEPTH) {
			bridge_gap(t, rel);
			add_node(b, t, func, rel);
			return;
		}
		if (rel >= MAX_REL_DEPTH) {
			t->fault.truncated++;
			return;
		}
		abort_fault(b, t);	/* the root's exit was lost */
	}
	if (!is_root(b, func))
		return;
	start_fault(b, t, rec);
	t->root_depth = rec->depth;
	t->fault.has_tree = true;
	add_node(b, t, func, 0);
}

static void on_call_exit(struct fault_builder *b, struct thread_state *t,
		    const struct trace_record *rec)
{
	struct fault *f = &t->fault;
	int rel = rec->depth - t->root_depth, idx;
	struct fault_node *n;

	if (!t->in_fault || rel >= MAX_REL_DEPTH)
		return;
	if (rel < 0 || rel > t->cur_rel) {
		b->stats.unmatched++;
		abort_fault(b, t);
		return;
	}
	idx = t->open[rel];
	t->cur_rel = rel - 1;
	if (idx == NO_NODE)
		return;
	n = &f->nodes[idx];
	if (n->func != symbols_resolve(b->cfg.syms, rec->func)) {
		b->stats.unmatched++;
		f->complete = false;
	}
	n->calltime = rec->calltime;
	n->rettime = rec->rettime;
	if (rel == 0) {
		f->delay_ns = fault_node_duration(n);
		end_fault(b, t);
	}
}

/* ---- kvm / kvmmmu events ---- */

static void on_page_fault(struct fault_builder *b, struct thread_state *t,
			  const struct trace_record *rec)
{
	if (b->cfg.events_only && t->in_fault)
		abort_fault(b, t);	/* no kvm_entry seen in between */
	t->pf = (struct pending_pf){ .valid = true, .ts = rec->ts,
		.cpu = rec->cpu, .vcpu = rec->vcpu, .gpa = rec->addr,
		.error_code = rec->error_code };
	if (b->cfg.events_only)
		start_fault(b, t, rec);
}

static void on_kvm_entry(struct fault_builder *b, struct thread_state *t,
			 const struct trace_record *rec)
{
	t->pf.valid = false;	/* a pf event not followed by a root */
	if (!b->cfg.events_only || !t->in_fault)
		return;
	t->fault.delay_ns = rec->ts - t->fault.ts_ns;
	end_fault(b, t);
}

static void on_memslot(struct thread_state *t, const struct trace_record *rec)
{
	struct fault *f = &t->fault;
	uint64_t gfn = rec->addr >> 12;

	f->memslot = rec->slot_id;
	if (gfn >= rec->base_gfn)
		f->hva = rec->uaddr + ((gfn - rec->base_gfn) << 12);
}

static void on_fault_event(struct thread_state *t,
			   const struct trace_record *rec)
{
	switch (rec->type) {
	case REC_SPTE_REQUESTED:
		t->marks.spte_seen = true;
		t->fault.pfn = rec->pfn;
		break;
	case REC_FAST_PF:
		t->marks.fast_seen = true;
		break;
	case REC_MMIO_PF:
		t->marks.mmio_seen = true;
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

	b->stats.records++;
	if (missed)
		on_loss(b);
	if (rec->type == REC_OTHER)
		return 0;
	t = get_thread(b, rec->tid);
	if (!t)
		return -ENOMEM;
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
	default:
		if (t->in_fault)
			on_fault_event(t, rec);
		break;
	}
	return 0;
}

void fault_builder_finish(struct fault_builder *b)
{
	unsigned int i;

	for (i = 0; i < b->threads_cap; i++)
		if (b->threads[i] && b->threads[i]->in_fault)
			abort_fault(b, b->threads[i]);
}
