// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tracedat_write.c - a version 6 trace.dat (trace-cmd.dat.v6(5)) from a
 * kvmmmu-graph recording directory.
 *
 * All numbers are written in the host's byte order, which the file's
 * endianness byte names. The per-CPU data is the raw ring-buffer pages
 * of the recording, copied unchanged to page-aligned offsets.
 */
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_read.h"
#include "tracedat.h"

#define MAX_CPUS	4096
#define MAX_TEXT	(64u << 20)	/* kallsyms of a whole kernel fits */

struct writer {
	int fd;
	int err;		/* first error, sticky */
	uint64_t pos;
	const char *dir;
};

static void put(struct writer *w, const void *p, size_t n)
{
	const char *c = p;
	ssize_t r;

	while (!w->err && n) {
		r = write(w->fd, c, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			w->err = r < 0 ? -errno : -EIO;
			return;
		}
		c += r;
		n -= (size_t)r;
		w->pos += (uint64_t)r;
	}
}

static void put_u8(struct writer *w, uint8_t v) { put(w, &v, 1); }
static void put_u32(struct writer *w, uint32_t v) { put(w, &v, 4); }
static void put_u64(struct writer *w, uint64_t v) { put(w, &v, 8); }

/* The text of @rel in the recording; "" for an absent optional file. */
static char *text_of(struct writer *w, const char *rel, bool optional,
		     size_t *len)
{
	char path[PATH_MAX], *text = NULL;
	int r;

	snprintf(path, sizeof(path), "%s/%s", w->dir, rel);
	r = file_read_all(path, MAX_TEXT, &text, len);
	if (r == -ENOENT && optional) {
		*len = 0;
		return strdup("");
	}
	if (r && !w->err)
		w->err = r;
	return r ? NULL : text;
}

/* SIZE (4 or 8 bytes) then the file's text. */
static void put_file(struct writer *w, const char *rel, int size_bytes,
		     bool optional)
{
	size_t len;
	char *text = text_of(w, rel, optional, &len);

	if (!text)
		return;
	if (size_bytes == 4)
		put_u32(w, (uint32_t)len);
	else
		put_u64(w, len);
	put(w, text, len);
	free(text);
}

static void put_header(struct writer *w)
{
	static const char magic[] = "\027\010\104tracing";
	uint8_t little = __BYTE_ORDER == __LITTLE_ENDIAN ? 0 : 1;

	put(w, magic, 10);
	put(w, "6", 2);
	put_u8(w, little);
	put_u8(w, sizeof(long));
	put_u32(w, (uint32_t)getpagesize());
	put(w, "header_page", 12);
	put_file(w, "events/header_page", 8, false);
	put(w, "header_event", 13);
	put_file(w, "events/header_event", 8, true);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Subdirectory names of @rel, sorted; NULL-terminated array, to free. */
static char **list_dirs(struct writer *w, const char *rel, unsigned int *nr)
{
	char path[PATH_MAX], **names = NULL, **tmp;
	struct dirent *e;
	DIR *d;

	*nr = 0;
	snprintf(path, sizeof(path), "%s/%s", w->dir, rel);
	d = opendir(path);
	if (!d)
		return calloc(1, sizeof(char *));
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || e->d_type != DT_DIR)
			continue;
		tmp = realloc(names, (*nr + 2) * sizeof(*names));
		if (!tmp)
			break;
		names = tmp;
		names[(*nr)++] = strdup(e->d_name);
	}
	closedir(d);
	if (!names)
		return calloc(1, sizeof(char *));
	names[*nr] = NULL;
	qsort(names, *nr, sizeof(*names), cmp_names);
	return names;
}

static void free_list(char **names)
{
	char **n;

	for (n = names; n && *n; n++)
		free(*n);
	free(names);
}

/* COUNT, then SIZE + format of each event of events/@sys. */
static void put_system_events(struct writer *w, const char *sys)
{
	char rel[PATH_MAX];
	unsigned int nr, i;
	char **events;

	snprintf(rel, sizeof(rel), "events/%s", sys);
	events = list_dirs(w, rel, &nr);
	put_u32(w, nr);
	for (i = 0; i < nr; i++) {
		snprintf(rel, sizeof(rel), "events/%s/%s/format", sys,
			 events[i]);
		put_file(w, rel, 8, false);
	}
	free_list(events);
}

static void put_formats(struct writer *w)
{
	unsigned int nr, i, others = 0;
	char **systems = list_dirs(w, "events", &nr);

	put_system_events(w, "ftrace");
	for (i = 0; i < nr; i++)
		others += strcmp(systems[i], "ftrace") != 0;
	put_u32(w, others);
	for (i = 0; i < nr; i++) {
		if (!strcmp(systems[i], "ftrace"))
			continue;
		put(w, systems[i], strlen(systems[i]) + 1);
		put_system_events(w, systems[i]);
	}
	free_list(systems);
}

/* Number of CPUs: one more than the highest per_cpu/cpuN. */
static unsigned int nr_cpus(struct writer *w)
{
	unsigned int nr, i, n = 0;
	char **cpus = list_dirs(w, "per_cpu", &nr);
	unsigned long v;
	char *end;

	for (i = 0; i < nr; i++) {
		if (strncmp(cpus[i], "cpu", 3))
			continue;
		v = strtoul(cpus[i] + 3, &end, 10);
		if (*end || end == cpus[i] + 3 || v >= MAX_CPUS)
			continue;
		if (v + 1 > n)
			n = (unsigned int)v + 1;
	}
	free_list(cpus);
	return n;
}

static uint64_t raw_size(struct writer *w, unsigned int cpu)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/per_cpu/cpu%u/trace_pipe_raw",
		 w->dir, cpu);
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return 0;
	return (uint64_t)st.st_size;
}

static void pad_to(struct writer *w, uint64_t off)
{
	static const char zeros[4096];
	uint64_t n;

	while (!w->err && w->pos < off) {
		n = off - w->pos;
		put(w, zeros, n < sizeof(zeros) ? n : sizeof(zeros));
	}
}

static void copy_raw(struct writer *w, unsigned int cpu, uint64_t size)
{
	char path[PATH_MAX], buf[65536];
	ssize_t n;
	int fd;

	if (!size)
		return;
	snprintf(path, sizeof(path), "%s/per_cpu/cpu%u/trace_pipe_raw",
		 w->dir, cpu);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		w->err = w->err ? w->err : -errno;
		return;
	}
	while (!w->err && size &&
	       (n = read(fd, buf, size < sizeof(buf) ? size : sizeof(buf))) > 0) {
		put(w, buf, (size_t)n);
		size -= (uint64_t)n;
	}
	if (!w->err && size)
		w->err = -EIO;	/* the file shrank under us */
	close(fd);
}

/*
 * CPU count, no options, "flyrecord", the offset and size of each CPU's
 * data, the trace clock (as trace-cmd writes it after the table), then
 * the data, each CPU's at a page-aligned offset.
 */
static void put_cpu_data(struct writer *w)
{
	uint64_t page = (uint64_t)getpagesize(), off, sizes[MAX_CPUS];
	unsigned int n = nr_cpus(w), cpu;
	size_t clock_len;
	char *clock = text_of(w, "trace_clock", true, &clock_len);

	if (!clock)
		return;
	clock_len = strcspn(clock, "\n");
	put_u32(w, n);
	put(w, "options  ", 10);
	put(w, "\0\0", 2);		/* option 0: the end of the options */
	put(w, "flyrecord", 10);
	off = w->pos + 16ull * n + 8 + clock_len;
	off = (off + page - 1) / page * page;
	for (cpu = 0; cpu < n; cpu++) {
		sizes[cpu] = raw_size(w, cpu);
		put_u64(w, off);
		put_u64(w, sizes[cpu]);
		off = (off + sizes[cpu] + page - 1) / page * page;
	}
	put_u64(w, clock_len);
	put(w, clock, clock_len);
	free(clock);
	for (cpu = 0; cpu < n; cpu++) {
		pad_to(w, (w->pos + page - 1) / page * page);
		copy_raw(w, cpu, sizes[cpu]);
	}
}

int tracedat_write_from_dir(const char *dir, const char *path, char *err,
			    size_t errlen)
{
	struct writer w = { .dir = dir };

	w.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (w.fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	put_header(&w);
	put_formats(&w);
	put_file(&w, "kallsyms", 4, true);
	put_u32(&w, 0);			/* no trace_printk formats */
	put_file(&w, "saved_cmdlines", 8, true);
	put_cpu_data(&w);
	if (close(w.fd) && !w.err)
		w.err = -errno;
	if (w.err) {
		snprintf(err, errlen, "%s: %s", path, strerror(-w.err));
		unlink(path);
	}
	return w.err;
}
