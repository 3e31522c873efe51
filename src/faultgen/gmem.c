// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gmem.c - --backing gmem: slots 1 and 2 come from a guest_memfd that the
 * host can mmap (Linux 6.18+, CONFIG_KVM_GUEST_MEMFD). KVM then takes the
 * guest's pages from the file through kvm_gmem_get_pfn(), never through
 * the VMM's page tables, as for confidential VMs' private memory; the
 * mapping at the slot's userspace address shows the same pages.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "faultgen.h"
#include "gmem.h"

/* for headers older than 6.18 */
#ifndef KVM_CAP_USER_MEMORY2
#define KVM_CAP_USER_MEMORY2		231
struct kvm_userspace_memory_region2 {
	__u32 slot;
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;
	__u64 userspace_addr;
	__u64 guest_memfd_offset;
	__u32 guest_memfd;
	__u32 pad1;
	__u64 pad2[14];
};
#define KVM_SET_USER_MEMORY_REGION2	_IOW(KVMIO, 0x49, \
					     struct kvm_userspace_memory_region2)
#endif
#ifndef KVM_MEM_GUEST_MEMFD
#define KVM_MEM_GUEST_MEMFD		(1UL << 2)
#endif
#ifndef KVM_CREATE_GUEST_MEMFD
struct kvm_create_guest_memfd {
	__u64 size;
	__u64 flags;
	__u64 reserved[6];
};
#define KVM_CREATE_GUEST_MEMFD		_IOWR(KVMIO, 0xd4, \
					      struct kvm_create_guest_memfd)
#endif
#ifndef KVM_CAP_GUEST_MEMFD_FLAGS
#define KVM_CAP_GUEST_MEMFD_FLAGS	244
#endif
#ifndef GUEST_MEMFD_FLAG_MMAP
#define GUEST_MEMFD_FLAG_MMAP		(1ULL << 0)
#define GUEST_MEMFD_FLAG_INIT_SHARED	(1ULL << 1)
#endif

/**
 * fg_gmem_flags() - the guest_memfd flags a shared, mmap-able file needs
 * @vm_fd: the VM
 * @flags: GUEST_MEMFD_FLAG_MMAP, with INIT_SHARED where KVM knows it
 *
 * Return: 0 on success, -1 (message printed) when this KVM cannot back
 * a normal VM's memory with a guest_memfd the host maps.
 */
int fg_gmem_flags(int vm_fd, uint64_t *flags)
{
	int caps = ioctl(vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD_FLAGS);

	if (caps <= 0 || !(caps & GUEST_MEMFD_FLAG_MMAP) ||
	    ioctl(vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY2) <= 0) {
		fg_err("--backing gmem: this KVM has no guest_memfd that the "
		       "host can map (Linux 6.18 or later, with "
		       "CONFIG_KVM_GUEST_MEMFD)");
		return -1;
	}
	*flags = caps & (GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED);
	return 0;
}

/**
 * fg_gmem_map() - create a guest_memfd and map it over part of a slot's
 * reservation
 * @vm_fd: the VM
 * @flags: from fg_gmem_flags()
 * @frame: 2 MiB aligned address inside the reservation, file offset 0
 * @len: bytes of file to create and map
 * @fd: the guest_memfd; the caller closes it once the slot holds it
 *
 * Return: 0 on success, -1 (message printed) on failure.
 */
int fg_gmem_map(int vm_fd, uint64_t flags, uintptr_t frame, size_t len,
		int *fd)
{
	struct kvm_create_guest_memfd create = {
		.size = fg_round_up(len, FG_PAGE_SIZE),
		.flags = flags,
	};
	void *p;

	*fd = ioctl(vm_fd, KVM_CREATE_GUEST_MEMFD, &create);
	if (*fd < 0) {
		fg_perror("KVM_CREATE_GUEST_MEMFD");
		return -1;
	}
	p = mmap((void *)frame, create.size, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, *fd, 0);
	if (p == MAP_FAILED) {
		fg_perror("mmap(guest_memfd)");
		return -1;
	}
	return 0;
}

/**
 * fg_gmem_register() - make a slot whose pages KVM takes from a guest_memfd
 * @vm_fd: the VM
 * @s: slot mapped by fg_gmem_map() at its 2 MiB frame
 * @fd: the guest_memfd
 *
 * The slot's offset in the file is its offset in the frame, as its host
 * address is.
 *
 * Return: 0 on success, -1 (message printed) on failure.
 */
int fg_gmem_register(int vm_fd, const struct fg_slot *s, int fd)
{
	struct kvm_userspace_memory_region2 region = {
		.slot = s->id,
		.flags = KVM_MEM_GUEST_MEMFD,
		.guest_phys_addr = s->gpa,
		.memory_size = s->size,
		.userspace_addr = (uintptr_t)s->hva,
		.guest_memfd_offset = s->gpa % FG_HUGE_SIZE,
		.guest_memfd = fd,
	};

	if (ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION2, &region)) {
		fg_perror("KVM_SET_USER_MEMORY_REGION2 (guest_memfd)");
		return -1;
	}
	return 0;
}

/**
 * fg_gmem_touch() - map one guest page into the host's page tables
 * @s: a guest_memfd slot
 * @gpa: guest physical address inside @s
 *
 * The guest's writes fill the file but not the host's page tables, so
 * /proc/self/pagemap knows a page only after the host has read it: the
 * read maps the very page KVM gave the guest.
 */
void fg_gmem_touch(const struct fg_slot *s, uint64_t gpa)
{
	const volatile uint8_t *p = s->hva + (gpa - s->gpa);

	(void)*p;
}
