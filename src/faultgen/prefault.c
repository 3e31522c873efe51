// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * prefault.c - --prefault N: before the guest runs, KVM maps the first N
 * slot-1 pages of every vCPU through its fault handler
 * (KVM_PRE_FAULT_MEMORY, Linux 6.10+), one page per call of
 * kvm_arch_vcpu_pre_fault_memory. The guest then takes no fault on
 * those pages when the host pages were writable already (--populate);
 * otherwise KVM maps them read-only and the guest's write faults again.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include "faultgen.h"
#include "layout.h"
#include "prefault.h"

/* for headers older than 6.10 */
#ifndef KVM_CAP_PRE_FAULT_MEMORY
#define KVM_CAP_PRE_FAULT_MEMORY	236
struct kvm_pre_fault_memory {
	__u64 gpa;
	__u64 size;
	__u64 flags;
	__u64 padding[5];
};
#define KVM_PRE_FAULT_MEMORY	_IOWR(KVMIO, 0xd5, struct kvm_pre_fault_memory)
#endif

/**
 * fg_prefault_check() - can this kernel pre-fault guest memory?
 * @vm: the VM
 * @o: options
 *
 * Return: 0 when --prefault is not asked for or KVM offers it, -1
 * (message printed) otherwise.
 */
int fg_prefault_check(const struct fg_vm *vm, const struct fg_opts *o)
{
	if (!o->prefault)
		return 0;
	if (ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_PRE_FAULT_MEMORY) > 0)
		return 0;
	fg_err("--prefault: this KVM has no KVM_PRE_FAULT_MEMORY "
	       "(Linux 6.10 or later, with EPT or NPT)");
	return -1;
}

/* Map [gpa, gpa + size) on one vCPU; the kernel moves gpa and size on. */
static int fg_prefault_range(int vcpu_fd, uint64_t gpa, uint64_t size)
{
	struct kvm_pre_fault_memory range;

	memset(&range, 0, sizeof(range));
	range.gpa = gpa;
	range.size = size;
	while (range.size) {
		if (!ioctl(vcpu_fd, KVM_PRE_FAULT_MEMORY, &range))
			continue;
		if (errno == EINTR || errno == EAGAIN)
			continue;
		if (errno == EOPNOTSUPP)
			fg_err("--prefault: KVM maps ahead only with TDP "
			       "(EPT or NPT), not with shadow paging");
		else
			fg_perror("KVM_PRE_FAULT_MEMORY");
		return -1;
	}
	return 0;
}

/**
 * fg_prefault() - map every vCPU's first --prefault slot-1 pages
 * @r: run context, vCPUs created and not running
 *
 * Return: 0 on success, -1 (message printed) on failure.
 */
int fg_prefault(struct fg_run *r)
{
	const struct fg_opts *o = r->opts;
	unsigned int i;

	for (i = 0; o->prefault && i < r->nr_vcpus; i++)
		if (fg_prefault_range(r->vcpus[i].fd, fg_vcpu_slot1_gpa(o, i),
				      o->prefault * FG_PAGE_SIZE))
			return -1;
	return 0;
}
