// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * top_level_state.c - save and restore the top-level tracefs settings.
 *
 * The state file is "key encoded-value" lines after a magic line and the
 * owner's pid; keys are files relative to the top level, values are
 * normalized (tracing_read_value()), lists one entry a line.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "pid_alive.h"
#include "top_level_state.h"
#include "tracefs_files.h"
#include "tracefs_values.h"

#define STATE_FILE	"global.state"
#define LOCK_FILE	"global.lock"
#define STATE_MAGIC	"# kvmmmu-graph top-level state v1"
#define MAX_SAVED	64

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct saved_item {
	char *key;	/* file relative to the top level */
	char *value;	/* normalized value; lists: one entry a line */
};

struct saved_state {
	struct saved_item items[MAX_SAVED];
	unsigned int nr;
};

static char state_dir[PATH_MAX] = TRACING_STATE_DIR;

/* ---- the state directory and the lock ---- */

/* (tracing_set_state_dir() leaves room for every file name) */
static void state_path(char *buf, size_t len, const char *file)
{
	if (snprintf(buf, len, "%s/%s", state_dir, file) >= (int)len)
		buf[0] = '\0';
}

int tracing_set_state_dir(const char *dir)
{
	if (!dir)
		dir = TRACING_STATE_DIR;
	if (strlen(dir) + 64 >= sizeof(state_dir))
		return -ENAMETOOLONG;
	strcpy(state_dir, dir);
	return 0;
}

int top_level_lock_owner(unsigned long long *start)
{
	char path[PATH_MAX], *text;
	int pid = 0, ret;

	state_path(path, sizeof(path), LOCK_FILE);
	ret = read_whole_file(path, &text);
	if (ret)
		return ret == -ENOENT ? 0 : ret;
	*start = 0;
	if (sscanf(text, "%d %llu", &pid, start) < 1 || pid <= 0)
		pid = INT_MAX;	/* garbage: treat as dead */
	free(text);
	return pid;
}

static int make_state_dir(void)
{
	if (mkdir(state_dir, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

/*
 * Create the lock file with its contents in one step (link of a complete
 * temporary file), so that no one ever reads a lock without a pid.
 */
static int create_lock(void)
{
	char path[PATH_MAX], tmp[PATH_MAX + 16], text[64];
	int fd, ret;

	ret = make_state_dir();
	if (ret)
		return ret;
	state_path(path, sizeof(path), LOCK_FILE);
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	snprintf(text, sizeof(text), "%d %llu\n", (int)getpid(),
		 pid_starttime(getpid()));
	ret = write_all(fd, text);
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && link(tmp, path))
		ret = -errno;
	unlink(tmp);
	return ret;
}

static void remove_state_file(const char *file)
{
	char path[PATH_MAX];

	state_path(path, sizeof(path), file);
	unlink(path);
}

int top_level_lock(char *err, size_t errlen)
{
	unsigned long long start = 0;
	int ret, pid;

	ret = create_lock();
	if (ret == -EEXIST) {
		pid = top_level_lock_owner(&start);
		msg_set(err, errlen, "kvmmmu-graph pid %d holds the top level "
			"(%s/%s); use --strategy instance", pid, state_dir,
			LOCK_FILE);
		return -EBUSY;
	}
	if (ret)
		msg_set(err, errlen, "cannot create %s/%s: %s", state_dir,
			LOCK_FILE, strerror(-ret));
	return ret;
}

void top_level_unlock(void)
{
	remove_state_file(LOCK_FILE);
}

int top_level_locked_by_other(char *why, size_t whylen)
{
	unsigned long long start = 0;
	int pid = top_level_lock_owner(&start);

	if (pid <= 0 || pid == getpid() || !pid_alive(pid, start))
		return 0;
	msg_add(why, whylen, "kvmmmu-graph pid %d holds the top level "
		"(%s/%s)", pid, state_dir, LOCK_FILE);
	return 1;
}

/* ---- saved state ---- */

void saved_state_free(struct saved_state *st)
{
	if (!st)
		return;
	while (st->nr) {
		st->nr--;
		free(st->items[st->nr].key);
		free(st->items[st->nr].value);
	}
	free(st);
}

const char *saved_state_get(const struct saved_state *st, const char *key)
{
	unsigned int i;

	for (i = 0; st && i < st->nr; i++)
		if (!strcmp(st->items[i].key, key))
			return st->items[i].value;
	return NULL;
}

static int saved_add(struct saved_state *st, const char *key, char *value)
{
	if (st->nr >= MAX_SAVED) {
		free(value);
		return -E2BIG;
	}
	st->items[st->nr].key = strdup(key);
	st->items[st->nr].value = value;
	if (!st->items[st->nr].key) {
		free(value);
		return -ENOMEM;
	}
	st->nr++;
	return 0;
}

/* Per-CPU buffer sizes, when they differ ("X" in buffer_size_kb). */
static int save_percpu_buffers(struct saved_state *st)
{
	char key[64], *v;
	int cpu, ret;

	for (cpu = 0; ; cpu++) {
		snprintf(key, sizeof(key), "per_cpu/cpu%d/buffer_size_kb", cpu);
		if (!tracing_has_file(NULL, key))
			return 0;
		ret = tracing_read_value(NULL, key, &v);
		if (!ret)
			ret = saved_add(st, key, v);
		if (ret)
			return ret;
	}
}

/* Save one top-level file; optional files that cannot be read are skipped. */
static int save_one(struct saved_state *st, const char *key, bool required,
		    char *err, size_t errlen)
{
	char *v;
	int ret;

	ret = tracing_read_value(NULL, key, &v);
	if (ret) {
		if (!required)
			return 0;
		msg_set(err, errlen, "cannot read %s: %s", key, strerror(-ret));
		return ret;
	}
	if (tracing_is_buffer_key(key) && !strcmp(v, "X")) {
		free(v);
		return save_percpu_buffers(st);
	}
	return saved_add(st, key, v);
}

/* Files the global strategy changes, in restore order. */
static const struct {
	const char *key;
	bool required;
} global_files[] = {
	{ "set_ftrace_pid", true },
	{ "set_event_pid", true },
	{ "set_graph_function", true },
	{ "set_ftrace_filter", false },	/* EPERM on restricted kernels */
	{ "options/function-fork", false },
	{ "options/event-fork", false },
	{ "options/funcgraph-irqs", false },
	{ "trace_clock", true },
	{ "buffer_size_kb", true },
	{ "current_tracer", true },
	{ "set_event", true },
	{ "tracing_on", true },
};

#define NR_GLOBAL_FILES ARRAY_SIZE(global_files)

int top_level_save(struct saved_state **out, char *err, size_t errlen)
{
	struct saved_state *st = calloc(1, sizeof(*st));
	unsigned int i;
	int ret = 0;

	if (!st)
		return -ENOMEM;
	for (i = 0; i < NR_GLOBAL_FILES && !ret; i++)
		ret = save_one(st, global_files[i].key, global_files[i].required,
			       err, errlen);
	if (ret) {
		saved_state_free(st);
		return ret;
	}
	*out = st;
	return 0;
}

/* ---- the state file ---- */

/* Write a value on one line: '%', CR and LF as %25, %0d, %0a. */
static void put_encoded(FILE *f, const char *v)
{
	for (; *v; v++) {
		if (*v == '%' || *v == '\n' || *v == '\r')
			fprintf(f, "%%%02x", (unsigned char)*v);
		else
			fputc(*v, f);
	}
}

static void decode(char *s)
{
	char *o = s;
	unsigned int c;

	for (; *s; s++) {
		if (*s == '%' && sscanf(s + 1, "%2x", &c) == 1) {
			*o++ = (char)c;
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

static int write_state_file(const struct saved_state *st)
{
	char path[PATH_MAX], tmp[PATH_MAX + 16];
	unsigned int i;
	FILE *f;
	int ret = 0;

	state_path(path, sizeof(path), STATE_FILE);
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	fprintf(f, "%s\npid %d\n", STATE_MAGIC, (int)getpid());
	for (i = 0; i < st->nr; i++) {
		fprintf(f, "%s ", st->items[i].key);
		put_encoded(f, st->items[i].value);
		fputc('\n', f);
	}
	if (fflush(f) || fsync(fileno(f)))
		ret = -errno;
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

int top_level_write_state(const struct saved_state *st,
			  char *err, size_t errlen)
{
	int ret;

	ret = write_state_file(st);
	if (ret)
		msg_set(err, errlen, "cannot write %s/%s: %s", state_dir,
			STATE_FILE, strerror(-ret));
	return ret;
}

/* "key encoded-value"; the value may be empty ("set_event "). */
static int parse_state_line(struct saved_state *st, char *line)
{
	char *sp, *value = "";

	line[strcspn(line, "\r\n")] = '\0';
	if (!*line || *line == '#' || !strncmp(line, "pid ", 4))
		return 0;
	sp = strchr(line, ' ');
	if (sp) {
		*sp = '\0';
		value = sp + 1;
		decode(value);
	}
	return saved_add(st, line, strdup(value));
}

static int read_state_file(struct saved_state **out)
{
	char path[PATH_MAX], *text, *line, *save;
	struct saved_state *st;
	int ret;

	state_path(path, sizeof(path), STATE_FILE);
	ret = read_whole_file(path, &text);
	if (ret)
		return ret;
	st = calloc(1, sizeof(*st));
	if (!st || strncmp(text, STATE_MAGIC, strlen(STATE_MAGIC)))
		ret = st ? -EINVAL : -ENOMEM;
	for (line = strtok_r(text, "\n", &save); line && !ret;
	     line = strtok_r(NULL, "\n", &save))
		ret = parse_state_line(st, line);
	free(text);
	if (ret) {
		saved_state_free(st);
		return ret;
	}
	*out = st;
	return 0;
}

bool top_level_state_exists(void)
{
	char path[PATH_MAX];

	state_path(path, sizeof(path), STATE_FILE);
	return !access(path, F_OK);
}

void top_level_remove_state(void)
{
	remove_state_file(STATE_FILE);
}

/* ---- restoring ---- */

/*
 * Put one saved value back. Lists are always rewritten: truncating is what
 * turns an emptied pid list back into "no pid" (an empty list that is
 * still allocated would filter out every task). Other values are written
 * only if they differ: even an unchanged buffer_size_kb or current_tracer
 * write expands a buffer that was never used.
 */
static int restore_one(const struct saved_item *it)
{
	char *cur = NULL;
	int ret;

	if (tracing_is_list_key(it->key)) {
		ret = tracing_write_list(NULL, it->key, it->value, NULL, NULL);
		return ret < 0 ? ret : 0;
	}
	if (!tracing_read_value(NULL, it->key, &cur) &&
	    !strcmp(cur, it->value)) {
		free(cur);
		return 0;
	}
	free(cur);
	return tracing_write_file(NULL, it->key, it->value);
}

int top_level_restore(const struct saved_state *st)
{
	unsigned int i;
	int ret = 0, r;
	char *v = NULL;

	tracing_write_file(NULL, "tracing_on", "0");
	/* even an unchanged current_tracer write expands the buffer: check */
	if (!tracing_read_value(NULL, "current_tracer", &v) &&
	    strcmp(v, "nop"))
		tracing_write_file(NULL, "current_tracer", "nop");
	free(v);
	v = NULL;
	if (!tracing_read_value(NULL, "set_event", &v) && *v)
		tracing_write_file(NULL, "set_event", "");
	free(v);
	for (i = 0; i < st->nr; i++) {
		r = restore_one(&st->items[i]);
		if (r && !ret)
			ret = r;
	}
	return ret;
}

int top_level_recover(int pid, char *msg, size_t msglen)
{
	struct saved_state *st = NULL;
	int ret;

	ret = read_state_file(&st);
	if (!ret) {
		ret = top_level_restore(st);
		saved_state_free(st);
		msg_add(msg, msglen, "restored the top level saved by dead "
			"pid %d%s", pid, ret ? " (partly)" : "");
	} else if (ret != -ENOENT) {
		msg_add(msg, msglen, "unreadable state file of dead pid %d "
			"(%s) removed", pid, strerror(-ret));
	} else {
		msg_add(msg, msglen, "removed the lock of dead pid %d", pid);
	}
	remove_state_file(STATE_FILE);
	remove_state_file(LOCK_FILE);
	return 1;
}

void top_level_recover_dead_lock(void)
{
	unsigned long long start = 0;
	int pid = top_level_lock_owner(&start);

	if (pid > 0 && !pid_alive(pid, start))
		top_level_recover(pid, NULL, 0);
}

void top_level_repair_buffer(const char *before)
{
	char *now = NULL, *size;

	if (!before || !strstr(before, "expanded:"))
		return;
	if (!tracing_read_file(NULL, "buffer_size_kb", &now) &&
	    !strstr(now, "expanded:")) {
		size = tracing_buffer_size(before);
		if (size)
			tracing_write_file(NULL, "buffer_size_kb", size);
		free(size);
	}
	free(now);
}
