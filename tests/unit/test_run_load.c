// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_run_load.c - the capture's cost and loss lines: each loss named
 * with its CPU, cause and remedy; the larger of marks and kernel stats.
 */
#define TEST_SUITE "run_load"
#include <stdlib.h>

#include "run_load.h"
#include "testlib.h"

static char *print(const struct run_load *l, bool json)
{
	static char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	if (json)
		run_load_print_json(l, f);
	else
		run_load_print_text(l, f);
	fclose(f);
	return buf;
}

TEST(an_overrun_is_named_with_its_cpu_and_remedy)
{
	struct run_cpu cpus[2] = {
		{ .kernel_stats = true, .hwm_bytes = 1024 },
		{ .kernel_stats = true, .lost_marked = 7, .overrun = 1234,
		  .hwm_bytes = 4 << 20 },
	};
	struct run_load l = { .stop = "a signal", .events = 1000,
		.bytes = 8192, .seconds = 2.0, .buffer_bytes = 4 << 20,
		.nr_cpus = 2, .cpus = cpus, .orphan_pf = 3 };
	char *t;

	CHECK_EQ(run_cpu_lost(&cpus[1]), 1234);
	CHECK_EQ(run_load_lost(&l), 1234);
	t = print(&l, false);
	CHECK(strstr(t, "stopped by a signal; 1000 events") != NULL);
	CHECK(strstr(t, "(500 events/s)") != NULL);
	CHECK(strstr(t, "LOST: 1234 events on CPU 1: ring buffer overrun") != NULL);
	CHECK(strstr(t, "raise -b") != NULL);
	CHECK(strstr(t, "CPU 0:") == NULL);
	CHECK(strstr(t, "about 3 faults lost whole") != NULL);
	CHECK(strstr(t, "high-water 4.00 of 4.00 MiB (CPU 1)") != NULL);
	t = print(&l, true);
	CHECK(strstr(t, "\"lost_events\":1234") != NULL);
	CHECK(strstr(t, "{\"cpu\":1,\"lost\":1234,\"lost_marked\":7,") != NULL);
}

TEST(marks_count_when_the_kernel_has_no_stats)
{
	struct run_cpu cpu = { .lost_marked = 5 };
	struct run_load l = { .nr_cpus = 1, .cpus = &cpu };

	CHECK_EQ(run_load_lost(&l), 5);
	CHECK(strstr(print(&l, false), "no kernel stats") != NULL);
}

TEST(an_aborted_drain_says_what_was_left)
{
	struct run_cpu cpu = { .kernel_stats = true };
	struct run_load l = { .nr_cpus = 1, .cpus = &cpu,
		.drain_aborted = true, .unread_events = 42,
		.unread_bytes = 3 << 20 };
	char *t = print(&l, false);

	CHECK(strstr(t, "LOST:") && strstr(t, "42 events (3.0 MiB) left unread"));
	CHECK(strstr(print(&l, true), "\"drain_aborted\":true") != NULL);
}

int main(void)
{
	RUN(an_overrun_is_named_with_its_cpu_and_remedy);
	RUN(marks_count_when_the_kernel_has_no_stats);
	RUN(an_aborted_drain_says_what_was_left);
	return TESTS_DONE();
}
