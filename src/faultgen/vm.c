// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vm.c - create the VM and back its memslots with anonymous memory
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "faultgen.h"
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
 * fg_slot_map() - mmap anonymous memory for a slot
 * @s: slot with gpa and size set
 * @huge: advise transparent huge pages instead of forbidding them
 *
 * The host virtual address gets the same offset inside a 2 MiB frame as
 * the guest physical address, so that KVM may map 2 MiB pages wherever the
 * host has them.
 *
 * Return: 0 on success, -1 (message printed) on failure.
 */
static int fg_slot_map(struct fg_slot *s, bool huge)
{
	uintptr_t base, hva;

	s->map_len = s->size + 2 * FG_HUGE_SIZE;
	s->map_base = mmap(NULL, s->map_len, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (s->map_base == MAP_FAILED) {
		s->map_base = NULL;
		fg_perror("mmap");
		return -1;
	}
	base = (uintptr_t)s->map_base;
	hva = fg_round_up(base, FG_HUGE_SIZE) + s->gpa % FG_HUGE_SIZE;
	s->hva = (uint8_t *)hva;
	if (huge && madvise(s->hva, s->size, MADV_HUGEPAGE)) {
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
		       uint64_t size, bool huge)
{
	struct fg_slot *s = &vm->slots[id];

	s->id = id;
	s->gpa = gpa;
	s->size = size;
	if (fg_slot_map(s, huge) || fg_slot_register(vm, s, 0))
		return -1;
	s->used = true;
	return 0;
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
	memset(vm, 0, sizeof(*vm));
	vm->kvm_fd = -1;
	vm->vm_fd = -1;
	if (fg_kvm_open(vm))
		return -1;
	if (fg_slot_add(vm, 0, FG_SLOT0_GPA, FG_SLOT0_SIZE, false))
		return -1;
	if (fg_slot_add(vm, 1, FG_SLOT1_GPA, fg_slot1_size(o), o->hugepages))
		return -1;
	if (o->pages2 &&
	    fg_slot_add(vm, 2, o->slot2_gpa, fg_slot2_size(o), o->hugepages))
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
		if (vm->slots[i].map_base)
			munmap(vm->slots[i].map_base, vm->slots[i].map_len);
	}
	memset(vm, 0, sizeof(*vm));
	vm->kvm_fd = -1;
	vm->vm_fd = -1;
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
