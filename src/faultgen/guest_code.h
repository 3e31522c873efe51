/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * guest_code.h - machine code run by each vCPU
 */
#ifndef FAULTGEN_GUEST_CODE_H
#define FAULTGEN_GUEST_CODE_H

#include "options.h"
#include "vm.h"

int fg_guest_load(struct fg_vm *vm, const struct fg_opts *o, unsigned int vcpu);
void fg_guest_prefill_exec(struct fg_vm *vm, const struct fg_opts *o);

#endif /* FAULTGEN_GUEST_CODE_H */
