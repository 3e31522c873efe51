// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stream_files.c - the per-CPU raw files of a recording, checked.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_read.h"
#include "stream_files.h"

/* "cpuN" with N a plain decimal number: N, else -1. */
static int cpu_number(const char *name)
{
	char *end;
	long n;

	if (strncmp(name, "cpu", 3) || name[3] < '0' || name[3] > '9' ||
	    (name[3] == '0' && name[4]))
		return -1;
	errno = 0;
	n = strtol(name + 3, &end, 10);
	return *end || errno || n > INT_MAX ? -1 : (int)n;
}

static bool cpu_file_exists(const char *dir, int cpu)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/per_cpu/cpu%d/trace_pipe_raw", dir,
		 cpu);
	return !access(path, F_OK);
}

/* The highest CPU with a raw file and how many have one. */
static int scan_cpus(const char *dir, int *highest, int *count, char *err,
		     size_t errlen)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int n;

	snprintf(path, sizeof(path), "%s/per_cpu", dir);
	d = opendir(path);
	if (!d) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	*highest = -1;
	*count = 0;
	while ((de = readdir(d))) {
		n = cpu_number(de->d_name);
		if (n < 0 || !cpu_file_exists(dir, n))
			continue;
		(*count)++;
		if (n > *highest)
			*highest = n;
	}
	closedir(d);
	return 0;
}

static int check_numbering(const char *dir, int highest, int count, int max,
			   char *err, size_t errlen)
{
	int i;

	if (!count) {
		snprintf(err, errlen, "%s: no per_cpu/cpuN/trace_pipe_raw "
			 "files", dir);
		return -ENOENT;
	}
	if (highest >= max) {
		snprintf(err, errlen, "%s: per_cpu/cpu%d: more CPUs than the "
			 "%d supported", dir, highest, max);
		return -E2BIG;
	}
	for (i = 0; count != highest + 1 && i < highest; i++)
		if (!cpu_file_exists(dir, i)) {
			snprintf(err, errlen, "%s: per_cpu/cpu%d/"
				 "trace_pipe_raw is missing while cpu%d "
				 "exists", dir, i, highest);
			return -ENOENT;
		}
	return 0;
}

/* Open one raw file without blocking (a FIFO) and check what it is. */
static int open_one(const char *dir, int cpu, size_t page_size, char *err,
		    size_t errlen)
{
	char path[PATH_MAX];
	struct stat sb;
	int fd;

	snprintf(path, sizeof(path), "%s/per_cpu/cpu%d/trace_pipe_raw", dir,
		 cpu);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -EINVAL;
	}
	if (sb.st_size % (off_t)page_size) {
		snprintf(err, errlen, "%s: %lld bytes is not a whole number of "
			 "%zu-byte pages (truncated or appended to)", path,
			 (long long)sb.st_size, page_size);
		close(fd);
		return -EBADMSG;
	}
	fcntl(fd, F_SETFL, 0);
	return fd;
}

/* Whether the files of CPUs @a and @b start with the same page. */
static bool same_first_page(int fa, int fb, unsigned char *pa,
			    unsigned char *pb, size_t page_size)
{
	struct stat sa, sb;

	if (fstat(fa, &sa) || fstat(fb, &sb) || !sa.st_size ||
	    sa.st_size != sb.st_size)
		return false;
	if (pread(fa, pa, page_size, 0) != (ssize_t)page_size ||
	    pread(fb, pb, page_size, 0) != (ssize_t)page_size)
		return false;
	return !memcmp(pa, pb, page_size);
}

static int check_copies(const char *dir, const int *fds, int nr,
			size_t psize, char *err, size_t errlen)
{
	unsigned char *pa = malloc(psize), *pb = malloc(psize);
	int i, j, r = 0;

	if (!pa || !pb)
		r = -ENOMEM;
	for (i = 1; !r && i < nr; i++)
		for (j = 0; !r && j < i; j++) {
			if (!same_first_page(fds[j], fds[i], pa, pb, psize))
				continue;
			snprintf(err, errlen, "%s: per_cpu/cpu%d/trace_pipe_raw"
				 " is a copy of cpu%d's", dir, i, j);
			r = -EBADMSG;
		}
	if (r == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	free(pa);
	free(pb);
	return r;
}

/* One line of the "sizes" note against the open files. */
static int check_size_line(const char *dir, const char *line, int lineno,
			   const int *fds, int nr, char *err, size_t errlen)
{
	long long want;
	struct stat sb;
	int cpu, end = 0;

	if (sscanf(line, "cpu%d %lld%n", &cpu, &want, &end) != 2 ||
	    line[end] || cpu < 0 || want < 0) {
		snprintf(err, errlen, "%s/sizes: line %d is not \"cpuN BYTES\"",
			 dir, lineno);
		return -EBADMSG;
	}
	if (cpu >= nr) {
		snprintf(err, errlen, "%s: per_cpu/cpu%d/trace_pipe_raw is "
			 "missing; the recording wrote %lld bytes there", dir,
			 cpu, want);
		return -ENOENT;
	}
	if (fstat(fds[cpu], &sb)) {
		int e = errno;

		snprintf(err, errlen, "%s: per_cpu/cpu%d/trace_pipe_raw: %s",
			 dir, cpu, strerror(e));
		return -e;
	}
	if (sb.st_size != want) {
		snprintf(err, errlen, "%s: per_cpu/cpu%d/trace_pipe_raw holds "
			 "%lld bytes, the recording wrote %lld (emptied, cut or "
			 "replaced)", dir, cpu, (long long)sb.st_size, want);
		return -EBADMSG;
	}
	return 0;
}

/*
 * The note "sizes" of recordings made since it exists: every file must
 * hold what was written. Older recordings have no such note.
 */
static int check_sizes(const char *dir, const int *fds, int nr, char *err,
		       size_t errlen)
{
	char path[PATH_MAX], *text, *line, *save;
	int r, lineno = 0;

	snprintf(path, sizeof(path), "%s/sizes", dir);
	r = file_read_all(path, 1 << 20, &text, NULL);
	if (r == -ENOENT)
		return 0;
	if (r) {
		snprintf(err, errlen, "%s: %s", path, strerror(-r));
		return r;
	}
	for (line = strtok_r(text, "\n", &save); line && !r;
	     line = strtok_r(NULL, "\n", &save))
		r = check_size_line(dir, line, ++lineno, fds, nr, err, errlen);
	free(text);
	return r;
}

int stream_files_open(const char *dir, size_t page_size, int *fds, int max,
		      char *err, size_t errlen)
{
	int highest, count, i, r;

	r = scan_cpus(dir, &highest, &count, err, errlen);
	if (!r)
		r = check_numbering(dir, highest, count, max, err, errlen);
	if (r)
		return r;
	for (i = 0; i <= highest; i++) {
		fds[i] = open_one(dir, i, page_size, err, errlen);
		if (fds[i] < 0) {
			r = fds[i];
			break;
		}
	}
	if (!r)
		r = check_copies(dir, fds, highest + 1, page_size, err, errlen);
	if (!r)
		r = check_sizes(dir, fds, highest + 1, err, errlen);
	if (!r)
		return highest + 1;
	while (i-- > 0)
		close(fds[i]);
	return r;
}
