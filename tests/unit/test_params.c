// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_params.c - the command line: modes, values, and the one-line
 * errors for what does not make sense.
 */
#define TEST_SUITE "params"
#include "testlib.h"

#include <stdarg.h>

#include "params.h"

static int parse(struct params *p, char *err, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;

	argv[argc++] = "kvmmmu-graph";
	va_start(ap, err);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	err[0] = '\0';
	return params_parse(p, argc, argv, err, 256);
}

TEST(modes)
{
	struct params p;
	char err[256];

	CHECK_EQ(parse(&p, err, "--vm", "1234", NULL), 0);
	CHECK_EQ(p.mode, MODE_TRACE_PID);
	CHECK_EQ(p.pid, 1234);
	CHECK_EQ(parse(&p, err, "check", NULL), 0);
	CHECK_EQ(p.mode, MODE_CHECK);
	CHECK_EQ(parse(&p, err, "--input", "dir", NULL), 0);
	CHECK_EQ(p.mode, MODE_REPLAY);
	CHECK_STR(p.input_dir, "dir");
	CHECK_EQ(parse(&p, err, "-T", "2.5", "--", "sleep", "1", NULL), 0);
	CHECK_EQ(p.mode, MODE_TRACE_CMD);
	CHECK_STR(p.cmd_argv[0], "sleep");
	CHECK_STR(p.cmd_argv[1], "1");
	CHECK_EQ(p.threshold_ns, 2500);
	CHECK_EQ(parse(&p, err, "--help", NULL), 0);
	CHECK_EQ(p.mode, MODE_HELP);
}

TEST(defaults)
{
	struct params p;
	char err[256];

	CHECK_EQ(parse(&p, err, "--vm", "1", NULL), 0);
	CHECK_EQ(p.vcpu, -1);
	CHECK_EQ(p.top_n, 5);
	CHECK_EQ(p.strategy, STRATEGY_AUTO);
	CHECK_STR(p.profile, "kvm-x86");
	CHECK_EQ(p.vendor, FAULT_VENDOR_UNKNOWN);
	CHECK(!p.json && !p.summary_only && !p.tree);
}

TEST(values)
{
	struct params p;
	char err[256];

	CHECK_EQ(parse(&p, err, "--input", "d", "--vendor", "intel",
		       "--folded-by", "vcpu", "--top", "7", "--vcpu", "3",
		       NULL), 0);
	CHECK_EQ(p.vendor, FAULT_VENDOR_INTEL);
	CHECK_EQ(p.folded_by, FLAME_GROUP_VCPU);
	CHECK_EQ(p.top_n, 7);
	CHECK_EQ(p.vcpu, 3);
	CHECK_EQ(parse(&p, err, "--input", "d", "--metrics", "[::1]:9100",
		       "--metrics-file", "f.prom", "--metrics-hold", "2.5",
		       NULL), 0);
	CHECK_STR(p.metrics_addr, "[::1]:9100");
	CHECK_STR(p.metrics_file, "f.prom");
	CHECK(p.metrics_hold_s == 2.5);
}

TEST(nonsense_is_refused_in_one_line)
{
	static const char *const bad[][4] = {
		{ "--vm", "12x" },
		{ "--vm", "1", "--vendor", "arm" },
		{ "--vm", "1", "-T", "-5" },
		{ "--vm", "1", "--strategy", "magic" },
		{ "--vm", "1", "--input", "d" },
		{ "--input", "d", "--record", "r" },
		{ "--vm", "1", "--json", "--tree" },
		{ "--vm", "1", "--metrics", "localhost:9100" },
		{ "--vm", "1", "--metrics", "[::1]:0" },
		{ "--vm", "1", "--metrics-hold", "5" },
		{ "stray" },
		{ "--" },
		{ "--no-such-option" },
		{ NULL },
	};
	unsigned int i;
	struct params p;
	char err[256];

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!parse(&p, err, bad[i][0], bad[i][1], bad[i][2], bad[i][3],
			   NULL)) {
			tl_fail("accepted case %u (%s ...)", i,
				bad[i][0] ? bad[i][0] : "(nothing)");
			continue;
		}
		CHECK(err[0] != '\0');
		CHECK(!strchr(err, '\n'));
	}
}

int main(void)
{
	RUN(modes);
	RUN(defaults);
	RUN(values);
	RUN(nonsense_is_refused_in_one_line);
	return TESTS_DONE();
}
