/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stream_files.h - open and check the per-CPU raw files of a recording.
 */
#ifndef KVMMMU_STREAM_FILES_H
#define KVMMMU_STREAM_FILES_H

#include <stddef.h>

/**
 * stream_files_open() - open DIR/per_cpu/cpuN/trace_pipe_raw, N = 0, 1, ...
 * @dir:	recording directory
 * @page_size:	ring-buffer page size of the recording
 * @fds:	filled with one read-only descriptor per CPU
 * @max:	room in @fds
 * @err:	one-line reason on failure
 *
 * A recording's claims are checked before they are trusted: every file
 * must be a regular file (a FIFO or /dev/zero would never end) holding
 * whole pages, the CPUs must be numbered without a gap (cpu1 missing while
 * cpu3 exists would silently drop a CPU), and no file may be a copy of
 * another (it would count every event twice). A recording that noted
 * the size of each file when it was made ("sizes") must still hold them
 * (an emptied file would quietly drop that CPU's faults).
 * Return: the number of CPUs, or -errno with @err set and nothing open.
 */
int stream_files_open(const char *dir, size_t page_size, int *fds, int max,
		      char *err, size_t errlen);

#endif /* KVMMMU_STREAM_FILES_H */
