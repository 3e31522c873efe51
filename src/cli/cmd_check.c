// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_check.c - "kvmmmu-graph check": what this host supports.
 */
#include <stdio.h>
#include <string.h>

#include "check_report.h"
#include "cli.h"
#include "host_probe.h"
#include "profile.h"

int cmd_check(const struct params *p)
{
	struct profile *prof = load_profile(p->profile);
	struct host_caps caps;
	int r;

	if (!prof)
		return 1;
	r = host_probe(&caps, prof);
	if (r < 0) {
		profile_free(prof);
		return fail(1, "cannot probe this host: %s", strerror(-r));
	}
	check_report_print(stdout, &caps, prof);
	profile_free(prof);
	return 0;
}
