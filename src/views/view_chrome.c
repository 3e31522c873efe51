// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view_chrome.c - --chrome-trace FILE: the Trace Event Format (JSON) that
 * Perfetto UI, chrome://tracing and speedscope open.
 *
 * One process per VM, one thread track per vCPU thread. Each complete
 * fault is a complete event ("X") named after its kind, with its phases
 * as nested "X" events below it (a phase inside the same phase is not
 * repeated); an incomplete fault is an instant event ("i") on its track.
 * Timestamps are in microseconds with nanosecond precision; the phases
 * are placed at their offsets from the root call inside the fault. The
 * file is written as faults arrive (bounded memory); with
 * --chrome-trace-max-mb it is split into complete files FILE, FILE.2,
 * FILE.3 ... (".N" goes before a trailing ".json").
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "hashtab.h"
#include "profile.h"
#include "symbols.h"
#include "view.h"

#define MAX_TRACKS	65536	/* thread tracks named per file */

struct chrome {
	const struct view_options *o;
	FILE *file;
	char path[PATH_MAX];
	unsigned int part;		/* 1 for FILE, 2 for FILE.2 ... */
	uint64_t events;		/* events in the current file */
	struct hashtab tracks;		/* pid << 32 | tid -> 1, named */
	struct hashtab processes;	/* pid -> 1, named */
};

static bool chrome_wanted(const struct view_options *o)
{
	return o->chrome_path;
}

/* FILE, then FILE.2 ... with ".N" before a trailing ".json". */
static void part_path(struct chrome *c)
{
	const char *base = c->o->chrome_path;
	size_t len = strlen(base);

	if (c->part == 1) {
		snprintf(c->path, sizeof(c->path), "%s", base);
		return;
	}
	if (len > 5 && !strcmp(base + len - 5, ".json"))
		snprintf(c->path, sizeof(c->path), "%.*s.%u.json",
			 (int)(len - 5), base, c->part);
	else
		snprintf(c->path, sizeof(c->path), "%s.%u", base, c->part);
}

static int open_part(struct chrome *c, char *err, size_t errlen)
{
	part_path(c);
	c->file = view_open_file(c->path, err, errlen);
	if (!c->file)
		return -errno;
	c->events = 0;
	hashtab_release(&c->tracks);
	hashtab_release(&c->processes);
	fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", c->file);
	return 0;
}

/* Close the JSON of the current file; 0 or -errno with @err set. */
static int close_part(struct chrome *c, const struct run_info *ri,
		      char *err, size_t errlen)
{
	FILE *f = c->file;

	c->file = NULL;
	fputs("\n],\"otherData\":{\"tool\":\"kvmmmu-graph\"", f);
	if (ri)
		fprintf(f, ",\"strategy\":\"%s\",\"lost_events\":%" PRIu64,
			ri->strategy ? ri->strategy : "", ri->lost_events);
	fprintf(f, ",\"part\":%u}}\n", c->part);
	return view_close_file(f, c->path, err, errlen);
}

static void chrome_close(void *state)
{
	struct chrome *c = state;

	if (!c)
		return;
	if (c->file)
		fclose(c->file);
	hashtab_release(&c->tracks);
	hashtab_release(&c->processes);
	free(c);
}

static void *chrome_open(const struct view_options *o, char *err,
			 size_t errlen)
{
	struct chrome *c = calloc(1, sizeof(*c));

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->o = o;
	c->part = 1;
	hashtab_init(&c->tracks, MAX_TRACKS);
	hashtab_init(&c->processes, MAX_TRACKS);
	if (open_part(c, err, errlen)) {
		chrome_close(c);
		return NULL;
	}
	return c;
}

/* Start one event: the separator, and count it. */
static FILE *event(struct chrome *c)
{
	fputs(c->events++ ? ",\n" : "\n", c->file);
	return c->file;
}

/* Microseconds with three decimals, from nanoseconds. */
static void put_us(FILE *f, const char *key, uint64_t ns)
{
	fprintf(f, ",\"%s\":%" PRIu64 ".%03" PRIu64, key, ns / 1000,
		ns % 1000);
}

static void put_hex(FILE *f, const char *key, uint64_t v)
{
	if (v == FAULT_UNKNOWN)
		fprintf(f, ",\"%s\":null", key);
	else
		fprintf(f, ",\"%s\":\"0x%" PRIx64 "\"", key, v);
}

static int fault_pid(const struct fault *f)
{
	return f->pid ? f->pid : f->tid;
}

/* process_name / thread_name metadata the first time a track appears. */
static void name_track(struct chrome *c, const struct fault *f)
{
	uint64_t key = (uint64_t)(uint32_t)fault_pid(f) << 32 |
		       (uint32_t)f->tid, *v;
	char name[64];
	FILE *o;

	if (hashtab_get_or_add(&c->processes, (uint32_t)fault_pid(f), &v) == 1) {
		o = event(c);
		fprintf(o, "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%d,"
			"\"tid\":0,\"args\":{\"name\":\"VM %d\"}}",
			fault_pid(f), fault_pid(f));
	}
	if (hashtab_get_or_add(&c->tracks, key, &v) != 1)
		return;
	o = event(c);
	if (f->vcpu >= 0)
		snprintf(name, sizeof(name), "vCPU %d (%.*s)", f->vcpu,
			 FAULT_COMM_LEN, f->comm);
	else
		snprintf(name, sizeof(name), "%.*s", FAULT_COMM_LEN, f->comm);
	fprintf(o, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":%d,"
		"\"tid\":%d,\"args\":{\"name\":", fault_pid(f), f->tid);
	view_json_string(o, name);
	fputs("}}", o);
	if (f->vcpu < 0)
		return;
	o = event(c);
	fprintf(o, "{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":%d,"
		"\"tid\":%d,\"args\":{\"sort_index\":%d}}", fault_pid(f),
		f->tid, f->vcpu);
}

static void put_fault_args(struct chrome *c, const struct fault *f)
{
	char type[64];
	FILE *o = c->file;

	fputs(",\"args\":{", o);
	fprintf(o, "\"kind\":\"%s\"", fault_kind_name(f->kind));
	put_hex(o, "gpa", f->gpa);
	put_hex(o, "hva", f->hva);
	put_hex(o, "pfn", f->pfn);
	if (f->memslot < 0)
		fputs(",\"memslot\":null", o);
	else
		fprintf(o, ",\"memslot\":%d", f->memslot);
	fprintf(o, ",\"vcpu\":%d,\"type\":\"%s\",\"count\":%u}}", f->vcpu,
		view_error_type(f, type, sizeof(type)), f->count);
}

/* Does an ancestor of node @i carry the same phase? */
static bool phase_repeats(const struct fault *f, uint32_t i)
{
	uint16_t p = f->nodes[i].parent;

	while (p != FAULT_NO_PARENT && p < i) {
		if (f->nodes[p].phase == f->nodes[i].phase)
			return true;
		p = f->nodes[p].parent;
	}
	return false;
}

static void put_phases(struct chrome *c, const struct fault *f)
{
	const struct fault_node *root = &f->nodes[0], *n;
	uint64_t dur = fault_node_duration(root), off;
	uint32_t i;
	FILE *o;

	for (i = 1; i < f->nr_nodes; i++) {
		n = &f->nodes[i];
		if (n->phase == FAULT_NO_PHASE || !n->rettime ||
		    n->calltime < root->calltime || phase_repeats(f, i))
			continue;
		off = n->calltime - root->calltime;
		if (off > dur || fault_node_duration(n) > dur - off)
			continue;	/* not inside the root: skip, keep nesting */
		o = event(c);
		fputs("{\"name\":", o);
		view_json_string(o, profile_phase_name(c->o->prof, n->phase));
		fprintf(o, ",\"cat\":\"phase\",\"ph\":\"X\",\"pid\":%d,"
			"\"tid\":%d", fault_pid(f), f->tid);
		put_us(o, "ts", f->ts_ns + off);
		put_us(o, "dur", fault_node_duration(n));
		fputs(",\"args\":{\"function\":", o);
		view_json_string(o, symbols_name(c->o->syms, n->func));
		fputs("}}", o);
	}
}

static void put_fault(struct chrome *c, const struct fault *f)
{
	bool tree = f->has_tree && f->nr_nodes;
	FILE *o = event(c);

	fprintf(o, "{\"name\":\"%s fault\",\"cat\":\"fault\",\"pid\":%d,"
		"\"tid\":%d", fault_kind_name(f->kind), fault_pid(f), f->tid);
	if (!f->complete) {
		fputs(",\"ph\":\"i\",\"s\":\"t\"", o);
		put_us(o, "ts", f->ts_ns);
		fputs(",\"args\":{\"incomplete\":\"lost events or a call that "
		      "never returned\"}}", o);
		return;
	}
	fputs(",\"ph\":\"X\"", o);
	put_us(o, "ts", f->ts_ns);
	put_us(o, "dur", tree ? fault_node_duration(&f->nodes[0]) :
	       f->delay_ns);
	put_fault_args(c, f);
	if (tree)
		put_phases(c, f);
}

static int chrome_add(void *state, const struct fault *f)
{
	struct chrome *c = state;
	uint64_t max = c->o->chrome_max_bytes;
	char err[256];
	long pos;
	int ret;

	name_track(c, f);
	put_fault(c, f);
	if (ferror(c->file))
		return -EIO;
	pos = ftell(c->file);
	if (!max || pos < 0 || (uint64_t)pos < max)
		return 0;
	ret = close_part(c, NULL, err, sizeof(err));
	c->part++;
	return ret ? ret : open_part(c, err, sizeof(err));
}

static int chrome_finish(void *state, const struct run_info *ri, char *err,
			 size_t errlen)
{
	struct chrome *c = state;

	if (!c->file) {
		snprintf(err, errlen, "%s: could not be written", c->path);
		return -EIO;
	}
	return close_part(c, ri, err, errlen);
}

const struct view_ops view_chrome = {
	.name = "chrome-trace",
	.wanted = chrome_wanted,
	.open = chrome_open,
	.add_fault = chrome_add,
	.finish = chrome_finish,
	.close = chrome_close,
};
