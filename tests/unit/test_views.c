// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_views.c - the views through the report: per-fault lines, JSON
 * Lines and the JSON summary, the text summary with its diagnostics,
 * filters, and output errors.
 */
#define TEST_SUITE "views"
#include "testlib.h"

#include <stdlib.h>

#include "profile.h"
#include "report.h"
#include "symbols.h"

static struct profile *prof;
static struct symbols *syms;

struct out {
	char *buf;
	size_t len;
	FILE *f;
};

static void fault_at(struct fault *f, uint64_t ts, int vcpu, uint64_t gpa,
		     enum fault_kind kind, uint64_t delay)
{
	memset(f, 0, sizeof(*f));
	f->ts_ns = ts;
	f->pid = 100;
	f->tid = 101;
	snprintf(f->comm, sizeof(f->comm), "CPU %d/KVM", vcpu);
	f->vcpu = vcpu;
	f->gpa = gpa;
	f->error_code = kind == FAULT_KIND_MMIO ? 0x10000000dull : 0x100000006ull;
	f->vendor = FAULT_VENDOR_AMD;
	f->kind = kind;
	f->complete = true;
	f->delay_ns = delay;
	f->count = 1;
	f->hva = kind == FAULT_KIND_MMIO ? FAULT_UNKNOWN : 0x7f0000000000ull + gpa;
	f->pfn = kind == FAULT_KIND_MMIO ? FAULT_UNKNOWN : 0x1234;
	f->memslot = kind == FAULT_KIND_MMIO ? -1 : 0;
}

/* Run three faults through a report with @o; the stream's text. */
static int run_views(struct view_options *o, const struct report_filter *flt,
		     struct run_info *ri, struct out *out, char *err)
{
	struct report *r;
	struct fault f;
	int ret;

	out->f = open_memstream(&out->buf, &out->len);
	o->out = out->f;
	o->syms = syms;
	o->prof = prof;
	r = report_new(o, flt, err, 256);
	if (!r) {
		fclose(out->f);
		return -1;
	}
	fault_at(&f, 1000000, 0, 0x1000, FAULT_KIND_NORMAL, 5000);
	report_fault(&f, r);
	fault_at(&f, 3000000, 1, 0xd0000000, FAULT_KIND_MMIO, 20000);
	report_fault(&f, r);
	fault_at(&f, 4000000, 1, 0x2000, FAULT_KIND_NORMAL, 1000);
	f.complete = false;
	report_fault(&f, r);
	ret = report_finish(r, ri, err, 256);
	report_free(r);
	fclose(out->f);
	return ret;
}

static const struct report_filter all = { .vcpu = -1 };

TEST(lines_have_the_columns)
{
	struct view_options o = { .top_n = 0 };
	struct run_info ri = { .strategy = "global" };
	struct out out;
	char err[256];

	CHECK_EQ(run_views(&o, &all, &ri, &out, err), 0);
	CHECK(strstr(out.buf, "TIME(ms)       COMM             PID      VCPU  "
		     "GPA          COUNT DELAY(us)  HVA              PFN"));
	CHECK(strstr(out.buf, "ERROR_TYPE           CAUSE\n"));
	/* time from the first fault, ms; delay in us; HVA, PFN, slot, type */
	CHECK(strstr(out.buf, "0.000          CPU 0/KVM        100      0     "
		     "1000         1     5.000      7f0000001000     1234         "
		     "0          Write                other\n"));
	CHECK(strstr(out.buf, "2.000          CPU 1/KVM        100      1     "
		     "d0000000     1     20.000     -                -            "
		     "-          Read+Reserved(MMIO)  other\n"));
	CHECK(strstr(out.buf, " -          7f0000002000 ") &&
	      strstr(out.buf, "Write (incomplete)   other\n"));
	CHECK(strstr(out.buf, "Summary: 3 faults (normal 2, fast 0, mmio 1), "
		     "1 incomplete, 0 lost events, strategy global"));
	CHECK(!strstr(out.buf, "could not be decoded"));
	CHECK(!strstr(out.buf, "profile items"));
	free(out.buf);
}

TEST(json_lines_and_summary)
{
	struct view_options o = { .json = true };
	struct run_info ri = { .strategy = "instance", .decode_errors = 2 };
	struct out out;
	char err[256], *line;
	int objects = 0;

	CHECK_EQ(run_views(&o, &all, &ri, &out, err), 0);
	for (line = out.buf; line && *line; line = strchr(line, '\n'),
	     line = line ? line + 1 : NULL) {
		CHECK(line[0] == '{');
		objects++;
	}
	CHECK_EQ(objects, 4);
	CHECK(strstr(out.buf, "\"gpa\":\"0x1000\",\"error_code\":\"0x100000006\","
		     "\"error_type\":\"Write\",\"kind\":\"normal\",\"mmio\":false,"
		     "\"delay_ns\":5000,\"count\":1,\"origin\":\"guest\","
		     "\"cause\":\"other\","
		     "\"hva\":\"0x7f0000001000\","
		     "\"pfn\":\"0x1234\",\"memslot\":0"));
	CHECK(strstr(out.buf, "\"hva\":null,\"pfn\":null,\"memslot\":null"));
	CHECK(strstr(out.buf, "{\"type\":\"summary\",\"strategy\":\"instance\","
		     "\"faults\":3,\"incomplete\":1,\"lost_events\":0,"
		     "\"filtered\":0,\"decode_errors\":2,\"damaged_pages\":0,"
		     "\"unmatched_exits\":0,"
		     "\"missing\":[]"));
	free(out.buf);
}

TEST(json_summary_only_prints_only_the_summary)
{
	struct view_options o = { .json = true, .summary_only = true };
	struct run_info ri = { .strategy = "global" };
	struct out out;
	char err[256];

	CHECK_EQ(run_views(&o, &all, &ri, &out, err), 0);
	CHECK(!strncmp(out.buf, "{\"type\":\"summary\"", 17));
	CHECK(strchr(out.buf, '\n') == out.buf + out.len - 1);
	free(out.buf);
}

TEST(summary_says_what_went_wrong)
{
	static const char *const missing[] = { "event kvmmmu/foo", "allow bar" };
	struct view_options o = { .summary_only = true };
	struct run_info ri = {
		.strategy = "global", .decode_errors = 3, .unmatched_exits = 4,
		.missing = missing, .nr_missing = 2,
	};
	struct out out;
	char err[256];

	CHECK_EQ(run_views(&o, &all, &ri, &out, err), 0);
	CHECK(!strstr(out.buf, "TIME(ms)"));
	CHECK(strstr(out.buf, "note: 3 records could not be decoded, 4 "
		     "function exits matched no call\n"));
	CHECK(strstr(out.buf, "note: 2 profile items this kernel lacks were "
		     "skipped: event kvmmmu/foo, allow bar\n"));
	free(out.buf);
	o.json = true;
	CHECK_EQ(run_views(&o, &all, &ri, &out, err), 0);
	CHECK(strstr(out.buf, "\"missing\":[\"event kvmmmu/foo\",\"allow bar\"]"));
	free(out.buf);
}

TEST(filters_count_what_they_leave_out)
{
	struct view_options o = { .top_n = 0 };
	struct report_filter vcpu1 = { .vcpu = 1 };
	struct report_filter slow = { .vcpu = -1, .threshold_ns = 10000 };
	struct run_info ri = { .strategy = "global" };
	struct out out;
	char err[256];

	CHECK_EQ(run_views(&o, &vcpu1, &ri, &out, err), 0);
	CHECK_EQ(ri.filtered, 1);
	CHECK(!strstr(out.buf, "CPU 0/KVM"));
	/* times stay relative to the run's first fault, shown or not */
	CHECK(strstr(out.buf, "\n2.000          CPU 1/KVM"));
	free(out.buf);
	CHECK_EQ(run_views(&o, &slow, &ri, &out, err), 0);
	CHECK_EQ(ri.filtered, 1);	/* 5 us; incomplete faults stay */
	CHECK(strstr(out.buf, "(1 faults not shown: --threshold/--vcpu)"));
	free(out.buf);
}

TEST(output_files_are_opened_before_any_fault)
{
	struct view_options o = {
		.folded_path = "/nonexistent-dir/out.folded", .syms = syms,
		.prof = prof, .out = stdout,
	};
	char err[256] = "";

	CHECK(report_new(&o, &all, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "/nonexistent-dir/out.folded: No such file"));
	o.folded_path = NULL;
	o.svg_path = "/nonexistent-dir/out.svg";
	CHECK(report_new(&o, &all, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "out.svg"));
}

TEST(a_full_output_device_is_an_error)
{
	struct view_options o = { .folded_path = "/dev/full", .syms = syms,
				  .prof = prof };
	struct run_info ri = { .strategy = "global" };
	struct report *r;
	char err[256] = "";
	FILE *full = fopen("/dev/full", "w");

	if (!full)
		SKIP("no /dev/full");
	o.out = full;
	r = report_new(&o, &all, err, sizeof(err));
	CHECK(r != NULL);
	if (r) {
		CHECK(report_finish(r, &ri, err, sizeof(err)) != 0);
		CHECK(err[0] != '\0');
		report_free(r);
	}
	fclose(full);
}

TEST(json_strings_stay_valid)
{
	struct out out;

	out.f = open_memstream(&out.buf, &out.len);
	view_json_string(out.f, "a\"b\\c\n\xff\xc3\xa9\xe2\x82");
	fclose(out.f);
	/* quote, backslash, control, stray byte, valid é, cut sequence */
	CHECK_STR(out.buf, "\"a\\\"b\\\\c\\u000a\\u00ff\xc3\xa9\\u00e2\\u0082\"");
	free(out.buf);
}

int main(void)
{
	char err[256];

	prof = profile_parse("name t\nroot kvm_mmu_page_fault\n"
			     "phase map kvm_tdp_mmu_map\n", err, sizeof(err));
	syms = symbols_new();
	if (!prof || !syms) {
		printf("FAIL: views/setup (%s)\n", prof ? "no memory" : err);
		return 1;
	}
	RUN(lines_have_the_columns);
	RUN(json_lines_and_summary);
	RUN(json_summary_only_prints_only_the_summary);
	RUN(summary_says_what_went_wrong);
	RUN(filters_count_what_they_leave_out);
	RUN(output_files_are_opened_before_any_fault);
	RUN(a_full_output_device_is_an_error);
	RUN(json_strings_stay_valid);
	profile_free(prof);
	symbols_free(syms);
	return TESTS_DONE();
}
