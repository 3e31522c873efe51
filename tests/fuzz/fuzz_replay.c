// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_replay.c - libFuzzer target: one input is a whole recording, which
 * is unpacked into a directory and replayed as "kvmmmu-graph --input DIR"
 * would (formats, kallsyms, notes, per-CPU raw pages, then every view).
 *
 * Input: a sequence of sections, each a tag byte, a 32-bit little-endian
 * length and that many bytes (cut at the end of the input):
 *   'H'		events/header_page
 *   'F'		"sys/name", a NUL, then that event's format file (only
 *			the events the decoder asks for are written)
 *   'K'		kallsyms
 *   'S', 'V'		the strategy and vendor notes
 *   'C' <cpu>		per_cpu/cpu<cpu % 8>/trace_pipe_raw
 * Paths are never taken from the input. tests/fuzz/make-seeds.py packs
 * the shipped recordings this way.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "params.h"
#include "trace_events.h"

#define FUZZ_MAX_CPUS	8

static char root[PATH_MAX];

static int write_file(const char *dir, const char *rel, const uint8_t *d,
		      size_t n)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (n && write(fd, d, n) != (ssize_t)n) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static void make_dirs(const char *dir, const char *rel)
{
	char path[PATH_MAX], *p;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (p = path + strlen(dir) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
}

/*
 * The event a format section names ("sys/name" up to a NUL in @d), as
 * one of the decoder's: the path is built from the decoder's own names.
 * Return: bytes of the name and its NUL, or 0 if it names none.
 */
static size_t format_event(const uint8_t *d, size_t n, char *rel, size_t len)
{
	const uint8_t *nul = memchr(d, 0, n < 128 ? n : 128);
	const char *sys, *name;
	char want[128];
	unsigned int i;

	if (!nul)
		return 0;
	for (i = 0; event_decoder_wanted(i, &sys, &name); i++) {
		snprintf(want, sizeof(want), "%s/%s", sys, name);
		if (!strcmp(want, (const char *)d)) {
			snprintf(rel, len, "events/%s/%s/format", sys, name);
			return (size_t)(nul - d) + 1;
		}
	}
	return 0;
}

/* The file a section goes to, from its tag and argument byte; or -1. */
static int section_path(uint8_t tag, uint8_t arg, char *rel, size_t len)
{
	switch (tag) {
	case 'H':
		snprintf(rel, len, "events/header_page");
		return 0;
	case 'K':
		snprintf(rel, len, "kallsyms");
		return 0;
	case 'S':
		snprintf(rel, len, "strategy");
		return 0;
	case 'V':
		snprintf(rel, len, "vendor");
		return 0;
	case 'C':
		snprintf(rel, len, "per_cpu/cpu%d/trace_pipe_raw",
			 arg % FUZZ_MAX_CPUS);
		return 0;
	}
	return -1;
}

static void unpack(const char *dir, const uint8_t *d, size_t n)
{
	size_t pos = 0, skip;
	char rel[256];
	uint8_t tag, arg;
	uint32_t len;
	int ok;

	while (pos + 5 <= n) {
		tag = d[pos];
		memcpy(&len, d + pos + 1, 4);
		pos += 5;
		arg = 0;
		if (tag == 'C') {
			if (pos >= n)
				break;
			arg = d[pos++];
		}
		if (len > n - pos)
			len = (uint32_t)(n - pos);
		skip = 0;
		if (tag == 'F')
			ok = (skip = format_event(d + pos, len, rel,
						  sizeof(rel))) != 0;
		else
			ok = !section_path(tag, arg, rel, sizeof(rel));
		if (ok) {
			make_dirs(dir, rel);
			write_file(dir, rel, d + pos + skip, len - skip);
		}
		pos += len;
	}
}

static int remove_one(const char *path, const struct stat *sb, int flag,
		      struct FTW *ftw)
{
	return remove(path);
}

static void remove_tree(const char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void remove_root(void)
{
	remove_tree(root);
}

/* Each input is unpacked to files: in memory (/dev/shm) when possible. */
static const char *scratch_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	struct stat sb;

	if (!stat("/dev/shm", &sb) && S_ISDIR(sb.st_mode) &&
	    !access("/dev/shm", W_OK))
		return "/dev/shm";
	return tmp ? tmp : "/tmp";
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	setenv("KVMMMU_GRAPH_PROFILE_DIR", FUZZ_PROFILE_DIR, 0);
	snprintf(root, sizeof(root), "%s/kvmmmu-fuzz-XXXXXX", scratch_dir());
	if (!mkdtemp(root))
		abort();
	atexit(remove_root);
	if (!freopen("/dev/null", "w", stdout))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dir[PATH_MAX], err[512];
	char *argv[] = { "kvmmmu-graph", "--input", dir, "--json", NULL };
	struct params p;

	snprintf(dir, sizeof(dir), "%s/rec", root);
	remove_tree(dir);
	mkdir(dir, 0755);
	unpack(dir, data, size);
	if (size && (data[0] & 1))
		argv[3] = "--tree";
	optind = 0;
	if (!params_parse(&p, 4, argv, err, sizeof(err)))
		cmd_replay(&p);
	return 0;
}
