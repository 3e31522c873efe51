/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * options.h - command line of kvmmmu-faultgen
 */
#ifndef FAULTGEN_OPTIONS_H
#define FAULTGEN_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

enum fg_access {
	FG_ACCESS_WRITE,
	FG_ACCESS_READ,
	FG_ACCESS_EXEC,
};

struct fg_opts {
	uint64_t pages;		/* pages per vCPU in slot 1 */
	uint64_t pages2;	/* pages vCPU 0 touches in slot 2 */
	uint64_t slot2_gpa;
	enum fg_access access;	/* first touch of slot 1 and slot 2 */
	uint64_t mmio;		/* MMIO reads (and as many writes) */
	uint64_t mmio_gpa;
	bool dirty_log;
	unsigned int vcpus;
	bool hugepages;
	const char *wait_file;
	bool wait_signal;
	const char *json_path;	/* NULL: stdout */
};

/* fg_parse_options() results */
#define FG_OPTS_RUN		0
#define FG_OPTS_EXIT_OK		1
#define FG_OPTS_EXIT_USAGE	2

int fg_parse_options(int argc, char **argv, struct fg_opts *o);
const char *fg_access_name(enum fg_access access);

#endif /* FAULTGEN_OPTIONS_H */
