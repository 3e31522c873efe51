// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * json.c - minimal streaming JSON writer (single line output)
 */
#include <inttypes.h>

#include "json.h"

void fg_json_init(struct fg_json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->has_items[0] = false;
}

static void fg_json_put_string(struct fg_json *j, const char *s)
{
	const unsigned char *p;

	fputc('"', j->f);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(j->f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(j->f, "\\u%04x", *p);
		else
			fputc(*p, j->f);
	}
	fputc('"', j->f);
}

/* separator and "key": before a value at the current depth */
static void fg_json_key(struct fg_json *j, const char *key)
{
	if (j->has_items[j->depth])
		fputc(',', j->f);
	j->has_items[j->depth] = true;
	if (key) {
		fg_json_put_string(j, key);
		fputc(':', j->f);
	}
}

static void fg_json_open(struct fg_json *j, const char *key, char bracket)
{
	fg_json_key(j, key);
	fputc(bracket, j->f);
	if (j->depth + 1 < FG_JSON_MAX_DEPTH)
		j->depth++;
	j->has_items[j->depth] = false;
}

static void fg_json_close(struct fg_json *j, char bracket)
{
	if (j->depth)
		j->depth--;
	fputc(bracket, j->f);
}

void fg_json_begin_object(struct fg_json *j, const char *key)
{
	fg_json_open(j, key, '{');
}

void fg_json_end_object(struct fg_json *j)
{
	fg_json_close(j, '}');
}

void fg_json_begin_array(struct fg_json *j, const char *key)
{
	fg_json_open(j, key, '[');
}

void fg_json_end_array(struct fg_json *j)
{
	fg_json_close(j, ']');
}

void fg_json_string(struct fg_json *j, const char *key, const char *val)
{
	if (!val) {
		fg_json_null(j, key);
		return;
	}
	fg_json_key(j, key);
	fg_json_put_string(j, val);
}

void fg_json_u64(struct fg_json *j, const char *key, uint64_t val)
{
	fg_json_key(j, key);
	fprintf(j->f, "%" PRIu64, val);
}

/* addresses: "0x..." strings */
void fg_json_hex(struct fg_json *j, const char *key, uint64_t val)
{
	fg_json_key(j, key);
	fprintf(j->f, "\"0x%" PRIx64 "\"", val);
}

void fg_json_bool(struct fg_json *j, const char *key, bool val)
{
	fg_json_key(j, key);
	fputs(val ? "true" : "false", j->f);
}

void fg_json_null(struct fg_json *j, const char *key)
{
	fg_json_key(j, key);
	fputs("null", j->f);
}
