/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_pool.h - ring-buffer-page-sized buffers carved from large chunks.
 *
 * The read-ahead spool may hold tens of thousands of pages. Taking each
 * from malloc() costs a page fault per page when it is first written;
 * here a chunk is mapped and populated in one system call, and pages are
 * never given back one by one: the spool reuses them, and the pool frees
 * every chunk at once.
 */
#ifndef KVMMMU_PAGE_POOL_H
#define KVMMMU_PAGE_POOL_H

#include <stddef.h>

struct page_pool;

/* A pool of @page_size buffers; NULL when out of memory. */
struct page_pool *page_pool_new(size_t page_size);
/* One more buffer (zeroed), or NULL when out of memory. */
void *page_pool_get(struct page_pool *pool);
/* Unmap every chunk: all buffers handed out are gone. */
void page_pool_free(struct page_pool *pool);

#endif /* KVMMMU_PAGE_POOL_H */
