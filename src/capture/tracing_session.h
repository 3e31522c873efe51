/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tracing_session.h - set up, run and undo one ftrace capture.
 *
 * A session configures one tracefs instance (the top level, or a private
 * instance "kvmmmu-graph-<pid>") for a capture strategy, and undoes all of
 * it on tracing_session_end(). Changes to the top level are saved to a
 * state file first, so that the next run can undo what a killed run left.
 *
 * Functions return 0 or a negative errno; where they take an err buffer,
 * a one-line message goes there. Nothing here prints or exits.
 */
#ifndef KVMMMU_TRACING_SESSION_H
#define KVMMMU_TRACING_SESSION_H

#include <stdbool.h>
#include <stddef.h>

/* The rest of the tracefs API, for the users of this header: */
#include "instance_in_use.h"	/* tracing_instance_in_use() */
#include "stale_cleanup.h"	/* tracing_cleanup_stale(), our names */
#include "top_level_state.h"	/* tracing_set_state_dir() */
#include "tracefs_files.h"	/* tracing_read_file() */
#include "tracefs_values.h"	/* tracing_clock_available() */

struct profile;
struct tracefs_instance;

/* Per-CPU buffer size when session_config.buffer_kb is 0. */
#define TRACING_DEFAULT_BUFFER_KB	4096

enum capture_strategy {
	STRATEGY_AUTO,
	STRATEGY_GLOBAL,	/* top level, function_graph + set_graph_function */
	STRATEGY_INSTANCE,	/* own instance, function_graph + set_ftrace_filter */
	STRATEGY_EVENTS_ONLY,	/* own instance, tracepoints only */
};

struct session_config {
	/* never AUTO: resolved with host_pick_strategy() */
	enum capture_strategy strategy;
	const struct profile *prof;
	/* per-CPU buffer size; 0 = TRACING_DEFAULT_BUFFER_KB */
	unsigned int buffer_kb;
	/* take the top level even if someone else uses it (global) */
	bool force;
	/* threads to trace (all of the VM's); nr_tids == 0: no filter */
	const int *tids;
	int nr_tids;
};

struct tracing_session;

/**
 * capture_strategy_name() - the command-line name of a strategy
 * @s:	strategy
 *
 * Return: "auto", "global", "instance", "events-only" (or "?").
 */
const char *capture_strategy_name(enum capture_strategy s);

/**
 * capture_strategy_parse() - parse a strategy name
 * @name:	"auto", "global", "instance" or "events-only"
 * @out:	the strategy
 *
 * Return: 0, or -EINVAL for an unknown name.
 */
int capture_strategy_parse(const char *name, enum capture_strategy *out);

/**
 * tracing_session_start() - configure tracefs for a capture
 * @cfg:	what to trace and how
 * @out:	the new session
 * @err:	buffer for a one-line error message
 * @errlen:	size of @err
 *
 * Sets everything up with tracing_on=0; tracing_session_enable() starts
 * recording. On failure, whatever was already changed is undone.
 *
 * Return: 0, or a negative errno with @err filled (-EBUSY: the top level
 * is in use, -EOPNOTSUPP: the kernel lacks something the strategy needs).
 */
int tracing_session_start(const struct session_config *cfg,
			  struct tracing_session **out,
			  char *err, size_t errlen);

/**
 * tracing_session_enable() - clear the buffers and start recording
 * @s:	session
 *
 * Return: 0 or a negative errno.
 */
int tracing_session_enable(struct tracing_session *s);

/**
 * tracing_session_disable() - stop recording (tracing_on=0)
 * @s:	session
 *
 * The buffers keep their data, for a final drain.
 *
 * Return: 0 or a negative errno.
 */
int tracing_session_disable(struct tracing_session *s);

/* The trace clock the session set ("mono" or "global"). */
const char *tracing_session_clock(const struct tracing_session *s);

/**
 * tracing_session_now_ns() - the session's trace clock, now
 *
 * For "mono" this is CLOCK_MONOTONIC; for another clock the kernel's own
 * reading ("now ts" of per_cpu/cpuN/stats). Events not read yet are
 * newer than a time taken before the buffers were read, less the time
 * an event may take to commit.
 * Return: ns in the trace clock, 0 when it cannot be read.
 */
uint64_t tracing_session_now_ns(struct tracing_session *s);

/**
 * tracing_session_instance() - the instance to read the buffers from
 * @s:	session
 *
 * Return: the instance, or NULL for the top level.
 */
struct tracefs_instance *tracing_session_instance(struct tracing_session *s);

/**
 * tracing_session_strategy() - the session's strategy
 * @s:	session
 *
 * Return: the strategy (never STRATEGY_AUTO).
 */
enum capture_strategy tracing_session_strategy(const struct tracing_session *s);

/**
 * tracing_session_nr_missing() - how many profile items were skipped
 * @s:	session
 *
 * Events, roots and filter expressions of the profile that this kernel
 * lacks are skipped at start and remembered, and so are options that
 * could not be set without touching the top level.
 *
 * Return: the number of skipped items.
 */
unsigned int tracing_session_nr_missing(const struct tracing_session *s);

/**
 * tracing_session_missing() - one skipped profile item
 * @s:	session
 * @i:	index, below tracing_session_nr_missing()
 *
 * Return: "event kvmmmu/foo", "root foo", "allow foo" or "option foo
 * (why)", or NULL.
 */
const char *tracing_session_missing(const struct tracing_session *s,
				    unsigned int i);

/**
 * tracing_session_end() - undo everything the session changed
 * @s:	session, may be NULL
 *
 * Stops tracing, restores the top level from the saved state (global),
 * destroys our instance (instance, events-only), removes the state and
 * lock files, and frees @s. Errors are ignored: there is no one to tell.
 */
void tracing_session_end(struct tracing_session *s);

#endif /* KVMMMU_TRACING_SESSION_H */
