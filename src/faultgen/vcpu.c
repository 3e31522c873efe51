// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vcpu.c - create vCPUs in 32-bit flat protected mode and run them
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "faultgen.h"
#include "layout.h"
#include "vcpu.h"

#define X86_CR0_PE		(1ULL << 0)
#define X86_CR0_ET		(1ULL << 4)
#define X86_RFLAGS_FIXED	(1ULL << 1)
#define X86_RFLAGS_IF		(1ULL << 9)

/* flat 4 GiB segment; @type 0xb: code, execute/read; 0x3: data, read/write */
static void fg_flat_segment(struct kvm_segment *seg, uint16_t selector,
			    uint8_t type)
{
	memset(seg, 0, sizeof(*seg));
	seg->base = 0;
	seg->limit = 0xffffffff;
	seg->selector = selector;
	seg->type = type;
	seg->present = 1;
	seg->dpl = 0;
	seg->db = 1;
	seg->s = 1;
	seg->g = 1;
}

/*
 * --userfault: KVM does an async page fault only while the guest could
 * take an interrupt (RFLAGS.IF, in-kernel LAPIC); the guest gets none, as
 * nothing raises one. With the LAPIC in the kernel the vCPUs other than
 * the first would wait for INIT/SIPI: make every one runnable.
 */
static int fg_vcpu_runnable(struct fg_vcpu *v)
{
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };

	if (!v->ctx->opts->userfault)
		return 0;
	if (ioctl(v->fd, KVM_SET_MP_STATE, &mp)) {
		fg_perror("KVM_SET_MP_STATE");
		return -1;
	}
	return 0;
}

/**
 * fg_vcpu_setup_regs() - enter 32-bit protected mode, paging off
 * @v: the vCPU
 *
 * The segment caches are loaded directly, so the guest needs no GDT.
 * Return: 0 on success, -1 (message printed) on failure.
 */
static int fg_vcpu_setup_regs(struct fg_vcpu *v)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (ioctl(v->fd, KVM_GET_SREGS, &sregs)) {
		fg_perror("KVM_GET_SREGS");
		return -1;
	}
	fg_flat_segment(&sregs.cs, 0x08, 0xb);
	fg_flat_segment(&sregs.ds, 0x10, 0x3);
	sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
	sregs.cr0 = X86_CR0_PE | X86_CR0_ET;
	sregs.cr4 = 0;
	sregs.efer = 0;
	if (ioctl(v->fd, KVM_SET_SREGS, &sregs)) {
		fg_perror("KVM_SET_SREGS");
		return -1;
	}
	memset(&regs, 0, sizeof(regs));
	regs.rip = fg_vcpu_code_gpa(v->id);
	regs.rsp = fg_vcpu_stack_gpa(v->id) + FG_PAGE_SIZE;
	regs.rflags = X86_RFLAGS_FIXED;
	if (v->ctx->opts->userfault)
		regs.rflags |= X86_RFLAGS_IF;
	if (ioctl(v->fd, KVM_SET_REGS, &regs)) {
		fg_perror("KVM_SET_REGS");
		return -1;
	}
	return fg_vcpu_runnable(v);
}

static int fg_vcpu_create(struct fg_run *r, unsigned int id)
{
	struct fg_vcpu *v = &r->vcpus[id];
	void *run;

	v->fd = ioctl(r->vm->vm_fd, KVM_CREATE_VCPU, id);
	if (v->fd < 0) {
		fg_perror("KVM_CREATE_VCPU");
		return -1;
	}
	run = mmap(NULL, r->vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   v->fd, 0);
	if (run == MAP_FAILED) {
		fg_perror("mmap(kvm_run)");
		return -1;
	}
	v->run = run;
	return fg_vcpu_setup_regs(v);
}

/**
 * fg_run_init() - create all vCPUs (no threads yet)
 * @r: run context to fill; fg_run_destroy() must be called even on failure
 * @o: options
 * @vm: the VM, memslots and guest code in place
 *
 * Return: 0 on success, -1 (message printed) on failure.
 */
int fg_run_init(struct fg_run *r, const struct fg_opts *o, struct fg_vm *vm)
{
	unsigned int i;

	memset(r, 0, sizeof(*r));
	r->opts = o;
	r->vm = vm;
	r->nr_vcpus = o->vcpus;
	atomic_init(&r->failed, false);
	for (i = 0; i < r->nr_vcpus; i++) {
		r->vcpus[i].id = i;
		r->vcpus[i].fd = -1;
		r->vcpus[i].ctx = r;
	}
	if (fg_barrier_init(&r->barrier, r->nr_vcpus + 1)) {
		fg_err("cannot initialize the vCPU barrier");
		return -1;
	}
	r->barrier_ready = true;
	if (o->dirty_log) {
		r->dirty_rounds = calloc(o->rewrites, sizeof(*r->dirty_rounds));
		if (!r->dirty_rounds) {
			fg_perror("calloc");
			return -1;
		}
	}
	for (i = 0; i < r->nr_vcpus; i++) {
		if (fg_vcpu_create(r, i))
			return -1;
	}
	return 0;
}

/**
 * fg_run_fail() - record a failure and release everybody from the barrier
 * @r: run context
 */
void fg_run_fail(struct fg_run *r)
{
	atomic_store(&r->failed, true);
	fg_barrier_abort(&r->barrier);
}

/* true for the first failure only: that one prints its message */
static bool fg_run_first_failure(struct fg_run *r)
{
	return !atomic_exchange(&r->failed, true);
}

/* print "vcpu N: <message>", for the first failure of the run only */
static void __attribute__((format(printf, 2, 3)))
fg_vcpu_error(struct fg_vcpu *v, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (!fg_run_first_failure(v->ctx))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fg_err("vcpu %u: %s", v->id, msg);
}

static void fg_vcpu_unexpected(struct fg_vcpu *v)
{
	struct kvm_regs regs;

	if (ioctl(v->fd, KVM_GET_REGS, &regs))
		regs.rip = 0;
	fg_vcpu_error(v, "unexpected exit reason %" PRIu32 " at rip 0x%llx",
		      v->run->exit_reason, (unsigned long long)regs.rip);
}

/**
 * fg_vcpu_serve_mmio() - answer one KVM_EXIT_MMIO at the MMIO GPA
 * @v: the vCPU
 *
 * Reads get FG_MMIO_PATTERN (little endian, at the accessed offset).
 * Return: 0 if served, -1 if the access is not to the MMIO GPA.
 */
static int fg_vcpu_serve_mmio(struct fg_vcpu *v)
{
	struct kvm_run *run = v->run;
	uint64_t base = v->ctx->opts->mmio_gpa;
	uint64_t addr = run->mmio.phys_addr;
	uint32_t pattern = FG_MMIO_PATTERN;

	if (addr < base || run->mmio.len > 4 ||
	    addr + run->mmio.len > base + 4)
		return -1;
	if (run->mmio.is_write) {
		v->mmio_writes++;
		return 0;
	}
	memcpy(run->mmio.data, (uint8_t *)&pattern + (addr - base),
	       run->mmio.len);
	v->mmio_reads++;
	return 0;
}

/* status byte of an OUT to FG_PORT_STATUS, or -1 for any other I/O */
static int fg_vcpu_status(struct fg_vcpu *v)
{
	struct kvm_run *run = v->run;

	if (run->io.direction != KVM_EXIT_IO_OUT || run->io.size != 1 ||
	    run->io.port != FG_PORT_STATUS || run->io.count != 1)
		return -1;
	return *((uint8_t *)run + run->io.data_offset);
}

/**
 * fg_vcpu_next_status() - run the guest until it writes its status port
 * @v: the vCPU
 *
 * Serves MMIO exits on the way; any other exit is a failure.
 * Return: the status byte, or -1 on failure (reported).
 */
static int fg_vcpu_next_status(struct fg_vcpu *v)
{
	struct kvm_run *run = v->run;

	for (;;) {
		if (ioctl(v->fd, KVM_RUN, NULL)) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			fg_vcpu_error(v, "KVM_RUN: %s", strerror(errno));
			return -1;
		}
		if (run->exit_reason == KVM_EXIT_MMIO && !fg_vcpu_serve_mmio(v))
			continue;
		if (run->exit_reason == KVM_EXIT_IO && fg_vcpu_status(v) >= 0)
			return fg_vcpu_status(v);
		fg_vcpu_unexpected(v);
		return -1;
	}
}

/* run until the guest reports @want; 0 on success, -1 on failure */
static int fg_vcpu_run_until(struct fg_vcpu *v, int want)
{
	int status = fg_vcpu_next_status(v);

	if (status == want)
		return 0;
	if (status == FG_STATUS_FAIL)
		fg_vcpu_error(v, "guest read a wrong MMIO value");
	else if (status >= 0)
		fg_vcpu_error(v, "unexpected guest status 0x%x", status);
	return -1;
}

/* vCPU thread: rendezvous and passes, in the order of enum fg_rendezvous */
static void *fg_vcpu_thread(void *arg)
{
	struct fg_vcpu *v = arg;
	struct fg_barrier *b = &v->ctx->barrier;
	uint64_t round;

	v->tid = syscall(SYS_gettid);
	/* READY, GO */
	if (fg_barrier_wait(b, 0) || fg_barrier_wait(b, 0))
		return NULL;
	if (fg_vcpu_run_until(v, FG_STATUS_PASS1))
		goto fail;
	/* PASS1, PASS2 */
	if (fg_barrier_wait(b, 0) || fg_barrier_wait(b, 0))
		return NULL;
	for (round = 1; round < v->ctx->opts->rewrites; round++) {
		if (fg_vcpu_run_until(v, FG_STATUS_REWRITE))
			goto fail;
		/* REWRITE_END, REWRITE_GO */
		if (fg_barrier_wait(b, 0) || fg_barrier_wait(b, 0))
			return NULL;
	}
	if (fg_vcpu_run_until(v, FG_STATUS_DONE))
		goto fail;
	fg_barrier_wait(b, 0);	/* DONE */
	return NULL;
fail:
	fg_run_fail(v->ctx);
	return NULL;
}

/**
 * fg_run_start() - start one thread per vCPU; they stop at FG_RV_READY
 * @r: run context
 *
 * Return: 0 on success, -1 (message printed) on failure.
 */
int fg_run_start(struct fg_run *r)
{
	unsigned int i;
	int ret;

	for (i = 0; i < r->nr_vcpus; i++) {
		ret = pthread_create(&r->vcpus[i].thread, NULL, fg_vcpu_thread,
				     &r->vcpus[i]);
		if (ret) {
			errno = ret;
			fg_perror("pthread_create");
			fg_run_fail(r);
			return -1;
		}
		r->vcpus[i].started = true;
	}
	return 0;
}

/**
 * fg_run_rendezvous() - main thread's side of a rendezvous
 * @r: run context
 * @rv: which one (for the timeout message)
 *
 * Gives up after FG_RUN_TIMEOUT_SEC; a vCPU may then be stuck in KVM_RUN,
 * so r->timed_out tells the caller not to clean up.
 * Return: 0 when all vCPU threads arrived, -1 on vCPU failure or timeout.
 */
int fg_run_rendezvous(struct fg_run *r, enum fg_rendezvous rv)
{
	static const char *const names[FG_NR_RV] = {
		"start", "go", "pass 1", "pass 2", "rewrite round end",
		"rewrite round start", "end",
	};
	int ret = fg_barrier_wait(&r->barrier, FG_RUN_TIMEOUT_SEC);

	if (ret == -ETIMEDOUT)
		r->timed_out = true;
	if (ret == -ETIMEDOUT && fg_run_first_failure(r))
		fg_err("timed out after %d s waiting for the vCPUs (%s)",
		       FG_RUN_TIMEOUT_SEC, names[rv]);
	if (ret)
		fg_run_fail(r);
	return ret ? -1 : 0;
}

/**
 * fg_run_destroy() - join the threads, close and unmap the vCPUs
 * @r: run context
 *
 * Does nothing after a timeout, when a thread may be stuck in KVM_RUN:
 * the process then exits without cleaning up.
 */
void fg_run_destroy(struct fg_run *r)
{
	struct fg_vcpu *v;
	unsigned int i;

	if (r->timed_out)
		return;
	for (i = 0; i < r->nr_vcpus; i++) {
		v = &r->vcpus[i];
		if (v->started)
			pthread_join(v->thread, NULL);
		if (v->run)
			munmap(v->run, r->vm->run_size);
		if (v->fd >= 0)
			close(v->fd);
	}
	if (r->barrier_ready)
		fg_barrier_destroy(&r->barrier);
	free(r->dirty_rounds);
	memset(r, 0, sizeof(*r));
}
