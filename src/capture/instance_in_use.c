// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * instance_in_use.c - does someone else trace with a tracefs instance?
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "instance_in_use.h"
#include "msg.h"
#include "top_level_state.h"
#include "tracefs_files.h"
#include "tracefs_values.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Append the first three of @entries (one a line) and how many more. */
static void list_some(char *buf, size_t len, const char *entries)
{
	const char *p = entries, *nl;
	int n = 0, shown = 0;

	for (; *p; p = nl + 1, n++) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		if (shown < 3) {
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%.*s",
				 shown ? ", " : "", (int)(nl - p), p);
			shown++;
		}
	}
	if (n > shown)
		snprintf(buf + strlen(buf), len - strlen(buf), ", +%d more",
			 n - shown);
}

static int check_list_file(struct tracefs_instance *inst, const char *file,
			   char *why, size_t whylen)
{
	char *text, *e, some[256] = "";
	int ret;

	ret = tracing_read_file(inst, file, &text);
	if (ret)	/* absent or EPERM: nobody can use it either */
		return 0;
	e = tracing_list_entries(text, true);
	free(text);
	if (!e)
		return -ENOMEM;
	ret = *e != '\0';
	if (ret) {
		list_some(some, sizeof(some), e);
		msg_add(why, whylen, "%s: %s", file, some);
	}
	free(e);
	return ret;
}

static int check_tracer(struct tracefs_instance *inst, char *why, size_t whylen)
{
	char *cur;
	int ret;

	ret = tracing_read_value(inst, "current_tracer", &cur);
	if (ret)
		return ret == -ENOENT ? 0 : ret;
	ret = strcmp(cur, "nop") != 0;
	if (ret)
		msg_add(why, whylen, "current_tracer=%s", cur);
	free(cur);
	return ret;
}

int tracing_instance_in_use(struct tracefs_instance *inst,
			    char *why, size_t whylen)
{
	static const char *const lists[] = {
		"set_event", "set_ftrace_filter", "set_graph_function",
	};
	unsigned int i;
	int busy = 0, ret;

	msg_set(why, whylen, "%s", "");
	ret = check_tracer(inst, why, whylen);
	if (ret < 0)
		return ret;
	busy |= ret;
	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		ret = check_list_file(inst, lists[i], why, whylen);
		if (ret < 0)
			return ret;
		busy |= ret;
	}
	if (!inst)
		busy |= top_level_locked_by_other(why, whylen);
	return busy;
}
