// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * recording.c - the files around the raw pages of a recording.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_read.h"
#include "recording.h"
#include "symbols.h"
#include "trace_events.h"

static int make_dirs(const char *path)
{
	char tmp[PATH_MAX], *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(tmp, 0755) && errno != EEXIST ? -errno : 0;
}

/* Copy @from to @to; a missing @from is not an error. */
static int copy_file(const char *from, const char *to)
{
	char buf[8192];
	FILE *in = fopen(from, "re"), *out;
	size_t n;
	int r = 0;

	if (!in)
		return errno == ENOENT ? 0 : -errno;
	out = fopen(to, "we");
	if (!out) {
		r = -errno;
		fclose(in);
		return r;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n) {
			r = -EIO;
			break;
		}
	fclose(in);
	if (fclose(out) && !r)
		r = -errno;
	return r;
}

static int copy_rel(const char *tracefs, const char *dir, const char *rel)
{
	char from[PATH_MAX], to[PATH_MAX];

	snprintf(from, sizeof(from), "%s/%s", tracefs, rel);
	snprintf(to, sizeof(to), "%s/%s", dir, rel);
	return copy_file(from, to);
}

static int copy_formats(const char *dir, const char *tracefs)
{
	char path[PATH_MAX], rel[PATH_MAX];
	const char *sys, *name;
	unsigned int i;
	int r = 0;

	for (i = 0; !r && event_decoder_wanted(i, &sys, &name); i++) {
		snprintf(path, sizeof(path), "%s/events/%s/%s/format", tracefs,
			 sys, name);
		if (access(path, R_OK))
			continue;
		snprintf(path, sizeof(path), "%s/events/%s/%s", dir, sys, name);
		r = make_dirs(path);
		snprintf(rel, sizeof(rel), "events/%s/%s/format", sys, name);
		if (!r)
			r = copy_rel(tracefs, dir, rel);
	}
	return r;
}

int recording_write_note(const char *dir, const char *file, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "we");
	if (!f)
		return -errno;
	fputs(text, f);
	return fclose(f) ? -errno : 0;
}

int recording_begin(const char *dir, const char *tracefs,
		    enum fault_vendor vendor, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int r;

	snprintf(path, sizeof(path), "%s/events", dir);
	r = make_dirs(path);
	if (!r)
		r = copy_rel(tracefs, dir, "events/header_page");
	if (!r)
		r = copy_rel(tracefs, dir, "events/header_event");
	if (!r)
		r = copy_formats(dir, tracefs);
	if (!r && vendor != FAULT_VENDOR_UNKNOWN)
		r = recording_write_note(dir, "vendor", vendor == FAULT_VENDOR_AMD ?
			       "amd\n" : "intel\n");
	if (r)
		snprintf(err, errlen, "recording %s: %s", dir, strerror(-r));
	return r;
}

/*
 * The note "sizes": "cpuN BYTES" for every per-CPU raw file as written,
 * so that a replay can tell an emptied, cut or replaced file from a CPU
 * that had nothing to say.
 */
static int write_sizes(const char *dir)
{
	char path[PATH_MAX];
	struct stat sb;
	FILE *f;
	int cpu;

	snprintf(path, sizeof(path), "%s/sizes", dir);
	f = fopen(path, "we");
	if (!f)
		return -errno;
	for (cpu = 0;; cpu++) {
		snprintf(path, sizeof(path), "%s/per_cpu/cpu%d/trace_pipe_raw",
			 dir, cpu);
		if (stat(path, &sb))
			break;
		fprintf(f, "cpu%d %lld\n", cpu, (long long)sb.st_size);
	}
	return fclose(f) ? -errno : 0;
}

int recording_finish(const char *dir, const char *tracefs,
		     const struct symbols *syms, char *err, size_t errlen)
{
	char path[PATH_MAX];
	FILE *f;
	int r;

	snprintf(path, sizeof(path), "%s/kallsyms", dir);
	f = fopen(path, "we");
	if (!f) {
		r = -errno;
		goto out;
	}
	r = symbols_write_seen(syms, f);
	if (fclose(f) && !r)
		r = -errno;
	if (!r)
		r = copy_rel(tracefs, dir, "saved_cmdlines");
	if (!r)
		r = copy_rel(tracefs, dir, "saved_tgids");
	if (!r)
		r = copy_rel(tracefs, dir, "trace_clock");
	if (!r)
		r = write_sizes(dir);
out:
	if (r)
		snprintf(err, errlen, "recording %s: %s", dir, strerror(-r));
	return r;
}

/* A recording's kallsyms says which vendor module ran. */
static enum fault_vendor vendor_of_kallsyms(const char *dir)
{
	enum fault_vendor v = FAULT_VENDOR_UNKNOWN;
	char path[PATH_MAX], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/kallsyms", dir);
	f = fopen_regular(path);
	if (!f)
		return v;
	while (v == FAULT_VENDOR_UNKNOWN && fgets(line, sizeof(line), f))
		v = vendor_of_kallsyms_line(line);
	fclose(f);
	return v;
}

enum fault_vendor recording_vendor(const char *dir)
{
	enum fault_vendor v;
	char word[16];

	if (!recording_read_note(dir, "vendor", word, sizeof(word)) &&
	    !vendor_parse(word, &v))
		return v;
	return vendor_of_kallsyms(dir);
}

int recording_read_note(const char *dir, const char *file, char *buf,
			size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen_regular(path);
	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}
