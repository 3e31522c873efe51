/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check_report.h - the `kvmmmu-graph check` report.
 */
#ifndef KVMMMU_CHECK_REPORT_H
#define KVMMMU_CHECK_REPORT_H

#include <stdio.h>

struct host_caps;
struct profile;

/**
 * check_report_print() - print what host_probe() found
 * @out:	stream
 * @caps:	from host_probe()
 * @prof:	the profile given to host_probe(), or NULL
 */
void check_report_print(FILE *out, const struct host_caps *caps,
			const struct profile *prof);

#endif /* KVMMMU_CHECK_REPORT_H */
