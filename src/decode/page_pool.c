// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * page_pool.c - ring-buffer-page-sized buffers carved from large chunks.
 */
#include <stdlib.h>
#include <sys/mman.h>

#include "page_pool.h"

#define CHUNK_BYTES	(2u << 20)	/* one chunk: 2 MiB */

struct chunk {
	struct chunk *next;
	void *mem;
	size_t len;
};

struct page_pool {
	size_t page_size;
	struct chunk *chunks;	/* newest first */
	size_t used;		/* bytes handed out of the newest chunk */
};

struct page_pool *page_pool_new(size_t page_size)
{
	struct page_pool *pool;

	if (!page_size || page_size > CHUNK_BYTES)
		return NULL;
	pool = calloc(1, sizeof(*pool));
	if (pool)
		pool->page_size = page_size;
	return pool;
}

static int add_chunk(struct page_pool *pool)
{
	size_t len = CHUNK_BYTES / pool->page_size * pool->page_size;
	struct chunk *c = malloc(sizeof(*c));

	if (!c)
		return -1;
	c->mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (c->mem == MAP_FAILED) {
		free(c);
		return -1;
	}
	c->len = len;
	c->next = pool->chunks;
	pool->chunks = c;
	pool->used = 0;
	return 0;
}

void *page_pool_get(struct page_pool *pool)
{
	void *p;

	if ((!pool->chunks || pool->used + pool->page_size >
	     pool->chunks->len) && add_chunk(pool))
		return NULL;
	p = (char *)pool->chunks->mem + pool->used;
	pool->used += pool->page_size;
	return p;
}

void page_pool_free(struct page_pool *pool)
{
	struct chunk *c, *next;

	if (!pool)
		return;
	for (c = pool->chunks; c; c = next) {
		next = c->next;
		munmap(c->mem, c->len);
		free(c);
	}
	free(pool);
}
