/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * flame_svg.h - a flame aggregate as a self-contained interactive SVG.
 */
#ifndef KVMMMU_FLAME_SVG_H
#define KVMMMU_FLAME_SVG_H

#include <stdio.h>

#include "flame.h"

/**
 * flame_write_svg() - write a self-contained interactive SVG flame graph
 * @fl:		aggregate
 * @out:	stream
 * @title:	title line, may be NULL
 *
 * Root at the bottom, widths proportional to inclusive time, <title>
 * tooltips, click to zoom, search, colours by phase.  No external
 * resource is referenced.  Frames narrower than 0.1 % of the total are
 * not drawn one by one: the small children of a frame are drawn as one
 * "(N small)" frame when that is wide enough, and their time always stays
 * inside their parent's width, so totals are unchanged.  Each frame is a
 * <g class="frame" data-name=".." data-phase=".." data-ns="..">.
 * Return: 0, -ENOMEM, or -EIO when writing failed.
 */
int flame_write_svg(const struct flame *fl, FILE *out, const char *title);

/**
 * flame_write_svg_diff() - a differential flame graph
 * @fl:		the run shown (widths are its times)
 * @base:	the run it is compared with, or NULL for flame_write_svg()
 * @out:	stream
 * @title:	title line, may be NULL
 *
 * Frames are matched with @base by their stack of names; a frame is red
 * when it took longer than in @base, blue when shorter, the deeper the
 * larger the change relative to the larger time, white when unchanged;
 * its tooltip gives the base run's time.
 * Return: 0, -ENOMEM, or -EIO when writing failed.
 */
int flame_write_svg_diff(const struct flame *fl, const struct flame *base,
			 FILE *out, const char *title);

#endif /* KVMMMU_FLAME_SVG_H */
