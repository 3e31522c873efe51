// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_btf.c - the raw BTF parser on hand-built blobs (nesting, typedefs,
 * bitfields, split BTF, corrupt and truncated input) and on this
 * machine's /sys/kernel/btf files when they exist.
 */
#define _GNU_SOURCE
#define TEST_SUITE "btf"
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "testlib.h"
#include "btf.h"

#define VMLINUX "/sys/kernel/btf/vmlinux"
#define KVM_BTF "/sys/kernel/btf/kvm"

/* ---- a tiny BTF writer ---- */

#define MAX_IDS 64

struct blob {
	uint8_t types[4096];
	size_t types_len;
	char strs[1024];
	size_t strs_len;
	uint32_t str_base;	/* base string length for split BTF */
	uint32_t next_id;	/* id of the next type */
	size_t rec[MAX_IDS];	/* record offset in types, by id */
	uint8_t out[8192];
	size_t out_len;
};

static void blob_init(struct blob *b, uint32_t first_id, uint32_t str_base)
{
	memset(b, 0, sizeof(*b));
	b->next_id = first_id;
	b->str_base = str_base;
	b->strs_len = 1;	/* "" at offset 0 */
}

static uint32_t blob_str(struct blob *b, const char *s)
{
	size_t n = strlen(s) + 1;
	uint32_t off = (uint32_t)b->strs_len;

	if (!*s)
		return 0;
	memcpy(b->strs + b->strs_len, s, n);
	b->strs_len += n;
	return b->str_base + off;
}

static void blob_u32(struct blob *b, uint32_t v)
{
	memcpy(b->types + b->types_len, &v, 4);
	b->types_len += 4;
}

static uint32_t blob_type(struct blob *b, const char *name, uint32_t kind,
			  uint32_t vlen, bool kflag, uint32_t size_type)
{
	b->rec[b->next_id % MAX_IDS] = b->types_len;
	blob_u32(b, blob_str(b, name));
	blob_u32(b, (kflag ? 1u << 31 : 0) | kind << 24 | vlen);
	blob_u32(b, size_type);
	return b->next_id++;
}

static void blob_member(struct blob *b, const char *name, uint32_t type,
			uint32_t offset)
{
	blob_u32(b, blob_str(b, name));
	blob_u32(b, type);
	blob_u32(b, offset);
}

static uint32_t blob_int(struct blob *b, const char *name, uint32_t size,
			 uint32_t bits)
{
	uint32_t id = blob_type(b, name, 1, 0, false, size);

	blob_u32(b, bits);
	return id;
}

/* Header (24 bytes), types, strings. */
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

/* Offset in b->out of the record of type @id. */
static size_t blob_rec(const struct blob *b, uint32_t id)
{
	return 24 + b->rec[id % MAX_IDS];
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* Kinds as numbered by include/uapi/linux/btf.h. */
enum { INT = 1, PTR, ARRAY, STRUCT, UNION, ENUM, FWD, TYPEDEF, VOLATILE,
	CONST, RESTRICT, FUNC, FUNC_PROTO, VAR, DATASEC, FLOAT, DECL_TAG,
	TYPE_TAG, ENUM64 };

static struct blob base_blob;
static struct blob split_blob;
static uint32_t base_nr;	/* last id of the base blob */
static uint32_t id_sample;

static void build_scalars(struct blob *b)
{
	blob_int(b, "int", 4, 1u << 24 | 32);			/* 1 */
	blob_int(b, "long unsigned int", 8, 64);		/* 2 */
	blob_type(b, "u64", TYPEDEF, 0, false, 2);		/* 3 */
	blob_type(b, "", CONST, 0, false, 3);			/* 4 */
	blob_type(b, "point", STRUCT, 2, false, 8);		/* 5 */
	blob_member(b, "x", 1, 0);
	blob_member(b, "y", 1, 32);
	blob_type(b, "", PTR, 0, false, 5);			/* 6 */
	blob_type(b, "", ARRAY, 0, false, 0);			/* 7 */
	blob_u32(b, 1);
	blob_u32(b, 1);
	blob_u32(b, 4);
	blob_type(b, "", UNION, 2, false, 8);			/* 8 */
	blob_member(b, "u", 3, 0);
	blob_member(b, "p", 5, 0);
	blob_type(b, "", STRUCT, 1, false, 4);			/* 9 */
	blob_member(b, "inner_a", 1, 0);
	blob_int(b, "unsigned int", 4, 32);			/* 10 */
	blob_type(b, "", VOLATILE, 0, false, 1);		/* 11 */
	blob_type(b, "color", ENUM, 2, false, 4);		/* 12 */
	blob_u32(b, blob_str(b, "RED"));
	blob_u32(b, 0);
	blob_u32(b, blob_str(b, "BLUE"));
	blob_u32(b, 1);
	blob_type(b, "user", TYPE_TAG, 0, false, 1);		/* 13 */
	blob_type(b, "opaque", FWD, 0, false, 0);		/* 14 */
}

/* struct sample uses kind_flag member offsets (bitfield size << 24). */
static void build_sample(struct blob *b)
{
	id_sample = blob_type(b, "sample", STRUCT, 13, true, 96); /* 15 */
	blob_member(b, "id", 1, 0);
	blob_member(b, "", 8, 64);
	blob_member(b, "gfn", 3, 128);
	blob_member(b, "cgfn", 4, 192);
	blob_member(b, "slot", 6, 256);
	blob_member(b, "arr", 7, 320);
	blob_member(b, "flags", 10, 3u << 24 | 448);
	blob_member(b, "", 9, 480);
	blob_member(b, "vol", 11, 512);
	blob_member(b, "color", 12, 544);
	blob_member(b, "tagged", 13, 576);
	blob_member(b, "vptr", 16, 640);
	blob_member(b, "fwd", 14, 704);
	blob_type(b, "", PTR, 0, false, 0);			/* 16 */
}

/* Old-style bitfields (no kind_flag) and the remaining kinds. */
static void build_others(struct blob *b)
{
	blob_type(b, "old_bits", STRUCT, 3, false, 8);		/* 17 */
	blob_member(b, "b", 18, 0);
	blob_member(b, "c", 18, 3);
	blob_member(b, "whole", 1, 32);
	blob_int(b, "unsigned int", 4, 3);			/* 18 */
	blob_type(b, "", FUNC_PROTO, 1, false, 1);		/* 19 */
	blob_u32(b, blob_str(b, "a"));
	blob_u32(b, 1);
	blob_type(b, "do_it", FUNC, 0, false, 19);		/* 20 */
	blob_type(b, "double", FLOAT, 0, false, 8);		/* 21 */
	blob_type(b, "tag", DECL_TAG, 0, false, 15);		/* 22 */
	blob_u32(b, (uint32_t)-1);
	blob_type(b, "big", ENUM64, 1, false, 8);		/* 23 */
	blob_u32(b, blob_str(b, "HUGE"));
	blob_u32(b, 0);
	blob_u32(b, 1);
	blob_type(b, "gvar", VAR, 0, false, 1);			/* 24 */
	blob_u32(b, 1);
	blob_type(b, ".data", DATASEC, 1, false, 4);		/* 25 */
	blob_u32(b, 24);
	blob_u32(b, 0);
	blob_u32(b, 4);
}

/* Types that loop or overflow: lookups must fail, not hang. */
static void build_traps(struct blob *b)
{
	blob_type(b, "ring", STRUCT, 1, false, 8);		/* 26 */
	blob_member(b, "next", 27, 0);
	blob_type(b, "", PTR, 0, false, 26);			/* 27 */
	blob_type(b, "loop_a", TYPEDEF, 0, false, 29);		/* 28 */
	blob_type(b, "loop_b", TYPEDEF, 0, false, 28);		/* 29 */
	blob_type(b, "loopy", STRUCT, 3, false, 16);		/* 30 */
	blob_member(b, "bad", 28, 0);
	blob_member(b, "huge", 33, 0);
	blob_member(b, "", 31, 64);
	blob_type(b, "", STRUCT, 1, false, 8);			/* 31 */
	blob_member(b, "", 31, 0);
	blob_type(b, "", ARRAY, 0, false, 0);			/* 32 */
	blob_u32(b, 1);
	blob_u32(b, 1);
	blob_u32(b, 0x80000000u);
	blob_type(b, "", ARRAY, 0, false, 0);			/* 33 */
	blob_u32(b, 32);
	blob_u32(b, 1);
	blob_u32(b, 4);
}

static void build_base(void)
{
	struct blob *b = &base_blob;

	blob_init(b, 1, 0);
	build_scalars(b);
	build_sample(b);
	build_others(b);
	build_traps(b);
	base_nr = b->next_id - 1;
	blob_finish(b);
}

/* Split BTF: ids after base_nr, strings after the base's. */
static void build_split(void)
{
	struct blob *b = &split_blob;
	uint32_t first = base_nr + 1;

	blob_init(b, first, (uint32_t)base_blob.strs_len);
	blob_type(b, "kvm_thing", STRUCT, 2, false, 16);	/* first */
	blob_member(b, "gpa", 3, 0);
	blob_member(b, "owner", first + 1, 64);
	blob_type(b, "", PTR, 0, false, id_sample);		/* +1 */
	blob_type(b, "point", STRUCT, 2, false, 16);		/* +2 */
	blob_member(b, "x", 1, 64);
	blob_member(b, "y", 1, 96);
	blob_type(b, "", STRUCT, 1, false, 8);			/* +3 */
	blob_member(b, "deep", 1, 32);
	blob_type(b, "wrap", STRUCT, 2, false, 16);		/* +4 */
	blob_member(b, "first", 1, 0);
	blob_member(b, "", first + 3, 64);
	blob_finish(b);
}

static struct btf *load_base(void)
{
	return btf_load_mem(base_blob.out, base_blob.out_len, NULL);
}

/* Expect @member of @st at @off with @size. */
#define CHECK_MEMBER(btf, st, member, off, size)			\
	do {								\
		unsigned int o_ = ~0u, s_ = ~0u;			\
		CHECK_EQ(btf_member_offset(btf, st, member, &o_, &s_), 0); \
		CHECK_EQ(o_, off);					\
		CHECK_EQ(s_, size);					\
	} while (0)

#define CHECK_ERR(btf, st, member, err)					\
	CHECK_EQ(btf_member_offset(btf, st, member, NULL, NULL),	\
		 (unsigned long long)(err))

/* ---- blob tests ---- */

TEST(blob_plain_members_and_typedef_sizes)
{
	struct btf *btf = load_base();

	CHECK(btf);
	CHECK_MEMBER(btf, "sample", "id", 0, 4);
	CHECK_MEMBER(btf, "sample", "gfn", 16, 8);
	CHECK_MEMBER(btf, "sample", "cgfn", 24, 8);
	CHECK_MEMBER(btf, "point", "y", 4, 4);
	btf_free(btf);
}

TEST(blob_anonymous_union_members_add_their_offset)
{
	struct btf *btf = load_base();

	CHECK_MEMBER(btf, "sample", "u", 8, 8);
	CHECK_MEMBER(btf, "sample", "p", 8, 8);
	CHECK_MEMBER(btf, "sample", "inner_a", 60, 4);
	btf_free(btf);
}

TEST(blob_named_nested_members_are_not_flattened)
{
	struct btf *btf = load_base();

	CHECK_ERR(btf, "sample", "x", -ENOENT);
	btf_free(btf);
}

TEST(blob_pointer_array_enum_qualifier_sizes)
{
	struct btf *btf = load_base();

	CHECK_MEMBER(btf, "sample", "slot", 32, sizeof(void *));
	CHECK_MEMBER(btf, "sample", "arr", 40, 16);
	CHECK_MEMBER(btf, "sample", "vol", 64, 4);
	CHECK_MEMBER(btf, "sample", "color", 68, 4);
	CHECK_MEMBER(btf, "sample", "tagged", 72, 4);
	CHECK_MEMBER(btf, "sample", "vptr", 80, sizeof(void *));
	CHECK_MEMBER(btf, "ring", "next", 0, sizeof(void *));
	btf_free(btf);
}

TEST(blob_kind_flag_bitfield_is_einval)
{
	struct btf *btf = load_base();

	CHECK_ERR(btf, "sample", "flags", -EINVAL);
	btf_free(btf);
}

TEST(blob_old_style_int_bitfield_is_einval)
{
	struct btf *btf = load_base();

	CHECK_ERR(btf, "old_bits", "b", -EINVAL);
	CHECK_ERR(btf, "old_bits", "c", -EINVAL);
	CHECK_MEMBER(btf, "old_bits", "whole", 4, 4);
	btf_free(btf);
}

TEST(blob_forward_declared_member_has_no_size)
{
	struct btf *btf = load_base();

	CHECK_ERR(btf, "sample", "fwd", -EINVAL);
	btf_free(btf);
}

TEST(blob_unknown_struct_or_member_is_enoent)
{
	struct btf *btf = load_base();

	CHECK_ERR(btf, "nosuch", "id", -ENOENT);
	CHECK_ERR(btf, "sample", "nosuch", -ENOENT);
	CHECK_ERR(btf, "color", "RED", -ENOENT);	/* an enum */
	CHECK_ERR(btf, "sample", "", -ENOENT);
	btf_free(btf);
}

TEST(blob_typedef_loop_and_self_nesting_fail_cleanly)
{
	struct btf *btf = load_base();

	CHECK_ERR(btf, "loopy", "bad", -EINVAL);
	CHECK_ERR(btf, "loopy", "zzz", -EINVAL);
	btf_free(btf);
}

TEST(blob_array_size_overflow_is_einval)
{
	struct btf *btf = load_base();

	CHECK_ERR(btf, "loopy", "huge", -EINVAL);
	btf_free(btf);
}

TEST(blob_null_arguments_are_einval)
{
	struct btf *btf = load_base();

	CHECK_ERR(NULL, "sample", "id", -EINVAL);
	CHECK_ERR(btf, NULL, "id", -EINVAL);
	CHECK_ERR(btf, "sample", NULL, -EINVAL);
	btf_free(btf);
	btf_free(NULL);
}

/* ---- split BTF ---- */

TEST(split_ids_and_strings_continue_after_base)
{
	struct btf *base = load_base();
	struct btf *split;

	split = btf_load_mem(split_blob.out, split_blob.out_len, base);
	CHECK(split);
	CHECK_MEMBER(split, "kvm_thing", "gpa", 0, 8);
	CHECK_MEMBER(split, "kvm_thing", "owner", 8, sizeof(void *));
	CHECK_MEMBER(split, "wrap", "deep", 12, 4);
	btf_free(split);
	btf_free(base);
}

TEST(split_falls_back_to_base_and_shadows_it)
{
	struct btf *base = load_base();
	struct btf *split;

	split = btf_load_mem(split_blob.out, split_blob.out_len, base);
	CHECK_MEMBER(split, "sample", "gfn", 16, 8);
	CHECK_MEMBER(split, "point", "x", 8, 4);	/* split's own point */
	CHECK_MEMBER(base, "point", "x", 0, 4);
	CHECK_ERR(base, "kvm_thing", "gpa", -ENOENT);
	btf_free(split);
	btf_free(base);
}

TEST(split_without_base_is_rejected)
{
	errno = 0;
	CHECK(!btf_load_mem(split_blob.out, split_blob.out_len, NULL));
	CHECK_EQ(errno, EINVAL);
}

/* ---- corrupt input ---- */

static bool rejected(const uint8_t *data, size_t len, const struct btf *base)
{
	struct btf *btf;

	errno = 0;
	btf = btf_load_mem(data, len, base);
	if (btf) {
		btf_free(btf);
		return false;
	}
	return errno == EINVAL;
}

TEST(corrupt_every_truncation_is_einval)
{
	size_t len, bad = 0;

	for (len = 0; len < base_blob.out_len; len++)
		if (!rejected(base_blob.out, len, NULL))
			bad++;
	CHECK_EQ(bad, 0);
}

/* Copy the base blob, let @fn damage it, expect EINVAL. */
static bool damaged_rejected(void (*fn)(uint8_t *d))
{
	static uint8_t d[sizeof(base_blob.out)];

	memcpy(d, base_blob.out, base_blob.out_len);
	fn(d);
	return rejected(d, base_blob.out_len, NULL);
}

static void bad_magic(uint8_t *d) { d[0] ^= 0xff; }
static void swapped_magic(uint8_t *d) { d[0] = 0xeb; d[1] = 0x9f; }
static void bad_version(uint8_t *d) { d[2] = 2; }
static void short_hdr(uint8_t *d) { put32(d + 4, 20); }
static void huge_hdr(uint8_t *d) { put32(d + 4, 0x7fffffff); }
static void type_len_past_end(uint8_t *d) { put32(d + 12, 0xfffffff0); }
static void type_off_wraps(uint8_t *d) { put32(d + 8, 0xffffffff); }
static void str_len_past_end(uint8_t *d) { put32(d + 20, 0x10000); }

static void unterminated_strings(uint8_t *d)
{
	d[base_blob.out_len - 1] = 'x';
}

static void first_string_not_empty(uint8_t *d)
{
	d[24 + base_blob.types_len] = 'x';
}

static void unknown_kind(uint8_t *d)
{
	put32(d + blob_rec(&base_blob, 5) + 4, 25u << 24);
}

static void vlen_past_section(uint8_t *d)
{
	put32(d + blob_rec(&base_blob, id_sample) + 4, 4u << 24 | 0xffff);
}

static void member_type_out_of_range(uint8_t *d)
{
	put32(d + blob_rec(&base_blob, 5) + 12 + 4, 9999);
}

static void name_out_of_range(uint8_t *d)
{
	put32(d + blob_rec(&base_blob, 3), 0xffffff);
}

static void typedef_target_out_of_range(uint8_t *d)
{
	put32(d + blob_rec(&base_blob, 3) + 8, 1u << 20);
}

TEST(corrupt_header_is_einval)
{
	CHECK(damaged_rejected(bad_magic));
	CHECK(damaged_rejected(swapped_magic));
	CHECK(damaged_rejected(bad_version));
	CHECK(damaged_rejected(short_hdr));
	CHECK(damaged_rejected(huge_hdr));
	CHECK(damaged_rejected(type_len_past_end));
	CHECK(damaged_rejected(type_off_wraps));
	CHECK(damaged_rejected(str_len_past_end));
}

TEST(corrupt_strings_are_einval)
{
	CHECK(damaged_rejected(unterminated_strings));
	CHECK(damaged_rejected(first_string_not_empty));
	CHECK(damaged_rejected(name_out_of_range));
}

TEST(corrupt_type_records_are_einval)
{
	CHECK(damaged_rejected(unknown_kind));
	CHECK(damaged_rejected(vlen_past_section));
	CHECK(damaged_rejected(member_type_out_of_range));
	CHECK(damaged_rejected(typedef_target_out_of_range));
}

static void query_all(const struct btf *btf)
{
	static const char *const q[][2] = {
		{ "sample", "id" }, { "sample", "u" }, { "sample", "gfn" },
		{ "sample", "inner_a" }, { "sample", "arr" },
		{ "sample", "slot" }, { "sample", "fwd" },
		{ "sample", "zzz" }, { "loopy", "bad" }, { "loopy", "zzz" },
		{ "old_bits", "c" }, { "ring", "next" },
	};
	unsigned int off, size;
	size_t i;

	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		btf_member_offset(btf, q[i][0], q[i][1], &off, &size);
}

TEST(corrupt_byte_flips_never_crash)
{
	static uint8_t d[sizeof(base_blob.out)];
	static const uint8_t vals[] = { 0x00, 0xff, 0x80, 0x7f, 0x01 };
	size_t i, v, loaded = 0;
	struct btf *btf;

	for (i = 0; i < base_blob.out_len; i++) {
		for (v = 0; v < sizeof(vals); v++) {
			memcpy(d, base_blob.out, base_blob.out_len);
			d[i] = vals[v];
			btf = btf_load_mem(d, base_blob.out_len, NULL);
			if (!btf)
				continue;
			loaded++;
			query_all(btf);
			btf_free(btf);
		}
	}
	CHECK(loaded > 0);
}

/* ---- loading from a file ---- */

TEST(file_load_round_trip_and_errors)
{
	char path[] = "/tmp/test_btf_XXXXXX";
	struct btf *btf;
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK_EQ(write(fd, base_blob.out, base_blob.out_len),
		 base_blob.out_len);
	close(fd);
	btf = btf_load(path, NULL);
	CHECK(btf);
	CHECK_MEMBER(btf, "sample", "inner_a", 60, 4);
	btf_free(btf);
	CHECK_EQ(truncate(path, 30), 0);
	errno = 0;
	CHECK(!btf_load(path, NULL));
	CHECK_EQ(errno, EINVAL);
	unlink(path);
	errno = 0;
	CHECK(!btf_load(path, NULL));
	CHECK_EQ(errno, ENOENT);
	errno = 0;
	CHECK(!btf_load("/", NULL));
	CHECK_EQ(errno, EISDIR);
}

/* ---- this machine's kernel BTF ---- */

static struct btf *vmlinux;

static void show(const char *st, const char *member)
{
	unsigned int off, size;
	int err = btf_member_offset(vmlinux, st, member, &off, &size);

	if (err)
		printf("# %s.%s: %s\n", st, member, strerror(-err));
	else
		printf("# %s.%s: offset %u size %u\n", st, member, off, size);
}

TEST(vmlinux_kvm_memory_slot_members)
{
	static const char *const m[] = {
		"id", "base_gfn", "userspace_addr", "npages", "as_id", "flags",
	};
	size_t i;

	if (!vmlinux)
		SKIP("%s not readable", VMLINUX);
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		show("kvm_memory_slot", m[i]);
		CHECK_EQ(btf_member_offset(vmlinux, "kvm_memory_slot", m[i],
					   NULL, NULL), 0);
	}
}

/* Size of a member, or 0 when it is missing. */
static unsigned int vsize(const char *st, const char *member)
{
	unsigned int size = 0;

	if (btf_member_offset(vmlinux, st, member, NULL, &size))
		return 0;
	return size;
}

TEST(vmlinux_member_sizes_match_kernel_types)
{
	if (!vmlinux)
		SKIP("%s not readable", VMLINUX);
	CHECK_EQ(vsize("kvm_memory_slot", "id"), 2);		/* short */
	CHECK_EQ(vsize("kvm_memory_slot", "base_gfn"), 8);	/* gfn_t */
	CHECK_EQ(vsize("kvm_memory_slot", "userspace_addr"), 8);
	CHECK_EQ(vsize("kvm_memory_slot", "npages"), 8);
	CHECK_EQ(vsize("kvm_page_fault", "addr"), 8);		/* gpa_t */
	CHECK_EQ(vsize("kvm_page_fault", "error_code"), 8);
	CHECK_EQ(vsize("kvm_page_fault", "gfn"), 8);
	CHECK_EQ(vsize("kvm_page_fault", "slot"), 8);		/* pointer */
	CHECK_EQ(vsize("kvm_page_fault", "pfn"), 8);
	CHECK_EQ(vsize("kvm_page_fault", "write"), 1);		/* bool */
	CHECK_EQ(vsize("kvm_page_fault", "exec"), 1);
	CHECK_EQ(vsize("kvm_page_fault", "prefetch"), 1);
}

TEST(vmlinux_kvm_page_fault_members)
{
	static const char *const m[] = {
		"addr", "error_code", "prefetch", "exec", "write", "present",
		"rsvd", "user", "is_tdp", "is_private", "gfn", "slot",
		"mmu_seq", "pfn", "hva", "map_writable", "goal_level",
	};
	unsigned int off = ~0u;
	size_t i;

	if (!vmlinux)
		SKIP("%s not readable", VMLINUX);
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		show("kvm_page_fault", m[i]);
	CHECK_EQ(btf_member_offset(vmlinux, "kvm_page_fault", "addr", &off,
				   NULL), 0);
	CHECK_EQ(off, 0);	/* first member since the struct exists */
}

TEST(vmlinux_anonymous_members_resolve)
{
	if (!vmlinux)
		SKIP("%s not readable", VMLINUX);
	/* struct page keeps most members in anonymous unions of structs */
	CHECK_MEMBER(vmlinux, "page", "lru", 8, 16);
	CHECK_MEMBER(vmlinux, "page", "mapping", 24, 8);
	CHECK_MEMBER(vmlinux, "page", "private", 40, 8);
	CHECK_MEMBER(vmlinux, "page", "_refcount", 52, 4);
}

/*
 * pahole output, flattened the way btf_member_offset() sees a struct:
 * members of anonymous blocks are kept (pahole prints absolute offsets),
 * members of named inner blocks are replaced by the block itself.
 */
struct ph_member {
	char name[64];
	unsigned int off;
	unsigned int size;
	bool bitfield;
};

struct ph_struct {
	struct ph_member m[1024];
	int n;
	int stack[32];
	int depth;
};

/* Identifier just before @end in @line, or NULL. */
static const char *ph_ident(char *line, char *end)
{
	char *start = end;

	while (start > line && (isalnum((unsigned char)start[-1]) ||
				start[-1] == '_'))
		start--;
	if (start == end || isdigit((unsigned char)*start))
		return NULL;
	*end = '\0';
	return start;
}

/* Name of the member declared by @decl ("type name[2]", "x:3"). */
static const char *ph_decl_name(char *decl)
{
	char *end = decl + strlen(decl), *p;

	if ((p = strrchr(decl, ':')))
		end = p;
	while (end > decl && end[-1] == ']' && (p = strrchr(decl, '[')) &&
	       p < end)
		end = p;
	while (end > decl && end[-1] == ' ')
		end--;
	return ph_ident(decl, end);
}

static void ph_add(struct ph_struct *ps, const char *name, const char *cmt)
{
	struct ph_member *m;
	unsigned int bit;

	if (!name || ps->n == (int)(sizeof(ps->m) / sizeof(ps->m[0])))
		return;
	m = &ps->m[ps->n];
	m->bitfield = sscanf(cmt, "/* %u:%u %u */", &m->off, &bit,
			     &m->size) == 3;
	if (!m->bitfield && sscanf(cmt, "/* %u %u */", &m->off, &m->size) != 2)
		return;
	snprintf(m->name, sizeof(m->name), "%s", name);
	ps->n++;
}

static void ph_close(struct ph_struct *ps, char *code, const char *cmt)
{
	char *semi = strrchr(code, ';');
	const char *name = semi ? ph_ident(code, semi) : NULL;

	if (ps->depth > 0)
		ps->depth--;
	if (!name || ps->depth == 0)
		return;		/* anonymous block: keep its members */
	ps->n = ps->stack[ps->depth];
	ph_add(ps, name, cmt);
}

static void ph_line(struct ph_struct *ps, char *line)
{
	char cmt[128] = "", *c = strstr(line, "/*"), *code = line, *end;
	char *semi;

	if (c) {
		snprintf(cmt, sizeof(cmt), "%s", c);
		*c = '\0';
	}
	while (*code == '\t' || *code == ' ')
		code++;
	end = code + strlen(code);
	while (end > code && isspace((unsigned char)end[-1]))
		*--end = '\0';
	if (!*code)
		return;
	if (end[-1] == '{') {
		if (ps->depth < 32)
			ps->stack[ps->depth++] = ps->n;
		return;
	}
	if (*code == '}') {
		ph_close(ps, code, cmt);
		return;
	}
	semi = strrchr(code, ';');
	if (!semi || (semi > code && semi[-1] == ')'))
		return;		/* function pointer or not a member */
	*semi = '\0';
	ph_add(ps, ph_decl_name(code), cmt);
}

/* Compare every member pahole shows as reachable; returns members seen. */
static int compare_pahole(const char *st)
{
	static struct ph_struct ps;
	char cmd[256], line[512];
	unsigned int o, s;
	int i, err;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "pahole -F btf -C %s %s 2>/dev/null", st,
		 VMLINUX);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	memset(&ps, 0, sizeof(ps));
	while (fgets(line, sizeof(line), p))
		ph_line(&ps, line);
	pclose(p);
	for (i = 0; i < ps.n; i++) {
		err = btf_member_offset(vmlinux, st, ps.m[i].name, &o, &s);
		if (ps.m[i].bitfield) {
			if (err != -EINVAL)
				tl_fail("%s.%s: bitfield gave %d", st,
					ps.m[i].name, err);
		} else if (err || o != ps.m[i].off || s != ps.m[i].size) {
			tl_fail("%s.%s: btf %d %u/%u, pahole %u/%u", st,
				ps.m[i].name, err, o, s, ps.m[i].off,
				ps.m[i].size);
		}
	}
	return ps.n;
}

TEST(vmlinux_offsets_match_pahole)
{
	static const char *const structs[] = {
		"kvm_page_fault", "kvm_memory_slot", "kvm_mmu_page",
		"kvm_vcpu", "kvm", "task_struct", "sk_buff", "page",
	};
	size_t i;
	int n, total = 0;

	if (!vmlinux)
		SKIP("%s not readable", VMLINUX);
	if (system("pahole --version >/dev/null 2>&1"))
		SKIP("pahole not installed");
	for (i = 0; i < sizeof(structs) / sizeof(structs[0]); i++) {
		n = compare_pahole(structs[i]);
		if (n <= 0)
			tl_fail("pahole printed no members of %s", structs[i]);
		total += n > 0 ? n : 0;
	}
	printf("# %d members compared with pahole\n", total);
}

TEST(kvm_module_split_btf)
{
	unsigned int off, size;
	struct btf *kvm;

	if (!vmlinux)
		SKIP("%s not readable", VMLINUX);
	if (access(KVM_BTF, R_OK))
		SKIP("no %s (KVM built in or not loaded)", KVM_BTF);
	kvm = btf_load(KVM_BTF, vmlinux);
	CHECK(kvm);
	CHECK_EQ(btf_member_offset(kvm, "kvm_page_fault", "gfn", &off,
				   &size), 0);
	CHECK_EQ(size, 8);
	CHECK_EQ(btf_member_offset(kvm, "kvm_memory_slot", "base_gfn", &off,
				   &size), 0);
	btf_free(kvm);
}

int main(void)
{
	build_base();
	build_split();
	RUN(blob_plain_members_and_typedef_sizes);
	RUN(blob_anonymous_union_members_add_their_offset);
	RUN(blob_named_nested_members_are_not_flattened);
	RUN(blob_pointer_array_enum_qualifier_sizes);
	RUN(blob_kind_flag_bitfield_is_einval);
	RUN(blob_old_style_int_bitfield_is_einval);
	RUN(blob_forward_declared_member_has_no_size);
	RUN(blob_unknown_struct_or_member_is_enoent);
	RUN(blob_typedef_loop_and_self_nesting_fail_cleanly);
	RUN(blob_array_size_overflow_is_einval);
	RUN(blob_null_arguments_are_einval);
	RUN(split_ids_and_strings_continue_after_base);
	RUN(split_falls_back_to_base_and_shadows_it);
	RUN(split_without_base_is_rejected);
	RUN(corrupt_every_truncation_is_einval);
	RUN(corrupt_header_is_einval);
	RUN(corrupt_strings_are_einval);
	RUN(corrupt_type_records_are_einval);
	RUN(corrupt_byte_flips_never_crash);
	RUN(file_load_round_trip_and_errors);
	vmlinux = btf_load(VMLINUX, NULL);
	RUN(vmlinux_kvm_memory_slot_members);
	RUN(vmlinux_member_sizes_match_kernel_types);
	RUN(vmlinux_kvm_page_fault_members);
	RUN(vmlinux_anonymous_members_resolve);
	RUN(vmlinux_offsets_match_pahole);
	RUN(kvm_module_split_btf);
	btf_free(vmlinux);
	return TESTS_DONE();
}
