/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * file_read.h - read a whole file into memory, and write all of a buffer.
 *
 * The one whole-file reader of the tool: tracefs and procfs files, format
 * files of recordings, profiles, state files. Only regular files are read
 * (a FIFO or a device such as /dev/zero is refused with -EINVAL), and no
 * more than a caller-given number of bytes (-EFBIG past it), so that no
 * input can hang the reader or grow it without bound.
 */
#ifndef KVMMMU_FILE_READ_H
#define KVMMMU_FILE_READ_H

#include <stddef.h>
#include <stdio.h>

/* Default cap for small text files (tracefs, procfs, formats, profiles). */
#define FILE_READ_MAX	(16u << 20)

/**
 * file_read_all() - read a whole regular file, NUL-terminated
 * @path:	file to read
 * @max:	largest size accepted, in bytes
 * @out:	the contents, to free()
 * @len:	length without the NUL, may be NULL
 *
 * Return: 0, -EINVAL for a file that is not regular, -EFBIG when it holds
 * more than @max bytes, or another negative errno.
 */
int file_read_all(const char *path, size_t max, char **out, size_t *len);

/* file_read_all(@path, FILE_READ_MAX, @out, NULL). */
int read_whole_file(const char *path, char **out);

/*
 * fopen(@path, "r") for a regular file only: NULL with errno EINVAL for a
 * FIFO, a device or a directory (reading one line by line could block
 * or never end), else NULL with the errno of open().
 */
FILE *fopen_regular(const char *path);

/* Write all of @str to @fd, retrying EINTR; 0 or -errno. */
int write_all(int fd, const char *str);

#endif /* KVMMMU_FILE_READ_H */
