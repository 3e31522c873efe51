// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * output_tree.c - one fault's call tree as function_graph-like text.
 *
 * Nodes are in entry order, so a node's children follow it directly: a
 * node is opened with "{" when the next node is its child, and before a
 * node is printed every open node that is not its ancestor is closed.
 */
#include <errno.h>
#include <inttypes.h>

#include "breakdown.h"
#include "fault.h"
#include "output_tree.h"
#include "profile.h"
#include "symbols.h"

#define NO_DURATION	"                 |"	/* blank duration column */

static void put_indent(FILE *out, unsigned int depth)
{
	fprintf(out, " %*s", (int)(2 * depth), "");
}

static void put_duration(FILE *out, const struct fault_node *n)
{
	uint64_t ns = fault_node_duration(n);

	if (!n->rettime)
		fprintf(out, "  %11s us |", "?");
	else
		fprintf(out, "  %7" PRIu64 ".%03" PRIu64 " us |", ns / 1000,
			ns % 1000);
}

static bool is_open(const struct fault *f, uint32_t i, uint32_t n)
{
	return i + 1 < n && f->nodes[i + 1].parent == i;
}

/* Close the open nodes from @from up to, not including, @upto. */
static void close_until(FILE *out, const struct fault *f, uint32_t n,
			uint32_t from, uint32_t upto)
{
	uint32_t cur = from;

	while (cur != upto && cur < n) {
		if (is_open(f, cur, n)) {
			fputs(NO_DURATION, out);
			put_indent(out, f->nodes[cur].depth);
			fputs("}\n", out);
		}
		if (f->nodes[cur].parent >= cur)	/* root, or malformed */
			break;
		cur = f->nodes[cur].parent;
	}
}

static void put_node(FILE *out, const struct fault *f, uint32_t i, uint32_t n,
		     const struct symbols *syms, const struct profile *prof)
{
	const struct fault_node *node = &f->nodes[i];

	put_duration(out, node);
	put_indent(out, node->depth);
	fprintf(out, "%s()%s", symbols_name(syms, node->func),
		is_open(f, i, n) ? " {" : ";");
	if (node->phase != FAULT_NO_PHASE)
		fprintf(out, " [%s]", prof ?
			profile_phase_name(prof, node->phase) : "?");
	fputc('\n', out);
}

int tree_print(FILE *out, const struct fault *f, const struct symbols *syms,
	       const struct profile *prof)
{
	uint32_t i, n = f->nr_nodes < FAULT_MAX_NODES ? f->nr_nodes :
						      FAULT_MAX_NODES;

	if (!f->has_tree || !n) {
		fputs(f->has_tree ? "  (empty call tree)\n" :
		      "  (no call tree recorded for this fault)\n", out);
		return ferror(out) ? -EIO : 0;
	}
	fputs("#      DURATION  | FUNCTION CALLS\n", out);
	for (i = 0; i < n; i++) {
		if (i)
			close_until(out, f, n, i - 1, f->nodes[i].parent);
		put_node(out, f, i, n, syms, prof);
	}
	close_until(out, f, n, n - 1, FAULT_NO_PARENT);
	if (f->truncated)
		fprintf(out, "  ... %" PRIu32 " calls not recorded\n",
			f->truncated);
	return ferror(out) ? -EIO : 0;
}

static void put_time(FILE *out, uint64_t ns)
{
	if (ns < 1000000)
		fprintf(out, "%.3f us", (double)ns / 1e3);
	else if (ns < 1000000000)
		fprintf(out, "%.3f ms", (double)ns / 1e6);
	else
		fprintf(out, "%.3f s", (double)ns / 1e9);
}

static void put_fault_header(FILE *out, unsigned int rank,
			     const struct fault *f)
{
	fprintf(out, "\n#%u  ", rank);
	put_time(out, breakdown_fault_latency(f));
	fprintf(out, "  %s  gpa 0x%" PRIx64 "  vcpu %d  tid %d (%.*s)  "
		"cpu %d  ts %" PRIu64 ".%09" PRIu64 "\n",
		fault_kind_name(f->kind), f->gpa, f->vcpu, f->tid,
		FAULT_COMM_LEN, f->comm, f->cpu, f->ts_ns / 1000000000,
		f->ts_ns % 1000000000);
}

int tree_print_slowest(FILE *out, const struct breakdown *b,
		       const struct symbols *syms, const struct profile *prof)
{
	const struct fault *top[BREAKDOWN_MAX_TOP];
	unsigned int n = breakdown_slowest(b, top, BREAKDOWN_MAX_TOP), i;
	int ret = 0;

	if (!n)
		return 0;
	fprintf(out, "\nSlowest %u complete faults:\n", n);
	for (i = 0; i < n && !ret; i++) {
		put_fault_header(out, i + 1, top[i]);
		ret = tree_print(out, top[i], syms, prof);
	}
	return ret;
}
