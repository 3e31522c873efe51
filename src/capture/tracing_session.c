// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tracing_session.c - tracefs plumbing of one capture.
 *
 * Three strategies:
 *   global	 the top-level instance: function_graph with set_graph_function
 *		 = the profile's roots. Everything it changes is saved first to
 *		 <state dir>/global.state, under <state dir>/global.lock, and
 *		 restored at the end (or by the next run if this one is killed).
 *   instance	 a private instance kvmmmu-graph-<pid>: function_graph with
 *		 set_ftrace_filter = the profile's allow expressions (instances
 *		 have no set_graph_function).
 *   events-only a private instance with the profile's events and no tracer.
 *
 * All strategies filter on the VM's threads (set_ftrace_pid, set_event_pid
 * with function-fork/event-fork) and use the mono trace clock.
 *
 * The top level's saving and restoring is in top_level_state.c, the
 * cleanup after killed runs in stale_cleanup.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <tracefs.h>

#include "instance_in_use.h"
#include "msg.h"
#include "profile.h"
#include "ring_stats.h"
#include "stale_cleanup.h"
#include "top_level_state.h"
#include "tracefs_files.h"
#include "tracefs_values.h"
#include "trace_clock.h"
#include "tracing_session.h"

#define MAX_MISSING	128

struct tracing_session {
	enum capture_strategy strategy;
	struct tracefs_instance *inst;	/* NULL: top level */
	struct saved_state *saved;	/* global: what to restore */
	bool locked;			/* we own the lock file */
	bool state_written;		/* we wrote the state file */
	const char *clock;		/* trace_clock we set */
	char *missing[MAX_MISSING];
	unsigned int nr_missing;
};

/* ---- strategy names ---- */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const strategy_names[] = {
	[STRATEGY_AUTO] = "auto",
	[STRATEGY_GLOBAL] = "global",
	[STRATEGY_INSTANCE] = "instance",
	[STRATEGY_EVENTS_ONLY] = "events-only",
};

const char *capture_strategy_name(enum capture_strategy s)
{
	if ((unsigned int)s >= ARRAY_SIZE(strategy_names))
		return "?";
	return strategy_names[s];
}

int capture_strategy_parse(const char *name, enum capture_strategy *out)
{
	unsigned int i;

	for (i = 0; name && i < ARRAY_SIZE(strategy_names); i++) {
		if (!strcmp(name, strategy_names[i])) {
			*out = (enum capture_strategy)i;
			return 0;
		}
	}
	return -EINVAL;
}

/* ---- missing profile items ---- */

/* Remember a skipped profile item; @err other than "no such" is shown. */
static void add_missing(struct tracing_session *s, const char *what,
			const char *name, int err)
{
	char buf[300];
	size_t n;

	if (s->nr_missing >= MAX_MISSING)
		return;
	snprintf(buf, sizeof(buf), "%s %s", what, name);
	n = strlen(buf);
	while (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (err && err != -EINVAL && err != -ENOENT && err != -ENODEV)
		snprintf(buf + n, sizeof(buf) - n, " (%s)", strerror(-err));
	s->missing[s->nr_missing] = strdup(buf);
	if (s->missing[s->nr_missing])
		s->nr_missing++;
}

static void missing_root(void *ctx, const char *name, int err)
{
	add_missing(ctx, "root", name, err);
}

static void missing_allow(void *ctx, const char *name, int err)
{
	add_missing(ctx, "allow", name, err);
}

unsigned int tracing_session_nr_missing(const struct tracing_session *s)
{
	return s->nr_missing;
}

const char *tracing_session_missing(const struct tracing_session *s,
				    unsigned int i)
{
	return i < s->nr_missing ? s->missing[i] : NULL;
}

/* ---- configuration steps ---- */

static bool uses_tracer(enum capture_strategy s)
{
	return s == STRATEGY_GLOBAL || s == STRATEGY_INSTANCE;
}

static int set_clock(struct tracing_session *s, char *err, size_t errlen)
{
	char why[256];
	int ret;

	s->clock = trace_clock_pick(s->inst, why, sizeof(why));
	if (!s->clock) {
		msg_set(err, errlen, "%s", why);
		return -EOPNOTSUPP;
	}
	ret = tracing_write_file(s->inst, "trace_clock", s->clock);
	if (ret)
		msg_set(err, errlen, "cannot set trace_clock to %s: %s",
			s->clock, strerror(-ret));
	return ret;
}

static int set_buffer(struct tracefs_instance *inst, unsigned int kb,
		      char *err, size_t errlen)
{
	char text[32];
	int ret;

	snprintf(text, sizeof(text), "%u", kb ? kb : TRACING_DEFAULT_BUFFER_KB);
	ret = tracing_write_file(inst, "buffer_size_kb", text);
	if (ret)
		msg_set(err, errlen, "cannot set buffer_size_kb to %s: %s",
			text, strerror(-ret));
	return ret;
}

/* An instance's buffer size, without shrinking the top level's. */
static int set_instance_buffer(struct tracefs_instance *inst, unsigned int kb,
			       char *err, size_t errlen)
{
	char *top = NULL;
	int ret;

	tracing_read_file(NULL, "buffer_size_kb", &top);
	ret = set_buffer(inst, kb, err, errlen);
	top_level_repair_buffer(top);
	free(top);
	return ret;
}

static char *pid_list(const struct session_config *cfg)
{
	char *out = malloc((size_t)cfg->nr_tids * 12 + 1), *o = out;
	int i;

	if (!out)
		return NULL;
	*o = '\0';
	for (i = 0; i < cfg->nr_tids; i++)
		o += sprintf(o, "%d\n", cfg->tids[i]);
	return out;
}

/* set_event_pid (and set_ftrace_pid with a tracer); no tids: no filter. */
static int set_pids(const struct session_config *cfg,
		    struct tracefs_instance *inst, char *err, size_t errlen)
{
	char *pids = pid_list(cfg);
	int ret;

	if (!pids)
		return -ENOMEM;
	ret = tracing_write_pids(inst, "set_event_pid", pids, cfg->nr_tids,
				 err, errlen);
	if (!ret && uses_tracer(cfg->strategy))
		ret = tracing_write_pids(inst, "set_ftrace_pid", pids,
					 cfg->nr_tids, err, errlen);
	free(pids);
	return ret;
}

static int set_fork_options(const struct session_config *cfg,
			    struct tracefs_instance *inst,
			    char *err, size_t errlen)
{
	bool need = cfg->nr_tids > 0;
	int ret;

	ret = tracing_set_option(inst, "event-fork", need, need, err, errlen);
	if (!ret && uses_tracer(cfg->strategy))
		ret = tracing_set_option(inst, "function-fork", need, need,
					 err, errlen);
	return ret;
}

typedef const char *(*profile_item_fn)(const struct profile *prof,
				       unsigned int i);

/* The @n items of a profile list, one a line, for a tracefs list file. */
static char *join_lines(const struct profile *prof, unsigned int n,
			profile_item_fn item)
{
	unsigned int i;
	size_t len = 1;
	char *out;

	for (i = 0; i < n; i++)
		len += strlen(item(prof, i)) + 1;
	out = calloc(1, len);
	for (i = 0; out && i < n; i++)
		strcat(strcat(out, item(prof, i)), "\n");
	return out;
}

static char *join_roots(const struct profile *prof)
{
	return join_lines(prof, profile_nr_roots(prof), profile_root);
}

static char *join_allow(const struct profile *prof)
{
	return join_lines(prof, profile_nr_allow(prof), profile_allow);
}

/* Global: set_graph_function = the roots this kernel has. */
static int set_graph_roots(struct tracing_session *s, const struct profile *prof,
			   char *err, size_t errlen)
{
	char *roots = join_roots(prof);
	int ret;

	if (!roots)
		return -ENOMEM;
	ret = tracing_write_list(NULL, "set_graph_function", roots,
				 missing_root, s);
	free(roots);
	if (ret < 0) {
		msg_set(err, errlen, "cannot write set_graph_function: %s",
			strerror(-ret));
		return ret;
	}
	if (!ret) {
		msg_set(err, errlen, "none of the profile's roots can be traced "
			"(%s)", s->nr_missing ? s->missing[s->nr_missing - 1] :
			"no root in the profile");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* Does set_ftrace_filter select real functions (not only cached :mod:)? */
static bool filter_selects_functions(struct tracefs_instance *inst)
{
	char *text, *e, *p;
	bool ret = false;

	if (tracing_read_file(inst, "set_ftrace_filter", &text))
		return false;
	e = tracing_list_entries(text, false);
	free(text);
	for (p = e; p && *p && !ret; p = strchr(p, '\n') + 1)
		ret = strncmp(p, ":mod:", 5) != 0;
	free(e);
	return ret;
}

/* Instance: set_ftrace_filter = the allow expressions that match. */
static int set_filter_allow(struct tracing_session *s, const struct profile *prof,
			    char *err, size_t errlen)
{
	char *allow = join_allow(prof);
	int ret;

	if (!allow)
		return -ENOMEM;
	ret = tracing_write_list(s->inst, "set_ftrace_filter", allow,
				 missing_allow, s);
	free(allow);
	if (ret < 0) {
		msg_set(err, errlen, "cannot write set_ftrace_filter: %s",
			strerror(-ret));
		return ret;
	}
	if (!filter_selects_functions(s->inst)) {
		msg_set(err, errlen, "no function matches the profile's allow "
			"expressions (set_ftrace_filter stays empty)");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* Global with --force: someone's set_ftrace_filter would prune our graph. */
static int clear_ftrace_filter(struct tracing_session *s, char *err,
			       size_t errlen)
{
	const char *v = saved_state_get(s->saved, "set_ftrace_filter");
	int ret;

	if (!v || !*v)
		return 0;
	ret = tracing_write_file(NULL, "set_ftrace_filter", "");
	if (ret)
		msg_set(err, errlen, "cannot clear set_ftrace_filter: %s",
			strerror(-ret));
	return ret;
}

/*
 * funcgraph-* options belong to the tracer and are shared by all instances
 * (seen on 6.12). In our instance, turn funcgraph-irqs off only if that
 * leaves the top level's alone; otherwise put it back and note it (the
 * instance's set_ftrace_filter keeps irq handlers out of the graph anyway).
 */
static int graph_irqs_off(struct tracing_session *s, char *err, size_t errlen)
{
	char *top = NULL, *now = NULL;
	int ret;

	if (!s->inst ||
	    tracing_read_value(NULL, "options/funcgraph-irqs", &top))
		return tracing_set_option(s->inst, "funcgraph-irqs", false,
					  false, err, errlen);
	ret = tracing_set_option(s->inst, "funcgraph-irqs", false, false,
				 err, errlen);
	if (!ret && !tracing_read_value(NULL, "options/funcgraph-irqs", &now) &&
	    strcmp(top, now)) {
		ret = tracing_set_option(s->inst, "funcgraph-irqs", true,
					 false, err, errlen);
		add_missing(s, "option", "funcgraph-irqs (shared with the top "
			    "level: left on)", 0);
	}
	free(top);
	free(now);
	return ret;
}

static int set_tracer(struct tracing_session *s, char *err, size_t errlen)
{
	int ret;

	ret = tracing_write_file(s->inst, "current_tracer", "function_graph");
	if (ret) {
		msg_set(err, errlen, "cannot set current_tracer to "
			"function_graph: %s", strerror(-ret));
		return ret;
	}
	return graph_irqs_off(s, err, errlen);
}

static int set_function_graph(struct tracing_session *s,
			      const struct session_config *cfg,
			      char *err, size_t errlen)
{
	int ret;

	if (s->strategy == STRATEGY_GLOBAL) {
		ret = clear_ftrace_filter(s, err, errlen);
		if (!ret)
			ret = set_graph_roots(s, cfg->prof, err, errlen);
	} else {
		ret = set_filter_allow(s, cfg->prof, err, errlen);
	}
	if (!ret)
		ret = set_tracer(s, err, errlen);
	return ret;
}

static int split_event(const char *spec, char *sys, size_t len,
		       const char **event)
{
	const char *slash = strchr(spec, '/');
	size_t n = slash ? (size_t)(slash - spec) : strlen(spec);

	if (!n || n >= len)
		return -EINVAL;
	memcpy(sys, spec, n);
	sys[n] = '\0';
	*event = slash && slash[1] ? slash + 1 : NULL;
	return 0;
}

static bool event_exists(struct tracefs_instance *inst, const char *sys,
			 const char *event)
{
	char file[512];

	if (event)
		snprintf(file, sizeof(file), "events/%s/%s/enable", sys, event);
	else
		snprintf(file, sizeof(file), "events/%s/enable", sys);
	return tracefs_file_exists(inst, file);
}

/* Enable one "sys/event" or "sys"; 1 enabled, 0 missing, -errno. */
static int enable_event(struct tracing_session *s, const char *spec,
			char *err, size_t errlen)
{
	const char *event;
	char sys[256];

	if (split_event(spec, sys, sizeof(sys), &event)) {
		msg_set(err, errlen, "bad event name '%s' in profile", spec);
		return -EINVAL;
	}
	if (!event_exists(s->inst, sys, event)) {
		add_missing(s, "event", spec, 0);
		return 0;
	}
	errno = 0;
	if (tracefs_event_enable(s->inst, sys, event)) {
		msg_set(err, errlen, "cannot enable event %s: %s", spec,
			strerror(errno ? errno : EIO));
		return errno ? -errno : -EIO;
	}
	return 1;
}

static int enable_events(struct tracing_session *s, const struct profile *prof,
			 char *err, size_t errlen)
{
	unsigned int i;
	int ret, nr = 0;

	if (s->strategy == STRATEGY_GLOBAL) {
		ret = tracing_write_file(NULL, "set_event", "");
		if (ret) {
			msg_set(err, errlen, "cannot clear set_event: %s",
				strerror(-ret));
			return ret;
		}
	}
	for (i = 0; i < profile_nr_events(prof); i++) {
		ret = enable_event(s, profile_event(prof, i), err, errlen);
		if (ret < 0)
			return ret;
		nr += ret;
	}
	if (!nr && s->strategy == STRATEGY_EVENTS_ONLY) {
		msg_set(err, errlen, "none of the profile's events exists "
			"on this kernel");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* Everything but the save/lock: the same for all strategies. */
static int configure(struct tracing_session *s, const struct session_config *cfg,
		     char *err, size_t errlen)
{
	int ret;

	ret = tracing_write_file(s->inst, "tracing_on", "0");
	if (ret) {
		msg_set(err, errlen, "cannot write tracing_on: %s",
			strerror(-ret));
		return ret;
	}
	ret = set_clock(s, err, errlen);
	if (!ret && s->inst)
		ret = set_instance_buffer(s->inst, cfg->buffer_kb, err, errlen);
	else if (!ret)
		ret = set_buffer(NULL, cfg->buffer_kb, err, errlen);
	if (!ret)
		ret = set_pids(cfg, s->inst, err, errlen);
	if (!ret)
		ret = set_fork_options(cfg, s->inst, err, errlen);
	if (!ret && uses_tracer(s->strategy))
		ret = set_function_graph(s, cfg, err, errlen);
	if (!ret)
		ret = enable_events(s, cfg->prof, err, errlen);
	return ret;
}

/* ---- global ---- */

static int check_clock(struct tracefs_instance *inst, char *err,
		       size_t errlen)
{
	char *clocks = NULL, why[256];

	if (trace_clock_pick(inst, why, sizeof(why)))
		return 0;
	tracing_read_file(inst, "trace_clock", &clocks);
	if (clocks)
		trim_end(clocks);
	msg_set(err, errlen, "%s (trace_clock: %s)", why,
		clocks ? clocks : "unreadable");
	free(clocks);
	return -EOPNOTSUPP;
}

static int check_global_caps(char *err, size_t errlen)
{
	char *tracers;
	bool ok;

	ok = tracing_tracer_available(NULL, "function_graph", &tracers);
	if (!ok) {
		msg_set(err, errlen, "global strategy needs the function_graph "
			"tracer, which this kernel lacks (available_tracers: "
			"%s); try --strategy events-only",
			tracers ? tracers : "unreadable");
		free(tracers);
		return -EOPNOTSUPP;
	}
	free(tracers);
	if (!tracefs_file_exists(NULL, "set_graph_function")) {
		msg_set(err, errlen, "global strategy needs set_graph_function, "
			"which this kernel lacks; try --strategy instance");
		return -EOPNOTSUPP;
	}
	return check_clock(NULL, err, errlen);
}

static int check_global_free(const struct session_config *cfg,
			     char *err, size_t errlen)
{
	char why[512] = "";
	int ret;

	/* --force cannot share it */
	if (top_level_locked_by_other(why, sizeof(why))) {
		msg_set(err, errlen, "%s; use --strategy instance", why);
		return -EBUSY;
	}
	ret = tracing_instance_in_use(NULL, why, sizeof(why));
	if (ret < 0) {
		msg_set(err, errlen, "cannot inspect the top level: %s",
			strerror(-ret));
		return ret;
	}
	if (!ret || cfg->force)
		return 0;
	msg_set(err, errlen, "the top-level tracing instance is in use (%s); "
		"use --force to take it over (it is restored at exit) or "
		"--strategy instance", why);
	return -EBUSY;
}

static int take_lock(struct tracing_session *s, char *err, size_t errlen)
{
	int ret;

	ret = top_level_lock(err, errlen);
	if (!ret)
		s->locked = true;
	return ret;
}

static int save_and_lock(struct tracing_session *s, char *err, size_t errlen)
{
	int ret;

	ret = take_lock(s, err, errlen);
	if (!ret)
		ret = top_level_save(&s->saved, err, errlen);
	if (!ret)
		ret = top_level_write_state(s->saved, err, errlen);
	if (ret)
		return ret;
	s->state_written = true;
	return 0;
}

/*
 * Order matters: a dead run's leftovers are undone first (they would look
 * like another user), the checks change nothing, and the state is on disk
 * before the first change.
 */
static int start_global(struct tracing_session *s,
			const struct session_config *cfg,
			char *err, size_t errlen)
{
	int ret;

	top_level_recover_dead_lock();
	ret = check_global_free(cfg, err, errlen);
	if (!ret)
		ret = check_global_caps(err, errlen);
	if (!ret)
		ret = save_and_lock(s, err, errlen);
	if (!ret)
		ret = configure(s, cfg, err, errlen);
	return ret;
}

/* ---- instances ---- */

static int create_instance(struct tracing_session *s, char *err, size_t errlen)
{
	char name[64];
	int ret = 0;

	snprintf(name, sizeof(name), TRACING_INSTANCE_PREFIX "%d",
		 (int)getpid());
	if (tracefs_instance_exists(name)) {
		/* left by a dead process whose pid we now have */
		s->inst = tracefs_instance_alloc(NULL, name);
		if (s->inst)
			tracing_destroy_instance(s->inst);
	}
	errno = 0;
	s->inst = tracefs_instance_create(name);
	if (!s->inst)
		ret = errno ? -errno : -ENOMEM;
	else if (!tracefs_instance_is_new(s->inst))
		ret = -EEXIST;
	if (ret) {
		msg_set(err, errlen, "cannot create tracing instance %s: %s",
			name, strerror(-ret));
		tracefs_instance_free(s->inst);
		s->inst = NULL;
	}
	return ret;
}

static bool has_tracer(struct tracefs_instance *inst, const char *tracer)
{
	char *list;
	bool ok = tracing_tracer_available(inst, tracer, &list);

	free(list);
	return ok;
}

static int check_instance_tracer(struct tracing_session *s,
				 char *err, size_t errlen)
{
	char *tracers;
	bool ok;

	ok = tracing_tracer_available(s->inst, "function_graph", &tracers);
	if (!ok)
		msg_set(err, errlen, "instance strategy needs function_graph in "
			"created instances, which this kernel lacks "
			"(available_tracers there: %s); try --strategy %s",
			tracers ? tracers : "unreadable",
			has_tracer(NULL, "function_graph") ?
			"global" : "events-only");
	free(tracers);
	return ok ? 0 : -EOPNOTSUPP;
}

static int start_instance(struct tracing_session *s,
			  const struct session_config *cfg,
			  char *err, size_t errlen)
{
	int ret;

	ret = check_clock(NULL, err, errlen);
	if (!ret)
		ret = create_instance(s, err, errlen);
	if (!ret && s->strategy == STRATEGY_INSTANCE)
		ret = check_instance_tracer(s, err, errlen);
	if (!ret)
		ret = configure(s, cfg, err, errlen);
	return ret;
}

/* ---- session ---- */

static int check_config(const struct session_config *cfg,
			char *err, size_t errlen)
{
	if (!cfg || !cfg->prof || cfg->nr_tids < 0 ||
	    (cfg->nr_tids && !cfg->tids)) {
		msg_set(err, errlen, "invalid session configuration");
		return -EINVAL;
	}
	if (cfg->strategy == STRATEGY_AUTO ||
	    !strcmp(capture_strategy_name(cfg->strategy), "?")) {
		msg_set(err, errlen, "strategy must be resolved before start "
			"(got %s)", capture_strategy_name(cfg->strategy));
		return -EINVAL;
	}
	if (!tracefs_tracing_dir()) {
		msg_set(err, errlen, "tracefs is not mounted");
		return -ENOENT;
	}
	return 0;
}

int tracing_session_start(const struct session_config *cfg,
			  struct tracing_session **out,
			  char *err, size_t errlen)
{
	struct tracing_session *s;
	int ret;

	msg_set(err, errlen, "%s", "");
	*out = NULL;
	ret = check_config(cfg, err, errlen);
	if (ret)
		return ret;
	s = calloc(1, sizeof(*s));
	if (!s) {
		msg_set(err, errlen, "out of memory");
		return -ENOMEM;
	}
	s->strategy = cfg->strategy;
	if (s->strategy == STRATEGY_GLOBAL)
		ret = start_global(s, cfg, err, errlen);
	else
		ret = start_instance(s, cfg, err, errlen);
	if (ret) {
		tracing_session_end(s);
		return ret;
	}
	*out = s;
	return 0;
}

int tracing_session_enable(struct tracing_session *s)
{
	int ret;

	ret = tracing_write_file(s->inst, "trace", "");
	if (!ret)
		ret = tracing_write_file(s->inst, "tracing_on", "1");
	return ret;
}

int tracing_session_disable(struct tracing_session *s)
{
	return tracing_write_file(s->inst, "tracing_on", "0");
}

const char *tracing_session_clock(const struct tracing_session *s)
{
	return s->clock;
}

uint64_t tracing_session_now_ns(struct tracing_session *s)
{
	struct ring_stats st;
	struct timespec ts;
	long cpu, nr = sysconf(_SC_NPROCESSORS_CONF);

	if (s->clock && !strcmp(s->clock, "mono")) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		return (uint64_t)ts.tv_sec * 1000000000ull +
		       (uint64_t)ts.tv_nsec;
	}
	/* any online CPU's stats: "now ts" is the clock, not the CPU's */
	for (cpu = 0; cpu < nr; cpu++)
		if (!ring_stats_read(s->inst, (int)cpu, &st) && st.now_ns)
			return st.now_ns;
	return 0;
}

struct tracefs_instance *tracing_session_instance(struct tracing_session *s)
{
	return s->inst;
}

enum capture_strategy tracing_session_strategy(const struct tracing_session *s)
{
	return s->strategy;
}

void tracing_session_end(struct tracing_session *s)
{
	if (!s)
		return;
	if (s->inst)
		tracing_destroy_instance(s->inst);
	if (s->saved)
		top_level_restore(s->saved);
	if (s->state_written)
		top_level_remove_state();
	if (s->locked)
		top_level_unlock();
	saved_state_free(s->saved);
	while (s->nr_missing)
		free(s->missing[--s->nr_missing]);
	free(s);
}
