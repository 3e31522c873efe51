// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tracefs_files.c - read and write the files of a tracefs instance.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <tracefs.h>

#include "file_read.h"
#include "msg.h"
#include "tracefs_files.h"

static char *inst_path(struct tracefs_instance *inst, const char *file)
{
	return tracefs_instance_get_file(inst, file);
}

int tracing_read_file(struct tracefs_instance *inst, const char *file,
		      char **out)
{
	char *path = inst_path(inst, file);
	int ret;

	if (!path)
		return -ENOMEM;
	ret = read_whole_file(path, out);
	tracefs_put_tracing_file(path);
	return ret;
}

int tracing_open_file(struct tracefs_instance *inst, const char *file,
		      int flags)
{
	char *path = inst_path(inst, file);
	int fd;

	if (!path)
		return -ENOMEM;
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		fd = -errno;
	tracefs_put_tracing_file(path);
	return fd;
}

int tracing_write_file(struct tracefs_instance *inst, const char *file,
		       const char *str)
{
	int fd, ret;

	fd = tracing_open_file(inst, file, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return fd;
	ret = write_all(fd, str);
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

bool tracing_has_file(struct tracefs_instance *inst, const char *file)
{
	return tracefs_file_exists(inst, file) || tracefs_dir_exists(inst, file);
}

int tracing_write_list(struct tracefs_instance *inst, const char *file,
		       const char *list,
		       void (*bad)(void *, const char *, int), void *ctx)
{
	char entry[512];
	const char *p, *nl;
	int fd, ok = 0, ret;

	fd = tracing_open_file(inst, file, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return fd;
	for (p = list; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		snprintf(entry, sizeof(entry), "%.*s\n",
			 (int)(nl ? nl - p : (long)strlen(p)), p);
		if (entry[0] == '\n')
			continue;
		ret = write_all(fd, entry);
		if (!ret)
			ok++;
		else if (bad)
			bad(ctx, entry, ret);
	}
	if (close(fd))
		return -errno;
	return ok;
}

int tracing_write_pids(struct tracefs_instance *inst, const char *file,
		       const char *pids, int nr, char *err, size_t errlen)
{
	int ret;

	ret = tracing_write_list(inst, file, pids, NULL, NULL);
	if (ret >= 0 && ret != nr)
		ret = -EINVAL;
	if (ret < 0) {
		msg_set(err, errlen, "cannot set %s: %s", file, strerror(-ret));
		return ret;
	}
	return 0;
}

int tracing_set_option(struct tracefs_instance *inst, const char *name,
		       bool on, bool required, char *err, size_t errlen)
{
	char file[128];
	int ret;

	snprintf(file, sizeof(file), "options/%s", name);
	ret = tracing_write_file(inst, file, on ? "1" : "0");
	if (ret == -ENOENT && !required)
		return 0;
	if (ret)
		msg_set(err, errlen, "cannot set option %s: %s", name,
			strerror(-ret));
	return ret;
}

void tracing_destroy_instance(struct tracefs_instance *inst)
{
	int tries;

	tracing_write_file(inst, "tracing_on", "0");
	/* a reader may still be closing its per-CPU files: retry EBUSY */
	for (tries = 0; tries < 50; tries++) {
		if (!tracefs_instance_destroy(inst) || errno != EBUSY)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 20000000 }, NULL);
	}
	tracefs_instance_free(inst);
}
