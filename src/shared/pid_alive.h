/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pid_alive.h - is the process that wrote a pid somewhere still alive?
 *
 * A pid alone may have been reused; its start time tells the processes
 * that held it apart.
 */
#ifndef KVMMMU_PID_ALIVE_H
#define KVMMMU_PID_ALIVE_H

#include <stdbool.h>

/* Start time of a process in clock ticks since boot, 0 if unknown. */
unsigned long long pid_starttime(int pid);

/**
 * pid_alive() - is a process alive?
 * @pid:	process id
 * @start:	its pid_starttime(), 0 if unknown
 *
 * Return: true if @pid exists and, with @start known, started then (a
 * start time that cannot be read counts as alive).
 */
bool pid_alive(int pid, unsigned long long start);

#endif /* KVMMMU_PID_ALIVE_H */
