/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jsonl_faults.h - read back the per-fault objects of kvmmmu-graph --json
 * (JSON Lines), for `kvmmmu-graph diff`. Only the fields a comparison
 * needs are read: kind, cause, complete, delay_ns and the phases object.
 * The summary object is skipped. Lines are bounded; a line that is not a
 * fault object of that shape is an error, not a guess.
 */
#ifndef KVMMMU_JSONL_FAULTS_H
#define KVMMMU_JSONL_FAULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSONL_MAX_PHASES	32
#define JSONL_MAX_LINE		(1u << 16)

/**
 * struct jsonl_fault - one fault object
 * @kind, @cause: names ("" if the object has no cause: older output)
 * @phases:	phase names, pointing into a buffer valid in the callback
 */
struct jsonl_fault {
	char kind[16];
	char cause[32];
	bool complete;
	uint64_t delay_ns;
	unsigned int nr_phases;
	const char *phases[JSONL_MAX_PHASES];
	uint64_t phase_ns[JSONL_MAX_PHASES];
};

/* Is @path a JSON Lines file (its first byte is '{')? */
bool jsonl_is_file(const char *path);

/**
 * jsonl_faults_read() - call @fn for each fault object of @path
 * @err:	"FILE:LINE: why" on failure
 *
 * Return: the number of faults, or a negative errno (-EBADMSG for a
 * malformed line, -EFBIG for a line over JSONL_MAX_LINE).
 */
int64_t jsonl_faults_read(const char *path,
			  int (*fn)(const struct jsonl_fault *f, void *ctx),
			  void *ctx, char *err, size_t errlen);

#endif /* KVMMMU_JSONL_FAULTS_H */
