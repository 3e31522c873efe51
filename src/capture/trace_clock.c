// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trace_clock.c - which trace clock the session stamps events with.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "trace_clock.h"
#include "tracefs_values.h"

#define CLOCKSOURCE_FILE \
	"/sys/devices/system/clocksource/clocksource0/current_clocksource"

/* Clocksources read from a device (port or MMIO) on every call. */
static const char *const slow_sources[] = {
	"hpet", "acpi_pm", "pit", "jiffies", "refined-jiffies",
};

int trace_clock_source_is_slow(const char *clocksource)
{
	size_t i;

	for (i = 0; i < sizeof(slow_sources) / sizeof(slow_sources[0]); i++)
		if (!strcmp(clocksource, slow_sources[i]))
			return 1;
	return 0;
}

/* The current clocksource into @buf ("" when unreadable). */
static void read_clocksource(char *buf, size_t len)
{
	FILE *f = fopen(CLOCKSOURCE_FILE, "re");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

const char *trace_clock_pick(struct tracefs_instance *inst, char *why,
			     size_t len)
{
	bool mono = tracing_clock_available(inst, "mono");
	bool global = tracing_clock_available(inst, "global");
	char source[64];

	read_clocksource(source, sizeof(source));
	if (*source && trace_clock_source_is_slow(source) && global) {
		msg_set(why, len, "clocksource %s is slow to read for every "
			"event; global reads the TSC", source);
		return "global";
	}
	if (mono) {
		msg_set(why, len, "clocksource %s", *source ? source : "?");
		return "mono";
	}
	if (global) {
		msg_set(why, len, "no mono clock");
		return "global";
	}
	msg_set(why, len, "neither the mono nor the global trace clock is "
		"available; the reader needs one that orders events across "
		"CPUs");
	return NULL;
}
