/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli.h - the command-line layer: the only code that prints errors and
 * chooses exit codes. main.c dispatches to one cmd_*.c per mode.
 *
 * Exit status: 0 ok, 1 runtime error, 2 usage error, 3 the VM process
 * exited before the trace was asked to end (results are still printed).
 */
#ifndef KVMMMU_CLI_H
#define KVMMMU_CLI_H

#include <stdbool.h>

#include "fault.h"
#include "fault_builder.h"
#include "params.h"
#include "tracing_session.h"

#define EXIT_USAGE	2
#define EXIT_VM_GONE	3
/* A replay that finished on damaged input: its results are incomplete. */
#define EXIT_DAMAGED	4

struct tracefs_instance;

/* Everything one run holds, for the commands that trace or replay. */
struct run {
	const struct params *p;
	struct profile *prof;
	struct report *report;
	struct capture *capture;
	struct symbols *syms;
	struct thread_names *names;
	struct tracing_session *session;
	struct memslot_probe *memslot;
	struct load_watch *watch;	/* live runs: cost and losses */
	const char *strategy;
	int pid;
	const char *record_dir;		/* --record DIR, or a temporary one */
	fault_emit_fn emit;		/* faults go here instead of the report */
	void *emit_ctx;
	char *record_tmp;		/* for --record FILE.dat, to remove */
};

/*
 * --record: set run->record_dir; for FILE.dat a temporary directory next
 * to FILE that record_dat_finish() turns into FILE and removes. Prints why
 * not and returns 1 on failure.
 */
int record_dat_begin(struct run *run);
int record_dat_finish(struct run *run);
void record_dat_cleanup(struct run *run);

/* Print "kvmmmu-graph: MESSAGE" on stderr and return @code. */
int fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A profile by name (profile directories) or path; prints why not. */
struct profile *load_profile(const char *name);


int open_report(struct run *run);
int open_capture(struct run *run, const char *dir,
		 struct tracefs_instance *inst, enum fault_vendor vendor,
		 bool events_only);
/* Rebuild every fault of a recording or trace.dat (prints why not). */
int replay_input(struct run *run, const char *input);
/* A trace.dat file to replay (trace-cmd's or ours). */
int open_dat_capture(struct run *run, const char *path,
		     enum fault_vendor vendor, bool events_only);
/* Lost events and pages read so far, to the views that show them live. */
void progress_report(struct run *run);
int finish_report(struct run *run);
void run_free(struct run *run);

int cmd_check(const struct params *p);
int cmd_diff(const struct params *p);
int cmd_replay(const struct params *p);
int cmd_trace(const struct params *p);

#endif /* KVMMMU_CLI_H */
