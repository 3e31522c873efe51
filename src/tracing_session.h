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

struct profile;
struct tracefs_instance;

/* Our instances are named TRACING_INSTANCE_PREFIX "<pid>". */
#define TRACING_INSTANCE_PREFIX		"kvmmmu-graph-"
/* Temporary instances of host_probe(): TRACING_PROBE_INSTANCE_PREFIX "<pid>" */
#define TRACING_PROBE_INSTANCE_PREFIX	"kvmmmu-graph-probe-"
/* Group of the dynamic (k/f)probe events the tool may create. */
#define TRACING_PROBE_GROUP		"kvmmmu_graph"
/* Default directory of the top-level state and lock files. */
#define TRACING_STATE_DIR		"/run/kvmmmu-graph"
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

/**
 * tracing_set_state_dir() - use another directory for state and lock files
 * @dir:	directory (copied), NULL for TRACING_STATE_DIR
 *
 * For tests. Return: 0 or -ENAMETOOLONG.
 */
int tracing_set_state_dir(const char *dir);

/**
 * tracing_read_file() - read a whole tracefs file
 * @inst:	instance, NULL for the top level
 * @file:	file name relative to the instance ("trace_clock")
 * @out:	the contents, NUL-terminated, to free()
 *
 * Return: 0, or a negative errno (-ENOENT, -EPERM, ...).
 */
int tracing_read_file(struct tracefs_instance *inst, const char *file,
		      char **out);

/**
 * tracing_clock_available() - is a trace clock offered?
 * @inst:	instance, NULL for the top level
 * @clock:	clock name ("mono")
 *
 * Return: true if @clock is listed in trace_clock.
 */
bool tracing_clock_available(struct tracefs_instance *inst, const char *clock);

#endif /* KVMMMU_TRACING_SESSION_H */
