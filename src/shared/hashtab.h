/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hashtab.h - the one hash table of the tool: 64-bit keys to 64-bit
 * values, open addressing with linear probing, doubled when half full.
 *
 * Used for pages seen (gfn -> count), the symbol cache (address -> name
 * index), thread names (tid -> entry) and the flame trie ((parent, key)
 * -> node). Lookups never allocate; a table may be given a largest
 * number of entries, past which adding fails with -ENOSPC, so that no
 * input grows it without bound. The key UINT64_MAX cannot be stored.
 */
#ifndef KVMMMU_HASHTAB_H
#define KVMMMU_HASHTAB_H

#include <stdint.h>

#define HASHTAB_NO_LIMIT	UINT64_MAX

struct hashtab_slot;

struct hashtab {
	struct hashtab_slot *slots;
	uint64_t cap;		/* power of two, 0 before the first add */
	uint64_t used;
	uint64_t max;		/* largest number of entries */
};

/* An empty table holding at most @max entries (HASHTAB_NO_LIMIT). */
void hashtab_init(struct hashtab *h, uint64_t max);

/* Free the slots; the table is empty (and usable) again. */
void hashtab_release(struct hashtab *h);

/* The value stored for @key, or NULL. Valid until the next add. */
uint64_t *hashtab_find(const struct hashtab *h, uint64_t key);

/**
 * hashtab_get_or_add() - the value of @key, added as 0 if absent
 * @h:		table
 * @key:	key, not UINT64_MAX
 * @val:	out: the value, valid until the next add
 *
 * Return: 1 if @key was added, 0 if it was there, -EINVAL for the key
 * UINT64_MAX, -ENOSPC when the table is full, -ENOMEM.
 */
int hashtab_get_or_add(struct hashtab *h, uint64_t key, uint64_t **val);

/*
 * Make room for @more new keys, so that adding them neither allocates
 * nor moves values. 0, -ENOSPC or -ENOMEM.
 */
int hashtab_reserve(struct hashtab *h, uint64_t more);

static inline uint64_t hashtab_count(const struct hashtab *h)
{
	return h->used;
}

#endif /* KVMMMU_HASHTAB_H */
