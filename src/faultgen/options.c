// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * options.c - command line parsing and validation
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faultgen.h"
#include "layout.h"
#include "options.h"

#define FG_MAX_PAGES		(1ULL << 20)	/* 4 GiB of guest memory */
#define FG_MAX_MMIO		(1ULL << 24)
#define FG_MAX_REWRITES		(1ULL << 16)

enum {
	OPT_PAGES = 256,
	OPT_PAGES2,
	OPT_SLOT2_GPA,
	OPT_ACCESS,
	OPT_MMIO,
	OPT_MMIO_GPA,
	OPT_DIRTY_LOG,
	OPT_VCPUS,
	OPT_HUGEPAGES,
	OPT_BACKING,
	OPT_POPULATE,
	OPT_PREFAULT,
	OPT_USERFAULT,
	OPT_REWRITES,
	OPT_WAIT_FILE,
	OPT_REWRITE_WAIT_FILE,
	OPT_WAIT_SIGNAL,
	OPT_JSON,
};

static const struct option fg_long_opts[] = {
	{ "pages",	 required_argument, NULL, OPT_PAGES },
	{ "pages2",	 required_argument, NULL, OPT_PAGES2 },
	{ "slot2-gpa",	 required_argument, NULL, OPT_SLOT2_GPA },
	{ "access",	 required_argument, NULL, OPT_ACCESS },
	{ "mmio",	 required_argument, NULL, OPT_MMIO },
	{ "mmio-gpa",	 required_argument, NULL, OPT_MMIO_GPA },
	{ "dirty-log",	 no_argument,	    NULL, OPT_DIRTY_LOG },
	{ "vcpus",	 required_argument, NULL, OPT_VCPUS },
	{ "hugepages",	 no_argument,	    NULL, OPT_HUGEPAGES },
	{ "backing",	 required_argument, NULL, OPT_BACKING },
	{ "populate",	 no_argument,	    NULL, OPT_POPULATE },
	{ "prefault",	 required_argument, NULL, OPT_PREFAULT },
	{ "userfault",	 no_argument,	    NULL, OPT_USERFAULT },
	{ "rewrites",	 required_argument, NULL, OPT_REWRITES },
	{ "wait-file",	 required_argument, NULL, OPT_WAIT_FILE },
	{ "rewrite-wait-file", required_argument, NULL, OPT_REWRITE_WAIT_FILE },
	{ "wait-signal", no_argument,	    NULL, OPT_WAIT_SIGNAL },
	{ "json",	 required_argument, NULL, OPT_JSON },
	{ "help",	 no_argument,	    NULL, 'h' },
	{ "version",	 no_argument,	    NULL, 'V' },
	{ NULL,		 0,		    NULL, 0 },
};

static const char *const fg_access_names[] = {
	[FG_ACCESS_WRITE] = "write",
	[FG_ACCESS_READ] = "read",
	[FG_ACCESS_EXEC] = "exec",
};

const char *fg_access_name(enum fg_access access)
{
	return fg_access_names[access];
}

static const char *const fg_backing_names[] = {
	[FG_BACKING_ANON] = "anon",
	[FG_BACKING_SHMEM] = "shmem",
	[FG_BACKING_MEMFD] = "memfd",
	[FG_BACKING_GMEM] = "gmem",
};

const char *fg_backing_name(enum fg_backing backing)
{
	return fg_backing_names[backing];
}

_Static_assert(FG_MAX_VCPUS == 8, "--help says 1..8");

static const char fg_help[] =
"Usage: " FG_NAME " [OPTION]...\n"
"Run a tiny KVM guest that makes a known set of second-level page faults.\n"
"\n"
"  --pages N          pages each vCPU touches in slot 1 (default 64)\n"
"  --pages2 M         pages vCPU 0 touches in slot 2 (default 16, 0 = none)\n"
"  --slot2-gpa ADDR   base GPA of slot 2, 2 MiB aligned (default 0x40000000)\n"
"  --access KIND      first touch: write, read or exec (default write)\n"
"  --mmio K           K 32-bit reads and K writes at the MMIO GPA (default 0)\n"
"  --mmio-gpa ADDR    MMIO GPA, outside every memslot (default 0xd0000000)\n"
"  --dirty-log        log slot 1 dirty pages, re-write slot 1, count the log\n"
"  --rewrites N       with --dirty-log: N rounds of clearing the log and\n"
"                     re-writing slot 1 (default 1)\n"
"  --vcpus N          vCPU threads, 1..8, each with its own pages (default 1)\n"
"  --hugepages        back slots 1 and 2 with transparent huge pages\n"
"  --backing KIND     slots 1 and 2: anon, shmem, memfd or gmem (a\n"
"                     guest_memfd the host maps, Linux 6.18+; default anon)\n"
"  --populate         pre-fault slots 1 and 2 in the host before the guest\n"
"  --prefault N       KVM maps each vCPU's first N slot-1 pages before the\n"
"                     guest runs (KVM_PRE_FAULT_MEMORY, Linux 6.10+)\n"
"  --userfault        slot-1 pages come from a userfaultfd page server, with\n"
"                     an in-kernel LAPIC: KVM takes them as async page faults\n"
"  --wait-file PATH   before the guest starts, wait until PATH exists\n"
"  --wait-signal      before the guest starts, wait for SIGUSR1\n"
"  --rewrite-wait-file PATH\n"
"                     with --dirty-log: after pass 1 and the start of dirty\n"
"                     logging, wait until PATH exists (to attach then)\n"
"  --json FILE        write the result JSON to FILE (default stdout)\n"
"  -h, --help         show this help and exit\n"
"  -V, --version      show the version and exit\n";

/**
 * fg_parse_u64() - parse a decimal or 0x-prefixed hexadecimal number
 * @opt: option name, for the error message
 * @s: text to parse
 * @val: result
 *
 * Return: 0 on success, -1 (message printed) on error.
 */
static int fg_parse_u64(const char *opt, const char *s, uint64_t *val)
{
	const char *digits = s;
	char *end = NULL;
	int base = 10;
	bool valid;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		digits = s + 2;
	}
	valid = base == 16 ? isxdigit((unsigned char)*digits) :
			     isdigit((unsigned char)*digits);
	errno = 0;
	if (valid)
		*val = strtoull(digits, &end, base);
	if (!valid || *end || errno) {
		fg_err("--%s: invalid number '%s'", opt, s);
		return -1;
	}
	return 0;
}

static int fg_parse_range(const char *opt, const char *s, uint64_t min,
			  uint64_t max, uint64_t *val)
{
	if (fg_parse_u64(opt, s, val))
		return -1;
	if (*val < min || *val > max) {
		fg_err("--%s must be between %" PRIu64 " and %" PRIu64,
		       opt, min, max);
		return -1;
	}
	return 0;
}

static int fg_parse_access(const char *s, enum fg_access *access)
{
	unsigned int i;

	for (i = 0; i < FG_ARRAY_SIZE(fg_access_names); i++) {
		if (!strcmp(s, fg_access_names[i])) {
			*access = i;
			return 0;
		}
	}
	fg_err("--access must be write, read or exec, not '%s'", s);
	return -1;
}

static int fg_parse_backing(const char *s, enum fg_backing *backing)
{
	unsigned int i;

	for (i = 0; i < FG_ARRAY_SIZE(fg_backing_names); i++) {
		if (!strcmp(s, fg_backing_names[i])) {
			*backing = i;
			return 0;
		}
	}
	fg_err("--backing must be anon, shmem, memfd or gmem, not '%s'", s);
	return -1;
}

static int fg_parse_one(int c, const char *arg, struct fg_opts *o)
{
	uint64_t v;

	switch (c) {
	case OPT_PAGES:
		return fg_parse_range("pages", arg, 1, FG_MAX_PAGES, &o->pages);
	case OPT_PAGES2:
		return fg_parse_range("pages2", arg, 0, FG_MAX_PAGES,
				      &o->pages2);
	case OPT_SLOT2_GPA:
		return fg_parse_u64("slot2-gpa", arg, &o->slot2_gpa);
	case OPT_ACCESS:
		return fg_parse_access(arg, &o->access);
	case OPT_MMIO:
		return fg_parse_range("mmio", arg, 0, FG_MAX_MMIO, &o->mmio);
	case OPT_MMIO_GPA:
		return fg_parse_u64("mmio-gpa", arg, &o->mmio_gpa);
	case OPT_VCPUS:
		if (fg_parse_range("vcpus", arg, 1, FG_MAX_VCPUS, &v))
			return -1;
		o->vcpus = v;
		return 0;
	case OPT_DIRTY_LOG:
		o->dirty_log = true;
		return 0;
	case OPT_HUGEPAGES:
		o->hugepages = true;
		return 0;
	case OPT_BACKING:
		return fg_parse_backing(arg, &o->backing);
	case OPT_POPULATE:
		o->populate = true;
		return 0;
	case OPT_USERFAULT:
		o->userfault = true;
		return 0;
	case OPT_PREFAULT:
		return fg_parse_range("prefault", arg, 1, FG_MAX_PAGES,
				      &o->prefault);
	case OPT_REWRITES:
		return fg_parse_range("rewrites", arg, 1, FG_MAX_REWRITES,
				      &o->rewrites);
	case OPT_REWRITE_WAIT_FILE:
		o->rewrite_wait_file = arg;
		return 0;
	case OPT_WAIT_FILE:
		o->wait_file = arg;
		return 0;
	case OPT_WAIT_SIGNAL:
		o->wait_signal = true;
		return 0;
	case OPT_JSON:
		o->json_path = arg;
		return 0;
	}
	return -1;
}

static bool fg_overlaps(uint64_t a, uint64_t a_len, uint64_t b, uint64_t b_len)
{
	return a < b + b_len && b < a + a_len;
}

static int fg_check_slot2(const struct fg_opts *o, uint64_t s1_end)
{
	uint64_t gpa = o->slot2_gpa, size = fg_slot2_size(o);

	if (gpa % FG_HUGE_SIZE) {
		fg_err("--slot2-gpa 0x%" PRIx64 " is not 2 MiB aligned", gpa);
		return -1;
	}
	if (!size)
		return 0;
	if (gpa >= FG_GUEST_LIMIT || size > FG_GUEST_LIMIT - gpa) {
		fg_err("--slot2-gpa 0x%" PRIx64 ": slot 2 ends above 4 GiB",
		       gpa);
		return -1;
	}
	if (fg_overlaps(gpa, size, 0, s1_end)) {
		fg_err("--slot2-gpa 0x%" PRIx64 ": slot 2 overlaps [0x0, 0x%" PRIx64 ")",
		       gpa, s1_end);
		return -1;
	}
	return 0;
}

static int fg_check_mmio(const struct fg_opts *o, uint64_t s1_end)
{
	uint64_t gpa = o->mmio_gpa, s2_size = fg_slot2_size(o);

	if (gpa % 4 || gpa > FG_GUEST_LIMIT - 4) {
		fg_err("--mmio-gpa 0x%" PRIx64 " is not 4-byte aligned below 4 GiB",
		       gpa);
		return -1;
	}
	if (fg_overlaps(gpa, 4, 0, s1_end) ||
	    (s2_size && fg_overlaps(gpa, 4, o->slot2_gpa, s2_size))) {
		fg_err("--mmio-gpa 0x%" PRIx64 " lies inside a memslot", gpa);
		return -1;
	}
	return 0;
}

/**
 * fg_check_layout() - check that slots and the MMIO GPA fit and do not overlap
 * @o: parsed options
 *
 * All of it must lie below 4 GiB: the guest runs in 32-bit mode.
 * Return: 0 if the layout is usable, -1 (message printed) otherwise.
 */
static int fg_check_layout(const struct fg_opts *o)
{
	uint64_t s1_end = FG_SLOT1_GPA + fg_slot1_size(o);

	if (s1_end > FG_GUEST_LIMIT) {
		fg_err("slot 1 (%" PRIu64 " pages x %u vCPUs) ends above 4 GiB",
		       o->pages, o->vcpus);
		return -1;
	}
	if (fg_check_slot2(o, s1_end) || fg_check_mmio(o, s1_end))
		return -1;
	return 0;
}

static void fg_default_options(struct fg_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->pages = 64;
	o->pages2 = 16;
	o->slot2_gpa = FG_SLOT2_GPA_DEFAULT;
	o->access = FG_ACCESS_WRITE;
	o->backing = FG_BACKING_ANON;
	o->mmio_gpa = FG_MMIO_GPA_DEFAULT;
	o->vcpus = 1;
	o->rewrites = 1;
}

/**
 * fg_parse_options() - fill @o from the command line
 * @argc: argument count
 * @argv: arguments
 * @o: options to fill
 *
 * Return: FG_OPTS_RUN to go on, FG_OPTS_EXIT_OK after --help/--version,
 * FG_OPTS_EXIT_USAGE after printing a one-line error.
 */
int fg_parse_options(int argc, char **argv, struct fg_opts *o)
{
	int c;

	fg_default_options(o);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hV", fg_long_opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(fg_help, stdout);
			return FG_OPTS_EXIT_OK;
		}
		if (c == 'V') {
			printf("%s %s\n", FG_NAME, FG_VERSION);
			return FG_OPTS_EXIT_OK;
		}
		if (c == ':') {
			fg_err("option '%s' requires an argument",
			       argv[optind - 1]);
			return FG_OPTS_EXIT_USAGE;
		}
		if (c == '?') {
			fg_err("unrecognized option '%s' (see --help)",
			       argv[optind - 1]);
			return FG_OPTS_EXIT_USAGE;
		}
		if (fg_parse_one(c, optarg, o))
			return FG_OPTS_EXIT_USAGE;
	}
	if (optind < argc) {
		fg_err("unexpected argument '%s' (see --help)", argv[optind]);
		return FG_OPTS_EXIT_USAGE;
	}
	if (o->wait_file && o->wait_signal) {
		fg_err("--wait-file and --wait-signal are mutually exclusive");
		return FG_OPTS_EXIT_USAGE;
	}
	if (o->rewrites > 1 && !o->dirty_log) {
		fg_err("--rewrites needs --dirty-log");
		return FG_OPTS_EXIT_USAGE;
	}
	if (o->rewrite_wait_file && !o->dirty_log) {
		fg_err("--rewrite-wait-file needs --dirty-log");
		return FG_OPTS_EXIT_USAGE;
	}
	if (o->userfault && (o->populate || o->prefault || o->hugepages ||
			     o->backing != FG_BACKING_ANON ||
			     o->access == FG_ACCESS_EXEC)) {
		fg_err("--userfault serves anonymous 4 KiB pages on first "
		       "touch: not with --populate, --prefault, --hugepages, "
		       "--backing or --access exec");
		return FG_OPTS_EXIT_USAGE;
	}
	if (o->backing == FG_BACKING_GMEM && (o->hugepages || o->dirty_log)) {
		fg_err("--backing gmem: KVM has no huge pages and no dirty "
		       "log for guest_memfd slots: not with --hugepages or "
		       "--dirty-log");
		return FG_OPTS_EXIT_USAGE;
	}
	if (o->prefault > o->pages) {
		fg_err("--prefault %" PRIu64 " is more than --pages %" PRIu64,
		       o->prefault, o->pages);
		return FG_OPTS_EXIT_USAGE;
	}
	if (fg_check_layout(o))
		return FG_OPTS_EXIT_USAGE;
	return FG_OPTS_RUN;
}
