/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tracefs_values.h - what tracefs files say, in comparable form.
 *
 * The text of a tracefs file is not what was written to it: list files
 * add comments and "no pid", trace_clock brackets the chosen clock, and
 * buffer_size_kb may read "7 (expanded: 1408)". A value normalized here
 * can be compared with another and written back as is.
 */
#ifndef KVMMMU_TRACEFS_VALUES_H
#define KVMMMU_TRACEFS_VALUES_H

#include <stdbool.h>

struct tracefs_instance;

/* Drop trailing newlines, spaces and tabs from @s. */
void trim_end(char *s);

/**
 * tracing_list_entries() - the entries of a list file, one a line
 * @text:	the file's text
 * @triggers:	keep function triggers ("func:traceoff:unlimited")
 *
 * An entry is the first word of a line that is not blank, a comment or
 * "no pid". With @triggers false, the triggers of set_ftrace_filter are
 * dropped: truncating the file does not remove them, so they need no
 * restore. Cached ":mod:name" entries are kept.
 *
 * Return: the entries, to free(), or NULL if out of memory.
 */
char *tracing_list_entries(const char *text, bool triggers);

/**
 * tracing_buffer_size() - the size of a buffer_size_kb text
 * @text:	"1408", "7 (expanded: 1408)" or "X" (per-CPU sizes differ)
 *
 * Return: the size a write would set ("1408", "X"), to free(), or NULL.
 */
char *tracing_buffer_size(const char *text);

/* Is @key a list file (set_event, set_ftrace_pid, ...)? */
bool tracing_is_list_key(const char *key);

/* Is @key a buffer_size_kb (top level or per_cpu/cpuN/)? */
bool tracing_is_buffer_key(const char *key);

/**
 * tracing_read_value() - read a tracefs file, normalized
 * @inst:	instance, NULL for the top level
 * @key:	file relative to the instance
 * @out:	the value, to free(): list entries one a line, the chosen
 *		trace clock, a buffer size, or the trimmed text
 *
 * Return: 0 or a negative errno.
 */
int tracing_read_value(struct tracefs_instance *inst, const char *key,
		       char **out);

/**
 * tracing_clock_available() - is a trace clock offered?
 * @inst:	instance, NULL for the top level
 * @clock:	clock name ("mono")
 *
 * Return: true if @clock is listed in trace_clock.
 */
bool tracing_clock_available(struct tracefs_instance *inst, const char *clock);

/**
 * tracing_tracer_available() - is a tracer offered?
 * @inst:	instance, NULL for the top level
 * @tracer:	tracer name ("function_graph")
 * @list:	available_tracers, trimmed, to free(); NULL if unreadable
 *
 * Return: true if @tracer is listed in available_tracers.
 */
bool tracing_tracer_available(struct tracefs_instance *inst,
			      const char *tracer, char **list);

#endif /* KVMMMU_TRACEFS_VALUES_H */
