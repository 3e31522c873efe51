// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check_report.c - the `kvmmmu-graph check` report: what host_probe()
 * found, one row per capability, and which strategies can run.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check_report.h"
#include "host_probe.h"
#include "profile.h"
#include "vendor.h"

/* "  label   state text", without trailing blanks. */
static void row(FILE *out, const char *label, const char *state,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void row(FILE *out, const char *label, const char *state,
		const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "  %-36s %-4s", label, state);
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof(line))
		vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	n = (int)strlen(line);
	while (n && line[n - 1] == ' ')
		line[--n] = '\0';
	fprintf(out, "%s\n", line);
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

/* A row that is only yes or no. */
static void flag_row(FILE *out, const char *label, bool yes)
{
	row(out, label, yes_no(yes), "%s", "");
}

static void print_tracefs(FILE *out, const struct host_caps *c)
{
	fprintf(out, "tracing\n");
	if (c->tracefs)
		row(out, "tracefs", "yes", "%s at %s", c->tracefs_mounted_now ?
		    "mounted now" : "mounted", c->tracefs_path);
	else
		row(out, "tracefs", "no", "%s", c->tracefs_why);
	row(out, "root privileges", yes_no(c->root), "euid %u", c->euid);
}

static void print_tracers(FILE *out, const struct host_caps *c)
{
	if (!c->tracers_readable) {
		row(out, "tracing files readable", "no", "%s", c->tracers_why);
		return;
	}
	row(out, "available tracers", "", "%s", c->tracers);
	row(out, "function_graph (top level)", yes_no(c->fgraph_top), "%s",
	    c->fgraph_top ? "" : "function_graph missing from available_tracers");
	row(out, "function_graph (created instance)", yes_no(c->fgraph_instance),
	    "%s", c->fgraph_instance_why);
	row(out, "set_graph_function (top level)", yes_no(c->graph_function_top),
	    "%s", c->graph_function_top ? "" : "no such file");
	row(out, "set_graph_function (instance)",
	    yes_no(c->graph_function_instance), "%s",
	    c->graph_function_instance ? "" : "no such file");
	row(out, "set_ftrace_filter readable", yes_no(c->ftrace_filter_top &&
	    c->ftrace_filter_instance), "%s", c->ftrace_filter_why);
	row(out, "set_ftrace_pid (instance)", yes_no(c->ftrace_pid_instance),
	    "%s", c->ftrace_pid_why);
	flag_row(out, "set_event_pid", c->event_pid);
	row(out, "available_filter_functions readable",
	    yes_no(c->filter_functions), "%s", c->filter_functions_why);
	row(out, "trace clock", c->clock ? "yes" : "no", "%s%s%s",
	    c->clock ? c->clock : "", c->clock ? ": " : "", c->clock_why);
	row(out, "top level free", yes_no(!c->top_busy), "%s", c->top_busy ?
	    c->top_busy_why : "");
	if (c->stale < 0)
		row(out, "leftovers of killed runs", "?", "%s", c->stale_what);
	else if (c->stale)
		row(out, "leftovers of killed runs", "yes", "%s (the next trace "
		    "removes them)", c->stale_what);
	else
		flag_row(out, "leftovers of killed runs", false);
}

/* yes / no / "?" when available_filter_functions could not be read */
static const char *traceable(const struct host_caps *c, bool b)
{
	return !c->filter_functions ? "?" : yes_no(b);
}

static void print_functions(FILE *out, const struct host_caps *c,
			    const struct profile *prof)
{
	const char *unknown = c->filter_functions ? "" :
		"unknown: available_filter_functions unreadable";
	char label[96];
	unsigned int i;

	fprintf(out, "functions (profile %s)\n", profile_name(prof));
	for (i = 0; i < c->nr_roots; i++) {
		snprintf(label, sizeof(label), "root %s", profile_root(prof, i));
		row(out, label, traceable(c, c->root_traceable[i]), "%s", unknown);
	}
	for (i = 0; i < c->nr_phases; i++) {
		snprintf(label, sizeof(label), "phase %s",
			 profile_phase_name(prof, i));
		row(out, label, traceable(c, c->phase_funcs[i][0]), "%s",
		    c->filter_functions ? (c->phase_funcs[i][0] ?
		    c->phase_funcs[i] : "none of its names is traceable") :
		    unknown);
	}
	for (i = 0; i < c->nr_allow; i++) {
		snprintf(label, sizeof(label), "allow %s", profile_allow(prof, i));
		if (c->filter_functions)
			row(out, label, yes_no(c->allow_matches[i]),
			    "matches %u functions", c->allow_matches[i]);
		else
			row(out, label, "?", "%s", unknown);
	}
}

static void print_events(FILE *out, const struct host_caps *c,
			 const struct profile *prof)
{
	char label[96];
	unsigned int i;

	fprintf(out, "events\n");
	flag_row(out, "kvm:kvm_page_fault", c->ev_page_fault);
	flag_row(out, "kvm:kvm_entry", c->ev_entry);
	for (i = 0; prof && i < c->nr_events; i++) {
		snprintf(label, sizeof(label), "%s", profile_event(prof, i));
		row(out, label, yes_no(c->event_present[i]), "(profile)");
	}
}

static void print_module(FILE *out, const struct host_module *m)
{
	row(out, m->name, yes_no(m->present), "%s", m->state);
}

static const char *param(const char *v)
{
	return *v ? v : "(no such parameter)";
}

static void print_kvm(FILE *out, const struct host_caps *c)
{
	fprintf(out, "kvm\n");
	print_module(out, &c->kvm);
	print_module(out, &c->kvm_amd);
	print_module(out, &c->kvm_intel);
	if (c->other_kvm_modules[0])
		row(out, "other kvm modules", "", "%s", c->other_kvm_modules);
	row(out, "vendor", "", "%s (%s)", vendor_name(c->vendor), c->vendor_why);
	row(out, "kvm.tdp_mmu", "", "%s", param(c->tdp_mmu));
	if (c->vendor != FAULT_VENDOR_INTEL)
		row(out, "kvm_amd.npt", "", "%s", param(c->npt));
	if (c->vendor != FAULT_VENDOR_AMD)
		row(out, "kvm_intel.ept", "", "%s", param(c->ept));
}

static void print_features(FILE *out, const struct host_caps *c)
{
	fprintf(out, "kernel features\n");
	row(out, "BTF vmlinux", yes_no(c->btf_vmlinux), "/sys/kernel/btf/vmlinux");
	row(out, "BTF kvm", yes_no(c->btf_kvm), "%s", c->btf_kvm ?
	    "/sys/kernel/btf/kvm" : c->kvm.builtin ?
	    "kvm is built in: its types are in vmlinux" : "");
	flag_row(out, "kprobe_events", c->kprobe_events);
	flag_row(out, "dynamic_events", c->dynamic_events);
	row(out, "fprobe events", yes_no(c->fprobe), "%s", c->fprobe ? "" :
	    "README has no 'f[:[GRP/][EVENT]] FUNCTION'");
	row(out, "lockdown", "", "%s", c->lockdown[0] ? c->lockdown :
	    "unknown (no /sys/kernel/security/lockdown)");
}

/*
 * The memslot_learn probes: "yes" with each line, or "no" with why. The
 * fast path's faults need them when their slot did not fault in.
 */
static void print_memslot_learn(FILE *out, const struct memslot_plan *m)
{
	const char *l = m->learn_defs;
	size_t n;

	if (!*l) {
		row(out, "  fast path", "no", "no memslot_learn function: "
		    "only slots that fault in during a run%s%s",
		    *m->learn_why ? "; " : "", m->learn_why);
		return;
	}
	for (; *l; l += n + 1) {
		n = strcspn(l, "\n");
		row(out, "  fast path", "yes", "memslot_learn: %.*s", (int)n, l);
	}
	if (*m->learn_why)
		row(out, "  fast path", "", "left out: %s", m->learn_why);
}

/* Where the PFN, MEM_SLOTID/HVA and ERROR_TYPE columns come from. */
static void print_columns(FILE *out, const struct host_caps *c)
{
	const struct memslot_plan *m = &c->memslot;

	fprintf(out, "columns\n");
	row(out, "PFN", yes_no(c->ev_spte_requested), "%s",
	    c->ev_spte_requested ? "kvmmmu:kvm_mmu_spte_requested event "
	    "(fast path: the new SPTE of kvmmmu:fast_page_fault)" :
	    "no kvmmmu:kvm_mmu_spte_requested event");
	if (m->ok)
		row(out, "MEM_SLOTID, HVA", "yes", "kprobe on %s with BTF "
		    "offsets: %s", m->site.func, m->def);
	else
		row(out, "MEM_SLOTID, HVA", "no", "%s", m->why);
	if (m->ok)
		print_memslot_learn(out, m);
	row(out, "ERROR_TYPE", yes_no(c->ev_page_fault), "%s decoder of "
	    "kvm:kvm_page_fault error_code%s", c->vendor == FAULT_VENDOR_INTEL ?
	    "Intel EPT exit qualification" : "AMD NPF error code",
	    c->vendor == FAULT_VENDOR_UNKNOWN ? " (vendor unknown: AMD assumed)" : "");
}

static void print_strategies(FILE *out, const struct host_caps *c)
{
	static const enum capture_strategy all[] = {
		STRATEGY_GLOBAL, STRATEGY_INSTANCE, STRATEGY_EVENTS_ONLY,
	};
	char why[2 * HOST_WHY_LEN];
	enum capture_strategy s;
	unsigned int i;
	bool ok;

	fprintf(out, "strategies\n");
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		ok = host_caps_usable(c, all[i], why, sizeof(why));
		row(out, capture_strategy_name(all[i]), yes_no(ok), "%s", why);
	}
	s = host_cheaper_strategy(c, why, sizeof(why));
	row(out, "cheaper", "", "%s", why);
	s = host_pick_strategy(c, why, sizeof(why));
	row(out, "chosen", "", "%s: %s", s == STRATEGY_AUTO ? "none" :
	    capture_strategy_name(s), why);
}

void check_report_print(FILE *out, const struct host_caps *caps,
		     const struct profile *prof)
{
	bool readable = caps->tracefs && caps->tracers_readable;

	print_tracefs(out, caps);
	if (caps->tracefs)
		print_tracers(out, caps);
	if (readable && prof)
		print_functions(out, caps, prof);
	if (readable)
		print_events(out, caps, prof);
	print_kvm(out, caps);
	if (readable)
		print_features(out, caps);
	if (readable && prof)
		print_columns(out, caps);
	print_strategies(out, caps);
}
