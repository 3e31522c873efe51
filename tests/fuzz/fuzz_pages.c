// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_pages.c - libFuzzer target: raw ring-buffer pages, the part of a
 * recording that is read most and trusted least, at a high rate.
 *
 * The formats, kallsyms and profile come from a shipped recording once;
 * each input is a run of 4096-byte pages of one CPU (the last one padded
 * with zeros; its first byte, when odd, also turns on events-only). Every
 * page that raw_page_valid() accepts is walked by kbuffer from a copy that
 * ends at a PROT_NONE guard page, so a read past the page by the
 * (uninstrumented) library faults; a walk longer than the page could
 * hold aborts. The events are decoded and fed to the fault builder, and
 * the faults split for the flame graph.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <traceevent/event-parse.h>
#include <traceevent/kbuffer.h>

#include "fault_builder.h"
#include "flame.h"
#include "page_check.h"
#include "profile.h"
#include "symbols.h"
#include "trace_events.h"
#include "trace_formats.h"

#define PAGE	4096

static struct tep_handle *tep;
static struct kbuffer *kbuf;
static struct event_decoder *dec;
static struct symbols *syms;
static struct profile *prof;
static unsigned char *guarded;	/* PAGE bytes, then a PROT_NONE page */
static int data_start;

static void die(const char *what, const char *why)
{
	fprintf(stderr, "fuzz_pages: %s: %s\n", what, why);
	abort();
}

static void load_recording(void)
{
	char dir[] = "/tmp/kvmmmu-fuzz-pages-XXXXXX", cmd[512], err[512];
	unsigned char *map;

	if (!mkdtemp(dir))
		die("mkdtemp", "failed");
	snprintf(cmd, sizeof(cmd), "tar -xJf '%s' -C '%s' --strip-components=1",
		 FUZZ_RECORDING, dir);
	if (system(cmd))
		die(FUZZ_RECORDING, "cannot unpack");
	tep = trace_formats_load(dir, err, sizeof(err));
	if (!tep)
		die(dir, err);
	dec = event_decoder_new(tep, err, sizeof(err));
	if (!dec)
		die(dir, err);
	syms = symbols_new();
	snprintf(cmd, sizeof(cmd), "%s/kallsyms", dir);
	if (!syms || symbols_load_kallsyms(syms, cmd) < 0)
		die(cmd, "cannot load");
	prof = profile_load(FUZZ_PROFILE, err, sizeof(err));
	if (!prof)
		die(FUZZ_PROFILE, err);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		die(dir, "cannot remove");
	map = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED || mprotect(map + PAGE, PAGE, PROT_NONE))
		die("mmap", "failed");
	guarded = map;
	kbuf = tep_kbuffer(tep);
	memset(guarded, 0, PAGE);
	kbuffer_load_subbuffer(kbuf, guarded);
	data_start = kbuffer_start_of_data(kbuf);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	load_recording();
	return 0;
}

static void on_fault(const struct fault *f, void *ctx)
{
	static uint64_t dur[FAULT_MAX_NODES], self[FAULT_MAX_NODES];

	if (f->has_tree)
		flame_split_fault(f, dur, self);
}

/* Walk one accepted page: decode and feed each event. */
static void walk_page(struct fault_builder *b, uint64_t *ts_floor)
{
	struct trace_record rec;
	unsigned long long ts;
	unsigned int steps = 0;
	bool missed;
	void *ev;

	kbuffer_load_subbuffer(kbuf, guarded);
	missed = kbuffer_missed_events(kbuf) != 0;
	for (ev = kbuffer_read_event(kbuf, &ts); ev;
	     ev = kbuffer_next_event(kbuf, &ts)) {
		if (++steps > PAGE / 4)
			die("kbuffer", "walk longer than the page");
		if (event_decode(dec, ev, (unsigned int)kbuffer_event_size(kbuf),
				 &rec) < 0)
			continue;
		rec.cpu = 0;
		rec.ts = ts < *ts_floor ? *ts_floor : ts;	/* in order */
		*ts_floor = rec.ts;
		fault_builder_feed(b, &rec, missed);
		missed = false;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct builder_config cfg = {
		.prof = prof, .syms = syms, .vendor = FAULT_VENDOR_AMD,
		.events_only = size && (data[0] & 1), .emit = on_fault,
	};
	struct fault_builder *b = fault_builder_new(&cfg);
	uint64_t ts_floor = 0;
	size_t off, n;

	if (!b)
		die("fault_builder_new", "out of memory");
	for (off = 0; off < size; off += PAGE) {
		n = size - off < PAGE ? size - off : PAGE;
		memcpy(guarded, data + off, n);
		memset(guarded + n, 0, PAGE - n);
		if (raw_page_valid(guarded, PAGE, (size_t)data_start))
			walk_page(b, &ts_floor);
	}
	fault_builder_finish(b);
	fault_builder_free(b);
	return 0;
}
