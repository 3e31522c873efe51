/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * profile.h - what to trace, as data (profiles/NAME.profile).
 *
 * A profile names the root functions of a fault, the phases (a label and
 * the names the phase's function has on different kernels), the events to
 * enable and the functions to allow in the instance strategy.
 */
#ifndef KVMMMU_PROFILE_H
#define KVMMMU_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

#define PROFILE_MAX_PHASES	32
#define PROFILE_NO_PHASE	0xffu
#define PROFILE_MAX_CAUSES	24
#define PROFILE_MAX_CAUSE_FUNCS	24

/**
 * struct profile_cause - one "cause" rule (first matching rule wins)
 * @name:	"first-touch", "mmio", ...
 * @kind:	fault kind the rule needs (enum fault_kind), -1 for any
 * @any:	the fault's tree calls one of these (suffixes such as
 *		.isra.0 or .cold are ignored); NULL-terminated, may be empty
 * @lock:	functions that wait for a lock; with @lock_min_ns the rule
 *		needs at least that much time in them
 * @lock_min_ns: see @lock
 * @nomap:	the fault has no call in the phase named "map"
 * @hint:	advice shown with the finding, or NULL
 */
struct profile_cause {
	char *name;
	int kind;
	char *any[PROFILE_MAX_CAUSE_FUNCS + 1];
	char *lock[PROFILE_MAX_CAUSE_FUNCS + 1];
	uint64_t lock_min_ns;
	bool nomap;
	char *hint;
};

/**
 * struct profile_findings - when findings are shown
 * @min_share:	a cause's share of fault time (0..1) to become a finding
 * @stuck_count: the same GFN faulting more than this often on one vCPU...
 * @stuck_window_ns: ...within this window is a stuck-vCPU finding
 */
struct profile_findings {
	double min_share;
	uint32_t stuck_count;
	uint64_t stuck_window_ns;
};

struct profile;
struct symbols;

/**
 * profile_load() - parse a profile file
 * @path:	file to read
 * @err:	buffer for a one-line error message (may be NULL)
 * @errlen:	size of @err
 *
 * Return: the profile, or NULL with @err filled.
 */
struct profile *profile_load(const char *path, char *err, int errlen);
/* The same from a string (tests, built-in profiles). */
struct profile *profile_parse(const char *text, char *err, int errlen);
void profile_free(struct profile *prof);

const char *profile_name(const struct profile *prof);
unsigned int profile_nr_phases(const struct profile *prof);
/* Label of phase @phase ("faultin", "map", ...); "?" if out of range. */
const char *profile_phase_name(const struct profile *prof, unsigned int phase);

/**
 * profile_func_matches() - does a kernel symbol name a profile function?
 * @func:	symbol as the kernel lists it ("fast_page_fault.isra.0")
 * @name:	function named in a profile ("fast_page_fault")
 *
 * Equal names match, and so do compiler clones of @name: @func may add
 * any sequence of .isra.N, .part.N, .constprop.N, .cold, .cold.N,
 * .llvm.N, .lto_priv.N or .specialized.N.  A longer name does not match
 * ("do_wp_page_copy" is not "do_wp_page").  Roots, phases and cause rules
 * all match functions this way.
 */
bool profile_func_matches(const char *func, const char *name);

/* Phase of a function name, PROFILE_NO_PHASE if the profile has none. */
unsigned int profile_phase_of(const struct profile *prof, const char *func);
/* True if @func is one of the profile's root functions. */
bool profile_is_root(const struct profile *prof, const char *func);
/**
 * profile_root_origin() - who asks for the faults a root function handles
 * @prof:	profile
 * @func:	function name (compiler clones match, see above)
 *
 * Return: an enum fault_origin from the root's origin=NAME (guest when
 * not given), or -1 if @func is not a root.
 */
int profile_root_origin(const struct profile *prof, const char *func);

unsigned int profile_nr_roots(const struct profile *prof);
const char *profile_root(const struct profile *prof, unsigned int i);
unsigned int profile_nr_events(const struct profile *prof);
/* "system/event", or "system" for all its events */
const char *profile_event(const struct profile *prof, unsigned int i);
unsigned int profile_nr_allow(const struct profile *prof);
/* set_ftrace_filter expressions for the instance strategy */
const char *profile_allow(const struct profile *prof, unsigned int i);

/**
 * profile_nr_memslot_probes() - number of memslot_probe directives
 * @prof:	profile
 *
 * Return: how many functions the memslot/HVA probe may use.
 */
unsigned int profile_nr_memslot_probes(const struct profile *prof);

/**
 * profile_memslot_probe() - one memslot_probe directive, in file order
 * @prof:	profile
 * @i:		index, below profile_nr_memslot_probes()
 *
 * Return: "FUNC key=value..." as written (memslot_site_parse() reads
 * it), or NULL.
 */
const char *profile_memslot_probe(const struct profile *prof, unsigned int i);

/**
 * profile_nr_memslot_learn() - number of memslot_learn directives
 * @prof:	profile
 *
 * memslot_learn names functions that receive a memslot outside the
 * fault-in (KVM marking a page dirty, from the fast path too): their
 * records only teach the fault builder the VM's memslots, so faults
 * without a fault-in still get MEM_SLOTID and HVA. Every one the kernel
 * can probe is used.
 * Return: how many there are.
 */
unsigned int profile_nr_memslot_learn(const struct profile *prof);

/**
 * profile_memslot_learn() - one memslot_learn directive, in file order
 * @prof:	profile
 * @i:		index, below profile_nr_memslot_learn()
 *
 * Return: "FUNC slot=$argN gfn=$argM" as written, or NULL.
 */
const char *profile_memslot_learn(const struct profile *prof, unsigned int i);

unsigned int profile_nr_causes(const struct profile *prof);
/* Cause rule @i in file order, or NULL. */
const struct profile_cause *profile_cause(const struct profile *prof,
					  unsigned int i);
/* Index of the cause named @name, or -1. */
int profile_cause_index(const struct profile *prof, const char *name);
const struct profile_findings *profile_findings(const struct profile *prof);

#endif /* KVMMMU_PROFILE_H */
