// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli_common.c - what every command shares: messages, profile look-up,
 * vendor, and opening and closing the pieces of a run.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load_watch.h"
#include "capture.h"
#include "cli.h"
#include "memslot_probe.h"
#include "profile.h"
#include "report.h"
#include "spte.h"
#include "symbols.h"
#include "thread_names.h"

int fail(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("kvmmmu-graph: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

/* ---- profile lookup ---- */

/* Uninstalled: the profiles/ directory next to the binary (source tree). */
static int profile_beside_binary(const char *name, char *path, size_t len)
{
	char exe[PATH_MAX - 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return -ENOENT;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return -ENOENT;
	*slash = '\0';
	snprintf(path, len, "%s/profiles/%s.profile", exe, name);
	return access(path, R_OK) ? -ENOENT : 0;
}

static int profile_path(const char *name, char *path, size_t len)
{
	const char *envdir = getenv("KVMMMU_GRAPH_PROFILE_DIR");

	if (strchr(name, '/')) {
		snprintf(path, len, "%s", name);
		return 0;
	}
	if (envdir) {
		snprintf(path, len, "%s/%s.profile", envdir, name);
		if (!access(path, R_OK))
			return 0;
	}
	snprintf(path, len, "%s/%s.profile", PROFILE_DIR, name);
	if (!access(path, R_OK))
		return 0;
	return profile_beside_binary(name, path, len);
}

struct profile *load_profile(const char *name)
{
	char path[PATH_MAX], err[512];
	struct profile *prof;

	if (profile_path(name, path, sizeof(path))) {
		fail(1, "profile '%s' not found (looked in %s%s)", name,
		     getenv("KVMMMU_GRAPH_PROFILE_DIR") ?
		     "$KVMMMU_GRAPH_PROFILE_DIR and " : "", PROFILE_DIR);
		return NULL;
	}
	prof = profile_load(path, err, sizeof(err));
	if (!prof)
		fail(1, "%s", err);
	return prof;
}

/* ---- the pieces of a run ---- */

/* Builder callback: name and thread group of a vCPU thread. */
static void thread_info(int tid, char *comm, int *tgid, void *ctx)
{
	struct run *run = ctx;
	const char *saved;

	if (!thread_names_get(run->names, tid, comm, FAULT_COMM_LEN, tgid) &&
	    run->capture && (saved = capture_comm(run->capture, tid)))
		snprintf(comm, FAULT_COMM_LEN, "%s", saved);
	if (!*tgid && run->pid > 0)
		*tgid = run->pid;	/* only the target's threads are traced */
}

/*
 * Pages per CPU a live capture may read ahead of its decoder: SPOOL_MB in
 * all, so that a burst the decoder cannot follow waits in memory rather
 * than overrunning the ring buffers; bounded, and used only when behind.
 */
#define SPOOL_MB	256

static unsigned int spool_pages(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_CONF), page = getpagesize();

	if (cpus < 1)
		cpus = 1;
	return (unsigned int)(SPOOL_MB * 1024L * 1024L / page / cpus);
}

static int open_any_capture(struct run *run, const char *dir,
			    const char *dat, struct tracefs_instance *inst,
			    enum fault_vendor vendor, bool events_only)
{
	struct capture_config cfg = {
		.dir = dir,
		.dat_path = dat,
		.instance = inst,
		.record_dir = dir ? NULL : run->record_dir,
		.spool_pages = dir || dat ? 0 : spool_pages(),
		.builder = {
			.prof = run->prof,
			.syms = run->syms,
			.vendor = vendor,
			.events_only = events_only,
			/* the traced host is this one only when live */
			.phys_bits = dir || dat ? 0 :
				     spte_host_phys_bits("/proc/cpuinfo"),
			.emit = run->emit ? run->emit : report_fault,
			.thread_info = thread_info,
			.ctx = run->emit ? run->emit_ctx : run->report,
			.info_ctx = run,
		},
	};
	char err[512];

	run->capture = capture_open(&cfg, err, sizeof(err));
	if (!run->capture)
		return fail(1, "%s", err);
	return 0;
}

int open_capture(struct run *run, const char *dir,
		 struct tracefs_instance *inst, enum fault_vendor vendor,
		 bool events_only)
{
	return open_any_capture(run, dir, NULL, inst, vendor, events_only);
}

int open_dat_capture(struct run *run, const char *path,
		     enum fault_vendor vendor, bool events_only)
{
	return open_any_capture(run, NULL, path, NULL, vendor, events_only);
}

int open_report(struct run *run)
{
	const struct params *p = run->p;
	struct view_options opts = {
		.out = stdout,
		.prof = run->prof,
		.summary_only = p->summary_only,
		.json = p->json,
		.tree = p->tree,
		.tree_min_ns = p->tree_min_ns,
		.top_n = p->top_n,
		.folded_path = p->folded_path,
		.svg_path = p->svg_path,
		.flame_group = p->folded_by,
		.chrome_path = p->chrome_path,
		.prefault_path = p->prefault_path,
		.chrome_max_bytes = p->chrome_max_bytes,
		.metrics_addr = p->metrics_addr,
		.metrics_file = p->metrics_file,
		.metrics_hold_s = p->metrics_hold_s,
	};
	struct report_filter filter = {
		.vcpu = p->vcpu,
		.threshold_ns = p->threshold_ns,
	};
	char err[512];

	run->syms = symbols_new();
	run->names = thread_names_new();
	if (!run->syms || !run->names)
		return fail(1, "out of memory");
	opts.syms = run->syms;
	run->report = report_new(&opts, &filter, err, sizeof(err));
	if (!run->report)
		return fail(1, "%s", err);
	return 0;
}

/* The profile items the session skipped, for the summary. */
static unsigned int missing_items(const struct run *run, const char **out,
				  unsigned int max)
{
	unsigned int n = 0;

	if (!run->session)
		return 0;
	while (n < max && (out[n] = tracing_session_missing(run->session, n)))
		n++;
	return n;
}

/* The capture's counters so far. */
static void capture_facts(const struct run *run, struct run_info *ri)
{
	ri->strategy = run->strategy;
	ri->lost_events = capture_lost_events(run->capture);
	ri->pages = capture_pages(run->capture);
	ri->decode_errors = capture_decode_errors(run->capture);
	ri->damaged_pages = capture_damaged_pages(run->capture);
	ri->unmatched_exits = capture_builder_stats(run->capture)->unmatched;
}

void progress_report(struct run *run)
{
	struct run_info ri = { 0 };

	capture_facts(run, &ri);
	report_progress(run->report, &ri);
}

int finish_report(struct run *run)
{
	const char *missing[128];
	struct run_info ri = {
		.missing = missing,
	};
	char err[512];

	capture_finish(run->capture);
	capture_facts(run, &ri);
	ri.load = load_watch_finish(run->watch, run->capture);
	if (ri.load && run_load_lost(ri.load) > ri.lost_events)
		ri.lost_events = run_load_lost(ri.load);
	ri.nr_missing = missing_items(run, missing, 128);
	if (report_finish(run->report, &ri, err, sizeof(err)))
		return fail(1, "%s", err);
	return 0;
}

void run_free(struct run *run)
{
	record_dat_cleanup(run);
	capture_close(run->capture);
	load_watch_free(run->watch);
	report_free(run->report);
	symbols_free(run->syms);
	thread_names_free(run->names);
	profile_free(run->prof);
}
