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

/* what backs slots 1 and 2 */
enum fg_backing {
	FG_BACKING_ANON,	/* MAP_PRIVATE | MAP_ANONYMOUS */
	FG_BACKING_SHMEM,	/* MAP_SHARED | MAP_ANONYMOUS */
	FG_BACKING_MEMFD,	/* memfd_create(), MAP_SHARED */
	FG_BACKING_GMEM,	/* KVM_CREATE_GUEST_MEMFD, MAP_SHARED */
};

struct fg_opts {
	uint64_t pages;		/* pages per vCPU in slot 1 */
	uint64_t pages2;	/* pages vCPU 0 touches in slot 2 */
	uint64_t slot2_gpa;
	enum fg_access access;	/* first touch of slot 1 and slot 2 */
	uint64_t mmio;		/* MMIO reads (and as many writes) */
	uint64_t mmio_gpa;
	bool dirty_log;
	uint64_t rewrites;	/* --dirty-log: slot-1 rewrite rounds */
	unsigned int vcpus;
	bool hugepages;
	enum fg_backing backing;
	bool populate;		/* pre-fault slots 1 and 2 in the host */
	uint64_t prefault;	/* slot-1 pages per vCPU KVM maps ahead */
	bool userfault;		/* slot 1 served through userfaultfd */
	const char *wait_file;
	bool wait_signal;
	const char *rewrite_wait_file;	/* --dirty-log: wait before pass 2 */
	const char *json_path;	/* NULL: stdout */
};

/* fg_parse_options() results */
#define FG_OPTS_RUN		0
#define FG_OPTS_EXIT_OK		1
#define FG_OPTS_EXIT_USAGE	2

int fg_parse_options(int argc, char **argv, struct fg_opts *o);
const char *fg_access_name(enum fg_access access);
const char *fg_backing_name(enum fg_backing backing);

#endif /* FAULTGEN_OPTIONS_H */
