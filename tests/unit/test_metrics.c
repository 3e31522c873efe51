// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_metrics.c - the metrics view: the exposition text (counts,
 * cumulative buckets, +Inf = count, sums in seconds), the file written
 * atomically, the HTTP server (OpenMetrics on request, 404, a busy port),
 * and the address syntax.
 */
#define TEST_SUITE "metrics"
#include "testlib.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fault_cause.h"
#include "file_read.h"
#include "metrics_server.h"
#include "profile.h"
#include "report.h"
#include "symbols.h"

static struct profile *prof;
static struct symbols *syms;
static FILE *devnull;		/* the lines and summary views' output */
static const struct report_filter all = { .vcpu = -1 };

static void fault_at(struct fault *f, int pid, enum fault_kind kind,
		     uint64_t error_code, uint64_t delay)
{
	memset(f, 0, sizeof(*f));
	f->ts_ns = 1000000;
	f->pid = pid;
	f->tid = pid + 1;
	f->vcpu = 0;
	f->gpa = kind == FAULT_KIND_MMIO ? 0xd0000000 : 0x1000;
	f->error_code = error_code;
	f->vendor = FAULT_VENDOR_AMD;
	f->kind = kind;
	f->complete = true;
	f->delay_ns = delay;
	f->count = 1;
	f->memslot = -1;
	/* the test profile's cause rules: 0 mmio, 1 dirty-log */
	f->cause = kind == FAULT_KIND_MMIO ? 0 : kind == FAULT_KIND_FAST ? 1 :
		   FAULT_CAUSE_OTHER;
}

/* A root of @delay ns with one "map" call of @map ns inside. */
static void with_tree(struct fault *f, uint64_t map)
{
	f->has_tree = true;
	f->nr_nodes = 2;
	f->nodes[0] = (struct fault_node){ .phase = FAULT_NO_PHASE,
		.parent = FAULT_NO_PARENT, .calltime = 100,
		.rettime = 100 + f->delay_ns };
	f->nodes[1] = (struct fault_node){ .phase = 0, .depth = 1,
		.parent = 0, .calltime = 200, .rettime = 200 + map };
}

/* Five faults of two VMs; see the expected numbers in the tests. */
static void add_faults(struct report *r)
{
	struct fault f;

	fault_at(&f, 100, FAULT_KIND_NORMAL, 0x100000006ull, 5000);
	with_tree(&f, 3000);
	report_fault(&f, r);
	fault_at(&f, 100, FAULT_KIND_MMIO, 0x10000000dull, 20000);
	report_fault(&f, r);
	fault_at(&f, 100, FAULT_KIND_NORMAL, 0x100000006ull, 1000);
	f.complete = false;
	report_fault(&f, r);
	fault_at(&f, 200, FAULT_KIND_FAST, 0x100000007ull, 2000000000ull);
	report_fault(&f, r);
	fault_at(&f, 100, FAULT_KIND_NORMAL, 0x100000006ull, 1000);
	f.origin = FAULT_ORIGIN_PREFAULT;	/* KVM_PRE_FAULT_MEMORY */
	report_fault(&f, r);
}

/* Every histogram's buckets rise, and its +Inf bucket is its count. */
static void check_histograms(const char *text)
{
	char prev_labels[512] = "", labels[512], name[256], want[1024];
	unsigned long long prev = 0, v;
	const char *line, *le, *brace;
	int buckets = 0;

	for (line = text; line && *line; line = strchr(line, '\n'),
	     line = line ? line + 1 : NULL) {
		brace = strchr(line, '{');
		le = strstr(line, "le=\"");
		if (*line == '#' || !brace || !le || le > strchr(line, '\n'))
			continue;
		snprintf(labels, sizeof(labels), "%.*s", (int)(le - line),
			 line);
		v = strtoull(strstr(le, "} ") + 2, NULL, 10);
		if (!strcmp(labels, prev_labels) && v < prev)
			tl_fail("bucket falls: %.80s", line);
		if (!strncmp(le, "le=\"+Inf\"", 9)) {
			/* NAME_bucket{L,le="+Inf"} V -> NAME_count{L} V */
			snprintf(name, sizeof(name), "%.*s",
				 (int)(strstr(line, "_bucket{") - line), line);
			snprintf(want, sizeof(want), "%s_count{%.*s} %llu\n",
				 name, (int)(le - brace - 2), brace + 1, v);
			if (!strstr(text, want))
				tl_fail("no '%.200s'", want);
		}
		snprintf(prev_labels, sizeof(prev_labels), "%s", labels);
		prev = v;
		buckets++;
	}
	CHECK(buckets > 0);
}

TEST(exposition_counts_buckets_and_sums)
{
	char dir[] = "/tmp/test_metrics.XXXXXX", path[256], err[256] = "";
	struct view_options o = { .out = devnull, .prof = prof, .syms = syms };
	struct run_info ri = { .strategy = "global", .lost_events = 7,
			       .pages = 42 };
	struct report *r;
	char *text = NULL;
	DIR *d;
	struct dirent *de;
	int files = 0;

	if (!mkdtemp(dir))
		SKIP("mkdtemp: %s", strerror(errno));
	snprintf(path, sizeof(path), "%s/kvm.prom", dir);
	o.metrics_file = path;
	r = report_new(&o, &all, err, sizeof(err));
	CHECK(r != NULL);
	if (!r)
		return;
	/* written at open, before any fault: not finished yet */
	CHECK_EQ(read_whole_file(path, &text), 0);
	CHECK(text && strstr(text, "kvmmmu_run_finished 0\n"));
	CHECK(text && strstr(text, "kvmmmu_faults_seen_total 0\n"));
	free(text);
	text = NULL;
	add_faults(r);
	CHECK_EQ(report_finish(r, &ri, err, sizeof(err)), 0);
	report_free(r);
	CHECK_EQ(read_whole_file(path, &text), 0);
	if (!text)
		return;
	CHECK(strstr(text, "# HELP kvmmmu_faults_total "));
	CHECK(strstr(text, "# TYPE kvmmmu_faults_total counter\n"));
	CHECK(strstr(text, "kvmmmu_faults_total{pid=\"100\",type=\"normal\","
		     "cause=\"other\"} 3\n"));
	CHECK(strstr(text, "kvmmmu_faults_total{pid=\"100\",type=\"mmio\","
		     "cause=\"mmio\"} 1\n"));
	CHECK(strstr(text, "kvmmmu_faults_total{pid=\"200\",type=\"fast\","
		     "cause=\"dirty-log\"} 1\n"));
	CHECK(strstr(text, "kvmmmu_incomplete_faults_total{pid=\"100\"} 1\n"));
	CHECK(strstr(text, "# TYPE kvmmmu_faults_ahead_total counter\n"));
	CHECK(strstr(text, "kvmmmu_faults_ahead_total{pid=\"100\","
		     "origin=\"prefault\"} 1\n"));
	CHECK(!strstr(text, "kvmmmu_faults_ahead_total{pid=\"200\""));
	CHECK(!strstr(text, "origin=\"guest\""));
	CHECK(strstr(text, "kvmmmu_incomplete_faults_total{pid=\"200\"} 0\n"));
	/* complete normal faults of 5 us and 1 us; le is inclusive */
	CHECK(strstr(text, "# TYPE kvmmmu_fault_duration_seconds histogram\n"));
	CHECK(strstr(text, "kvmmmu_fault_duration_seconds_bucket{pid=\"100\","
		     "type=\"normal\",le=\"0.000001\"} 1\n"));
	CHECK(strstr(text, "kvmmmu_fault_duration_seconds_bucket{pid=\"100\","
		     "type=\"normal\",le=\"0.0000025\"} 1\n"));
	CHECK(strstr(text, "kvmmmu_fault_duration_seconds_bucket{pid=\"100\","
		     "type=\"normal\",le=\"0.000005\"} 2\n"));
	CHECK(strstr(text, "kvmmmu_fault_duration_seconds_bucket{pid=\"100\","
		     "type=\"normal\",le=\"1.0\"} 2\n"));
	CHECK(strstr(text, "kvmmmu_fault_duration_seconds_bucket{pid=\"100\","
		     "type=\"normal\",le=\"+Inf\"} 2\n"));
	CHECK(strstr(text, "kvmmmu_fault_duration_seconds_sum{pid=\"100\","
		     "type=\"normal\"} 0.000006\n"));
	CHECK(strstr(text, "kvmmmu_fault_duration_seconds_count{pid=\"100\","
		     "type=\"normal\"} 2\n"));
	/* 2 s is past the last bound: only in +Inf */
	CHECK(strstr(text, "kvmmmu_fault_duration_seconds_bucket{pid=\"200\","
		     "type=\"fast\",le=\"1.0\"} 0\n"));
	CHECK(strstr(text, "kvmmmu_fault_duration_seconds_bucket{pid=\"200\","
		     "type=\"fast\",le=\"+Inf\"} 1\n"));
	CHECK(strstr(text, "kvmmmu_fault_duration_seconds_sum{pid=\"200\","
		     "type=\"fast\"} 2.0\n"));
	/* no series for a type without complete faults */
	CHECK(!strstr(text, "pid=\"200\",type=\"normal\""));
	/* the map phase: 3 us in the one fault with a tree */
	CHECK(strstr(text, "kvmmmu_phase_duration_seconds_bucket{pid=\"100\","
		     "phase=\"map\",le=\"0.0000025\"} 0\n"));
	CHECK(strstr(text, "kvmmmu_phase_duration_seconds_bucket{pid=\"100\","
		     "phase=\"map\",le=\"0.000005\"} 1\n"));
	CHECK(strstr(text, "kvmmmu_phase_duration_seconds_sum{pid=\"100\","
		     "phase=\"map\"} 0.000003\n"));
	CHECK(strstr(text, "kvmmmu_phase_duration_seconds_count{pid=\"100\","
		     "phase=\"map\"} 1\n"));
	check_histograms(text);
	/* the run */
	CHECK(strstr(text, "kvmmmu_faults_seen_total 5\n"));
	CHECK(strstr(text, "kvmmmu_lost_events_total 7\n"));
	CHECK(strstr(text, "kvmmmu_ring_buffer_pages_read_total 42\n"));
	CHECK(strstr(text, "kvmmmu_cpu_seconds_total{mode=\"user\"} "));
	CHECK(strstr(text, "kvmmmu_run_finished 1\n"));
	CHECK(!strstr(text, "# EOF"));		/* the text format */
	CHECK(!strstr(text, "gpa"));
	free(text);
	/* only the file: the temporary one was renamed */
	d = opendir(dir);
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.')
			files++;
	if (d)
		closedir(d);
	CHECK_EQ(files, 1);
	unlink(path);
	rmdir(dir);
}

TEST(an_unwritable_file_fails_at_open)
{
	struct view_options o = { .out = devnull, .prof = prof, .syms = syms,
				  .metrics_file = "/nonexistent-dir/kvm.prom" };
	char err[256] = "";

	CHECK(report_new(&o, &all, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "/nonexistent-dir/kvm.prom: No such file"));
}

/* A loopback port nobody listens on (right now). */
static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && !bind(fd, (struct sockaddr *)&a, sizeof(a)) &&
	    !getsockname(fd, (struct sockaddr *)&a, &len))
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/* One HTTP request to 127.0.0.1:@port; the whole answer, or NULL. */
static char *http(int port, const char *request)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	ssize_t n;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (!buf || fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    write(fd, request, strlen(request)) < 0) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((n = read(fd, buf + len, cap - 1 - len)) > 0) {
		len += (size_t)n;
		if (len == cap - 1) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				break;
		}
	}
	close(fd);
	if (buf)
		buf[len] = '\0';
	return buf;
}

TEST(http_serves_metrics_openmetrics_and_404)
{
	struct view_options o = { .out = devnull, .prof = prof, .syms = syms };
	struct run_info ri = { .strategy = "global" };
	char addr[64], err[256] = "", *resp;
	struct report *r, *r2;
	int port = free_port();

	if (port < 0)
		SKIP("no loopback socket");
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", port);
	o.metrics_addr = addr;
	r = report_new(&o, &all, err, sizeof(err));
	CHECK(r != NULL);
	if (!r)
		return;
	/* the port is taken: a second server fails when it opens */
	r2 = report_new(&o, &all, err, sizeof(err));
	CHECK(r2 == NULL);
	CHECK(strstr(err, "Address already in use"));
	report_free(r2);
	add_faults(r);
	/* live: before finish */
	resp = http(port, "GET /metrics HTTP/1.0\r\n\r\n");
	CHECK(resp && !strncmp(resp, "HTTP/1.0 200 OK\r\n", 17));
	CHECK(resp && strstr(resp, "Content-Type: text/plain; version=0.0.4"));
	CHECK(resp && strstr(resp, "kvmmmu_faults_seen_total 5\n"));
	CHECK(resp && strstr(resp, "kvmmmu_run_finished 0\n"));
	free(resp);
	CHECK_EQ(report_finish(r, &ri, err, sizeof(err)), 0);
	resp = http(port, "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: "
		    "application/openmetrics-text;version=1.0.0,text/plain;"
		    "q=0.5\r\n\r\n");
	CHECK(resp && strstr(resp, "Content-Type: "
			     "application/openmetrics-text"));
	/* OpenMetrics names a counter family without _total */
	CHECK(resp && strstr(resp, "# TYPE kvmmmu_faults counter\n"
			     "kvmmmu_faults_total{"));
	CHECK(resp && strstr(resp, "kvmmmu_run_finished 1\n"));
	CHECK(resp && strlen(resp) > 6 &&
	      !strcmp(resp + strlen(resp) - 6, "# EOF\n"));
	if (resp)
		check_histograms(strstr(resp, "\r\n\r\n") + 4);
	free(resp);
	resp = http(port, "GET /other HTTP/1.0\r\n\r\n");
	CHECK(resp && !strncmp(resp, "HTTP/1.0 404 ", 13));
	free(resp);
	resp = http(port, "POST /metrics HTTP/1.0\r\n\r\n");
	CHECK(resp && !strncmp(resp, "HTTP/1.0 405 ", 13));
	free(resp);
	report_free(r);
	/* closed with the report */
	resp = http(port, "GET /metrics HTTP/1.0\r\n\r\n");
	CHECK(resp == NULL);
	free(resp);
}

TEST(addresses)
{
	static const char *const good[] = {
		"127.0.0.1:9100", "0.0.0.0:1", "[::1]:9100", "[::]:65535",
	};
	static const char *const bad[] = {
		"", "9100", ":9100", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0",
		"127.0.0.1:65536", "127.0.0.1:80x", "::1:9100", "[::1]",
		"[::1]9100", "[127.0.0.1]:80", "localhost:9100", "1.2.3:80",
	};
	struct sockaddr_storage ss;
	socklen_t len;
	unsigned int i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (metrics_addr_parse(good[i], &ss, &len))
			tl_fail("refused '%s'", good[i]);
	CHECK_EQ(metrics_addr_parse("[::1]:9100", &ss, &len), 0);
	CHECK_EQ(ss.ss_family, AF_INET6);
	CHECK_EQ(ntohs(((struct sockaddr_in6 *)&ss)->sin6_port), 9100);
	CHECK_EQ(metrics_addr_parse("127.0.0.1:80", &ss, &len), 0);
	CHECK_EQ(ss.ss_family, AF_INET);
	CHECK_EQ(len, sizeof(struct sockaddr_in));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!metrics_addr_parse(bad[i], NULL, NULL))
			tl_fail("accepted '%s'", bad[i]);
}

int main(void)
{
	char err[256];

	prof = profile_parse("name t\nroot kvm_mmu_page_fault\n"
			     "phase map kvm_tdp_mmu_map\n"
			     "cause mmio kind=mmio\ncause dirty-log kind=fast\n",
			     err, sizeof(err));
	syms = symbols_new();
	devnull = fopen("/dev/null", "w");
	if (!prof || !syms || !devnull) {
		printf("FAIL: metrics/setup (%s)\n", prof ? "no memory" : err);
		return 1;
	}
	RUN(exposition_counts_buckets_and_sums);
	RUN(an_unwritable_file_fails_at_open);
	RUN(http_serves_metrics_openmetrics_and_404);
	RUN(addresses);
	profile_free(prof);
	symbols_free(syms);
	fclose(devnull);
	return TESTS_DONE();
}
