/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wait.h - hold the guest until a tracer has attached
 */
#ifndef FAULTGEN_WAIT_H
#define FAULTGEN_WAIT_H

#include "options.h"

int fg_wait_prepare(const struct fg_opts *o);
int fg_wait_for_go(const struct fg_opts *o);
void fg_wait_before_rewrites(const struct fg_opts *o);

#endif /* FAULTGEN_WAIT_H */
