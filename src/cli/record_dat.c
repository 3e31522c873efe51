// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * record_dat.c - --record FILE.dat: record into a temporary directory
 * beside FILE, then write it as a trace.dat and remove the directory.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "tracedat.h"

int record_dat_begin(struct run *run)
{
	char tmpl[PATH_MAX];

	run->record_dir = run->p->record_dir;
	if (!run->record_dir || !params_record_dat(run->p))
		return 0;
	snprintf(tmpl, sizeof(tmpl), "%s.XXXXXX", run->p->record_dir);
	if (!mkdtemp(tmpl))
		return fail(1, "--record %s: cannot create a working directory "
			    "beside it: %s", run->p->record_dir, strerror(errno));
	run->record_tmp = strdup(tmpl);
	if (!run->record_tmp) {
		rmdir(tmpl);
		return fail(1, "out of memory");
	}
	/* the recording creates the directory itself */
	rmdir(run->record_tmp);
	run->record_dir = run->record_tmp;
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	return remove(path) && errno != ENOENT ? -1 : 0;
}

void record_dat_cleanup(struct run *run)
{
	if (!run->record_tmp)
		return;
	nftw(run->record_tmp, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(run->record_tmp);
	run->record_tmp = NULL;
}

int record_dat_finish(struct run *run)
{
	char err[512];

	if (!run->record_tmp)
		return 0;
	if (tracedat_write_from_dir(run->record_tmp, run->p->record_dir, err,
				    sizeof(err)))
		return fail(1, "%s", err);
	return 0;
}
