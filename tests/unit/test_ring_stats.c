// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_ring_stats.c - per_cpu/cpuN/stats as the kernel prints it.
 */
#define TEST_SUITE "ring_stats"
#include <stdio.h>

#include "ring_stats.h"
#include "testlib.h"

/* 6.1's layout, a clock counting ns ("now ts" in seconds.microseconds) */
static const char stats_6_1[] =
	"entries: 1234\n"
	"overrun: 56\n"
	"commit overrun: 7\n"
	"bytes: 409600\n"
	"oldest event ts:   100.000001\n"
	"now ts:   123.456789\n"
	"dropped events: 8\n"
	"read events: 9999\n";

TEST(counters_and_now)
{
	struct ring_stats s;

	CHECK_EQ(ring_stats_parse(stats_6_1, &s), 0);
	CHECK_EQ(s.entries, 1234);
	CHECK_EQ(s.overrun, 56);
	CHECK_EQ(s.commit_overrun, 7);
	CHECK_EQ(s.bytes, 409600);
	CHECK_EQ(s.dropped, 8);
	CHECK_EQ(s.read, 9999);
	CHECK_EQ(s.now_ns, 123456789000ull);
}

TEST(no_now_line_is_zero)
{
	struct ring_stats s;

	CHECK_EQ(ring_stats_parse("entries: 1\nnow ts: soon\n", &s), 0);
	CHECK_EQ(s.now_ns, 0);
	CHECK(ring_stats_parse("now ts: 1.000001\n", &s) < 0);
}

int main(void)
{
	RUN(counters_and_now);
	RUN(no_now_line_is_zero);
	return TESTS_DONE();
}
