// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_live_stream.c - the live read-ahead path on a real ring buffer:
 * markers written to a tracefs instance of our own come back through
 * trace_stream (whole pages by splice, the page being written by read())
 * all of them, once each, in order. Needs root and tracefs.
 */
#define TEST_SUITE "live_stream"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <traceevent/event-parse.h>
#include <tracefs.h>

#include "testlib.h"
#include "trace_formats.h"
#include "trace_stream.h"

#define MARKERS		3000	/* about 30 pages of print events */
#define TAG		"kvmmmu-live-stream-test "

static struct tracefs_instance *inst;
static struct tep_handle *tep;
static char err[256];

/* The sequence number after TAG in an event's payload, -1 if none. */
static long marker_seq(const void *data, unsigned int size)
{
	const char *p = memmem(data, size, TAG, strlen(TAG));

	return p ? strtol(p + strlen(TAG), NULL, 10) : -1;
}

static int write_markers(int n)
{
	char line[64];
	int fd, i, len;

	fd = tracefs_instance_file_open(inst, "trace_marker", O_WRONLY);
	if (fd < 0)
		return -1;
	for (i = 0; i < n; i++) {
		len = snprintf(line, sizeof(line), TAG "%d\n", i);
		if (write(fd, line, len) != len)
			break;
	}
	close(fd);
	return i;
}

/* Everything read ahead, handed out in order: the count of markers. */
static long drain_markers(struct trace_stream *st, long *bad_order)
{
	struct stream_event ev;
	long n = 0, seq, last = -1;

	while (trace_stream_next(st, UINT64_MAX, &ev) == 1) {
		seq = marker_seq(ev.data, ev.size);
		if (seq < 0)
			continue;
		if (seq != last + 1)
			(*bad_order)++;
		last = seq;
		n++;
	}
	return n;
}

/* A live stream of our instance with @spool pages per CPU, markers written. */
static struct trace_stream *open_with_markers(unsigned int spool)
{
	struct trace_stream *st;

	st = trace_stream_open_live(inst, tep,
				    (int)sysconf(_SC_NPROCESSORS_CONF));
	CHECK(st != NULL);
	if (!st)
		return NULL;
	CHECK_EQ(trace_stream_set_spool(st, spool), 0);
	CHECK_EQ(write_markers(MARKERS), MARKERS);
	return st;
}

TEST(markers_all_back_in_order)
{
	struct trace_stream *st = open_with_markers(256);
	long bad_order = 0, got;
	int slurped;

	if (!st)
		return;
	slurped = trace_stream_slurp(st);
	CHECK(slurped > 2);
	/* the full pages came by splice, the last one by read() */
	CHECK(trace_stream_spliced_pages(st) > 0);
	CHECK(trace_stream_spliced_pages(st) < trace_stream_pages(st));
	got = drain_markers(st, &bad_order);
	CHECK_EQ(got, MARKERS);
	CHECK_EQ(bad_order, 0);
	CHECK_EQ(trace_stream_lost(st), 0);
	trace_stream_close(st);
}

/* A spool smaller than the data: slurp stops at it, the rest follows. */
TEST(small_spool_loses_nothing)
{
	struct trace_stream *st = open_with_markers(4);
	long bad_order = 0, got = 0;
	int r;

	if (!st)
		return;
	r = trace_stream_slurp(st);
	CHECK(r > 0 && r <= 4 * (int)sysconf(_SC_NPROCESSORS_CONF));
	got = drain_markers(st, &bad_order);
	CHECK_EQ(got, MARKERS);
	CHECK_EQ(bad_order, 0);
	trace_stream_close(st);
}

static const char *setup(void)
{
	static char why[300];
	char name[64];
	cpu_set_t one;

	if (geteuid())
		return "needs root";
	if (!tracefs_tracing_dir())
		return "tracefs is not mounted";
	tep = trace_formats_load(tracefs_tracing_dir(), err, sizeof(err));
	if (!tep) {
		snprintf(why, sizeof(why), "formats: %s", err);
		return why;
	}
	snprintf(name, sizeof(name), "kvmmmu-graph-%d", (int)getpid());
	inst = tracefs_instance_create(name);
	if (!inst)
		return "cannot create a tracefs instance";
	tracefs_instance_file_write(inst, "buffer_size_kb", "512");
	tracefs_instance_file_write(inst, "trace_clock", "mono");
	/* all markers on one CPU: one buffer to check the order of */
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one);
	return NULL;
}

int main(void)
{
	const char *why = setup();

	if (why) {
		printf("SKIP: %s/all (%s)\n", TEST_SUITE, why);
		tep_free(tep);
		return 0;
	}
	RUN(markers_all_back_in_order);
	RUN(small_spool_loses_nothing);
	tracefs_instance_destroy(inst);
	tracefs_instance_free(inst);
	tep_free(tep);
	return TESTS_DONE();
}
