// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_loss.c - a shipped recording with pages overwritten the way the
 * kernel does it under load (pages gone, the next one flagged with the
 * lost count): the loss is counted, the faults it touched are incomplete
 * and the faults that went with the pages are gone.
 */
#define TEST_SUITE "loss"
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "profile.h"
#include "symbols.h"
#include "testlib.h"

#define PAGE		4096
#define RB_MISSED	(1ull << 31)
#define RB_STORED	(1ull << 30)
#define LOST_STORED	4321ull

static char dir[64];

struct counts {
	uint64_t faults, incomplete, lost, orphan_pf;
};

static void count_fault(const struct fault *f, void *ctx)
{
	struct counts *c = ctx;

	c->faults++;
	c->incomplete += !f->complete;
}

static int replay(const char *rec, struct counts *out)
{
	char err[512], path[512];
	struct capture_config cfg = { .dir = rec };
	struct profile *prof;
	struct symbols *syms = symbols_new();
	struct capture *c;
	int r = -1;

	snprintf(path, sizeof(path), "%s/kvm-x86.profile",
		 getenv("KVMMMU_GRAPH_PROFILE_DIR"));
	prof = profile_load(path, err, sizeof(err));
	memset(out, 0, sizeof(*out));
	cfg.builder = (struct builder_config){ .prof = prof, .syms = syms,
		.vendor = FAULT_VENDOR_AMD, .emit = count_fault, .ctx = out };
	c = prof && syms ? capture_open(&cfg, err, sizeof(err)) : NULL;
	if (c && capture_pump(c, UINT64_MAX) >= 0) {
		capture_finish(c);
		out->lost = capture_lost_events(c);
		out->orphan_pf = capture_builder_stats(c)->orphan_pf;
		r = 0;
	}
	capture_close(c);
	symbols_free(syms);
	profile_free(prof);
	return r;
}

/*
 * Overwrite pages [first, first + n) of @file: drop them and flag the
 * page after with the lost count stored after its data, as the kernel's
 * ring_buffer_read_page() does after an overrun (the count only when
 * the page has room for it). Return: the lost count the page says, or -1.
 */
static long overwrite_pages(const char *file, long first, long n)
{
	static unsigned char buf[64 * PAGE * 4];
	uint64_t commit, lost = LOST_STORED;
	long pages, said = 1;
	FILE *f = fopen(file, "r+b");
	size_t len;

	if (!f)
		return -1;
	len = fread(buf, 1, sizeof(buf), f);
	pages = (long)(len / PAGE);
	if (first + n >= pages) {
		fclose(f);
		return -1;
	}
	memmove(buf + first * PAGE, buf + (first + n) * PAGE,
		(pages - first - n) * PAGE);
	pages -= n;
	memcpy(&commit, buf + first * PAGE + 8, 8);
	if ((commit & 0xfffff) + 16 + 8 <= PAGE) {
		memcpy(buf + first * PAGE + 16 + (commit & 0xfffff), &lost, 8);
		commit |= RB_STORED;
		said = LOST_STORED;
	}
	commit |= RB_MISSED;
	memcpy(buf + first * PAGE + 8, &commit, 8);
	rewind(f);
	if (fwrite(buf, PAGE, pages, f) != (size_t)pages)
		said = -1;
	fclose(f);
	return said < 0 || truncate(file, (off_t)pages * PAGE) ? -1 : said;
}

TEST(overwritten_pages_are_counted_and_their_faults_incomplete)
{
	const char *data = getenv("KVMMMU_TEST_DATA");
	char cmd[1024], rec[256], file[512];
	struct counts whole, cut;
	long said;

	if (!data || !getenv("KVMMMU_GRAPH_PROFILE_DIR"))
		SKIP("KVMMMU_TEST_DATA or KVMMMU_GRAPH_PROFILE_DIR not set");
	snprintf(cmd, sizeof(cmd), "tar xJf %s/6.12-global.tar.xz -C %s",
		 data, dir);
	CHECK_EQ(system(cmd), 0);
	snprintf(rec, sizeof(rec), "%s/6.12-global", dir);
	CHECK_EQ(replay(rec, &whole), 0);
	CHECK_EQ(whole.lost, 0);
	CHECK_EQ(whole.incomplete, 0);
	CHECK(whole.faults > 20);

	/* cpu0 holds 35 pages: lose 10 of them in the middle */
	snprintf(file, sizeof(file), "%s/per_cpu/cpu0/trace_pipe_raw", rec);
	said = overwrite_pages(file, 12, 10);
	CHECK(said > 0);
	CHECK_EQ(replay(rec, &cut), 0);
	CHECK_EQ(cut.lost, said);
	CHECK(cut.incomplete >= 1);
	CHECK(cut.faults < whole.faults);
	printf("# whole: %llu faults; 10 of 35 pages lost: %llu faults, "
	       "%llu incomplete, %llu lost events, %llu kvm_page_fault "
	       "events with no fault\n", (unsigned long long)whole.faults,
	       (unsigned long long)cut.faults,
	       (unsigned long long)cut.incomplete,
	       (unsigned long long)cut.lost,
	       (unsigned long long)cut.orphan_pf);
}

int main(void)
{
	char cmd[128];

	strcpy(dir, "/tmp/kvmmmu-loss-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	RUN(overwritten_pages_are_counted_and_their_faults_incomplete);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		return 1;
	return TESTS_DONE();
}
