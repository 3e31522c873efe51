// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * profile.c - parse profiles/NAME.profile.
 *
 * Line format (one directive a line, '#' starts a comment):
 *	name   NAME
 *	root   FUNC [FUNC...] [origin=guest|prefault|async-pf]
 *	phase  LABEL FUNC [FUNC...]	(the names FUNC has on other kernels)
 *	event  SYSTEM/EVENT, or SYSTEM alone for all its events
 *	allow  FILTER			(set_ftrace_filter expression)
 *	memslot_probe FUNC slot=$argN gfn=$argM, or FUNC fault=$argN
 *	memslot_learn FUNC slot=$argN gfn=$argM
 *					(memslot_probe.c parses and uses them)
 *	cause  NAME [kind=normal|fast|mmio] [any=F,F...] [lock=F,F...
 *	       lock_min_us=N] [nomap]	(first matching rule names a fault)
 *	hint   NAME TEXT...		(advice of cause NAME's finding)
 *	findings min_share=PERCENT stuck_count=N stuck_window_ms=MS
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "file_read.h"
#include "msg.h"
#include "profile.h"

#define PROFILE_MAX_WORDS	512

struct word_list {
	char *words[PROFILE_MAX_WORDS];
	unsigned char phase[PROFILE_MAX_WORDS];	/* phase, or a root's origin */
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
	struct word_list memslot_learn;	/* the same, memslot_learn */
	struct profile_cause causes[PROFILE_MAX_CAUSES];
	unsigned int nr_causes;
	struct profile_findings findings;
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

static void free_cause(struct profile_cause *c)
{
	char **f;

	free(c->name);
	for (f = c->any; *f; f++)
		free(*f);
	for (f = c->lock; *f; f++)
		free(*f);
	free(c->hint);
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
	list_free(&prof->memslot_learn);
	while (prof->nr_causes)
		free_cause(&prof->causes[--prof->nr_causes]);
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

/* "root FUNC... [origin=NAME]": the origin defaults to the guest. */
static int add_roots(struct word_list *l, char **args, int nargs)
{
	int origin = FAULT_ORIGIN_GUEST, i, ret;

	if (nargs && !strncmp(args[nargs - 1], "origin=", 7)) {
		origin = fault_origin_from_name(args[nargs - 1] + 7);
		nargs--;
	}
	if (nargs < 1 || origin < 0)
		return -EINVAL;
	for (i = 0; i < nargs; i++) {
		ret = list_add(l, args[i], (unsigned int)origin);
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

/* "a,b,c" into @out (NULL-terminated, at most PROFILE_MAX_CAUSE_FUNCS). */
static int split_funcs(const char *list, char **out)
{
	char *copy = strdup(list), *tok, *save = NULL;
	int n = 0, ret = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok && !ret;
	     tok = strtok_r(NULL, ",", &save)) {
		if (n >= PROFILE_MAX_CAUSE_FUNCS)
			ret = -E2BIG;
		else if (!(out[n++] = strdup(tok)))
			ret = -ENOMEM;
	}
	free(copy);
	return ret ? ret : n ? 0 : -EINVAL;
}

static int cause_kind(const char *v)
{
	static const char *const kinds[] = { "normal", "fast", "mmio" };
	int i;

	for (i = 0; i < 3; i++)
		if (!strcmp(v, kinds[i]))
			return i;
	return -EINVAL;
}

static int cause_option(struct profile_cause *c, const char *opt)
{
	const char *v = strchr(opt, '=');
	double us;
	char *end;

	if (!strcmp(opt, "nomap")) {
		c->nomap = true;
		return 0;
	}
	if (!v)
		return -EINVAL;
	v++;
	if (!strncmp(opt, "kind=", 5))
		return (c->kind = cause_kind(v)) < 0 ? -EINVAL : 0;
	if (!strncmp(opt, "any=", 4))
		return split_funcs(v, c->any);
	if (!strncmp(opt, "lock=", 5))
		return split_funcs(v, c->lock);
	if (!strncmp(opt, "lock_min_us=", 12)) {
		us = strtod(v, &end);
		if (*end || !(us >= 0 && us < 1e9))
			return -EINVAL;
		c->lock_min_ns = (uint64_t)(us * 1000.0);
		return 0;
	}
	return -EINVAL;
}

static int add_cause(struct profile *prof, char **args, int nargs)
{
	struct profile_cause *c;
	int i, ret;

	if (nargs < 1 || profile_cause_index(prof, args[0]) >= 0 ||
	    !strcmp(args[0], "other") || !strcmp(args[0], "unknown"))
		return -EINVAL;
	if (prof->nr_causes >= PROFILE_MAX_CAUSES)
		return -E2BIG;
	c = &prof->causes[prof->nr_causes++];
	c->kind = -1;
	c->name = strdup(args[0]);
	if (!c->name)
		return -ENOMEM;
	for (i = 1; i < nargs; i++) {
		ret = cause_option(c, args[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static int add_hint(struct profile *prof, char **args, int nargs)
{
	int i = nargs > 1 ? profile_cause_index(prof, args[0]) : -1;
	char text[768] = "";
	int k;

	if (i < 0 || prof->causes[i].hint)
		return -EINVAL;
	for (k = 1; k < nargs; k++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "%s%s", k > 1 ? " " : "", args[k]);
	prof->causes[i].hint = strdup(text);
	return prof->causes[i].hint ? 0 : -ENOMEM;
}

static int add_findings(struct profile *prof, char **args, int nargs)
{
	struct profile_findings *fi = &prof->findings;
	double v;
	char *end;
	int i;

	for (i = 0; i < nargs; i++) {
		const char *eq = strchr(args[i], '=');

		if (!eq)
			return -EINVAL;
		v = strtod(eq + 1, &end);
		if (*end || !(v >= 0 && v < 1e9))
			return -EINVAL;
		if (!strncmp(args[i], "min_share=", 10) && v <= 100)
			fi->min_share = v / 100.0;
		else if (!strncmp(args[i], "stuck_count=", 12) && v >= 1)
			fi->stuck_count = (uint32_t)v;
		else if (!strncmp(args[i], "stuck_window_ms=", 16) && v > 0)
			fi->stuck_window_ns = (uint64_t)(v * 1e6);
		else
			return -EINVAL;
	}
	return 0;
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
		return add_roots(&prof->roots, w + 1, n - 1);
	if (!strcmp(w[0], "phase"))
		return add_phase(prof, w + 1, n - 1);
	if (!strcmp(w[0], "event"))
		return add_words(&prof->events, w + 1, n - 1);
	if (!strcmp(w[0], "allow"))
		return add_words(&prof->allow, w + 1, n - 1);
	if (!strcmp(w[0], "memslot_probe"))
		return add_memslot_probe(&prof->memslot, w + 1, n - 1);
	if (!strcmp(w[0], "memslot_learn"))
		return add_memslot_probe(&prof->memslot_learn, w + 1, n - 1);
	if (!strcmp(w[0], "cause"))
		return add_cause(prof, w + 1, n - 1);
	if (!strcmp(w[0], "hint"))
		return add_hint(prof, w + 1, n - 1);
	if (!strcmp(w[0], "findings"))
		return add_findings(prof, w + 1, n - 1);
	return -ENOENT;
}

#define PROFILE_LINE_WORDS	64

/* The words of @line before any '#': their number, or -E2BIG past @max. */
static int split_words(char *line, char **w, int max)
{
	int n = 0;
	char *p = strchr(line, '#');

	if (p)
		*p = '\0';
	for (p = strtok(line, " \t\r\n"); p; p = strtok(NULL, " \t\r\n")) {
		if (n == max)
			return -E2BIG;
		w[n++] = p;
	}
	return n;
}

/* A line longer than the buffer would be read as two. */
static bool line_cut(const char *line, FILE *f)
{
	size_t len = strlen(line);

	return len && line[len - 1] != '\n' && !feof(f);
}

static int parse_stream(struct profile *prof, FILE *f, const char *path,
			char *err, int errlen)
{
	char line[1024], *w[PROFILE_LINE_WORDS];
	int lineno = 0, n, ret;

	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (line_cut(line, f)) {
			msg_set(err, errlen, "%s:%d: line longer than %zu "
				"bytes", path, lineno, sizeof(line) - 1);
			return -E2BIG;
		}
		n = split_words(line, w, PROFILE_LINE_WORDS);
		if (n < 0) {
			msg_set(err, errlen, "%s:%d: more than %d words on one "
				"line: split it", path, lineno,
				PROFILE_LINE_WORDS);
			return n;
		}
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
	prof->findings = (struct profile_findings){
		.min_share = 0.05, .stuck_count = 8,
		.stuck_window_ns = 100000000,
	};
	if (parse_stream(prof, f, where, err, errlen)) {
		profile_free(prof);
		return NULL;
	}
	if (!prof->name)
		prof->name = strdup("unnamed");
	return prof;
}

/* A profile is a small text file: a device or a FIFO would never end. */
#define PROFILE_MAX_SIZE	(1u << 20)

struct profile *profile_load(const char *path, char *err, int errlen)
{
	struct profile *prof;
	size_t len;
	char *text;
	FILE *f;
	int r;

	r = file_read_all(path, PROFILE_MAX_SIZE, &text, &len);
	if (r) {
		msg_set(err, errlen, "%s: %s", path, r == -EINVAL ?
			"not a regular file" : r == -EFBIG ?
			"larger than 1 MiB: not a profile" : strerror(-r));
		return NULL;
	}
	f = fmemopen(text, len, "r");
	if (!f) {
		msg_set(err, errlen, "%s: %s", path, strerror(errno));
		free(text);
		return NULL;
	}
	prof = profile_from_stream(f, path, err, errlen);
	fclose(f);
	free(text);
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

/* Compiler clones: .isra.N .part.N .constprop.N .cold[.N] .llvm.N ... */
static const char *const clone_suffixes[] = {
	".isra.", ".part.", ".constprop.", ".llvm.", ".lto_priv.",
	".specialized.", ".cold.", ".cold", NULL,
};

/* Length of one clone suffix at @s, 0 if there is none. */
static size_t clone_suffix_len(const char *s)
{
	const char *const *c;
	size_t n, d;

	for (c = clone_suffixes; *c; c++) {
		n = strlen(*c);
		if (strncmp(s, *c, n))
			continue;
		if ((*c)[n - 1] != '.')	/* ".cold" alone */
			return (s[n] == '\0' || s[n] == '.') ? n : 0;
		d = strspn(s + n, "0123456789");
		if (d)
			return n + d;
	}
	return 0;
}

bool profile_func_matches(const char *func, const char *name)
{
	size_t len = strlen(name), k;

	if (strncmp(func, name, len))
		return false;
	for (func += len; *func; func += k) {
		k = clone_suffix_len(func);
		if (!k)
			return false;
	}
	return true;
}

unsigned int profile_phase_of(const struct profile *prof, const char *func)
{
	unsigned int i;

	for (i = 0; i < prof->phase_funcs.nr; i++)
		if (profile_func_matches(func, prof->phase_funcs.words[i]))
			return prof->phase_funcs.phase[i];
	return PROFILE_NO_PHASE;
}

int profile_root_origin(const struct profile *prof, const char *func)
{
	unsigned int i;

	for (i = 0; i < prof->roots.nr; i++)
		if (profile_func_matches(func, prof->roots.words[i]))
			return prof->roots.phase[i];
	return -1;
}

bool profile_is_root(const struct profile *prof, const char *func)
{
	return profile_root_origin(prof, func) >= 0;
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

unsigned int profile_nr_memslot_learn(const struct profile *prof)
{
	return prof->memslot_learn.nr;
}

const char *profile_memslot_learn(const struct profile *prof, unsigned int i)
{
	return i < prof->memslot_learn.nr ? prof->memslot_learn.words[i] : NULL;
}

unsigned int profile_nr_causes(const struct profile *prof)
{
	return prof->nr_causes;
}

const struct profile_cause *profile_cause(const struct profile *prof,
					  unsigned int i)
{
	return i < prof->nr_causes ? &prof->causes[i] : NULL;
}

int profile_cause_index(const struct profile *prof, const char *name)
{
	unsigned int i;

	for (i = 0; i < prof->nr_causes; i++)
		if (!strcmp(prof->causes[i].name, name))
			return (int)i;
	return -1;
}

const struct profile_findings *profile_findings(const struct profile *prof)
{
	return &prof->findings;
}
