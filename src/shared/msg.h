/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * msg.h - one-line messages that libraries hand back to the CLI.
 */
#ifndef KVMMMU_MSG_H
#define KVMMMU_MSG_H

#include <stddef.h>

/* printf into @buf (nothing if @buf is NULL or @len is 0). */
void msg_set(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Append to @buf, separating parts with "; ". */
void msg_add(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* KVMMMU_MSG_H */
