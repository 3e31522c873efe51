// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view_flame.c - the two flame-graph files of a run: --folded FILE, folded
 * stacks ("a;b;c NS") for flamegraph.pl, speedscope and friends, and
 * --svg FILE, a self-contained interactive SVG that opens in any browser.
 * Both fill a flame trie fault by fault and write it at the end; they
 * differ only in the option that names the file and in the writer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flame_svg.h"
#include "view.h"

typedef int (*flame_writer)(const struct flame *flame, FILE *file);

struct flame_view {
	const char *path;
	flame_writer write;
	struct flame *flame;
	FILE *file;
};

static void flame_view_close(void *state)
{
	struct flame_view *v = state;

	if (!v)
		return;
	if (v->file)
		fclose(v->file);
	flame_free(v->flame);
	free(v);
}

static void *flame_view_open(const struct view_options *o, const char *path,
			     flame_writer write, char *err, size_t errlen)
{
	struct flame_view *v = calloc(1, sizeof(*v));

	if (!v || !(v->flame = flame_new(o->syms, o->prof, o->flame_group))) {
		flame_view_close(v);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	v->path = path;
	v->write = write;
	v->file = view_open_file(path, err, errlen);
	if (!v->file) {
		flame_view_close(v);
		return NULL;
	}
	return v;
}

static int flame_view_add(void *state, const struct fault *f)
{
	struct flame_view *v = state;

	return flame_add(v->flame, f) == -ENOMEM ? -ENOMEM : 0;
}

static int flame_view_finish(void *state, const struct run_info *ri,
			     char *err, size_t errlen)
{
	struct flame_view *v = state;
	FILE *file = v->file;
	int ret;

	v->file = NULL;
	ret = v->write(v->flame, file);
	if (ret < 0) {
		fclose(file);
		snprintf(err, errlen, "%s: %s", v->path, strerror(-ret));
		return ret;
	}
	return view_close_file(file, v->path, err, errlen);
}

static bool folded_wanted(const struct view_options *o)
{
	return o->folded_path;
}

static void *folded_open(const struct view_options *o, char *err,
			 size_t errlen)
{
	return flame_view_open(o, o->folded_path, flame_write_folded, err,
			       errlen);
}

static bool svg_wanted(const struct view_options *o)
{
	return o->svg_path;
}

static int write_svg(const struct flame *flame, FILE *file)
{
	return flame_write_svg(flame, file, "kvmmmu-graph: KVM MMU faults");
}

static void *svg_open(const struct view_options *o, char *err, size_t errlen)
{
	return flame_view_open(o, o->svg_path, write_svg, err, errlen);
}

const struct view_ops view_folded = {
	.name = "folded",
	.wanted = folded_wanted,
	.open = folded_open,
	.add_fault = flame_view_add,
	.finish = flame_view_finish,
	.close = flame_view_close,
};

const struct view_ops view_svg = {
	.name = "svg",
	.wanted = svg_wanted,
	.open = svg_open,
	.add_fault = flame_view_add,
	.finish = flame_view_finish,
	.close = flame_view_close,
};
