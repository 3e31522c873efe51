/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace_formats.h - load the ring-buffer header and event formats.
 */
#ifndef KVMMMU_TRACE_FORMATS_H
#define KVMMMU_TRACE_FORMATS_H

#include <stddef.h>

struct tep_handle;

/**
 * trace_formats_load() - a tep with the header page and the events we use
 * @dir:	tracefs directory or a recording laid out like one
 *		(events/header_page, events/SYS/EVENT/format)
 * @err:	one-line reason on failure
 *
 * Only the events the payload decoder knows are parsed (a few dozen, not
 * the thousands a kernel has), and no kallsyms or cmdlines are loaded.
 * Return: the tep, or NULL with @err set.
 */
struct tep_handle *trace_formats_load(const char *dir, char *err,
				      size_t errlen);

#endif /* KVMMMU_TRACE_FORMATS_H */
