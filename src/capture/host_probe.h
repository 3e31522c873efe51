/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * host_probe.h - what this host's kernel offers for tracing KVM faults.
 *
 * host_probe() looks at tracefs, KVM modules, BTF, probe support and the
 * profile's functions and events; host_pick_strategy() chooses a capture
 * strategy from that; `kvmmmu-graph check` prints it.
 * host_probe() changes nothing but may mount tracefs at /sys/kernel/tracing
 * and creates (and removes) a temporary instance "kvmmmu-graph-probe-<pid>".
 */
#ifndef KVMMMU_HOST_PROBE_H
#define KVMMMU_HOST_PROBE_H

#include <stdbool.h>
#include <stdio.h>

#include "memslot_probe.h"
#include "profile.h"
#include "tracing_session.h"
#include "vendor.h"

#define HOST_WHY_LEN		256
#define HOST_MAX_ROOTS		16
#define HOST_MAX_ALLOW		16
#define HOST_MAX_EVENTS		32

/* A kernel module: kmod init state, or built in. */
struct host_module {
	const char *name;
	bool present;		/* loaded or built in */
	bool builtin;
	char state[16];		/* "live", "built in", "coming", "not loaded" */
};

struct host_caps {
	/* tracefs and privileges */
	bool tracefs;			/* mounted (maybe by us) */
	bool tracefs_mounted_now;	/* host_probe() mounted it */
	char tracefs_path[256];
	char tracefs_why[HOST_WHY_LEN];
	bool root;			/* euid 0 */
	unsigned int euid;

	/* tracers */
	bool tracers_readable;		/* tracefs files can be read */
	char tracers_why[HOST_WHY_LEN];
	char tracers[HOST_WHY_LEN];	/* top-level available_tracers */
	bool fgraph_top;
	bool fgraph_instance;		/* in a created instance */
	char fgraph_instance_why[HOST_WHY_LEN];
	bool graph_function_top;	/* set_graph_function exists */
	bool graph_function_instance;
	bool ftrace_filter_top;		/* set_ftrace_filter readable */
	bool ftrace_filter_instance;
	char ftrace_filter_why[HOST_WHY_LEN];
	bool ftrace_pid_instance;	/* set_ftrace_pid readable there */
	char ftrace_pid_why[HOST_WHY_LEN];
	bool event_pid;			/* set_event_pid exists */
	const char *clock;		/* trace clock a run would set, NULL: none */
	char clock_why[HOST_WHY_LEN];

	/* functions (available_filter_functions) */
	bool filter_functions;		/* readable */
	unsigned int nr_functions;	/* traceable functions in all */
	char filter_functions_why[HOST_WHY_LEN];
	unsigned int nr_roots;
	bool root_traceable[HOST_MAX_ROOTS];
	unsigned int nr_phases;
	char phase_funcs[PROFILE_MAX_PHASES][128];	/* traceable names */
	unsigned int nr_allow;
	unsigned int allow_matches[HOST_MAX_ALLOW];	/* functions matched */

	/* events */
	bool ev_page_fault;		/* kvm:kvm_page_fault */
	bool ev_entry;			/* kvm:kvm_entry */
	unsigned int nr_events;
	bool event_present[HOST_MAX_EVENTS];	/* the profile's events */

	/* KVM */
	struct host_module kvm, kvm_amd, kvm_intel;
	char other_kvm_modules[128];	/* other kvm* in /sys/module */
	enum fault_vendor vendor;
	char vendor_why[64];
	char tdp_mmu[16];		/* parameter values, "" if absent */
	char npt[16];
	char ept[16];

	/* probes and kernel features */
	bool btf_vmlinux;
	bool btf_kvm;
	bool kprobe_events;
	bool dynamic_events;
	bool fprobe;			/* "f[:[" in the README */
	char lockdown[32];		/* current lockdown mode, "" if none */

	/* sources of the PFN and MEM_SLOTID/HVA columns */
	bool ev_spte_requested;		/* kvmmmu:kvm_mmu_spte_requested */
	struct memslot_plan memslot;	/* the memslot kprobe (with a profile) */

	/* the top level */
	bool top_busy;
	char top_busy_why[HOST_WHY_LEN];

	/* what killed runs left behind (the next trace removes it) */
	int stale;			/* count, < 0: could not look */
	char stale_what[HOST_WHY_LEN * 2];
};

/**
 * host_probe() - look at what the host offers
 * @caps:	filled in
 * @prof:	profile whose roots, phases, allow and events to check; may be NULL
 *
 * Missing things are reported in @caps, not as errors.
 *
 * Return: 0, or a negative errno if the probe itself failed (-ENOMEM).
 */
int host_probe(struct host_caps *caps, const struct profile *prof);

/**
 * host_caps_usable() - can a strategy run here?
 * @caps:	from host_probe()
 * @s:		strategy (STRATEGY_AUTO: can any?)
 * @why:	buffer for the reason (why not, or what it relies on)
 * @whylen:	size of @why
 *
 * A busy top level does not make global unusable (--force can take it);
 * host_pick_strategy() does avoid it.
 *
 * Return: true if @s can run.
 */
bool host_caps_usable(const struct host_caps *caps, enum capture_strategy s,
		      char *why, size_t whylen);

/**
 * host_pick_strategy() - the best strategy available here
 * @caps:	from host_probe()
 * @why:	buffer for the reason of the choice, or why none works
 * @whylen:	size of @why
 *
 * global if function_graph and set_graph_function exist at the top level
 * and it is free; else instance if function_graph works in instances and
 * set_ftrace_filter is usable; else events-only if the kvm events exist.
 *
 * Return: the strategy, or STRATEGY_AUTO if none can run.
 */
/**
 * host_cheaper_strategy() - which call-tree strategy costs the guest less
 * @why:	one line: the functions each one hooks on this host
 *
 * Return: STRATEGY_INSTANCE, STRATEGY_GLOBAL, or STRATEGY_AUTO if neither
 * can run.
 */
enum capture_strategy host_cheaper_strategy(const struct host_caps *caps,
					    char *why, size_t whylen);

enum capture_strategy host_pick_strategy(const struct host_caps *caps,
					 char *why, size_t whylen);

#endif /* KVMMMU_HOST_PROBE_H */
