/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kvm_stats.h - read KVM binary statistics (KVM_GET_STATS_FD) by name
 */
#ifndef FAULTGEN_KVM_STATS_H
#define FAULTGEN_KVM_STATS_H

#include <stdbool.h>
#include <stdint.h>

struct fg_stat {
	bool present;
	uint64_t value;
};

#define FG_NR_VCPU_STATS	9
#define FG_NR_VM_STATS		8

extern const char *const fg_vcpu_stat_names[FG_NR_VCPU_STATS];
extern const char *const fg_vm_stat_names[FG_NR_VM_STATS];

int fg_stats_read(int kvm_obj_fd, const char *const *names, unsigned int n,
		  struct fg_stat *out);

#endif /* FAULTGEN_KVM_STATS_H */
