// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - kvmmmu-graph: parse the command line, run one command.
 */
#include <stdio.h>

#include "cli.h"
#include "config.h"
#include "params.h"

int main(int argc, char **argv)
{
	struct params p;
	char err[512];

	if (params_parse(&p, argc, argv, err, sizeof(err)))
		return fail(EXIT_USAGE, "%s", err);
	switch (p.mode) {
	case MODE_HELP:
		params_usage(stdout);
		return 0;
	case MODE_VERSION:
		printf("kvmmmu-graph %s\n", PACKAGE_VERSION);
		return 0;
	case MODE_CHECK:
		return cmd_check(&p);
	case MODE_REPLAY:
		return cmd_replay(&p);
	case MODE_DIFF:
		return cmd_diff(&p);
	default:
		return cmd_trace(&p);
	}
}
