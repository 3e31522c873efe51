// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tracefs_values.c - what tracefs files say, in comparable form.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tracefs_files.h"
#include "tracefs_values.h"

void trim_end(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

/* Is a line of a list file an entry (not a comment, "no pid", blank)? */
static bool is_entry(const char *line, size_t len)
{
	while (len && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	if (!len || *line == '#')
		return false;
	return !(len >= 6 && !strncmp(line, "no pid", 6));
}

char *tracing_list_entries(const char *text, bool triggers)
{
	char *out = malloc(strlen(text) + 2), *o = out;
	const char *p, *nl;
	size_t len, w;

	if (!out)
		return NULL;
	for (p = text; *p; p = nl ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		if (!is_entry(p, len))
			continue;
		while (*p == ' ' || *p == '\t')
			p++, len--;
		w = strcspn(p, " \t\n");
		w = w < len ? w : len;
		if (!triggers && memchr(p, ':', w) && strncmp(p, ":mod:", 5))
			continue;
		memcpy(o, p, w);
		o += w;
		*o++ = '\n';
	}
	*o = '\0';
	return out;
}

/* "[local] global mono" -> "local" */
static char *bracketed(const char *text)
{
	const char *b = strchr(text, '['), *e;

	if (!b || !(e = strchr(b, ']')))
		return strdup(text);
	return strndup(b + 1, e - b - 1);
}

/* "7 (expanded: 1408)" -> "1408"; "X" stays "X" (per-CPU sizes differ) */
char *tracing_buffer_size(const char *text)
{
	const char *exp = strstr(text, "expanded:");
	char *out;

	out = strdup(exp ? exp + strlen("expanded:") : text);
	if (!out)
		return NULL;
	memmove(out, out + strspn(out, " "), strlen(out + strspn(out, " ")) + 1);
	out[strspn(out, "0123456789X")] = '\0';
	return out;
}

bool tracing_is_list_key(const char *key)
{
	return !strncmp(key, "set_", 4);
}

bool tracing_is_buffer_key(const char *key)
{
	const char *slash = strrchr(key, '/');

	return !strcmp(slash ? slash + 1 : key, "buffer_size_kb");
}

/* The comparable value of a file, from its raw text. */
static char *normalize(const char *key, const char *text)
{
	char *v;

	if (tracing_is_list_key(key))
		return tracing_list_entries(text,
					    strcmp(key, "set_ftrace_filter"));
	if (!strcmp(key, "trace_clock"))
		return bracketed(text);
	if (tracing_is_buffer_key(key))
		return tracing_buffer_size(text);
	v = strdup(text);
	if (v)
		trim_end(v);
	return v;
}

int tracing_read_value(struct tracefs_instance *inst, const char *key,
		       char **out)
{
	char *raw;
	int ret;

	ret = tracing_read_file(inst, key, &raw);
	if (ret)
		return ret;
	*out = normalize(key, raw);
	free(raw);
	return *out ? 0 : -ENOMEM;
}

bool tracing_clock_available(struct tracefs_instance *inst, const char *clock)
{
	char *text, *tok, *save;
	bool found = false;

	if (tracing_read_file(inst, "trace_clock", &text))
		return false;
	for (tok = strtok_r(text, " []\n", &save); tok && !found;
	     tok = strtok_r(NULL, " []\n", &save))
		found = !strcmp(tok, clock);
	free(text);
	return found;
}

bool tracing_tracer_available(struct tracefs_instance *inst,
			      const char *tracer, char **list)
{
	char *text, *tok, *save;
	bool found = false;

	*list = NULL;
	if (tracing_read_file(inst, "available_tracers", &text))
		return false;
	trim_end(text);
	*list = strdup(text);
	for (tok = strtok_r(text, " \n", &save); tok && !found;
	     tok = strtok_r(NULL, " \n", &save))
		found = !strcmp(tok, tracer);
	free(text);
	return found;
}
