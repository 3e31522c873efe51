// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wait.c - --wait-file, --wait-signal and --rewrite-wait-file
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "faultgen.h"
#include "wait.h"

#define FG_WAIT_POLL_NS		10000000L	/* 10 ms */

/**
 * fg_wait_prepare() - block SIGUSR1 before any thread exists
 * @o: options; only acts for --wait-signal
 *
 * Blocked in every thread, a SIGUSR1 stays pending until sigtimedwait()
 * takes it, even if it arrives before the wait starts.
 * Return: 0 on success, -1 (message printed) on failure.
 */
int fg_wait_prepare(const struct fg_opts *o)
{
	sigset_t set;
	int ret;

	if (!o->wait_signal)
		return 0;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	ret = pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (ret) {
		errno = ret;
		fg_perror("pthread_sigmask");
		return -1;
	}
	return 0;
}

static void fg_wait_file(const char *path)
{
	const struct timespec tick = { .tv_nsec = FG_WAIT_POLL_NS };

	while (access(path, F_OK))
		nanosleep(&tick, NULL);
}

static int fg_wait_signal(void)
{
	const struct timespec tick = { .tv_nsec = FG_WAIT_POLL_NS };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	for (;;) {
		if (sigtimedwait(&set, NULL, &tick) == SIGUSR1)
			return 0;
		if (errno != EAGAIN && errno != EINTR) {
			fg_perror("sigtimedwait");
			return -1;
		}
	}
}

/**
 * fg_wait_for_go() - announce the pid and wait for the file or the signal
 * @o: options
 *
 * Return: 0 to start the guest, -1 (message printed) on failure.
 */
int fg_wait_for_go(const struct fg_opts *o)
{
	if (!o->wait_file && !o->wait_signal)
		return 0;
	fg_err("ready pid=%ld", (long)getpid());
	if (o->wait_file) {
		fg_wait_file(o->wait_file);
		return 0;
	}
	return fg_wait_signal();
}

/**
 * fg_wait_before_rewrites() - --rewrite-wait-file: announce, then wait
 * @o: options
 *
 * Between pass 1 and the dirty-log rewrites, all vCPUs stopped: a
 * tracer that attaches now sees only the rewrites.
 */
void fg_wait_before_rewrites(const struct fg_opts *o)
{
	if (!o->rewrite_wait_file)
		return;
	fg_err("pass 1 done pid=%ld", (long)getpid());
	fg_wait_file(o->rewrite_wait_file);
}
