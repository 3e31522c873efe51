/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * flame.h - aggregate fault call trees into a stack trie for flame graphs.
 *
 * Every complete fault with a call tree (f->complete && f->has_tree) is
 * added to a trie keyed by the path of function indexes from the fault's
 * root, optionally below a group frame ("normal"/"fast"/"mmio" or
 * "vcpu0"...).  Each trie node sums the self time and the inclusive time
 * of the calls that had its path.  Output: folded stacks (flamegraph.pl,
 * speedscope, inferno) and a self-contained interactive SVG.
 *
 * Self time and clock skew: the self time of a call is its duration minus
 * the durations of its recorded children.  Trace timestamps can make
 * children look longer than their parent (a few ns of skew), which would
 * give a negative self time.  We never let that happen and keep totals
 * exact: walking a fault in entry order, each child gets as its duration
 * at most what is left of its parent's (already capped) duration after
 * the children before it; a node's self time is what is left when all its
 * children took their part.  So every self time is >= 0 and the self
 * times of one fault add up to its root's duration to the ns.  A call that
 * never returned (rettime 0) counts as 0 ns.  The same split is used by
 * the breakdown (flame_split_fault()).
 */
#ifndef KVMMMU_FLAME_H
#define KVMMMU_FLAME_H

#include <stdint.h>
#include <stdio.h>

#include "fault.h"

struct symbols;
struct profile;
struct flame;

/* What goes below the fault's root in each stack. */
enum flame_group {
	FLAME_GROUP_NONE,	/* root;child;...       */
	FLAME_GROUP_TYPE,	/* normal;root;child... (fault_kind_name()) */
	FLAME_GROUP_VCPU,	/* vcpu0;root;child...  ("vcpu?" if unknown) */
};

#define FLAME_NO_NODE		UINT32_MAX
#define FLAME_ROOT		0u	/* trie root: "all" faults */

/* Trie node keys: the top 32 bits say what the low 32 bits are. */
#define FLAME_KEY_FUNC		(0ull << 32)	/* symbol index */
#define FLAME_KEY_KIND		(1ull << 32)	/* enum fault_kind */
#define FLAME_KEY_VCPU		(2ull << 32)	/* vCPU index (int) */
#define FLAME_KEY_ALL		(3ull << 32)	/* the trie root */
#define FLAME_KEY_TYPE(k)	((k) & ~0xffffffffull)

/**
 * struct flame_node - one distinct stack (read-only for callers)
 * @key:		FLAME_KEY_* | value
 * @self_ns:		self time summed over all faults added
 * @total_ns:		inclusive time: @self_ns + children's @total_ns
 * @parent:		parent node, FLAME_NO_NODE for FLAME_ROOT
 * @first_child:	first child, FLAME_NO_NODE if none (unordered list)
 * @next_sibling:	next child of @parent, FLAME_NO_NODE at the end
 * @depth:		0 for FLAME_ROOT, 1 for its children...
 * @phase:		profile phase of the function, FAULT_NO_PHASE if none
 */
struct flame_node {
	uint64_t key;
	uint64_t self_ns;
	uint64_t total_ns;
	uint32_t parent;
	uint32_t first_child;
	uint32_t next_sibling;
	uint16_t depth;
	uint8_t phase;
	uint8_t pad;
};

/**
 * flame_new() - create an empty flame aggregate
 * @syms:	names of the function indexes (read when writing output)
 * @prof:	profile for phase labels, may be NULL (labels are then "?")
 * @group:	group frame to put below the fault roots
 *
 * @syms and @prof must outlive the aggregate.
 * Return: the aggregate, or NULL when out of memory.
 */
struct flame *flame_new(const struct symbols *syms, const struct profile *prof,
			enum flame_group group);

/**
 * flame_free() - free an aggregate
 * @fl:	aggregate, may be NULL
 */
void flame_free(struct flame *fl);

/**
 * flame_add() - add one fault's call tree
 * @fl:	aggregate
 * @f:	fault; skipped unless f->complete && f->has_tree && f->nr_nodes
 *
 * Allocates only to grow the trie (amortized).  On error nothing of @f
 * was added.
 * Return: 1 if added, 0 if skipped, -EINVAL for a malformed tree (a parent
 * index not before its child), -ENOMEM.
 */
int flame_add(struct flame *fl, const struct fault *f);

/**
 * flame_write_folded() - write folded stacks
 * @fl:		aggregate
 * @out:	stream
 *
 * One line "frame;frame;...;leaf WEIGHT" per stack with a non-zero self
 * time, WEIGHT in integer ns, lines sorted by strcmp().  The weights add
 * up to flame_total_ns().  ';' and white space in names become '_'.
 * Return: 0, -ENOMEM, or -EIO when writing failed.
 */
int flame_write_folded(const struct flame *fl, FILE *out);


/**
 * flame_total_ns() - total fault time aggregated
 * @fl:	aggregate
 *
 * Return: the sum of the root durations of the faults added, in ns; also
 * the sum of all folded weights and the inclusive time of FLAME_ROOT.
 */
uint64_t flame_total_ns(const struct flame *fl);

/**
 * flame_nr_faults() - faults aggregated
 * @fl:	aggregate
 *
 * Return: the number of faults flame_add() added.
 */
uint64_t flame_nr_faults(const struct flame *fl);

/**
 * flame_nr_nodes() - size of the trie
 * @fl:	aggregate
 *
 * Return: the number of trie nodes, FLAME_ROOT included.
 */
uint32_t flame_nr_nodes(const struct flame *fl);

/**
 * flame_node() - a trie node
 * @fl:		aggregate
 * @idx:	node index below flame_nr_nodes(), FLAME_ROOT for the root
 *
 * Return: the node (valid until the next flame_add()), NULL if out of range.
 */
const struct flame_node *flame_node(const struct flame *fl, uint32_t idx);

/**
 * flame_node_name() - display name of a trie node
 * @fl:		aggregate
 * @idx:	node index
 * @buf:	buffer for names that are built ("vcpu3")
 * @len:	size of @buf
 *
 * Return: the function name, group name, "all" for FLAME_ROOT, or "?".
 */
const char *flame_node_name(const struct flame *fl, uint32_t idx, char *buf,
			    size_t len);

/**
 * flame_phase_name() - label of a phase index
 * @fl:		aggregate
 * @phase:	phase index, FAULT_NO_PHASE for none
 *
 * Return: the profile's label, "?" without profile, "" for none.
 */
const char *flame_phase_name(const struct flame *fl, unsigned int phase);

/**
 * flame_split_fault() - exact, clamped durations and self times of a fault
 * @f:		fault with a call tree
 * @dur:	out: each node's duration capped by its parent (may be NULL)
 * @self:	out: each node's self time, FAULT_MAX_NODES entries
 *
 * See the comment at the top of this file.  The @self values add up to
 * @dur[0], the root's duration.
 * Return: the root's duration in ns, or -EINVAL if a node's parent index
 * is not below its own index (or @f has no nodes).
 */
int64_t flame_split_fault(const struct fault *f, uint64_t *dur,
			  uint64_t *self);

#endif /* KVMMMU_FLAME_H */
