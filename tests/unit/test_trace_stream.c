// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_trace_stream.c - per-CPU raw pages built by hand: time-ordered
 * merge across CPUs, missed-events marks, padding, end of data.
 */
#define TEST_SUITE "trace_stream"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <traceevent/event-parse.h>

#include "testlib.h"
#include "trace_stream.h"

#define PAGE		4096
#define RB_MISSED	(1ull << 31)
#define RB_STORED	(1ull << 30)

static const char header_page[] =
	"\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
	"\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
	"\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
	"\tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;\n";

static char dir[64];
static char err[256];

/* One page: events of 8 payload bytes (the u32 value @tag) at deltas. */
struct page_builder {
	unsigned char buf[PAGE];
	unsigned int len;
};

static void page_start(struct page_builder *pb, uint64_t ts)
{
	memset(pb->buf, 0, PAGE);
	memcpy(pb->buf, &ts, 8);
	pb->len = 0;
}

static void page_event(struct page_builder *pb, uint32_t delta, uint32_t tag)
{
	uint32_t hdr = (2u) | (delta << 5);	/* type_len 2 = 8 bytes */
	unsigned char *p = pb->buf + 16 + pb->len;

	memcpy(p, &hdr, 4);
	memcpy(p + 4, &tag, 4);
	memset(p + 8, 0, 4);
	pb->len += 12;
}

/* A time extend record (type_len 30) of @delta before the next event. */
static void page_time_extend(struct page_builder *pb, uint32_t delta)
{
	uint32_t hdr[2] = { 30u | ((delta & 0x7ffffff) << 5), delta >> 27 };

	memcpy(pb->buf + 16 + pb->len, hdr, 8);
	pb->len += 8;
}

/* The lost-events count the kernel stores after the data. */
static void page_store_lost(struct page_builder *pb, uint64_t lost)
{
	memcpy(pb->buf + 16 + pb->len, &lost, 8);
}

static void page_write(struct page_builder *pb, FILE *f, uint64_t flags)
{
	uint64_t commit = pb->len | flags;

	memcpy(pb->buf + 8, &commit, 8);
	fwrite(pb->buf, 1, PAGE, f);
}

static FILE *cpu_file(int cpu)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/per_cpu/cpu%d", dir, cpu);
	mkdir(path, 0755);
	strcat(path, "/trace_pipe_raw");
	return fopen(path, "w");
}

static struct tep_handle *make_tep(void)
{
	struct tep_handle *tep = tep_alloc();

	tep_set_long_size(tep, 8);
	tep_set_page_size(tep, PAGE);
	tep_parse_header_page(tep, (char *)header_page,
			      sizeof(header_page) - 1, 8);
	return tep;
}

static uint32_t tag_of(const struct stream_event *ev)
{
	uint32_t t;

	memcpy(&t, ev->data, 4);
	return t;
}

TEST(cpus_are_merged_in_timestamp_order)
{
	struct page_builder pb;
	struct tep_handle *tep = make_tep();
	struct trace_stream *st;
	struct stream_event ev;
	uint32_t order[8];
	int n = 0;
	FILE *f;

	f = cpu_file(0);		/* ts 1000, 1010, 1040 */
	page_start(&pb, 1000);
	page_event(&pb, 0, 1);
	page_event(&pb, 10, 3);
	page_event(&pb, 30, 6);
	page_write(&pb, f, 0);
	fclose(f);
	f = cpu_file(1);		/* ts 1005, 1020 | next page 1030 */
	page_start(&pb, 1005);
	page_event(&pb, 0, 2);
	page_event(&pb, 15, 4);
	page_write(&pb, f, 0);
	page_start(&pb, 1030);
	page_event(&pb, 0, 5);
	page_write(&pb, f, RB_MISSED);
	fclose(f);

	st = trace_stream_open_dir(dir, tep, err, sizeof(err));
	CHECK(st != NULL);
	if (!st)
		return;
	CHECK_EQ(trace_stream_nr_cpus(st), 2);
	while (n < 8 && trace_stream_next(st, UINT64_MAX, &ev) == 1) {
		order[n++] = tag_of(&ev);
		if (tag_of(&ev) == 5)
			CHECK(ev.missed);
		else
			CHECK(!ev.missed);
	}
	CHECK_EQ(n, 6);
	for (int i = 0; i < n; i++)
		CHECK_EQ(order[i], i + 1);
	CHECK_EQ(trace_stream_pages(st), 3);
	CHECK_EQ(trace_stream_lost(st), 1);
	trace_stream_close(st);
	tep_free(tep);
}

TEST(horizon_holds_back_newer_events)
{
	struct page_builder pb;
	struct tep_handle *tep = make_tep();
	struct trace_stream *st;
	struct stream_event ev;
	FILE *f;

	f = cpu_file(0);
	page_start(&pb, 100);
	page_event(&pb, 0, 1);
	page_event(&pb, 100, 2);
	page_write(&pb, f, 0);
	fclose(f);
	unlink(strcat(strcpy((char[128]){0}, dir), "/per_cpu/cpu1/trace_pipe_raw"));
	st = trace_stream_open_dir(dir, tep, err, sizeof(err));
	CHECK(st != NULL);
	if (!st)
		return;
	CHECK_EQ(trace_stream_next(st, 150, &ev), 1);
	CHECK_EQ(tag_of(&ev), 1);
	CHECK_EQ(trace_stream_next(st, 150, &ev), 0);
	CHECK_EQ(trace_stream_next(st, UINT64_MAX, &ev), 1);
	CHECK_EQ(ev.ts, 200);
	CHECK_EQ(trace_stream_next(st, UINT64_MAX, &ev), 0);
	trace_stream_close(st);
	tep_free(tep);
}

/*
 * Pages written under load often start with a time extend; the loss
 * flag and stored count on such a page must count as much as on any
 * other (kbuffer_missed_events() reports 0 there).
 */
TEST(lost_events_are_counted_when_a_page_starts_with_a_time_extend)
{
	struct page_builder pb;
	struct tep_handle *tep = make_tep();
	struct trace_stream *st;
	struct stream_event ev;
	char path[128], err[256];
	FILE *f;

	f = cpu_file(0);
	page_start(&pb, 100);
	page_event(&pb, 0, 1);
	page_write(&pb, f, 0);
	page_start(&pb, 500);			/* 1234 events lost before */
	page_time_extend(&pb, 7);
	page_event(&pb, 0, 2);
	page_event(&pb, 3, 3);
	page_store_lost(&pb, 1234);
	page_write(&pb, f, RB_MISSED | RB_STORED);
	page_start(&pb, 900);			/* lost, number unknown */
	page_time_extend(&pb, 1);
	page_event(&pb, 0, 4);
	page_write(&pb, f, RB_MISSED);
	fclose(f);
	snprintf(path, sizeof(path), "%s/per_cpu/cpu1/trace_pipe_raw", dir);
	unlink(path);
	st = trace_stream_open_dir(dir, tep, err, sizeof(err));
	CHECK(st != NULL);
	if (!st)
		return;
	CHECK_EQ(trace_stream_next(st, UINT64_MAX, &ev), 1);
	CHECK(!ev.missed);
	CHECK_EQ(trace_stream_next(st, UINT64_MAX, &ev), 1);
	CHECK_EQ(tag_of(&ev), 2);
	CHECK_EQ(ev.ts, 507);
	CHECK(ev.missed);
	CHECK_EQ(trace_stream_lost(st), 1234);
	CHECK_EQ(trace_stream_next(st, UINT64_MAX, &ev), 1);
	CHECK(!ev.missed);
	CHECK_EQ(trace_stream_next(st, UINT64_MAX, &ev), 1);
	CHECK_EQ(tag_of(&ev), 4);
	CHECK(ev.missed);
	CHECK_EQ(trace_stream_lost(st), 1235);
	trace_stream_close(st);
	tep_free(tep);
}

TEST(corrupt_pages_are_reported_not_decoded)
{
	struct page_builder pb;
	struct tep_handle *tep = make_tep();
	struct trace_stream *st;
	struct stream_event ev;
	char path[128];
	FILE *f;

	f = cpu_file(0);
	page_start(&pb, 100);
	page_event(&pb, 0, 1);
	page_write(&pb, f, 0);
	page_start(&pb, 50);		/* older than the page before */
	page_event(&pb, 0, 2);
	page_write(&pb, f, 0);
	page_start(&pb, 300);
	pb.len = PAGE;			/* commit larger than the page */
	page_write(&pb, f, 0);
	fclose(f);
	snprintf(path, sizeof(path), "%s/per_cpu/cpu1/trace_pipe_raw", dir);
	unlink(path);
	st = trace_stream_open_dir(dir, tep, err, sizeof(err));
	CHECK(st != NULL);
	if (!st)
		return;
	CHECK_EQ(trace_stream_next(st, UINT64_MAX, &ev), 1);
	CHECK_EQ(trace_stream_next(st, UINT64_MAX, &ev), -EBADMSG);
	trace_stream_close(st);

	f = cpu_file(0);
	page_start(&pb, 300);
	pb.len = PAGE;
	page_write(&pb, f, 0);
	page_start(&pb, 400);
	page_event(&pb, 0, 7);
	page_write(&pb, f, 0);
	fclose(f);
	st = trace_stream_open_dir(dir, tep, err, sizeof(err));
	CHECK_EQ(trace_stream_next(st, UINT64_MAX, &ev), 1);
	CHECK_EQ(tag_of(&ev), 7);	/* the bad page is skipped, counted */
	CHECK_EQ(trace_stream_next(st, UINT64_MAX, &ev), 0);
	CHECK_EQ(trace_stream_bad_pages(st), 1);
	trace_stream_close(st);

	f = cpu_file(0);
	fwrite("short", 1, 5, f);	/* a truncated recording */
	fclose(f);
	CHECK(trace_stream_open_dir(dir, tep, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "whole number") != NULL);
	tep_free(tep);
}

/* Pages kbuffer would loop on or read past: refused before loading. */
TEST(pages_that_would_hang_or_overread_are_skipped)
{
	static const uint32_t bad[][4] = {
		{ 29, 0xfffffffc, 0, 0 },	/* padding stepping back */
		{ 0, 1u << 20, 0, 0 },		/* payload past the page */
		{ 0, 0, 0, 0 },			/* negative payload length */
		{ 30, 0, 0, 0 },		/* time extend cut by commit */
	};
	static const unsigned int commit[] = { 16, 16, 16, 4 };
	struct page_builder pb;
	struct tep_handle *tep = make_tep();
	struct trace_stream *st;
	struct stream_event ev;
	unsigned int i;
	FILE *f;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		f = cpu_file(0);
		page_start(&pb, 100);
		memcpy(pb.buf + 16, bad[i], sizeof(bad[i]));
		pb.len = commit[i];
		page_write(&pb, f, 0);
		fclose(f);
		st = trace_stream_open_dir(dir, tep, err, sizeof(err));
		CHECK(st != NULL);
		if (!st)
			continue;
		CHECK_EQ(trace_stream_next(st, UINT64_MAX, &ev), 0);
		CHECK_EQ(trace_stream_bad_pages(st), 1);
		trace_stream_close(st);
	}
	/* missed-events count stored past the page */
	f = cpu_file(0);
	page_start(&pb, 100);
	pb.len = PAGE - 16 - 4;
	page_write(&pb, f, RB_MISSED | (1ull << 30));
	fclose(f);
	st = trace_stream_open_dir(dir, tep, err, sizeof(err));
	CHECK_EQ(trace_stream_next(st, UINT64_MAX, &ev), 0);
	CHECK_EQ(trace_stream_bad_pages(st), 1);
	trace_stream_close(st);
	tep_free(tep);
}

/* The per-CPU files are checked before any is read. */
TEST(per_cpu_files_are_checked_first)
{
	struct page_builder pb;
	struct tep_handle *tep = make_tep();
	char path[160], other[160];
	FILE *f;

	f = cpu_file(0);
	page_start(&pb, 100);
	page_event(&pb, 0, 1);
	page_write(&pb, f, 0);
	fclose(f);
	f = cpu_file(1);
	page_start(&pb, 100);
	page_event(&pb, 0, 1);
	page_write(&pb, f, 0);
	fclose(f);
	CHECK(trace_stream_open_dir(dir, tep, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "copy of cpu0") != NULL);

	snprintf(path, sizeof(path), "%s/per_cpu/cpu1/trace_pipe_raw", dir);
	snprintf(other, sizeof(other), "%s/per_cpu/cpu3", dir);
	mkdir(other, 0755);
	strcat(other, "/trace_pipe_raw");
	CHECK(rename(path, other) == 0);
	CHECK(trace_stream_open_dir(dir, tep, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "cpu1/trace_pipe_raw is missing while cpu3") != NULL);
	unlink(other);

	CHECK(mkfifo(path, 0644) == 0);
	CHECK(trace_stream_open_dir(dir, tep, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "not a regular file") != NULL);
	unlink(path);
	CHECK(symlink("/dev/zero", path) == 0);
	CHECK(trace_stream_open_dir(dir, tep, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "not a regular file") != NULL);
	unlink(path);
	tep_free(tep);
}

TEST(empty_recording_directory_is_an_error)
{
	struct tep_handle *tep = make_tep();

	CHECK(trace_stream_open_dir("/nonexistent-kvmmmu", tep, err,
				    sizeof(err)) == NULL);
	tep_free(tep);
}

int main(void)
{
	char cmd[128];

	strcpy(dir, "/tmp/kvmmmu-ts-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	snprintf(cmd, sizeof(cmd), "%s/per_cpu", dir);
	mkdir(cmd, 0755);
	RUN(cpus_are_merged_in_timestamp_order);
	RUN(horizon_holds_back_newer_events);
	RUN(lost_events_are_counted_when_a_page_starts_with_a_time_extend);
	RUN(corrupt_pages_are_reported_not_decoded);
	RUN(empty_recording_directory_is_an_error);
	RUN(pages_that_would_hang_or_overread_are_skipped);
	RUN(per_cpu_files_are_checked_first);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		return 1;
	return TESTS_DONE();
}
