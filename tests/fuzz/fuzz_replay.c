// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_replay.c - libFuzzer target: one input is a whole recording, which
 * is unpacked into a directory and replayed as "kvmmmu-graph --input DIR"
 * would (formats, kallsyms, notes, per-CPU raw pages, then every view).
 *
 * Input: a sequence of sections, each a tag byte, a 32-bit little-endian
 * length and that many bytes (cut at the end of the input):
 *   'H'		events/header_page
 *   'F' <i>		the format file of the decoder's i-th event
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

/* The file a section goes to, from its tag and argument byte. */
static int section_path(uint8_t tag, uint8_t arg, char *rel, size_t len)
{
	const char *sys, *name;
	unsigned int n = 0;

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
		return 1;
	case 'F':
		while (event_decoder_wanted(n, &sys, &name))
			n++;
		event_decoder_wanted(arg % n, &sys, &name);
		snprintf(rel, len, "events/%s/%s/format", sys, name);
		return 1;
	}
	return -1;
}

static void unpack(const char *dir, const uint8_t *d, size_t n)
{
	char rel[256];
	uint32_t len;
	size_t pos = 0;
	int extra;

	while (pos + 5 <= n) {
		extra = section_path(d[pos], pos + 5 < n ? d[pos + 5] : 0, rel,
				     sizeof(rel));
		memcpy(&len, d + pos + 1, 4);
		pos += 5 + (extra > 0);
		if (pos > n)
			break;
		if (len > n - pos)
			len = (uint32_t)(n - pos);
		if (extra >= 0) {
			make_dirs(dir, rel);
			write_file(dir, rel, d + pos, len);
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
