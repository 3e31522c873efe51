// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_trace.c - "kvmmmu-graph --vm PID" and "-- COMMAND": live tracing,
 * from choosing the strategy to restoring tracefs on every exit path.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <tracefs/tracefs.h>

#include "capture.h"
#include "cli.h"
#include "host_probe.h"
#include "load_watch.h"
#include "memslot_probe.h"
#include "recording.h"
#include "report.h"
#include "thread_names.h"
#include "tracing_session.h"
#include "vm_target.h"

#define MAX_TIDS	4096
#define POLL_NS		100000000L	/* 100 ms between buffer reads */
#define BURST_PAGES	64		/* pages in one read that mean a burst */
#define HORIZON_SLACK_NS 20000000ull	/* events may commit this late */
/*
 * /proc and per-CPU stats are read at most this often: under the global
 * strategy every kernel function the reader calls passes the graph hook,
 * and on a busy host the reader's CPU time is the guest's.
 */
#define SIDE_READ_NS	500000000ull
/* Faults reach a live view (lines, metrics) at most this late. */
#define LIVE_DECODE_NS	1000000000ull

/* Signals received: the first stops recording, the next aborts the drain. */
static volatile sig_atomic_t nr_signals;

static void on_stop_signal(int sig)
{
	(void)sig;
	nr_signals++;
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static uint64_t now_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int pick_strategy(const struct params *p, const struct profile *prof,
			 enum capture_strategy *out)
{
	struct host_caps caps;
	char why[512];
	int r;

	r = host_probe(&caps, prof);
	if (r < 0)
		return fail(1, "cannot probe tracing on this host: %s",
			    strerror(-r));
	if (p->strategy != STRATEGY_AUTO) {
		if (!host_caps_usable(&caps, p->strategy, why, sizeof(why)))
			return fail(1, "strategy %s cannot run here: %s",
				    capture_strategy_name(p->strategy), why);
		*out = p->strategy;
		return 0;
	}
	*out = host_pick_strategy(&caps, why, sizeof(why));
	if (*out == STRATEGY_AUTO)
		return fail(1, "no capture strategy can run here: %s (see "
			    "'kvmmmu-graph check')", why);
	return 0;
}

static int prepare_target(const struct params *p, int *pid)
{
	char err[512];
	int r;

	if (p->mode == MODE_TRACE_CMD) {
		r = vm_target_spawn(p->cmd_argv, pid);
		return r ? fail(1, "cannot start %s: %s", p->cmd_argv[0],
				strerror(-r)) : 0;
	}
	*pid = p->pid;
	r = vm_target_check(p->pid, err, sizeof(err));
	return r ? fail(1, "%s", err) : 0;
}

static int start_session(struct run *run, enum capture_strategy strategy)
{
	static int tids[MAX_TIDS];
	struct session_config cfg = {
		.strategy = strategy,
		.prof = run->prof,
		.buffer_kb = run->p->buffer_kb,
		.force = run->p->force,
		.tids = tids,
	};
	char err[512];
	int r;

	r = vm_target_tids(run->pid, tids, MAX_TIDS);
	if (r <= 0)
		return fail(1, "cannot list threads of PID %d: %s", run->pid,
			    r ? strerror(-r) : "none");
	cfg.nr_tids = r;
	r = tracing_session_start(&cfg, &run->session, err, sizeof(err));
	if (r)
		return fail(1, "%s", err);
	run->strategy = capture_strategy_name(strategy);
	return 0;
}

/* Why the loop stopped. */
enum stop_reason { STOP_NONE, STOP_SIGNAL, STOP_DURATION, STOP_EXITED,
		   STOP_ERROR };

static const char *const stop_names[] = {
	[STOP_SIGNAL] = "a signal", [STOP_DURATION] = "-d",
	[STOP_EXITED] = "the VM's exit",
};

/*
 * Asked every few hundred records, even in the middle of a long read of
 * a backlog, so that a stop turns tracing off at once: what the kernel
 * records after that moment would only overwrite what is still unread.
 */
struct loop_state {
	struct run *run;
	uint64_t end;			/* -d: monotonic ns, 0 = none */
	uint64_t next_exit_check;
	enum stop_reason why;
};

static bool loop_should_stop(void *ctx)
{
	struct loop_state *ls = ctx;
	uint64_t now = now_mono_ns();

	if (nr_signals)
		ls->why = STOP_SIGNAL;
	else if (ls->end && now >= ls->end)
		ls->why = STOP_DURATION;
	else if (now >= ls->next_exit_check) {
		ls->next_exit_check = now + POLL_NS / 10;
		if (vm_target_exited(ls->run->pid, NULL))
			ls->why = STOP_EXITED;
	}
	return ls->why != STOP_NONE;
}

/*
 * Sleep between reads: the full poll interval when the last read was
 * light, a tenth of it when it was heavy, so bursts of faults are read
 * before the ring buffers overflow.
 */
static void poll_pause(uint64_t pages_read)
{
	struct timespec ts = { 0, pages_read > BURST_PAGES ? POLL_NS / 10 :
				  POLL_NS };

	nanosleep(&ts, NULL);
}

/* Does a view show faults while the trace runs (lines, metrics)? */
static bool live_output(const struct params *p)
{
	return !(p->summary_only || p->json) || p->metrics_addr ||
	       p->metrics_file;
}

/*
 * Decoding costs the CPU time a busy host would give the guest, reading
 * pages does not: while tracing, pages are only moved into the spool, and
 * decoded when it is half full, or every second for a live view. The
 * rest is decoded after the stop, like trace-cmd record's reading after
 * the run.
 */
static bool decode_due(struct run *run, uint64_t last_decode)
{
	return capture_spool_half_full(run->capture) ||
	       (live_output(run->p) &&
		now_mono_ns() - last_decode >= LIVE_DECODE_NS);
}

/*
 * Decode up to here: the trace clock read before the buffers are, less
 * the time an event may take to commit. Unknown (0): a full spool is
 * decoded whole rather than left to overflow the ring buffers.
 */
static uint64_t decode_horizon(struct run *run)
{
	uint64_t now = tracing_session_now_ns(run->session);

	if (now > HORIZON_SLACK_NS)
		return now - HORIZON_SLACK_NS;
	return capture_spool_half_full(run->capture) ? UINT64_MAX : 0;
}

static enum stop_reason trace_loop(struct run *run)
{
	struct loop_state ls = { .run = run };
	uint64_t pages = 0, next_side = 0, last_decode = now_mono_ns(), horizon;
	int64_t n;
	bool due;

	if (run->p->duration_s > 0)
		ls.end = now_mono_ns() + (uint64_t)(run->p->duration_s * 1e9);
	for (;;) {
		if (now_mono_ns() >= next_side) {
			thread_names_refresh(run->names, run->pid);
			load_watch_sample(run->watch);
			next_side = now_mono_ns() + SIDE_READ_NS;
		}
		due = decode_due(run, last_decode);
		horizon = due ? decode_horizon(run) : 0;
		n = capture_read_ahead(run->capture);
		if (n >= 0 && due) {
			n = capture_pump_until(run->capture, horizon,
					       loop_should_stop, &ls);
			last_decode = now_mono_ns();
		}
		if (n < 0) {
			fail(1, "reading the trace failed: %s", strerror(-n));
			return STOP_ERROR;
		}
		progress_report(run);
		ls.next_exit_check = 0;
		if (loop_should_stop(&ls))
			return ls.why;
		poll_pause(capture_pages(run->capture) - pages);
		pages = capture_pages(run->capture);
	}
}

static bool drain_should_stop(void *ctx)
{
	(void)ctx;
	return nr_signals >= 2;
}

/*
 * Tracing is off: read everything the kernel recorded up to the stop.
 * A second signal aborts (the first one only stops recording, also when
 * it comes after -d or the VM's exit did), and what is left unread is
 * measured for the summary.
 */
static int drain(struct run *run)
{
	int64_t n = capture_pump_until(run->capture, UINT64_MAX,
				       drain_should_stop, NULL);

	if (n < 0)
		return fail(1, "reading the trace failed");
	load_watch_drained(run->watch, (uint64_t)n);
	if (capture_interrupted(run->capture)) {
		load_watch_unread(run->watch, run->capture);
		fprintf(stderr, "kvmmmu-graph: final read aborted; the "
			"summary says what was left unread\n");
	}
	return 0;
}

/* ---- memslot and HVA (a kprobe event; never fails the run) ---- */

static void memslot_unavailable(const char *why)
{
	fprintf(stderr, "kvmmmu-graph: memslot/HVA unavailable: %s\n", why);
}

/* Faults without a fault-in (fast path) get a slot only from the map. */
static void memslot_learn_note(struct run *run)
{
	const char *why = memslot_probe_learn_why(run->memslot);

	if (*why)
		fprintf(stderr, "kvmmmu-graph: memslot/HVA of fast-path faults "
			"only from slots that fault in during the run: %s\n",
			why);
}

/* Before the event formats are loaded, so that the decoder sees it. */
static void create_memslot_probe(struct run *run)
{
	char why[1024];

	if (run->p->no_memslot)
		return;
	if (memslot_probe_create(run->prof, &run->memslot, why, sizeof(why)))
		memslot_unavailable(why);
}

/* After the session's own events: global clears set_event first. */
static void enable_memslot_probe(struct run *run)
{
	char why[256];
	int r;

	if (!run->memslot)
		return;
	r = memslot_probe_enable(run->memslot,
				 tracing_session_instance(run->session));
	if (!r) {
		memslot_learn_note(run);
		return;
	}
	snprintf(why, sizeof(why), "cannot enable %s/%s: %s",
		 MEMSLOT_EVENT_SYSTEM, MEMSLOT_EVENT_NAME, strerror(-r));
	memslot_unavailable(why);
	memslot_probe_remove(run->memslot);
	run->memslot = NULL;
}

static int live_capture(struct run *run, enum capture_strategy strategy)
{
	bool events_only = strategy == STRATEGY_EVENTS_ONLY;
	enum stop_reason why;
	char err[512];
	int r;

	if (run->record_dir &&
	    recording_begin(run->record_dir, tracefs_tracing_dir(),
			    vendor_of_host(NULL, 0), err, sizeof(err)))
		return fail(1, "%s", err);
	if (run->record_dir)
		recording_write_note(run->record_dir, "strategy",
				     run->strategy);
	if (open_capture(run, NULL, tracing_session_instance(run->session),
			 vendor_of_host(NULL, 0), events_only))
		return 1;
	if (events_only)
		report_set_note(run->report, "events-only strategy: no "
				"function_graph here, DELAY = kvm_page_fault "
				"to next kvm_entry, no call trees");
	r = tracing_session_enable(run->session);
	if (r)
		return fail(1, "cannot turn tracing on: %s", strerror(-r));
	run->watch = load_watch_begin(tracing_session_instance(run->session),
				      capture_nr_cpus(run->capture),
				      run->p->buffer_kb ? run->p->buffer_kb :
				      TRACING_DEFAULT_BUFFER_KB);
	fprintf(stderr, "kvmmmu-graph: tracing PID %d with the %s strategy%s\n",
		run->pid, run->strategy, run->p->duration_s > 0 ? "" :
		run->p->mode == MODE_TRACE_CMD ? " until it exits" :
		"; Ctrl-C to stop");
	if (run->p->mode == MODE_TRACE_CMD) {
		r = vm_target_release();
		if (r)
			return fail(1, "cannot run %s: %s", run->p->cmd_argv[0],
				    strerror(-r));
	}
	why = trace_loop(run);
	tracing_session_disable(run->session);
	if (why == STOP_ERROR)
		return 1;
	load_watch_stop(run->watch, stop_names[why]);
	/* threads that came and went between two polls */
	thread_names_load_saved(run->names, tracefs_tracing_dir());
	if (drain(run))
		return 1;
	if (run->record_dir &&
	    recording_finish(run->record_dir, tracefs_tracing_dir(),
			     run->syms, err, sizeof(err)))
		return fail(1, "%s", err);
	if (record_dat_finish(run))
		return 1;
	r = finish_report(run);
	if (!r && why == STOP_EXITED && run->p->mode == MODE_TRACE_PID)
		r = fail(EXIT_VM_GONE, "VM process %d exited during the trace",
			 run->pid);
	return r;
}

int cmd_trace(const struct params *p)
{
	struct run run = { .p = p };
	enum capture_strategy strategy;
	char msg[1024];
	int ret;

	if (geteuid())
		return fail(1, "tracing needs root (tracefs and the VM's "
			    "/proc entries); try sudo");
	install_signals();
	run.prof = load_profile(p->profile);
	if (!run.prof)
		return 1;
	if (tracing_cleanup_stale(msg, sizeof(msg)) > 0)
		fprintf(stderr, "kvmmmu-graph: cleaned up after an earlier "
			"run: %s\n", msg);
	/* a wrong PID is the likelier mistake: say so before probing */
	ret = p->mode == MODE_TRACE_PID ? prepare_target(p, &run.pid) : 0;
	if (!ret)
		ret = pick_strategy(p, run.prof, &strategy);
	if (!ret && p->mode == MODE_TRACE_CMD)
		ret = prepare_target(p, &run.pid);
	if (!ret)
		ret = open_report(&run);
	if (!ret)
		ret = record_dat_begin(&run);
	if (!ret)
		create_memslot_probe(&run);
	if (!ret)
		ret = start_session(&run, strategy);
	if (!ret)
		enable_memslot_probe(&run);
	if (!ret)
		ret = live_capture(&run, strategy);
	/* open per-CPU buffer files would keep the instance busy */
	capture_close(run.capture);
	run.capture = NULL;
	tracing_session_end(run.session);
	memslot_probe_remove(run.memslot);	/* after its instance is gone */
	if (p->mode == MODE_TRACE_CMD && ret && run.pid > 0)
		kill(run.pid, SIGKILL);
	run_free(&run);
	return ret;
}
