// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trace_events.c - field lookup and decoding of event payloads.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "trace_events.h"

#define MAX_EVENT_ID	65536
#define MAX_FIELDS	8
/* An event's payload fits a ring-buffer page (4096 - 16-byte header). */
#define MAX_EVENT_SIZE	4080
/* common_type, common_flags, common_preempt_count, common_pid */
#define COMMON_SIZE	8

/* Where a decoded field goes in struct trace_record. */
enum field_target {
	T_NONE, T_FUNC, T_DEPTH, T_CALLTIME, T_RETTIME, T_VCPU, T_ADDR,
	T_GFN, T_ERROR, T_PFN, T_EXIT_INFO, T_EXIT_REASON, T_SLOT_ID,
	T_BASE_GFN, T_UADDR, T_NPAGES, T_SPTE, T_SLOT_PTR, T_FAST_RET,
};

struct field_spec {
	const char *name;
	enum field_target target;
};

struct event_spec {
	const char *system;
	const char *name;
	enum rec_type type;
	struct field_spec fields[MAX_FIELDS];
};

static const struct event_spec specs[] = {
	{ "ftrace", "funcgraph_entry", REC_FG_ENTRY,
	  { { "func", T_FUNC }, { "depth", T_DEPTH } } },
	{ "ftrace", "funcgraph_exit", REC_FG_EXIT,
	  { { "func", T_FUNC }, { "depth", T_DEPTH },
	    { "calltime", T_CALLTIME }, { "rettime", T_RETTIME } } },
	{ "kvm", "kvm_page_fault", REC_PAGE_FAULT,
	  { { "vcpu_id", T_VCPU }, { "fault_address", T_ADDR },
	    { "error_code", T_ERROR } } },
	{ "kvm", "kvm_entry", REC_KVM_ENTRY, { { "vcpu_id", T_VCPU } } },
	{ "kvm", "kvm_exit", REC_KVM_EXIT,
	  { { "vcpu_id", T_VCPU }, { "exit_reason", T_EXIT_REASON },
	    { "info1", T_EXIT_INFO } } },
	{ "kvmmmu", "kvm_mmu_spte_requested", REC_SPTE_REQUESTED,
	  { { "gfn", T_GFN }, { "pfn", T_PFN } } },
	{ "kvmmmu", "fast_page_fault", REC_FAST_PF,
	  { { "vcpu_id", T_VCPU }, { "cr2_or_gpa", T_ADDR },
	    { "error_code", T_ERROR }, { "new_spte", T_SPTE },
	    { "ret", T_FAST_RET } } },
	{ "kvmmmu", "handle_mmio_page_fault", REC_MMIO_PF,
	  { { "addr", T_ADDR } } },
	{ "kvmmmu", "kvm_mmu_set_spte", REC_SET_SPTE,
	  { { "gfn", T_GFN } } },
	{ "kvm", "kvm_fast_mmio", REC_FAST_MMIO, { { "gpa", T_ADDR } } },
	{ "kvmmmu_graph", "memslot", REC_MEMSLOT,
	  { { "slot_id", T_SLOT_ID }, { "base_gfn", T_BASE_GFN },
	    { "uaddr", T_UADDR }, { "npages", T_NPAGES },
	    { "gfn", T_GFN },
	    /* last: a NULL slot voids the fields read through it */
	    { "slot", T_SLOT_PTR } } },
	{ "kvmmmu_graph", "memslot_learn", REC_MEMSLOT_LEARN,
	  { { "slot_id", T_SLOT_ID }, { "base_gfn", T_BASE_GFN },
	    { "uaddr", T_UADDR }, { "npages", T_NPAGES },
	    { "gfn", T_GFN },
	    { "slot", T_SLOT_PTR } } },
};

#define NR_SPECS (sizeof(specs) / sizeof(specs[0]))

bool event_decoder_wanted(unsigned int i, const char **system,
			  const char **name)
{
	if (i >= NR_SPECS)
		return false;
	*system = specs[i].system;
	*name = specs[i].name;
	return true;
}

struct field_loc {
	unsigned short offset;
	unsigned char size;
	unsigned char is_signed;
	enum field_target target;
};

struct event_layout {
	enum rec_type type;
	unsigned int min_size;
	unsigned int nr_fields;
	struct field_loc fields[MAX_FIELDS];
};

struct event_decoder {
	struct field_loc common_type;
	struct field_loc common_pid;
	int fast_fixed, fast_spurious;	/* RET_PF_* values, -1 unknown */
	bool have[REC_TYPE_COUNT];
	unsigned char layout_of[MAX_EVENT_ID];	/* id -> layouts index + 1 */
	struct event_layout layouts[NR_SPECS];
	unsigned int nr_layouts;
};

static void loc_from_field(struct field_loc *loc, struct tep_format_field *f,
			   enum field_target target)
{
	loc->offset = (unsigned short)f->offset;
	loc->size = (unsigned char)f->size;
	loc->is_signed = !!(f->flags & TEP_FIELD_IS_SIGNED);
	loc->target = target;
}

/*
 * A field as the format file gives it: an offset and a size the payload
 * can hold, after the common header unless it is part of it.
 */
static bool field_fits(const struct tep_format_field *f, bool common)
{
	if (f->offset < 0 || f->size <= 0 || f->size > MAX_EVENT_SIZE ||
	    f->offset > MAX_EVENT_SIZE - f->size)
		return false;
	return common ? f->offset + f->size <= COMMON_SIZE :
			f->offset >= COMMON_SIZE;
}

/* Whether a used field overlaps one found before it. */
static bool overlaps(const struct event_layout *lay,
		     const struct tep_format_field *f)
{
	unsigned int i, a, b;

	for (i = 0; i < lay->nr_fields; i++) {
		a = lay->fields[i].offset;
		b = a + lay->fields[i].size;
		if ((unsigned int)f->offset < b &&
		    a < (unsigned int)(f->offset + f->size))
			return true;
	}
	return false;
}

static int bad_field(struct tep_event *ev, const struct tep_format_field *f,
		     char *err, size_t errlen)
{
	snprintf(err, errlen, "%s/%s format: field %s at offset %d, size %d "
		 "does not fit the event", ev->system, ev->name, f->name,
		 f->offset, f->size);
	return -ERANGE;
}

/* "REC->ret == N" of the print fmt: N, else -1 */
static int ret_compare(const struct tep_print_arg *arg)
{
	const struct tep_print_arg *l, *r;
	char *end;
	long v;

	if (arg->type != TEP_PRINT_OP || !arg->op.op ||
	    strcmp(arg->op.op, "=="))
		return -1;
	l = arg->op.left;
	r = arg->op.right;
	if (!l || !r || l->type != TEP_PRINT_FIELD || !l->field.name ||
	    strcmp(l->field.name, "ret") || r->type != TEP_PRINT_ATOM ||
	    !r->atom.atom)
		return -1;
	v = strtol(r->atom.atom, &end, 0);
	return *end || v < 0 || v > 255 ? -1 : (int)v;
}

/*
 * kvmmmu:fast_page_fault says whether the fast path fixed the fault only
 * through its print fmt, "... spurious %d fixed %d", REC->ret == S,
 * REC->ret == F: RET_PF_* values that differ between kernels (6.13
 * added RET_PF_WRITE_PROTECTED before them). Take them from there.
 */
static void fast_ret_values(struct event_decoder *dec, struct tep_event *ev)
{
	const struct tep_print_arg *arg;
	const char *fmt = ev->print_fmt.format;
	int v[2], n = 0, x;

	if (!fmt || !strstr(fmt, "spurious %d fixed %d"))
		return;
	for (arg = ev->print_fmt.args; arg && n < 3; arg = arg->next) {
		x = ret_compare(arg);
		if (x < 0)
			continue;
		if (n < 2)
			v[n] = x;
		n++;
	}
	if (n != 2 || v[0] == v[1])
		return;
	dec->fast_spurious = v[0];
	dec->fast_fixed = v[1];
}

static int add_layout(struct event_decoder *dec, struct tep_event *ev,
		      const struct event_spec *spec, char *err, size_t errlen)
{
	struct event_layout *lay = &dec->layouts[dec->nr_layouts];
	struct tep_format_field *f;
	unsigned int i, end;

	if (ev->id < 0 || ev->id >= MAX_EVENT_ID || dec->layout_of[ev->id]) {
		snprintf(err, errlen, "%s/%s format: ID %d is out of range or "
			 "used twice", ev->system, ev->name, ev->id);
		return -ERANGE;
	}
	lay->type = spec->type;
	for (i = 0; i < MAX_FIELDS && spec->fields[i].name; i++) {
		f = tep_find_field(ev, spec->fields[i].name);
		if (!f || f->size > 8 || (f->flags & TEP_FIELD_IS_ARRAY))
			continue;	/* absent on this kernel: left unknown */
		if (!field_fits(f, false) || overlaps(lay, f))
			return bad_field(ev, f, err, errlen);
		loc_from_field(&lay->fields[lay->nr_fields++], f,
			       spec->fields[i].target);
		end = (unsigned int)f->offset + (unsigned int)f->size;
		if (end > lay->min_size)
			lay->min_size = end;
	}
	dec->layout_of[ev->id] = (unsigned char)(++dec->nr_layouts);
	dec->have[spec->type] = true;
	if (spec->type == REC_FAST_PF)
		fast_ret_values(dec, ev);
	return 0;
}

/* The common header; absent fields keep the layout every kernel uses. */
static int find_common(struct event_decoder *dec, struct tep_event *ev,
		       char *err, size_t errlen)
{
	struct tep_format_field *t = tep_find_common_field(ev, "common_type");
	struct tep_format_field *p = tep_find_common_field(ev, "common_pid");

	if (t && (!field_fits(t, true) || t->size != 2))
		return bad_field(ev, t, err, errlen);
	if (p && (!field_fits(p, true) || p->size != 4))
		return bad_field(ev, p, err, errlen);
	if (t)
		loc_from_field(&dec->common_type, t, T_NONE);
	if (p)
		loc_from_field(&dec->common_pid, p, T_NONE);
	return 0;
}

struct event_decoder *event_decoder_new(struct tep_handle *tep, char *err,
					size_t errlen)
{
	struct event_decoder *dec = calloc(1, sizeof(*dec));
	struct tep_event *ev;
	unsigned int i;

	if (!dec) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	dec->common_type.size = 2;
	dec->fast_fixed = -1;
	dec->fast_spurious = -1;
	dec->common_pid = (struct field_loc){ .offset = 4, .size = 4,
					      .is_signed = 1 };
	for (i = 0; i < NR_SPECS; i++) {
		ev = tep_find_event_by_name(tep, specs[i].system,
					    specs[i].name);
		if (!ev)
			continue;
		if (find_common(dec, ev, err, errlen) ||
		    add_layout(dec, ev, &specs[i], err, errlen)) {
			free(dec);
			return NULL;
		}
	}
	return dec;
}

void event_decoder_free(struct event_decoder *dec)
{
	free(dec);
}

bool event_decoder_has(const struct event_decoder *dec, enum rec_type type)
{
	return type < REC_TYPE_COUNT && dec->have[type];
}

static uint64_t load(const unsigned char *data, const struct field_loc *loc)
{
	uint64_t v = 0;

	switch (loc->size) {
	case 1: {
		uint8_t x; memcpy(&x, data + loc->offset, 1);
		return loc->is_signed ? (uint64_t)(int64_t)(int8_t)x : x;
	}
	case 2: {
		uint16_t x; memcpy(&x, data + loc->offset, 2);
		return loc->is_signed ? (uint64_t)(int64_t)(int16_t)x : x;
	}
	case 4: {
		uint32_t x; memcpy(&x, data + loc->offset, 4);
		return loc->is_signed ? (uint64_t)(int64_t)(int32_t)x : x;
	}
	case 8:
		memcpy(&v, data + loc->offset, 8);
		return v;
	default:
		return 0;
	}
}

static void store(struct trace_record *rec, enum field_target t, uint64_t v)
{
	switch (t) {
	case T_FUNC:		rec->func = v; break;
	case T_DEPTH:		rec->depth = (int)v; break;
	case T_CALLTIME:	rec->calltime = v; break;
	case T_RETTIME:		rec->rettime = v; break;
	case T_VCPU:		rec->vcpu = (int)v; break;
	case T_ADDR:		rec->addr = v; break;
	case T_GFN:		rec->addr = v << 12; break;
	case T_ERROR:		rec->error_code = v; break;
	case T_PFN:		rec->pfn = v; break;
	case T_EXIT_INFO:	rec->exit_info = v; break;
	case T_EXIT_REASON:	rec->exit_reason = (uint32_t)v; break;
	case T_SLOT_ID:		rec->slot_id = (int)v; break;
	case T_BASE_GFN:	rec->base_gfn = v; break;
	case T_UADDR:		rec->uaddr = v; break;
	case T_NPAGES:		rec->npages = v; break;
	case T_SPTE:		rec->spte = v; break;
	case T_SLOT_PTR:
		if (!v)
			rec->slot_id = -1;
		break;
	case T_FAST_RET:	rec->fast_ret = (int)v; break;
	case T_NONE:		break;
	}
}

static void reset_record(struct trace_record *rec)
{
	rec->func = 0;
	rec->depth = 0;
	rec->calltime = 0;
	rec->rettime = 0;
	rec->vcpu = -1;
	rec->addr = 0;
	rec->error_code = 0;
	rec->pfn = UINT64_MAX;
	rec->spte = 0;
	rec->slot_id = -1;
	rec->npages = 0;
	rec->fast_ret = INT_MIN;
	rec->fast_fixed = -1;
}

/* Did the fast path fix it? 1, 0 (it gave up), -1 (cannot tell). */
static int fast_outcome(const struct event_decoder *dec, int ret)
{
	if (ret == INT_MIN || dec->fast_fixed < 0)
		return -1;
	return ret == dec->fast_fixed || ret == dec->fast_spurious;
}

int event_decode(const struct event_decoder *dec, const void *data,
		 unsigned int size, struct trace_record *rec)
{
	const struct event_layout *lay;
	unsigned int id, i;

	if (size < 8)
		return -1;
	id = (unsigned int)load(data, &dec->common_type);
	rec->tid = (int)load(data, &dec->common_pid);
	if (id >= MAX_EVENT_ID || !dec->layout_of[id]) {
		rec->type = REC_OTHER;
		return REC_OTHER;
	}
	lay = &dec->layouts[dec->layout_of[id] - 1];
	if (size < lay->min_size)
		return -1;
	reset_record(rec);
	for (i = 0; i < lay->nr_fields; i++)
		store(rec, lay->fields[i].target,
		      load(data, &lay->fields[i]));
	rec->type = lay->type;
	if (lay->type == REC_FAST_PF)
		rec->fast_fixed = fast_outcome(dec, rec->fast_ret);
	return lay->type;
}
