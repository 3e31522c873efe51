/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * instance_in_use.h - does someone else trace with a tracefs instance?
 */
#ifndef KVMMMU_INSTANCE_IN_USE_H
#define KVMMMU_INSTANCE_IN_USE_H

#include <stddef.h>

struct tracefs_instance;

/**
 * tracing_instance_in_use() - does someone else use this instance?
 * @inst:	instance, NULL for the top level
 * @why:	buffer for what is in use ("current_tracer=function, ...")
 * @whylen:	size of @why
 *
 * In use: a tracer other than nop, any enabled event, a non-empty
 * set_ftrace_filter or set_graph_function, or (top level) a live
 * kvmmmu-graph holding the top-level lock.
 *
 * Return: 1 in use, 0 free, or a negative errno.
 */
int tracing_instance_in_use(struct tracefs_instance *inst,
			    char *why, size_t whylen);

#endif /* KVMMMU_INSTANCE_IN_USE_H */
