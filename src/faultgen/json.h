/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json.h - minimal streaming JSON writer
 *
 * Every value takes a key; pass NULL for array elements.
 */
#ifndef FAULTGEN_JSON_H
#define FAULTGEN_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define FG_JSON_MAX_DEPTH	8

struct fg_json {
	FILE *f;
	unsigned int depth;
	bool has_items[FG_JSON_MAX_DEPTH];
};

void fg_json_init(struct fg_json *j, FILE *f);
void fg_json_begin_object(struct fg_json *j, const char *key);
void fg_json_end_object(struct fg_json *j);
void fg_json_begin_array(struct fg_json *j, const char *key);
void fg_json_end_array(struct fg_json *j);
void fg_json_string(struct fg_json *j, const char *key, const char *val);
void fg_json_u64(struct fg_json *j, const char *key, uint64_t val);
void fg_json_hex(struct fg_json *j, const char *key, uint64_t val);
void fg_json_bool(struct fg_json *j, const char *key, bool val);
void fg_json_null(struct fg_json *j, const char *key);

#endif /* FAULTGEN_JSON_H */
