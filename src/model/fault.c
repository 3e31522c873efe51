// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fault.c - names of fault kinds and origins, shared by every view.
 */
#include <string.h>

#include "fault.h"

static const char *const origin_names[FAULT_ORIGIN_COUNT] = {
	[FAULT_ORIGIN_GUEST] = "guest",
	[FAULT_ORIGIN_PREFAULT] = "prefault",
	[FAULT_ORIGIN_ASYNC_PF] = "async-pf",
};

const char *fault_kind_name(enum fault_kind kind)
{
	static const char *const names[FAULT_KIND_COUNT] = {
		[FAULT_KIND_NORMAL] = "normal",
		[FAULT_KIND_FAST] = "fast",
		[FAULT_KIND_MMIO] = "mmio",
	};

	return (unsigned int)kind < FAULT_KIND_COUNT ? names[kind] : "?";
}

const char *fault_origin_name(enum fault_origin origin)
{
	return (unsigned int)origin < FAULT_ORIGIN_COUNT ?
	       origin_names[origin] : "?";
}

int fault_origin_from_name(const char *name)
{
	int i;

	for (i = 0; i < FAULT_ORIGIN_COUNT; i++)
		if (!strcmp(name, origin_names[i]))
			return i;
	return -1;
}
