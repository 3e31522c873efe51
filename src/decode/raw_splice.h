/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * raw_splice.h - move whole ring-buffer pages out of trace_pipe_raw many
 * at a time.
 *
 * read() on trace_pipe_raw returns at most one page per call. splice()
 * moves every full page the pipe can hold in one call, without copying,
 * and one readv() then copies them all out of the pipe: two system calls
 * for a batch instead of one per page (trace-cmd record splices too).
 * Only full pages are spliced; the page the kernel is still writing is
 * left for read().
 */
#ifndef KVMMMU_RAW_SPLICE_H
#define KVMMMU_RAW_SPLICE_H

#include <stddef.h>

struct raw_splice;

/* Pages one call moves at most (the pipe's size is asked for this). */
#define RAW_SPLICE_MAX_PAGES	64

/**
 * raw_splice_new() - a pipe to splice pages of @raw_fd through
 * @raw_fd:	an open per_cpu/cpuN/trace_pipe_raw (non-blocking), not owned
 * @page_size:	the ring buffer's sub-buffer size
 * Return: the splicer, or NULL (no pipe: fall back to read()).
 */
struct raw_splice *raw_splice_new(int raw_fd, size_t page_size);
/* Pages one raw_splice_pages() call can move here (<= RAW_SPLICE_MAX_PAGES). */
unsigned int raw_splice_batch(const struct raw_splice *s);
/**
 * raw_splice_pages() - move up to @nr full pages into @pages
 * @pages:	@nr buffers of page_size bytes each
 * Return: pages moved (0: no full page now), -EOPNOTSUPP when the
 * kernel refused the splice (nothing moved: use read() instead), or
 * -EIO when pages were moved into the pipe but could not be read out.
 */
int raw_splice_pages(struct raw_splice *s, void **pages, unsigned int nr);
void raw_splice_free(struct raw_splice *s);

#endif /* KVMMMU_RAW_SPLICE_H */
