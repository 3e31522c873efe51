// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * flame_svg.c - self-contained interactive SVG flame graph.
 *
 * Layout is done here: one frame per trie node at least MIN_SHARE of the
 * total wide, root ("all") at the bottom, children sorted by name left to
 * right, the small children of a frame drawn together as one "(N small)"
 * frame after the others.  The inline script only re-lays the frames out
 * for zoom, fits the labels, shows details and runs searches.  Numbers
 * are written with integer arithmetic so the output does not depend on
 * the C locale.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "flame_svg.h"

#define SVG_WIDTH	1200
#define SVG_PAD		10
#define FRAME_H		16
#define FONT_PX		11
#define CHAR_W		6.7	/* advance of the monospace font at FONT_PX */
#define TOP_H		62	/* title, buttons, legend */
#define BOTTOM_H	34	/* details line */
#define MIN_SHARE	0.001	/* frames narrower than 0.1 % are merged */
#define HILITE		"rgb(230,0,230)"

struct svg_ctx {
	const struct flame *fl;
	const struct flame *base;	/* diff: the run compared with, or NULL */
	FILE *out;
	uint64_t total;
	uint64_t min_ns;	/* narrowest frame drawn */
	double scale;		/* px per ns */
	double bottom;		/* y of the bottom edge of the root frame */
};

/* One frame to draw. */
struct frame_desc {
	const char *name;
	const char *phase;	/* own phase label, "" if none */
	const char *inphase;	/* phase of the nearest phased ancestor-or-self */
	unsigned int color_phase;	/* FAULT_NO_PHASE: warm */
	bool inherited;		/* colour from an ancestor's phase */
	bool grey;		/* "all", group and merged frames */
	uint64_t ns, self_ns;
	uint16_t depth;
	double x_ns;
	bool diff;		/* coloured by the change from the base run */
	uint32_t base_idx;	/* diff: the same stack in the base run */
	uint64_t base_ns;	/* diff: its time there (0 if absent) */
};

/* Child of a trie node with its display name, for sorting. */
struct child {
	uint32_t idx;
	bool small;
	uint64_t key;
	const char *name;	/* NULL: the name is in @buf */
	char buf[16];
};

/* Fixed palette, by phase index in the profile. */
static const unsigned char palette[][3] = {
	{ 0x5b, 0x9b, 0xd5 },	/* blue */
	{ 0x6a, 0xbf, 0x4b },	/* green */
	{ 0xb0, 0x7c, 0xd8 },	/* purple */
	{ 0x3f, 0xbf, 0xbf },	/* teal */
	{ 0xe3, 0x77, 0xc2 },	/* pink */
	{ 0xf0, 0xc4, 0x19 },	/* yellow */
	{ 0x8c, 0x9e, 0xff },	/* periwinkle */
	{ 0xff, 0x6f, 0x5e },	/* red */
	{ 0x17, 0xbe, 0xcf },	/* cyan */
	{ 0xbc, 0xbd, 0x22 },	/* olive */
	{ 0x9a, 0xd0, 0xa0 },	/* mint */
	{ 0xc0, 0x9a, 0xf0 },	/* lilac */
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define NR_PALETTE	ARRAY_SIZE(palette)

static void put_escaped(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		switch (ch) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default:
			/* control bytes: not XML; high bytes: maybe not UTF-8 */
			fputc(ch < 0x20 || ch >= 0x7f ? '?' : ch, out);
		}
	}
}

/* @v with 2 decimals, independent of the locale. */
static void put_fixed2(FILE *out, double v)
{
	long long c = (long long)(v * 100.0 + (v < 0 ? -0.5 : 0.5));

	if (c < 0) {
		fputc('-', out);
		c = -c;
	}
	fprintf(out, "%lld.%02lld", c / 100, c % 100);
}

/* @ns as microseconds with 3 decimals. */
static void put_us(FILE *out, uint64_t ns)
{
	fprintf(out, "%llu.%03llu", (unsigned long long)(ns / 1000),
		(unsigned long long)(ns % 1000));
}

/* Share of the total in %, 2 decimals. */
static void put_share(const struct svg_ctx *c, uint64_t ns)
{
	put_fixed2(c->out, c->total ? 100.0 * (double)ns / (double)c->total :
				      0.0);
}

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/*
 * Differential colour: red where the frame took longer than in the base
 * run, blue where shorter, the stronger the larger the change relative to
 * the larger of the two; white when unchanged.
 */
static void put_diff_fill(FILE *out, const struct frame_desc *d)
{
	double a = (double)d->base_ns, b = (double)d->ns;
	double m = a > b ? a : b, k = m ? (b - a) / m : 0;
	unsigned int fade = (unsigned int)(210.0 * (k < 0 ? -k : k));

	if (k >= 0)
		fprintf(out, "rgb(255,%u,%u)", 255 - fade, 255 - fade);
	else
		fprintf(out, "rgb(%u,%u,255)", 255 - fade, 255 - fade);
}

static void put_fill(FILE *out, const struct frame_desc *d)
{
	const unsigned char *p;
	unsigned int r, g, b, v;

	if (d->diff) {
		put_diff_fill(out, d);
		return;
	}
	if (d->grey) {
		fputs("rgb(200,200,200)", out);
		return;
	}
	if (d->color_phase == FAULT_NO_PHASE) {
		v = name_hash(d->name);	/* warm, slightly varied per name */
		fprintf(out, "rgb(%u,%u,%u)", 226 + v % 20, 176 + (v >> 8) % 30,
			118 + (v >> 16) % 26);
		return;
	}
	p = palette[d->color_phase % NR_PALETTE];
	r = p[0];
	g = p[1];
	b = p[2];
	if (d->inherited) {	/* descendants: the phase colour, lighter */
		r = (r + 2 * 255) / 3;
		g = (g + 2 * 255) / 3;
		b = (b + 2 * 255) / 3;
	}
	fprintf(out, "rgb(%u,%u,%u)", r, g, b);
}

/* Label that fits in @w px, like the script's fg_fit(). */
static void put_label(FILE *out, const char *name, double w)
{
	int n = (int)((w - 6.0) / CHAR_W), i;

	if (n < 3)
		return;
	if (strlen(name) <= (size_t)n) {
		put_escaped(out, name);
		return;
	}
	for (i = 0; i < n - 2; i++) {
		char one[2] = { name[i], '\0' };

		put_escaped(out, one);
	}
	fputs("..", out);
}

static void put_tooltip(const struct svg_ctx *c, const struct frame_desc *d)
{
	FILE *out = c->out;
	uint64_t nf = flame_nr_faults(c->fl);

	fputs("<title>", out);
	put_escaped(out, d->name);
	if (d->phase[0]) {
		fputs(" [", out);
		put_escaped(out, d->phase);
		fputc(']', out);
	} else if (d->inphase[0]) {
		fputs(" (in ", out);
		put_escaped(out, d->inphase);
		fputc(')', out);
	}
	fputc('\n', out);
	put_us(out, d->ns);
	fputs(" us, ", out);
	put_share(c, d->ns);
	fputs(" % of all fault time\nself ", out);
	put_us(out, d->self_ns);
	fputs(" us, ", out);
	put_us(out, nf ? d->ns / nf : 0);
	fprintf(out, " us per fault on average over %llu faults",
		(unsigned long long)nf);
	if (c->base) {
		fputs("\nbase run: ", out);
		put_us(out, d->base_ns);
		fputs(" us", out);
	}
	fputs("</title>", out);
}

static void put_frame(const struct svg_ctx *c, const struct frame_desc *d,
		      bool merged)
{
	double x = SVG_PAD + d->x_ns * c->scale, w = (double)d->ns * c->scale;
	double y = c->bottom - (d->depth + 1) * FRAME_H;
	FILE *out = c->out;

	if (!c->total)
		w = SVG_WIDTH - 2 * SVG_PAD;
	fprintf(out, "<g class=\"frame%s\" data-name=\"",
		merged ? " merged" : "");
	put_escaped(out, d->name);
	fputs("\" data-phase=\"", out);
	put_escaped(out, d->phase);
	fputs("\" data-inphase=\"", out);
	put_escaped(out, d->inphase);
	fprintf(out, "\" data-ns=\"%llu\" data-self-ns=\"%llu\">",
		(unsigned long long)d->ns, (unsigned long long)d->self_ns);
	put_tooltip(c, d);
	fputs("<rect x=\"", out);
	put_fixed2(out, x);
	fprintf(out, "\" y=\"%d\" width=\"", (int)y);
	put_fixed2(out, w);
	fprintf(out, "\" height=\"%d\" rx=\"2\" fill=\"", FRAME_H - 1);
	put_fill(out, d);
	fputs("\"/><text x=\"", out);
	put_fixed2(out, x + 3);
	fprintf(out, "\" y=\"%d\">", (int)y + FRAME_H - 4);
	put_label(out, d->name, w);
	fputs("</text></g>\n", out);
}

static const char *child_name(const struct child *ch)
{
	return ch->name ? ch->name : ch->buf;
}

/* Big frames first; group frames in key order (vcpu2 before vcpu10). */
static int cmp_child(const void *a, const void *b)
{
	const struct child *x = a, *y = b;

	if (x->small != y->small)
		return x->small ? 1 : -1;
	if (FLAME_KEY_TYPE(x->key) != FLAME_KEY_FUNC &&
	    FLAME_KEY_TYPE(x->key) == FLAME_KEY_TYPE(y->key))
		return (int32_t)x->key < (int32_t)y->key ? -1 :
		       (int32_t)x->key > (int32_t)y->key;
	return strcmp(child_name(x), child_name(y));
}

/* Children of @idx, big ones first by name; NULL with *nr 0 if none. */
static struct child *sorted_children(const struct svg_ctx *c, uint32_t idx,
				     uint32_t *nr, int *err)
{
	const struct flame_node *n = flame_node(c->fl, idx), *k;
	struct child *v;
	uint32_t i, cnt = 0;

	*nr = 0;
	for (i = n->first_child; i != FLAME_NO_NODE; i = k->next_sibling) {
		k = flame_node(c->fl, i);
		cnt++;
	}
	if (!cnt)
		return NULL;
	v = malloc(cnt * sizeof(*v));
	if (!v) {
		*err = -ENOMEM;
		return NULL;
	}
	for (i = n->first_child; i != FLAME_NO_NODE; i = k->next_sibling) {
		k = flame_node(c->fl, i);
		v[*nr].idx = i;
		v[*nr].small = k->total_ns < c->min_ns || !k->total_ns;
		v[*nr].key = k->key;
		v[*nr].name = flame_node_name(c->fl, i, v[*nr].buf,
					      sizeof(v[*nr].buf));
		if (v[*nr].name == v[*nr].buf)	/* qsort() moves @buf */
			v[*nr].name = NULL;
		(*nr)++;
	}
	qsort(v, cnt, sizeof(*v), cmp_child);
	return v;
}

/* The child of @base_idx in the base run named @name, or FLAME_NO_NODE. */
static uint32_t base_child(const struct svg_ctx *c, uint32_t base_idx,
			   const char *name)
{
	const struct flame_node *k;
	char buf[16];
	uint32_t i;

	if (base_idx == FLAME_NO_NODE)
		return FLAME_NO_NODE;
	for (i = flame_node(c->base, base_idx)->first_child;
	     i != FLAME_NO_NODE; i = k->next_sibling) {
		k = flame_node(c->base, i);
		if (!strcmp(flame_node_name(c->base, i, buf, sizeof(buf)), name))
			return i;
	}
	return FLAME_NO_NODE;
}

/* Diff: where @d's stack is in the base run, and its time there. */
static void describe_base(const struct svg_ctx *c, const char *name,
			  const struct frame_desc *parent, struct frame_desc *d)
{
	d->base_idx = FLAME_NO_NODE;
	if (!c->base)
		return;
	d->base_idx = parent ? base_child(c, parent->base_idx, name) :
			       FLAME_ROOT;
	d->diff = true;
	d->base_ns = d->base_idx == FLAME_NO_NODE ? 0 :
		     flame_node(c->base, d->base_idx)->total_ns;
}

static void describe(const struct svg_ctx *c, uint32_t idx, const char *name,
		     const struct frame_desc *parent, struct frame_desc *d)
{
	const struct flame_node *n = flame_node(c->fl, idx);

	memset(d, 0, sizeof(*d));
	d->name = name;
	d->ns = n->total_ns;
	d->self_ns = n->self_ns;
	d->depth = n->depth;
	d->phase = flame_phase_name(c->fl, n->phase);
	d->grey = FLAME_KEY_TYPE(n->key) != FLAME_KEY_FUNC;
	d->color_phase = n->phase;
	d->inphase = d->phase;
	if (n->phase == FAULT_NO_PHASE && parent &&
	    parent->color_phase != FAULT_NO_PHASE) {
		d->color_phase = parent->color_phase;
		d->inphase = parent->inphase;
		d->inherited = true;
	}
	describe_base(c, name, parent, d);
}

static int draw(const struct svg_ctx *c, uint32_t idx, const char *name,
		const struct frame_desc *parent, double x_ns);

/* Draw the children of the frame @d, starting at its left edge. */
static int draw_children(const struct svg_ctx *c, uint32_t idx,
			 const struct frame_desc *d)
{
	struct frame_desc m;
	double x = d->x_ns;
	uint32_t nr, i, nsmall = 0;
	uint64_t small_ns = 0;
	struct child *v;
	char name[48];
	int ret = 0;

	v = sorted_children(c, idx, &nr, &ret);
	for (i = 0; i < nr && !ret; i++) {
		const struct flame_node *k = flame_node(c->fl, v[i].idx);

		if (v[i].small) {
			nsmall++;
			small_ns += k->total_ns;
			continue;
		}
		ret = draw(c, v[i].idx, child_name(&v[i]), d, x);
		x += (double)k->total_ns;
	}
	free(v);
	if (ret || !small_ns || small_ns < c->min_ns)
		return ret;
	snprintf(name, sizeof(name), "(%u small)", nsmall);
	m = (struct frame_desc){ .name = name, .phase = "", .inphase = "",
		.grey = true, .ns = small_ns, .depth = (uint16_t)(d->depth + 1),
		.color_phase = FAULT_NO_PHASE, .x_ns = x,
		.base_idx = FLAME_NO_NODE };
	put_frame(c, &m, true);
	return 0;
}

static int draw(const struct svg_ctx *c, uint32_t idx, const char *name,
		const struct frame_desc *parent, double x_ns)
{
	struct frame_desc d;

	describe(c, idx, name, parent, &d);
	d.x_ns = x_ns;
	put_frame(c, &d, false);
	return draw_children(c, idx, &d);
}

/* Number of frame rows: deepest drawn frame + 1 (+1 for merged ones). */
static unsigned int nr_rows(const struct svg_ctx *c)
{
	uint32_t i, nr = flame_nr_nodes(c->fl);
	unsigned int rows = 1;
	const struct flame_node *n, *p;

	for (i = 1; i < nr; i++) {
		n = flame_node(c->fl, i);
		p = flame_node(c->fl, n->parent);
		if (p->total_ns >= c->min_ns && p->total_ns &&
		    n->depth + 1u > rows)
			rows = n->depth + 1u;
	}
	return rows;
}

static const char *const svg_style[] = {
"<style type=\"text/css\"><![CDATA[\n",
"text { font-family: \"DejaVu Sans Mono\", Menlo, Consolas, monospace;",
" font-size: 11px; fill: #000; }\n",
"#title { font-size: 17px; font-family: \"DejaVu Sans\", Verdana, sans-serif;",
" text-anchor: middle; }\n",
".button { font-size: 12px; cursor: pointer; fill: #224; }\n",
".button:hover { text-decoration: underline; }\n",
".legend { font-size: 11px; }\n",
"#matched { text-anchor: end; }\n",
"g.frame { cursor: pointer; }\n",
"g.frame:hover rect { stroke: #000; stroke-width: 0.6; }\n",
"g.frame text { pointer-events: none; }\n",
"g.parent { opacity: 0.55; }\n",
"g.hidden { display: none; }\n",
"]]></style>\n",
};

/*
 * The script: no external resource.  Frames keep their laid-out x/width
 * (in px) as the unzoomed state; zoom maps the clicked frame's span to
 * the full width, dims its ancestors and hides what is outside.  Search
 * matches names with a regular expression (plain substring if the
 * expression is invalid) and sums the time of matched frames that are
 * not inside another matched frame.
 */
static const char *const svg_script[] = {
"<script type=\"text/ecmascript\"><![CDATA[\n",
"'use strict';\n",
"var fg = { frames: [], zoomed: null, term: null };\n",
"function fg_fit(f, x, w) {\n",
"  var n = Math.floor((w - 6) / fg.cw), s = f.name;\n",
"  f.t.setAttribute('x', (x + 3).toFixed(2));\n",
"  if (n < 3) s = ''; else if (s.length > n) s = s.substr(0, n - 2) + '..';\n",
"  f.t.textContent = s;\n",
"}\n",
"function fg_place(f, x, w, cls) {\n",
"  f.r.setAttribute('x', x.toFixed(2));\n",
"  f.r.setAttribute('width', w.toFixed(2));\n",
"  f.g.setAttribute('class', cls);\n",
"  fg_fit(f, x, w);\n",
"}\n",
"function fg_us(ns) {\n",
"  return (ns / 1000).toFixed(3) + ' us';\n",
"}\n",
"function fg_pct(ns) {\n",
"  return (fg.total ? 100 * ns / fg.total : 0).toFixed(2) + ' %';\n",
"}\n",
"function fg_unzoom() {\n",
"  fg.zoomed = null;\n",
"  fg.reset.setAttribute('opacity', '0.1');\n",
"  fg.frames.forEach(function (f) { fg_place(f, f.x, f.w, f.cls); });\n",
"}\n",
"function fg_zoom(z) {\n",
"  var full = fg.width - 2 * fg.pad, k = full / z.w, e = 0.05;\n",
"  fg.zoomed = z;\n",
"  fg.reset.setAttribute('opacity', '1');\n",
"  fg.frames.forEach(function (f) {\n",
"    var inside = f.x >= z.x - e && f.x + f.w <= z.x + z.w + e;\n",
"    var covers = f.x <= z.x + e && f.x + f.w >= z.x + z.w - e;\n",
"    if (f.y > z.y && covers)\n",
"      fg_place(f, fg.pad, full, f.cls + ' parent');\n",
"    else if (f.y <= z.y && inside)\n",
"      fg_place(f, fg.pad + (f.x - z.x) * k, f.w * k, f.cls);\n",
"    else\n",
"      f.g.setAttribute('class', f.cls + ' hidden');\n",
"  });\n",
"}\n",
"function fg_search(term) {\n",
"  var re = null, hits = [], ns = 0, end = -1;\n",
"  try { re = new RegExp(term); } catch (err) { re = null; }\n",
"  fg.frames.forEach(function (f) {\n",
"    var hit = re ? re.test(f.name) : f.name.indexOf(term) >= 0;\n",
"    f.r.setAttribute('fill', hit ? '" HILITE "' : f.fill);\n",
"    if (hit) hits.push(f);\n",
"  });\n",
"  hits.sort(function (a, b) { return a.x - b.x || b.w - a.w; });\n",
"  hits.forEach(function (f) {\n",
"    if (f.x >= end - 0.05) { ns += f.ns; end = f.x + f.w; }\n",
"  });\n",
"  fg.term = term;\n",
"  fg.search.textContent = 'Clear search';\n",
"  fg.matched.textContent = 'Matched \"' + term + '\": ' + fg_pct(ns) +\n",
"    ' (' + fg_us(ns) + ', ' + hits.length + ' frames)';\n",
"  return ns;\n",
"}\n",
"function fg_clear() {\n",
"  fg.term = null;\n",
"  fg.frames.forEach(function (f) { f.r.setAttribute('fill', f.fill); });\n",
"  fg.search.textContent = 'Search';\n",
"  fg.matched.textContent = '';\n",
"}\n",
"function fg_ask() {\n",
"  var t = window.prompt('Search frames (regular expression):', fg.term || '');\n",
"  if (t) fg_search(t); else if (t !== null) fg_clear();\n",
"}\n",
"function fg_show(f) {\n",
"  fg.details.textContent = f ? f.name + ': ' + fg_us(f.ns) + ', ' +\n",
"    fg_pct(f.ns) + (f.phase ? ' [' + f.phase + ']' : '') : fg.hint;\n",
"}\n",
"function fg_init() {\n",
"  var svg = document.getElementById('kvmmmu-flame');\n",
"  fg.width = +svg.getAttribute('data-width');\n",
"  fg.pad = +svg.getAttribute('data-pad');\n",
"  fg.cw = +svg.getAttribute('data-char-width');\n",
"  fg.total = +svg.getAttribute('data-total-ns');\n",
"  fg.details = document.getElementById('details');\n",
"  fg.hint = fg.details.textContent;\n",
"  fg.matched = document.getElementById('matched');\n",
"  fg.reset = document.getElementById('reset');\n",
"  fg.search = document.getElementById('search');\n",
"  var gs = svg.querySelectorAll('g.frame');\n",
"  for (var i = 0; i < gs.length; i++) {\n",
"    var g = gs[i], r = g.querySelector('rect'), f = {\n",
"      g: g, r: r, t: g.querySelector('text'), cls: g.getAttribute('class'),\n",
"      x: +r.getAttribute('x'), w: +r.getAttribute('width'),\n",
"      y: +r.getAttribute('y'), fill: r.getAttribute('fill'),\n",
"      name: g.getAttribute('data-name'),\n",
"      phase: g.getAttribute('data-phase') || g.getAttribute('data-inphase'),\n",
"      ns: +g.getAttribute('data-ns') };\n",
"    fg.frames.push(f);\n",
"    g.addEventListener('click', fg_zoom.bind(null, f));\n",
"    g.addEventListener('mouseover', fg_show.bind(null, f));\n",
"    g.addEventListener('mouseout', fg_show.bind(null, null));\n",
"    fg_fit(f, f.x, f.w);\n",
"  }\n",
"  fg.reset.addEventListener('click', fg_unzoom);\n",
"  fg.search.addEventListener('click', function () {\n",
"    if (fg.term) fg_clear(); else fg_ask();\n",
"  });\n",
"  window.addEventListener('keydown', function (e) {\n",
"    if ((e.ctrlKey || e.metaKey) && (e.key === 'f' || e.key === 'F')) {\n",
"      e.preventDefault();\n",
"      fg_ask();\n",
"    } else if (e.key === 'Escape') {\n",
"      fg_unzoom();\n",
"      fg_clear();\n",
"    }\n",
"  });\n",
"  fg_from_hash(location.hash);\n",
"  svg.setAttribute('data-ready', String(fg.frames.length));\n",
"}\n",
"/* file.svg#zoom=NAME&search=REGEX: start zoomed and/or searching */\n",
"function fg_from_hash(h) {\n",
"  h.replace(/^#/, '').split('&').forEach(function (kv) {\n",
"    var i = kv.indexOf('='), k = kv.slice(0, i);\n",
"    var v = decodeURIComponent(kv.slice(i + 1));\n",
"    if (i < 1 || !v) return;\n",
"    if (k === 'search') fg_search(v);\n",
"    if (k === 'zoom') fg.frames.some(function (f) {\n",
"      if (f.name !== v) return false;\n",
"      fg_zoom(f);\n",
"      return true;\n",
"    });\n",
"  });\n",
"}\n",
"window.addEventListener('load', fg_init);\n",
"]]></script>\n",
};

static void put_lines(FILE *out, const char *const *lines, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		fputs(lines[i], out);
}

static void put_header(const struct svg_ctx *c, unsigned int height,
		       const char *title)
{
	FILE *out = c->out;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n",
	      out);
	fprintf(out, "<svg version=\"1.1\" id=\"kvmmmu-flame\" width=\"%d\" "
		"height=\"%u\" viewBox=\"0 0 %d %u\" "
		"xmlns=\"http://www.w3.org/2000/svg\" data-width=\"%d\" "
		"data-pad=\"%d\" data-char-width=\"",
		SVG_WIDTH, height, SVG_WIDTH, height, SVG_WIDTH, SVG_PAD);
	put_fixed2(out, CHAR_W);
	fprintf(out, "\" data-total-ns=\"%llu\" data-faults=\"%llu\">\n",
		(unsigned long long)c->total,
		(unsigned long long)flame_nr_faults(c->fl));
	fputs("<title>", out);
	put_escaped(out, title);
	fputs("</title>\n", out);
	put_lines(out, svg_style, ARRAY_SIZE(svg_style));
	put_lines(out, svg_script, ARRAY_SIZE(svg_script));
	fprintf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%u\" "
		"fill=\"#fbfaf7\"/>\n", SVG_WIDTH, height);
	fprintf(out, "<text id=\"title\" x=\"%d\" y=\"24\">", SVG_WIDTH / 2);
	put_escaped(out, title);
	fputs("</text>\n", out);
	fprintf(out, "<text id=\"reset\" class=\"button\" x=\"%d\" y=\"24\" "
		"opacity=\"0.1\">Reset zoom</text>\n", SVG_PAD);
	fprintf(out, "<text id=\"search\" class=\"button\" x=\"%d\" y=\"24\" "
		"text-anchor=\"end\">Search</text>\n", SVG_WIDTH - SVG_PAD);
}

/* Bitmap of the phases that appear in the trie. */
static uint64_t phases_seen(const struct flame *fl)
{
	uint32_t i, nr = flame_nr_nodes(fl);
	uint64_t seen = 0;

	for (i = 0; i < nr; i++)
		if (flame_node(fl, i)->phase < 64)
			seen |= 1ull << flame_node(fl, i)->phase;
	return seen;
}

static double put_legend_item(FILE *out, double x, const char *label,
			      const struct frame_desc *d)
{
	fprintf(out, "<g class=\"legend\"><rect x=\"");
	put_fixed2(out, x);
	fputs("\" y=\"37\" width=\"12\" height=\"12\" rx=\"2\" fill=\"", out);
	put_fill(out, d);
	fputs("\"/><text x=\"", out);
	put_fixed2(out, x + 16);
	fputs("\" y=\"47\">", out);
	put_escaped(out, label);
	fputs("</text></g>\n", out);
	return x + 16 + (double)strlen(label) * CHAR_W + 14;
}

static void put_legend(const struct svg_ctx *c)
{
	struct frame_desc d = { .name = "", .phase = "", .inphase = "" };
	uint64_t seen = phases_seen(c->fl);
	double x = SVG_PAD;
	unsigned int p;
	char label[64];

	fputs("<g id=\"legend\">\n", c->out);
	for (p = 0; p < 64 && x < SVG_WIDTH - 160; p++) {
		if (!(seen & (1ull << p)))
			continue;
		d.color_phase = p;
		snprintf(label, sizeof(label), "%s", flame_phase_name(c->fl, p));
		x = put_legend_item(c->out, x, label, &d);
	}
	d.color_phase = FAULT_NO_PHASE;
	d.name = "legend";
	put_legend_item(c->out, x, seen ? "no phase (lighter: inside a phase)" :
					  "no phase", &d);
	fputs("</g>\n", c->out);
}

static void put_footer(const struct svg_ctx *c, unsigned int height)
{
	FILE *out = c->out;

	fprintf(out, "<text id=\"details\" x=\"%d\" y=\"%u\">", SVG_PAD,
		height - 12);
	fprintf(out, "%llu faults, ",
		(unsigned long long)flame_nr_faults(c->fl));
	put_us(out, c->total);
	fputs(" us: click a frame to zoom, Ctrl-F to search</text>\n", out);
	fprintf(out, "<text id=\"matched\" x=\"%d\" y=\"%u\"></text>\n",
		SVG_WIDTH - SVG_PAD, height - 12);
	fputs("</svg>\n", out);
}

int flame_write_svg(const struct flame *fl, FILE *out, const char *title)
{
	return flame_write_svg_diff(fl, NULL, out, title);
}

int flame_write_svg_diff(const struct flame *fl, const struct flame *base,
			 FILE *out, const char *title)
{
	struct svg_ctx c = { .fl = fl, .base = base, .out = out };
	unsigned int rows, height;
	int ret;

	c.total = flame_total_ns(fl);
	c.min_ns = (uint64_t)((double)c.total * MIN_SHARE);
	c.scale = c.total ? (SVG_WIDTH - 2.0 * SVG_PAD) / (double)c.total : 0;
	rows = nr_rows(&c);
	height = TOP_H + rows * FRAME_H + BOTTOM_H;
	c.bottom = TOP_H + rows * FRAME_H;
	put_header(&c, height, title ? title : "KVM page fault flame graph");
	if (!base)	/* phase colours; a diff colours by change */
		put_legend(&c);
	fputs("<g id=\"frames\">\n", out);
	ret = draw(&c, FLAME_ROOT, "all", NULL, 0.0);
	fputs("</g>\n", out);
	put_footer(&c, height);
	if (!ret && (fflush(out) || ferror(out)))
		ret = -EIO;
	return ret;
}
