// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report.c - per-fault views and end-of-run outputs.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "breakdown.h"
#include "fault_type.h"
#include "flame.h"
#include "output_tree.h"
#include "profile.h"
#include "report.h"
#include "symbols.h"

struct report {
	const struct params *p;
	const struct symbols *syms;
	const struct profile *prof;
	FILE *out;
	struct summary *summary;
	struct flame *flame;
	struct breakdown *breakdown;
	uint64_t t0;
	bool header_done;
	uint64_t filtered;
	const char *note;
};

static enum flame_group group_of(enum flame_group_by by)
{
	if (by == GROUP_BY_TYPE)
		return FLAME_GROUP_TYPE;
	if (by == GROUP_BY_VCPU)
		return FLAME_GROUP_VCPU;
	return FLAME_GROUP_NONE;
}

struct report *report_new(const struct params *p, const struct symbols *syms,
			  const struct profile *prof, FILE *out, char *err,
			  size_t errlen)
{
	struct report *r = calloc(1, sizeof(*r));

	if (!r)
		goto nomem;
	r->p = p;
	r->syms = syms;
	r->prof = prof;
	r->out = out;
	r->summary = summary_new(prof);
	r->breakdown = breakdown_new(syms, prof, p->top_n);
	if (!r->summary || !r->breakdown)
		goto nomem;
	if (p->folded_path || p->svg_path) {
		r->flame = flame_new(syms, prof, group_of(p->folded_by));
		if (!r->flame)
			goto nomem;
	}
	return r;
nomem:
	report_free(r);
	snprintf(err, errlen, "out of memory");
	return NULL;
}

void report_free(struct report *r)
{
	if (!r)
		return;
	summary_free(r->summary);
	breakdown_free(r->breakdown);
	flame_free(r->flame);
	free(r);
}

void report_set_note(struct report *r, const char *note)
{
	r->note = note;
}

static const char *error_type(const struct fault *f, char *buf, size_t len)
{
	struct fault_access a;

	if (f->gpa == FAULT_UNKNOWN) {
		snprintf(buf, len, f->kind == FAULT_KIND_MMIO ?
			 "Reserved(MMIO)" : "-");
		return buf;
	}
	fault_type_from_trace(f->error_code, f->vendor == FAULT_VENDOR_INTEL,
			      &a);
	if (fault_access_name(&a, f->kind == FAULT_KIND_MMIO, buf, len) < 0)
		snprintf(buf, len, "?");
	return buf;
}

static const char *hex_or_dash(uint64_t v, char *buf, size_t len)
{
	if (v == FAULT_UNKNOWN)
		return "-";
	snprintf(buf, len, "%" PRIx64, v);
	return buf;
}

static void print_line_header(struct report *r)
{
	fprintf(r->out, "%-14s %-16s %-8s %-5s %-12s %-5s %-10s %-16s "
		"%-12s %-10s %s\n", "TIME(ms)", "COMM", "PID", "VCPU", "GPA",
		"COUNT", "DELAY(us)", "HVA", "PFN", "MEM_SLOTID",
		"ERROR_TYPE");
}

static void print_line(struct report *r, const struct fault *f)
{
	char gpa[24], hva[24], pfn[24], type[64], slot[16], vcpu[16];

	snprintf(slot, sizeof(slot), "%d", f->memslot);
	snprintf(vcpu, sizeof(vcpu), "%d", f->vcpu);
	fprintf(r->out, "%-14.3f %-16s %-8d %-5s %-12s %-5u ",
		(f->ts_ns - r->t0) / 1e6, f->comm, f->pid ? f->pid : f->tid,
		f->vcpu < 0 ? "-" : vcpu, hex_or_dash(f->gpa, gpa, 24),
		f->count);
	if (f->complete)
		fprintf(r->out, "%-10.3f ", f->delay_ns / 1000.0);
	else
		fprintf(r->out, "%-10s ", "-");
	fprintf(r->out, "%-16s %-12s %-10s %s%s\n",
		hex_or_dash(f->hva, hva, 24), hex_or_dash(f->pfn, pfn, 24),
		f->memslot < 0 ? "-" : slot, error_type(f, type, sizeof(type)),
		f->complete ? "" : " (incomplete)");
}

static void json_hex_or_null(FILE *out, const char *key, uint64_t v)
{
	if (v == FAULT_UNKNOWN)
		fprintf(out, ",\"%s\":null", key);
	else
		fprintf(out, ",\"%s\":\"0x%" PRIx64 "\"", key, v);
}

static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(out, "\\u%04x", *s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

static void json_phases(struct report *r, const struct fault *f)
{
	unsigned int nr = profile_nr_phases(r->prof), i, n = 0;
	uint64_t ns[PROFILE_MAX_PHASES];
	unsigned char seen[PROFILE_MAX_PHASES];

	fputs(",\"phases\":{", r->out);
	if (f->has_tree) {
		fault_phase_times(f, nr, ns, seen);
		for (i = 0; i < nr; i++)
			if (seen[i])
				fprintf(r->out, "%s\"%s\":%" PRIu64,
					n++ ? "," : "",
					profile_phase_name(r->prof, i), ns[i]);
	}
	fputc('}', r->out);
}

static void print_json(struct report *r, const struct fault *f)
{
	char type[64];
	FILE *o = r->out;

	fprintf(o, "{\"ts_ns\":%" PRIu64 ",\"cpu\":%d,\"pid\":%d,\"tid\":%d,"
		"\"comm\":", f->ts_ns, f->cpu, f->pid, f->tid);
	json_string(o, f->comm);
	if (f->vcpu < 0)
		fputs(",\"vcpu\":null", o);
	else
		fprintf(o, ",\"vcpu\":%d", f->vcpu);
	json_hex_or_null(o, "gpa", f->gpa);
	fprintf(o, ",\"error_code\":\"0x%" PRIx64 "\",\"error_type\":\"%s\","
		"\"kind\":\"%s\",\"mmio\":%s,\"delay_ns\":%" PRIu64
		",\"count\":%u", f->error_code,
		error_type(f, type, sizeof(type)), fault_kind_name(f->kind),
		f->kind == FAULT_KIND_MMIO ? "true" : "false",
		f->complete ? f->delay_ns : 0, f->count);
	json_hex_or_null(o, "hva", f->hva);
	json_hex_or_null(o, "pfn", f->pfn);
	if (f->memslot < 0)
		fputs(",\"memslot\":null", o);
	else
		fprintf(o, ",\"memslot\":%d", f->memslot);
	json_phases(r, f);
	fprintf(o, ",\"complete\":%s}\n", f->complete ? "true" : "false");
}

static bool filtered_out(const struct report *r, const struct fault *f)
{
	if (r->p->vcpu >= 0 && f->vcpu != r->p->vcpu)
		return true;
	return f->complete && f->delay_ns < r->p->threshold_ns;
}

static void show(struct report *r, const struct fault *f)
{
	if (r->p->json) {
		print_json(r, f);
		return;
	}
	if (r->p->summary_only)
		return;
	if (r->p->tree && (!f->complete || f->delay_ns < r->p->tree_min_ns))
		return;
	if (!r->header_done) {
		if (r->note)
			fprintf(r->out, "# %s\n", r->note);
		print_line_header(r);
		r->header_done = true;
	}
	print_line(r, f);
	if (r->p->tree && f->has_tree)
		tree_print(r->out, f, r->syms, r->prof);
}

void report_fault(const struct fault *f, void *ctx)
{
	struct report *r = ctx;

	if (!r->t0)
		r->t0 = f->ts_ns;
	if (filtered_out(r, f)) {
		r->filtered++;
		return;
	}
	summary_add(r->summary, f);
	breakdown_add(r->breakdown, f);
	if (r->flame)
		flame_add(r->flame, f);
	show(r, f);
	if (!r->p->json)
		fflush(r->out);
}

static int write_file(const char *path, struct report *r, bool svg,
		      char *err, size_t errlen)
{
	FILE *f = fopen(path, "we");
	int ret;

	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ret;
	}
	ret = svg ? flame_write_svg(r->flame, f, "kvmmmu-graph: KVM MMU faults")
		  : flame_write_folded(r->flame, f);
	if (fclose(f) && !ret)
		ret = -errno;
	if (ret < 0)
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
	return ret < 0 ? ret : 0;
}

int report_finish(struct report *r, struct run_info *ri, char *err,
		  size_t errlen)
{
	int ret = 0;

	ri->filtered = r->filtered;
	if (r->p->json) {
		summary_print_json(r->summary, ri, r->out);
	} else {
		summary_print_text(r->summary, ri, r->out);
		breakdown_print(r->breakdown, r->out);
	}
	fflush(r->out);
	if (r->p->folded_path)
		ret = write_file(r->p->folded_path, r, false, err, errlen);
	if (!ret && r->p->svg_path)
		ret = write_file(r->p->svg_path, r, true, err, errlen);
	return ret;
}
