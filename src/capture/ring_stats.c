// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ring_stats.c - parse per_cpu/cpuN/stats.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ring_stats.h"
#include "tracefs_files.h"

struct stat_key {
	const char *name;
	size_t off;
};

static const struct stat_key keys[] = {
	{ "entries:", offsetof(struct ring_stats, entries) },
	{ "overrun:", offsetof(struct ring_stats, overrun) },
	{ "commit overrun:", offsetof(struct ring_stats, commit_overrun) },
	{ "bytes:", offsetof(struct ring_stats, bytes) },
	{ "dropped events:", offsetof(struct ring_stats, dropped) },
	{ "read events:", offsetof(struct ring_stats, read) },
};

/* "now ts: SECONDS.MICROSECONDS" (a clock counting ns) -> ns */
static void parse_now(const char *val, struct ring_stats *out)
{
	unsigned long long sec, usec;
	char dot;

	if (sscanf(val, " %llu%c%6llu", &sec, &dot, &usec) == 3 &&
	    dot == '.' && sec < UINT64_MAX / 1000000000ull)
		out->now_ns = sec * 1000000000ull + usec * 1000ull;
}

/* One "name: value" line; true when it had the entries count. */
static bool parse_line(const char *line, struct ring_stats *out)
{
	size_t i, n;

	if (!strncmp(line, "now ts:", 7)) {
		parse_now(line + 7, out);
		return false;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		n = strlen(keys[i].name);
		if (strncmp(line, keys[i].name, n))
			continue;
		*(uint64_t *)((char *)out + keys[i].off) =
			strtoull(line + n, NULL, 10);
		return i == 0;
	}
	return false;
}

int ring_stats_parse(const char *text, struct ring_stats *out)
{
	bool have_entries = false;
	const char *p = text;

	memset(out, 0, sizeof(*out));
	while (p && *p) {
		if (parse_line(p, out))
			have_entries = true;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return have_entries ? 0 : -EINVAL;
}

int ring_stats_read(struct tracefs_instance *inst, int cpu,
		    struct ring_stats *out)
{
	char file[64], *text = NULL;
	int r;

	snprintf(file, sizeof(file), "per_cpu/cpu%d/stats", cpu);
	r = tracing_read_file(inst, file, &text);
	if (r < 0)
		return r;
	r = ring_stats_parse(text, out);
	free(text);
	return r;
}
