/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tracefs_files.h - read and write the files of a tracefs instance.
 *
 * @inst is an instance, or NULL for the top level; @file is relative to
 * it ("trace_clock", "options/event-fork"). Functions return 0 or a
 * negative errno; where they take an err buffer, a one-line message goes
 * there. Nothing here prints.
 */
#ifndef KVMMMU_TRACEFS_FILES_H
#define KVMMMU_TRACEFS_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "file_read.h"	/* read_whole_file(), write_all() */

struct tracefs_instance;

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

/*
 * Open @file with @flags (O_WRONLY | O_APPEND, ...) and O_CLOEXEC; the fd,
 * or -errno.
 */
int tracing_open_file(struct tracefs_instance *inst, const char *file,
		      int flags);

/* Write @str to @file (truncating it); 0 or -errno. */
int tracing_write_file(struct tracefs_instance *inst, const char *file,
		       const char *str);

/* Does @file exist, as a file or a directory? */
bool tracing_has_file(struct tracefs_instance *inst, const char *file);

/**
 * tracing_write_list() - rewrite a list file one entry at a time
 * @inst:	instance, NULL for the top level
 * @file:	list file (set_event, set_ftrace_filter, ...)
 * @list:	entries, one a line (blank lines are skipped)
 * @bad:	called with @ctx, the entry and the errno of each refused
 *		entry; may be NULL
 * @ctx:	for @bad
 *
 * Truncates @file and writes the entries one at a time, so that each bad
 * entry fails alone.
 *
 * Return: the number of entries accepted, or a negative errno if the file
 * cannot be opened or closed.
 */
int tracing_write_list(struct tracefs_instance *inst, const char *file,
		       const char *list,
		       void (*bad)(void *, const char *, int), void *ctx);

/**
 * tracing_write_pids() - set a pid filter (set_event_pid, set_ftrace_pid)
 * @inst:	instance, NULL for the top level
 * @file:	the pid list file
 * @pids:	pids, one a line
 * @nr:		how many pids @pids has
 * @err:	buffer for a one-line error message
 * @errlen:	size of @err
 *
 * Return: 0, or a negative errno (-EINVAL: some pid was refused).
 */
int tracing_write_pids(struct tracefs_instance *inst, const char *file,
		       const char *pids, int nr, char *err, size_t errlen);

/**
 * tracing_set_option() - turn a trace option on or off
 * @inst:	instance, NULL for the top level
 * @name:	option, without "options/" ("event-fork")
 * @on:		the value
 * @required:	if false, an option this kernel lacks is not an error
 * @err:	buffer for a one-line error message
 * @errlen:	size of @err
 *
 * Return: 0 or a negative errno.
 */
int tracing_set_option(struct tracefs_instance *inst, const char *name,
		       bool on, bool required, char *err, size_t errlen);

/**
 * tracing_destroy_instance() - stop, remove and free an instance
 * @inst:	instance (not the top level)
 *
 * Retries for a while when a reader still holds the instance's files
 * (EBUSY). Errors are ignored; @inst is freed in any case.
 */
void tracing_destroy_instance(struct tracefs_instance *inst);

#endif /* KVMMMU_TRACEFS_FILES_H */
