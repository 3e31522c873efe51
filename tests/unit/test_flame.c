// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_flame.c - unit tests of the fault renderers: folded stacks, SVG
 * flame graph, call tree text and the phase breakdown.
 *
 * Faults are built by hand.  The sample fault (times in ns):
 *
 *   kvm_mmu_page_fault		0 .. 10000	self  300
 *     kvm_tdp_page_fault	100 .. 9800	self  700
 *       fast_page_fault	200 .. 700	self  500  [fastpath]
 *       kvm_faultin_pfn	800 .. 5800	self  400  [faultin]
 *         hva_to_pfn		900 .. 5500	self 4600
 *       kvm_tdp_mmu_map	6000 .. 9500	self 3500  [map]
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1	/* open_memstream(), memrchr() */
#endif
#define TEST_SUITE "flame"
#include "testlib.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "breakdown.h"
#include "fault.h"
#include "flame.h"
#include "flame_svg.h"
#include "output_tree.h"
#include "profile.h"
#include "symbols.h"

static const char profile_text[] =
	"name test\n"
	"root kvm_mmu_page_fault\n"
	"phase fastpath fast_page_fault\n"
	"phase faultin kvm_faultin_pfn __kvm_faultin_pfn\n"
	"phase map kvm_tdp_mmu_map\n";

static struct symbols *syms;
static struct profile *prof;
static struct fault fa, fb;

#include "tree_fixture.h"
static char tmpdir[] = "/tmp/kvmmmu-test-flame-XXXXXX";

/* ---- building faults ---- */

static void fault_init(struct fault *f, enum fault_kind kind, int vcpu)
{
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->vcpu = vcpu;
	f->tid = 4242;
	f->cpu = 3;
	f->gpa = 0xfee00000;
	f->ts_ns = 1234567890123ull;
	strcpy(f->comm, "qemu-kvm");
	f->complete = true;
	f->has_tree = true;
}

/* The sample fault of the file comment, shifted by @t0. */
static void sample_fault(struct fault *f, enum fault_kind kind, int vcpu,
			 uint64_t t0)
{
	int root, tdp, fin;

	fault_init(f, kind, vcpu);
	root = call(f, -1, "kvm_mmu_page_fault", t0, t0 + 10000);
	tdp = call(f, root, "kvm_tdp_page_fault", t0 + 100, t0 + 9800);
	call(f, tdp, "fast_page_fault", t0 + 200, t0 + 700);
	fin = call(f, tdp, "kvm_faultin_pfn", t0 + 800, t0 + 5800);
	call(f, fin, "hva_to_pfn", t0 + 900, t0 + 5500);
	call(f, tdp, "kvm_tdp_mmu_map", t0 + 6000, t0 + 9500);
}

/* A fast fault: root -> tdp -> fast_page_fault, 2000 ns. */
static void fast_fault(struct fault *f, int vcpu)
{
	int root, tdp;

	fault_init(f, FAULT_KIND_FAST, vcpu);
	root = call(f, -1, "kvm_mmu_page_fault", 50000, 52000);
	tdp = call(f, root, "kvm_tdp_page_fault", 50100, 51900);
	call(f, tdp, "fast_page_fault", 50200, 51700);
}

/*
 * Clock skew: child A (1090 ns) is longer than the root (1000 ns), its
 * child is longer than A, and B overlaps; self times must stay >= 0 and
 * add up to 1000.
 */
static void skewed_fault(struct fault *f)
{
	int root, a;

	fault_init(f, FAULT_KIND_NORMAL, 1);
	root = call(f, -1, "kvm_mmu_page_fault", 0, 1000);
	a = call(f, root, "kvm_tdp_page_fault", 10, 1100);
	call(f, a, "kvm_faultin_pfn", 20, 1110);
	call(f, root, "kvm_tdp_mmu_map", 990, 1200);
}

/* ---- output capture ---- */

struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

static FILE *cap_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	return c->f;
}

static const char *cap_close(struct capture *c)
{
	fclose(c->f);
	return c->buf ? c->buf : "";
}

static char *folded(const struct flame *fl)
{
	struct capture c;
	int ret;

	if (!cap_open(&c))
		return NULL;
	ret = flame_write_folded(fl, c.f);
	cap_close(&c);
	if (ret) {
		free(c.buf);
		return NULL;
	}
	return c.buf;
}

/* Sum of the weights of folded output; -1 if a line is malformed. */
static long long folded_sum(const char *s)
{
	long long sum = 0;
	const char *sp, *nl;
	char *end;

	for (; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		sp = memrchr(s, ' ', nl ? (size_t)(nl - s) : strlen(s));
		if (!nl || !sp || sp == s)
			return -1;
		sum += strtoll(sp + 1, &end, 10);
		if (end != nl || sp[1] == '0')
			return -1;	/* not an integer, or a zero weight */
	}
	return sum;
}

/* Long texts: CHECK_STR would truncate the message, print them instead. */
#define CHECK_TEXT(got, want)						\
	do {								\
		const char *tt_g = (got), *tt_w = (want);		\
		if (!tt_g || strcmp(tt_g, tt_w))			\
			fprintf(stderr, "got:\n%s\nexpected:\n%s\n",	\
				tt_g ? tt_g : "(null)", tt_w);		\
		CHECK(tt_g && !strcmp(tt_g, tt_w));			\
	} while (0)

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* ---- folded stacks ---- */

static const char expected_small[] =
	"kvm_mmu_page_fault 300\n"
	"kvm_mmu_page_fault;kvm_tdp_page_fault 700\n"
	"kvm_mmu_page_fault;kvm_tdp_page_fault;fast_page_fault 500\n"
	"kvm_mmu_page_fault;kvm_tdp_page_fault;kvm_faultin_pfn 400\n"
	"kvm_mmu_page_fault;kvm_tdp_page_fault;kvm_faultin_pfn;hva_to_pfn 4600\n"
	"kvm_mmu_page_fault;kvm_tdp_page_fault;kvm_tdp_mmu_map 3500\n";

TEST(folded_small_exact)
{
	struct flame *fl = flame_new(syms, prof, FLAME_GROUP_NONE);
	char *out;

	sample_fault(&fa, FAULT_KIND_NORMAL, 0, 1000);
	CHECK_EQ(flame_add(fl, &fa), 1);
	out = folded(fl);
	CHECK_TEXT(out, expected_small);
	CHECK_EQ(flame_total_ns(fl), 10000);
	CHECK_EQ(flame_nr_faults(fl), 1);
	free(out);
	flame_free(fl);
}

TEST(folded_weights_sum_to_root_durations)
{
	struct flame *fl = flame_new(syms, prof, FLAME_GROUP_NONE);
	uint64_t roots = 0;
	char *out;
	int i;

	for (i = 0; i < 50; i++) {
		sample_fault(&fa, FAULT_KIND_NORMAL, i % 4, 100000ull * i);
		fa.nodes[4].rettime += (uint64_t)i * 37;   /* vary hva_to_pfn */
		fa.nodes[0].rettime += (uint64_t)i * 41;
		CHECK_EQ(flame_add(fl, &fa), 1);
		roots += fault_node_duration(&fa.nodes[0]);
	}
	skewed_fault(&fb);
	CHECK_EQ(flame_add(fl, &fb), 1);
	roots += 1000;
	out = folded(fl);
	CHECK(out != NULL);
	CHECK_EQ(flame_total_ns(fl), roots);
	CHECK_EQ(folded_sum(out ? out : ""), roots);
	CHECK_EQ(flame_node(fl, FLAME_ROOT)->total_ns, roots);
	free(out);
	flame_free(fl);
}

TEST(skewed_child_longer_than_parent)
{
	uint64_t dur[FAULT_MAX_NODES], self[FAULT_MAX_NODES], sum = 0;
	struct flame *fl = flame_new(syms, prof, FLAME_GROUP_NONE);
	unsigned int i;
	char *out;

	skewed_fault(&fb);
	CHECK_EQ(flame_split_fault(&fb, dur, self), 1000);
	for (i = 0; i < fb.nr_nodes; i++) {
		CHECK(self[i] <= 1000);	/* never a wrapped negative */
		sum += self[i];
	}
	CHECK_EQ(sum, 1000);
	CHECK_EQ(dur[1], 1000);		/* capped at the root */
	CHECK_EQ(self[2], 1000);	/* the leaf keeps the capped time */
	CHECK_EQ(self[0], 0);
	CHECK_EQ(dur[3], 0);		/* nothing left for the overlap */
	CHECK_EQ(flame_add(fl, &fb), 1);
	out = folded(fl);
	CHECK_STR(out, "kvm_mmu_page_fault;kvm_tdp_page_fault;"
		  "kvm_faultin_pfn 1000\n");
	CHECK_EQ(flame_total_ns(fl), 1000);
	free(out);
	flame_free(fl);
}

/* Damaged call times (a recording's garbage) give no signed overflow. */
TEST(huge_times_are_refused_or_capped)
{
	uint64_t dur[8], self[8];
	struct fault hf;
	int top;

	fault_init(&hf, FAULT_KIND_NORMAL, 1);
	call(&hf, -1, "kvm_mmu_page_fault", 0, UINT64_MAX);
	CHECK_EQ(flame_split_fault(&hf, dur, self), -ERANGE);

	fault_init(&hf, FAULT_KIND_NORMAL, 1);
	top = call(&hf, -1, "kvm_mmu_page_fault", 0, INT64_MAX);
	call(&hf, top, "kvm_tdp_page_fault", 0, UINT64_MAX);
	CHECK_EQ(flame_split_fault(&hf, dur, self), INT64_MAX);
	CHECK_EQ(dur[1], (uint64_t)INT64_MAX);	/* capped at the root */
	CHECK_EQ(self[0], 0);
}

TEST(group_by_type)
{
	struct flame *fl = flame_new(syms, prof, FLAME_GROUP_TYPE);
	char *out;

	sample_fault(&fa, FAULT_KIND_NORMAL, 0, 0);
	CHECK_EQ(flame_add(fl, &fa), 1);
	fast_fault(&fb, 1);
	CHECK_EQ(flame_add(fl, &fb), 1);
	fb.kind = FAULT_KIND_MMIO;
	CHECK_EQ(flame_add(fl, &fb), 1);
	out = folded(fl);
	CHECK(out != NULL);
	if (!out)
		goto done;
	CHECK(strstr(out, "normal;kvm_mmu_page_fault 300\n"));
	CHECK(strstr(out, "normal;kvm_mmu_page_fault;kvm_tdp_page_fault;"
		      "kvm_tdp_mmu_map 3500\n"));
	CHECK(strstr(out, "fast;kvm_mmu_page_fault;kvm_tdp_page_fault;"
		      "fast_page_fault 1500\n"));
	CHECK(strstr(out, "mmio;kvm_mmu_page_fault 200\n"));
	CHECK(!strstr(out, "\nkvm_mmu_page_fault"));	/* all prefixed */
	CHECK(!strncmp(out, "fast;", 5));		/* sorted */
	CHECK_EQ(folded_sum(out), 10000 + 2000 + 2000);
done:
	free(out);
	flame_free(fl);
}

TEST(group_by_vcpu)
{
	struct flame *fl = flame_new(syms, prof, FLAME_GROUP_VCPU);
	char *out;

	sample_fault(&fa, FAULT_KIND_NORMAL, 0, 0);
	CHECK_EQ(flame_add(fl, &fa), 1);
	fast_fault(&fb, 3);
	CHECK_EQ(flame_add(fl, &fb), 1);
	fb.vcpu = -1;
	CHECK_EQ(flame_add(fl, &fb), 1);
	out = folded(fl);
	CHECK(out && strstr(out, "vcpu0;kvm_mmu_page_fault 300\n"));
	CHECK(out && strstr(out, "vcpu3;kvm_mmu_page_fault;kvm_tdp_page_fault;"
			    "fast_page_fault 1500\n"));
	CHECK(out && strstr(out, "vcpu?;kvm_mmu_page_fault 200\n"));
	CHECK_EQ(count_lines(out ? out : ""), 6 + 3 + 3);
	free(out);
	flame_free(fl);
}

TEST(skips_incomplete_and_rejects_malformed)
{
	struct flame *fl = flame_new(syms, prof, FLAME_GROUP_NONE);
	char *out;

	sample_fault(&fa, FAULT_KIND_NORMAL, 0, 0);
	fa.complete = false;
	CHECK_EQ(flame_add(fl, &fa), 0);
	fa.complete = true;
	fa.has_tree = false;
	CHECK_EQ(flame_add(fl, &fa), 0);
	fa.has_tree = true;
	fa.nodes[3].parent = 5;		/* parent after child */
	CHECK_EQ(flame_add(fl, &fa), -EINVAL);
	CHECK_EQ(flame_total_ns(fl), 0);
	CHECK_EQ(flame_nr_nodes(fl), 1);
	out = folded(fl);
	CHECK_STR(out, "");
	free(out);
	flame_free(fl);
}

TEST(folded_many_stacks_grow)
{
	struct flame *fl = flame_new(syms, prof, FLAME_GROUP_NONE);
	char name[32], *out;
	uint64_t sum = 0;
	int i, j;

	/* 2000 distinct leaves: the trie and its hash table must grow */
	for (i = 0; i < 40; i++) {
		fault_init(&fa, FAULT_KIND_NORMAL, 0);
		call(&fa, -1, "kvm_mmu_page_fault", 0, 100000);
		for (j = 0; j < 50; j++) {
			snprintf(name, sizeof(name), "leaf_%d_%d", i, j);
			call(&fa, 0, name, 10 + j * 100, 10 + j * 100 + 90);
		}
		CHECK_EQ(flame_add(fl, &fa), 1);
		sum += 100000;
	}
	CHECK_EQ(flame_nr_nodes(fl), 1 + 1 + 2000);
	out = folded(fl);
	CHECK_EQ(count_lines(out ? out : ""), 2001);
	CHECK_EQ(folded_sum(out ? out : ""), sum);
	free(out);
	flame_free(fl);
}

/* ---- SVG ---- */

static int write_file(const char *path, const char *data)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fputs(data, f);
	return fclose(f) ? -EIO : 0;
}

/*
 * Parse @svg with python3's xml.etree and print one line per frame,
 * "name|phase|ns".  Returns the listing, or NULL if python3 is missing
 * (*skip set) or the XML is not well-formed.
 */
static char *svg_frames(const char *svg, int *skip)
{
	static const char script[] =
		"import sys, xml.etree.ElementTree as ET\n"
		"ns = '{http://www.w3.org/2000/svg}'\n"
		"root = ET.parse(sys.argv[1]).getroot()\n"
		"assert root.tag == ns + 'svg'\n"
		"for g in root.iter(ns + 'g'):\n"
		"    if 'frame' not in g.get('class', '').split():\n"
		"        continue\n"
		"    assert g.find(ns + 'title') is not None\n"
		"    assert g.find(ns + 'rect') is not None\n"
		"    print('%s|%s|%s' % (g.get('data-name'), g.get('data-phase'),\n"
		"                        g.get('data-ns')))\n"
		"print('OK')\n";
	char svgpath[300], pypath[300], cmd[700], line[512];
	struct capture c;
	FILE *p;
	int rc;

	*skip = system("python3 -c 'import xml.etree.ElementTree' "
		       ">/dev/null 2>&1") != 0;
	if (*skip)
		return NULL;
	snprintf(svgpath, sizeof(svgpath), "%s/t.svg", tmpdir);
	snprintf(pypath, sizeof(pypath), "%s/frames.py", tmpdir);
	if (write_file(svgpath, svg) || write_file(pypath, script))
		return NULL;
	snprintf(cmd, sizeof(cmd), "python3 %s %s 2>&1", pypath, svgpath);
	p = popen(cmd, "r");
	if (!p || !cap_open(&c)) {
		if (p)
			pclose(p);
		return NULL;
	}
	while (fgets(line, sizeof(line), p))
		fputs(line, c.f);
	rc = pclose(p);
	cap_close(&c);
	if (rc != 0 || !strstr(c.buf ? c.buf : "", "OK\n")) {
		fprintf(stderr, "python3 said:\n%s", c.buf ? c.buf : "");
		free(c.buf);
		return NULL;
	}
	return c.buf;
}

static char *svg_of(const struct flame *fl, const char *title)
{
	struct capture c;
	int ret;

	if (!cap_open(&c))
		return NULL;
	ret = flame_write_svg(fl, c.f, title);
	cap_close(&c);
	if (ret) {
		free(c.buf);
		return NULL;
	}
	return c.buf;
}

TEST(svg_well_formed_with_frames)
{
	struct flame *fl = flame_new(syms, prof, FLAME_GROUP_NONE);
	char *svg, *frames = NULL;
	int skip = 0;

	sample_fault(&fa, FAULT_KIND_NORMAL, 0, 0);
	flame_add(fl, &fa);
	fast_fault(&fb, 1);
	flame_add(fl, &fb);
	svg = svg_of(fl, "test <flame> & \"title\"");
	CHECK(svg != NULL);
	if (!svg)
		goto done;
	/* self-contained: nothing fetched */
	CHECK(!strstr(svg, "href"));
	CHECK(!strstr(svg, "url("));
	CHECK(!strstr(svg, "@import"));
	CHECK(strstr(svg, "<script") && strstr(svg, "<![CDATA["));
	CHECK(strstr(svg, "test &lt;flame&gt; &amp; &quot;title&quot;"));
	frames = svg_frames(svg, &skip);
	if (skip)
		SKIP("python3 not available to parse XML");
	CHECK(frames != NULL);
	if (!frames)
		goto done;
	CHECK(strstr(frames, "all||12000\n"));
	CHECK(strstr(frames, "kvm_mmu_page_fault||12000\n"));
	CHECK(strstr(frames, "kvm_tdp_page_fault||11500\n"));
	CHECK(strstr(frames, "fast_page_fault|fastpath|2000\n"));
	CHECK(strstr(frames, "kvm_faultin_pfn|faultin|5000\n"));
	CHECK(strstr(frames, "hva_to_pfn||4600\n"));
	CHECK(strstr(frames, "kvm_tdp_mmu_map|map|3500\n"));
done:
	free(frames);
	free(svg);
	flame_free(fl);
}

TEST(svg_escapes_names)
{
	struct flame *fl = flame_new(syms, prof, FLAME_GROUP_NONE);
	char *svg, *frames = NULL;
	int skip = 0, root;

	fault_init(&fa, FAULT_KIND_NORMAL, 0);
	root = call(&fa, -1, "kvm_mmu_page_fault", 0, 1000);
	call(&fa, root, "weird<&>\"'name", 100, 900);
	flame_add(fl, &fa);
	svg = svg_of(fl, NULL);
	CHECK(svg != NULL);
	if (!svg)
		goto done;
	CHECK(!strstr(svg, "<&>"));
	CHECK(strstr(svg, "weird&lt;&amp;&gt;&quot;&apos;name"));
	frames = svg_frames(svg, &skip);
	if (skip)
		SKIP("python3 not available to parse XML");
	CHECK(frames && strstr(frames, "weird<&>\"'name||800\n"));
done:
	free(frames);
	free(svg);
	flame_free(fl);
}

TEST(svg_merges_small_frames_keeps_totals)
{
	struct flame *fl = flame_new(syms, prof, FLAME_GROUP_NONE);
	char *svg, *frames = NULL, name[32];
	int skip = 0, j;

	/* 1 big child and 300 children of 0.01 % each */
	fault_init(&fa, FAULT_KIND_NORMAL, 0);
	call(&fa, -1, "kvm_mmu_page_fault", 0, 1000000);
	call(&fa, 0, "big", 1, 500001);
	for (j = 0; j < 300; j++) {
		snprintf(name, sizeof(name), "tiny_%03d", j);
		call(&fa, 0, name, 600000 + j * 1000, 600000 + j * 1000 + 100);
	}
	CHECK_EQ(flame_add(fl, &fa), 1);
	svg = svg_of(fl, "small");
	CHECK(svg && !strstr(svg, "tiny_"));
	frames = svg_frames(svg ? svg : "", &skip);
	if (skip)
		SKIP("python3 not available to parse XML");
	CHECK(frames != NULL);
	CHECK(frames && strstr(frames, "(300 small)||30000\n"));
	CHECK(frames && strstr(frames, "kvm_mmu_page_fault||1000000\n"));
	CHECK(frames && strstr(frames, "big||500000\n"));
	CHECK_EQ(count_lines(frames ? frames : ""), 4 + 1);	/* + OK */
	free(frames);
	free(svg);
	flame_free(fl);
}

TEST(svg_empty_is_valid)
{
	struct flame *fl = flame_new(syms, prof, FLAME_GROUP_NONE);
	char *svg = svg_of(fl, "empty"), *frames;
	int skip = 0;

	CHECK(svg != NULL);
	frames = svg_frames(svg ? svg : "", &skip);
	if (skip)
		SKIP("python3 not available to parse XML");
	CHECK(frames && strstr(frames, "all||0\n"));
	free(frames);
	free(svg);
	flame_free(fl);
}

TEST(svg_group_frames_in_key_order)
{
	struct flame *fl = flame_new(syms, prof, FLAME_GROUP_VCPU);
	static const int vcpus[] = { 10, 2, 0, 1 };
	char *svg, *frames = NULL;
	const char *v0, *v1, *v2, *v10;
	unsigned int i;
	int skip = 0;

	for (i = 0; i < 4; i++) {
		sample_fault(&fa, FAULT_KIND_NORMAL, vcpus[i], 0);
		CHECK_EQ(flame_add(fl, &fa), 1);
	}
	svg = svg_of(fl, "vcpus");
	frames = svg_frames(svg ? svg : "", &skip);
	if (skip)
		SKIP("python3 not available to parse XML");
	v0 = frames ? strstr(frames, "\nvcpu0||10000\n") : NULL;
	v1 = frames ? strstr(frames, "\nvcpu1||10000\n") : NULL;
	v2 = frames ? strstr(frames, "\nvcpu2||10000\n") : NULL;
	v10 = frames ? strstr(frames, "\nvcpu10||10000\n") : NULL;
	CHECK(v0 && v1 && v2 && v10);
	CHECK(v0 < v1 && v1 < v2 && v2 < v10);	/* left to right */
	free(frames);
	free(svg);
	flame_free(fl);
}

/* ---- call tree text ---- */

static const char expected_tree[] =
	"#      DURATION  | FUNCTION CALLS\n"
	"       10.000 us | kvm_mmu_page_fault() {\n"
	"        9.700 us |   kvm_tdp_page_fault() {\n"
	"        0.500 us |     fast_page_fault(); [fastpath]\n"
	"        5.000 us |     kvm_faultin_pfn() { [faultin]\n"
	"        4.600 us |       hva_to_pfn();\n"
	"                 |     }\n"
	"        3.500 us |     kvm_tdp_mmu_map(); [map]\n"
	"                 |   }\n"
	"                 | }\n";

TEST(tree_print_sample)
{
	struct capture c;

	sample_fault(&fa, FAULT_KIND_NORMAL, 0, 1000);
	CHECK(cap_open(&c));
	CHECK_EQ(tree_print(c.f, &fa, syms, prof), 0);
	CHECK_TEXT(cap_close(&c), expected_tree);
	free(c.buf);
}

TEST(tree_print_unreturned_and_truncated)
{
	struct capture c;
	const char *s;
	int root, a;

	fault_init(&fa, FAULT_KIND_NORMAL, 0);
	fa.complete = false;
	root = call(&fa, -1, "kvm_mmu_page_fault", 1000, 0);
	a = call(&fa, root, "kvm_faultin_pfn", 1100, 0);
	call(&fa, a, "hva_to_pfn", 1200, 1234567);
	fa.truncated = 7;
	CHECK(cap_open(&c));
	CHECK_EQ(tree_print(c.f, &fa, syms, prof), 0);
	s = cap_close(&c);
	CHECK_TEXT(s, "#      DURATION  | FUNCTION CALLS\n"
		  "            ? us | kvm_mmu_page_fault() {\n"
		  "            ? us |   kvm_faultin_pfn() { [faultin]\n"
		  "     1233.367 us |     hva_to_pfn();\n"
		  "                 |   }\n"
		  "                 | }\n"
		  "  ... 7 calls not recorded\n");
	free(c.buf);
	fa.has_tree = false;
	CHECK(cap_open(&c));
	tree_print(c.f, &fa, syms, prof);
	CHECK(strstr(cap_close(&c), "no call tree"));
	free(c.buf);
}

/* ---- breakdown ---- */

/* What the summary view prints of a breakdown: tables, slowest trees. */
static int print_breakdown(const struct breakdown *b, FILE *out)
{
	int ret = breakdown_print(b, out);

	return ret ? ret : tree_print_slowest(out, b, syms, prof);
}

/* Sum of the "NN.N%" shares of the rows between @from and "total". */
static int table_permille(const char *from, int *rows)
{
	const char *line = from, *pct, *nl;
	int sum = 0, whole, tenth;

	*rows = 0;
	for (; (nl = strchr(line, '\n')); line = nl + 1) {
		if (!strncmp(line, "  total ", 8))
			return sum;
		pct = memchr(line, '%', (size_t)(nl - line));
		if (!pct || pct < line + 5 || pct[-2] != '.' ||
		    sscanf(pct - 6, "%d.%d", &whole, &tenth) != 2)
			continue;
		sum += whole * 10 + tenth;
		(*rows)++;
	}
	return -1;
}

TEST(breakdown_shares_add_up)
{
	struct breakdown *b = breakdown_new(syms, prof, 2);
	const char *s, *normal, *fast, *all;
	struct capture c;
	int i, rows;

	CHECK(b != NULL);
	if (!b)
		return;
	for (i = 0; i < 3; i++) {
		sample_fault(&fa, FAULT_KIND_NORMAL, i, 100000ull * i);
		fa.nodes[0].rettime += (uint64_t)i * 1000;	/* 10, 11, 12 us */
		CHECK_EQ(breakdown_add(b, &fa), 0);
	}
	fast_fault(&fb, 1);
	CHECK_EQ(breakdown_add(b, &fb), 0);
	skewed_fault(&fb);
	CHECK_EQ(breakdown_add(b, &fb), 0);
	fb.complete = false;
	CHECK_EQ(breakdown_add(b, &fb), 0);
	CHECK(cap_open(&c));
	CHECK_EQ(print_breakdown(b, c.f), 0);
	s = cap_close(&c);
	normal = strstr(s, "\nnormal faults: 4");
	fast = strstr(s, "\nfast faults: 1");
	all = strstr(s, "\nall faults: 5");
	CHECK(normal && fast && all);
	CHECK(!strstr(s, "mmio faults"));
	if (!normal || !fast || !all)
		goto done;
	CHECK_EQ(table_permille(normal, &rows), 1000);
	CHECK_EQ(rows, 4);
	CHECK_EQ(table_permille(fast, &rows), 1000);
	CHECK_EQ(rows, 2);	/* fastpath and other */
	CHECK_EQ(table_permille(all, &rows), 1000);
	CHECK(strstr(normal, "  faultin "));
	CHECK(strstr(normal, "  map "));
	CHECK(strstr(normal, "  fastpath "));
	CHECK(strstr(normal, "  kvm_mmu_page_fault (other) "));
	CHECK(strstr(normal, "100.0%"));
	CHECK(strstr(s, "note: 1 incomplete faults"));
	CHECK(strstr(s, "Slowest 2 complete faults:"));
	CHECK(strstr(s, "#1  12.000 us  normal"));
	CHECK(strstr(s, "#2  11.000 us  normal"));
	CHECK(!strstr(s, "#3 "));
	CHECK(strstr(s, "kvm_faultin_pfn() { [faultin]"));
done:
	if (tl_failed)
		fprintf(stderr, "%s", s);
	free(c.buf);
	breakdown_free(b);
}

TEST(breakdown_attribution_exact)
{
	struct breakdown *b = breakdown_new(syms, prof, 0);
	const char *s;
	struct capture c;

	CHECK(b != NULL);
	if (!b)
		return;
	/* 10 us: fastpath 500, faultin 400+4600, map 3500, other 300+700 */
	sample_fault(&fa, FAULT_KIND_NORMAL, 0, 0);
	breakdown_add(b, &fa);
	CHECK(cap_open(&c));
	print_breakdown(b, c.f);
	s = cap_close(&c);
	CHECK(strstr(s, "  faultin                    "
		      "[###############               ]  50.0%        1"
		      "      5.000      5.000      5.000      5.000\n"));
	CHECK(strstr(s, "  map                        "
		      "[###########                   ]  35.0%"));
	CHECK(strstr(s, "  fastpath                   "
		      "[##                            ]   5.0%"));
	CHECK(strstr(s, "  kvm_mmu_page_fault (other) "
		      "[###                           ]  10.0%"));
	CHECK(strstr(s, "  total                      "
		      "[##############################] 100.0%        1"));
	CHECK(!strstr(s, "Slowest"));
	CHECK(!strstr(s, "note:"));
	if (tl_failed)
		fprintf(stderr, "%s", s);
	free(c.buf);
	breakdown_free(b);
}

TEST(breakdown_rounding_still_100)
{
	struct breakdown *b = breakdown_new(syms, prof, -1);
	struct capture c;
	const char *s;
	int rows, root, tdp;

	/* thirds: 333.33.. each, floors would print 99.9 % */
	fault_init(&fa, FAULT_KIND_NORMAL, 0);
	root = call(&fa, -1, "kvm_mmu_page_fault", 0, 3000);
	tdp = call(&fa, root, "kvm_tdp_page_fault", 0, 2000);
	call(&fa, tdp, "kvm_faultin_pfn", 0, 1000);
	call(&fa, tdp, "kvm_tdp_mmu_map", 1000, 2000);
	breakdown_add(b, &fa);
	CHECK(cap_open(&c));
	print_breakdown(b, c.f);
	s = cap_close(&c);
	CHECK_EQ(table_permille(strstr(s, "\nnormal faults") ?
				strstr(s, "\nnormal faults") : s, &rows), 1000);
	CHECK_EQ(rows, 3);
	CHECK(strstr(s, "Slowest 1 complete faults:"));
	free(c.buf);
	breakdown_free(b);
}

TEST(breakdown_without_trees)
{
	struct breakdown *b = breakdown_new(syms, prof, 5);
	struct capture c;
	const char *s;

	fault_init(&fa, FAULT_KIND_MMIO, 0);
	fa.has_tree = false;
	fa.delay_ns = 7000;
	breakdown_add(b, &fa);
	CHECK(cap_open(&c));
	print_breakdown(b, c.f);
	s = cap_close(&c);
	CHECK(strstr(s, "mmio faults: 1 (0 with call tree), 7.000 us"));
	CHECK(strstr(s, "no call trees: fault latency only (us): mean 7.000"));
	CHECK(strstr(s, "(no call tree recorded"));
	free(c.buf);
	breakdown_free(b);
	errno = 0;
	CHECK(!breakdown_new(syms, prof, BREAKDOWN_MAX_TOP + 1));
	CHECK_EQ(errno, EINVAL);
}

static int setup(void)
{
	char err[256];

	if (!mkdtemp(tmpdir))
		return -1;
	syms = symbols_new();
	prof = profile_parse(profile_text, err, sizeof(err));
	if (!prof)
		fprintf(stderr, "%s\n", err);
	return syms && prof ? 0 : -1;
}

static void teardown(void)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/t.svg", tmpdir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/frames.py", tmpdir);
	unlink(path);
	rmdir(tmpdir);
	profile_free(prof);
	symbols_free(syms);
}

int main(void)
{
	if (setup()) {
		printf("FAIL: %s/setup (cannot create the test profile)\n",
		       TEST_SUITE);
		return 1;
	}
	RUN(folded_small_exact);
	RUN(folded_weights_sum_to_root_durations);
	RUN(skewed_child_longer_than_parent);
	RUN(group_by_type);
	RUN(group_by_vcpu);
	RUN(skips_incomplete_and_rejects_malformed);
	RUN(folded_many_stacks_grow);
	RUN(svg_well_formed_with_frames);
	RUN(svg_escapes_names);
	RUN(svg_merges_small_frames_keeps_totals);
	RUN(svg_empty_is_valid);
	RUN(svg_group_frames_in_key_order);
	RUN(tree_print_sample);
	RUN(tree_print_unreturned_and_truncated);
	RUN(breakdown_shares_add_up);
	RUN(breakdown_attribution_exact);
	RUN(breakdown_rounding_still_100);
	RUN(breakdown_without_trees);
	RUN(huge_times_are_refused_or_capped);
	teardown();
	return TESTS_DONE();
}
