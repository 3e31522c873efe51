// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * barrier.c - a pthread barrier that can time out and be aborted
 *
 * pthread_barrier_t would leave the other threads stuck when one vCPU
 * fails; here a failing thread aborts the barrier and everybody returns.
 */
#include <errno.h>
#include <time.h>

#include "barrier.h"

int fg_barrier_init(struct fg_barrier *b, unsigned int parties)
{
	pthread_condattr_t attr;
	int ret;

	b->parties = parties;
	b->arrived = 0;
	b->generation = 0;
	b->aborted = false;
	ret = pthread_mutex_init(&b->lock, NULL);
	if (ret)
		return -ret;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	ret = pthread_cond_init(&b->cond, &attr);
	pthread_condattr_destroy(&attr);
	if (ret)
		pthread_mutex_destroy(&b->lock);
	return -ret;
}

void fg_barrier_destroy(struct fg_barrier *b)
{
	pthread_cond_destroy(&b->cond);
	pthread_mutex_destroy(&b->lock);
}

/**
 * fg_barrier_wait() - wait until all parties arrived
 * @b: the barrier
 * @timeout_sec: give up after this many seconds; 0 waits forever
 *
 * Return: 0 when all parties arrived, -ECANCELED if the barrier was
 * aborted, -ETIMEDOUT on timeout.
 */
int fg_barrier_wait(struct fg_barrier *b, unsigned int timeout_sec)
{
	struct timespec deadline;
	unsigned long gen;
	int ret = 0;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_sec;
	pthread_mutex_lock(&b->lock);
	gen = b->generation;
	if (b->aborted) {
		ret = -ECANCELED;
	} else if (++b->arrived == b->parties) {
		b->arrived = 0;
		b->generation++;
		pthread_cond_broadcast(&b->cond);
	} else {
		while (gen == b->generation && !b->aborted && !ret) {
			if (!timeout_sec)
				pthread_cond_wait(&b->cond, &b->lock);
			else
				ret = -pthread_cond_timedwait(&b->cond,
							      &b->lock,
							      &deadline);
		}
		if (gen != b->generation)
			ret = 0;
		else if (b->aborted)
			ret = -ECANCELED;
	}
	pthread_mutex_unlock(&b->lock);
	return ret;
}

/**
 * fg_barrier_abort() - make every current and future wait return -ECANCELED
 * @b: the barrier
 */
void fg_barrier_abort(struct fg_barrier *b)
{
	pthread_mutex_lock(&b->lock);
	b->aborted = true;
	pthread_cond_broadcast(&b->cond);
	pthread_mutex_unlock(&b->lock);
}
