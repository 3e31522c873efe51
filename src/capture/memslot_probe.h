/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memslot_probe.h - memslot id and HVA of each fault, from a kprobe event.
 *
 * KVM has no tracepoint that names the memslot of a fault. A kprobe event
 * kvmmmu_graph/memslot on a fault-path function that receives the memslot
 * (profile directive "memslot_probe FUNC slot=$argN gfn=$argM", or
 * "memslot_probe FUNC fault=$argN" for a struct kvm_page_fault pointer)
 * records the slot's id, base_gfn and userspace_addr and the gfn; the
 * fault builder computes HVA = uaddr + ((gfn - base_gfn) << 12). The
 * struct offsets come from the running kernel's BTF, never from constants:
 *
 *	p:kvmmmu_graph/memslot __gfn_to_pfn_memslot slot_id=+260($arg1):s16
 *	  base_gfn=+176($arg1):u64 uaddr=+248($arg1):u64
 *	  npages=+184($arg1):u64 gfn=$arg2:u64 slot=$arg1:x64
 *
 * The first profile function that this kernel can probe wins.
 * A second event, kvmmmu_graph/memslot_learn, has the same fields and a
 * probe on every "memslot_learn FUNC slot=$argN gfn=$argM" function the
 * kernel has (mark_page_dirty_in_slot: the fast path calls it too); its
 * records only teach the fault builder the VM's memslots. Everything
 * that can go wrong (no kprobe events, no BTF, lockdown, no such function)
 * is a reason in a message, never a failed run: the columns stay "-".
 * Nothing here prints.
 */
#ifndef KVMMMU_MEMSLOT_PROBE_H
#define KVMMMU_MEMSLOT_PROBE_H

#include <stdbool.h>
#include <stddef.h>

struct btf;
struct profile;
struct tracefs_instance;

/* The event, as the payload decoder knows it. */
#define MEMSLOT_EVENT_SYSTEM	"kvmmmu_graph"
#define MEMSLOT_EVENT_NAME	"memslot"
#define MEMSLOT_LEARN_NAME	"memslot_learn"
#define MEMSLOT_FUNC_LEN	128
#define MEMSLOT_DEF_LEN		512
#define MEMSLOT_WHY_LEN		512

/**
 * struct memslot_site - where a probed function finds the memslot
 * @func:	function to probe
 * @slot_arg:	N of the $argN holding a struct kvm_memory_slot *, or 0
 * @gfn_arg:	N of the $argN holding the gfn, or 0
 * @fault_arg:	N of the $argN holding a struct kvm_page_fault *, or 0
 *
 * Either @slot_arg and @gfn_arg are set, or @fault_arg alone.
 */
struct memslot_site {
	char func[MEMSLOT_FUNC_LEN];
	unsigned int slot_arg;
	unsigned int gfn_arg;
	unsigned int fault_arg;
};

/**
 * struct memslot_offsets - member offsets and sizes, in bytes, from BTF
 * @id:		kvm_memory_slot.id
 * @base_gfn:	kvm_memory_slot.base_gfn
 * @uaddr:	kvm_memory_slot.userspace_addr
 * @npages:	kvm_memory_slot.npages
 * @have_fault:	kvm_page_fault.slot and .gfn were found
 * @fault_slot:	kvm_page_fault.slot
 * @fault_gfn:	kvm_page_fault.gfn
 */
struct memslot_offsets {
	unsigned int id, id_size;
	unsigned int base_gfn, base_gfn_size;
	unsigned int uaddr, uaddr_size;
	unsigned int npages, npages_size;
	bool have_fault;
	unsigned int fault_slot, fault_slot_size;
	unsigned int fault_gfn, fault_gfn_size;
};

/**
 * memslot_site_parse() - parse the arguments of a memslot_probe directive
 * @spec:	"FUNC slot=$argN gfn=$argM" or "FUNC fault=$argN"
 * @site:	filled in
 *
 * Return: 0, or -EINVAL for anything else (unknown key, repeated key,
 * N outside 1..16, both forms mixed, a form incomplete, no function).
 */
int memslot_site_parse(const char *spec, struct memslot_site *site);

/**
 * memslot_offsets_from_btf() - find the members the probe reads
 * @btf:	the kvm module's split BTF (or vmlinux BTF if kvm is built in)
 * @off:	filled in
 * @why:	buffer for the reason on failure
 * @whylen:	size of @why
 *
 * The kvm_memory_slot members are required; the kvm_page_fault ones are
 * optional (@off->have_fault says whether the "fault=" form can be used).
 *
 * Return: 0, or the negative errno of the first missing member.
 */
int memslot_offsets_from_btf(const struct btf *btf,
			     struct memslot_offsets *off,
			     char *why, size_t whylen);

/**
 * memslot_probe_format() - the kprobe_events line for a site
 * @site:	where the function finds the memslot
 * @off:	member offsets
 * @buf:	output, "p:kvmmmu_graph/memslot FUNC slot_id=... gfn=..."
 * @len:	size of @buf
 *
 * Return: 0; -EOPNOTSUPP for the "fault=" form without kvm_page_fault
 * offsets or a member size that no fetch type has; -ENOSPC if @buf is
 * too small.
 */
int memslot_probe_format(const struct memslot_site *site,
			 const struct memslot_offsets *off,
			 char *buf, size_t len);

/**
 * memslot_learn_format() - the kprobe_events line of a memslot_learn site
 * @site:	where the function finds the memslot
 * @off:	member offsets
 * @buf:	output, "p:kvmmmu_graph/memslot_learn FUNC slot_id=..."
 * @len:	size of @buf
 *
 * The fields are those of memslot_probe_format(), so one decoder reads
 * both events.
 *
 * Return: as memslot_probe_format().
 */
int memslot_learn_format(const struct memslot_site *site,
			 const struct memslot_offsets *off,
			 char *buf, size_t len);

/**
 * typedef memslot_try_fn - can this site be used? (the choice's test)
 * @site:	the candidate
 * @def:	its kprobe_events line
 * @ctx:	caller's context
 * @why:	buffer for the reason it cannot
 * @whylen:	size of @why
 *
 * Return: 0 if it can (and, live, was created), else a negative errno.
 */
typedef int (*memslot_try_fn)(const struct memslot_site *site,
			      const char *def, void *ctx,
			      char *why, size_t whylen);

/**
 * memslot_choose() - the first profile site that @try accepts
 * @prof:	profile with memslot_probe directives, in order of preference
 * @off:	member offsets
 * @try:	test of one candidate
 * @ctx:	passed to @try
 * @site:	output, the chosen site
 * @def:	output, its kprobe_events line
 * @deflen:	size of @def
 * @why:	buffer for why none was chosen ("FUNC: reason; FUNC: ...")
 * @whylen:	size of @why
 *
 * Return: 0, -ENOENT when the profile has no memslot_probe directive,
 * or the last candidate's error when none was accepted.
 */
int memslot_choose(const struct profile *prof,
		   const struct memslot_offsets *off,
		   memslot_try_fn try, void *ctx,
		   struct memslot_site *site, char *def, size_t deflen,
		   char *why, size_t whylen);

/**
 * struct memslot_plan - what a live run would do (for `check`)
 * @ok:		a site can be probed
 * @site:	the site, if @ok
 * @def:	its kprobe_events line, if @ok
 * @why:	why not, if !@ok
 * @learn_defs:	the memslot_learn event's lines, each ending in '\n'
 *		(empty if none), if @ok
 * @learn_why:	"FUNC: reason" of each memslot_learn function left out
 */
struct memslot_plan {
	bool ok;
	struct memslot_site site;
	char def[MEMSLOT_DEF_LEN];
	char why[MEMSLOT_WHY_LEN];
	char learn_defs[4 * MEMSLOT_DEF_LEN];
	char learn_why[MEMSLOT_WHY_LEN];
};

/**
 * memslot_probe_plan() - choose the site on this kernel, create nothing
 * @prof:	profile
 * @plan:	filled in
 *
 * Checks kprobe events, lockdown and BTF, and takes the first profile
 * function that is traceable (available_filter_functions, or kallsyms
 * when that cannot be read).
 */
void memslot_probe_plan(const struct profile *prof, struct memslot_plan *plan);

struct memslot_probe;

/**
 * memslot_probe_create() - create the kvmmmu_graph/memslot kprobe event
 * @prof:	profile
 * @out:	the probe, to remove with memslot_probe_remove()
 * @why:	buffer for the reason on failure
 * @whylen:	size of @why
 *
 * Create it before the event formats are loaded. An identical event left
 * by a live run is shared; a different one is refused. The
 * memslot_learn event comes with it where it can; what kept any of its
 * functions out is in memslot_probe_learn_why(), never a failure.
 *
 * Return: 0, or a negative errno with @why filled.
 */
int memslot_probe_create(const struct profile *prof,
			 struct memslot_probe **out, char *why, size_t whylen);

/**
 * memslot_probe_learn_why() - memslot_learn functions left out, and why
 * @p:	probe
 *
 * Return: "FUNC: reason; ..." or "" (also after memslot_probe_enable()).
 */
const char *memslot_probe_learn_why(const struct memslot_probe *p);

/**
 * memslot_probe_enable() - enable the event in the capture's instance
 * @p:		probe
 * @inst:	instance, NULL for the top level
 *
 * The instance's set_event_pid filters it like every other event. The
 * memslot_learn event is enabled too; if it cannot be, it is dropped
 * and the reason added to memslot_probe_learn_why().
 *
 * Return: 0 or a negative errno (of the memslot event).
 */
int memslot_probe_enable(struct memslot_probe *p, struct tracefs_instance *inst);

/**
 * memslot_probe_remove() - disable and delete the event, free @p
 * @p:	probe, may be NULL
 *
 * Call it after the capture's instance is gone (or the top level
 * restored). An event still enabled by another live run stays: the last
 * run removes it, and tracing_cleanup_stale() removes what killed runs
 * left. Errors are ignored.
 */
void memslot_probe_remove(struct memslot_probe *p);

#endif /* KVMMMU_MEMSLOT_PROBE_H */
