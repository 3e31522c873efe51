// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_tracing_session.c - tracing_session and host_probe on the real
 * tracefs of this machine. Needs root and a mounted tracefs (otherwise the
 * tests SKIP); leaves the top level exactly as it found it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tracefs.h>

#define TEST_SUITE "tracing_session"
#include "testlib.h"

#include "check_report.h"
#include "host_probe.h"
#include "profile.h"
#include "trace_clock.h"
#include "tracing_session.h"

static struct profile *prof;
static char state_dir[] = "/tmp/kvmmmu-graph-test-state-XXXXXX";

static const char *const top_files[] = {
	"current_tracer", "set_event", "trace_clock", "buffer_size_kb",
	"tracing_on", "set_event_pid", "set_ftrace_pid", "trace_options",
	"tracing_cpumask", "buffer_percent", "set_ftrace_filter",
	"set_graph_function", "options/funcgraph-irqs",
	"options/function-fork", "options/event-fork",
};

#define NR_TOP_FILES (sizeof(top_files) / sizeof(top_files[0]))

struct snapshot {
	char *text[NR_TOP_FILES];
	char *instances;
};

static const char *skip_reason(void)
{
	if (geteuid())
		return "needs root";
	if (!tracefs_tracing_dir())
		return "tracefs is not mounted";
	return NULL;
}

#define NEED_TRACEFS()							\
	do {								\
		if (skip_reason())					\
			SKIP("%s", skip_reason());			\
		if (!prof)						\
			SKIP("no test profile");			\
	} while (0)

/* Contents of a file, or "<error: ...>" when unreadable. */
static char *file_text(struct tracefs_instance *inst, const char *file)
{
	char *text = NULL;
	int ret = tracing_read_file(inst, file, &text);

	if (ret && asprintf(&text, "<error: %s>", strerror(-ret)) < 0)
		text = NULL;
	return text;
}

static char *instance_list(void)
{
	char **names = tracefs_instances(NULL), *out = strdup("");
	int i;

	for (i = 0; out && names && names[i]; i++) {
		char *tmp = NULL;

		if (asprintf(&tmp, "%s%s\n", out, names[i]) < 0)
			tmp = NULL;
		free(out);
		out = tmp;
	}
	tracefs_list_free(names);
	return out;
}

static void snapshot_take(struct snapshot *s)
{
	unsigned int i;

	for (i = 0; i < NR_TOP_FILES; i++)
		s->text[i] = file_text(NULL, top_files[i]);
	s->instances = instance_list();
}

static void snapshot_free(struct snapshot *s)
{
	unsigned int i;

	for (i = 0; i < NR_TOP_FILES; i++)
		free(s->text[i]);
	free(s->instances);
}

/* "[local] global" -> "local"; "7 (expanded: 1408)" -> "1408" */
static void value_of(const char *text, char *out, size_t len)
{
	const char *b = strchr(text, '['), *e = strstr(text, "expanded: ");

	if (b)
		snprintf(out, len, "%.*s", (int)strcspn(b + 1, "]"), b + 1);
	else if (e)
		snprintf(out, len, "%.*s", (int)strcspn(e + 10, ")"), e + 10);
	else
		snprintf(out, len, "%.*s", (int)strcspn(text, "\n"), text);
}

#define SAME_INSTANCES	1	/* the list of instances too */
#define SAME_EFFECTIVE	2	/* buffer_size_kb: effective size, +-1% */

static bool same_file(unsigned int i, const char *a, const char *b, int flags)
{
	char va[64], vb[64];

	if (!a || !b)
		return false;
	if (!(flags & SAME_EFFECTIVE) || strcmp(top_files[i], "buffer_size_kb"))
		return !strcmp(a, b);
	/* kernels round to whole pages: 1408 -> 1410 once allocated */
	value_of(a, va, sizeof(va));
	value_of(b, vb, sizeof(vb));
	return labs(atol(va) - atol(vb)) <= atol(va) / 100 + 4;
}

/* Name of the first file that differs, NULL if none. */
static const char *snapshot_diff(const struct snapshot *a,
				 const struct snapshot *b, int flags)
{
	unsigned int i;

	for (i = 0; i < NR_TOP_FILES; i++)
		if (!same_file(i, a->text[i], b->text[i], flags))
			return top_files[i];
	if ((flags & SAME_INSTANCES) && (!a->instances || !b->instances ||
					 strcmp(a->instances, b->instances)))
		return "instances";
	return NULL;
}

/* The top level as in @before; @flags: SAME_*. */
#define CHECK_SAME(before, flags)					\
	do {								\
		struct snapshot tl_after;				\
		const char *tl_d;					\
									\
		snapshot_take(&tl_after);				\
		tl_d = snapshot_diff(before, &tl_after, flags);		\
		if (tl_d)						\
			tl_fail("%s:%d: top level changed: %s",		\
				__FILE__, __LINE__, tl_d);		\
		snapshot_free(&tl_after);				\
	} while (0)

#define CHECK_UNCHANGED(before) CHECK_SAME(before, SAME_INSTANCES)

static bool contains(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle);
}

static bool top_has_tracer(const char *tracer)
{
	char *t = file_text(NULL, "available_tracers");
	bool ok = contains(t, tracer);

	free(t);
	return ok;
}

static struct session_config config(enum capture_strategy s, const int *tids,
				    int nr)
{
	struct session_config cfg = {
		.strategy = s, .prof = prof, .buffer_kb = 256,
		.tids = tids, .nr_tids = nr,
	};

	return cfg;
}

static char *lock_path(void)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/global.lock", state_dir);
	return path;
}

static char *state_file_path(void)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/global.state", state_dir);
	return path;
}

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* A pid that is certainly dead: a reaped child. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();

	if (!pid)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

static struct profile *load_profile(const char *text)
{
	char err[256];

	return profile_parse(text, err, sizeof(err));
}

/* ---- tests ---- */

TEST(strategy_names)
{
	enum capture_strategy s = STRATEGY_AUTO;

	CHECK_STR(capture_strategy_name(STRATEGY_GLOBAL), "global");
	CHECK_STR(capture_strategy_name(STRATEGY_INSTANCE), "instance");
	CHECK_STR(capture_strategy_name(STRATEGY_EVENTS_ONLY), "events-only");
	CHECK_STR(capture_strategy_name(STRATEGY_AUTO), "auto");
	CHECK_EQ(capture_strategy_parse("events-only", &s), 0);
	CHECK_EQ(s, STRATEGY_EVENTS_ONLY);
	CHECK_EQ(capture_strategy_parse("global", &s), 0);
	CHECK_EQ(s, STRATEGY_GLOBAL);
	CHECK_EQ(capture_strategy_parse("bogus", &s), (unsigned long long)-EINVAL);
}

TEST(start_refuses_auto)
{
	struct session_config cfg = config(STRATEGY_AUTO, NULL, 0);
	struct tracing_session *s = NULL;
	char err[256];

	CHECK_EQ(tracing_session_start(&cfg, &s, err, sizeof(err)),
		 (unsigned long long)-EINVAL);
	CHECK(s == NULL);
}

/* "[clock]" as trace_clock shows the clock a session picks on this host */
static const char *picked_clock(void)
{
	static char text[32];
	char why[256];
	const char *clock = trace_clock_pick(NULL, why, sizeof(why));

	snprintf(text, sizeof(text), "[%s]", clock ? clock : "?");
	return text;
}

static void check_session_instance(struct tracing_session *s, int tid)
{
	struct tracefs_instance *inst = tracing_session_instance(s);
	char name[64], pid[16], *t;

	snprintf(name, sizeof(name), "kvmmmu-graph-%d", (int)getpid());
	CHECK(inst != NULL);
	CHECK(tracefs_instance_exists(name));
	CHECK_STR(tracefs_instance_get_name(inst), name);
	t = file_text(inst, "trace_clock");
	CHECK(contains(t, picked_clock()));
	snprintf(name, sizeof(name), "[%s]", tracing_session_clock(s));
	CHECK_STR(name, picked_clock());
	free(t);
	t = file_text(inst, "set_event_pid");
	snprintf(pid, sizeof(pid), "%d", tid);
	CHECK(contains(t, pid));
	free(t);
	t = file_text(inst, "events/kvm/kvm_page_fault/enable");
	CHECK(contains(t, "1"));
	free(t);
	t = file_text(inst, "tracing_on");
	CHECK(contains(t, "0"));
	free(t);
}

TEST(events_only_leaves_no_trace)
{
	int tid = getpid();
	struct session_config cfg = config(STRATEGY_EVENTS_ONLY, &tid, 1);
	struct tracing_session *s = NULL;
	struct snapshot before;
	char err[256], *t;
	int ret;

	NEED_TRACEFS();
	snapshot_take(&before);
	ret = tracing_session_start(&cfg, &s, err, sizeof(err));
	if (ret) {
		tl_fail("start: %.200s", err);
		snapshot_free(&before);
		return;
	}
	CHECK_EQ(tracing_session_strategy(s), STRATEGY_EVENTS_ONLY);
	check_session_instance(s, tid);
	/* the profile's kvm/no_such_event is skipped and remembered */
	CHECK_EQ(tracing_session_nr_missing(s), 1);
	CHECK_STR(tracing_session_missing(s, 0), "event kvm/no_such_event");
	CHECK_EQ(tracing_session_enable(s), 0);
	t = file_text(tracing_session_instance(s), "tracing_on");
	CHECK(contains(t, "1"));
	free(t);
	CHECK_EQ(tracing_session_disable(s), 0);
	CHECK_SAME(&before, SAME_EFFECTIVE);
	tracing_session_end(s);
	/*
	 * Effective size: before 6.7-ish, enabling an event in any instance
	 * expands the top-level buffer ("7 (expanded: 1408)" -> "1408").
	 */
	CHECK_SAME(&before, SAME_INSTANCES | SAME_EFFECTIVE);
	snapshot_free(&before);
}

TEST(global_refused_without_function_graph)
{
	struct session_config cfg = config(STRATEGY_GLOBAL, NULL, 0);
	struct tracing_session *s = NULL;
	struct snapshot before;
	char err[512];

	NEED_TRACEFS();
	if (top_has_tracer("function_graph"))
		SKIP("this kernel has function_graph at the top level");
	snapshot_take(&before);
	CHECK_EQ(tracing_session_start(&cfg, &s, err, sizeof(err)),
		 (unsigned long long)-EOPNOTSUPP);
	CHECK(s == NULL);
	CHECK(contains(err, "function_graph"));
	CHECK(access(lock_path(), F_OK) && access(state_file_path(), F_OK));
	CHECK_UNCHANGED(&before);
	snapshot_free(&before);
}

TEST(instance_refused_without_function_graph)
{
	struct session_config cfg = config(STRATEGY_INSTANCE, NULL, 0);
	struct tracing_session *s = NULL;
	struct snapshot before;
	struct host_caps caps;
	char err[512];

	NEED_TRACEFS();
	CHECK_EQ(host_probe(&caps, prof), 0);
	if (caps.fgraph_instance)
		SKIP("this kernel has function_graph in instances");
	snapshot_take(&before);
	CHECK_EQ(tracing_session_start(&cfg, &s, err, sizeof(err)),
		 (unsigned long long)-EOPNOTSUPP);
	CHECK(contains(err, "function_graph"));
	CHECK_SAME(&before, SAME_INSTANCES | SAME_EFFECTIVE);
	snapshot_free(&before);
}

/* Fork a child that starts a session of @strategy for itself, then waits. */
static pid_t start_child_session(enum capture_strategy strategy, int *ready)
{
	int fds[2];
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (!pid) {
		int tid = getpid();
		struct session_config cfg = config(strategy, &tid, 1);
		struct tracing_session *s;
		char err[256];

		close(fds[0]);
		if (!tracing_session_start(&cfg, &s, err, sizeof(err)) &&
		    !tracing_session_enable(s))
			(void)!write(fds[1], "r", 1);
		pause();
		_exit(0);
	}
	close(fds[1]);
	*ready = read(fds[0], &(char){ 0 }, 1) == 1;
	close(fds[0]);
	return pid;
}

TEST(killed_run_is_cleaned)
{
	struct snapshot before;
	char name[64], msg[512];
	int ready = 0, ret;
	pid_t pid;

	NEED_TRACEFS();
	snapshot_take(&before);
	pid = start_child_session(STRATEGY_EVENTS_ONLY, &ready);
	CHECK(pid > 0);
	if (pid <= 0) {
		snapshot_free(&before);
		return;
	}
	snprintf(name, sizeof(name), "kvmmmu-graph-%d", (int)pid);
	CHECK(ready);
	CHECK(tracefs_instance_exists(name));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	CHECK(tracefs_instance_exists(name));	/* left behind */
	ret = tracing_cleanup_stale(msg, sizeof(msg));
	CHECK(ret >= 1);
	CHECK(contains(msg, name));
	CHECK(!tracefs_instance_exists(name));
	CHECK_EQ(tracing_cleanup_stale(msg, sizeof(msg)), 0);
	CHECK(contains(msg, "nothing to clean"));
	CHECK_UNCHANGED(&before);
	snapshot_free(&before);
}

/*
 * A killed global run left its lock and state: cleanup restores the top
 * level from the state file. Simulated with tracing_on, which changes
 * without side effects; trace_clock and buffer_size_kb are recorded with
 * their current values, so they must be left alone (not rewritten).
 */
TEST(killed_global_run_is_restored)
{
	char text[512], msg[512], clock[32], size[32], on[8];
	struct snapshot before;
	int ret;

	NEED_TRACEFS();
	snapshot_take(&before);
	value_of(before.text[2], clock, sizeof(clock));
	value_of(before.text[3], size, sizeof(size));
	value_of(before.text[4], on, sizeof(on));
	snprintf(text, sizeof(text), "%d 0\n", (int)dead_pid());
	CHECK_EQ(write_text(lock_path(), text), 0);
	snprintf(text, sizeof(text), "# kvmmmu-graph top-level state v1\n"
		 "pid 1\nset_event_pid \ntrace_clock %s\nbuffer_size_kb %s\n"
		 "tracing_on %s\n",
		 clock, size, on);
	CHECK_EQ(write_text(state_file_path(), text), 0);
	tracefs_instance_file_write(NULL, "tracing_on",
				    strcmp(on, "1") ? "1" : "0");
	ret = tracing_cleanup_stale(msg, sizeof(msg));
	CHECK(ret >= 1);
	CHECK(contains(msg, "restored the top level"));
	CHECK(access(lock_path(), F_OK) && access(state_file_path(), F_OK));
	CHECK_UNCHANGED(&before);
	snapshot_free(&before);
}

/* A live kvmmmu-graph holds the top-level lock: global is refused. */
TEST(global_refused_while_locked)
{
	struct session_config cfg = config(STRATEGY_GLOBAL, NULL, 0);
	struct tracing_session *s = NULL;
	struct snapshot before;
	char text[64], err[512], msg[512], pidstr[16];
	pid_t pid;

	NEED_TRACEFS();
	snapshot_take(&before);
	pid = fork();
	if (!pid) {
		pause();
		_exit(0);
	}
	snprintf(text, sizeof(text), "%d 0\n", (int)pid);
	snprintf(pidstr, sizeof(pidstr), "pid %d", (int)pid);
	CHECK_EQ(write_text(lock_path(), text), 0);
	cfg.force = true;	/* even --force does not share the lock */
	CHECK_EQ(tracing_session_start(&cfg, &s, err, sizeof(err)),
		 (unsigned long long)-EBUSY);
	CHECK(contains(err, pidstr));
	CHECK(contains(err, "--strategy instance"));
	CHECK_EQ(tracing_cleanup_stale(msg, sizeof(msg)), 0);
	CHECK(access(lock_path(), F_OK) == 0);	/* not ours to remove */
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	CHECK(tracing_cleanup_stale(msg, sizeof(msg)) >= 1);
	CHECK(access(lock_path(), F_OK));
	CHECK_UNCHANGED(&before);
	snapshot_free(&before);
}

/* tracing_instance_in_use() on a scratch instance (the top level's buffer
 * would be expanded for good by a tracer or an event). */
TEST(in_use_detects_tracer_and_event)
{
	struct tracefs_instance *inst;
	char name[64], why[512];
	bool function;

	NEED_TRACEFS();
	snprintf(name, sizeof(name), "kvmmmu-graph-unit-%d", (int)getpid());
	inst = tracefs_instance_create(name);
	CHECK(inst != NULL);
	if (!inst)
		return;
	CHECK_EQ(tracing_instance_in_use(inst, why, sizeof(why)), 0);
	function = tracefs_tracer_set(inst, TRACEFS_TRACER_FUNCTION) == 0;
	CHECK_EQ(tracefs_event_enable(inst, "kvm", "kvm_entry"), 0);
	CHECK_EQ(tracing_instance_in_use(inst, why, sizeof(why)), 1);
	CHECK(!function || contains(why, "current_tracer=function"));
	CHECK(contains(why, "kvm:kvm_entry"));
	tracefs_tracer_clear(inst);
	tracefs_instance_destroy(inst);
	tracefs_instance_free(inst);
	CHECK(!tracefs_instance_exists(name));
}

/* Should the top-level buffer be unexpanded, a tracer or event would
 * expand it for good: then this test skips (see in_use_detects_...). */
TEST(global_refused_when_top_level_busy)
{
	struct session_config cfg = config(STRATEGY_GLOBAL, NULL, 0);
	struct tracing_session *s = NULL;
	struct snapshot before;
	char err[512], *size, *tracer;
	int ret;

	NEED_TRACEFS();
	size = file_text(NULL, "buffer_size_kb");
	if (contains(size, "expanded")) {
		free(size);
		SKIP("top-level buffer unexpanded (\"7 (expanded: N)\"); a "
		     "tracer or event would expand it for good");
	}
	free(size);
	snapshot_take(&before);
	tracer = top_has_tracer("function") ? "function" : "nop";
	ret = tracefs_tracer_set(NULL, TRACEFS_TRACER_CUSTOM, tracer);
	CHECK_EQ(ret, 0);
	CHECK_EQ(tracefs_event_enable(NULL, "kvm", "kvm_entry"), 0);
	CHECK_EQ(tracing_session_start(&cfg, &s, err, sizeof(err)),
		 (unsigned long long)-EBUSY);
	CHECK(contains(err, "kvm:kvm_entry"));
	CHECK(contains(err, "--force"));
	tracefs_event_disable(NULL, "kvm", "kvm_entry");
	tracefs_instance_file_write(NULL, "current_tracer", "nop");
	CHECK_UNCHANGED(&before);
	snapshot_free(&before);
}

/* The choice itself, on made-up hosts (runs anywhere). */
TEST(pick_strategy_logic)
{
	struct host_caps c = {
		.tracefs = true, .root = true, .clock = "mono",
		.fgraph_top = true, .graph_function_top = true,
		.fgraph_instance = true, .ftrace_filter_instance = true,
		.ftrace_pid_instance = true, .filter_functions = true,
		.ftrace_filter_top = true, .ev_page_fault = true,
	};
	char why[512];

	/* 6.12+: the instance, cheaper, whether the top level is free or not */
	CHECK_EQ(host_pick_strategy(&c, why, sizeof(why)), STRATEGY_INSTANCE);
	CHECK(contains(why, "cheaper"));
	c.top_busy = true;
	CHECK_EQ(host_pick_strategy(&c, why, sizeof(why)), STRATEGY_INSTANCE);
	CHECK(host_caps_usable(&c, STRATEGY_GLOBAL, why, sizeof(why)));
	CHECK(contains(why, "--force"));
	c.fgraph_instance = false;		/* 6.1, top level busy */
	CHECK_EQ(host_pick_strategy(&c, why, sizeof(why)),
		 STRATEGY_EVENTS_ONLY);
	c.top_busy = false;
	CHECK_EQ(host_pick_strategy(&c, why, sizeof(why)), STRATEGY_GLOBAL);
	c.fgraph_top = false;			/* this dev machine */
	CHECK_EQ(host_pick_strategy(&c, why, sizeof(why)),
		 STRATEGY_EVENTS_ONLY);
	c.ev_page_fault = false;
	CHECK_EQ(host_pick_strategy(&c, why, sizeof(why)), STRATEGY_AUTO);
	CHECK(contains(why, "kvm_page_fault"));
	c.ev_page_fault = true;
	c.clock = NULL;
	snprintf(c.clock_why, sizeof(c.clock_why), "no usable trace clock");
	CHECK_EQ(host_pick_strategy(&c, why, sizeof(why)), STRATEGY_AUTO);
	CHECK(contains(why, "trace clock"));
}

TEST(pick_events_only_here)
{
	struct host_caps caps;
	char why[512];
	enum capture_strategy s;

	NEED_TRACEFS();
	CHECK_EQ(host_probe(&caps, prof), 0);
	if (caps.fgraph_top || caps.fgraph_instance)
		SKIP("this kernel has function_graph");
	s = host_pick_strategy(&caps, why, sizeof(why));
	CHECK_EQ(s, STRATEGY_EVENTS_ONLY);
	CHECK(contains(why, "function_graph"));
	CHECK(!host_caps_usable(&caps, STRATEGY_GLOBAL, why, sizeof(why)));
	CHECK(contains(why, "function_graph"));
	CHECK(!host_caps_usable(&caps, STRATEGY_INSTANCE, why, sizeof(why)));
	CHECK(host_caps_usable(&caps, STRATEGY_EVENTS_ONLY, why, sizeof(why)));
}

TEST(check_report)
{
	struct snapshot before;
	struct host_caps caps;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	NEED_TRACEFS();
	snapshot_take(&before);
	CHECK_EQ(host_probe(&caps, prof), 0);
	f = open_memstream(&text, &len);
	check_report_print(f, &caps, prof);
	fclose(f);
	CHECK(contains(text, "function_graph (top level)"));
	if (!caps.fgraph_top)
		CHECK(contains(text, "function_graph missing"));
	CHECK(contains(text, "kvm:kvm_page_fault"));
	CHECK(contains(text, "chosen"));
	free(text);
	CHECK_UNCHANGED(&before);	/* the probe instance is gone too */
	snapshot_free(&before);
}

/* ---- function_graph kernels (the QEMU test bed); SKIP elsewhere ---- */

static bool file_has(struct tracefs_instance *inst, const char *file,
		     const char *needle)
{
	char *t = file_text(inst, file);
	bool ok = contains(t, needle);

	free(t);
	return ok;
}

/* Effective per-CPU buffer size (kernels round up to pages: 256 -> 258). */
static long buffer_kb(struct tracefs_instance *inst)
{
	char *t = file_text(inst, "buffer_size_kb"), v[32];
	long kb;

	value_of(t ? t : "0", v, sizeof(v));
	kb = atol(v);
	free(t);
	return kb;
}

#define NEED_GLOBAL()							\
	do {								\
		char tl_w[256];						\
									\
		NEED_TRACEFS();						\
		if (!top_has_tracer("function_graph"))			\
			SKIP("no function_graph at the top level");	\
		if (tracing_instance_in_use(NULL, tl_w, sizeof(tl_w)))	\
			SKIP("top level in use: %.200s", tl_w);		\
	} while (0)

static void check_global_setup(int tid)
{
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", tid);
	CHECK(file_has(NULL, "current_tracer", "function_graph"));
	CHECK(file_has(NULL, "set_graph_function", "kvm_mmu_page_fault"));
	CHECK(file_has(NULL, "trace_clock", picked_clock()));
	CHECK(file_has(NULL, "set_ftrace_pid", pid));
	CHECK(file_has(NULL, "set_event_pid", pid));
	CHECK(file_has(NULL, "options/function-fork", "1"));
	CHECK(file_has(NULL, "options/event-fork", "1"));
	CHECK(file_has(NULL, "set_event", "kvm:kvm_page_fault"));
	CHECK(buffer_kb(NULL) >= 256 && buffer_kb(NULL) < 300);
	CHECK(access(lock_path(), F_OK) == 0);
	CHECK(access(state_file_path(), F_OK) == 0);
}

TEST(global_session_restores_top_level)
{
	int tid = getpid();
	struct session_config cfg = config(STRATEGY_GLOBAL, &tid, 1);
	struct tracing_session *s = NULL;
	struct snapshot before;
	char err[512];

	NEED_GLOBAL();
	snapshot_take(&before);
	if (tracing_session_start(&cfg, &s, err, sizeof(err))) {
		tl_fail("start: %.200s", err);
		snapshot_free(&before);
		return;
	}
	CHECK(tracing_session_instance(s) == NULL);
	check_global_setup(tid);
	CHECK_EQ(tracing_session_enable(s), 0);
	CHECK(file_has(NULL, "tracing_on", "1"));
	CHECK_EQ(tracing_session_disable(s), 0);
	tracing_session_end(s);
	CHECK(access(lock_path(), F_OK) && access(state_file_path(), F_OK));
	CHECK_SAME(&before, SAME_INSTANCES | SAME_EFFECTIVE);
	snapshot_free(&before);
}

/* Someone else's tracer and event: --force takes them, end gives them back. */
TEST(global_force_restores_other_user)
{
	int tid = getpid();
	struct session_config cfg = config(STRATEGY_GLOBAL, &tid, 1);
	struct tracing_session *s = NULL;
	struct snapshot before, theirs;
	char err[512];

	NEED_GLOBAL();
	if (!top_has_tracer("function"))
		SKIP("no function tracer");
	snapshot_take(&before);
	tracefs_instance_file_write(NULL, "current_tracer", "function");
	tracefs_event_enable(NULL, "sched", "sched_switch");
	snapshot_take(&theirs);
	CHECK_EQ(tracing_session_start(&cfg, &s, err, sizeof(err)),
		 (unsigned long long)-EBUSY);
	CHECK(contains(err, "current_tracer=function"));
	CHECK(contains(err, "sched:sched_switch"));
	CHECK(contains(err, "--force"));
	cfg.force = true;
	CHECK_EQ(tracing_session_start(&cfg, &s, err, sizeof(err)), 0);
	if (s) {
		check_global_setup(tid);
		CHECK(!file_has(NULL, "set_event", "sched:sched_switch"));
		tracing_session_end(s);
	}
	CHECK_SAME(&theirs, SAME_INSTANCES);
	tracefs_event_disable(NULL, "sched", "sched_switch");
	tracefs_instance_file_write(NULL, "current_tracer", "nop");
	CHECK_SAME(&before, SAME_INSTANCES | SAME_EFFECTIVE);
	snapshot_free(&theirs);
	snapshot_free(&before);
}

/* Kill a global run; then @how: 0 cleanup_stale, 1 the next global start. */
static void killed_global(int how)
{
	int tid = getpid(), ready = 0;
	struct session_config cfg = config(STRATEGY_GLOBAL, &tid, 1);
	struct tracing_session *s = NULL;
	struct snapshot before;
	char msg[512];
	pid_t pid;

	snapshot_take(&before);
	pid = start_child_session(STRATEGY_GLOBAL, &ready);
	CHECK(ready);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	CHECK(file_has(NULL, "current_tracer", "function_graph"));
	if (!how) {
		CHECK(tracing_cleanup_stale(msg, sizeof(msg)) >= 1);
		CHECK(contains(msg, "restored the top level"));
	} else {
		CHECK_EQ(tracing_session_start(&cfg, &s, msg, sizeof(msg)), 0);
		tracing_session_end(s);
	}
	CHECK(access(lock_path(), F_OK) && access(state_file_path(), F_OK));
	CHECK_SAME(&before, SAME_INSTANCES | SAME_EFFECTIVE);
	snapshot_free(&before);
}

TEST(killed_global_session_is_cleaned)
{
	NEED_GLOBAL();
	killed_global(0);
}

TEST(killed_global_session_undone_by_next_start)
{
	NEED_GLOBAL();
	killed_global(1);
}

TEST(instance_session_leaves_no_trace)
{
	int tid = getpid();
	struct session_config cfg = config(STRATEGY_INSTANCE, &tid, 1);
	struct tracing_session *s = NULL;
	struct tracefs_instance *inst;
	struct snapshot before;
	struct host_caps caps;
	char err[512], pid[16];

	NEED_TRACEFS();
	CHECK_EQ(host_probe(&caps, prof), 0);
	if (!caps.fgraph_instance)
		SKIP("no function_graph in created instances");
	snapshot_take(&before);
	if (tracing_session_start(&cfg, &s, err, sizeof(err))) {
		tl_fail("start: %.200s", err);
		snapshot_free(&before);
		return;
	}
	inst = tracing_session_instance(s);
	snprintf(pid, sizeof(pid), "%d", tid);
	CHECK(file_has(inst, "current_tracer", "function_graph"));
	CHECK(file_has(inst, "set_ftrace_filter", "kvm_mmu_page_fault"));
	CHECK(file_has(inst, "set_ftrace_pid", pid));
	CHECK(file_has(inst, "trace_clock", picked_clock()));
	CHECK_EQ(tracing_session_enable(s), 0);
	CHECK_EQ(tracing_session_disable(s), 0);
	CHECK_SAME(&before, SAME_EFFECTIVE);
	tracing_session_end(s);
	CHECK_SAME(&before, SAME_INSTANCES | SAME_EFFECTIVE);
	snapshot_free(&before);
}

/* A step fails after the top level was changed: start undoes it all. */
TEST(failed_global_start_is_undone)
{
	struct profile *bad;
	int tid = getpid();
	struct session_config cfg = config(STRATEGY_GLOBAL, &tid, 1);
	struct tracing_session *s = NULL;
	struct snapshot before;
	char err[512];

	NEED_GLOBAL();	/* may return: load the profile after it */
	bad = load_profile("name bad\nroot no_such_fn_xyz\n"
			   "event kvm/kvm_page_fault\n");
	CHECK(bad != NULL);
	cfg.prof = bad;
	snapshot_take(&before);
	CHECK_EQ(tracing_session_start(&cfg, &s, err, sizeof(err)),
		 (unsigned long long)-EOPNOTSUPP);
	CHECK(s == NULL);
	CHECK(contains(err, "no_such_fn_xyz"));
	CHECK(access(lock_path(), F_OK) && access(state_file_path(), F_OK));
	CHECK_SAME(&before, SAME_INSTANCES | SAME_EFFECTIVE);
	snapshot_free(&before);
	profile_free(bad);
}

/* No allow expression matches: refused, nothing left (all functions
 * would be traced with an empty set_ftrace_filter). */
TEST(failed_instance_start_is_undone)
{
	struct profile *bad;
	int tid = getpid();
	struct session_config cfg = config(STRATEGY_INSTANCE, &tid, 1);
	struct tracing_session *s = NULL;
	struct snapshot before;
	struct host_caps caps;
	char err[512];

	NEED_TRACEFS();
	CHECK_EQ(host_probe(&caps, prof), 0);
	if (!caps.fgraph_instance)
		SKIP("no function_graph in created instances");
	bad = load_profile("name bad\nroot kvm_mmu_page_fault\n"
			   "allow no_such_fn_xyz\n"
			   "allow :mod:no_such_module_xyz\n");
	CHECK(bad != NULL);
	cfg.prof = bad;
	snapshot_take(&before);
	CHECK_EQ(tracing_session_start(&cfg, &s, err, sizeof(err)),
		 (unsigned long long)-EOPNOTSUPP);
	CHECK(contains(err, "allow"));
	CHECK_SAME(&before, SAME_INSTANCES | SAME_EFFECTIVE);
	snapshot_free(&before);
	profile_free(bad);
}

/* ---- setup ---- */

static struct profile *load_test_profile(void)
{
	return load_profile("name t\nroot kvm_mmu_page_fault\n"
			    "phase faultin kvm_faultin_pfn kvm_mmu_faultin_pfn\n"
			    "event kvm/kvm_page_fault\nevent kvm/kvm_entry\n"
			    "event kvmmmu\nevent kvm/no_such_event\n"
			    "allow :mod:kvm\n");
}

int main(void)
{
	int ret;

	prof = load_test_profile();
	if (!mkdtemp(state_dir) || tracing_set_state_dir(state_dir))
		return 1;
	RUN(strategy_names);
	RUN(start_refuses_auto);
	RUN(events_only_leaves_no_trace);
	RUN(global_refused_without_function_graph);
	RUN(instance_refused_without_function_graph);
	RUN(killed_run_is_cleaned);
	RUN(killed_global_run_is_restored);
	RUN(global_refused_while_locked);
	RUN(in_use_detects_tracer_and_event);
	RUN(global_session_restores_top_level);
	RUN(global_force_restores_other_user);
	RUN(killed_global_session_is_cleaned);
	RUN(killed_global_session_undone_by_next_start);
	RUN(instance_session_leaves_no_trace);
	RUN(failed_global_start_is_undone);
	RUN(failed_instance_start_is_undone);
	RUN(global_refused_when_top_level_busy);
	RUN(pick_strategy_logic);
	RUN(pick_events_only_here);
	RUN(check_report);
	ret = TESTS_DONE();
	rmdir(state_dir);
	profile_free(prof);
	return ret;
}
