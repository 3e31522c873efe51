// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view_lines.c - the default view: one text line per fault (the columns
 * of the kvm_mmu notes), with --tree its call tree below it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fault_cause.h"
#include "output_tree.h"
#include "view.h"

struct lines {
	const struct view_options *o;
	bool header_done;
};

static bool lines_wanted(const struct view_options *o)
{
	return !o->json && !o->summary_only;
}

static void *lines_open(const struct view_options *o, char *err,
			size_t errlen)
{
	struct lines *l = calloc(1, sizeof(*l));

	if (!l)
		snprintf(err, errlen, "out of memory");
	else
		l->o = o;
	return l;
}

static const char *hex_or_dash(uint64_t v, char *buf, size_t len)
{
	if (v == FAULT_UNKNOWN)
		return "-";
	snprintf(buf, len, "%" PRIx64, v);
	return buf;
}

static void print_header(FILE *out)
{
	fprintf(out, "%-14s %-16s %-8s %-5s %-12s %-5s %-10s %-16s "
		"%-12s %-10s %-20s %s\n", "TIME(ms)", "COMM", "PID", "VCPU",
		"GPA", "COUNT", "DELAY(us)", "HVA", "PFN", "MEM_SLOTID",
		"ERROR_TYPE", "CAUSE");
}

static void print_line(const struct lines *l, const struct fault *f)
{
	char gpa[24], hva[24], pfn[24], type[64], slot[16], vcpu[16];
	FILE *out = l->o->out;

	snprintf(slot, sizeof(slot), "%d", f->memslot);
	snprintf(vcpu, sizeof(vcpu), "%d", f->vcpu);
	fprintf(out, "%-14.3f %-16s %-8d %-5s %-12s %-5u ",
		(f->ts_ns - l->o->t0_ns) / 1e6, f->comm,
		f->pid ? f->pid : f->tid, f->vcpu < 0 ? "-" : vcpu,
		hex_or_dash(f->gpa, gpa, 24), f->count);
	if (f->complete)
		fprintf(out, "%-10.3f ", f->delay_ns / 1000.0);
	else
		fprintf(out, "%-10s ", "-");
	snprintf(type + strlen(view_error_type(f, type, sizeof(type))),
		 sizeof(type) - strlen(type), "%s",
		 f->complete ? "" : " (incomplete)");
	fprintf(out, "%-16s %-12s %-10s %-20s %s\n",
		hex_or_dash(f->hva, hva, 24), hex_or_dash(f->pfn, pfn, 24),
		f->memslot < 0 ? "-" : slot, type,
		fault_cause_name(l->o->prof, f->cause));
}

static int lines_add(void *state, const struct fault *f)
{
	struct lines *l = state;
	const struct view_options *o = l->o;

	if (o->tree && (!f->complete || f->delay_ns < o->tree_min_ns))
		return 0;
	if (!l->header_done) {
		if (o->note)
			fprintf(o->out, "# %s\n", o->note);
		print_header(o->out);
		l->header_done = true;
	}
	print_line(l, f);
	if (o->tree && f->has_tree)
		tree_print(o->out, f, o->syms, o->prof);
	if (fflush(o->out) || ferror(o->out))
		return errno ? -errno : -EIO;
	return 0;
}

static int lines_finish(void *state, const struct run_info *ri, char *err,
			size_t errlen)
{
	return 0;
}

const struct view_ops view_lines = {
	.name = "lines",
	.wanted = lines_wanted,
	.open = lines_open,
	.add_fault = lines_add,
	.finish = lines_finish,
	.close = free,
};
