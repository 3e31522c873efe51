/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * top_level_state.h - save and restore the top-level tracefs settings.
 *
 * The global strategy changes the top-level instance, which belongs to
 * everyone. Before the first change, a run takes <state dir>/global.lock
 * (its pid and start time) and writes what it will change to
 * <state dir>/global.state; at the end it puts it back and removes both.
 * A run that finds the lock of a dead run restores that run's state.
 *
 * Functions return 0 or a negative errno; where they take an err or msg
 * buffer, a one-line message goes there. Nothing here prints.
 */
#ifndef KVMMMU_TOP_LEVEL_STATE_H
#define KVMMMU_TOP_LEVEL_STATE_H

#include <stdbool.h>
#include <stddef.h>

/* Default directory of the top-level state and lock files. */
#define TRACING_STATE_DIR		"/run/kvmmmu-graph"

/* The saved values of the top-level files the global strategy changes. */
struct saved_state;

/**
 * tracing_set_state_dir() - use another directory for state and lock files
 * @dir:	directory (copied), NULL for TRACING_STATE_DIR
 *
 * For tests. Return: 0 or -ENAMETOOLONG.
 */
int tracing_set_state_dir(const char *dir);

/**
 * top_level_lock() - take the top-level lock
 * @err:	buffer for a one-line error message
 * @errlen:	size of @err
 *
 * Creates the state directory if needed, then the lock file, complete
 * with our pid, in one step.
 *
 * Return: 0, -EBUSY if another run holds the lock, or a negative errno.
 */
int top_level_lock(char *err, size_t errlen);

/* Remove the lock file. */
void top_level_unlock(void);

/**
 * top_level_lock_owner() - who holds the top-level lock?
 * @start:	the owner's start time (pid_starttime()), 0 if not recorded
 *
 * Return: the owner's pid, INT_MAX for a garbled lock file (treat it as
 * dead), 0 if there is no lock file, or a negative errno.
 */
int top_level_lock_owner(unsigned long long *start);

/**
 * top_level_locked_by_other() - does another live run hold the lock?
 * @why:	buffer that gets "kvmmmu-graph pid N holds the top level
 *		(<lock file>)" appended if so
 * @whylen:	size of @why
 *
 * Return: 1 if so, else 0.
 */
int top_level_locked_by_other(char *why, size_t whylen);

/**
 * top_level_save() - read the top-level files the global strategy changes
 * @out:	the saved values, for saved_state_free()
 * @err:	buffer for a one-line error message
 * @errlen:	size of @err
 *
 * Optional files that cannot be read are left out; a buffer_size_kb of
 * "X" (per-CPU sizes differ) is saved as the size of each CPU.
 *
 * Return: 0 or a negative errno.
 */
int top_level_save(struct saved_state **out, char *err, size_t errlen);

/**
 * top_level_write_state() - write the state file
 * @st:		from top_level_save()
 * @err:	buffer for a one-line error message
 * @errlen:	size of @err
 *
 * Writes a temporary file and renames it, so that the state file is
 * always complete.
 *
 * Return: 0 or a negative errno.
 */
int top_level_write_state(const struct saved_state *st,
			  char *err, size_t errlen);

/* Is there a state file? */
bool top_level_state_exists(void);

/* Remove the state file. */
void top_level_remove_state(void);

/**
 * top_level_restore() - put the top level back as saved
 * @st:		from top_level_save() or the state file
 *
 * Stops tracing and drops our tracer and events first, then puts back
 * every saved file in save order (tracing_on last).
 *
 * Return: 0, or the first error (all items are tried).
 */
int top_level_restore(const struct saved_state *st);

/* The saved value of @key ("set_ftrace_filter"), or NULL. */
const char *saved_state_get(const struct saved_state *st, const char *key);

/* Free @st (may be NULL). */
void saved_state_free(struct saved_state *st);

/**
 * top_level_recover() - undo a dead run's top level
 * @pid:	the dead run's pid (for @msg)
 * @msg:	buffer that gets what was done appended
 * @msglen:	size of @msg
 *
 * Restores the top level from the state file if there is one, then
 * removes the state and lock files.
 *
 * Return: 1 (one thing cleaned).
 */
int top_level_recover(int pid, char *msg, size_t msglen);

/* If the lock's owner is dead, top_level_recover() what it left. */
void top_level_recover_dead_lock(void);

/**
 * top_level_repair_buffer() - undo an instance's resize of the top level
 * @before:	the top level's buffer_size_kb text before the resize
 *
 * Older kernels (seen on 6.1) keep "buffer expanded" as one global flag:
 * resizing an instance's buffer sets it, and the top-level buffer, never
 * used so far ("7 (expanded: 1408)"), then stays at 7 KB for good. This
 * gives the top level the size it would have expanded to.
 */
void top_level_repair_buffer(const char *before);

#endif /* KVMMMU_TOP_LEVEL_STATE_H */
