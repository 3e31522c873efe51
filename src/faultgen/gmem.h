/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gmem.h - --backing gmem: slots 1 and 2 backed by a guest_memfd
 */
#ifndef FAULTGEN_GMEM_H
#define FAULTGEN_GMEM_H

#include <stddef.h>
#include <stdint.h>

#include "vm.h"

int fg_gmem_flags(int vm_fd, uint64_t *flags);
int fg_gmem_map(int vm_fd, uint64_t flags, uintptr_t frame, size_t len,
		int *fd);
int fg_gmem_register(int vm_fd, const struct fg_slot *s, int fd);
void fg_gmem_touch(const struct fg_slot *s, uint64_t gpa);

#endif /* FAULTGEN_GMEM_H */
