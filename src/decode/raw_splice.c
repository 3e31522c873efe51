// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * raw_splice.c - move whole ring-buffer pages out of trace_pipe_raw many
 * at a time (splice into a pipe, one readv out of it).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <unistd.h>

#include "raw_splice.h"

struct raw_splice {
	int raw_fd;
	int pipe_r, pipe_w;
	size_t page_size;
	unsigned int batch;	/* pages the pipe holds */
};

struct raw_splice *raw_splice_new(int raw_fd, size_t page_size)
{
	struct raw_splice *s;
	int fds[2], size;

	if (raw_fd < 0 || !page_size || pipe2(fds, O_CLOEXEC | O_NONBLOCK))
		return NULL;
	/* a smaller pipe than asked for (pipe-max-size) still works */
	fcntl(fds[1], F_SETPIPE_SZ, (int)(RAW_SPLICE_MAX_PAGES * page_size));
	size = fcntl(fds[1], F_GETPIPE_SZ);
	s = calloc(1, sizeof(*s));
	if (!s || size < (int)page_size) {
		close(fds[0]);
		close(fds[1]);
		free(s);
		return NULL;
	}
	s->raw_fd = raw_fd;
	s->pipe_r = fds[0];
	s->pipe_w = fds[1];
	s->page_size = page_size;
	s->batch = (unsigned int)(size / page_size);
	if (s->batch > RAW_SPLICE_MAX_PAGES)
		s->batch = RAW_SPLICE_MAX_PAGES;
	return s;
}

unsigned int raw_splice_batch(const struct raw_splice *s)
{
	return s->batch;
}

/* Copy @len bytes waiting in the pipe into the pages, in order. */
static int drain_pipe(struct raw_splice *s, void **pages, size_t len)
{
	struct iovec iov[RAW_SPLICE_MAX_PAGES];
	unsigned int i, n = (unsigned int)(len / s->page_size), first = 0;
	ssize_t got;

	for (i = 0; i < n; i++) {
		iov[i].iov_base = pages[i];
		iov[i].iov_len = s->page_size;
	}
	while (first < n) {
		got = readv(s->pipe_r, iov + first, (int)(n - first));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return got < 0 ? -errno : -EIO;
		while (got > 0 && first < n) {
			size_t step = (size_t)got < iov[first].iov_len ?
				      (size_t)got : iov[first].iov_len;

			iov[first].iov_base = (char *)iov[first].iov_base + step;
			iov[first].iov_len -= step;
			got -= (ssize_t)step;
			if (!iov[first].iov_len)
				first++;
		}
	}
	return 0;
}

int raw_splice_pages(struct raw_splice *s, void **pages, unsigned int nr)
{
	ssize_t got;
	int r;

	if (nr > s->batch)
		nr = s->batch;
	if (!nr)
		return 0;
	do {
		got = splice(s->raw_fd, NULL, s->pipe_w, NULL,
			     nr * s->page_size,
			     SPLICE_F_NONBLOCK | SPLICE_F_MOVE);
	} while (got < 0 && errno == EINTR);
	if (got < 0)	/* any refusal: read() still works */
		return errno == EAGAIN ? 0 : -EOPNOTSUPP;
	if (got == 0)
		return 0;
	if ((size_t)got % s->page_size || (size_t)got > nr * s->page_size)
		return -EIO;	/* not whole pages: the pipe is out of step */
	r = drain_pipe(s, pages, (size_t)got);
	return r ? r : (int)((size_t)got / s->page_size);
}

void raw_splice_free(struct raw_splice *s)
{
	if (!s)
		return;
	close(s->pipe_r);
	close(s->pipe_w);
	free(s);
}
