// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * jsonl_faults.c - read back kvmmmu-graph --json fault objects.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_read.h"
#include "jsonl_faults.h"

bool jsonl_is_file(const char *path)
{
	struct stat st;
	char c = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	bool ok;

	if (fd < 0)
		return false;
	ok = !fstat(fd, &st) && S_ISREG(st.st_mode) && read(fd, &c, 1) == 1 &&
	     c == '{';
	close(fd);
	return ok;
}

/* The text after "KEY": in @line, or NULL. */
static char *value_of(char *line, const char *key)
{
	char pat[48];
	char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(line, pat);
	return p ? p + strlen(pat) : NULL;
}

/* "TEXT" into @out (no escapes in these fields); 0 or -1. */
static int string_value(char *line, const char *key, char *out, size_t len)
{
	char *v = value_of(line, key), *end;

	if (!v || *v != '"' || !(end = strchr(v + 1, '"')) ||
	    (size_t)(end - v - 1) >= len)
		return -1;
	memcpy(out, v + 1, (size_t)(end - v - 1));
	out[end - v - 1] = '\0';
	return 0;
}

static int number_value(char *v, uint64_t *out, char **end)
{
	if (!v || *v < '0' || *v > '9')
		return -1;
	errno = 0;
	*out = strtoull(v, end, 10);
	return errno ? -1 : 0;
}

/* "phases":{"a":1,"b":2}: names are cut in place (NUL-terminated). */
static int phases_value(char *line, struct jsonl_fault *f)
{
	char *p = value_of(line, "phases"), *name, *q;

	if (!p || *p++ != '{')
		return -1;
	while (*p == '"') {
		name = p + 1;
		q = strchr(name, '"');
		if (!q || q[1] != ':' || f->nr_phases >= JSONL_MAX_PHASES)
			return -1;
		*q = '\0';
		f->phases[f->nr_phases] = name;
		if (number_value(q + 2, &f->phase_ns[f->nr_phases], &p))
			return -1;
		f->nr_phases++;
		if (*p == ',')
			p++;
	}
	return *p == '}' ? 0 : -1;
}

static int parse_line(char *line, struct jsonl_fault *f)
{
	char *v, *end;

	memset(f, 0, sizeof(*f));
	if (string_value(line, "kind", f->kind, sizeof(f->kind)))
		return -1;
	if (value_of(line, "cause") &&
	    string_value(line, "cause", f->cause, sizeof(f->cause)))
		return -1;
	if (number_value(value_of(line, "delay_ns"), &f->delay_ns, &end))
		return -1;
	v = value_of(line, "complete");
	if (!v || (strncmp(v, "true", 4) && strncmp(v, "false", 5)))
		return -1;
	f->complete = v[0] == 't';
	return phases_value(line, f);
}

int64_t jsonl_faults_read(const char *path,
			  int (*fn)(const struct jsonl_fault *f, void *ctx),
			  void *ctx, char *err, size_t errlen)
{
	char *line = malloc(JSONL_MAX_LINE + 2);
	struct jsonl_fault f;
	int64_t n = 0, lineno = 0, ret = 0;
	FILE *in = fopen_regular(path);

	if (!in || !line) {
		snprintf(err, errlen, "%s: %s", path, strerror(in ? ENOMEM : errno));
		ret = in ? -ENOMEM : -errno;
		goto out;
	}
	while (fgets(line, JSONL_MAX_LINE + 2, in)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(in)) {
			snprintf(err, errlen, "%s:%lld: line too long", path,
				 (long long)lineno);
			ret = -EFBIG;
			break;
		}
		if (strstr(line, "\"type\":\"summary\"") || line[0] == '\n')
			continue;
		if (parse_line(line, &f)) {
			snprintf(err, errlen, "%s:%lld: not a kvmmmu-graph --json "
				 "fault object", path, (long long)lineno);
			ret = -EBADMSG;
			break;
		}
		ret = fn(&f, ctx);
		if (ret) {
			snprintf(err, errlen, "%s:%lld: %s", path,
				 (long long)lineno, strerror((int)-ret));
			break;
		}
		n++;
	}
	if (!ret && ferror(in)) {
		snprintf(err, errlen, "%s: read error", path);
		ret = -EIO;
	}
out:
	if (in)
		fclose(in);
	free(line);
	return ret ? ret : n;
}
