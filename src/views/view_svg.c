// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view_svg.c - --svg FILE: a self-contained interactive SVG flame graph
 * that opens in any browser.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flame_svg.h"
#include "view.h"

struct svg {
	const struct view_options *o;
	struct flame *flame;
	FILE *file;
};

static bool svg_wanted(const struct view_options *o)
{
	return o->svg_path;
}

static void svg_close(void *state)
{
	struct svg *v = state;

	if (!v)
		return;
	if (v->file)
		fclose(v->file);
	flame_free(v->flame);
	free(v);
}

static void *svg_open(const struct view_options *o, char *err,
			 size_t errlen)
{
	struct svg *v = calloc(1, sizeof(*v));

	if (!v || !(v->flame = flame_new(o->syms, o->prof, o->flame_group))) {
		svg_close(v);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	v->o = o;
	v->file = view_open_file(o->svg_path, err, errlen);
	if (!v->file) {
		svg_close(v);
		return NULL;
	}
	return v;
}

static int svg_add(void *state, const struct fault *f)
{
	struct svg *v = state;

	return flame_add(v->flame, f) == -ENOMEM ? -ENOMEM : 0;
}

static int svg_finish(void *state, const struct run_info *ri, char *err,
			 size_t errlen)
{
	struct svg *v = state;
	FILE *file = v->file;
	int ret;

	v->file = NULL;
	ret = flame_write_svg(v->flame, file, "kvmmmu-graph: KVM MMU faults");
	if (ret < 0) {
		fclose(file);
		snprintf(err, errlen, "%s: %s", v->o->svg_path,
			 strerror(-ret));
		return ret;
	}
	return view_close_file(file, v->o->svg_path, err, errlen);
}

const struct view_ops view_svg = {
	.name = "svg",
	.wanted = svg_wanted,
	.open = svg_open,
	.add_fault = svg_add,
	.finish = svg_finish,
	.close = svg_close,
};
