// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view_folded.c - --folded FILE: folded stacks ("a;b;c NS") for
 * flamegraph.pl, speedscope and friends.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

struct folded {
	const struct view_options *o;
	struct flame *flame;
	FILE *file;
};

static bool folded_wanted(const struct view_options *o)
{
	return o->folded_path;
}

static void folded_close(void *state)
{
	struct folded *v = state;

	if (!v)
		return;
	if (v->file)
		fclose(v->file);
	flame_free(v->flame);
	free(v);
}

static void *folded_open(const struct view_options *o, char *err,
			 size_t errlen)
{
	struct folded *v = calloc(1, sizeof(*v));

	if (!v || !(v->flame = flame_new(o->syms, o->prof, o->flame_group))) {
		folded_close(v);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	v->o = o;
	v->file = view_open_file(o->folded_path, err, errlen);
	if (!v->file) {
		folded_close(v);
		return NULL;
	}
	return v;
}

static int folded_add(void *state, const struct fault *f)
{
	struct folded *v = state;

	return flame_add(v->flame, f) == -ENOMEM ? -ENOMEM : 0;
}

static int folded_finish(void *state, const struct run_info *ri, char *err,
			 size_t errlen)
{
	struct folded *v = state;
	FILE *file = v->file;
	int ret;

	v->file = NULL;
	ret = flame_write_folded(v->flame, file);
	if (ret < 0) {
		fclose(file);
		snprintf(err, errlen, "%s: %s", v->o->folded_path,
			 strerror(-ret));
		return ret;
	}
	return view_close_file(file, v->o->folded_path, err, errlen);
}

const struct view_ops view_folded = {
	.name = "folded",
	.wanted = folded_wanted,
	.open = folded_open,
	.add_fault = folded_add,
	.finish = folded_finish,
	.close = folded_close,
};
