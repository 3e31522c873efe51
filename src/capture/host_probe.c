// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * host_probe.c - what this host offers for tracing KVM faults, and which
 * capture strategy fits. Nothing here prints: `kvmmmu-graph check` shows
 * the result (src/cli/check_report.c).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libkmod.h>
#include <tracefs.h>

#include "msg.h"
#include "host_probe.h"
#include "stale_cleanup.h"
#include "trace_clock.h"
#include "vendor.h"

static void trim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

/* First line of a small file, trimmed, into @buf; false if unreadable. */
static bool read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (ok)
		trim(buf);
	return ok;
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* ---- tracefs ---- */

/* Is a tracefs mounted? (tracefs_tracing_dir_is_mounted() leaks) */
static bool tracefs_in_mounts(void)
{
	char type[64];
	bool found = false;
	FILE *f = fopen("/proc/mounts", "re");

	while (f && !found && fscanf(f, "%*s %*s %63s %*[^\n]", type) == 1)
		found = !strcmp(type, "tracefs");
	if (f)
		fclose(f);
	return found;
}

/* tracefs_tracing_dir() mounts tracefs (or debugfs) when it can. */
static void probe_tracefs(struct host_caps *c)
{
	bool mounted = tracefs_in_mounts();
	const char *path = NULL;

	if (mounted || c->root) {
		path = tracefs_tracing_dir();
		c->tracefs_mounted_now = path && !mounted;
	}
	if (!path)
		msg_set(c->tracefs_why, sizeof(c->tracefs_why), "%s",
			!c->root ? "not mounted (mounting it needs root)" :
			"not mounted, and mounting it failed");
	c->tracefs = path != NULL;
	if (c->tracefs)
		snprintf(c->tracefs_path, sizeof(c->tracefs_path), "%s", path);
}

static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (!p[n] || p[n] == ' ' ||
						    p[n] == '\n'))
			return true;
	return false;
}

static bool file_readable(struct tracefs_instance *inst, const char *file,
			  char *why, size_t whylen)
{
	char *text;
	int ret;

	ret = tracing_read_file(inst, file, &text);
	if (ret) {
		msg_set(why, whylen, "%s", strerror(-ret));
		return false;
	}
	free(text);
	return true;
}

static void probe_tracers(struct host_caps *c)
{
	char *text, why[128];
	int ret;

	ret = tracing_read_file(NULL, "available_tracers", &text);
	if (ret) {
		msg_set(c->tracers_why, sizeof(c->tracers_why),
			"cannot read available_tracers: %s", strerror(-ret));
		return;
	}
	c->tracers_readable = true;
	trim(text);
	snprintf(c->tracers, sizeof(c->tracers), "%s", text);
	free(text);
	c->fgraph_top = has_word(c->tracers, "function_graph");
	c->graph_function_top = tracefs_file_exists(NULL, "set_graph_function");
	c->ftrace_filter_top = file_readable(NULL, "set_ftrace_filter",
					     why, sizeof(why));
	if (!c->ftrace_filter_top)
		msg_set(c->ftrace_filter_why, sizeof(c->ftrace_filter_why),
			"top level: %s", why);
	c->event_pid = tracefs_file_exists(NULL, "set_event_pid");
	c->clock = trace_clock_pick(NULL, c->clock_why, sizeof(c->clock_why));
}

static void probe_instance_files(struct host_caps *c,
				 struct tracefs_instance *inst)
{
	char *text, why[128];
	size_t n;

	if (!tracing_read_file(inst, "available_tracers", &text)) {
		trim(text);
		c->fgraph_instance = has_word(text, "function_graph");
		msg_set(c->fgraph_instance_why, sizeof(c->fgraph_instance_why),
			"available_tracers there: %s", text);
		free(text);
	}
	c->graph_function_instance = tracefs_file_exists(inst,
							 "set_graph_function");
	c->ftrace_filter_instance = file_readable(inst, "set_ftrace_filter",
						  why, sizeof(why));
	n = strlen(c->ftrace_filter_why);
	if (!c->ftrace_filter_instance)
		snprintf(c->ftrace_filter_why + n, sizeof(c->ftrace_filter_why) - n,
			 "%sinstance: %s", n ? "; " : "", why);
	c->ftrace_pid_instance = file_readable(inst, "set_ftrace_pid",
					       c->ftrace_pid_why,
					       sizeof(c->ftrace_pid_why));
}

/* Create a temporary instance to see what instances offer. */
static void probe_instance(struct host_caps *c)
{
	struct tracefs_instance *inst;
	char name[64];

	if (!c->root) {
		msg_set(c->fgraph_instance_why, sizeof(c->fgraph_instance_why),
			"not checked (creating an instance needs root)");
		return;
	}
	snprintf(name, sizeof(name), TRACING_PROBE_INSTANCE_PREFIX "%d",
		 (int)getpid());
	inst = tracefs_instance_create(name);
	if (!inst) {
		msg_set(c->fgraph_instance_why, sizeof(c->fgraph_instance_why),
			"cannot create an instance: %s", strerror(errno));
		return;
	}
	probe_instance_files(c, inst);
	if (tracefs_instance_is_new(inst))
		tracefs_instance_destroy(inst);
	tracefs_instance_free(inst);
}

/* ---- functions ---- */

/* Does "name [module]" match a set_ftrace_filter expression? */
static bool allow_matches(const char *expr, const char *name, const char *mod)
{
	const char *m = strstr(expr, ":mod:");
	char glob[256];
	size_t n = m ? (size_t)(m - expr) : strlen(expr);

	if (n >= sizeof(glob))
		return false;
	memcpy(glob, expr, n);
	glob[n] = '\0';
	if (m && strcmp(m + 5, mod))
		return false;
	return !n || !fnmatch(glob, name, 0);
}

static void note_phase(struct host_caps *c, unsigned int phase,
		       const char *name)
{
	char *list;
	size_t len;

	if (phase >= c->nr_phases || phase >= PROFILE_MAX_PHASES)
		return;
	list = c->phase_funcs[phase];
	len = strlen(list);
	if (has_word(list, name))
		return;
	if (len + strlen(name) + 2 < sizeof(c->phase_funcs[phase]))
		snprintf(list + len, sizeof(c->phase_funcs[phase]) - len,
			 "%s%s", len ? " " : "", name);
}

/* One line of available_filter_functions: "name" or "name [module]". */
static void note_function(struct host_caps *c, const struct profile *prof,
			  char *line)
{
	char *mod = strchr(line, '['), *sp = strchr(line, ' ');
	unsigned int i;

	if (sp)
		*sp = '\0';
	if (mod)
		mod[strcspn(mod, "]")] = '\0', mod++;
	for (i = 0; i < c->nr_roots; i++)
		if (profile_func_matches(line, profile_root(prof, i)))
			c->root_traceable[i] = true;
	if (c->nr_phases)
		note_phase(c, profile_phase_of(prof, line), line);
	for (i = 0; i < c->nr_allow; i++)
		if (allow_matches(profile_allow(prof, i), line, mod ? mod : ""))
			c->allow_matches[i]++;
}

static void probe_functions(struct host_caps *c, const struct profile *prof)
{
	char *text, *line, *save;
	int ret;

	ret = tracing_read_file(NULL, "available_filter_functions", &text);
	if (ret) {
		msg_set(c->filter_functions_why,
			sizeof(c->filter_functions_why), "%s", strerror(-ret));
		return;
	}
	c->filter_functions = true;
	for (line = strtok_r(text, "\n", &save); prof && line;
	     line = strtok_r(NULL, "\n", &save)) {
		c->nr_functions++;
		note_function(c, prof, line);
	}
	free(text);
}

/* ---- events ---- */

static bool event_present(const char *spec)
{
	char file[512];
	const char *slash = strchr(spec, '/');

	if (slash && slash[1])
		snprintf(file, sizeof(file), "events/%.*s/%s/enable",
			 (int)(slash - spec), spec, slash + 1);
	else
		snprintf(file, sizeof(file), "events/%.*s/enable",
			 (int)(slash ? slash - spec : (long)strlen(spec)), spec);
	return tracefs_file_exists(NULL, file);
}

static void probe_events(struct host_caps *c, const struct profile *prof)
{
	unsigned int i;

	c->ev_page_fault = event_present("kvm/kvm_page_fault");
	c->ev_entry = event_present("kvm/kvm_entry");
	c->ev_spte_requested = event_present("kvmmmu/kvm_mmu_spte_requested");
	for (i = 0; i < c->nr_events; i++)
		c->event_present[i] = event_present(profile_event(prof, i));
}

/* ---- KVM ---- */

/*
 * libkmod says "coming" for a /sys/module/NAME without initstate when it
 * has no modules.builtin to look at (no /lib/modules): that is built in.
 */
static void module_state(struct kmod_ctx *ctx, struct host_module *m)
{
	struct kmod_module *mod = NULL;
	char dir[128], initstate[160];
	int state = -ENOENT;

	if (ctx && !kmod_module_new_from_name(ctx, m->name, &mod)) {
		state = kmod_module_get_initstate(mod);
		kmod_module_unref(mod);
	}
	snprintf(dir, sizeof(dir), "/sys/module/%s", m->name);
	snprintf(initstate, sizeof(initstate), "%s/initstate", dir);
	if (exists(dir) && !exists(initstate))
		state = KMOD_MODULE_BUILTIN;
	m->present = state >= 0;
	m->builtin = state == KMOD_MODULE_BUILTIN;
	snprintf(m->state, sizeof(m->state), "%s", state < 0 ? "not loaded" :
		 m->builtin ? "built in" : kmod_module_initstate_str(state));
}

static void other_kvm_modules(struct host_caps *c)
{
	DIR *d = opendir("/sys/module");
	struct dirent *e;
	size_t len;

	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, "kvm", 3) || !strcmp(e->d_name, "kvm") ||
		    !strcmp(e->d_name, "kvm_amd") ||
		    !strcmp(e->d_name, "kvm_intel"))
			continue;
		len = strlen(c->other_kvm_modules);
		snprintf(c->other_kvm_modules + len,
			 sizeof(c->other_kvm_modules) - len, "%s%s",
			 len ? " " : "", e->d_name);
	}
	if (d)
		closedir(d);
}

static void probe_vendor(struct host_caps *c)
{
	c->vendor = vendor_of_host(c->vendor_why, sizeof(c->vendor_why));
}

static void probe_kvm(struct host_caps *c)
{
	struct kmod_ctx *ctx = kmod_new(NULL, NULL);

	c->kvm.name = "kvm";
	c->kvm_amd.name = "kvm_amd";
	c->kvm_intel.name = "kvm_intel";
	module_state(ctx, &c->kvm);
	module_state(ctx, &c->kvm_amd);
	module_state(ctx, &c->kvm_intel);
	if (ctx)
		kmod_unref(ctx);
	other_kvm_modules(c);
	probe_vendor(c);
	read_line("/sys/module/kvm/parameters/tdp_mmu", c->tdp_mmu,
		  sizeof(c->tdp_mmu));
	read_line("/sys/module/kvm_amd/parameters/npt", c->npt, sizeof(c->npt));
	read_line("/sys/module/kvm_intel/parameters/ept", c->ept, sizeof(c->ept));
}

/* ---- kernel features ---- */

static void probe_features(struct host_caps *c)
{
	char line[128], *text = NULL, *b, *e;

	c->btf_vmlinux = exists("/sys/kernel/btf/vmlinux");
	c->btf_kvm = exists("/sys/kernel/btf/kvm");
	c->kprobe_events = tracefs_file_exists(NULL, "kprobe_events");
	c->dynamic_events = tracefs_file_exists(NULL, "dynamic_events");
	if (!tracing_read_file(NULL, "README", &text))
		c->fprobe = strstr(text, "f[:[") != NULL;
	free(text);
	if (!read_line("/sys/kernel/security/lockdown", line, sizeof(line)))
		return;
	b = strchr(line, '[');
	e = b ? strchr(b, ']') : NULL;
	if (b && e)
		snprintf(c->lockdown, sizeof(c->lockdown), "%.*s",
			 (int)(e - b - 1), b + 1);
}

static void probe_profile_sizes(struct host_caps *c, const struct profile *prof)
{
	if (!prof)
		return;
	c->nr_roots = profile_nr_roots(prof);
	if (c->nr_roots > HOST_MAX_ROOTS)
		c->nr_roots = HOST_MAX_ROOTS;
	c->nr_phases = profile_nr_phases(prof);
	c->nr_allow = profile_nr_allow(prof);
	if (c->nr_allow > HOST_MAX_ALLOW)
		c->nr_allow = HOST_MAX_ALLOW;
	c->nr_events = profile_nr_events(prof);
	if (c->nr_events > HOST_MAX_EVENTS)
		c->nr_events = HOST_MAX_EVENTS;
}

int host_probe(struct host_caps *caps, const struct profile *prof)
{
	struct host_caps *c = caps;
	int busy;

	memset(c, 0, sizeof(*c));
	c->euid = geteuid();
	c->root = c->euid == 0;
	probe_profile_sizes(c, prof);
	probe_kvm(c);
	probe_tracefs(c);
	if (!c->tracefs)
		return 0;
	probe_tracers(c);
	if (!c->tracers_readable)
		return 0;
	probe_instance(c);
	probe_functions(c, prof);
	probe_events(c, prof);
	probe_features(c);
	if (prof)
		memslot_probe_plan(prof, &c->memslot);
	busy = tracing_instance_in_use(NULL, c->top_busy_why,
				       sizeof(c->top_busy_why));
	c->top_busy = busy != 0;
	if (busy < 0)
		msg_set(c->top_busy_why, sizeof(c->top_busy_why),
			"cannot tell: %s", strerror(-busy));
	c->stale = tracing_find_stale(c->stale_what, sizeof(c->stale_what));
	return 0;
}

/* ---- strategies ---- */

static bool usable_common(const struct host_caps *c, char *why, size_t len)
{
	if (!c->tracefs)
		msg_set(why, len, "tracefs is not mounted");
	else if (!c->root)
		msg_set(why, len, "needs root");
	else if (!c->clock)
		msg_set(why, len, "%s", c->clock_why);
	else
		return true;
	return false;
}

static bool usable_global(const struct host_caps *c, char *why, size_t len)
{
	if (!c->fgraph_top)
		msg_set(why, len, "function_graph is not in available_tracers "
			"(%s)", c->tracers);
	else if (!c->graph_function_top)
		msg_set(why, len, "no set_graph_function");
	else if (c->top_busy)
		msg_set(why, len, "needs --force: the top level is in use (%s)",
			c->top_busy_why);
	else
		msg_set(why, len, "function_graph and set_graph_function at "
			"the top level");
	return c->fgraph_top && c->graph_function_top;
}

static unsigned int nr_allow_ok(const struct host_caps *c)
{
	unsigned int i, n = 0;

	for (i = 0; i < c->nr_allow; i++)
		n += c->allow_matches[i] > 0;
	return n;
}

static bool usable_instance(const struct host_caps *c, char *why, size_t len)
{
	if (!c->fgraph_instance)
		msg_set(why, len, "function_graph is not available in created "
			"instances (%s)", c->fgraph_instance_why);
	else if (!c->ftrace_filter_instance || !c->ftrace_pid_instance)
		msg_set(why, len, "set_ftrace_filter/set_ftrace_pid unusable "
			"in instances (%s)", c->ftrace_filter_why);
	else if (!c->filter_functions)
		msg_set(why, len, "available_filter_functions unreadable (%s)",
			c->filter_functions_why);
	else if (c->nr_allow && !nr_allow_ok(c))
		msg_set(why, len, "no allow expression of the profile matches "
			"a traceable function");
	else {
		msg_set(why, len, "function_graph and set_ftrace_filter in a "
			"created instance");
		return true;
	}
	return false;
}

static bool usable_events(const struct host_caps *c, char *why, size_t len)
{
	if (!c->ev_page_fault)
		msg_set(why, len, "no kvm:kvm_page_fault event (is kvm loaded?)");
	else
		msg_set(why, len, "kvm events exist (no call graphs)");
	return c->ev_page_fault;
}

bool host_caps_usable(const struct host_caps *caps, enum capture_strategy s,
		      char *why, size_t whylen)
{
	msg_set(why, whylen, "%s", "");
	if (s == STRATEGY_AUTO)
		return host_pick_strategy(caps, why, whylen) != STRATEGY_AUTO;
	if (!usable_common(caps, why, whylen))
		return false;
	switch (s) {
	case STRATEGY_GLOBAL:
		return usable_global(caps, why, whylen);
	case STRATEGY_INSTANCE:
		return usable_instance(caps, why, whylen);
	case STRATEGY_EVENTS_ONLY:
		return usable_events(caps, why, whylen);
	default:
		msg_set(why, whylen, "unknown strategy");
		return false;
	}
}

enum capture_strategy host_pick_strategy(const struct host_caps *caps,
					 char *why, size_t whylen)
{
	char g[HOST_WHY_LEN], i[HOST_WHY_LEN], e[HOST_WHY_LEN];
	bool global = host_caps_usable(caps, STRATEGY_GLOBAL, g, sizeof(g));

	/*
	 * The instance traces only the profile's allow list, the global
	 * strategy every function under the roots: measured on 6.12, the
	 * guest ran 1.7x faster under the instance, which never lost an
	 * event where the global one did. So the instance comes first.
	 */
	if (host_caps_usable(caps, STRATEGY_INSTANCE, i, sizeof(i))) {
		msg_set(why, whylen, "function_graph with set_ftrace_filter in "
			"an own instance: the cheaper strategy (fewer functions "
			"traced)");
		return STRATEGY_INSTANCE;
	}
	if (global && !caps->top_busy) {
		msg_set(why, whylen, "function_graph and set_graph_function in "
			"the top level, which is free (instance: %s)", i);
		return STRATEGY_GLOBAL;
	}
	if (host_caps_usable(caps, STRATEGY_EVENTS_ONLY, e, sizeof(e))) {
		msg_set(why, whylen, "kvm events only, no call graphs "
			"(global: %s; instance: %s)",
			global ? "the top level is in use" : g, i);
		return STRATEGY_EVENTS_ONLY;
	}
	msg_set(why, whylen, "no strategy can run here (global: %s; "
		"instance: %s; events-only: %s)", g, i, e);
	return STRATEGY_AUTO;
}

enum capture_strategy host_cheaper_strategy(const struct host_caps *caps,
					    char *why, size_t whylen)
{
	char g[HOST_WHY_LEN], i[HOST_WHY_LEN];
	bool global = host_caps_usable(caps, STRATEGY_GLOBAL, g, sizeof(g));
	bool inst = host_caps_usable(caps, STRATEGY_INSTANCE, i, sizeof(i));
	unsigned int k, hooked = 0;

	for (k = 0; k < caps->nr_allow; k++)
		hooked += caps->allow_matches[k];
	if (inst && global) {
		msg_set(why, whylen, "instance: it hooks the %u functions of "
			"the allow list; global hooks all %u traceable "
			"functions and filters at run time", hooked,
			caps->nr_functions);
		return STRATEGY_INSTANCE;
	}
	if (inst || global) {
		msg_set(why, whylen, "%s: the only one with call trees here",
			inst ? "instance" : "global");
		return inst ? STRATEGY_INSTANCE : STRATEGY_GLOBAL;
	}
	msg_set(why, whylen, "no strategy with call trees runs here");
	return STRATEGY_AUTO;
}
