// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hashtab.c - 64-bit keys to 64-bit values, open addressing.
 */
#include <errno.h>
#include <stdlib.h>

#include "hashtab.h"

#define EMPTY		UINT64_MAX
#define FIRST_CAP	64

struct hashtab_slot {
	uint64_t key;
	uint64_t val;
};

static uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return k;
}

static struct hashtab_slot *slot_of(struct hashtab_slot *slots, uint64_t cap,
				    uint64_t key)
{
	uint64_t i = mix(key) & (cap - 1);

	while (slots[i].key != EMPTY && slots[i].key != key)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

void hashtab_init(struct hashtab *h, uint64_t max)
{
	h->slots = NULL;
	h->cap = 0;
	h->used = 0;
	h->max = max;
}

void hashtab_release(struct hashtab *h)
{
	free(h->slots);
	hashtab_init(h, h->max);
}

uint64_t *hashtab_find(const struct hashtab *h, uint64_t key)
{
	struct hashtab_slot *s;

	if (!h->cap || key == EMPTY)
		return NULL;
	s = slot_of(h->slots, h->cap, key);
	return s->key == key ? &s->val : NULL;
}

static int resize(struct hashtab *h, uint64_t cap)
{
	struct hashtab_slot *n = malloc(cap * sizeof(*n));
	uint64_t i;

	if (!n || cap > UINT64_MAX / 2 / sizeof(*n)) {
		free(n);
		return -ENOMEM;
	}
	for (i = 0; i < cap; i++)
		n[i].key = EMPTY;
	for (i = 0; i < h->cap; i++)
		if (h->slots[i].key != EMPTY)
			*slot_of(n, cap, h->slots[i].key) = h->slots[i];
	free(h->slots);
	h->slots = n;
	h->cap = cap;
	return 0;
}

int hashtab_reserve(struct hashtab *h, uint64_t more)
{
	uint64_t need = h->used + more, cap = h->cap ? h->cap : FIRST_CAP;

	if (need < h->used || need > h->max)
		return -ENOSPC;
	while (need * 2 > cap) {
		if (cap > UINT64_MAX / 4)
			return -ENOMEM;
		cap *= 2;
	}
	return cap == h->cap ? 0 : resize(h, cap);
}

int hashtab_get_or_add(struct hashtab *h, uint64_t key, uint64_t **val)
{
	struct hashtab_slot *s;
	int ret;

	if (key == EMPTY)
		return -EINVAL;
	*val = hashtab_find(h, key);
	if (*val)
		return 0;
	ret = hashtab_reserve(h, 1);
	if (ret)
		return ret;
	s = slot_of(h->slots, h->cap, key);
	s->key = key;
	s->val = 0;
	h->used++;
	*val = &s->val;
	return 1;
}
