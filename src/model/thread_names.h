/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * thread_names.h - thread id -> name and thread group, remembered.
 *
 * vCPU threads can be gone from /proc by the time their events are read
 * (a short VM), and QEMU renames its threads after creating them, so names
 * are refreshed from /proc while tracing and kept after the thread exits.
 * Recordings carry the kernel's saved_cmdlines and saved_tgids instead.
 */
#ifndef KVMMMU_THREAD_NAMES_H
#define KVMMMU_THREAD_NAMES_H

#include <stdbool.h>
#include <stddef.h>

struct thread_names;

struct thread_names *thread_names_new(void);
void thread_names_free(struct thread_names *tn);

/**
 * thread_names_load_saved() - read saved_cmdlines and saved_tgids
 * @dir:	a tracefs directory or a recording (files may be absent)
 *
 * Entries already known are kept. Return: entries read, or -ENOMEM.
 */
int thread_names_load_saved(struct thread_names *tn, const char *dir);

/* Refresh every thread of process @pid from /proc. Return: threads seen. */
int thread_names_refresh(struct thread_names *tn, int pid);

/**
 * thread_names_get() - what is known of @tid
 * @comm:	filled with the name when known (left as is otherwise)
 * @tgid:	filled with the thread group when known
 * Return: true if anything was known.
 */
bool thread_names_get(const struct thread_names *tn, int tid, char *comm,
		      size_t len, int *tgid);

#endif /* KVMMMU_THREAD_NAMES_H */
