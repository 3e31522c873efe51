/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vm_target.h - the process being traced: a running VM or a command.
 */
#ifndef KVMMMU_VM_TARGET_H
#define KVMMMU_VM_TARGET_H

#include <stdbool.h>
#include <stddef.h>

/**
 * vm_target_check() - is @pid a live process holding a KVM VM?
 * @err:	one-line reason on failure
 *
 * Return: 0, -ESRCH (no such process), -EACCES (cannot inspect it: not
 * root), -ENOTTY (alive but no kvm-vm file descriptor).
 */
int vm_target_check(int pid, char *err, size_t errlen);

/* Thread ids of @pid into @tids; return how many, or -errno. */
int vm_target_tids(int pid, int *tids, int max);

/**
 * vm_target_spawn() - fork @argv, stopped before exec
 * @argv:	command and arguments
 * @pid:	the child's pid
 *
 * The child waits until vm_target_release() so that tracing can be set
 * up for its pid before it runs a single instruction of COMMAND.
 * Return: 0 or -errno.
 */
int vm_target_spawn(char **argv, int *pid);

/* Let the spawned child exec; -errno (e.g. -ENOENT) if exec failed. */
int vm_target_release(void);

/* Has the target exited? Reaps a spawned child; *status gets its status. */
bool vm_target_exited(int pid, int *status);

#endif /* KVMMMU_VM_TARGET_H */
