/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stale_cleanup.h - undo what killed runs left in tracefs.
 *
 * Everything the tool creates in tracefs carries a name below, with the
 * creator's pid where it belongs to one run, so that a later run can tell
 * a dead run's leftovers from a live run's.
 */
#ifndef KVMMMU_STALE_CLEANUP_H
#define KVMMMU_STALE_CLEANUP_H

#include <stddef.h>

/* Our instances are named TRACING_INSTANCE_PREFIX "<pid>". */
#define TRACING_INSTANCE_PREFIX		"kvmmmu-graph-"
/* Temporary instances of host_probe(): TRACING_PROBE_INSTANCE_PREFIX "<pid>" */
#define TRACING_PROBE_INSTANCE_PREFIX	"kvmmmu-graph-probe-"
/* Group of the dynamic (k/f)probe events the tool may create. */
#define TRACING_PROBE_GROUP		"kvmmmu_graph"

/**
 * tracing_cleanup_stale() - undo what killed runs left behind
 * @msg:	buffer for a description of what was cleaned
 * @msglen:	size of @msg
 *
 * Destroys our instances whose pid is dead, restores the top level from a
 * state file whose owner is dead, and, when no live run remains, removes
 * the dynamic events of group TRACING_PROBE_GROUP.
 *
 * Return: the number of things cleaned (>= 0), or a negative errno with
 * @msg filled.
 */
int tracing_cleanup_stale(char *msg, size_t msglen);

/**
 * tracing_find_stale() - name what tracing_cleanup_stale() would undo
 * @msg:	buffer for the list ("nothing to clean" if none)
 * @msglen:	size of @msg
 *
 * Changes nothing. Return: the number of leftovers (>= 0), or a negative
 * errno with @msg filled.
 */
int tracing_find_stale(char *msg, size_t msglen);

#endif /* KVMMMU_STALE_CLEANUP_H */
