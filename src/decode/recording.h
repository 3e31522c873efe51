/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * recording.h - save a live capture so it can be replayed with --input:
 * a directory laid out like tracefs (events/header_page, the format files
 * of the events used, per_cpu/cpuN/trace_pipe_raw) plus the kallsyms lines
 * of the functions seen, saved_cmdlines, saved_tgids and the vendor.
 */
#ifndef KVMMMU_RECORDING_H
#define KVMMMU_RECORDING_H

#include <stddef.h>

#include "vendor.h"

struct symbols;

/**
 * recording_begin() - create @dir and copy the formats from @tracefs
 * @err:	one-line reason on failure
 * Return: 0 or -errno.
 */
int recording_begin(const char *dir, const char *tracefs,
		    enum fault_vendor vendor, char *err, size_t errlen);

/**
 * recording_finish() - write what is known only at the end
 * Return: 0 or -errno (with @err set).
 */
int recording_finish(const char *dir, const char *tracefs,
		     const struct symbols *syms, char *err, size_t errlen);

/*
 * The vendor a recording came from: its "vendor" note, else the vendor
 * module its kallsyms names (FAULT_VENDOR_UNKNOWN if neither says).
 */
enum fault_vendor recording_vendor(const char *dir);

/* Write / read a one-line note file ("vendor", "strategy"). 0 or -errno. */
int recording_write_note(const char *dir, const char *file, const char *text);
int recording_read_note(const char *dir, const char *file, char *buf,
			size_t len);

#endif /* KVMMMU_RECORDING_H */
