/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vcpu.h - vCPU file descriptors, threads and run loops
 */
#ifndef FAULTGEN_VCPU_H
#define FAULTGEN_VCPU_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "barrier.h"
#include "faultgen.h"
#include "options.h"
#include "vm.h"

struct fg_run;

struct fg_vcpu {
	unsigned int id;
	int fd;
	struct kvm_run *run;
	struct fg_run *ctx;
	pthread_t thread;
	bool started;
	pid_t tid;		/* set by the thread before FG_RV_READY */
	uint64_t mmio_reads;	/* KVM_EXIT_MMIO exits served */
	uint64_t mmio_writes;
};

/*
 * The main thread and all vCPU threads meet at these points, in order.
 * Only the main thread acts between two of them.
 */
enum fg_rendezvous {
	FG_RV_READY,		/* threads exist, tids known */
	FG_RV_GO,		/* --wait-* satisfied: start the guest */
	FG_RV_PASS1,		/* every vCPU finished pass 1 */
	FG_RV_PASS2,		/* dirty logging set up: start pass 2 */
	/* REWRITE_END and REWRITE_GO: once per --rewrites round but the last */
	FG_RV_REWRITE_END,	/* every vCPU finished a round */
	FG_RV_REWRITE_GO,	/* dirty log cleared: start the next round */
	FG_RV_DONE,		/* every vCPU finished */
	FG_NR_RV,
};

struct fg_run {
	const struct fg_opts *opts;
	struct fg_vm *vm;
	unsigned int nr_vcpus;
	struct fg_vcpu vcpus[FG_MAX_VCPUS];
	struct fg_barrier barrier;
	bool barrier_ready;
	bool timed_out;		/* a rendezvous timed out */
	atomic_bool failed;	/* first failure prints, the rest stay quiet */
	uint64_t *dirty_rounds;	/* --dirty-log: dirty pages per round */
};

int fg_run_init(struct fg_run *r, const struct fg_opts *o, struct fg_vm *vm);
int fg_run_start(struct fg_run *r);
int fg_run_rendezvous(struct fg_run *r, enum fg_rendezvous rv);
void fg_run_fail(struct fg_run *r);
void fg_run_destroy(struct fg_run *r);

#endif /* FAULTGEN_VCPU_H */
