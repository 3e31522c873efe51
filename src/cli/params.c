// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * params.c - command-line parsing for kvmmmu-graph.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "breakdown.h"
#include "metrics_server.h"
#include "msg.h"
#include "params.h"

enum long_only {
	OPT_SUMMARY_ONLY = 256, OPT_TREE, OPT_JSON, OPT_VCPU, OPT_PROFILE,
	OPT_STRATEGY, OPT_FORCE, OPT_INPUT, OPT_FOLDED, OPT_FOLDED_BY,
	OPT_SVG, OPT_PREFAULT, OPT_CHROME, OPT_CHROME_MAX_MB, OPT_TOP, OPT_VENDOR, OPT_RECORD, OPT_NO_MEMSLOT,
	OPT_METRICS, OPT_METRICS_FILE, OPT_METRICS_HOLD,
};

static const struct option long_options[] = {
	{ "vm",		  required_argument, NULL, 'p' },
	{ "duration",	  required_argument, NULL, 'd' },
	{ "summary-only", no_argument,	     NULL, OPT_SUMMARY_ONLY },
	{ "tree",	  optional_argument, NULL, OPT_TREE },
	{ "json",	  no_argument,	     NULL, OPT_JSON },
	{ "threshold",	  required_argument, NULL, 'T' },
	{ "vcpu",	  required_argument, NULL, OPT_VCPU },
	{ "buffer-size",  required_argument, NULL, 'b' },
	{ "profile",	  required_argument, NULL, OPT_PROFILE },
	{ "strategy",	  required_argument, NULL, OPT_STRATEGY },
	{ "force",	  no_argument,	     NULL, OPT_FORCE },
	{ "input",	  required_argument, NULL, OPT_INPUT },
	{ "folded",	  required_argument, NULL, OPT_FOLDED },
	{ "folded-by",	  required_argument, NULL, OPT_FOLDED_BY },
	{ "svg",	  required_argument, NULL, OPT_SVG },
	{ "chrome-trace", required_argument, NULL, OPT_CHROME },
	{ "prefault-report", required_argument, NULL, OPT_PREFAULT },
	{ "chrome-trace-max-mb", required_argument, NULL, OPT_CHROME_MAX_MB },
	{ "top",	  required_argument, NULL, OPT_TOP },
	{ "vendor",	  required_argument, NULL, OPT_VENDOR },
	{ "record",	  required_argument, NULL, OPT_RECORD },
	{ "no-memslot",	  no_argument,	     NULL, OPT_NO_MEMSLOT },
	{ "metrics",	  required_argument, NULL, OPT_METRICS },
	{ "metrics-file", required_argument, NULL, OPT_METRICS_FILE },
	{ "metrics-hold", required_argument, NULL, OPT_METRICS_HOLD },
	{ "help",	  no_argument,	     NULL, 'h' },
	{ "version",	  no_argument,	     NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

void params_usage(FILE *out)
{
	fputs(
"Usage: kvmmmu-graph --vm PID [options]\n"
"       kvmmmu-graph [options] -- COMMAND [ARGS...]\n"
"       kvmmmu-graph --input DIR [options]\n"
"       kvmmmu-graph check [--profile NAME]\n"
"       kvmmmu-graph [--json] diff A B   compare two runs (recordings,\n"
"                          trace.dat files or --json outputs)\n"
"\n"
"Trace KVM second-level page faults (AMD NPT, Intel EPT, MMIO) with ftrace\n"
"and rebuild each fault: its call tree, phases, GPA, HVA, PFN, memslot.\n"
"\n"
"Target:\n"
"  -p, --vm PID            trace all threads of VM process PID\n"
"  -- COMMAND [ARGS...]    start COMMAND and trace it from its start\n"
"      --input DIR|FILE.dat  read a recording directory, or a trace.dat\n"
"                          (also one made by trace-cmd record)\n"
"  check                   report what this host supports and exit\n"
"\n"
"Views:\n"
"      --summary-only      no per-fault lines, only the summary\n"
"      --tree[=MIN_US]     each fault's call tree (faults >= MIN_US)\n"
"      --json              JSON Lines, one object per fault, then a summary\n"
"      --folded FILE       folded stacks (self time, ns) for flame graphs\n"
"      --folded-by KEY     prefix stacks with the fault 'type' or 'vcpu'\n"
"      --svg FILE          write an interactive SVG flame graph\n"
"      --chrome-trace FILE write a Chrome/Perfetto trace (Trace Event JSON)\n"
"      --chrome-trace-max-mb N  split it into files of about N MB\n"
"      --prefault-report FILE  the GPA ranges whose first-touch faults\n"
"                          cost most, as JSON\n"
"      --top N             show the N slowest faults' trees (0-100, default 5)\n"
"      --metrics ADDR:PORT  serve Prometheus metrics (IPv4:PORT, [IPv6]:PORT)\n"
"      --metrics-file FILE  rewrite FILE with the metrics every second\n"
"      --metrics-hold SECONDS  keep serving metrics after the run ends\n"
"  -T, --threshold US      only faults taking at least US microseconds\n"
"      --vcpu N            only faults of vCPU N\n"
"\n"
"Capture:\n"
"  -d, --duration SECONDS  stop after SECONDS (default: Ctrl-C or VM exit)\n"
"  -b, --buffer-size KB    per-CPU ring buffer size (default 4096)\n"
"      --profile NAME      profile name or file (default kvm-x86)\n"
"      --strategy NAME     global, instance or events-only (default: probe)\n"
"      --force             use the top-level instance even if it is busy\n"
"      --record DIR|FILE.dat  also save the raw capture (for --input):\n"
"                          a directory, or a trace.dat for trace-cmd\n"
"      --no-memslot        no memslot/HVA kprobe (MEM_SLOTID and HVA stay -)\n"
"      --vendor amd|intel  how to read error codes of a recording\n"
"  -h, --help              this text\n"
"  -V, --version           version\n", out);
}

static int parse_double(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	/* !(x >= 0) also refuses "nan" */
	return (errno || end == s || *end || !(*out >= 0) ||
		*out == HUGE_VAL) ? -1 : 0;
}

static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return (errno || end == s || *end || *out < min || *out > max) ? -1 : 0;
}

static int parse_us(const char *s, uint64_t *ns)
{
	double us;

	if (parse_double(s, &us) || us > 1e12)
		return -1;
	*ns = (uint64_t)(us * 1000.0 + 0.5);
	return 0;
}

static const char *option_name(int opt)
{
	const struct option *o;

	for (o = long_options; o->name; o++)
		if (o->val == opt)
			return o->name;
	return "?";
}

static int bad_value(char *err, int errlen, int opt, const char *arg)
{
	msg_set(err, errlen, "invalid value '%s' for --%s%s", arg,
		option_name(opt), opt == OPT_METRICS ? " (IPv4:PORT or "
		"[IPv6]:PORT, numeric, port 1-65535)" : "");
	return -1;
}

static int parse_group_by(const char *arg, enum flame_group *out)
{
	if (!strcmp(arg, "type"))
		*out = FLAME_GROUP_TYPE;
	else if (!strcmp(arg, "vcpu"))
		*out = FLAME_GROUP_VCPU;
	else
		return -1;
	return 0;
}

/* Options that take a number or a keyword. Return 0, -1 bad, 1 unknown. */
static int parse_valued(struct params *p, int opt, const char *arg)
{
	double d;
	long v;

	switch (opt) {
	case 'p':
		if (parse_long(arg, 1, INT_MAX, &v))
			return -1;
		p->pid = (int)v;
		p->mode = MODE_TRACE_PID;
		return 0;
	case 'd':
		return parse_double(arg, &p->duration_s) || !p->duration_s ?
		       -1 : 0;
	case 'T':
		return parse_us(arg, &p->threshold_ns);
	case OPT_TREE:
		p->tree = true;
		return arg ? parse_us(arg, &p->tree_min_ns) : 0;
	case OPT_VCPU:
		if (parse_long(arg, 0, INT_MAX, &v))
			return -1;
		p->vcpu = (int)v;
		return 0;
	case 'b':
		if (parse_long(arg, 64, 16 * 1024 * 1024, &v))
			return -1;
		p->buffer_kb = (unsigned int)v;
		return 0;
	case OPT_CHROME_MAX_MB:
		if (parse_double(arg, &d) || !(d >= 0.001 && d <= 1048576))
			return -1;
		p->chrome_max_bytes = (uint64_t)(d * 1048576.0);
		return 0;
	case OPT_TOP:
		if (parse_long(arg, 0, BREAKDOWN_MAX_TOP, &v))
			return -1;
		p->top_n = (int)v;
		return 0;
	case OPT_STRATEGY:
		return capture_strategy_parse(arg, &p->strategy) ? -1 : 0;
	case OPT_FOLDED_BY:
		return parse_group_by(arg, &p->folded_by);
	case OPT_VENDOR:
		return vendor_parse(arg, &p->vendor) ? -1 : 0;
	case OPT_METRICS:
		p->metrics_addr = arg;
		return metrics_addr_parse(arg, NULL, NULL) ? -1 : 0;
	case OPT_METRICS_HOLD:
		return parse_double(arg, &p->metrics_hold_s) ||
		       p->metrics_hold_s > 86400 ? -1 : 0;
	default:
		return 1;
	}
}

/* Flags and plain strings. Return 0, or 1 when @opt is not one. */
static int parse_simple(struct params *p, int opt, const char *arg)
{
	switch (opt) {
	case OPT_SUMMARY_ONLY:	p->summary_only = true; break;
	case OPT_JSON:		p->json = true; break;
	case OPT_FORCE:		p->force = true; break;
	case OPT_PROFILE:	p->profile = arg; break;
	case OPT_FOLDED:	p->folded_path = arg; break;
	case OPT_SVG:		p->svg_path = arg; break;
	case OPT_CHROME:	p->chrome_path = arg; break;
	case OPT_PREFAULT:	p->prefault_path = arg; break;
	case OPT_RECORD:	p->record_dir = arg; break;
	case OPT_NO_MEMSLOT:	p->no_memslot = true; break;
	case OPT_METRICS_FILE:	p->metrics_file = arg; break;
	case OPT_INPUT:
		p->input_dir = arg;
		p->mode = MODE_REPLAY;
		break;
	case 'h':		p->mode = MODE_HELP; break;
	case 'V':		p->mode = MODE_VERSION; break;
	default:
		return 1;
	}
	return 0;
}

static void params_defaults(struct params *p)
{
	memset(p, 0, sizeof(*p));
	p->mode = -1;
	p->vcpu = -1;
	p->top_n = 5;
	p->strategy = STRATEGY_AUTO;
	p->profile = "kvm-x86";
}

/* What follows the options: "check", "-- COMMAND", or nothing. */
static int parse_rest(struct params *p, int argc, char **argv, char *err,
		      int errlen)
{
	bool dashdash = optind > 1 && !strcmp(argv[optind - 1], "--");

	if (optind >= argc) {
		if (dashdash) {
			msg_set(err, errlen, "no command after '--'");
			return -1;
		}
		return 0;
	}
	if (!dashdash && !strcmp(argv[optind], "check") && optind + 1 == argc) {
		p->mode = MODE_CHECK;
		return 0;
	}
	if (!dashdash && !strcmp(argv[optind], "diff")) {
		if (optind + 3 != argc) {
			msg_set(err, errlen, "diff needs two runs: diff A B "
				"(recordings, trace.dat files or --json output)");
			return -1;
		}
		p->diff_a = argv[optind + 1];
		p->diff_b = argv[optind + 2];
		p->mode = MODE_DIFF;
		return 0;
	}
	if (!dashdash) {
		msg_set(err, errlen, "unexpected argument '%s' (a command to "
			"trace goes after '--')", argv[optind]);
		return -1;
	}
	p->cmd_argv = &argv[optind];
	p->mode = MODE_TRACE_CMD;
	return 0;
}

static int check_mode(struct params *p, char *err, int errlen)
{
	int targets = (p->pid > 0) + (p->cmd_argv != NULL) +
		      (p->input_dir != NULL);

	if ((int)p->mode == -1) {
		msg_set(err, errlen, "nothing to trace: give --vm PID, "
			"-- COMMAND, --input DIR or check (see --help)");
		return -1;
	}
	if (p->mode == MODE_DIFF && targets) {
		msg_set(err, errlen, "diff compares two recorded runs; "
			"--vm, --input and -- COMMAND do not go with it");
		return -1;
	}
	if (p->mode == MODE_CHECK && targets) {
		msg_set(err, errlen, "check probes this host; --vm, --input "
			"and -- COMMAND do not go with it");
		return -1;
	}
	if (targets > 1) {
		msg_set(err, errlen, "--vm, --input and -- COMMAND exclude "
			"each other");
		return -1;
	}
	if (p->record_dir && p->input_dir && !params_record_dat(p)) {
		msg_set(err, errlen, "--record DIR saves a live capture; with "
			"--input only --record FILE.dat (a conversion) works");
		return -1;
	}
	if (p->json && p->tree) {
		msg_set(err, errlen, "--json and --tree exclude each other");
		return -1;
	}
	if (p->metrics_hold_s > 0 && !p->metrics_addr) {
		msg_set(err, errlen, "--metrics-hold keeps the --metrics "
			"server up; give --metrics ADDR:PORT");
		return -1;
	}
	return 0;
}

bool params_record_dat(const struct params *p)
{
	size_t len = p->record_dir ? strlen(p->record_dir) : 0;

	return len > 4 && !strcmp(p->record_dir + len - 4, ".dat");
}

int params_parse(struct params *p, int argc, char **argv, char *err,
		 int errlen)
{
	int opt, r;
	bool help = false, version = false;

	params_defaults(p);
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+p:d:T:b:hV", long_options,
				  NULL)) != -1) {
		if (opt == '?' || opt == ':') {
			msg_set(err, errlen, "unknown or incomplete option "
				"'%s' (see --help)", argv[optind - 1]);
			return -1;
		}
		help |= opt == 'h';
		version |= opt == 'V';
		r = parse_simple(p, opt, optarg);
		if (r == 1)
			r = parse_valued(p, opt, optarg);
		if (r)
			return bad_value(err, errlen, opt, optarg);
	}
	if (help || version) {
		p->mode = help ? MODE_HELP : MODE_VERSION;
		return 0;
	}
	if (parse_rest(p, argc, argv, err, errlen))
		return -1;
	return check_mode(p, err, errlen);
}
