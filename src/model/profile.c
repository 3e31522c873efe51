// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * profile.c - parse profiles/NAME.profile.
 *
 * Line format (one directive a line, '#' starts a comment):
 *	name   NAME
 *	root   FUNC [FUNC...]
 *	phase  LABEL FUNC [FUNC...]	(the names FUNC has on other kernels)
 *	event  SYSTEM/EVENT, or SYSTEM alone for all its events
 *	allow  FILTER			(set_ftrace_filter expression)
 *	memslot_probe FUNC slot=$argN gfn=$argM, or FUNC fault=$argN
 *					(memslot_probe.c parses and uses them)
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "profile.h"

#define PROFILE_MAX_WORDS	512

struct word_list {
	char *words[PROFILE_MAX_WORDS];
	unsigned char phase[PROFILE_MAX_WORDS];	/* for phase functions */
	unsigned int nr;
};

struct profile {
	char *name;
	char *phase_names[PROFILE_MAX_PHASES];
	unsigned int nr_phases;
	struct word_list phase_funcs;
	struct word_list roots;
	struct word_list events;
	struct word_list allow;
	struct word_list memslot;	/* "FUNC key=$argN..." per directive */
};

static int list_add(struct word_list *l, const char *w, unsigned int phase)
{
	if (l->nr >= PROFILE_MAX_WORDS)
		return -E2BIG;
	l->words[l->nr] = strdup(w);
	if (!l->words[l->nr])
		return -ENOMEM;
	l->phase[l->nr++] = (unsigned char)phase;
	return 0;
}

static void list_free(struct word_list *l)
{
	while (l->nr)
		free(l->words[--l->nr]);
}

void profile_free(struct profile *prof)
{
	if (!prof)
		return;
	free(prof->name);
	while (prof->nr_phases)
		free(prof->phase_names[--prof->nr_phases]);
	list_free(&prof->phase_funcs);
	list_free(&prof->roots);
	list_free(&prof->events);
	list_free(&prof->allow);
	list_free(&prof->memslot);
	free(prof);
}

static int add_phase(struct profile *prof, char **args, int nargs)
{
	unsigned int phase = prof->nr_phases;
	int i, ret;

	if (nargs < 2)
		return -EINVAL;
	if (phase >= PROFILE_MAX_PHASES)
		return -E2BIG;
	prof->phase_names[phase] = strdup(args[0]);
	if (!prof->phase_names[phase])
		return -ENOMEM;
	prof->nr_phases++;
	for (i = 1; i < nargs; i++) {
		ret = list_add(&prof->phase_funcs, args[i], phase);
		if (ret)
			return ret;
	}
	return 0;
}

static int add_words(struct word_list *l, char **args, int nargs)
{
	int i, ret;

	if (nargs < 1)
		return -EINVAL;
	for (i = 0; i < nargs; i++) {
		ret = list_add(l, args[i], PROFILE_NO_PHASE);
		if (ret)
			return ret;
	}
	return 0;
}

/* One memslot_probe directive, kept as one string "FUNC key=$argN...". */
static int add_memslot_probe(struct word_list *l, char **args, int nargs)
{
	char spec[512] = "";
	int i;

	if (nargs < 2)
		return -EINVAL;
	for (i = 1; i < nargs; i++)
		if (!strchr(args[i], '='))
			return -EINVAL;
	for (i = 0; i < nargs; i++)
		snprintf(spec + strlen(spec), sizeof(spec) - strlen(spec),
			 "%s%s", i ? " " : "", args[i]);
	return list_add(l, spec, PROFILE_NO_PHASE);
}

static int apply_directive(struct profile *prof, char **w, int n)
{
	if (!strcmp(w[0], "name")) {
		if (n != 2 || prof->name)
			return -EINVAL;
		prof->name = strdup(w[1]);
		return prof->name ? 0 : -ENOMEM;
	}
	if (!strcmp(w[0], "root"))
		return add_words(&prof->roots, w + 1, n - 1);
	if (!strcmp(w[0], "phase"))
		return add_phase(prof, w + 1, n - 1);
	if (!strcmp(w[0], "event"))
		return add_words(&prof->events, w + 1, n - 1);
	if (!strcmp(w[0], "allow"))
		return add_words(&prof->allow, w + 1, n - 1);
	if (!strcmp(w[0], "memslot_probe"))
		return add_memslot_probe(&prof->memslot, w + 1, n - 1);
	return -ENOENT;
}

static int split_words(char *line, char **w, int max)
{
	int n = 0;
	char *p = strchr(line, '#');

	if (p)
		*p = '\0';
	for (p = strtok(line, " \t\r\n"); p && n < max;
	     p = strtok(NULL, " \t\r\n"))
		w[n++] = p;
	return n;
}

static int parse_stream(struct profile *prof, FILE *f, const char *path,
			char *err, int errlen)
{
	char line[1024], *w[64];
	int lineno = 0, n, ret;

	while (fgets(line, sizeof(line), f)) {
		lineno++;
		n = split_words(line, w, 64);
		if (!n)
			continue;
		ret = apply_directive(prof, w, n);
		if (ret) {
			msg_set(err, errlen, "%s:%d: %s '%s'", path, lineno,
				ret == -ENOENT ? "unknown directive" :
				"bad arguments for", w[0]);
			return ret;
		}
	}
	if (!prof->roots.nr) {
		msg_set(err, errlen, "%s: no 'root' function", path);
		return -EINVAL;
	}
	return 0;
}

/* Parse an open stream; @where names it in messages. */
static struct profile *profile_from_stream(FILE *f, const char *where,
					   char *err, int errlen)
{
	struct profile *prof = calloc(1, sizeof(*prof));

	if (!prof) {
		msg_set(err, errlen, "out of memory");
		return NULL;
	}
	if (parse_stream(prof, f, where, err, errlen)) {
		profile_free(prof);
		return NULL;
	}
	if (!prof->name)
		prof->name = strdup("unnamed");
	return prof;
}

struct profile *profile_load(const char *path, char *err, int errlen)
{
	struct profile *prof;
	FILE *f = fopen(path, "re");

	if (!f) {
		msg_set(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	prof = profile_from_stream(f, path, err, errlen);
	fclose(f);
	return prof;
}

struct profile *profile_parse(const char *text, char *err, int errlen)
{
	struct profile *prof;
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	if (!f) {
		msg_set(err, errlen, "profile text: %s", strerror(errno));
		return NULL;
	}
	prof = profile_from_stream(f, "profile text", err, errlen);
	fclose(f);
	return prof;
}

const char *profile_name(const struct profile *prof)
{
	return prof->name;
}

unsigned int profile_nr_phases(const struct profile *prof)
{
	return prof->nr_phases;
}

const char *profile_phase_name(const struct profile *prof, unsigned int phase)
{
	return phase < prof->nr_phases ? prof->phase_names[phase] : "?";
}

unsigned int profile_phase_of(const struct profile *prof, const char *func)
{
	unsigned int i;

	for (i = 0; i < prof->phase_funcs.nr; i++)
		if (!strcmp(prof->phase_funcs.words[i], func))
			return prof->phase_funcs.phase[i];
	return PROFILE_NO_PHASE;
}

bool profile_is_root(const struct profile *prof, const char *func)
{
	unsigned int i;

	for (i = 0; i < prof->roots.nr; i++)
		if (!strcmp(prof->roots.words[i], func))
			return true;
	return false;
}

unsigned int profile_nr_roots(const struct profile *prof)
{
	return prof->roots.nr;
}

const char *profile_root(const struct profile *prof, unsigned int i)
{
	return i < prof->roots.nr ? prof->roots.words[i] : NULL;
}

unsigned int profile_nr_events(const struct profile *prof)
{
	return prof->events.nr;
}

const char *profile_event(const struct profile *prof, unsigned int i)
{
	return i < prof->events.nr ? prof->events.words[i] : NULL;
}

unsigned int profile_nr_allow(const struct profile *prof)
{
	return prof->allow.nr;
}

const char *profile_allow(const struct profile *prof, unsigned int i)
{
	return i < prof->allow.nr ? prof->allow.words[i] : NULL;
}

unsigned int profile_nr_memslot_probes(const struct profile *prof)
{
	return prof->memslot.nr;
}

const char *profile_memslot_probe(const struct profile *prof, unsigned int i)
{
	return i < prof->memslot.nr ? prof->memslot.words[i] : NULL;
}
