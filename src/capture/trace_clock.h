/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace_clock.h - which trace clock the session stamps events with.
 *
 * The ring buffer reads its clock for every event, twice per traced
 * function under function_graph. "mono" (CLOCK_MONOTONIC) is cheap when
 * the kernel's clocksource is the TSC or a paravirtual clock, but reads
 * the HPET or ACPI PM timer, a device register, where the TSC is unusable
 * (nested and emulated hosts), a slow device access for every event.
 * "global" orders events across CPUs like "mono" and reads the TSC; it
 * is what x86 kernels pick themselves when the TSC is not stable.
 */
#ifndef KVMMMU_TRACE_CLOCK_H
#define KVMMMU_TRACE_CLOCK_H

#include <stddef.h>

struct tracefs_instance;

/**
 * trace_clock_pick() - the clock to trace with on this host
 * @inst:	instance whose trace_clock lists the clocks (NULL: top level)
 * @why:	filled with the reason, for `check` and errors
 * @len:	size of @why
 *
 * "mono" unless the clocksource is slow to read and "global" exists.
 * Return: "mono", "global", or NULL when neither is available (@why says
 * which clocks there are).
 */
const char *trace_clock_pick(struct tracefs_instance *inst, char *why,
			     size_t len);

/* Is @clocksource (current_clocksource) a device register read? */
int trace_clock_source_is_slow(const char *clocksource);

#endif /* KVMMMU_TRACE_CLOCK_H */
