/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * prefault.h - --prefault: map guest pages with KVM_PRE_FAULT_MEMORY
 */
#ifndef FAULTGEN_PREFAULT_H
#define FAULTGEN_PREFAULT_H

#include "vcpu.h"
#include "vm.h"

int fg_prefault_check(const struct fg_vm *vm, const struct fg_opts *o);
int fg_prefault(struct fg_run *r);

#endif /* FAULTGEN_PREFAULT_H */
