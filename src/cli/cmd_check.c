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
	char why[256];
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
	/* the report says why; the status lets scripts know */
	if (!host_caps_usable(&caps, STRATEGY_AUTO, why, sizeof(why)))
		return fail(1, "no capture strategy can run here: %s", why);
	return 0;
}
