// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trace_stream.c - read per-CPU raw pages, merge CPUs by timestamp.
 *
 * Each CPU keeps one page and a kbuffer cursor on it; a new page is read
 * only when the current one is used up, so memory stays at one page per
 * CPU whatever the trace size.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <traceevent/event-parse.h>
#include <traceevent/kbuffer.h>
#include <tracefs/tracefs.h>

#include "page_check.h"
#include "page_pool.h"
#include "raw_splice.h"
#include "stream_files.h"
#include "trace_stream.h"

#define STREAM_MAX_CPUS	1024
/* ring-buffer sub-buffers: a page, or a power of two of them (6.7+) */
#define SUBBUF_MIN	4096
#define SUBBUF_MAX	(1 << 20)

/* Flags in the sub-buffer header's commit word (kernel ring_buffer.c). */
#define RB_MISSED_EVENTS	(1ull << 31)
#define RB_MISSED_STORED	(1ull << 30)

struct cpu_reader {
	struct tracefs_cpu *tcpu;
	int raw_fd;		/* live: the tcpu's file, for splice */
	struct raw_splice *splice;	/* live with a spool, NULL if none */
	struct kbuffer *kbuf;
	void *page;
	void *own_page;		/* the page allocated with the reader */
	void *cur;		/* current event payload, NULL if none */
	unsigned long long ts;
	unsigned long long last_ts;	/* of the previous event handed out */
	bool missed;		/* page started after lost events */
	uint64_t lost;		/* events lost before pages of this CPU */
	uint64_t pages;		/* pages read from this CPU */
	bool open;
	bool dry;		/* no data at the last read: wait for rearm */
	int record_fd;		/* copy of every page read, -1 if none */
	void **spool;		/* pages read ahead, a ring of spool_cap;
				 * buffers from the stream's pool */
	unsigned int spool_head, spool_len;
	bool is_file;		/* a recording: no data means end of file */
};

struct trace_stream {
	int nr_cpus;
	int page_size;
	int data_start;		/* page header: 16 (12 for 32-bit) */
	int commit_size;	/* of the sub-buffer header's commit word */
	uint64_t pages;
	uint64_t spliced;	/* of the pages, moved by splice */
	uint64_t lost;
	uint64_t bad_pages;	/* skipped: malformed header or events */
	uint64_t zero_pages;	/* skipped: all zero bytes */
	unsigned int spool_cap;	/* pages per CPU read ahead, 0 = none */
	struct page_pool *pool;	/* the spool's buffers */
	struct cpu_reader cpus[];
};

/*
 * The sub-buffer size that events/header_page gives (data offset + data
 * size), the page size when it gives none, or -EINVAL when it is not a
 * power of two from 4 KiB to 1 MiB: kbuffer reads a sub-buffer's header
 * and lost-events count where that size puts them, so a smaller one
 * would have it read past the buffer (found by fuzz_replay).
 */
static int sub_buffer_size(struct tep_handle *tep)
{
	int size = tep_get_sub_buffer_size(tep);

	if (size <= 0)
		return getpagesize();
	if (size < SUBBUF_MIN || size > SUBBUF_MAX || (size & (size - 1)))
		return -EINVAL;
	return size;
}

/* @psize: from sub_buffer_size() */
static struct trace_stream *stream_alloc(struct tep_handle *tep, int nr_cpus,
					 int psize)
{
	struct trace_stream *st;
	int i;

	if (nr_cpus <= 0 || nr_cpus > STREAM_MAX_CPUS)
		return NULL;
	st = calloc(1, sizeof(*st) + nr_cpus * sizeof(struct cpu_reader));
	if (!st)
		return NULL;
	st->nr_cpus = nr_cpus;
	st->page_size = psize;
	st->commit_size = tep_get_header_page_size(tep);
	if (st->commit_size != 4 && st->commit_size != 8)
		st->commit_size = 8;
	for (i = 0; i < nr_cpus; i++) {
		st->cpus[i].record_fd = -1;
		st->cpus[i].raw_fd = -1;
		st->cpus[i].page = st->cpus[i].own_page = calloc(1, psize);
		st->cpus[i].kbuf = tep_kbuffer(tep);
		if (!st->cpus[i].page || !st->cpus[i].kbuf) {
			trace_stream_close(st);
			return NULL;
		}
	}
	/* an empty page tells where kbuffer expects the data to start */
	kbuffer_load_subbuffer(st->cpus[0].kbuf, st->cpus[0].page);
	st->data_start = kbuffer_start_of_data(st->cpus[0].kbuf);
	return st;
}

void trace_stream_close(struct trace_stream *st)
{
	int i;

	if (!st)
		return;
	for (i = 0; i < st->nr_cpus; i++) {
		struct cpu_reader *c = &st->cpus[i];

		raw_splice_free(c->splice);
		if (c->tcpu)
			tracefs_cpu_close(c->tcpu);
		if (c->record_fd >= 0)
			close(c->record_fd);
		if (c->kbuf)
			kbuffer_free(c->kbuf);
		free(c->own_page);	/* the others belong to the pool */
		free(c->spool);
	}
	page_pool_free(st->pool);
	free(st);
}

/* Offline CPUs have no buffer: they simply stay closed. */
static void open_live_cpu(struct trace_stream *st,
			  struct tracefs_instance *inst,
			  struct cpu_reader *c, int cpu)
{
	char file[64];
	char *path;
	int fd;

	snprintf(file, sizeof(file), "per_cpu/cpu%d/trace_pipe_raw", cpu);
	path = tracefs_instance_get_file(inst, file);
	if (!path)
		return;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	tracefs_put_tracing_file(path);
	if (fd < 0)
		return;
	c->tcpu = tracefs_cpu_alloc_fd(fd, st->page_size, true);
	if (!c->tcpu) {
		close(fd);
		return;
	}
	c->raw_fd = fd;
	c->open = true;
}

struct trace_stream *trace_stream_open_live(struct tracefs_instance *inst,
					    struct tep_handle *tep,
					    int nr_cpus)
{
	int i, psize = sub_buffer_size(tep);
	struct trace_stream *st = psize < 0 ? NULL :
				  stream_alloc(tep, nr_cpus, psize);

	if (!st)
		return NULL;
	for (i = 0; i < nr_cpus; i++)
		open_live_cpu(st, inst, &st->cpus[i], i);
	return st;
}

struct trace_stream *trace_stream_open_dir(const char *dir,
					   struct tep_handle *tep,
					   char *err, size_t errlen)
{
	struct trace_stream *st;
	int i, nr, psize = sub_buffer_size(tep);
	int fds[STREAM_MAX_CPUS];

	if (psize < 0) {
		snprintf(err, errlen, "events/header_page: a sub-buffer of %d "
			 "bytes (data offset + size), not a power of two from "
			 "%d to %d", tep_get_sub_buffer_size(tep), SUBBUF_MIN,
			 SUBBUF_MAX);
		return NULL;
	}
	nr = stream_files_open(dir, (size_t)psize, fds, STREAM_MAX_CPUS,
			       err, errlen);
	if (nr < 0)
		return NULL;
	st = stream_alloc(tep, nr, psize);
	if (!st) {
		snprintf(err, errlen, "out of memory");
		for (i = 0; i < nr; i++)
			close(fds[i]);
		return NULL;
	}
	for (i = 0; i < nr; i++) {
		st->cpus[i].tcpu = tracefs_cpu_alloc_fd(fds[i], st->page_size,
							false);
		if (!st->cpus[i].tcpu) {
			snprintf(err, errlen, "out of memory");
			close(fds[i]);
			while (++i < nr)
				close(fds[i]);
			trace_stream_close(st);
			return NULL;
		}
		st->cpus[i].open = true;
		st->cpus[i].is_file = true;
	}
	return st;
}

int trace_stream_nr_cpus(const struct trace_stream *st)
{
	return st->nr_cpus;
}

/*
 * Events the kernel lost before this page: the count stored after the
 * data, -1 when the flag is set without one, 0 when nothing was lost.
 * Read from the header itself: kbuffer_missed_events() answers 0 when
 * the page's first record is a time extend, which is common on pages
 * written under load, and the loss then went unreported.
 */
static int64_t page_missed(const struct trace_stream *st,
			   struct kbuffer *kbuf, const void *page)
{
	int start = 8 + st->commit_size;
	int size = kbuffer_subbuffer_size(kbuf);
	uint64_t commit = 0, lost = 0;

	memcpy(&commit, (const char *)page + 8, st->commit_size);
	if (!(commit & RB_MISSED_EVENTS))
		return 0;
	if (!(commit & RB_MISSED_STORED) ||
	    start + size + st->commit_size > st->page_size)
		return -1;
	memcpy(&lost, (const char *)page + start + size, st->commit_size);
	return lost ? (int64_t)lost : -1;
}

/* Load the next non-empty page of @c. Return 1, 0 (no data now) or -errno. */
/*
 * One page from the kernel (or the recording) into @buf, copied to the
 * recording if there is one. Return: bytes, 0 (no data now) or -errno.
 */
/* A page just read: count it and copy it to the recording, if any. */
static int note_page(struct trace_stream *st, struct cpu_reader *c,
		     const void *buf)
{
	st->pages++;
	c->pages++;
	if (c->record_fd >= 0 &&
	    write(c->record_fd, buf, st->page_size) != st->page_size)
		return -EIO;
	return 0;
}

static int read_page(struct trace_stream *st, struct cpu_reader *c, void *buf)
{
	int r = tracefs_cpu_read(c->tcpu, buf, true);

	if (r < 0 && errno != EAGAIN && errno != EINTR)
		return -errno;
	if (r <= 0)
		return 0;
	return note_page(st, c, buf) ? -EIO : r;
}

/* The oldest page read ahead becomes the current page (buffers swap). */
static void take_spooled(struct trace_stream *st, struct cpu_reader *c)
{
	void *p = c->page;

	c->page = c->spool[c->spool_head];
	c->spool[c->spool_head] = p;
	c->spool_head = (c->spool_head + 1) % st->spool_cap;
	c->spool_len--;
}

static int load_page(struct trace_stream *st, struct cpu_reader *c)
{
	int64_t missed;
	int r;

	for (;;) {
		if (c->spool_len) {
			take_spooled(st, c);
			r = st->page_size;
		} else {
			r = read_page(st, c, c->page);
		}
		if (r < 0)
			return r;
		if (r == 0) {
			c->dry = true;
			if (c->is_file)
				c->open = false;
			return 0;
		}
		if (c->is_file && r != st->page_size)
			return -EBADMSG;	/* a truncated recording */
		if (c->is_file && raw_page_zero(c->page, st->page_size)) {
			st->zero_pages++;
			continue;
		}
		if (!raw_page_valid(c->page, st->page_size, st->data_start)) {
			st->bad_pages++;
			continue;
		}
		if (kbuffer_load_subbuffer(c->kbuf, c->page) < 0 ||
		    kbuffer_subbuffer_size(c->kbuf) >
		    st->page_size - 8 - st->commit_size)
			return -EBADMSG;
		missed = page_missed(st, c->kbuf, c->page);
		if (missed) {
			c->missed = true;
			c->lost += missed > 0 ? (uint64_t)missed : 1;
			st->lost += missed > 0 ? (uint64_t)missed : 1;
		}
		c->cur = kbuffer_read_event(c->kbuf, &c->ts);
		if (c->cur)
			return 1;
	}
}

static int fill(struct trace_stream *st, struct cpu_reader *c)
{
	if (c->cur || !c->open || (c->dry && !c->spool_len))
		return c->cur != NULL;
	return load_page(st, c);
}

int trace_stream_next(struct trace_stream *st, uint64_t horizon,
		      struct stream_event *ev)
{
	struct cpu_reader *best = NULL;
	int i, r;

	for (i = 0; i < st->nr_cpus; i++) {
		struct cpu_reader *c = &st->cpus[i];

		r = fill(st, c);
		if (r < 0)
			return r;
		if (r && (!best || c->ts < best->ts))
			best = c;
	}
	if (!best || best->ts > horizon)
		return 0;
	if (best->ts < best->last_ts)
		return -EBADMSG;	/* time ran backwards within one CPU */
	ev->data = best->cur;
	ev->size = (unsigned int)kbuffer_event_size(best->kbuf);
	ev->ts = best->ts;
	ev->cpu = (int)(best - st->cpus);
	ev->missed = best->missed;
	best->missed = false;
	best->last_ts = best->ts;
	best->cur = kbuffer_next_event(best->kbuf, &best->ts);
	return 1;
}

static int make_dir(const char *path)
{
	return mkdir(path, 0755) && errno != EEXIST ? -errno : 0;
}

int trace_stream_record_to(struct trace_stream *st, const char *dir)
{
	char path[PATH_MAX];
	int i, r;

	snprintf(path, sizeof(path), "%s/per_cpu", dir);
	r = make_dir(path);
	for (i = 0; !r && i < st->nr_cpus; i++) {
		snprintf(path, sizeof(path), "%s/per_cpu/cpu%d", dir, i);
		r = make_dir(path);
		if (r)
			break;
		strncat(path, "/trace_pipe_raw", sizeof(path) - strlen(path) - 1);
		st->cpus[i].record_fd = open(path, O_WRONLY | O_CREAT |
					     O_TRUNC | O_CLOEXEC, 0644);
		if (st->cpus[i].record_fd < 0)
			r = -errno;
	}
	return r;
}

void trace_stream_rearm(struct trace_stream *st)
{
	int i;

	for (i = 0; i < st->nr_cpus; i++)
		st->cpus[i].dry = false;
}

uint64_t trace_stream_pages(const struct trace_stream *st)
{
	return st->pages;
}

uint64_t trace_stream_spliced_pages(const struct trace_stream *st)
{
	return st->spliced;
}

uint64_t trace_stream_lost(const struct trace_stream *st)
{
	return st->lost;
}

uint64_t trace_stream_bad_pages(const struct trace_stream *st)
{
	return st->bad_pages;
}

uint64_t trace_stream_zero_pages(const struct trace_stream *st)
{
	return st->zero_pages;
}

uint64_t trace_stream_cpu_lost(const struct trace_stream *st, int cpu)
{
	return cpu >= 0 && cpu < st->nr_cpus ? st->cpus[cpu].lost : 0;
}

int trace_stream_page_size(const struct trace_stream *st)
{
	return st->page_size;
}

bool trace_stream_cpu_held(const struct trace_stream *st, int cpu)
{
	return cpu >= 0 && cpu < st->nr_cpus && st->cpus[cpu].cur;
}

int trace_stream_set_spool(struct trace_stream *st, unsigned int pages)
{
	int i;

	if (st->spool_cap || !pages)
		return st->spool_cap == pages ? 0 : -EBUSY;
	st->pool = page_pool_new((size_t)st->page_size);
	if (!st->pool)
		return -ENOMEM;
	for (i = 0; i < st->nr_cpus; i++) {
		st->cpus[i].spool = calloc(pages, sizeof(void *));
		if (!st->cpus[i].spool)
			return -ENOMEM;
		/* no splice (no pipe): read() a page at a time */
		st->cpus[i].splice = raw_splice_new(st->cpus[i].raw_fd,
						    (size_t)st->page_size);
	}
	st->spool_cap = pages;
	return 0;
}

/* The spool slot @k places after the newest, given a buffer. */
static void *spool_slot(struct trace_stream *st, struct cpu_reader *c,
			unsigned int k)
{
	unsigned int slot = (c->spool_head + c->spool_len + k) % st->spool_cap;

	if (!c->spool[slot])
		c->spool[slot] = page_pool_get(st->pool);
	return c->spool[slot];
}

/* @n pages just put after the newest: count and record them. */
static int spool_commit(struct trace_stream *st, struct cpu_reader *c,
			unsigned int n)
{
	unsigned int k;

	for (k = 0; k < n; k++)
		if (note_page(st, c, spool_slot(st, c, k)))
			return -EIO;
	c->spool_len += n;
	return 0;
}

/*
 * Splice every full page of @c into the spool, a pipe's worth per call.
 * Return: pages moved, or -errno. A file that cannot be spliced turns
 * splicing off for @c (read() then takes every page).
 */
static int splice_ahead(struct trace_stream *st, struct cpu_reader *c)
{
	void *pages[RAW_SPLICE_MAX_PAGES];
	unsigned int want, k, batch = raw_splice_batch(c->splice);
	int n = 0, r;

	while (c->spool_len < st->spool_cap) {
		want = st->spool_cap - c->spool_len;
		if (want > batch)
			want = batch;
		for (k = 0; k < want; k++)
			if (!(pages[k] = spool_slot(st, c, k)))
				return -ENOMEM;
		r = raw_splice_pages(c->splice, pages, want);
		if (r == -EOPNOTSUPP) {
			raw_splice_free(c->splice);
			c->splice = NULL;
			return n;
		}
		if (r <= 0)
			return r < 0 ? r : n;
		n += r;
		st->spliced += (uint64_t)r;
		if (spool_commit(st, c, (unsigned int)r))
			return -EIO;
		if ((unsigned int)r < want)
			break;	/* no more full pages now */
	}
	return n;
}

/*
 * Read ahead on @c until the kernel has no more or the spool is full:
 * whole pages by splice, then what is left (the page being written)
 * by read().
 */
static int slurp_cpu(struct trace_stream *st, struct cpu_reader *c)
{
	void *buf;
	int n = 0, r;

	if (!c->open || c->is_file)
		return 0;
	if (c->splice && (n = splice_ahead(st, c)) < 0)
		return n;
	while (c->spool_len < st->spool_cap) {
		buf = spool_slot(st, c, 0);
		if (!buf)
			return -ENOMEM;
		r = read_page(st, c, buf);
		if (r < 0)
			return r;
		if (!r)
			break;
		c->spool_len++;
		n++;
	}
	return n;
}

int trace_stream_slurp(struct trace_stream *st)
{
	int i, r, n = 0;

	for (i = 0; st->spool_cap && i < st->nr_cpus; i++) {
		r = slurp_cpu(st, &st->cpus[i]);
		if (r < 0)
			return r;
		n += r;
	}
	return n;
}

uint64_t trace_stream_spooled_bytes(const struct trace_stream *st)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < st->nr_cpus; i++)
		n += st->cpus[i].spool_len;
	return n * (uint64_t)st->page_size;
}

uint64_t trace_stream_spool_cap_bytes(const struct trace_stream *st)
{
	return (uint64_t)st->spool_cap * st->nr_cpus * st->page_size;
}
