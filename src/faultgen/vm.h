/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vm.h - /dev/kvm, the VM file descriptor and its memslots
 */
#ifndef FAULTGEN_VM_H
#define FAULTGEN_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "faultgen.h"
#include "options.h"

/* how a slot was pre-faulted (--populate) */
enum fg_populated {
	FG_POPULATED_NONE,
	FG_POPULATED_MADVISE,	/* MADV_POPULATE_WRITE */
	FG_POPULATED_TOUCH,	/* one write per page from the host */
};

struct fg_slot {
	bool used;
	unsigned int id;
	uint64_t gpa;
	uint64_t size;
	uint8_t *hva;		/* hva % 2 MiB == gpa % 2 MiB */
	void *map_base;		/* what mmap() returned */
	size_t map_len;
	uint32_t flags;		/* KVM_MEM_* currently set */
	enum fg_backing backing;
	enum fg_populated populated;
	int gmem_fd;		/* --backing gmem, until the slot holds it */
};

struct fg_vm {
	int kvm_fd;
	int vm_fd;
	size_t run_size;	/* KVM_GET_VCPU_MMAP_SIZE */
	uint64_t gmem_flags;	/* --backing gmem: GUEST_MEMFD_FLAG_* */
	struct fg_slot slots[FG_NR_SLOTS];
};

int fg_vm_create(struct fg_vm *vm, const struct fg_opts *o);
void fg_vm_destroy(struct fg_vm *vm);
const char *fg_populated_name(enum fg_populated populated);
uint8_t *fg_vm_hva(const struct fg_vm *vm, uint64_t gpa);
int fg_vm_set_slot_flags(struct fg_vm *vm, unsigned int id, uint32_t flags);
int fg_vm_count_dirty(const struct fg_vm *vm, unsigned int id,
		      uint64_t *count);

#endif /* FAULTGEN_VM_H */
