/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * barrier.h - reusable rendezvous of the main thread and the vCPU threads
 */
#ifndef FAULTGEN_BARRIER_H
#define FAULTGEN_BARRIER_H

#include <pthread.h>
#include <stdbool.h>

struct fg_barrier {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned int parties;
	unsigned int arrived;
	unsigned long generation;
	bool aborted;
};

int fg_barrier_init(struct fg_barrier *b, unsigned int parties);
void fg_barrier_destroy(struct fg_barrier *b);
int fg_barrier_wait(struct fg_barrier *b, unsigned int timeout_sec);
void fg_barrier_abort(struct fg_barrier *b);

#endif /* FAULTGEN_BARRIER_H */
