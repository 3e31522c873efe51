// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_memslot_probe.c - the memslot/HVA probe: profile directives, BTF
 * offsets, the kprobe_events line, the choice of function, decoding the
 * event as the kernel formats it, and what the fault builder makes of it.
 */
#define TEST_SUITE "memslot_probe"
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <traceevent/event-parse.h>

#include "btf.h"
#include "fault_builder.h"
#include "memslot_probe.h"
#include "profile.h"
#include "symbols.h"
#include "testlib.h"
#include "trace_events.h"

/* Offsets of Debian 6.1.0-56 and 6.12.117 (pahole on their kvm.ko BTF). */
static const struct memslot_offsets off_61 = {
	.id = 260, .id_size = 2, .base_gfn = 176, .base_gfn_size = 8,
	.uaddr = 248, .uaddr_size = 8, .npages = 184, .npages_size = 8,
	.have_fault = true, .fault_slot = 32, .fault_slot_size = 8,
	.fault_gfn = 24, .fault_gfn_size = 8,
};
static const struct memslot_offsets off_612 = {
	.id = 260, .id_size = 2, .base_gfn = 176, .base_gfn_size = 8,
	.uaddr = 248, .uaddr_size = 8, .npages = 184, .npages_size = 8,
	.have_fault = true, .fault_slot = 40, .fault_slot_size = 8,
	.fault_gfn = 32, .fault_gfn_size = 8,
};

/* CHECK_STR for long lines: show their start only */
#define CHECK_LINE(a, b)						\
	do {								\
		if (strcmp((a), (b)))					\
			tl_fail("%s:%d: got \"%.160s\"", __FILE__, __LINE__, (a)); \
	} while (0)

static bool contains(const char *s, const char *sub)
{
	return s && strstr(s, sub);
}

/* ---- the directive ---- */

TEST(parse_slot_and_gfn_form)
{
	struct memslot_site s;

	CHECK_EQ(memslot_site_parse("__gfn_to_pfn_memslot slot=$arg1 gfn=$arg2",
				    &s), 0);
	CHECK_STR(s.func, "__gfn_to_pfn_memslot");
	CHECK_EQ(s.slot_arg, 1);
	CHECK_EQ(s.gfn_arg, 2);
	CHECK_EQ(s.fault_arg, 0);
	CHECK_EQ(memslot_site_parse("  f\tgfn=$arg12   slot=$arg3 ", &s), 0);
	CHECK_EQ(s.slot_arg, 3);
	CHECK_EQ(s.gfn_arg, 12);
}

TEST(parse_fault_form)
{
	struct memslot_site s;

	CHECK_EQ(memslot_site_parse("kvm_mmu_faultin_pfn fault=$arg2", &s), 0);
	CHECK_STR(s.func, "kvm_mmu_faultin_pfn");
	CHECK_EQ(s.fault_arg, 2);
	CHECK_EQ(s.slot_arg + s.gfn_arg, 0);
}

TEST(parse_rejects_bad_directives)
{
	static const char *const bad[] = {
		"", "   ", "f", "f slot=$arg1", "f gfn=$arg2",
		"f slot=$arg1 gfn=$arg2 fault=$arg3", "f fault=$arg0",
		"f fault=$arg17", "f fault=arg2", "f fault=$arg", "f fault=",
		"f fault=$arg2x", "f slot=$arg1 slot=$arg2 gfn=$arg3",
		"f hva=$arg1", "f fault", "f() fault=$arg2",
		"p:evil/x fault=$arg2", "f fault=$arg100",
	};
	struct memslot_site s;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (memslot_site_parse(bad[i], &s) != -EINVAL)
			tl_fail("accepted '%s'", bad[i]);
}

/* ---- the kprobe_events line ---- */

TEST(line_of_slot_form_on_6_1)
{
	struct memslot_site s;
	char buf[MEMSLOT_DEF_LEN];

	memslot_site_parse("__gfn_to_pfn_memslot slot=$arg1 gfn=$arg2", &s);
	CHECK_EQ(memslot_probe_format(&s, &off_61, buf, sizeof(buf)), 0);
	CHECK_LINE(buf, "p:kvmmmu_graph/memslot __gfn_to_pfn_memslot "
		  "slot_id=+260($arg1):s16 base_gfn=+176($arg1):u64 "
		  "uaddr=+248($arg1):u64 npages=+184($arg1):u64 "
		  "gfn=$arg2:u64 slot=$arg1:x64");
}

TEST(line_of_fault_form_on_6_12_dereferences_fault_slot)
{
	struct memslot_site s;
	char buf[MEMSLOT_DEF_LEN];

	memslot_site_parse("kvm_faultin_pfn fault=$arg2", &s);
	CHECK_EQ(memslot_probe_format(&s, &off_612, buf, sizeof(buf)), 0);
	CHECK_LINE(buf, "p:kvmmmu_graph/memslot kvm_faultin_pfn "
		  "slot_id=+260(+40($arg2)):s16 base_gfn=+176(+40($arg2)):u64 "
		  "uaddr=+248(+40($arg2)):u64 npages=+184(+40($arg2)):u64 "
		  "gfn=+32($arg2):u64 slot=+40($arg2):x64");
	CHECK_EQ(memslot_probe_format(&s, &off_61, buf, sizeof(buf)), 0);
	CHECK(contains(buf, "slot_id=+260(+32($arg2)):s16"));
	CHECK(contains(buf, "gfn=+24($arg2):u64"));
}

TEST(line_types_follow_member_sizes)
{
	struct memslot_offsets o = off_612;
	struct memslot_site s;
	char buf[MEMSLOT_DEF_LEN];

	memslot_site_parse("f slot=$arg1 gfn=$arg2", &s);
	o.id_size = 4;
	o.uaddr_size = 4;
	CHECK_EQ(memslot_probe_format(&s, &o, buf, sizeof(buf)), 0);
	CHECK(contains(buf, "slot_id=+260($arg1):s32"));
	CHECK(contains(buf, "uaddr=+248($arg1):u32"));
}

TEST(line_refused_when_it_cannot_be_right)
{
	struct memslot_offsets o = off_612;
	struct memslot_site s, f;
	char buf[MEMSLOT_DEF_LEN];

	memslot_site_parse("f slot=$arg1 gfn=$arg2", &s);
	memslot_site_parse("f fault=$arg2", &f);
	o.have_fault = false;
	CHECK_EQ(memslot_probe_format(&f, &o, buf, sizeof(buf)),
		 (unsigned long long)-EOPNOTSUPP);
	CHECK_EQ(memslot_probe_format(&s, &o, buf, sizeof(buf)), 0);
	o.id_size = 3;
	CHECK_EQ(memslot_probe_format(&s, &o, buf, sizeof(buf)),
		 (unsigned long long)-EOPNOTSUPP);
	CHECK_EQ(memslot_probe_format(&s, &off_61, buf, 40),
		 (unsigned long long)-ENOSPC);
}

/* ---- offsets from a hand-built BTF ---- */

struct blob {
	uint8_t types[1024];
	size_t types_len;
	char strs[512];
	size_t strs_len;
	uint8_t out[2048];
	size_t out_len;
};

static void put_u32(struct blob *b, uint32_t v)
{
	memcpy(b->types + b->types_len, &v, 4);
	b->types_len += 4;
}

static uint32_t put_str(struct blob *b, const char *s)
{
	uint32_t off = (uint32_t)b->strs_len;

	if (!*s)
		return 0;
	memcpy(b->strs + off, s, strlen(s) + 1);
	b->strs_len += strlen(s) + 1;
	return off;
}

/* A type record: kind 1 INT, 2 PTR, 4 STRUCT, 8 TYPEDEF. */
static void put_type(struct blob *b, const char *name, uint32_t kind,
		     uint32_t vlen, uint32_t size_type)
{
	put_u32(b, put_str(b, name));
	put_u32(b, kind << 24 | vlen);
	put_u32(b, size_type);
}

static void put_member(struct blob *b, const char *name, uint32_t type,
		       uint32_t byte_off)
{
	put_u32(b, put_str(b, name));
	put_u32(b, type);
	put_u32(b, byte_off * 8);
}

static void blob_finish(struct blob *b)
{
	uint32_t hdr[6] = { 0, 24, 0, (uint32_t)b->types_len,
			    (uint32_t)b->types_len, (uint32_t)b->strs_len };
	uint16_t magic = 0xeb9f;

	memcpy(hdr, &magic, 2);
	((uint8_t *)hdr)[2] = 1;
	memcpy(b->out, hdr, sizeof(hdr));
	memcpy(b->out + 24, b->types, b->types_len);
	memcpy(b->out + 24 + b->types_len, b->strs, b->strs_len);
	b->out_len = 24 + b->types_len + b->strs_len;
}

/* kvm_memory_slot (and kvm_page_fault if @fault) as Linux 6.12 has them. */
static struct btf *kvm_like_btf(bool fault, bool with_uaddr)
{
	static struct blob b;

	memset(&b, 0, sizeof(b));
	b.strs_len = 1;
	put_type(&b, "short int", 1, 0, 2);			/* 1 */
	put_u32(&b, 1u << 24 | 16);
	put_type(&b, "long long unsigned int", 1, 0, 8);	/* 2 */
	put_u32(&b, 64);
	put_type(&b, "u64", 8, 0, 2);				/* 3 */
	put_type(&b, "gfn_t", 8, 0, 3);				/* 4 */
	put_type(&b, "long unsigned int", 1, 0, 8);		/* 5 */
	put_u32(&b, 64);
	put_type(&b, "kvm_memory_slot", 4, with_uaddr ? 4 : 3, 280); /* 6 */
	put_member(&b, "base_gfn", 4, 176);
	put_member(&b, "npages", 5, 184);
	if (with_uaddr)
		put_member(&b, "userspace_addr", 5, 248);
	put_member(&b, "id", 1, 260);
	put_type(&b, "", 2, 0, 6);				/* 7 */
	if (fault) {
		put_type(&b, "kvm_page_fault", 4, 2, 80);	/* 8 */
		put_member(&b, "gfn", 4, 32);
		put_member(&b, "slot", 7, 40);
	}
	blob_finish(&b);
	return btf_load_mem(b.out, b.out_len, NULL);
}

TEST(offsets_from_btf)
{
	struct btf *btf = kvm_like_btf(true, true);
	struct memslot_offsets o;
	char why[128];

	CHECK(btf != NULL);
	CHECK_EQ(memslot_offsets_from_btf(btf, &o, why, sizeof(why)), 0);
	CHECK_EQ(o.id, 260);
	CHECK_EQ(o.id_size, 2);
	CHECK_EQ(o.base_gfn, 176);
	CHECK_EQ(o.base_gfn_size, 8);
	CHECK_EQ(o.uaddr, 248);
	CHECK_EQ(o.uaddr_size, 8);
	CHECK_EQ(o.npages, 184);
	CHECK(o.have_fault);
	CHECK_EQ(o.fault_slot, 40);
	CHECK_EQ(o.fault_slot_size, 8);
	CHECK_EQ(o.fault_gfn, 32);
	btf_free(btf);
}

TEST(offsets_without_kvm_page_fault_allow_only_the_slot_form)
{
	struct btf *btf = kvm_like_btf(false, true);
	struct memslot_offsets o;
	char why[128];

	CHECK_EQ(memslot_offsets_from_btf(btf, &o, why, sizeof(why)), 0);
	CHECK(!o.have_fault);
	btf_free(btf);
}

TEST(offsets_missing_member_says_which)
{
	struct btf *btf = kvm_like_btf(true, false);
	struct memslot_offsets o;
	char why[128] = "";

	CHECK_EQ(memslot_offsets_from_btf(btf, &o, why, sizeof(why)),
		 (unsigned long long)-ENOENT);
	CHECK(contains(why, "kvm_memory_slot.userspace_addr"));
	btf_free(btf);
}

TEST(offsets_from_this_kernel)
{
	struct btf *vmlinux = btf_load("/sys/kernel/btf/vmlinux", NULL);
	struct btf *kvm = NULL;
	struct memslot_offsets o;
	char why[128];

	if (!vmlinux)
		SKIP("no /sys/kernel/btf/vmlinux");
	if (!access("/sys/kernel/btf/kvm", F_OK))
		kvm = btf_load("/sys/kernel/btf/kvm", vmlinux);
	if (memslot_offsets_from_btf(kvm ? kvm : vmlinux, &o, why, sizeof(why))) {
		btf_free(kvm);
		btf_free(vmlinux);
		SKIP("no KVM types in BTF: %s", why);
	}
	CHECK_EQ(o.id_size, 2);		/* short id */
	CHECK_EQ(o.base_gfn_size, 8);
	CHECK_EQ(o.uaddr_size, 8);
	CHECK(o.id > o.uaddr && o.uaddr > o.base_gfn);
	btf_free(kvm);
	btf_free(vmlinux);
}

/* ---- the profile and the choice ---- */

TEST(line_of_memslot_learn_names_its_own_event)
{
	struct memslot_site s;
	char probe[MEMSLOT_DEF_LEN], learn[MEMSLOT_DEF_LEN];

	memslot_site_parse("mark_page_dirty_in_slot slot=$arg2 gfn=$arg3", &s);
	CHECK_EQ(memslot_learn_format(&s, &off_61, learn, sizeof(learn)), 0);
	CHECK_LINE(learn, "p:kvmmmu_graph/memslot_learn mark_page_dirty_in_slot "
		  "slot_id=+260($arg2):s16 base_gfn=+176($arg2):u64 "
		  "uaddr=+248($arg2):u64 npages=+184($arg2):u64 "
		  "gfn=$arg3:u64 slot=$arg2:x64");
	/* the same fields as the memslot event: one decoder reads both */
	CHECK_EQ(memslot_probe_format(&s, &off_61, probe, sizeof(probe)), 0);
	CHECK_STR(strchr(probe, ' '), strchr(learn, ' '));
}

static const char *const two_sites =
	"name t\nroot kvm_mmu_page_fault\n"
	"memslot_probe __gfn_to_pfn_memslot slot=$arg1 gfn=$arg2 # 6.1\n"
	"memslot_probe   kvm_mmu_faultin_pfn   fault=$arg2\n";

TEST(profile_keeps_memslot_probes_in_order)
{
	struct profile *p;
	char err[256];

	p = profile_parse(two_sites, err, sizeof(err));
	CHECK(p != NULL);
	if (!p)
		return;
	CHECK_EQ(profile_nr_memslot_probes(p), 2);
	CHECK_STR(profile_memslot_probe(p, 0),
		  "__gfn_to_pfn_memslot slot=$arg1 gfn=$arg2");
	CHECK_STR(profile_memslot_probe(p, 1), "kvm_mmu_faultin_pfn fault=$arg2");
	CHECK(profile_memslot_probe(p, 2) == NULL);
	profile_free(p);
}

TEST(profile_keeps_memslot_learn_apart)
{
	struct profile *p;
	char err[256];

	p = profile_parse("name t\nroot x\n"
			  "memslot_learn mark_page_dirty_in_slot slot=$arg2 gfn=$arg3\n"
			  "memslot_probe f slot=$arg1 gfn=$arg2\n", err, sizeof(err));
	CHECK(p != NULL);
	if (!p)
		return;
	CHECK_EQ(profile_nr_memslot_probes(p), 1);
	CHECK_EQ(profile_nr_memslot_learn(p), 1);
	CHECK_STR(profile_memslot_learn(p, 0),
		  "mark_page_dirty_in_slot slot=$arg2 gfn=$arg3");
	CHECK(profile_memslot_learn(p, 1) == NULL);
	profile_free(p);
	CHECK(profile_parse("name t\nroot x\nmemslot_learn f\n", err,
			    sizeof(err)) == NULL);
}

TEST(profile_refuses_a_memslot_probe_without_arguments)
{
	char err[256] = "";
	struct profile *p;

	p = profile_parse("name t\nroot r\nmemslot_probe f\n", err, sizeof(err));
	CHECK(p == NULL);
	CHECK(contains(err, ":3: bad arguments for 'memslot_probe'"));
	profile_free(p);
	p = profile_parse("name t\nroot r\nmemslot_probe f $arg1\n", err,
			 sizeof(err));
	CHECK(p == NULL);
	profile_free(p);
}

/* A fake kernel: the functions it can probe, and the calls it got. */
struct fake {
	const char *ok;		/* the one function accepted */
	char tried[256];
};

static int fake_try(const struct memslot_site *site, const char *def,
		    void *ctx, char *why, size_t whylen)
{
	struct fake *k = ctx;

	snprintf(k->tried + strlen(k->tried), sizeof(k->tried) - strlen(k->tried),
		 "%s;", site->func);
	if (strncmp(def, "p:kvmmmu_graph/memslot ", 23))
		return -EINVAL;
	if (k->ok && !strcmp(site->func, k->ok))
		return 0;
	snprintf(why, whylen, "not traceable here");
	return -ENOENT;
}

TEST(choose_reports_a_bad_directive_and_goes_on)
{
	struct profile *p = profile_parse("name t\nroot r\n"
		"memslot_probe f slot=$arg1\n"
		"memslot_probe g slot=$arg1 gfn=$arg2\n", NULL, 0);
	struct fake k = { .ok = "g" };
	struct memslot_site s;
	char def[MEMSLOT_DEF_LEN], why[256];

	CHECK_EQ(memslot_choose(p, &off_61, fake_try, &k, &s, def, sizeof(def),
				why, sizeof(why)), 0);
	CHECK_STR(s.func, "g");
	CHECK_LINE(k.tried, "g;");
	CHECK(contains(why, "'f slot=$arg1': bad memslot_probe"));
	profile_free(p);
}

TEST(installed_profile_tries___gfn_to_pfn_memslot_first)
{
	const char *dir = getenv("KVMMMU_GRAPH_PROFILE_DIR");
	char path[512], err[256];
	struct memslot_site s;
	struct profile *p;
	unsigned int i;

	if (!dir)
		SKIP("KVMMMU_GRAPH_PROFILE_DIR not set");
	snprintf(path, sizeof(path), "%s/kvm-x86.profile", dir);
	p = profile_load(path, err, sizeof(err));
	CHECK(p != NULL);
	if (!p)
		return;
	CHECK(profile_nr_memslot_probes(p) >= 2);
	CHECK_STR(profile_memslot_probe(p, 0),
		  "__gfn_to_pfn_memslot slot=$arg1 gfn=$arg2");
	for (i = 0; i < profile_nr_memslot_probes(p); i++)
		CHECK_EQ(memslot_site_parse(profile_memslot_probe(p, i), &s), 0);
	/* the fast path's slot, when the tool attached late */
	CHECK_EQ(profile_nr_memslot_learn(p), 1);
	CHECK_STR(profile_memslot_learn(p, 0),
		  "mark_page_dirty_in_slot slot=$arg2 gfn=$arg3");
	CHECK_EQ(memslot_site_parse(profile_memslot_learn(p, 0), &s), 0);
	profile_free(p);
}

TEST(choose_takes_the_first_accepted_function)
{
	struct profile *p = profile_parse(two_sites, NULL, 0);
	struct fake k = { .ok = "kvm_mmu_faultin_pfn" };
	struct memslot_site s;
	char def[MEMSLOT_DEF_LEN], why[256];

	CHECK_EQ(memslot_choose(p, &off_612, fake_try, &k, &s, def, sizeof(def),
				why, sizeof(why)), 0);
	CHECK_STR(s.func, "kvm_mmu_faultin_pfn");
	CHECK_LINE(k.tried, "__gfn_to_pfn_memslot;kvm_mmu_faultin_pfn;");
	CHECK(contains(def, " kvm_mmu_faultin_pfn slot_id=+260(+40($arg2))"));
	k = (struct fake){ .ok = "__gfn_to_pfn_memslot" };
	CHECK_EQ(memslot_choose(p, &off_612, fake_try, &k, &s, def, sizeof(def),
				why, sizeof(why)), 0);
	CHECK_LINE(k.tried, "__gfn_to_pfn_memslot;");
	profile_free(p);
}

TEST(choose_skips_the_fault_form_without_its_btf)
{
	struct profile *p = profile_parse(two_sites, NULL, 0);
	struct memslot_offsets o = off_612;
	struct fake k = { .ok = "kvm_mmu_faultin_pfn" };
	struct memslot_site s;
	char def[MEMSLOT_DEF_LEN], why[256];

	o.have_fault = false;
	CHECK(memslot_choose(p, &o, fake_try, &k, &s, def, sizeof(def), why,
			     sizeof(why)) < 0);
	CHECK_LINE(k.tried, "__gfn_to_pfn_memslot;");
	CHECK(contains(why, "kvm_mmu_faultin_pfn: BTF lacks kvm_page_fault"));
	profile_free(p);
}

TEST(choose_none_says_why_for_each_function)
{
	struct profile *p = profile_parse(two_sites, NULL, 0);
	struct fake k = { .ok = NULL };
	struct memslot_site s;
	char def[MEMSLOT_DEF_LEN], why[256];

	CHECK_EQ(memslot_choose(p, &off_61, fake_try, &k, &s, def, sizeof(def),
				why, sizeof(why)), (unsigned long long)-ENOENT);
	CHECK_LINE(why, "__gfn_to_pfn_memslot: not traceable here; "
		  "kvm_mmu_faultin_pfn: not traceable here");
	profile_free(p);
}

TEST(choose_without_directive_is_enoent)
{
	struct profile *p = profile_parse("name bare\nroot r\n", NULL, 0);
	struct fake k = { .ok = "x" };
	struct memslot_site s;
	char def[MEMSLOT_DEF_LEN], why[256];

	CHECK_EQ(memslot_choose(p, &off_61, fake_try, &k, &s, def, sizeof(def),
				why, sizeof(why)), (unsigned long long)-ENOENT);
	CHECK(contains(why, "profile bare has no memslot_probe"));
	CHECK_LINE(k.tried, "");
	profile_free(p);
}

/* ---- the event as the kernel formats it (Debian 6.1, kprobe_events) ---- */

/* common fields, the probe ip, slot_id, base_gfn and uaddr: 34 bytes */
#define MEMSLOT_FORMAT_HEAD \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n" \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n" \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n" \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n" \
	"\tfield:unsigned long __probe_ip;\toffset:8;\tsize:8;\tsigned:0;\n" \
	"\tfield:s16 slot_id;\toffset:16;\tsize:2;\tsigned:1;\n" \
	"\tfield:u64 base_gfn;\toffset:18;\tsize:8;\tsigned:0;\n" \
	"\tfield:u64 uaddr;\toffset:26;\tsize:8;\tsigned:0;\n"

static const char memslot_format[] =
	"name: memslot\nID: 1450\nformat:\n"
	MEMSLOT_FORMAT_HEAD
	"\tfield:u64 gfn;\toffset:34;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"(%lx) slot_id=%d base_gfn=%Lu uaddr=%Lu gfn=%Lu\", "
	"REC->__probe_ip, REC->slot_id, REC->base_gfn, REC->uaddr, REC->gfn\n";

static void put_payload(uint8_t *p, int16_t slot, uint64_t base,
			uint64_t uaddr, uint64_t gfn)
{
	uint16_t type = 1450;
	int32_t pid = 4321;

	memset(p, 0, 42);
	memcpy(p, &type, 2);
	memcpy(p + 4, &pid, 4);
	memcpy(p + 16, &slot, 2);
	memcpy(p + 18, &base, 8);
	memcpy(p + 26, &uaddr, 8);
	memcpy(p + 34, &gfn, 8);
}

TEST(decoder_reads_the_kprobe_event)
{
	struct tep_handle *tep = tep_alloc();
	struct event_decoder *dec;
	struct trace_record r;
	char err[256];
	uint8_t p[42];

	CHECK(tep_parse_event(tep, memslot_format, sizeof(memslot_format) - 1,
			      "kvmmmu_graph") == 0);
	dec = event_decoder_new(tep, err, sizeof(err));
	CHECK(event_decoder_has(dec, REC_MEMSLOT));
	put_payload(p, 2, 0x40000, 0x7f8677000000ull, 0x40003);
	CHECK_EQ(event_decode(dec, p, sizeof(p), &r), REC_MEMSLOT);
	CHECK_EQ(r.tid, 4321);
	CHECK_EQ(r.slot_id, 2);
	CHECK_EQ(r.base_gfn, 0x40000);
	CHECK_EQ(r.uaddr, 0x7f8677000000ull);
	CHECK_EQ(r.addr, 0x40003000ull);	/* gfn << 12 */
	put_payload(p, 0x7ffd, 0, 0, 0);	/* a private slot id */
	event_decode(dec, p, sizeof(p), &r);
	CHECK_EQ(r.slot_id, 0x7ffd);
	CHECK_EQ(event_decode(dec, p, 40, &r), (unsigned long long)-1);
	event_decoder_free(dec);
	tep_free(tep);
}

/* the same event with the slot pointer last (memslot_probe_format) */
static const char memslot_format_ptr[] =
	"name: memslot\nID: 1451\nformat:\n"
	MEMSLOT_FORMAT_HEAD
	"\tfield:u64 npages;\toffset:34;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 gfn;\toffset:42;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 slot;\toffset:50;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"(%lx) slot_id=%d base_gfn=%Lu uaddr=%Lu npages=%Lu "
	"gfn=%Lu slot=0x%Lx\", REC->__probe_ip, REC->slot_id, REC->base_gfn, "
	"REC->uaddr, REC->npages, REC->gfn, REC->slot\n";

TEST(decoder_voids_a_record_without_a_slot)
{
	struct tep_handle *tep = tep_alloc();
	struct event_decoder *dec;
	struct trace_record r;
	uint16_t type = 1451;
	uint64_t ptr = 0xffff888012345000ull;
	int16_t id = 3;
	char err[256];
	uint8_t p[58] = { 0 };

	CHECK(tep_parse_event(tep, memslot_format_ptr,
			      sizeof(memslot_format_ptr) - 1,
			      "kvmmmu_graph") == 0);
	dec = event_decoder_new(tep, err, sizeof(err));
	memcpy(p, &type, 2);
	memcpy(p + 16, &id, 2);
	memcpy(p + 50, &ptr, 8);
	CHECK_EQ(event_decode(dec, p, sizeof(p), &r), REC_MEMSLOT);
	CHECK_EQ(r.slot_id, 3);
	/* KVM called the probed function with no slot (MMIO, no memslot):
	 * the fields read through it are whatever the buffer held */
	ptr = 0;
	memcpy(p + 50, &ptr, 8);
	CHECK_EQ(event_decode(dec, p, sizeof(p), &r), REC_MEMSLOT);
	CHECK_EQ(r.slot_id, (unsigned long long)-1);
	event_decoder_free(dec);
	tep_free(tep);
}

TEST(decoder_reads_the_memslot_learn_event)
{
	static const char learn_format[] =
		"name: memslot_learn\nID: 1452\nformat:\n"
		MEMSLOT_FORMAT_HEAD
		"\tfield:u64 npages;\toffset:34;\tsize:8;\tsigned:0;\n"
		"\tfield:u64 gfn;\toffset:42;\tsize:8;\tsigned:0;\n"
		"\tfield:u64 slot;\toffset:50;\tsize:8;\tsigned:0;\n\n"
		"print fmt: \"(%lx) slot_id=%d\", REC->__probe_ip, "
		"REC->slot_id\n";
	struct tep_handle *tep = tep_alloc();
	struct event_decoder *dec;
	struct trace_record r;
	uint16_t type = 1452;
	uint64_t ptr = 0xffff888012345000ull, npages = 512, gfn = 0x40007;
	int16_t id = 4;
	char err[256];
	uint8_t p[58] = { 0 };

	CHECK(tep_parse_event(tep, learn_format, sizeof(learn_format) - 1,
			      "kvmmmu_graph") == 0);
	dec = event_decoder_new(tep, err, sizeof(err));
	CHECK(event_decoder_has(dec, REC_MEMSLOT_LEARN));
	CHECK(!event_decoder_has(dec, REC_MEMSLOT));
	memcpy(p, &type, 2);
	memcpy(p + 16, &id, 2);
	memcpy(p + 34, &npages, 8);
	memcpy(p + 42, &gfn, 8);
	memcpy(p + 50, &ptr, 8);
	CHECK_EQ(event_decode(dec, p, sizeof(p), &r), REC_MEMSLOT_LEARN);
	CHECK_EQ(r.slot_id, 4);
	CHECK_EQ(r.npages, 512);
	CHECK_EQ(r.addr, 0x40007000ull);
	event_decoder_free(dec);
	tep_free(tep);
}

/* ---- what the builder makes of it (events-only: pf .. kvm_entry) ---- */

static struct fault last;
static int nr_faults;

static void keep(const struct fault *f, void *ctx)
{
	(void)ctx;
	last = *f;
	nr_faults++;
}

static struct trace_record rec(enum rec_type t, uint64_t ts)
{
	return (struct trace_record){ .type = t, .tid = 7, .ts = ts,
		.vcpu = 0, .pfn = UINT64_MAX, .slot_id = -1 };
}

static struct trace_record slot_rec(int id, uint64_t base, uint64_t uaddr,
				    uint64_t gfn)
{
	struct trace_record r = rec(REC_MEMSLOT, 20);

	r.slot_id = id;
	r.base_gfn = base;
	r.uaddr = uaddr;
	r.addr = gfn << 12;
	return r;
}

/* pf(gpa, ec), the records, kvm_entry; the emitted fault in `last`. */
static void one_fault(uint64_t gpa, uint64_t ec, const struct trace_record *r,
		      int n)
{
	struct profile *p = profile_parse("name t\nroot x\n", NULL, 0);
	struct symbols *syms = symbols_new();
	struct builder_config cfg = { .prof = p, .syms = syms,
		.vendor = FAULT_VENDOR_AMD, .events_only = true, .emit = keep };
	struct fault_builder *b = fault_builder_new(&cfg);
	struct trace_record pf = rec(REC_PAGE_FAULT, 10);
	struct trace_record entry = rec(REC_KVM_ENTRY, 90);
	int i;

	nr_faults = 0;
	pf.addr = gpa;
	pf.error_code = ec;
	fault_builder_feed(b, &pf, false);
	for (i = 0; i < n; i++)
		fault_builder_feed(b, &r[i], false);
	fault_builder_feed(b, &entry, false);
	fault_builder_free(b);
	symbols_free(syms);
	profile_free(p);
}

TEST(builder_sets_memslot_and_hva_of_the_fault)
{
	struct trace_record r[] = {
		slot_rec(2, 0x40000, 0x7f8677000000ull, 0x40003),
	};

	one_fault(0x40003abcull, 0x100000006ull, r, 1);
	CHECK_EQ(nr_faults, 1);
	CHECK_EQ(last.memslot, 2);
	CHECK_EQ(last.hva, 0x7f8677003000ull);
}

TEST(builder_keeps_the_first_memslot_of_a_fault)
{
	struct trace_record r[] = {
		slot_rec(1, 0x100, 0x7f0000000000ull, 0x104),
		slot_rec(1, 0x100, 0x7f0000000000ull, 0x1ff),	/* prefetch */
	};

	one_fault(0x104000ull, 0x100000006ull, r, 2);
	CHECK_EQ(last.memslot, 1);
	CHECK_EQ(last.hva, 0x7f0000004000ull);
}

TEST(builder_hides_memslot_of_mmio_faults)
{
	/* 6.1 calls __gfn_to_pfn_memslot(NULL, ...) on a first MMIO access:
	 * the probe's fetches fail and leave whatever was in the buffer */
	struct trace_record r[] = { slot_rec(77, 0, 0x1000, 0xd0000) };

	one_fault(0xd0000000ull, 0x10000000dull, r, 1);	/* RSVD: MMIO */
	CHECK_EQ(last.kind, FAULT_KIND_MMIO);
	CHECK_EQ(last.memslot, (unsigned long long)-1);
	CHECK_EQ(last.hva, FAULT_UNKNOWN);
}

TEST(builder_skips_records_without_a_slot)
{
	/* 6.18+ probes kvm_mmu_faultin_pfn, which a gfn outside every
	 * slot also reaches: that record must not name the slot */
	struct trace_record r[] = {
		slot_rec(-1, 0, 0, 0x104),
		slot_rec(1, 0x100, 0x7f0000000000ull, 0x104),
	};

	one_fault(0x104000ull, 0x100000006ull, r, 2);
	CHECK_EQ(last.memslot, 1);
	CHECK_EQ(last.hva, 0x7f0000004000ull);
	one_fault(0x104000ull, 0x100000006ull, r, 1);
	CHECK_EQ(last.memslot, (unsigned long long)-1);
	CHECK_EQ(last.hva, FAULT_UNKNOWN);
}

TEST(builder_learns_slots_from_memslot_learn_records_only)
{
	/* shadow paging marks the guest's page table dirty before the
	 * fault-in: that slot teaches the map, it is not the fault's */
	struct trace_record r[] = {
		slot_rec(3, 0x800, 0x7e0000000000ull, 0x805),
		slot_rec(1, 0x100, 0x7f0000000000ull, 0x104),
	};

	r[0].type = REC_MEMSLOT_LEARN;
	r[0].npages = 16;
	one_fault(0x104000ull, 0x100000006ull, r, 2);
	CHECK_EQ(last.memslot, 1);
	CHECK_EQ(last.hva, 0x7f0000004000ull);
	/* a fast-path fault, attached late: no fault-in, only the dirty
	 * mark of its own page, which names the slot through the map */
	r[0] = slot_rec(2, 0x40000, 0x7f8677000000ull, 0x40003);
	r[0].type = REC_MEMSLOT_LEARN;
	r[0].npages = 512;
	r[1] = rec(REC_FAST_PF, 30);
	r[1].addr = 0x40003abcull;
	r[1].fast_fixed = 1;
	one_fault(0x40003abcull, 0x100000007ull, r, 2);
	CHECK_EQ(last.kind, FAULT_KIND_FAST);
	CHECK_EQ(last.memslot, 2);
	CHECK_EQ(last.hva, 0x7f8677003000ull);
	/* without npages the record cannot place the slot: unknown */
	r[0].npages = 0;
	one_fault(0x40003abcull, 0x100000007ull, r, 2);
	CHECK_EQ(last.memslot, (unsigned long long)-1);
}

/* ---- this host: check-style plan, which creates nothing ---- */

TEST(plan_on_this_host_creates_nothing)
{
	struct memslot_plan plan;
	struct profile *p;

	if (access("/sys/kernel/tracing/events", F_OK))
		SKIP("no tracefs at /sys/kernel/tracing");
	p = profile_parse(two_sites, NULL, 0);
	memslot_probe_plan(p, &plan);
	if (plan.ok)
		CHECK(!strncmp(plan.def, "p:kvmmmu_graph/memslot ", 23));
	if (plan.ok && plan.learn_defs[0])
		CHECK(!strncmp(plan.learn_defs, "p:kvmmmu_graph/memslot_learn ",
			       29));
	else
		CHECK(plan.why[0] != '\0');
	if (access("/sys/kernel/tracing/kprobe_events", F_OK))
		CHECK(contains(plan.why, "no kprobe events"));
	CHECK(access("/sys/kernel/tracing/events/kvmmmu_graph/memslot",
		     F_OK) != 0);
	profile_free(p);
}

int main(void)
{
	RUN(parse_slot_and_gfn_form);
	RUN(parse_fault_form);
	RUN(parse_rejects_bad_directives);
	RUN(line_of_slot_form_on_6_1);
	RUN(line_of_fault_form_on_6_12_dereferences_fault_slot);
	RUN(line_types_follow_member_sizes);
	RUN(line_refused_when_it_cannot_be_right);
	RUN(line_of_memslot_learn_names_its_own_event);
	RUN(offsets_from_btf);
	RUN(offsets_without_kvm_page_fault_allow_only_the_slot_form);
	RUN(offsets_missing_member_says_which);
	RUN(offsets_from_this_kernel);
	RUN(profile_keeps_memslot_probes_in_order);
	RUN(profile_keeps_memslot_learn_apart);
	RUN(profile_refuses_a_memslot_probe_without_arguments);
	RUN(installed_profile_tries___gfn_to_pfn_memslot_first);
	RUN(choose_takes_the_first_accepted_function);
	RUN(choose_skips_the_fault_form_without_its_btf);
	RUN(choose_none_says_why_for_each_function);
	RUN(choose_without_directive_is_enoent);
	RUN(choose_reports_a_bad_directive_and_goes_on);
	RUN(decoder_reads_the_kprobe_event);
	RUN(decoder_voids_a_record_without_a_slot);
	RUN(decoder_reads_the_memslot_learn_event);
	RUN(builder_sets_memslot_and_hva_of_the_fault);
	RUN(builder_keeps_the_first_memslot_of_a_fault);
	RUN(builder_hides_memslot_of_mmio_faults);
	RUN(builder_skips_records_without_a_slot);
	RUN(builder_learns_slots_from_memslot_learn_records_only);
	RUN(plan_on_this_host_creates_nothing);
	return TESTS_DONE();
}
