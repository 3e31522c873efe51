/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * testlib.h - a minimal unit test harness.
 *
 * Each test prints one line "PASS: suite/name", "FAIL: suite/name (why)"
 * or "SKIP: suite/name (why)"; tests/run-tests counts those lines and
 * prints the closing "N passed, N failed, N skipped" line.
 *
 *	TEST(decodes_write) { CHECK_EQ(decode(2), WRITE); }
 *	int main(void) { RUN(decodes_write); return TESTS_DONE(); }
 */
#ifndef KVMMMU_TESTLIB_H
#define KVMMMU_TESTLIB_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int tl_failed;		/* failed checks in the current test */
static int tl_skipped;		/* current test asked to be skipped */
static int tl_tests_failed;	/* tests failed in this binary */
static char tl_why[256];

#ifndef TEST_SUITE
#define TEST_SUITE "unit"
#endif

#define TEST(name) static void name(void)

#define tl_fail(...)							\
	do {								\
		if (!tl_failed)						\
			snprintf(tl_why, sizeof(tl_why), __VA_ARGS__);	\
		tl_failed++;						\
	} while (0)

#define CHECK(cond)							\
	do {								\
		if (!(cond))						\
			tl_fail("%s:%d: %s", __FILE__, __LINE__, #cond); \
	} while (0)

#define CHECK_EQ(a, b)							\
	do {								\
		unsigned long long tl_a = (a), tl_b = (b);		\
		if (tl_a != tl_b)					\
			tl_fail("%s:%d: %s == %llu (0x%llx), expected %llu (0x%llx)", \
				__FILE__, __LINE__, #a, tl_a, tl_a, tl_b, tl_b); \
	} while (0)

#define CHECK_STR(a, b)							\
	do {								\
		const char *tl_a = (a), *tl_b = (b);			\
		if (!tl_a || strcmp(tl_a, tl_b))			\
			tl_fail("%s:%d: %s == \"%s\", expected \"%s\"",	\
				__FILE__, __LINE__, #a, tl_a ? tl_a : "(null)", tl_b); \
	} while (0)

#define SKIP(...)							\
	do {								\
		snprintf(tl_why, sizeof(tl_why), __VA_ARGS__);		\
		tl_skipped = 1;						\
		return;							\
	} while (0)

#define RUN(name)							\
	do {								\
		tl_failed = 0;						\
		tl_skipped = 0;						\
		tl_why[0] = '\0';					\
		name();							\
		if (tl_skipped && !tl_failed)				\
			printf("SKIP: %s/%s (%s)\n", TEST_SUITE, #name, tl_why); \
		else if (tl_failed) {					\
			printf("FAIL: %s/%s (%s)\n", TEST_SUITE, #name, tl_why); \
			tl_tests_failed++;				\
		} else							\
			printf("PASS: %s/%s\n", TEST_SUITE, #name);	\
		fflush(stdout);						\
	} while (0)

#define TESTS_DONE() (tl_tests_failed ? 1 : 0)

#endif /* KVMMMU_TESTLIB_H */
