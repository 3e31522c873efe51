// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_hashtab.c - the shared hash table: values survive growth, limits
 * hold, the reserved key is refused.
 */
#define TEST_SUITE "hashtab"
#include "testlib.h"

#include <errno.h>

#include "hashtab.h"

TEST(values_survive_growth)
{
	struct hashtab h;
	uint64_t *v, k;
	int bad = 0;

	hashtab_init(&h, HASHTAB_NO_LIMIT);
	CHECK(hashtab_find(&h, 1) == NULL);
	for (k = 0; k < 100000; k++) {
		if (hashtab_get_or_add(&h, k * 4096, &v) != 1)
			bad++;
		else
			*v = k + 7;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(hashtab_count(&h), 100000);
	for (k = 0; k < 100000; k++) {
		v = hashtab_find(&h, k * 4096);
		if (!v || *v != k + 7)
			bad++;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(hashtab_get_or_add(&h, 4096, &v), 0);
	CHECK_EQ(*v, 8);
	CHECK(hashtab_find(&h, 4095) == NULL);
	hashtab_release(&h);
	CHECK_EQ(hashtab_count(&h), 0);
	CHECK(hashtab_find(&h, 4096) == NULL);
}

TEST(limit_and_reserved_key)
{
	struct hashtab h;
	uint64_t *v;

	hashtab_init(&h, 3);
	CHECK_EQ(hashtab_get_or_add(&h, 0, &v), 1);
	CHECK_EQ(hashtab_get_or_add(&h, 1, &v), 1);
	CHECK_EQ(hashtab_get_or_add(&h, 2, &v), 1);
	CHECK_EQ(hashtab_get_or_add(&h, 3, &v), -ENOSPC);
	CHECK_EQ(hashtab_get_or_add(&h, 2, &v), 0);	/* still found */
	CHECK_EQ(hashtab_get_or_add(&h, UINT64_MAX, &v), -EINVAL);
	CHECK_EQ(hashtab_reserve(&h, 1), -ENOSPC);
	hashtab_release(&h);
}

TEST(reserve_keeps_values_in_place)
{
	struct hashtab h;
	uint64_t *first, *v, k;
	int moved = 0;

	hashtab_init(&h, HASHTAB_NO_LIMIT);
	CHECK_EQ(hashtab_reserve(&h, 1000), 0);
	CHECK_EQ(hashtab_get_or_add(&h, 42, &first), 1);
	*first = 99;
	for (k = 100; k < 1099; k++)
		hashtab_get_or_add(&h, k, &v);
	moved = hashtab_find(&h, 42) != first;
	CHECK_EQ(moved, 0);
	CHECK_EQ(*first, 99);
	hashtab_release(&h);
}

int main(void)
{
	RUN(values_survive_growth);
	RUN(limit_and_reserved_key);
	RUN(reserve_keeps_values_in_place);
	return TESTS_DONE();
}
