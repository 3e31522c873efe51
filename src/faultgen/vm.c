// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vm.c - create the VM and back its memslots with anonymous, shmem or
 * memfd memory
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "faultgen.h"
#include "gmem.h"
#include "layout.h"
#include "vm.h"

static int fg_kvm_open(struct fg_vm *vm)
{
	int ret;

	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0) {
		fg_perror("/dev/kvm");
		return -1;
	}
	ret = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (ret != KVM_API_VERSION) {
		fg_err("/dev/kvm: unsupported KVM API version %d", ret);
		return -1;
	}
	ret = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (ret <= 0) {
		fg_perror("KVM_GET_VCPU_MMAP_SIZE");
		return -1;
	}
	vm->run_size = ret;
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0) {
		fg_perror("KVM_CREATE_VM");
		return -1;
	}
	return 0;
}

/**
 * fg_slot_map_shared() - put a shared shmem mapping over a slot's window
 * @s: slot with gpa, size and hva set, its reservation mapped
 * @frame: the 2 MiB aligned address at or below s->hva, inside the
 *	reservation
 * @vm: the VM (for a guest_memfd)
 * @backing: FG_BACKING_SHMEM, FG_BACKING_MEMFD or FG_BACKING_GMEM
 *
 * The file is mapped at @frame from offset 0, so a page's file offset has
 * the same offset in a 2 MiB frame as its host address (and its GPA):
 * shmem allocates huge pages at 2 MiB aligned file offsets.
 *
 * Return: 0 on success, -1 (message printed) on failure.
 */
static int fg_slot_map_shared(struct fg_vm *vm, struct fg_slot *s,
			      uintptr_t frame, enum fg_backing backing)
{
	size_t len = s->gpa % FG_HUGE_SIZE + s->size;
	char name[32];
	void *p;
	int fd = -1;

	if (backing == FG_BACKING_GMEM)
		return fg_gmem_map(vm->vm_fd, vm->gmem_flags, frame, len,
				   &s->gmem_fd);
	if (backing == FG_BACKING_MEMFD) {
		snprintf(name, sizeof(name), FG_NAME "-slot%u", s->id);
		fd = memfd_create(name, MFD_CLOEXEC);
		if (fd < 0) {
			fg_perror("memfd_create");
			return -1;
		}
		if (ftruncate(fd, len)) {
			fg_perror("ftruncate(memfd)");
			close(fd);
			return -1;
		}
		p = mmap((void *)frame, len, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, fd, 0);
		close(fd);	/* the mapping keeps the file */
	} else {
		p = mmap((void *)frame, len, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	}
	if (p == MAP_FAILED) {
		fg_perror(backing == FG_BACKING_MEMFD ? "mmap(memfd)" :
			  "mmap(MAP_SHARED | MAP_ANONYMOUS)");
		return -1;
	}
	return 0;
}

/**
 * fg_slot_advise_huge() - allow transparent huge pages for a slot
 * @s: mapped slot
 * @frame: the 2 MiB aligned address at or below s->hva
 *
 * A huge page needs its whole 2 MiB aligned range inside one VMA that
 * allows it.  The slot's own range starts at its GPA's offset in a 2 MiB
 * frame (1 MiB for slot 1), so advising only that range would split the
 * VMA there and leave no frame a huge page fits in.  The whole frames
 * around the slot are advised instead (they are inside the reservation).
 *
 * Return: madvise()'s result.
 */
static int fg_slot_advise_huge(const struct fg_slot *s, uintptr_t frame)
{
	uintptr_t end = fg_round_up((uintptr_t)s->hva + s->size, FG_HUGE_SIZE);
	uintptr_t limit = ((uintptr_t)s->map_base + s->map_len) &
			  ~(uintptr_t)(FG_HUGE_SIZE - 1);

	if (end > limit)
		end = limit;
	return madvise((void *)frame, end - frame, MADV_HUGEPAGE);
}

/**
 * fg_slot_map() - mmap the memory for a slot
 * @vm: the VM
 * @s: slot with gpa and size set
 * @huge: advise transparent huge pages instead of forbidding them
 * @backing: anonymous private memory, shared anonymous (shmem), a memfd
 *	or a guest_memfd
 *
 * The host virtual address gets the same offset inside a 2 MiB frame as
 * the guest physical address, so that KVM may map 2 MiB pages wherever the
 * host has them.  For shmem and memfd an inaccessible reservation is
 * mapped first and the shared mapping replaces part of it.
 *
 * Return: 0 on success, -1 (message printed) on failure.
 */
static int fg_slot_map(struct fg_vm *vm, struct fg_slot *s, bool huge,
		       enum fg_backing backing)
{
	bool anon = backing == FG_BACKING_ANON;
	uintptr_t base, frame;

	s->backing = backing;
	s->map_len = s->size + 2 * FG_HUGE_SIZE;
	s->map_base = mmap(NULL, s->map_len,
			   anon ? PROT_READ | PROT_WRITE : PROT_NONE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (s->map_base == MAP_FAILED) {
		s->map_base = NULL;
		fg_perror("mmap");
		return -1;
	}
	base = (uintptr_t)s->map_base;
	frame = fg_round_up(base, FG_HUGE_SIZE);
	s->hva = (uint8_t *)(frame + s->gpa % FG_HUGE_SIZE);
	if (!anon && fg_slot_map_shared(vm, s, frame, backing))
		return -1;
	if (huge && fg_slot_advise_huge(s, frame)) {
		fg_perror("madvise(MADV_HUGEPAGE)");
		return -1;
	}
	/* EINVAL: kernel without transparent huge pages, nothing to forbid */
	if (!huge && madvise(s->hva, s->size, MADV_NOHUGEPAGE) &&
	    errno != EINVAL) {
		fg_perror("madvise(MADV_NOHUGEPAGE)");
		return -1;
	}
	return 0;
}

/* <sys/mman.h> of older C libraries lacks it; Linux 5.14 has it */
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23
#endif

static const char *const fg_populated_names[] = {
	[FG_POPULATED_NONE] = NULL,
	[FG_POPULATED_MADVISE] = "madv_populate_write",
	[FG_POPULATED_TOUCH] = "touch",
};

/* JSON value of slots[].populated: NULL when not pre-faulted */
const char *fg_populated_name(enum fg_populated populated)
{
	return fg_populated_names[populated];
}

/**
 * fg_slot_populate() - fault in every page of a slot from the host
 * @s: mapped slot
 *
 * MADV_POPULATE_WRITE (Linux 5.14) allocates writable pages (huge ones
 * where MADV_HUGEPAGE allows), as a write fault would.  Older kernels
 * answer EINVAL: then each page is written once from here, which the
 * guest does not notice since it never reads what was there before.
 * Either way the host page tables are populated and KVM's later faults
 * find the pages present.
 *
 * Return: 0 on success, -1 (message printed) on failure.
 */
static int fg_slot_populate(struct fg_slot *s)
{
	static bool warned;
	volatile uint8_t *p;
	uint64_t off;

	if (!madvise(s->hva, s->size, MADV_POPULATE_WRITE)) {
		s->populated = FG_POPULATED_MADVISE;
		return 0;
	}
	if (errno != EINVAL) {
		fg_perror("madvise(MADV_POPULATE_WRITE)");
		return -1;
	}
	if (!warned)
		fg_err("MADV_POPULATE_WRITE not supported (Linux < 5.14?): writing each page from the host instead");
	warned = true;
	p = s->hva;
	for (off = 0; off < s->size; off += FG_PAGE_SIZE)
		p[off] = 0;
	s->populated = FG_POPULATED_TOUCH;
	return 0;
}

static int fg_slot_register(struct fg_vm *vm, const struct fg_slot *s,
			    uint32_t flags)
{
	struct kvm_userspace_memory_region region = {
		.slot = s->id,
		.flags = flags,
		.guest_phys_addr = s->gpa,
		.memory_size = s->size,
		.userspace_addr = (uintptr_t)s->hva,
	};

	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region)) {
		fg_perror("KVM_SET_USER_MEMORY_REGION");
		return -1;
	}
	return 0;
}

static int fg_slot_add(struct fg_vm *vm, unsigned int id, uint64_t gpa,
		       uint64_t size, const struct fg_opts *o)
{
	struct fg_slot *s = &vm->slots[id];
	enum fg_backing backing = id ? o->backing : FG_BACKING_ANON;
	bool huge = id && o->hugepages;

	s->id = id;
	s->gpa = gpa;
	s->size = size;
	s->gmem_fd = -1;
	if (fg_slot_map(vm, s, huge, backing))
		return -1;
	if (id && o->populate && fg_slot_populate(s))
		return -1;
	if (backing == FG_BACKING_GMEM) {
		if (fg_gmem_register(vm->vm_fd, s, s->gmem_fd))
			return -1;
		close(s->gmem_fd);	/* the slot and the mapping hold it */
		s->gmem_fd = -1;
	} else if (fg_slot_register(vm, s, 0)) {
		return -1;
	}
	s->used = true;
	return 0;
}

/* no VM: every descriptor closed (-1), no slot mapped */
static void fg_vm_reset(struct fg_vm *vm)
{
	unsigned int i;

	memset(vm, 0, sizeof(*vm));
	vm->kvm_fd = -1;
	vm->vm_fd = -1;
	for (i = 0; i < FG_NR_SLOTS; i++)
		vm->slots[i].gmem_fd = -1;
}

/**
 * fg_vm_create() - open /dev/kvm, create the VM and its memslots
 * @vm: VM to fill; fg_vm_destroy() must be called even on failure
 * @o: options giving the slot sizes
 *
 * Return: 0 on success, -1 (message printed) on failure.
 */
int fg_vm_create(struct fg_vm *vm, const struct fg_opts *o)
{
	fg_vm_reset(vm);
	if (fg_kvm_open(vm))
		return -1;
	if (o->backing == FG_BACKING_GMEM &&
	    fg_gmem_flags(vm->vm_fd, &vm->gmem_flags))
		return -1;
	/* async page faults need the LAPIC in the kernel (--userfault) */
	if (o->userfault && ioctl(vm->vm_fd, KVM_CREATE_IRQCHIP, 0)) {
		fg_perror("KVM_CREATE_IRQCHIP");
		return -1;
	}
	if (fg_slot_add(vm, 0, FG_SLOT0_GPA, FG_SLOT0_SIZE, o))
		return -1;
	if (fg_slot_add(vm, 1, FG_SLOT1_GPA, fg_slot1_size(o), o))
		return -1;
	if (o->pages2 &&
	    fg_slot_add(vm, 2, o->slot2_gpa, fg_slot2_size(o), o))
		return -1;
	return 0;
}

void fg_vm_destroy(struct fg_vm *vm)
{
	unsigned int i;

	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	for (i = 0; i < FG_NR_SLOTS; i++) {
		if (vm->slots[i].gmem_fd >= 0)
			close(vm->slots[i].gmem_fd);
		if (vm->slots[i].map_base)
			munmap(vm->slots[i].map_base, vm->slots[i].map_len);
	}
	fg_vm_reset(vm);
}

/**
 * fg_vm_hva() - host address backing a guest physical address
 * @vm: the VM
 * @gpa: guest physical address
 *
 * Return: the host address, or NULL if @gpa is in no memslot.
 */
uint8_t *fg_vm_hva(const struct fg_vm *vm, uint64_t gpa)
{
	const struct fg_slot *s;
	unsigned int i;

	for (i = 0; i < FG_NR_SLOTS; i++) {
		s = &vm->slots[i];
		if (s->used && gpa >= s->gpa && gpa - s->gpa < s->size)
			return s->hva + (gpa - s->gpa);
	}
	return NULL;
}

/**
 * fg_vm_set_slot_flags() - re-register a memslot with new KVM_MEM_* flags
 * @vm: the VM
 * @id: slot id
 * @flags: e.g. KVM_MEM_LOG_DIRTY_PAGES
 *
 * Return: 0 on success, -1 (message printed) on failure.
 */
int fg_vm_set_slot_flags(struct fg_vm *vm, unsigned int id, uint32_t flags)
{
	struct fg_slot *s = &vm->slots[id];

	if (fg_slot_register(vm, s, flags))
		return -1;
	s->flags = flags;
	return 0;
}

/**
 * fg_vm_count_dirty() - fetch a slot's dirty bitmap and count its set bits
 * @vm: the VM
 * @id: slot id; must have KVM_MEM_LOG_DIRTY_PAGES set
 * @count: number of dirty pages
 *
 * Return: 0 on success, -1 (message printed) on failure.
 */
int fg_vm_count_dirty(const struct fg_vm *vm, unsigned int id,
		      uint64_t *count)
{
	const struct fg_slot *s = &vm->slots[id];
	size_t i, words = (s->size / FG_PAGE_SIZE + 63) / 64;
	struct kvm_dirty_log log = { .slot = id };
	uint64_t *bitmap;
	int ret = 0;

	bitmap = calloc(words, sizeof(*bitmap));
	if (!bitmap) {
		fg_perror("calloc");
		return -1;
	}
	log.dirty_bitmap = bitmap;
	if (ioctl(vm->vm_fd, KVM_GET_DIRTY_LOG, &log)) {
		fg_perror("KVM_GET_DIRTY_LOG");
		ret = -1;
	}
	*count = 0;
	for (i = 0; i < words && !ret; i++)
		*count += __builtin_popcountll(bitmap[i]);
	free(bitmap);
	return ret;
}
