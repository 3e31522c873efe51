// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trace_formats.c - parse events/header_page and the format files of the
 * events listed by the payload decoder.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <traceevent/event-parse.h>

#include "file_read.h"
#include "trace_events.h"
#include "trace_formats.h"

#define MAX_FORMAT_SIZE	(1 << 20)

/* Read a format file whole; its length or -errno. */
static ssize_t read_small_file(const char *path, char **out)
{
	size_t len;
	int r = file_read_all(path, MAX_FORMAT_SIZE, out, &len);

	return r ? r : (ssize_t)len;
}

/* Does @l (@n bytes, no newline) start with @prefix? */
static bool starts(const char *l, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && !memcmp(l, prefix, k);
}

/* Is @c among the @n bytes at @l? How many times? */
static size_t count_byte(const char *l, size_t n, char c)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += l[i] == c;
	return k;
}

/*
 * A field line as the kernel writes it: "\tfield:DECL;\toffset:N;\tsize:N;
 * \tsigned:N;" with at most one balanced "[...]" in DECL.
 */
static bool field_line_sane(const char *l, size_t n)
{
	size_t open = count_byte(l, n, '['), close = count_byte(l, n, ']');
	const char *o = memmem(l, n, ";\toffset:", 9);
	const char *z = memmem(l, n, ";\tsize:", 7);
	const char *sg = memmem(l, n, ";\tsigned:", 9);

	if (open != close || open > 1 || !o || !z || !sg)
		return false;
	return o < z && z < sg && l[n - 1] == ';';
}

/*
 * libtraceevent trusts the text it parses (a cut field line followed by
 * binary bytes crashed it). Accept only what the kernel writes: printable
 * ASCII and tabs, and lines that are empty, "name: ", "ID: N", "format:",
 * "print fmt: " or a well-formed field line.
 */
static bool format_text_sane(const char *text, size_t len)
{
	const char *l = text, *end = text + len, *nl;
	size_t i, n;

	for (i = 0; i < len; i++)
		if (text[i] != '\n' && text[i] != '\t' &&
		    (text[i] < 0x20 || text[i] > 0x7e))
			return false;
	for (; l < end; l = nl + 1) {
		nl = memchr(l, '\n', (size_t)(end - l));
		if (!nl)
			nl = end;
		n = (size_t)(nl - l);
		if (!n || starts(l, n, "name: ") || starts(l, n, "ID: ") ||
		    starts(l, n, "format:") || starts(l, n, "print fmt: "))
			continue;
		if (!starts(l, n, "\tfield:") || !field_line_sane(l, n))
			return false;
	}
	return true;
}

static int load_header(struct tep_handle *tep, const char *dir)
{
	char path[4096], *buf;
	ssize_t len;
	int r;

	snprintf(path, sizeof(path), "%s/events/header_page", dir);
	len = read_small_file(path, &buf);
	if (len < 0)
		return (int)len;
	if (!format_text_sane(buf, (size_t)len)) {
		free(buf);
		return -EINVAL;
	}
	r = tep_parse_header_page(tep, buf, (unsigned long)len, sizeof(long));
	free(buf);
	return r ? -EINVAL : 0;
}

#define EMPTY_PRINT_FMT		"print fmt: \"\"\n"
#define FAST_PF_RET_FIELD	"\tfield:int ret;\t"
#define FAST_PF_TEXT		"spurious %d fixed %d"
#define FAST_PF_RET_ARG		"REC->ret == "

/* "REC->ret == N" at @q: N in 0..255, else -1 */
static long ret_value(const char *q)
{
	const char *d = q + strlen(FAST_PF_RET_ARG);
	long v = 0;
	int n = 0;

	while (*d >= '0' && *d <= '9' && n < 4) {
		v = v * 10 + (*d++ - '0');
		n++;
	}
	return n && n < 4 && v <= 255 ? v : -1;
}

/*
 * kvmmmu:fast_page_fault says whether the fast path fixed the fault only
 * in its print fmt: "... spurious %d fixed %d", ..., REC->ret == S,
 * REC->ret == F, RET_PF_* values that differ between kernels. Into @out,
 * a print fmt of just that, rebuilt from the two numbers read here (and
 * only if the format has the int field ret it names); else an empty one.
 */
static void fast_pf_print_fmt(const char *buf, char *out, size_t outlen)
{
	const char *p = strstr(buf, "print fmt:"), *eol, *q, *f;
	long v[2] = { -1, -1 };
	int n = 0;

	snprintf(out, outlen, "%s", EMPTY_PRINT_FMT);
	f = strstr(buf, FAST_PF_RET_FIELD);
	if (!p || !f || f > p)
		return;
	eol = strchr(p, '\n');
	if (!eol)
		eol = p + strlen(p);
	q = strstr(p, FAST_PF_TEXT);
	if (!q || q > eol)
		return;
	for (q = strstr(p, FAST_PF_RET_ARG); q && q < eol;
	     q = strstr(q + 1, FAST_PF_RET_ARG)) {
		if (n == 2)
			return;
		v[n++] = ret_value(q);
	}
	if (n != 2 || v[0] < 0 || v[1] < 0 || v[0] == v[1])
		return;
	snprintf(out, outlen, "print fmt: \"%s\", %s%ld, %s%ld\n",
		 FAST_PF_TEXT, FAST_PF_RET_ARG, v[0], FAST_PF_RET_ARG, v[1]);
}

/*
 * The decoder reads fields by offset and never prints events, so the
 * "print fmt:" line is replaced by @print (an empty one, or one we built
 * from checked numbers) before libtraceevent parses the format: its
 * print-format parser dereferences NULL when an argument names a field
 * whose line is missing, and is the largest part of it a damaged
 * recording could reach. Return the new text or NULL.
 */
static char *without_print_fmt(char *buf, ssize_t *len, const char *print)
{
	char *p = strstr(buf, "print fmt:"), *out;
	size_t keep, plen = strlen(print);

	if (!p)
		return buf;
	keep = (size_t)(p - buf);
	out = malloc(keep + plen + 1);
	if (!out)
		return NULL;
	memcpy(out, buf, keep);
	memcpy(out + keep, print, plen + 1);
	*len = (ssize_t)(keep + plen);
	return out;
}

/* The "field:" lines of a format text. */
static int count_field_lines(const char *text)
{
	const char *p = text;
	int n = 0;

	while ((p = strstr(p, "\tfield:"))) {
		n++;
		p++;
	}
	return n;
}

/*
 * libtraceevent stops reading fields at the first line it cannot parse
 * (an offset of -1, say) and still succeeds: the fields after it would
 * be silently absent. Every field line must have become a field.
 */
static bool all_fields_parsed(struct tep_handle *tep, const char *text,
			      const char *sys, const char *name)
{
	struct tep_event *ev = tep_find_event_by_name(tep, sys, name);

	return ev && ev->format.nr_common + ev->format.nr_fields ==
		     count_field_lines(text);
}

/* Parse one event's format; absent events are fine (older kernels). */
static int load_event(struct tep_handle *tep, const char *dir,
		      const char *sys, const char *name)
{
	char path[4096], print[128] = EMPTY_PRINT_FMT, *buf, *text;
	ssize_t len;
	int r;

	snprintf(path, sizeof(path), "%s/events/%s/%s/format", dir, sys, name);
	len = read_small_file(path, &buf);
	if (len == -ENOENT)
		return 0;
	if (len < 0)
		return (int)len;
	if (!strcmp(sys, "kvmmmu") && !strcmp(name, "fast_page_fault"))
		fast_pf_print_fmt(buf, print, sizeof(print));
	text = without_print_fmt(buf, &len, print);
	if (text != buf)
		free(buf);
	if (!text)
		return -ENOMEM;
	if (!format_text_sane(text, (size_t)len)) {
		free(text);
		return -EINVAL;
	}
	r = tep_parse_event(tep, text, (unsigned long)len, sys);
	if (!r && !all_fields_parsed(tep, text, sys, name))
		r = -1;
	free(text);
	return r ? -EINVAL : 1;
}

struct tep_handle *trace_formats_load(const char *dir, char *err,
				      size_t errlen)
{
	struct tep_handle *tep = tep_alloc();
	const char *sys, *name;
	unsigned int i;
	int r;

	if (!tep) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	tep_set_long_size(tep, sizeof(long));
	tep_set_page_size(tep, getpagesize());
	r = load_header(tep, dir);
	if (r) {
		snprintf(err, errlen, "%s/events/header_page: %s", dir,
			 r == -EINVAL ? "cannot parse it" : strerror(-r));
		goto fail;
	}
	for (i = 0; event_decoder_wanted(i, &sys, &name); i++) {
		r = load_event(tep, dir, sys, name);
		if (r < 0) {
			snprintf(err, errlen, "%s/events/%s/%s/format: %s",
				 dir, sys, name, r == -EINVAL ?
				 "cannot parse it" : strerror(-r));
			goto fail;
		}
	}
	return tep;
fail:
	tep_free(tep);
	return NULL;
}
