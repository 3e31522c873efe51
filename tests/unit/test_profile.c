// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_profile.c - profiles from text: roots, phases with their names on
 * several kernels, events, allow lines, memslot probes, and errors.
 */
#define TEST_SUITE "profile"
#include "testlib.h"

#include <stdlib.h>

#include "fault.h"
#include "profile.h"

static const char sample[] =
	"# a comment\n"
	"name sample\n"
	"\n"
	"root kvm_mmu_page_fault\n"
	"root kvm_arch_vcpu_pre_fault_memory origin=prefault\n"
	"phase fast  fast_page_fault kvm_tdp_mmu_fast_pf_get_last_sptep\n"
	"phase map   kvm_tdp_mmu_map direct_map\n"
	"event kvm/kvm_page_fault\n"
	"event kvmmmu\n"
	"allow :mod:kvm\n"
	"allow hva_to_pfn* handle_mm_fault\n"
	"memslot_probe __gfn_to_pfn_memslot slot=$arg1 gfn=$arg2\n";

static struct profile *parse(const char *text, char *err)
{
	return profile_parse(text, err, 256);
}

TEST(parses_every_kind_of_line)
{
	char err[256] = "";
	struct profile *p = parse(sample, err);

	CHECK(p != NULL);
	if (!p) {
		tl_fail("%s", err);
		return;
	}
	CHECK_STR(profile_name(p), "sample");
	CHECK_EQ(profile_nr_roots(p), 2);
	CHECK_STR(profile_root(p, 0), "kvm_mmu_page_fault");
	CHECK_STR(profile_root(p, 1), "kvm_arch_vcpu_pre_fault_memory");
	CHECK(profile_is_root(p, "kvm_mmu_page_fault"));
	CHECK_EQ(profile_root_origin(p, "kvm_mmu_page_fault"),
		 FAULT_ORIGIN_GUEST);
	CHECK_EQ(profile_root_origin(p, "kvm_arch_vcpu_pre_fault_memory"),
		 FAULT_ORIGIN_PREFAULT);
	CHECK_EQ(profile_root_origin(p, "fast_page_fault"), -1);
	CHECK(!profile_is_root(p, "fast_page_fault"));
	CHECK_EQ(profile_nr_phases(p), 2);
	CHECK_STR(profile_phase_name(p, 0), "fast");
	CHECK_STR(profile_phase_name(p, 1), "map");
	CHECK_EQ(profile_nr_events(p), 2);
	CHECK_STR(profile_event(p, 1), "kvmmmu");
	CHECK_EQ(profile_nr_allow(p), 3);
	CHECK_STR(profile_allow(p, 0), ":mod:kvm");
	CHECK_STR(profile_allow(p, 2), "handle_mm_fault");
	CHECK_EQ(profile_nr_memslot_probes(p), 1);
	profile_free(p);
}

TEST(every_name_of_a_phase_maps_to_it)
{
	char err[256];
	struct profile *p = parse(sample, err);

	if (!p)
		SKIP("sample does not parse: %s", err);
	CHECK_EQ(profile_phase_of(p, "fast_page_fault"), 0);
	CHECK_EQ(profile_phase_of(p, "kvm_tdp_mmu_fast_pf_get_last_sptep"), 0);
	CHECK_EQ(profile_phase_of(p, "direct_map"), 1);
	CHECK_EQ(profile_phase_of(p, "kvm_tdp_mmu_map"), 1);
	CHECK(profile_phase_of(p, "handle_mm_fault") >= profile_nr_phases(p));
	profile_free(p);
}

TEST(bad_profiles_are_refused_with_a_reason)
{
	static const char *const bad[] = {
		"name x\nphase fast\n",			/* phase without function */
		"name x\nfrobnicate foo\n",		/* unknown keyword */
		"name x\nphase\n",
		"name x\nroot\n",
		"name x\nroot f origin=vmm\n",		/* unknown origin */
		"name x\nroot origin=prefault\n",	/* origin, no function */
	};
	unsigned int i;
	char err[256];
	struct profile *p;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		p = parse(bad[i], err);
		if (p) {
			tl_fail("accepted profile %u: %s", i, bad[i]);
			profile_free(p);
			continue;
		}
		CHECK(err[0] != '\0');
		CHECK(!strchr(err, '\n'));
	}
}

TEST(profile_without_root_is_refused)
{
	char err[256] = "";
	struct profile *p = parse("name x\nphase a f\n", err);

	CHECK(p == NULL);
	CHECK(err[0] != '\0');
	profile_free(p);
}

TEST(clone_suffixes_match_one_matcher_for_all)
{
	char err[256] = "";
	struct profile *p = parse("name x\nroot kvm_mmu_page_fault\n"
				  "phase map kvm_tdp_mmu_map ept_fetch\n", err);

	CHECK(p != NULL);
	if (!p)
		return;
	CHECK(profile_func_matches("gup_fast", "gup_fast"));
	CHECK(profile_func_matches("gup_fast.isra.0", "gup_fast"));
	CHECK(profile_func_matches("gup_fast.constprop.0.isra.0", "gup_fast"));
	CHECK(profile_func_matches("gup_fast.part.3", "gup_fast"));
	CHECK(profile_func_matches("gup_fast.cold", "gup_fast"));
	CHECK(profile_func_matches("gup_fast.cold.12", "gup_fast"));
	CHECK(profile_func_matches("gup_fast.llvm.1234567", "gup_fast"));
	CHECK(!profile_func_matches("gup_fast_fallback", "gup_fast"));
	CHECK(!profile_func_matches("gup_fast.isra", "gup_fast"));
	CHECK(!profile_func_matches("gup_fast.isra.x", "gup_fast"));
	CHECK(!profile_func_matches("gup_fast.foo.1", "gup_fast"));
	CHECK(!profile_func_matches("gup_fas", "gup_fast"));
	CHECK(!profile_func_matches("gup_fast.coldx", "gup_fast"));
	/* roots and phases use it */
	CHECK(profile_is_root(p, "kvm_mmu_page_fault.cold"));
	CHECK(!profile_is_root(p, "kvm_mmu_page_fault_x"));
	CHECK_EQ(profile_phase_of(p, "ept_fetch.isra.0"),
		 profile_phase_of(p, "kvm_tdp_mmu_map"));
	CHECK_EQ(profile_phase_of(p, "ept_fetch_x"), PROFILE_NO_PHASE);
	profile_free(p);
}

TEST(shipped_profile_loads)
{
	const char *dir = getenv("KVMMMU_GRAPH_PROFILE_DIR");
	char path[512], err[256];
	struct profile *p;

	if (!dir)
		SKIP("KVMMMU_GRAPH_PROFILE_DIR not set");
	snprintf(path, sizeof(path), "%s/kvm-x86.profile", dir);
	p = profile_load(path, err, sizeof(err));
	CHECK(p != NULL);
	if (!p) {
		tl_fail("%s", err);
		return;
	}
	CHECK(profile_is_root(p, "kvm_mmu_page_fault"));
	CHECK(profile_phase_of(p, "kvm_tdp_mmu_map") < profile_nr_phases(p));
	CHECK(profile_nr_events(p) > 0);
	/* 6.13+ names, nested EPT, compiler clones */
	CHECK(profile_phase_of(p, "ept_walk_addr_generic") ==
	      profile_phase_of(p, "paging64_walk_addr_generic"));
	CHECK(profile_phase_of(p, "ept_fetch.isra.0") ==
	      profile_phase_of(p, "kvm_tdp_mmu_map"));
	CHECK(profile_phase_of(p, "__kvm_mmu_faultin_pfn") ==
	      profile_phase_of(p, "kvm_faultin_pfn"));
	CHECK(profile_phase_of(p, "gup_fast_fallback") ==
	      profile_phase_of(p, "hva_to_pfn"));
	CHECK(profile_phase_of(p, "kvm_gmem_get_pfn") < profile_nr_phases(p));
	CHECK_EQ(profile_root_origin(p, "kvm_arch_vcpu_pre_fault_memory"),
		 FAULT_ORIGIN_PREFAULT);
	CHECK_EQ(profile_root_origin(p, "kvm_arch_async_page_ready"),
		 FAULT_ORIGIN_ASYNC_PF);
	profile_free(p);
}

int main(void)
{
	RUN(parses_every_kind_of_line);
	RUN(every_name_of_a_phase_maps_to_it);
	RUN(bad_profiles_are_refused_with_a_reason);
	RUN(profile_without_root_is_refused);
	RUN(clone_suffixes_match_one_matcher_for_all);
	RUN(shipped_profile_loads);
	return TESTS_DONE();
}
