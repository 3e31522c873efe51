/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tracedat.h - trace-cmd's trace.dat files: read any of them (made by
 * `trace-cmd record` or by kvmmmu-graph) through libtracecmd, and write a
 * version 6 file from a kvmmmu-graph recording directory.
 *
 * libtracecmd (1.3) reads every trace.dat version but offers no public
 * writer; the writer here follows trace-cmd.dat.v6(5): header, event
 * formats, kallsyms, cmdlines, then the raw ring-buffer pages per CPU,
 * page aligned, exactly as the kernel wrote them.
 */
#ifndef KVMMMU_TRACEDAT_H
#define KVMMMU_TRACEDAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vendor.h"

struct tep_handle;
struct tracedat;

/* Does @path start with the trace.dat magic? */
bool tracedat_is_file(const char *path);

/**
 * tracedat_open() - open a trace.dat for reading
 * @path:	file
 * @err:	one-line reason on failure
 *
 * A first pass over the whole file runs in a child process with a time
 * limit (libtracecmd trusts the file and crashes on some damaged ones);
 * it also finds the vendor and whether function_graph ran.
 *
 * Return: the reader, or NULL with @err set.
 */
struct tracedat *tracedat_open(const char *path, char *err, size_t errlen);
void tracedat_close(struct tracedat *td);

/* The event formats and kallsyms of the file (owned by @td). */
struct tep_handle *tracedat_tep(struct tracedat *td);

/**
 * struct tracedat_record - one event of the file
 * @cpu:	CPU whose buffer held it
 * @ts:		timestamp (the file's trace clock)
 * @data:	payload (common fields first)
 * @size:	payload size
 * @missed:	events the kernel dropped on @cpu just before, -1 if some
 *		were dropped and the count is unknown, 0 if none
 */
struct tracedat_record {
	int cpu;
	uint64_t ts;
	const void *data;
	int size;
	int64_t missed;
};

/**
 * tracedat_iterate() - every event in time order across the CPUs
 * @fn:		called for each; a non-zero return stops the iteration
 *		and is returned
 *
 * Return: 0, @fn's non-zero value, or a negative errno.
 */
int tracedat_iterate(struct tracedat *td,
		     int (*fn)(const struct tracedat_record *r, void *ctx),
		     void *ctx);

/*
 * The vendor that ran, from the isa field of the first kvm:kvm_exit
 * (1 VMX, 2 SVM); FAULT_VENDOR_UNKNOWN without one.
 */
enum fault_vendor tracedat_vendor(struct tracedat *td);

/* Does the file hold function_graph events (else: events only)? */
bool tracedat_has_funcgraph(struct tracedat *td);

/* The command name the file saved for @pid, or NULL. */
const char *tracedat_comm(struct tracedat *td, int pid);

/**
 * tracedat_write_from_dir() - a version 6 trace.dat from a recording
 * @dir:	kvmmmu-graph recording directory (--record DIR)
 * @path:	trace.dat to create
 * @err:	one-line reason on failure
 *
 * Return: 0 or a negative errno (@path is removed on failure).
 */
int tracedat_write_from_dir(const char *dir, const char *path, char *err,
			    size_t errlen);

#endif /* KVMMMU_TRACEDAT_H */
