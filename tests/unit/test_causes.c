// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_causes.c - the shipped profile's cause rules on crafted call trees
 * (one per cause), findings (shares, order, threshold, hints), the
 * stuck-vCPU detector and prefault ranges.
 */
#define TEST_SUITE "causes"
#include "testlib.h"

#include <stdlib.h>

#include "fault_cause.h"
#include "findings.h"
#include "prefault.h"
#include "profile.h"
#include "symbols.h"

static struct profile *prof;
static struct symbols *syms;
static struct cause_classifier *cc;
static struct fault fa;

#include "tree_fixture.h"

static void fault_init(struct fault *f, enum fault_kind kind)
{
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->vcpu = 0;
	f->tid = 100;
	f->gpa = 0x100000;
	f->hva = 0x7f0000100000ull;
	f->memslot = 1;
	f->ts_ns = 1000000;
	f->complete = true;
	f->has_tree = true;
}

/* kvm_mmu_page_fault -> tdp -> faultin -> gup -> @leaf (if any) + map */
static void normal_fault(struct fault *f, const char *leaf, bool map)
{
	int root, tdp, fin, gup;

	fault_init(f, FAULT_KIND_NORMAL);
	root = call(f, -1, "kvm_mmu_page_fault", 0, 10000);
	tdp = call(f, root, "kvm_tdp_page_fault", 100, 9900);
	fin = call(f, tdp, "kvm_faultin_pfn", 200, 6000);
	gup = call(f, fin, "hva_to_pfn", 300, 5900);
	if (leaf)
		call(f, gup, leaf, 400, 5800);
	if (map)
		call(f, tdp, "kvm_tdp_mmu_map", 6100, 9800);
}

static const char *cause_of(const struct fault *f)
{
	return fault_cause_name(prof, cause_classify(cc, f));
}

TEST(each_cause_from_its_tree)
{
	static const struct { const char *leaf, *want; } cases[] = {
		{ "do_anonymous_page", "first-touch" },
		{ "handle_mm_fault", "first-touch" },
		{ "do_swap_page", "swap-in" },
		{ "shmem_fault", "page-cache" },
		{ "shmem_get_folio_gfp.constprop.0", "page-cache" },
		{ "do_huge_pmd_anonymous_page", "thp" },
		{ "do_wp_page", "cow" },
		{ "handle_userfault", "userfaultfd" },
		{ "track_possible_nx_huge_page", "huge-adjust" },
		{ "get_user_pages_fast_only", "other" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		normal_fault(&fa, cases[i].leaf, true);
		if (strcmp(cause_of(&fa), cases[i].want))
			tl_fail("%s: %s, expected %s", cases[i].leaf,
				cause_of(&fa), cases[i].want);
	}
}

/* guest_memfd fills its file through the page cache: the file wins */
TEST(guest_memfd_before_page_cache)
{
	int root, tdp, fin, gmem;

	fault_init(&fa, FAULT_KIND_NORMAL);
	root = call(&fa, -1, "kvm_mmu_page_fault", 0, 10000);
	tdp = call(&fa, root, "kvm_tdp_page_fault", 100, 9900);
	fin = call(&fa, tdp, "kvm_mmu_faultin_pfn", 200, 6000);
	gmem = call(&fa, fin, "kvm_gmem_get_pfn", 300, 5900);
	call(&fa, gmem, "__filemap_get_folio", 400, 5800);
	call(&fa, tdp, "kvm_tdp_mmu_map", 6100, 9800);
	CHECK_STR(cause_of(&fa), "guest-memfd");
	normal_fault(&fa, "__filemap_get_folio", true);
	CHECK_STR(cause_of(&fa), "page-cache");
}

TEST(kinds_decide_without_a_tree)
{
	fault_init(&fa, FAULT_KIND_MMIO);
	fa.has_tree = false;
	CHECK_STR(cause_of(&fa), "mmio");
	fault_init(&fa, FAULT_KIND_FAST);
	call(&fa, -1, "kvm_mmu_page_fault", 0, 1000);
	CHECK_STR(cause_of(&fa), "dirty-log");
	/* a normal fault without a tree: the rules cannot tell */
	fault_init(&fa, FAULT_KIND_NORMAL);
	fa.has_tree = false;
	CHECK_STR(cause_of(&fa), "unknown");
}

TEST(lock_wait_needs_its_threshold)
{
	int root, tdp, map;

	fault_init(&fa, FAULT_KIND_NORMAL);
	root = call(&fa, -1, "kvm_mmu_page_fault", 0, 100000);
	tdp = call(&fa, root, "kvm_tdp_page_fault", 10, 99000);
	map = call(&fa, tdp, "kvm_tdp_mmu_map", 20, 98000);
	call(&fa, map, "queued_read_lock_slowpath", 30, 30 + 19000);
	CHECK(strcmp(cause_of(&fa), "mmu-lock"));	/* 19 us < 20 us */
	fa.nr_nodes = 3;
	call(&fa, map, "queued_read_lock_slowpath", 30, 30 + 25000);
	CHECK_STR(cause_of(&fa), "mmu-lock");
}

TEST(retry_only_once_mapping_was_seen)
{
	struct cause_classifier *fresh = cause_classifier_new(prof, syms);

	/* no map call yet in this run: maybe inlined, so no verdict */
	normal_fault(&fa, NULL, false);
	CHECK_STR(fault_cause_name(prof, cause_classify(fresh, &fa)), "other");
	normal_fault(&fa, NULL, true);
	CHECK_STR(fault_cause_name(prof, cause_classify(fresh, &fa)), "other");
	normal_fault(&fa, NULL, false);
	CHECK_STR(fault_cause_name(prof, cause_classify(fresh, &fa)), "retry");
	cause_classifier_free(fresh);
}

TEST(suffixes_match_but_prefixes_do_not)
{
	CHECK(profile_func_matches("do_wp_page.isra.0", "do_wp_page"));
	CHECK(profile_func_matches("do_wp_page.cold", "do_wp_page"));
	CHECK(profile_func_matches("do_wp_page", "do_wp_page"));
	CHECK(!profile_func_matches("do_wp_page_copy", "do_wp_page"));
	CHECK(!profile_func_matches("do_wp", "do_wp_page"));
}

TEST(findings_by_time_with_hints_and_threshold)
{
	struct findings *fi = findings_new(prof);
	char *buf = NULL;
	size_t len = 0;
	FILE *out;
	int i;

	/* first-touch 3 x 10 us, mmio 1 x 60 us, cow 1 x 1 us (< 5 %) */
	for (i = 0; i < 3; i++) {
		normal_fault(&fa, "do_anonymous_page", true);
		fa.gpa += (uint64_t)i << 12;
		fa.cause = cause_classify(cc, &fa);
		findings_add(fi, &fa);
	}
	fault_init(&fa, FAULT_KIND_MMIO);
	fa.delay_ns = 60000;
	fa.cause = cause_classify(cc, &fa);
	findings_add(fi, &fa);
	normal_fault(&fa, "do_wp_page", true);
	fa.nodes[0].rettime = 1000;
	fa.delay_ns = 1000;
	fa.cause = cause_classify(cc, &fa);
	findings_add(fi, &fa);
	/* KVM_PRE_FAULT_MEMORY's first touches: no vCPU waited, no finding */
	normal_fault(&fa, "do_anonymous_page", true);
	fa.origin = FAULT_ORIGIN_PREFAULT;
	fa.delay_ns = 1000000;
	fa.cause = cause_classify(cc, &fa);
	findings_add(fi, &fa);
	fa.origin = FAULT_ORIGIN_GUEST;
	out = open_memstream(&buf, &len);
	findings_print_text(fi, out);
	fclose(out);
	CHECK(strstr(buf, "  65.9 % of fault time is mmio (1 faults, 60.0 us): "
		     "emulated device memory"));
	CHECK(strstr(buf, "  33.0 % of fault time is first-touch (3 faults, "
		     "30.0 us): first-touch allocation of guest memory"));
	CHECK(strstr(buf, "mmio") < strstr(buf, "first-touch"));
	CHECK(!strstr(buf, "cow"));
	free(buf);
	out = open_memstream(&buf, &len);
	findings_print_json(fi, out);
	fclose(out);
	CHECK(strstr(buf, "\"findings\":[{\"cause\":\"mmio\",\"faults\":1,"
		     "\"share\":0.6593,\"total_ns\":60000,\"hint\":\""));
	CHECK(strstr(buf, "\"cow\":{\"faults\":1,\"total_ns\":1000}"));
	free(buf);
	findings_free(fi);
}

TEST(stuck_vcpu_detector)
{
	struct findings *fi = findings_new(prof);
	const struct stuck_gfn *st;
	int i;

	fault_init(&fa, FAULT_KIND_FAST);
	call(&fa, -1, "kvm_mmu_page_fault", 0, 1000);
	call(&fa, 0, "fast_page_fault", 10, 900);
	fa.cause = cause_classify(cc, &fa);
	/* 8 repeats is normal (stuck_count=8), the 9th within 100 ms is not */
	for (i = 0; i < 8; i++, fa.ts_ns += 1000000)
		findings_add(fi, &fa);
	CHECK_EQ(findings_stuck(fi, &st), 0);
	findings_add(fi, &fa);
	CHECK_EQ(findings_stuck(fi, &st), 1);
	CHECK_EQ(st[0].gfn, 0x100);
	CHECK_EQ(st[0].count, 9);
	CHECK_EQ(st[0].window_ns, 8000000);
	/* the same GFN on another vCPU, or spread out in time: not stuck */
	fa.vcpu = 1;
	for (i = 0; i < 20; i++, fa.ts_ns += 200000000)
		findings_add(fi, &fa);
	CHECK_EQ(findings_stuck(fi, &st), 1);
	/* MMIO repeats are expected, never stuck */
	fault_init(&fa, FAULT_KIND_MMIO);
	fa.gpa = 0xd0000000;
	for (i = 0; i < 50; i++)
		findings_add(fi, &fa);
	CHECK_EQ(findings_stuck(fi, &st), 1);
	findings_free(fi);
}

TEST(prefault_ranges_merge_adjacent_chunks)
{
	struct prefault *pf = prefault_new(prof);
	const struct prefault_range *r;
	uint64_t gpa;
	int n;

	CHECK(pf != NULL);
	if (!pf)
		return;
	/* slot 1: 0x100000.. 3 MiB contiguous (2 chunks); slot 2 apart */
	for (gpa = 0x100000; gpa < 0x400000; gpa += 0x1000) {
		normal_fault(&fa, "do_anonymous_page", true);
		fa.gpa = gpa;
		fa.hva = 0x7f0000000000ull + gpa;
		fa.cause = cause_classify(cc, &fa);
		prefault_add(pf, &fa);
	}
	normal_fault(&fa, "do_anonymous_page", true);
	fa.gpa = 0x40000000;
	fa.hva = 0x7e0000000000ull;
	fa.memslot = 2;
	fa.cause = cause_classify(cc, &fa);
	prefault_add(pf, &fa);
	/* not first-touch: not counted */
	normal_fault(&fa, "do_wp_page", true);
	fa.cause = cause_classify(cc, &fa);
	prefault_add(pf, &fa);
	/* KVM_PRE_FAULT_MEMORY's own first touch: pre-faulted already */
	normal_fault(&fa, "do_anonymous_page", true);
	fa.gpa = 0x80000000;
	fa.origin = FAULT_ORIGIN_PREFAULT;
	fa.cause = cause_classify(cc, &fa);
	prefault_add(pf, &fa);
	fa.origin = FAULT_ORIGIN_GUEST;
	n = prefault_ranges(pf, &r);
	CHECK_EQ(n, 2);
	CHECK_EQ(prefault_faults(pf), 769);
	if (n == 2) {
		CHECK_EQ(r[0].gpa_start, 0x100000);
		CHECK_EQ(r[0].gpa_end, 0x400000);
		CHECK_EQ(r[0].faults, 768);
		CHECK_EQ(r[0].hva_start, 0x7f0000100000ull);
		CHECK_EQ(r[0].fault_ns, 768 * 10000);
		CHECK_EQ(r[0].alloc_ns, 768 * 5600);	/* hva_to_pfn: gup */
		CHECK_EQ(r[1].memslot, 2);
	}
	prefault_free(pf);
}

int main(void)
{
	const char *dir = getenv("KVMMMU_GRAPH_PROFILE_DIR");
	char path[512], err[256];

	snprintf(path, sizeof(path), "%s/kvm-x86.profile", dir ? dir : "profiles");
	prof = profile_load(path, err, sizeof(err));
	syms = symbols_new();
	cc = prof && syms ? cause_classifier_new(prof, syms) : NULL;
	if (!cc) {
		printf("FAIL: causes/setup (%s)\n", prof ? "no memory" : err);
		return 1;
	}
	RUN(each_cause_from_its_tree);
	RUN(guest_memfd_before_page_cache);
	RUN(kinds_decide_without_a_tree);
	RUN(lock_wait_needs_its_threshold);
	RUN(retry_only_once_mapping_was_seen);
	RUN(suffixes_match_but_prefixes_do_not);
	RUN(findings_by_time_with_hints_and_threshold);
	RUN(stuck_vcpu_detector);
	RUN(prefault_ranges_merge_adjacent_chunks);
	cause_classifier_free(cc);
	profile_free(prof);
	symbols_free(syms);
	return TESTS_DONE();
}
