// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * btf.c - struct member offsets from the kernel's BTF, without libbpf.
 *
 * The format is described by the kernel's include/uapi/linux/btf.h and
 * Documentation/bpf/btf.rst: a header, a type section of variable-length
 * records (12 bytes plus kind-specific data) and a string section.  Type
 * id 0 is void; ids of a split file start after the base's last id and
 * its string offsets after the base's string section.
 *
 * Loading indexes every type record and validates sizes, names and the
 * type references this file follows, so lookups can trust offsets; they
 * still bound type chains and anonymous nesting against loops.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btf.h"

#define BTF_MAGIC_LE	0xeb9f
#define BTF_VERSION_1	1
#define BTF_HDR_MIN	24		/* magic .. str_len */
#define BTF_REC_LEN	12		/* name_off, info, size/type */
#define BTF_MAX_DEPTH	32		/* type chains, anonymous nesting */
#define BTF_MAX_FILE	(512UL << 20)

enum btf_kind {
	BK_INT = 1,
	BK_PTR,
	BK_ARRAY,
	BK_STRUCT,
	BK_UNION,
	BK_ENUM,
	BK_FWD,
	BK_TYPEDEF,
	BK_VOLATILE,
	BK_CONST,
	BK_RESTRICT,
	BK_FUNC,
	BK_FUNC_PROTO,
	BK_VAR,
	BK_DATASEC,
	BK_FLOAT,
	BK_DECL_TAG,
	BK_TYPE_TAG,
	BK_ENUM64,
};

struct btf {
	uint8_t *data;
	size_t size;
	const uint8_t *types;
	uint32_t types_len;
	const char *strs;
	uint32_t strs_len;
	uint32_t *offs;		/* offset in @types of each local type */
	uint32_t nr;		/* number of local types */
	uint32_t first_id;	/* type id of offs[0] */
	uint32_t first_str;	/* string offset of strs[0] */
	unsigned int ptr_size;	/* from "long" in this file, 0 if none */
	const struct btf *base;
};

/* One decoded type record. */
struct btf_rec {
	uint32_t name_off;
	uint32_t kind;
	uint32_t vlen;
	bool kflag;
	uint32_t size_type;	/* size or referenced type id */
	const uint8_t *extra;	/* kind-specific data after the record */
};

/* A member found by name. */
struct btf_hit {
	uint64_t bit_off;
	uint32_t bitfield;	/* bitfield size from kind_flag encoding */
	uint32_t type;
};

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void btf_decode(const uint8_t *p, struct btf_rec *r)
{
	uint32_t info = rd32(p + 4);

	r->name_off = rd32(p);
	r->kind = (info >> 24) & 0x1f;
	r->vlen = info & 0xffff;
	r->kflag = info >> 31;
	r->size_type = rd32(p + 8);
	r->extra = p + BTF_REC_LEN;
}

static uint32_t btf_end_id(const struct btf *btf)
{
	return btf->first_id + btf->nr;
}

static uint32_t btf_end_str(const struct btf *btf)
{
	return btf->first_str + btf->strs_len;
}

/* Type record @id, searching the base for lower ids.  False if none. */
static bool btf_get(const struct btf *btf, uint32_t id, struct btf_rec *r)
{
	while (btf && id < btf->first_id)
		btf = btf->base;
	if (!btf || id - btf->first_id >= btf->nr)
		return false;
	btf_decode(btf->types + btf->offs[id - btf->first_id], r);
	return true;
}

/* String at offset @off, searching the base for lower offsets. */
static const char *btf_str(const struct btf *btf, uint32_t off)
{
	while (btf && off < btf->first_str)
		btf = btf->base;
	if (!btf || off - btf->first_str >= btf->strs_len)
		return NULL;
	return btf->strs + (off - btf->first_str);
}

/* Bytes of kind-specific data after a record; -EINVAL for unknown kinds. */
static int btf_extra_len(uint32_t kind, uint32_t vlen, size_t *len)
{
	switch (kind) {
	case BK_INT:
	case BK_VAR:
	case BK_DECL_TAG:
		*len = 4;
		return 0;
	case BK_PTR:
	case BK_FWD:
	case BK_TYPEDEF:
	case BK_VOLATILE:
	case BK_CONST:
	case BK_RESTRICT:
	case BK_FUNC:
	case BK_FLOAT:
	case BK_TYPE_TAG:
		*len = 0;
		return 0;
	case BK_ARRAY:
		*len = 12;
		return 0;
	case BK_STRUCT:
	case BK_UNION:
	case BK_DATASEC:
	case BK_ENUM64:
		*len = (size_t)vlen * 12;
		return 0;
	case BK_ENUM:
	case BK_FUNC_PROTO:
		*len = (size_t)vlen * 8;
		return 0;
	}
	return -EINVAL;
}

static int btf_parse_header(struct btf *btf)
{
	const uint8_t *d = btf->data;
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
	uint64_t body;
	uint16_t magic;

	if (btf->size < BTF_HDR_MIN)
		return -EINVAL;
	memcpy(&magic, d, sizeof(magic));
	if (magic != BTF_MAGIC_LE || d[2] != BTF_VERSION_1)
		return -EINVAL;
	hdr_len = rd32(d + 4);
	type_off = rd32(d + 8);
	type_len = rd32(d + 12);
	str_off = rd32(d + 16);
	str_len = rd32(d + 20);
	if (hdr_len < BTF_HDR_MIN || hdr_len > btf->size)
		return -EINVAL;
	body = btf->size - hdr_len;
	if ((uint64_t)type_off + type_len > body ||
	    (uint64_t)str_off + str_len > body)
		return -EINVAL;
	btf->types = d + hdr_len + type_off;
	btf->types_len = type_len;
	btf->strs = (const char *)d + hdr_len + str_off;
	btf->strs_len = str_len;
	return 0;
}

static int btf_check_strings(const struct btf *btf)
{
	if (btf->strs_len && btf->strs[btf->strs_len - 1] != '\0')
		return -EINVAL;
	/* offset 0 is the empty name of anonymous types */
	if (!btf->base && (!btf->strs_len || btf->strs[0] != '\0'))
		return -EINVAL;
	if (btf_end_str(btf) < btf->first_str)
		return -EINVAL;
	return 0;
}

static int btf_add_offset(struct btf *btf, size_t *cap, uint32_t off)
{
	uint32_t *offs;

	if (btf->nr == *cap) {
		*cap = *cap ? *cap * 2 : 1024;
		offs = realloc(btf->offs, *cap * sizeof(*offs));
		if (!offs)
			return -ENOMEM;
		btf->offs = offs;
	}
	btf->offs[btf->nr++] = off;
	return 0;
}

/* Record where every type starts, checking each fits in the section. */
static int btf_index(struct btf *btf)
{
	size_t pos = 0, cap = 0, extra;
	struct btf_rec r;
	int err;

	while (pos < btf->types_len) {
		if (btf->types_len - pos < BTF_REC_LEN)
			return -EINVAL;
		btf_decode(btf->types + pos, &r);
		if (btf_extra_len(r.kind, r.vlen, &extra))
			return -EINVAL;
		if (btf->types_len - pos - BTF_REC_LEN < extra)
			return -EINVAL;
		if (btf_end_id(btf) == UINT32_MAX)
			return -EINVAL;
		err = btf_add_offset(btf, &cap, (uint32_t)pos);
		if (err)
			return err;
		pos += BTF_REC_LEN + extra;
	}
	return 0;
}

static bool btf_id_ok(const struct btf *btf, uint32_t id)
{
	return id < btf_end_id(btf);
}

static bool btf_members_ok(const struct btf *btf, const struct btf_rec *r)
{
	const uint8_t *m = r->extra;
	uint32_t i;

	for (i = 0; i < r->vlen; i++, m += 12)
		if (!btf_str(btf, rd32(m)) || !btf_id_ok(btf, rd32(m + 4)))
			return false;
	return true;
}

/* Check the names and type references that lookups will follow. */
static bool btf_rec_ok(const struct btf *btf, const struct btf_rec *r)
{
	if (!btf_str(btf, r->name_off))
		return false;
	switch (r->kind) {
	case BK_STRUCT:
	case BK_UNION:
		return btf_members_ok(btf, r);
	case BK_ARRAY:
		return btf_id_ok(btf, rd32(r->extra));
	case BK_PTR:
	case BK_TYPEDEF:
	case BK_VOLATILE:
	case BK_CONST:
	case BK_RESTRICT:
	case BK_TYPE_TAG:
		return btf_id_ok(btf, r->size_type);
	}
	return true;
}

static bool btf_is_long(const struct btf *btf, const struct btf_rec *r)
{
	const char *name = btf_str(btf, r->name_off);

	return r->kind == BK_INT && name &&
	       (!strcmp(name, "long int") ||
		!strcmp(name, "long unsigned int") ||
		!strcmp(name, "unsigned long") || !strcmp(name, "long"));
}

static int btf_validate(struct btf *btf)
{
	struct btf_rec r;
	uint32_t i;

	for (i = 0; i < btf->nr; i++) {
		btf_decode(btf->types + btf->offs[i], &r);
		if (!btf_rec_ok(btf, &r))
			return -EINVAL;
		if (!btf->ptr_size && btf_is_long(btf, &r) &&
		    (r.size_type == 4 || r.size_type == 8))
			btf->ptr_size = r.size_type;
	}
	return 0;
}

static unsigned int btf_ptr_size(const struct btf *btf)
{
	for (; btf; btf = btf->base)
		if (btf->ptr_size)
			return btf->ptr_size;
	return sizeof(void *);
}

void btf_free(struct btf *btf)
{
	if (!btf)
		return;
	free(btf->offs);
	free(btf->data);
	free(btf);
}

static int btf_setup(struct btf *btf)
{
	int err;

	err = btf_parse_header(btf);
	if (!err)
		err = btf_check_strings(btf);
	if (!err)
		err = btf_index(btf);
	if (!err)
		err = btf_validate(btf);
	return err;
}

/* Build a BTF object that owns @data (freed on failure too). */
static struct btf *btf_new(uint8_t *data, size_t size, const struct btf *base)
{
	struct btf *btf = calloc(1, sizeof(*btf));
	int err;

	if (!btf) {
		free(data);
		errno = ENOMEM;
		return NULL;
	}
	btf->data = data;
	btf->size = size;
	btf->base = base;
	btf->first_id = base ? btf_end_id(base) : 1;
	btf->first_str = base ? btf_end_str(base) : 0;
	err = btf_setup(btf);
	if (err) {
		btf_free(btf);
		errno = -err;
		return NULL;
	}
	return btf;
}

struct btf *btf_load_mem(const void *data, size_t size,
			 const struct btf *base)
{
	uint8_t *copy;

	if (!data && size) {
		errno = EINVAL;
		return NULL;
	}
	copy = malloc(size ? size : 1);
	if (!copy) {
		errno = ENOMEM;
		return NULL;
	}
	if (size)
		memcpy(copy, data, size);
	return btf_new(copy, size, base);
}

static int btf_grow(uint8_t **buf, size_t *cap)
{
	uint8_t *nb;

	if (*cap >= BTF_MAX_FILE)
		return -EFBIG;
	*cap = *cap * 2 > BTF_MAX_FILE ? BTF_MAX_FILE : *cap * 2;
	nb = realloc(*buf, *cap);
	if (!nb)
		return -ENOMEM;
	*buf = nb;
	return 0;
}

/* Read a whole file; sysfs sizes are trusted only as a first guess. */
static int btf_read_fd(int fd, uint8_t **out, size_t *len)
{
	struct stat st;
	size_t cap = 65536;
	uint8_t *buf;
	ssize_t n;
	int err;

	if (!fstat(fd, &st) && st.st_size > 0 &&
	    (uint64_t)st.st_size < BTF_MAX_FILE)
		cap = (size_t)st.st_size + 1;
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	*len = 0;
	for (;;) {
		err = *len == cap ? btf_grow(&buf, &cap) : 0;
		if (err) {
			free(buf);
			return err;
		}
		n = read(fd, buf + *len, cap - *len);
		if (n == 0)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			free(buf);
			return err;
		}
		*len += (size_t)n;
	}
	*out = buf;
	return 0;
}

struct btf *btf_load(const char *path, const struct btf *base)
{
	uint8_t *data = NULL;
	size_t len;
	int fd, err;

	if (!path) {
		errno = EINVAL;
		return NULL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	err = btf_read_fd(fd, &data, &len);
	close(fd);
	if (err) {
		errno = -err;
		return NULL;
	}
	return btf_new(data, len, base);
}

/* Follow typedefs and qualifiers; 0 if the chain is broken or loops. */
static uint32_t btf_skip_mods(const struct btf *btf, uint32_t id)
{
	struct btf_rec r;
	int i;

	for (i = 0; i < BTF_MAX_DEPTH; i++) {
		if (!btf_get(btf, id, &r))
			return 0;
		switch (r.kind) {
		case BK_TYPEDEF:
		case BK_VOLATILE:
		case BK_CONST:
		case BK_RESTRICT:
		case BK_TYPE_TAG:
			id = r.size_type;
			break;
		default:
			return id;
		}
	}
	return 0;
}

static bool btf_is_composite(const struct btf *btf, uint32_t id)
{
	struct btf_rec r;

	return btf_get(btf, id, &r) &&
	       (r.kind == BK_STRUCT || r.kind == BK_UNION);
}

static int btf_find_member(const struct btf *btf, uint32_t id,
			   const char *name, int depth, struct btf_hit *hit);

/* Match member @i of @r by name, or descend into it if anonymous. */
static int btf_match_member(const struct btf *btf, const struct btf_rec *r,
			    uint32_t i, const char *name, int depth,
			    struct btf_hit *hit)
{
	const uint8_t *m = r->extra + (size_t)i * 12;
	const char *mname = btf_str(btf, rd32(m));
	uint32_t off = rd32(m + 8), inner;
	uint64_t outer_off;
	int err;

	if (!mname)
		return -EINVAL;
	hit->bit_off = r->kflag ? (off & 0xffffff) : off;
	hit->bitfield = r->kflag ? off >> 24 : 0;
	hit->type = rd32(m + 4);
	if (*mname)
		return strcmp(mname, name) ? -ENOENT : 0;
	inner = btf_skip_mods(btf, hit->type);
	if (!btf_is_composite(btf, inner))
		return -ENOENT;
	outer_off = hit->bit_off;
	err = btf_find_member(btf, inner, name, depth + 1, hit);
	if (!err)
		hit->bit_off += outer_off;
	return err;
}

static int btf_find_member(const struct btf *btf, uint32_t id,
			   const char *name, int depth, struct btf_hit *hit)
{
	struct btf_rec r;
	uint32_t i;
	int err;

	if (depth > BTF_MAX_DEPTH || !btf_get(btf, id, &r))
		return -EINVAL;
	if (r.kind != BK_STRUCT && r.kind != BK_UNION)
		return -EINVAL;
	for (i = 0; i < r.vlen; i++) {
		err = btf_match_member(btf, &r, i, name, depth, hit);
		if (err != -ENOENT)
			return err;
	}
	return -ENOENT;
}

/* First struct or union called @name, split file before base; 0 if none. */
static uint32_t btf_find_struct(const struct btf *btf, const char *name)
{
	const struct btf *layer;
	struct btf_rec r;
	const char *s;
	uint32_t i;

	for (layer = btf; layer; layer = layer->base) {
		for (i = 0; i < layer->nr; i++) {
			btf_decode(layer->types + layer->offs[i], &r);
			if (r.kind != BK_STRUCT && r.kind != BK_UNION)
				continue;
			s = btf_str(btf, r.name_off);
			if (s && !strcmp(s, name))
				return layer->first_id + i;
		}
	}
	return 0;
}

static int btf_type_size(const struct btf *btf, uint32_t id, int depth,
			 uint64_t *size);

static int btf_array_size(const struct btf *btf, const struct btf_rec *r,
			  int depth, uint64_t *size)
{
	uint32_t nelems = rd32(r->extra + 8);
	uint64_t elem;
	int err;

	err = btf_type_size(btf, rd32(r->extra), depth + 1, &elem);
	if (err)
		return err;
	if (nelems && elem > UINT_MAX / nelems)
		return -EINVAL;
	*size = elem * nelems;
	return 0;
}

/* Size in bytes of type @id after typedefs and qualifiers. */
static int btf_type_size(const struct btf *btf, uint32_t id, int depth,
			 uint64_t *size)
{
	struct btf_rec r;

	if (depth > BTF_MAX_DEPTH || !btf_get(btf, btf_skip_mods(btf, id), &r))
		return -EINVAL;
	switch (r.kind) {
	case BK_INT:
	case BK_ENUM:
	case BK_ENUM64:
	case BK_STRUCT:
	case BK_UNION:
	case BK_FLOAT:
		*size = r.size_type;
		return 0;
	case BK_PTR:
		*size = btf_ptr_size(btf);
		return 0;
	case BK_ARRAY:
		return btf_array_size(btf, &r, depth, size);
	}
	return -EINVAL;
}

/* An INT narrower than its storage or shifted is an old-style bitfield. */
static bool btf_is_int_bitfield(const struct btf *btf, uint32_t id,
				uint64_t size)
{
	struct btf_rec r;
	uint32_t enc;

	if (!btf_get(btf, btf_skip_mods(btf, id), &r) || r.kind != BK_INT)
		return false;
	enc = rd32(r.extra);
	return ((enc >> 16) & 0xff) != 0 || (enc & 0xff) != size * 8;
}

int btf_member_offset(const struct btf *btf, const char *struct_name,
		      const char *member, unsigned int *byte_offset,
		      unsigned int *byte_size)
{
	struct btf_hit hit;
	uint64_t size;
	uint32_t id;
	int err;

	if (!btf || !struct_name || !member)
		return -EINVAL;
	id = btf_find_struct(btf, struct_name);
	if (!id)
		return -ENOENT;
	err = btf_find_member(btf, id, member, 0, &hit);
	if (err)
		return err;
	if (hit.bitfield || hit.bit_off % 8 || hit.bit_off / 8 > UINT_MAX)
		return -EINVAL;
	err = btf_type_size(btf, hit.type, 0, &size);
	if (err)
		return err;
	if (size > UINT_MAX || btf_is_int_bitfield(btf, hit.type, size))
		return -EINVAL;
	if (byte_offset)
		*byte_offset = (unsigned int)(hit.bit_off / 8);
	if (byte_size)
		*byte_size = (unsigned int)size;
	return 0;
}
