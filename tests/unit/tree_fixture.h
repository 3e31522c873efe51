/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tree_fixture.h - build a fault's call tree by hand in unit tests.
 *
 * The including test file defines "prof" (struct profile *) and "syms"
 * (struct symbols *) before including this header.
 */
#ifndef KVMMMU_TREE_FIXTURE_H
#define KVMMMU_TREE_FIXTURE_H

#include "fault.h"
#include "profile.h"
#include "symbols.h"

/*
 * Append a call named @name below node @parent (-1 for the root) of @f,
 * with its phase from the profile, and keep the fault's delay equal to
 * the root's duration. Returns the new node's index.
 */
static int call(struct fault *f, int parent, const char *name,
		uint64_t calltime, uint64_t rettime)
{
	struct fault_node *n = &f->nodes[f->nr_nodes];
	unsigned int phase = profile_phase_of(prof, name);

	n->func = symbols_intern(syms, name);
	n->phase = phase == PROFILE_NO_PHASE ? FAULT_NO_PHASE : (uint8_t)phase;
	n->parent = parent < 0 ? FAULT_NO_PARENT : (uint16_t)parent;
	n->depth = parent < 0 ? 0 : f->nodes[parent].depth + 1;
	n->calltime = calltime;
	n->rettime = rettime;
	f->delay_ns = fault_node_duration(&f->nodes[0]);
	return (int)f->nr_nodes++;
}

#endif
