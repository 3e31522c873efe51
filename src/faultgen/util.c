// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * util.c - diagnostics on stderr, always prefixed with the program name
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "faultgen.h"

/**
 * fg_err() - print "kvmmmu-faultgen: <message>" and a newline on stderr
 * @fmt: printf format
 */
void fg_err(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s\n", FG_NAME, line);
}

/**
 * fg_perror() - print "kvmmmu-faultgen: <what>: <strerror(errno)>"
 * @what: failing call or file name
 */
void fg_perror(const char *what)
{
	fg_err("%s: %s", what, strerror(errno));
}
