// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fault.c - names of fault kinds, shared by every view.
 */
#include "fault.h"

const char *fault_kind_name(enum fault_kind kind)
{
	static const char *const names[FAULT_KIND_COUNT] = {
		[FAULT_KIND_NORMAL] = "normal",
		[FAULT_KIND_FAST] = "fast",
		[FAULT_KIND_MMIO] = "mmio",
	};

	return (unsigned int)kind < FAULT_KIND_COUNT ? names[kind] : "?";
}
