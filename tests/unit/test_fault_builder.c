// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_fault_builder.c - fault rebuilding from constructed record streams.
 */
#define TEST_SUITE "fault_builder"
#include <stdlib.h>
#include <unistd.h>

#include "fault_builder.h"
#include "profile.h"
#include "symbols.h"
#include "summary.h"
#include "testlib.h"

#define A_ROOT		0xffffffffa0001000ull	/* kvm_mmu_page_fault */
#define A_TDP		0xffffffffa0002000ull	/* kvm_tdp_page_fault */
#define A_FAULTIN	0xffffffffa0003000ull	/* kvm_faultin_pfn */
#define A_MAP		0xffffffffa0004000ull	/* kvm_tdp_mmu_map */
#define A_FAST		0xffffffffa0005000ull	/* fast_page_fault */
#define A_RUN		0xffffffffa0006000ull	/* vcpu_run */
#define A_PREFAULT	0xffffffffa0008000ull	/* kvm_arch_vcpu_pre_fault_memory */

static struct profile *prof;
static struct symbols *syms;
static struct fault last;
static int nr_emitted;
static uint64_t ts_clock;

static void capture_fault(const struct fault *f, void *ctx)
{
	(void)ctx;
	last = *f;
	nr_emitted++;
}

static struct fault_builder *new_builder(enum fault_vendor v, bool events_only)
{
	struct builder_config cfg = {
		.prof = prof, .syms = syms, .vendor = v,
		.events_only = events_only, .emit = capture_fault,
	};

	nr_emitted = 0;
	memset(&last, 0, sizeof(last));
	return fault_builder_new(&cfg);
}

static void feed(struct fault_builder *b, struct trace_record r)
{
	r.ts = ++ts_clock * 1000;
	fault_builder_feed(b, &r, false);
}

static struct trace_record pf(int tid, int cpu, uint64_t gpa, uint64_t ec)
{
	return (struct trace_record){ .type = REC_PAGE_FAULT, .tid = tid,
		.cpu = cpu, .vcpu = 0, .addr = gpa, .error_code = ec,
		.pfn = UINT64_MAX, .slot_id = -1 };
}

static struct trace_record ent(int tid, int cpu, uint64_t func, int depth)
{
	return (struct trace_record){ .type = REC_FG_ENTRY, .tid = tid,
		.cpu = cpu, .func = func, .depth = depth };
}

static struct trace_record ext(int tid, int cpu, uint64_t func, int depth,
			       uint64_t call, uint64_t ret)
{
	return (struct trace_record){ .type = REC_FG_EXIT, .tid = tid,
		.cpu = cpu, .func = func, .depth = depth, .calltime = call,
		.rettime = ret };
}

static struct trace_record ev(enum rec_type t, int tid, uint64_t pfn)
{
	/* a fast pf of unknown outcome, as in recordings without ret */
	return (struct trace_record){ .type = t, .tid = tid, .pfn = pfn,
		.addr = 0x1000, .vcpu = 0, .fast_fixed = -1 };
}

/* A slow-path fault rooted at @depth: pf, root{tdp{faultin; map}}. */
static void normal_fault(struct fault_builder *b, int tid, uint64_t gpa,
			 int depth, int cpu_exit)
{
	feed(b, pf(tid, 0, gpa, 0x100000006ull));
	feed(b, ent(tid, 0, A_ROOT, depth));
	feed(b, ent(tid, 0, A_TDP, depth + 1));
	feed(b, ent(tid, 0, A_FAULTIN, depth + 2));
	feed(b, ext(tid, 0, A_FAULTIN, depth + 2, 1200, 1700));
	feed(b, ev(REC_SPTE_REQUESTED, tid, 0x1234));
	feed(b, ent(tid, cpu_exit, A_MAP, depth + 2));
	feed(b, ext(tid, cpu_exit, A_MAP, depth + 2, 1800, 2000));
	feed(b, ext(tid, cpu_exit, A_TDP, depth + 1, 1100, 2100));
	feed(b, ext(tid, cpu_exit, A_ROOT, depth, 1000, 2500));
}

TEST(slow_path_fault_has_tree_delay_and_pfn)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);

	normal_fault(b, 100, 0x40001000, 0, 0);
	CHECK_EQ(nr_emitted, 1);
	CHECK_EQ(last.gpa, 0x40001000);
	CHECK_EQ(last.delay_ns, 1500);
	CHECK_EQ(last.nr_nodes, 4);
	CHECK_EQ(last.pfn, 0x1234);
	CHECK_EQ(last.kind, FAULT_KIND_NORMAL);
	CHECK(last.complete);
	CHECK_EQ(last.count, 1);
	CHECK_STR(symbols_name(syms, last.nodes[2].func), "kvm_faultin_pfn");
	CHECK_EQ(last.nodes[2].parent, 1);
	CHECK_EQ(last.nodes[3].parent, 1);
	fault_builder_free(b);
}

TEST(phases_are_inclusive_per_fault)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);
	uint64_t ns[PROFILE_MAX_PHASES];
	unsigned char seen[PROFILE_MAX_PHASES];
	unsigned int faultin = profile_phase_of(prof, "kvm_faultin_pfn");
	unsigned int map = profile_phase_of(prof, "kvm_tdp_mmu_map");

	normal_fault(b, 100, 0x40001000, 0, 0);
	fault_phase_times(&last, profile_nr_phases(prof), ns, seen);
	CHECK(seen[faultin] && seen[map]);
	CHECK_EQ(ns[faultin], 500);
	CHECK_EQ(ns[map], 200);
	fault_builder_free(b);
}

TEST(vcpu_thread_migrating_mid_fault_is_paired_by_thread)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);

	normal_fault(b, 100, 0x40002000, 0, 1);
	CHECK_EQ(nr_emitted, 1);
	CHECK(last.complete);
	CHECK_EQ(last.delay_ns, 1500);
	fault_builder_free(b);
}

TEST(root_below_other_traced_calls_instance_strategy)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);

	feed(b, ent(7, 0, A_RUN, 3));	/* outside any fault: ignored */
	normal_fault(b, 7, 0x5000, 4, 0);
	feed(b, ext(7, 0, A_RUN, 3, 10, 9999));
	CHECK_EQ(nr_emitted, 1);
	CHECK_EQ(last.nr_nodes, 4);
	CHECK_EQ(last.nodes[0].depth, 0);
	CHECK_EQ(last.delay_ns, 1500);
	fault_builder_free(b);
}

TEST(interleaved_threads_do_not_mix)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);

	feed(b, pf(1, 0, 0x1000, 2));
	feed(b, ent(1, 0, A_ROOT, 0));
	feed(b, pf(2, 1, 0x2000, 2));
	feed(b, ent(2, 1, A_ROOT, 0));
	feed(b, ent(1, 0, A_FAST, 1));
	feed(b, ext(2, 1, A_ROOT, 0, 100, 400));
	CHECK_EQ(nr_emitted, 1);
	CHECK_EQ(last.gpa, 0x2000);
	CHECK_EQ(last.nr_nodes, 1);
	feed(b, ext(1, 0, A_FAST, 1, 60, 70));
	feed(b, ext(1, 0, A_ROOT, 0, 50, 90));
	CHECK_EQ(nr_emitted, 2);
	CHECK_EQ(last.gpa, 0x1000);
	CHECK_EQ(last.nr_nodes, 2);
	CHECK_EQ(last.delay_ns, 40);
	fault_builder_free(b);
}

TEST(fast_path_without_spte_request_is_fast)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);

	feed(b, pf(1, 0, 0x3000, 0x100000007ull));
	feed(b, ent(1, 0, A_ROOT, 0));
	feed(b, ev(REC_FAST_PF, 1, 0));
	feed(b, ext(1, 0, A_ROOT, 0, 10, 20));
	CHECK_EQ(last.kind, FAULT_KIND_FAST);
	CHECK_EQ(last.pfn, FAULT_UNKNOWN);	/* no SPTE in the event */
	fault_builder_free(b);
}

TEST(fast_path_pfn_comes_from_the_new_spte)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);
	struct trace_record fast = ev(REC_FAST_PF, 1, UINT64_MAX);

	fast.spte = 0x0600000000abc000ull | 0xe77;	/* present, writable, 4K */
	feed(b, pf(1, 0, 0x3000, 0x100000007ull));
	feed(b, ent(1, 0, A_ROOT, 0));
	feed(b, fast);
	feed(b, ext(1, 0, A_ROOT, 0, 10, 20));
	CHECK_EQ(last.kind, FAULT_KIND_FAST);
	CHECK_EQ(last.pfn, 0xabc);
	/* the fast path gave up: the slow path's PFN wins */
	feed(b, pf(1, 0, 0x5000, 0x100000007ull));
	feed(b, ent(1, 0, A_ROOT, 0));
	feed(b, fast);
	feed(b, ev(REC_SPTE_REQUESTED, 1, 0xdef));
	feed(b, ext(1, 0, A_ROOT, 0, 30, 40));
	CHECK_EQ(last.kind, FAULT_KIND_NORMAL);
	CHECK_EQ(last.pfn, 0xdef);
	fault_builder_free(b);
}

TEST(fast_path_that_gave_up_is_no_fast_fault)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);
	struct trace_record fast = ev(REC_FAST_PF, 1, UINT64_MAX);

	/* 6.18 took a write to a page mapped read-only (the zero page):
	 * the fast path gave up (ret RET_PF_INVALID), the slow path faulted
	 * the page in, saw the host page change under it and retried
	 * without mapping anything. KVM counts no pf_fast: neither may we */
	fast.spte = 0x0600000000abc000ull | 0xe75;
	fast.fast_fixed = 0;
	feed(b, pf(1, 0, 0x38000, 0x100000007ull));
	feed(b, ent(1, 0, A_ROOT, 0));
	feed(b, fast);
	feed(b, ext(1, 0, A_ROOT, 0, 10, 20));
	CHECK_EQ(last.kind, FAULT_KIND_NORMAL);
	CHECK_EQ(last.pfn, FAULT_UNKNOWN);	/* nothing was mapped */
	/* one that fixed it is fast */
	fast.fast_fixed = 1;
	feed(b, pf(1, 0, 0x39000, 0x100000007ull));
	feed(b, ent(1, 0, A_ROOT, 0));
	feed(b, fast);
	feed(b, ext(1, 0, A_ROOT, 0, 30, 40));
	CHECK_EQ(last.kind, FAULT_KIND_FAST);
	CHECK_EQ(last.pfn, 0xabc);
	fault_builder_free(b);
}

TEST(fast_mmio_outside_kvm_mmu_page_fault_is_an_mmio_fault)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);
	struct trace_record fm = ev(REC_FAST_MMIO, 1, UINT64_MAX);
	struct trace_record entry = ev(REC_KVM_ENTRY, 1, UINT64_MAX);

	fm.addr = 0xfee00000ull;
	feed(b, fm);
	CHECK_EQ(nr_emitted, 0);
	feed(b, entry);			/* 1000 ns after the event */
	CHECK_EQ(nr_emitted, 1);
	CHECK_EQ(last.kind, FAULT_KIND_MMIO);
	CHECK_EQ(last.gpa, 0xfee00000ull);
	CHECK_EQ(last.delay_ns, 1000);
	CHECK_EQ(last.pfn, FAULT_UNKNOWN);
	CHECK(last.complete);
	/* inside a fault it only marks the fault as MMIO */
	feed(b, pf(1, 0, 0xd0000000, 0x100000006ull));
	feed(b, ent(1, 0, A_ROOT, 0));
	feed(b, fm);
	feed(b, ext(1, 0, A_ROOT, 0, 10, 20));
	CHECK_EQ(nr_emitted, 2);
	CHECK_EQ(last.kind, FAULT_KIND_MMIO);
	CHECK_EQ(last.gpa, 0xd0000000ull);
	/* a second event before any entry closes the first; the trace's
	 * end closes the last one as incomplete */
	feed(b, fm);
	feed(b, fm);
	CHECK_EQ(nr_emitted, 3);
	fault_builder_finish(b);
	CHECK_EQ(nr_emitted, 4);
	CHECK(!last.complete);
	fault_builder_free(b);
}

TEST(amd_rsvd_bit_is_mmio_but_intel_bit3_is_not)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);

	feed(b, pf(1, 0, 0xd0000000, 0x10000000dull));
	feed(b, ent(1, 0, A_ROOT, 0));
	feed(b, ext(1, 0, A_ROOT, 0, 10, 20));
	CHECK_EQ(last.kind, FAULT_KIND_MMIO);
	fault_builder_free(b);

	b = new_builder(FAULT_VENDOR_INTEL, false);
	feed(b, pf(1, 0, 0x3000, 0x189));	/* EPT qual: read, entry R */
	feed(b, ent(1, 0, A_ROOT, 0));
	feed(b, ext(1, 0, A_ROOT, 0, 10, 20));
	CHECK_EQ(last.kind, FAULT_KIND_NORMAL);
	fault_builder_free(b);
}

TEST(noslot_pfn_is_mmio_and_hides_pfn)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);

	feed(b, pf(1, 0, 0xd0000000, 0x100000004ull));
	feed(b, ent(1, 0, A_ROOT, 0));
	feed(b, ev(REC_SPTE_REQUESTED, 1, 0x8000000000000000ull));
	feed(b, ext(1, 0, A_ROOT, 0, 10, 20));
	CHECK_EQ(last.kind, FAULT_KIND_MMIO);
	CHECK_EQ(last.pfn, FAULT_UNKNOWN);
	fault_builder_free(b);
}

TEST(lost_events_mark_open_fault_incomplete)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);
	struct trace_record r = ent(1, 0, A_TDP, 1);

	feed(b, pf(1, 0, 0x3000, 2));
	feed(b, ent(1, 0, A_ROOT, 0));
	r.ts = ++ts_clock * 1000;
	fault_builder_feed(b, &r, true);
	feed(b, ext(1, 0, A_TDP, 1, 10, 15));
	feed(b, ext(1, 0, A_ROOT, 0, 5, 20));
	CHECK_EQ(nr_emitted, 1);
	CHECK(!last.complete);
	CHECK_EQ(fault_builder_stats(b)->loss_marks, 1);
	fault_builder_free(b);
}

TEST(lost_root_exit_closes_fault_as_incomplete)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);

	feed(b, ent(1, 0, A_ROOT, 0));
	feed(b, ent(1, 0, A_ROOT, 0));	/* exit of the first was lost */
	CHECK_EQ(nr_emitted, 1);
	CHECK(!last.complete);
	feed(b, ext(1, 0, A_ROOT, 0, 100, 150));
	CHECK_EQ(nr_emitted, 2);
	CHECK(last.complete);
	CHECK_EQ(last.delay_ns, 50);
	fault_builder_free(b);
}

TEST(untraced_frames_between_calls_keep_the_fault_complete)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);

	/* an interrupt under kvm_tdp_page_fault: its entry frame is not
	 * traced, irq_enter_rcu (here A_RUN) shows two levels deeper */
	feed(b, pf(1, 0, 0x3000, 2));
	feed(b, ent(1, 0, A_ROOT, 0));
	feed(b, ent(1, 0, A_TDP, 1));
	feed(b, ent(1, 0, A_RUN, 3));
	feed(b, ext(1, 0, A_RUN, 3, 20, 25));
	feed(b, ent(1, 0, A_MAP, 2));
	feed(b, ext(1, 0, A_MAP, 2, 30, 40));
	feed(b, ext(1, 0, A_TDP, 1, 10, 50));
	feed(b, ext(1, 0, A_ROOT, 0, 5, 60));
	CHECK_EQ(nr_emitted, 1);
	CHECK(last.complete);
	CHECK_EQ(last.nr_nodes, 4);
	CHECK_EQ(last.nodes[2].parent, 1);	/* irq call hangs off tdp */
	CHECK_EQ(last.nodes[3].parent, 1);
	CHECK_EQ(last.delay_ns, 55);
	fault_builder_free(b);
}

TEST(interrupt_shown_at_the_depth_of_the_interrupted_call)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);

	/* seen on 6.1: handlers of an interrupt taken while A_MAP was being
	 * entered are reported at A_MAP's own depth */
	feed(b, ent(1, 0, A_ROOT, 0));
	feed(b, ent(1, 0, A_MAP, 1));
	feed(b, ent(1, 0, A_RUN, 1));
	feed(b, ext(1, 0, A_RUN, 1, 20, 25));
	feed(b, ext(1, 0, A_MAP, 1, 10, 40));
	feed(b, ext(1, 0, A_ROOT, 0, 5, 60));
	CHECK_EQ(nr_emitted, 1);
	CHECK(last.complete);
	CHECK_EQ(last.nodes[2].parent, 1);
	CHECK_EQ(last.nodes[1].rettime, 40);
	CHECK_EQ(last.delay_ns, 55);
	fault_builder_free(b);
}

/*
 * Seen on 6.1 in CI: an interrupt taken as the root returned shows
 * irq_enter_rcu at the root's own depth, and the root's exit 4 ms later.
 * Not a root, so not a new fault: the fault stays whole.
 */
TEST(interrupt_at_the_root_depth_is_not_a_new_fault)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);

	feed(b, pf(1, 0, 0x17d000, 0x100000007ull));
	feed(b, ent(1, 0, A_ROOT, 0));
	feed(b, ent(1, 0, A_TDP, 1));
	feed(b, ev(REC_FAST_PF, 1, 0));
	feed(b, ext(1, 0, A_TDP, 1, 10, 50));
	feed(b, ent(1, 0, A_RUN, 0));		/* irq_enter_rcu */
	feed(b, ext(1, 0, A_RUN, 0, 200, 208));
	feed(b, ext(1, 0, A_ROOT, 0, 5, 4050));
	CHECK_EQ(nr_emitted, 1);
	CHECK(last.complete);
	CHECK_EQ(last.delay_ns, 4045);
	CHECK_EQ(last.nr_nodes, 3);
	CHECK_EQ(last.nodes[2].parent, 0);
	CHECK_EQ(fault_builder_stats(b)->unmatched, 0);
	fault_builder_free(b);
}

TEST(exit_of_a_call_entered_before_the_fault_is_ignored)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);

	feed(b, ent(1, 0, A_ROOT, 2));
	feed(b, ext(1, 0, A_FAST, 3, 1, 2));	/* no open A_FAST */
	feed(b, ext(1, 0, A_ROOT, 2, 5, 60));
	CHECK_EQ(nr_emitted, 1);
	CHECK(last.complete);
	CHECK_EQ(fault_builder_stats(b)->unmatched, 1);
	fault_builder_free(b);
}

TEST(faults_without_a_memslot_record_use_the_slots_seen)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);
	struct trace_record ms = { .type = REC_MEMSLOT, .tid = 1,
		.slot_id = 2, .base_gfn = 0x40000, .npages = 512,
		.uaddr = 0x7f0000000000ull, .addr = 0x40001000ull };

	feed(b, pf(1, 0, 0x40001000, 0x100000006ull));
	feed(b, ent(1, 0, A_ROOT, 0));
	feed(b, ms);
	feed(b, ext(1, 0, A_ROOT, 0, 10, 20));
	CHECK_EQ(last.memslot, 2);
	CHECK_EQ(last.hva, 0x7f0000001000ull);
	/* a fast-path fault calls no fault-in: attributed from the map */
	feed(b, pf(1, 0, 0x40003008, 0x100000007ull));
	feed(b, ent(1, 0, A_ROOT, 0));
	feed(b, ev(REC_FAST_PF, 1, 0));
	feed(b, ext(1, 0, A_ROOT, 0, 30, 40));
	CHECK_EQ(last.kind, FAULT_KIND_FAST);
	CHECK_EQ(last.memslot, 2);
	CHECK_EQ(last.hva, 0x7f0000003000ull);
	/* outside every slot seen: unknown */
	feed(b, pf(1, 0, 0x80000000, 0x100000007ull));
	feed(b, ent(1, 0, A_ROOT, 0));
	feed(b, ext(1, 0, A_ROOT, 0, 50, 60));
	CHECK_EQ(last.memslot, -1);
	CHECK_EQ(last.hva, FAULT_UNKNOWN);
	fault_builder_free(b);
}

TEST(intel_ept_misconfig_without_page_fault_event_is_mmio)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_INTEL, false);
	struct trace_record ex = { .type = REC_KVM_EXIT, .tid = 1,
				   .exit_reason = 49 };
	struct trace_record mm = { .type = REC_MMIO_PF, .tid = 1,
				   .addr = 0xfebf0000 };

	feed(b, ex);
	feed(b, ent(1, 0, A_ROOT, 0));
	feed(b, mm);
	feed(b, ext(1, 0, A_ROOT, 0, 10, 20));
	CHECK_EQ(last.kind, FAULT_KIND_MMIO);
	CHECK_EQ(last.gpa, 0xfebf0000);
	/* an EPT violation exit (48) with its kvm_page_fault is not MMIO */
	ex.exit_reason = 48;
	feed(b, ex);
	feed(b, pf(1, 0, 0x3000, 0x182));	/* write, GLA valid */
	feed(b, ent(1, 0, A_ROOT, 0));
	feed(b, ext(1, 0, A_ROOT, 0, 30, 40));
	CHECK_EQ(last.kind, FAULT_KIND_NORMAL);
	fault_builder_free(b);
}

TEST(count_rises_for_refaults_on_the_same_page)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);

	normal_fault(b, 1, 0x7000, 0, 0);
	CHECK_EQ(last.count, 1);
	normal_fault(b, 1, 0x7ff8, 0, 0);
	CHECK_EQ(last.count, 2);
	normal_fault(b, 1, 0x8000, 0, 0);
	CHECK_EQ(last.count, 1);
	fault_builder_free(b);
}

TEST(events_only_delay_runs_to_next_kvm_entry)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, true);
	struct trace_record e = { .type = REC_KVM_ENTRY, .tid = 1, .vcpu = 0 };
	uint64_t t0;

	feed(b, pf(1, 0, 0x3000, 2));
	t0 = ts_clock * 1000;
	feed(b, ev(REC_SPTE_REQUESTED, 1, 0x99));
	feed(b, e);
	CHECK_EQ(nr_emitted, 1);
	CHECK_EQ(last.delay_ns, ts_clock * 1000 - t0);
	CHECK(!last.has_tree);
	CHECK_EQ(last.pfn, 0x99);
	fault_builder_free(b);
}

TEST(huge_trees_are_truncated_but_timed)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);
	int i;

	feed(b, ent(1, 0, A_ROOT, 0));
	for (i = 0; i < FAULT_MAX_NODES + 10; i++) {
		feed(b, ent(1, 0, A_MAP, 1));
		feed(b, ext(1, 0, A_MAP, 1, 10 + i, 11 + i));
	}
	feed(b, ext(1, 0, A_ROOT, 0, 5, 100000));
	CHECK_EQ(nr_emitted, 1);
	CHECK_EQ(last.nr_nodes, FAULT_MAX_NODES);
	CHECK_EQ(last.truncated, 11);
	CHECK_EQ(last.delay_ns, 99995);
	fault_builder_free(b);
}

static int setup(void)
{
	char ksyms[] = "/tmp/kvmmmu-test-kallsymsXXXXXX";
	char err[256];
	FILE *f;
	int fd;

	fd = mkstemp(ksyms);
	f = fdopen(fd, "w");
	fprintf(f, "ffffffffa0001000 t kvm_mmu_page_fault\t[kvm]\n"
		"ffffffffa0002000 t kvm_tdp_page_fault\t[kvm]\n"
		"ffffffffa0003000 t kvm_faultin_pfn\t[kvm]\n"
		"ffffffffa0004000 T kvm_tdp_mmu_map\t[kvm]\n"
		"ffffffffa0005000 t fast_page_fault\t[kvm]\n"
		"ffffffffa0006000 t vcpu_run\t[kvm]\n"
		"ffffffffa0007000 d some_data\t[kvm]\n"
		"ffffffffa0008000 t kvm_arch_vcpu_pre_fault_memory\t[kvm]\n");
	fclose(f);
	syms = symbols_new();
	if (symbols_load_kallsyms(syms, ksyms) != 7)
		return -1;
	unlink(ksyms);
	prof = profile_parse("name t\nroot kvm_mmu_page_fault\n"
			     "root kvm_arch_vcpu_pre_fault_memory origin=prefault\n"
			     "phase fast_path fast_page_fault\n"
			     "phase faultin kvm_faultin_pfn kvm_mmu_faultin_pfn\n"
			     "phase map kvm_tdp_mmu_map\n", err, sizeof(err));
	return prof ? 0 : -1;
}

/*
 * KVM_PRE_FAULT_MEMORY maps a page through the fault handler with no exit
 * and no kvm_page_fault event: a prefault fault, its GPA from the
 * requested SPTE.  It leaves a guest's pending event to the guest fault,
 * and the summary counts the two origins apart.
 */
TEST(prefault_root_is_a_fault_of_its_own_origin)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);
	struct run_info ri = { .strategy = "global" };
	struct summary *sum = summary_new(prof);
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	feed(b, pf(1, 0, 0x9000, 0x100000006ull));
	feed(b, ent(1, 0, A_PREFAULT, 0));
	feed(b, ent(1, 0, A_TDP, 1));
	feed(b, ev(REC_SPTE_REQUESTED, 1, 0x777));
	feed(b, ent(1, 0, A_MAP, 2));
	feed(b, ext(1, 0, A_MAP, 2, 1200, 1300));
	feed(b, ext(1, 0, A_TDP, 1, 1100, 1400));
	feed(b, ext(1, 0, A_PREFAULT, 0, 1000, 1500));
	CHECK_EQ(nr_emitted, 1);
	CHECK_EQ(last.origin, FAULT_ORIGIN_PREFAULT);
	CHECK_EQ(last.gpa, 0x1000);		/* from the SPTE request */
	CHECK_EQ(last.vcpu, -1);
	CHECK_EQ(last.pfn, 0x777);
	CHECK_EQ(last.kind, FAULT_KIND_NORMAL);
	CHECK_EQ(last.delay_ns, 500);
	if (sum)
		summary_add(sum, &last);
	feed(b, ent(1, 0, A_ROOT, 0));
	feed(b, ext(1, 0, A_ROOT, 0, 2000, 2100));
	CHECK_EQ(nr_emitted, 2);
	CHECK_EQ(last.origin, FAULT_ORIGIN_GUEST);
	CHECK_EQ(last.gpa, 0x9000);		/* the pending event's */
	if (sum)
		summary_add(sum, &last);
	/* a KVM-side root that calls nothing faults nothing in */
	feed(b, ent(1, 0, A_PREFAULT, 0));
	feed(b, ext(1, 0, A_PREFAULT, 0, 3000, 3100));
	CHECK_EQ(nr_emitted, 2);
	out = open_memstream(&text, &len);
	CHECK(sum && out);
	if (sum && out) {
		summary_print_json(sum, &ri, NULL, out);
		summary_print_text(sum, &ri, out);
		fclose(out);
		CHECK(strstr(text, "\"by_origin\":{\"guest\":1,"
			     "\"prefault\":1,\"async-pf\":0}"));
		CHECK(strstr(text, "KVM mapped ahead of the guest: prefault 1;"
			     " 1 guest faults"));
	}
	free(text);
	summary_free(sum);
	fault_builder_free(b);
}

/*
 * A function address of UINT64_MAX (the hash table's reserved key) made
 * the function cache grow forever (found by fuzz_pages): it now resolves
 * like any other address, uncached.
 */
TEST(function_address_all_ones_is_resolved)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);

	feed(b, pf(1, 0, 0x7000, 6));
	feed(b, ent(1, 0, A_ROOT, 0));
	feed(b, ent(1, 0, UINT64_MAX, 1));
	feed(b, ext(1, 0, UINT64_MAX, 1, 1100, 1200));
	feed(b, ext(1, 0, A_ROOT, 0, 1000, 2000));
	CHECK_EQ(nr_emitted, 1);
	CHECK(last.complete);
	CHECK_EQ(last.nr_nodes, 2);
	CHECK_EQ(last.nodes[1].func, symbols_resolve(syms, UINT64_MAX - 1));
	fault_builder_free(b);
}

/* A new thread id on every record: the table stays bounded. */
TEST(thread_table_is_bounded)
{
	struct fault_builder *b = new_builder(FAULT_VENDOR_AMD, false);
	struct trace_record e = { .type = REC_KVM_EXIT, .vcpu = 0 };
	const struct builder_stats *st = fault_builder_stats(b);
	int tid;

	for (tid = 1; tid <= 20000; tid++) {
		e.tid = tid;
		CHECK_EQ(fault_builder_feed(b, &e, false), 0);
	}
	CHECK(st->threads_evicted >= 20000 - 4096);
	CHECK_EQ(st->threads_dropped, 0);
	/* threads in the middle of a fault are kept; past the cap, their
	 * records are dropped and counted instead */
	for (tid = 100001; tid <= 100001 + 4096; tid++)
		feed(b, pf(tid, 0, 0x1000, 6));
	CHECK_EQ(st->threads_dropped, 1);
	fault_builder_free(b);
}

int main(void)
{
	if (setup()) {
		printf("FAIL: %s/setup\n", TEST_SUITE);
		return 1;
	}
	RUN(slow_path_fault_has_tree_delay_and_pfn);
	RUN(phases_are_inclusive_per_fault);
	RUN(vcpu_thread_migrating_mid_fault_is_paired_by_thread);
	RUN(root_below_other_traced_calls_instance_strategy);
	RUN(interleaved_threads_do_not_mix);
	RUN(fast_path_without_spte_request_is_fast);
	RUN(fast_path_pfn_comes_from_the_new_spte);
	RUN(fast_path_that_gave_up_is_no_fast_fault);
	RUN(fast_mmio_outside_kvm_mmu_page_fault_is_an_mmio_fault);
	RUN(amd_rsvd_bit_is_mmio_but_intel_bit3_is_not);
	RUN(noslot_pfn_is_mmio_and_hides_pfn);
	RUN(lost_events_mark_open_fault_incomplete);
	RUN(lost_root_exit_closes_fault_as_incomplete);
	RUN(untraced_frames_between_calls_keep_the_fault_complete);
	RUN(interrupt_shown_at_the_depth_of_the_interrupted_call);
	RUN(interrupt_at_the_root_depth_is_not_a_new_fault);
	RUN(exit_of_a_call_entered_before_the_fault_is_ignored);
	RUN(faults_without_a_memslot_record_use_the_slots_seen);
	RUN(intel_ept_misconfig_without_page_fault_event_is_mmio);
	RUN(count_rises_for_refaults_on_the_same_page);
	RUN(events_only_delay_runs_to_next_kvm_entry);
	RUN(huge_trees_are_truncated_but_timed);
	RUN(thread_table_is_bounded);
	RUN(function_address_all_ones_is_resolved);
	RUN(prefault_root_is_a_fault_of_its_own_origin);
	profile_free(prof);
	symbols_free(syms);
	return TESTS_DONE();
}
