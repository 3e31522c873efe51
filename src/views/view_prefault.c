// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view_prefault.c - --prefault-report FILE: the guest-physical ranges
 * whose first-touch faults cost most, as JSON (aggregate/prefault.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "prefault.h"
#include "view.h"

struct prefault_view {
	const struct view_options *o;
	struct prefault *pf;
	FILE *file;
};

static bool prefault_wanted(const struct view_options *o)
{
	return o->prefault_path;
}

static void prefault_close(void *state)
{
	struct prefault_view *v = state;

	if (!v)
		return;
	if (v->file)
		fclose(v->file);
	prefault_free(v->pf);
	free(v);
}

static void *prefault_open(const struct view_options *o, char *err,
			   size_t errlen)
{
	struct prefault_view *v = calloc(1, sizeof(*v));

	if (!v) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	v->o = o;
	v->pf = prefault_new(o->prof);
	if (!v->pf) {
		snprintf(err, errlen, "--prefault-report: the profile has no "
			 "\"first-touch\" cause rule");
		prefault_close(v);
		return NULL;
	}
	v->file = view_open_file(o->prefault_path, err, errlen);
	if (!v->file) {
		prefault_close(v);
		return NULL;
	}
	return v;
}

static int prefault_view_add(void *state, const struct fault *f)
{
	struct prefault_view *v = state;

	prefault_add(v->pf, f);
	return 0;
}

static int prefault_finish(void *state, const struct run_info *ri, char *err,
			   size_t errlen)
{
	struct prefault_view *v = state;
	FILE *file = v->file;
	int ret;

	v->file = NULL;
	ret = prefault_write_json(v->pf, file);
	if (ret < 0) {
		fclose(file);
		snprintf(err, errlen, "%s: %s", v->o->prefault_path,
			 strerror(-ret));
		return ret;
	}
	return view_close_file(file, v->o->prefault_path, err, errlen);
}

const struct view_ops view_prefault = {
	.name = "prefault-report",
	.wanted = prefault_wanted,
	.open = prefault_open,
	.add_fault = prefault_view_add,
	.finish = prefault_finish,
	.close = prefault_close,
};
