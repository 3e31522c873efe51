// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * make-sample-svg.c - write a sample flame graph SVG for the browser test.
 *
 * Usage: make-sample-svg OUT.svg [none|type|vcpu]
 *
 * Builds a few hundred faults by hand (normal faults with faultin and
 * map phases, fast-path faults, MMIO faults), adds them to a flame
 * aggregate and writes the SVG.  Also writes OUT.svg.folded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"
#include "flame.h"
#include "flame_svg.h"
#include "profile.h"
#include "symbols.h"

static const char profile_text[] =
	"name sample\n"
	"root kvm_mmu_page_fault\n"
	"phase topup mmu_topup_memory_caches\n"
	"phase fast fast_page_fault\n"
	"phase faultin kvm_faultin_pfn __kvm_faultin_pfn\n"
	"phase map kvm_tdp_mmu_map\n"
	"phase mmio handle_mmio_page_fault\n";

static struct symbols *syms;
static struct profile *prof;
static struct fault f;
static uint64_t now = 1000000;
static unsigned int seed = 12345;

static unsigned int rnd(unsigned int max)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 8) % max;
}

/* Open a call at the current time, close it later with ret(). */
static int call(int parent, const char *name)
{
	struct fault_node *n = &f.nodes[f.nr_nodes];
	unsigned int phase = profile_phase_of(prof, name);

	n->func = symbols_intern(syms, name);
	n->phase = phase == PROFILE_NO_PHASE ? FAULT_NO_PHASE : (uint8_t)phase;
	n->parent = parent < 0 ? FAULT_NO_PARENT : (uint16_t)parent;
	n->depth = parent < 0 ? 0 : f.nodes[parent].depth + 1;
	n->calltime = now;
	now += 20 + rnd(40);
	return (int)f.nr_nodes++;
}

static void ret(int idx, unsigned int work_ns)
{
	now += work_ns;
	f.nodes[idx].rettime = now;
	now += 10 + rnd(20);
}

static void leaf(int parent, const char *name, unsigned int work_ns)
{
	ret(call(parent, name), work_ns);
}

static void start(enum fault_kind kind)
{
	memset(&f, 0, sizeof(f));
	f.kind = kind;
	f.vcpu = (int)rnd(4);
	f.complete = true;
	f.has_tree = true;
	now += 100000;
}

static void normal_fault(void)
{
	int root, tdp, fin, hva, gup, map;

	start(FAULT_KIND_NORMAL);
	root = call(-1, "kvm_mmu_page_fault");
	tdp = call(root, "kvm_tdp_page_fault");
	leaf(tdp, "fast_page_fault", 150 + rnd(100));
	leaf(tdp, "mmu_topup_memory_caches", 200 + rnd(300));
	fin = call(tdp, "kvm_faultin_pfn");
	leaf(fin, "kvm_vcpu_gfn_to_memslot", 40);
	hva = call(fin, "hva_to_pfn");
	gup = call(hva, "get_user_pages_unlocked");
	leaf(gup, "handle_mm_fault", 2000 + rnd(6000));
	ret(gup, 300);
	ret(hva, 100);
	ret(fin, 80);
	map = call(tdp, "kvm_tdp_mmu_map");
	leaf(map, "tdp_mmu_alloc_sp", 300 + rnd(400));
	leaf(map, "tdp_mmu_set_spte_atomic", 150 + rnd(100));
	leaf(map, "weird<&>\"'name", 60);	/* escaping in a browser */
	ret(map, 200);
	leaf(tdp, "kvm_release_pfn_clean", 80);
	ret(tdp, 100);
	ret(root, 150);
}

static void fast_fault(void)
{
	int root, tdp, fast;

	start(FAULT_KIND_FAST);
	root = call(-1, "kvm_mmu_page_fault");
	tdp = call(root, "kvm_tdp_page_fault");
	fast = call(tdp, "fast_page_fault");
	leaf(fast, "mark_page_dirty_in_slot", 120 + rnd(200));
	ret(fast, 300 + rnd(200));
	ret(tdp, 50);
	ret(root, 60);
}

static void mmio_fault(void)
{
	int root, mmio;

	start(FAULT_KIND_MMIO);
	root = call(-1, "kvm_mmu_page_fault");
	mmio = call(root, "handle_mmio_page_fault");
	leaf(mmio, "get_mmio_spte", 200);
	ret(mmio, 100);
	leaf(root, "x86_emulate_instruction", 3000 + rnd(2000));
	ret(root, 80);
}

static int load_profile(void)
{
	char err[256];

	prof = profile_parse(profile_text, err, sizeof(err));
	if (!prof)
		fprintf(stderr, "%s\n", err);
	return prof ? 0 : -1;
}

static enum flame_group parse_group(const char *s)
{
	if (s && !strcmp(s, "none"))
		return FLAME_GROUP_NONE;
	if (s && !strcmp(s, "vcpu"))
		return FLAME_GROUP_VCPU;
	return FLAME_GROUP_TYPE;
}

static int write_outputs(struct flame *fl, const char *svg)
{
	char folded[4096];
	FILE *out;
	int ret;

	out = fopen(svg, "w");
	if (!out)
		return -1;
	ret = flame_write_svg(fl, out, "kvmmmu-graph sample: KVM NPT/EPT faults");
	if (fclose(out) || ret)
		return -1;
	snprintf(folded, sizeof(folded), "%s.folded", svg);
	out = fopen(folded, "w");
	if (!out)
		return -1;
	ret = flame_write_folded(fl, out);
	return fclose(out) || ret ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct flame *fl;
	int i, ret;

	if (argc < 2) {
		fprintf(stderr, "usage: %s OUT.svg [none|type|vcpu]\n", argv[0]);
		return 2;
	}
	syms = symbols_new();
	if (!syms || load_profile())
		return 1;
	fl = flame_new(syms, prof, parse_group(argc > 2 ? argv[2] : NULL));
	if (!fl)
		return 1;
	for (i = 0; i < 300; i++) {
		if (i % 5 < 3)
			normal_fault();
		else if (i % 5 == 3)
			fast_fault();
		else
			mmio_fault();
		if (flame_add(fl, &f) != 1)
			return 1;
	}
	ret = write_outputs(fl, argv[1]);
	printf("%llu faults, %llu ns\n",
	       (unsigned long long)flame_nr_faults(fl),
	       (unsigned long long)flame_total_ns(fl));
	flame_free(fl);
	profile_free(prof);
	symbols_free(syms);
	return ret ? 1 : 0;
}
