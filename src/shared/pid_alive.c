// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pid_alive.c - is the process that wrote a pid somewhere still alive?
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pid_alive.h"
#include "file_read.h"

unsigned long long pid_starttime(int pid)
{
	unsigned long long start = 0;
	char path[64], *text, *p;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_whole_file(path, &text))
		return 0;
	p = strrchr(text, ')');
	for (i = 0; p && i < 20; i++)	/* field 22 is the 20th after comm */
		p = strchr(p + 1, ' ');
	if (p)
		start = strtoull(p + 1, NULL, 10);
	free(text);
	return start;
}

bool pid_alive(int pid, unsigned long long start)
{
	unsigned long long now;

	if (pid <= 0)
		return false;
	if (kill(pid, 0) && errno == ESRCH)
		return false;
	now = start ? pid_starttime(pid) : 0;
	return !now || now == start;	/* unknown: assume alive */
}
