// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * flame.c - stack trie of fault call trees and folded output.
 *
 * The trie is an array of struct flame_node; children are found through
 * the shared hash table keyed by (parent node, key).  Adding a
 * fault first makes sure both have room for every node of the fault, so
 * it cannot fail half way.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flame.h"
#include "hashtab.h"
#include "profile.h"
#include "symbols.h"

/* Nodes are indexed by 30 bits in the children table's keys. */
#define MAX_NODES	(1u << 30)

struct flame {
	const struct symbols *syms;
	const struct profile *prof;
	enum flame_group group;
	struct flame_node *nodes;
	uint32_t nr_nodes, cap_nodes;
	struct hashtab children;	/* child_key() -> node index */
	uint64_t total_ns;
	uint64_t nr_faults;
	/* per-fault scratch, so that adding does not allocate */
	uint64_t dur[FAULT_MAX_NODES];
	uint64_t self[FAULT_MAX_NODES];
	uint32_t trie[FAULT_MAX_NODES];
};

int64_t flame_split_fault(const struct fault *f, uint64_t *dur,
			  uint64_t *self)
{
	uint32_t i, n = f->nr_nodes < FAULT_MAX_NODES ? f->nr_nodes :
						      FAULT_MAX_NODES;
	uint64_t scratch[FAULT_MAX_NODES];

	if (!n || f->nodes[0].parent != FAULT_NO_PARENT)
		return -EINVAL;
	if (!dur)
		dur = scratch;
	dur[0] = fault_node_duration(&f->nodes[0]);
	if (dur[0] > INT64_MAX)		/* damaged times: not a duration */
		return -ERANGE;
	self[0] = dur[0];	/* self[] holds what is left of each budget */
	for (i = 1; i < n; i++) {
		uint32_t p = f->nodes[i].parent;

		if (p >= i)
			return -EINVAL;
		dur[i] = fault_node_duration(&f->nodes[i]);
		if (dur[i] > self[p])	/* skew: cap at the parent's budget */
			dur[i] = self[p];
		self[p] -= dur[i];
		self[i] = dur[i];
	}
	return (int64_t)dur[0];
}

struct flame *flame_new(const struct symbols *syms, const struct profile *prof,
			enum flame_group group)
{
	struct flame *fl = calloc(1, sizeof(*fl));

	if (!fl)
		return NULL;
	fl->syms = syms;
	fl->prof = prof;
	fl->group = group;
	fl->cap_nodes = 256;
	fl->nodes = malloc(fl->cap_nodes * sizeof(*fl->nodes));
	hashtab_init(&fl->children, MAX_NODES);
	if (!fl->nodes) {
		flame_free(fl);
		return NULL;
	}
	fl->nodes[0] = (struct flame_node){
		.key = FLAME_KEY_ALL, .parent = FLAME_NO_NODE,
		.first_child = FLAME_NO_NODE, .next_sibling = FLAME_NO_NODE,
		.phase = FAULT_NO_PHASE };
	fl->nr_nodes = 1;
	return fl;
}

void flame_free(struct flame *fl)
{
	if (!fl)
		return;
	free(fl->nodes);
	hashtab_release(&fl->children);
	free(fl);
}

/* The children table's key of (@parent, @key): 30 + 2 + 32 bits. */
static uint64_t child_key(uint32_t parent, uint64_t key)
{
	return (uint64_t)parent << 34 | (key >> 32 & 3) << 32 |
	       (key & 0xffffffffull);
}

/* Make room for @more nodes in the node array and the hash table. */
static int reserve(struct flame *fl, uint32_t more)
{
	uint64_t need = (uint64_t)fl->nr_nodes + more;
	uint32_t cap;
	struct flame_node *nodes;

	if (need > MAX_NODES)
		return -ENOMEM;
	if (need > fl->cap_nodes) {
		for (cap = fl->cap_nodes; cap < need; cap *= 2)
			;
		nodes = realloc(fl->nodes, (size_t)cap * sizeof(*nodes));
		if (!nodes)
			return -ENOMEM;
		fl->nodes = nodes;
		fl->cap_nodes = cap;
	}
	return hashtab_reserve(&fl->children, more) ? -ENOMEM : 0;
}

/* Child of @parent with @key, created if needed (room was reserved). */
static uint32_t child_of(struct flame *fl, uint32_t parent, uint64_t key,
			 uint8_t phase)
{
	struct flame_node *n;
	uint64_t *idx;
	uint32_t i;

	if (!hashtab_get_or_add(&fl->children, child_key(parent, key), &idx))
		return (uint32_t)*idx;
	i = fl->nr_nodes++;
	*idx = i;
	n = &fl->nodes[i];
	*n = (struct flame_node){
		.key = key, .parent = parent, .first_child = FLAME_NO_NODE,
		.next_sibling = fl->nodes[parent].first_child,
		.depth = (uint16_t)(fl->nodes[parent].depth + 1),
		.phase = phase };
	fl->nodes[parent].first_child = i;
	return i;
}

/* The node the fault's root hangs below: FLAME_ROOT or a group frame. */
static uint32_t group_node(struct flame *fl, const struct fault *f)
{
	switch (fl->group) {
	case FLAME_GROUP_TYPE:
		return child_of(fl, FLAME_ROOT,
				FLAME_KEY_KIND | (uint32_t)f->kind,
				FAULT_NO_PHASE);
	case FLAME_GROUP_VCPU:
		return child_of(fl, FLAME_ROOT,
				FLAME_KEY_VCPU | (uint32_t)f->vcpu,
				FAULT_NO_PHASE);
	default:
		return FLAME_ROOT;
	}
}

int flame_add(struct flame *fl, const struct fault *f)
{
	uint32_t i, n = f->nr_nodes, top;
	const struct fault_node *fn;
	int64_t root;
	int ret;

	if (!f->complete || !f->has_tree || !n)
		return 0;
	if (n > FAULT_MAX_NODES)
		n = FAULT_MAX_NODES;
	root = flame_split_fault(f, fl->dur, fl->self);
	if (root < 0)
		return (int)root;
	ret = reserve(fl, n + 1);
	if (ret)
		return ret;
	top = group_node(fl, f);
	fl->nodes[FLAME_ROOT].total_ns += (uint64_t)root;
	if (top != FLAME_ROOT)
		fl->nodes[top].total_ns += (uint64_t)root;
	for (i = 0; i < n; i++) {
		fn = &f->nodes[i];
		fl->trie[i] = child_of(fl, i ? fl->trie[fn->parent] : top,
				       FLAME_KEY_FUNC | fn->func, fn->phase);
		fl->nodes[fl->trie[i]].self_ns += fl->self[i];
		fl->nodes[fl->trie[i]].total_ns += fl->dur[i];
	}
	fl->total_ns += (uint64_t)root;
	fl->nr_faults++;
	return 1;
}

uint64_t flame_total_ns(const struct flame *fl)
{
	return fl->total_ns;
}

uint64_t flame_nr_faults(const struct flame *fl)
{
	return fl->nr_faults;
}

uint32_t flame_nr_nodes(const struct flame *fl)
{
	return fl->nr_nodes;
}

const struct flame_node *flame_node(const struct flame *fl, uint32_t idx)
{
	return idx < fl->nr_nodes ? &fl->nodes[idx] : NULL;
}

const char *flame_node_name(const struct flame *fl, uint32_t idx, char *buf,
			    size_t len)
{
	const struct flame_node *n = flame_node(fl, idx);
	uint32_t v;

	if (!n)
		return "?";
	v = (uint32_t)n->key;
	switch (FLAME_KEY_TYPE(n->key)) {
	case FLAME_KEY_FUNC:
		return symbols_name(fl->syms, v);
	case FLAME_KEY_KIND:
		return fault_kind_name((enum fault_kind)v);
	case FLAME_KEY_VCPU:
		if ((int32_t)v < 0)
			return "vcpu?";
		snprintf(buf, len, "vcpu%u", v);
		return buf;
	default:
		return "all";
	}
}

const char *flame_phase_name(const struct flame *fl, unsigned int phase)
{
	if (phase == FAULT_NO_PHASE)
		return "";
	return fl->prof ? profile_phase_name(fl->prof, phase) : "?";
}

/* Append @name to @line at @pos, folded-safe; returns the new length. */
static size_t append_name(char *line, size_t pos, const char *name)
{
	for (; *name; name++)
		line[pos++] = (*name == ';' || *name == ' ' || *name == '\t' ||
			       *name == '\n' || *name == '\r') ? '_' : *name;
	return pos;
}

/* Folded "a;b;c WEIGHT" line of node @idx, malloc'ed. */
static char *folded_line(const struct flame *fl, uint32_t idx)
{
	uint32_t path[FAULT_MAX_NODES + 4], depth = 0, i;
	size_t len = 32, pos = 0;
	char buf[32], *line;

	for (i = idx; i != FLAME_ROOT && depth < FAULT_MAX_NODES + 4;
	     i = fl->nodes[i].parent) {
		path[depth++] = i;
		len += strlen(flame_node_name(fl, i, buf, sizeof(buf))) + 1;
	}
	line = malloc(len);
	if (!line)
		return NULL;
	while (depth--) {
		pos = append_name(line, pos,
				  flame_node_name(fl, path[depth], buf,
						  sizeof(buf)));
		line[pos++] = depth ? ';' : ' ';
	}
	snprintf(line + pos, len - pos, "%llu",
		 (unsigned long long)fl->nodes[idx].self_ns);
	return line;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int flame_write_folded(const struct flame *fl, FILE *out)
{
	uint32_t i, nr = 0;
	char **lines;
	int ret = 0;

	lines = malloc(fl->nr_nodes * sizeof(*lines));
	if (!lines)
		return -ENOMEM;
	for (i = 1; i < fl->nr_nodes && !ret; i++) {
		if (!fl->nodes[i].self_ns)
			continue;
		lines[nr] = folded_line(fl, i);
		if (!lines[nr])
			ret = -ENOMEM;
		else
			nr++;
	}
	qsort(lines, nr, sizeof(*lines), cmp_str);
	for (i = 0; i < nr; i++) {
		if (!ret && fprintf(out, "%s\n", lines[i]) < 0)
			ret = -EIO;
		free(lines[i]);
	}
	free(lines);
	if (!ret && fflush(out))
		ret = -EIO;
	return ret;
}
