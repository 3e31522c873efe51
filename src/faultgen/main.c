// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - kvmmmu-faultgen: a tiny VMM whose guest makes a known set of
 * KVM second-level page faults, for checking a page-fault tracer
 *
 * Sequence: create VM and memslots, write guest code, create vCPUs and
 * their threads, wait for the tracer (--wait-*), let KVM map pages ahead
 * of the guest (--prefault), run pass 1, optionally enable dirty logging
 * and run pass 2 (--rewrites rounds of it, the dirty log read and cleared
 * between rounds), then collect KVM stats, dirty log and host PFNs and
 * print them as JSON.
 */
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "faultgen.h"
#include "guest_code.h"
#include "kvm_stats.h"
#include "layout.h"
#include "options.h"
#include "pagemap.h"
#include "prefault.h"
#include "report.h"
#include "userfault.h"
#include "vcpu.h"
#include "vm.h"
#include "wait.h"

static int fg_setup_guest(struct fg_vm *vm, const struct fg_opts *o)
{
	unsigned int i;

	if (fg_vm_create(vm, o) || fg_prefault_check(vm, o))
		return -1;
	for (i = 0; i < o->vcpus; i++) {
		if (fg_guest_load(vm, o, i))
			return -1;
	}
	fg_guest_prefill_exec(vm, o);
	return 0;
}

/*
 * between pass 1 and pass 2: start dirty logging on slot 1, then wait
 * for --rewrite-wait-file if given
 */
static int fg_between_passes(struct fg_run *r)
{
	if (!r->opts->dirty_log)
		return 0;
	if (fg_vm_set_slot_flags(r->vm, 1, KVM_MEM_LOG_DIRTY_PAGES))
		return -1;
	fg_wait_before_rewrites(r->opts);
	return 0;
}

/**
 * fg_rewrite_rounds() - between the --rewrites rounds of pass 2
 * @r: run context, pass 2 started
 *
 * After each round but the last, KVM_GET_DIRTY_LOG counts the round's
 * dirty pages and write-protects them again, so the next round's writes
 * fault again.
 *
 * Return: 0 when the last round started, -1 otherwise.
 */
static int fg_rewrite_rounds(struct fg_run *r)
{
	uint64_t round;

	for (round = 1; round < r->opts->rewrites; round++) {
		if (fg_run_rendezvous(r, FG_RV_REWRITE_END))
			return -1;
		if (fg_vm_count_dirty(r->vm, 1, &r->dirty_rounds[round - 1])) {
			fg_run_fail(r);
			return -1;
		}
		if (fg_run_rendezvous(r, FG_RV_REWRITE_GO))
			return -1;
	}
	return 0;
}

/**
 * fg_drive() - main thread's part of the run, see enum fg_rendezvous
 * @r: run context, vCPUs created
 *
 * Return: 0 when the guest finished on every vCPU, -1 otherwise.
 */
static int fg_drive(struct fg_run *r)
{
	if (fg_run_start(r) || fg_run_rendezvous(r, FG_RV_READY))
		return -1;
	if (fg_wait_for_go(r->opts) || fg_prefault(r)) {
		fg_run_fail(r);
		return -1;
	}
	if (fg_run_rendezvous(r, FG_RV_GO) ||
	    fg_run_rendezvous(r, FG_RV_PASS1))
		return -1;
	if (fg_between_passes(r)) {
		fg_run_fail(r);
		return -1;
	}
	if (fg_run_rendezvous(r, FG_RV_PASS2) || fg_rewrite_rounds(r) ||
	    fg_run_rendezvous(r, FG_RV_DONE))
		return -1;
	return 0;
}

/* stats, dirty log and PFNs, read while all fds are still open */
static int fg_collect(const struct fg_run *r, struct fg_result *res)
{
	const struct fg_opts *o = r->opts;
	unsigned int i;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < r->nr_vcpus; i++)
		fg_stats_read(r->vcpus[i].fd, fg_vcpu_stat_names,
			      FG_NR_VCPU_STATS, res->vcpu_stats[i]);
	fg_stats_read(r->vm->vm_fd, fg_vm_stat_names, FG_NR_VM_STATS,
		      res->vm_stats);
	if (o->dirty_log) {
		if (fg_vm_count_dirty(r->vm, 1, &res->dirty_pages))
			return -1;
		r->dirty_rounds[o->rewrites - 1] = res->dirty_pages;
	}
	res->nr_pfns = fg_pagemap_sample(r->vm, 1, FG_SLOT1_GPA,
					 o->pages * o->vcpus, res->pfns);
	if (o->pages2)
		res->nr_pfns += fg_pagemap_sample(r->vm, 2, o->slot2_gpa,
						  o->pages2,
						  res->pfns + res->nr_pfns);
	return 0;
}

/* open the --json file before the run, so a bad path fails early */
static FILE *fg_open_output(const struct fg_opts *o)
{
	FILE *f;

	if (!o->json_path)
		return stdout;
	f = fopen(o->json_path, "w");
	if (!f)
		fg_perror(o->json_path);
	return f;
}

static int fg_output(FILE *f, const struct fg_run *r,
		     const struct fg_result *res)
{
	const char *path = r->opts->json_path;
	int ret = fg_report_write(f, r, res);

	if (ret)
		fg_perror(path ? path : "stdout");
	return ret;
}

static int fg_close_output(FILE *f, const struct fg_opts *o)
{
	if (f == stdout)
		return 0;
	if (fclose(f)) {
		fg_perror(o->json_path);
		return -1;
	}
	return 0;
}

static int fg_main(const struct fg_opts *o, FILE *out)
{
	static struct fg_result res;
	struct fg_userfault uf = { .uffd = -1, .stop_fd = -1 };
	struct fg_run run;
	struct fg_vm vm;
	int ret = -1;

	memset(&run, 0, sizeof(run));
	if (fg_wait_prepare(o) || fg_setup_guest(&vm, o))
		goto out_vm;
	if (o->userfault && fg_userfault_start(&uf, &vm.slots[1]))
		goto out_vm;
	if (fg_run_init(&run, o, &vm) || fg_drive(&run))
		goto out_run;
	if (atomic_load(&uf.failed)) {
		fg_err("--userfault: the page server failed");
		goto out_run;
	}
	if (!fg_collect(&run, &res)) {
		res.userfault_served = atomic_load(&uf.served);
		if (!fg_output(out, &run, &res))
			ret = 0;
	}
out_run:
	if (run.timed_out)
		return -1;
	fg_run_destroy(&run);
out_vm:
	fg_userfault_stop(&uf);
	fg_vm_destroy(&vm);
	return ret;
}

int main(int argc, char **argv)
{
	struct fg_opts opts;
	FILE *out;
	int ret;

	switch (fg_parse_options(argc, argv, &opts)) {
	case FG_OPTS_EXIT_OK:
		return FG_EXIT_OK;
	case FG_OPTS_EXIT_USAGE:
		return FG_EXIT_USAGE;
	}
	out = fg_open_output(&opts);
	if (!out)
		return FG_EXIT_FAIL;
	ret = fg_main(&opts, out);
	if (fg_close_output(out, &opts))
		ret = -1;
	if (ret && opts.json_path)
		unlink(opts.json_path);	/* no half-written result */
	return ret ? FG_EXIT_FAIL : FG_EXIT_OK;
}
