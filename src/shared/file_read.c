// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * file_read.c - read a whole file into memory, and write all of a buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_read.h"

static int grow(char **buf, size_t *cap, size_t max)
{
	size_t want = *cap * 2;
	char *tmp;

	if (*cap > max + 1)
		return -EFBIG;
	if (want > max + 2)
		want = max + 2;
	tmp = realloc(*buf, want);
	if (!tmp)
		return -ENOMEM;
	*buf = tmp;
	*cap = want;
	return 0;
}

static int read_fd(int fd, size_t max, char **out, size_t *len)
{
	size_t size = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t n;
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (cap - size <= 1 && (ret = grow(&buf, &cap, max)))
			break;
		n = read(fd, buf + size, cap - size - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : 0;
			break;
		}
		size += (size_t)n;
		if (size > max) {
			ret = -EFBIG;
			break;
		}
	}
	if (ret) {
		free(buf);
		return ret;
	}
	buf[size] = '\0';
	*out = buf;
	if (len)
		*len = size;
	return 0;
}

int file_read_all(const char *path, size_t max, char **out, size_t *len)
{
	struct stat st;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st))
		ret = -errno;
	else if (!S_ISREG(st.st_mode))
		ret = -EINVAL;
	else
		ret = read_fd(fd, max, out, len);
	close(fd);
	return ret;
}

FILE *fopen_regular(const char *path)
{
	struct stat st;
	FILE *f;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	fcntl(fd, F_SETFL, 0);
	f = fdopen(fd, "r");
	if (!f)
		close(fd);
	return f;
}

int read_whole_file(const char *path, char **out)
{
	return file_read_all(path, FILE_READ_MAX, out, NULL);
}

int write_all(int fd, const char *str)
{
	size_t len = strlen(str);
	ssize_t n;

	while (len) {
		n = write(fd, str, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		str += n;
		len -= (size_t)n;
	}
	return 0;
}
