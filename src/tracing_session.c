// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tracing_session.c - tracefs plumbing of one capture.
 *
 * Three strategies:
 *   global	 the top-level instance: function_graph with set_graph_function
 *		 = the profile's roots. Everything it changes is saved first to
 *		 <state dir>/global.state, under <state dir>/global.lock, and
 *		 restored at the end (or by the next run if this one is killed).
 *   instance	 a private instance kvmmmu-graph-<pid>: function_graph with
 *		 set_ftrace_filter = the profile's allow expressions (instances
 *		 have no set_graph_function).
 *   events-only a private instance with the profile's events and no tracer.
 *
 * All strategies filter on the VM's threads (set_ftrace_pid, set_event_pid
 * with function-fork/event-fork) and use the mono trace clock.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <tracefs.h>

#include "msg.h"
#include "profile.h"
#include "tracing_session.h"

#define STATE_FILE	"global.state"
#define LOCK_FILE	"global.lock"
#define STATE_MAGIC	"# kvmmmu-graph top-level state v1"
#define MAX_SAVED	64
#define MAX_MISSING	128

struct saved_item {
	char *key;	/* file relative to the top level */
	char *value;	/* normalized value; lists: one entry a line */
};

struct saved_state {
	struct saved_item items[MAX_SAVED];
	unsigned int nr;
};

struct tracing_session {
	enum capture_strategy strategy;
	struct tracefs_instance *inst;	/* NULL: top level */
	struct saved_state *saved;	/* global: what to restore */
	bool locked;			/* we own the lock file */
	bool state_written;		/* we wrote the state file */
	char *missing[MAX_MISSING];
	unsigned int nr_missing;
};

static char state_dir[PATH_MAX] = TRACING_STATE_DIR;

/* ---- messages ---- */

/* ---- strategy names ---- */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const strategy_names[] = {
	[STRATEGY_AUTO] = "auto",
	[STRATEGY_GLOBAL] = "global",
	[STRATEGY_INSTANCE] = "instance",
	[STRATEGY_EVENTS_ONLY] = "events-only",
};

const char *capture_strategy_name(enum capture_strategy s)
{
	if ((unsigned int)s >= ARRAY_SIZE(strategy_names))
		return "?";
	return strategy_names[s];
}

int capture_strategy_parse(const char *name, enum capture_strategy *out)
{
	unsigned int i;

	for (i = 0; name && i < ARRAY_SIZE(strategy_names); i++) {
		if (!strcmp(name, strategy_names[i])) {
			*out = (enum capture_strategy)i;
			return 0;
		}
	}
	return -EINVAL;
}

/* ---- tracefs files ---- */

static char *inst_path(struct tracefs_instance *inst, const char *file)
{
	return tracefs_instance_get_file(inst, file);
}

static int read_fd(int fd, char **out)
{
	size_t size = 0, cap = 4096;
	char *buf = malloc(cap), *tmp;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	while ((n = read(fd, buf + size, cap - size - 1)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return -errno;
		}
		size += n;
		if (cap - size > 1)
			continue;
		tmp = realloc(buf, cap * 2);
		if (!tmp) {
			free(buf);
			return -ENOMEM;
		}
		buf = tmp;
		cap *= 2;
	}
	buf[size] = '\0';
	*out = buf;
	return 0;
}

static int read_path(const char *path, char **out)
{
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = read_fd(fd, out);
	close(fd);
	return ret;
}

int tracing_read_file(struct tracefs_instance *inst, const char *file,
		      char **out)
{
	char *path = inst_path(inst, file);
	int ret;

	if (!path)
		return -ENOMEM;
	ret = read_path(path, out);
	tracefs_put_tracing_file(path);
	return ret;
}

static int write_all(int fd, const char *str)
{
	size_t len = strlen(str);
	ssize_t n;

	while (len) {
		n = write(fd, str, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		str += n;
		len -= n;
	}
	return 0;
}

static int open_file(struct tracefs_instance *inst, const char *file,
		     int flags)
{
	char *path = inst_path(inst, file);
	int fd;

	if (!path)
		return -ENOMEM;
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		fd = -errno;
	tracefs_put_tracing_file(path);
	return fd;
}

/* Write @str to @file (truncating it); 0 or -errno. */
static int write_file(struct tracefs_instance *inst, const char *file,
		      const char *str)
{
	int fd, ret;

	fd = open_file(inst, file, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return fd;
	ret = write_all(fd, str);
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

static bool has_file(struct tracefs_instance *inst, const char *file)
{
	return tracefs_file_exists(inst, file) || tracefs_dir_exists(inst, file);
}

/*
 * Truncate a list file (set_event, set_ftrace_filter, ...) and write the
 * entries of @list (one a line) one at a time, so that each bad entry
 * fails alone. @bad, if not NULL, is called for each refused entry.
 * Return: number of entries accepted, or -errno if the file cannot be
 * opened or closed.
 */
static int write_list(struct tracefs_instance *inst, const char *file,
		      const char *list, void (*bad)(void *, const char *, int),
		      void *ctx)
{
	char entry[512];
	const char *p, *nl;
	int fd, ok = 0, ret;

	fd = open_file(inst, file, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return fd;
	for (p = list; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		snprintf(entry, sizeof(entry), "%.*s\n",
			 (int)(nl ? nl - p : (long)strlen(p)), p);
		if (entry[0] == '\n')
			continue;
		ret = write_all(fd, entry);
		if (!ret)
			ok++;
		else if (bad)
			bad(ctx, entry, ret);
	}
	if (close(fd))
		return -errno;
	return ok;
}

/* ---- normalizing file contents ---- */

static void trim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

/* Is a line of a list file an entry (not a comment, "no pid", blank)? */
static bool is_entry(const char *line, size_t len)
{
	while (len && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	if (!len || *line == '#')
		return false;
	return !(len >= 6 && !strncmp(line, "no pid", 6));
}

/*
 * Entries of a list file, one a line: the first word of each line.
 * With @triggers false, function triggers ("func:traceoff:unlimited") of
 * set_ftrace_filter are dropped: truncating the file does not remove
 * them, so they need no restore. Cached ":mod:name" entries are kept.
 */
static char *list_entries(const char *text, bool triggers)
{
	char *out = malloc(strlen(text) + 2), *o = out;
	const char *p, *nl;
	size_t len, w;

	if (!out)
		return NULL;
	for (p = text; *p; p = nl ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		if (!is_entry(p, len))
			continue;
		while (*p == ' ' || *p == '\t')
			p++, len--;
		w = strcspn(p, " \t\n");
		w = w < len ? w : len;
		if (!triggers && memchr(p, ':', w) && strncmp(p, ":mod:", 5))
			continue;
		memcpy(o, p, w);
		o += w;
		*o++ = '\n';
	}
	*o = '\0';
	return out;
}

/* "[local] global mono" -> "local" */
static char *bracketed(const char *text)
{
	const char *b = strchr(text, '['), *e;

	if (!b || !(e = strchr(b, ']')))
		return strdup(text);
	return strndup(b + 1, e - b - 1);
}

/* "7 (expanded: 1408)" -> "1408"; "X" stays "X" (per-CPU sizes differ) */
static char *buffer_size(const char *text)
{
	const char *exp = strstr(text, "expanded:");
	char *out;

	out = strdup(exp ? exp + strlen("expanded:") : text);
	if (!out)
		return NULL;
	memmove(out, out + strspn(out, " "), strlen(out + strspn(out, " ")) + 1);
	out[strspn(out, "0123456789X")] = '\0';
	return out;
}

static bool is_list_key(const char *key)
{
	return !strncmp(key, "set_", 4);
}

static bool is_buffer_key(const char *key)
{
	const char *slash = strrchr(key, '/');

	return !strcmp(slash ? slash + 1 : key, "buffer_size_kb");
}

/* The comparable value of a file, from its raw text. */
static char *normalize(const char *key, const char *text)
{
	char *v;

	if (is_list_key(key))
		return list_entries(text, strcmp(key, "set_ftrace_filter"));
	if (!strcmp(key, "trace_clock"))
		return bracketed(text);
	if (is_buffer_key(key))
		return buffer_size(text);
	v = strdup(text);
	if (v)
		trim(v);
	return v;
}

static int read_value(struct tracefs_instance *inst, const char *key,
		      char **out)
{
	char *raw;
	int ret;

	ret = tracing_read_file(inst, key, &raw);
	if (ret)
		return ret;
	*out = normalize(key, raw);
	free(raw);
	return *out ? 0 : -ENOMEM;
}

bool tracing_clock_available(struct tracefs_instance *inst, const char *clock)
{
	char *text, *tok, *save;
	bool found = false;

	if (tracing_read_file(inst, "trace_clock", &text))
		return false;
	for (tok = strtok_r(text, " []\n", &save); tok && !found;
	     tok = strtok_r(NULL, " []\n", &save))
		found = !strcmp(tok, clock);
	free(text);
	return found;
}

static bool tracer_available(struct tracefs_instance *inst, const char *tracer,
			     char **list)
{
	char *text, *tok, *save;
	bool found = false;

	*list = NULL;
	if (tracing_read_file(inst, "available_tracers", &text))
		return false;
	trim(text);
	*list = strdup(text);
	for (tok = strtok_r(text, " \n", &save); tok && !found;
	     tok = strtok_r(NULL, " \n", &save))
		found = !strcmp(tok, tracer);
	free(text);
	return found;
}

/* ---- pids and the state/lock files ---- */

/* Start time of a process in clock ticks since boot, 0 if unknown. */
static unsigned long long pid_starttime(int pid)
{
	unsigned long long start = 0;
	char path[64], *text, *p;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_path(path, &text))
		return 0;
	p = strrchr(text, ')');
	for (i = 0; p && i < 20; i++)	/* field 22 is the 20th after comm */
		p = strchr(p + 1, ' ');
	if (p)
		start = strtoull(p + 1, NULL, 10);
	free(text);
	return start;
}

/* Is @pid alive (and, if @start is known, the same process)? */
static bool pid_alive(int pid, unsigned long long start)
{
	unsigned long long now;

	if (pid <= 0)
		return false;
	if (kill(pid, 0) && errno == ESRCH)
		return false;
	now = start ? pid_starttime(pid) : 0;
	return !now || now == start;	/* unknown: assume alive */
}

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

/* Owner of the lock file: pid (0: no lock file), or -errno. */
static int lock_owner(unsigned long long *start)
{
	char path[PATH_MAX], *text;
	int pid = 0, ret;

	state_path(path, sizeof(path), LOCK_FILE);
	ret = read_path(path, &text);
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

/* ---- saved state ---- */

static void saved_free(struct saved_state *st)
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

static const char *saved_get(const struct saved_state *st, const char *key)
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
		if (!has_file(NULL, key))
			return 0;
		ret = read_value(NULL, key, &v);
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

	ret = read_value(NULL, key, &v);
	if (ret) {
		if (!required)
			return 0;
		msg_set(err, errlen, "cannot read %s: %s", key, strerror(-ret));
		return ret;
	}
	if (is_buffer_key(key) && !strcmp(v, "X")) {
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

static int save_global(struct saved_state **out, char *err, size_t errlen)
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
		saved_free(st);
		return ret;
	}
	*out = st;
	return 0;
}

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
	ret = read_path(path, &text);
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
		saved_free(st);
		return ret;
	}
	*out = st;
	return 0;
}

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

	if (is_list_key(it->key)) {
		ret = write_list(NULL, it->key, it->value, NULL, NULL);
		return ret < 0 ? ret : 0;
	}
	if (!read_value(NULL, it->key, &cur) && !strcmp(cur, it->value)) {
		free(cur);
		return 0;
	}
	free(cur);
	return write_file(NULL, it->key, it->value);
}

/*
 * Restore the top level: stop tracing and drop our tracer and events
 * first, then put back every saved file in save order (tracing_on last).
 * Return: 0, or the first error (all items are tried).
 */
static int restore_global(const struct saved_state *st)
{
	unsigned int i;
	int ret = 0, r;
	char *v = NULL;

	write_file(NULL, "tracing_on", "0");
	/* even an unchanged current_tracer write expands the buffer: check */
	if (!read_value(NULL, "current_tracer", &v) && strcmp(v, "nop"))
		write_file(NULL, "current_tracer", "nop");
	free(v);
	v = NULL;
	if (!read_value(NULL, "set_event", &v) && *v)
		write_file(NULL, "set_event", "");
	free(v);
	for (i = 0; i < st->nr; i++) {
		r = restore_one(&st->items[i]);
		if (r && !ret)
			ret = r;
	}
	return ret;
}

/* ---- in use? ---- */

static void list_some(char *buf, size_t len, const char *entries)
{
	const char *p = entries, *nl;
	int n = 0, shown = 0;

	for (; *p; p = nl + 1, n++) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		if (shown < 3) {
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%.*s",
				 shown ? ", " : "", (int)(nl - p), p);
			shown++;
		}
	}
	if (n > shown)
		snprintf(buf + strlen(buf), len - strlen(buf), ", +%d more",
			 n - shown);
}

static int check_list_file(struct tracefs_instance *inst, const char *file,
			   char *why, size_t whylen)
{
	char *text, *e, some[256] = "";
	int ret;

	ret = tracing_read_file(inst, file, &text);
	if (ret)	/* absent or EPERM: nobody can use it either */
		return 0;
	e = list_entries(text, true);
	free(text);
	if (!e)
		return -ENOMEM;
	ret = *e != '\0';
	if (ret) {
		list_some(some, sizeof(some), e);
		msg_add(why, whylen, "%s: %s", file, some);
	}
	free(e);
	return ret;
}

static int check_tracer(struct tracefs_instance *inst, char *why, size_t whylen)
{
	char *cur;
	int ret;

	ret = read_value(inst, "current_tracer", &cur);
	if (ret)
		return ret == -ENOENT ? 0 : ret;
	ret = strcmp(cur, "nop") != 0;
	if (ret)
		msg_add(why, whylen, "current_tracer=%s", cur);
	free(cur);
	return ret;
}

static int check_lock(char *why, size_t whylen)
{
	unsigned long long start = 0;
	int pid = lock_owner(&start);

	if (pid <= 0 || pid == getpid() || !pid_alive(pid, start))
		return 0;
	msg_add(why, whylen, "kvmmmu-graph pid %d holds the top level "
		"(%s/%s)", pid, state_dir, LOCK_FILE);
	return 1;
}

int tracing_instance_in_use(struct tracefs_instance *inst,
			    char *why, size_t whylen)
{
	static const char *const lists[] = {
		"set_event", "set_ftrace_filter", "set_graph_function",
	};
	unsigned int i;
	int busy = 0, ret;

	msg_set(why, whylen, "%s", "");
	ret = check_tracer(inst, why, whylen);
	if (ret < 0)
		return ret;
	busy |= ret;
	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		ret = check_list_file(inst, lists[i], why, whylen);
		if (ret < 0)
			return ret;
		busy |= ret;
	}
	if (!inst)
		busy |= check_lock(why, whylen);
	return busy;
}

/* ---- missing profile items ---- */

/* Remember a skipped profile item; @err other than "no such" is shown. */
static void add_missing(struct tracing_session *s, const char *what,
			const char *name, int err)
{
	char buf[300];
	size_t n;

	if (s->nr_missing >= MAX_MISSING)
		return;
	snprintf(buf, sizeof(buf), "%s %s", what, name);
	n = strlen(buf);
	while (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (err && err != -EINVAL && err != -ENOENT && err != -ENODEV)
		snprintf(buf + n, sizeof(buf) - n, " (%s)", strerror(-err));
	s->missing[s->nr_missing] = strdup(buf);
	if (s->missing[s->nr_missing])
		s->nr_missing++;
}

static void missing_root(void *ctx, const char *name, int err)
{
	add_missing(ctx, "root", name, err);
}

static void missing_allow(void *ctx, const char *name, int err)
{
	add_missing(ctx, "allow", name, err);
}

unsigned int tracing_session_nr_missing(const struct tracing_session *s)
{
	return s->nr_missing;
}

const char *tracing_session_missing(const struct tracing_session *s,
				    unsigned int i)
{
	return i < s->nr_missing ? s->missing[i] : NULL;
}

/* ---- configuration steps ---- */

static bool uses_tracer(enum capture_strategy s)
{
	return s == STRATEGY_GLOBAL || s == STRATEGY_INSTANCE;
}

static int set_clock(struct tracefs_instance *inst, char *err, size_t errlen)
{
	int ret;

	ret = write_file(inst, "trace_clock", "mono");
	if (ret)
		msg_set(err, errlen, "cannot set trace_clock to mono: %s",
			strerror(-ret));
	return ret;
}

static int set_buffer(struct tracefs_instance *inst, unsigned int kb,
		      char *err, size_t errlen)
{
	char text[32];
	int ret;

	snprintf(text, sizeof(text), "%u", kb ? kb : TRACING_DEFAULT_BUFFER_KB);
	ret = write_file(inst, "buffer_size_kb", text);
	if (ret)
		msg_set(err, errlen, "cannot set buffer_size_kb to %s: %s",
			text, strerror(-ret));
	return ret;
}

/*
 * Older kernels (seen on 6.1) keep "buffer expanded" as one global flag:
 * resizing an instance's buffer sets it, and the top-level buffer, never
 * used so far ("7 (expanded: 1408)"), then stays at 7 KB for good. Give
 * the top level the size it would have expanded to.
 */
static void repair_top_buffer(const char *before)
{
	char *now = NULL, *size;

	if (!before || !strstr(before, "expanded:"))
		return;
	if (!tracing_read_file(NULL, "buffer_size_kb", &now) &&
	    !strstr(now, "expanded:")) {
		size = buffer_size(before);
		if (size)
			write_file(NULL, "buffer_size_kb", size);
		free(size);
	}
	free(now);
}

/* An instance's buffer size, without shrinking the top level's. */
static int set_instance_buffer(struct tracefs_instance *inst, unsigned int kb,
			       char *err, size_t errlen)
{
	char *top = NULL;
	int ret;

	tracing_read_file(NULL, "buffer_size_kb", &top);
	ret = set_buffer(inst, kb, err, errlen);
	repair_top_buffer(top);
	free(top);
	return ret;
}

static char *pid_list(const struct session_config *cfg)
{
	char *out = malloc((size_t)cfg->nr_tids * 12 + 1), *o = out;
	int i;

	if (!out)
		return NULL;
	*o = '\0';
	for (i = 0; i < cfg->nr_tids; i++)
		o += sprintf(o, "%d\n", cfg->tids[i]);
	return out;
}

static int set_pid_file(struct tracefs_instance *inst, const char *file,
			const char *pids, int nr, char *err, size_t errlen)
{
	int ret;

	ret = write_list(inst, file, pids, NULL, NULL);
	if (ret >= 0 && ret != nr)
		ret = -EINVAL;
	if (ret < 0) {
		msg_set(err, errlen, "cannot set %s: %s", file, strerror(-ret));
		return ret;
	}
	return 0;
}

/* set_event_pid (and set_ftrace_pid with a tracer); no tids: no filter. */
static int set_pids(const struct session_config *cfg,
		    struct tracefs_instance *inst, char *err, size_t errlen)
{
	char *pids = pid_list(cfg);
	int ret;

	if (!pids)
		return -ENOMEM;
	ret = set_pid_file(inst, "set_event_pid", pids, cfg->nr_tids,
			   err, errlen);
	if (!ret && uses_tracer(cfg->strategy))
		ret = set_pid_file(inst, "set_ftrace_pid", pids, cfg->nr_tids,
				   err, errlen);
	free(pids);
	return ret;
}

static int set_option(struct tracefs_instance *inst, const char *name,
		      bool on, bool required, char *err, size_t errlen)
{
	char file[128];
	int ret;

	snprintf(file, sizeof(file), "options/%s", name);
	ret = write_file(inst, file, on ? "1" : "0");
	if (ret == -ENOENT && !required)
		return 0;
	if (ret)
		msg_set(err, errlen, "cannot set option %s: %s", name,
			strerror(-ret));
	return ret;
}

static int set_fork_options(const struct session_config *cfg,
			    struct tracefs_instance *inst,
			    char *err, size_t errlen)
{
	bool need = cfg->nr_tids > 0;
	int ret;

	ret = set_option(inst, "event-fork", need, need, err, errlen);
	if (!ret && uses_tracer(cfg->strategy))
		ret = set_option(inst, "function-fork", need, need, err, errlen);
	return ret;
}

static char *join_roots(const struct profile *prof)
{
	unsigned int i;
	size_t len = 1;
	char *out;

	for (i = 0; i < profile_nr_roots(prof); i++)
		len += strlen(profile_root(prof, i)) + 1;
	out = calloc(1, len);
	for (i = 0; out && i < profile_nr_roots(prof); i++)
		strcat(strcat(out, profile_root(prof, i)), "\n");
	return out;
}

static char *join_allow(const struct profile *prof)
{
	unsigned int i;
	size_t len = 1;
	char *out;

	for (i = 0; i < profile_nr_allow(prof); i++)
		len += strlen(profile_allow(prof, i)) + 1;
	out = calloc(1, len);
	for (i = 0; out && i < profile_nr_allow(prof); i++)
		strcat(strcat(out, profile_allow(prof, i)), "\n");
	return out;
}

/* Global: set_graph_function = the roots this kernel has. */
static int set_graph_roots(struct tracing_session *s, const struct profile *prof,
			   char *err, size_t errlen)
{
	char *roots = join_roots(prof);
	int ret;

	if (!roots)
		return -ENOMEM;
	ret = write_list(NULL, "set_graph_function", roots, missing_root, s);
	free(roots);
	if (ret < 0) {
		msg_set(err, errlen, "cannot write set_graph_function: %s",
			strerror(-ret));
		return ret;
	}
	if (!ret) {
		msg_set(err, errlen, "none of the profile's roots can be traced "
			"(%s)", s->nr_missing ? s->missing[s->nr_missing - 1] :
			"no root in the profile");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* Does set_ftrace_filter select real functions (not only cached :mod:)? */
static bool filter_selects_functions(struct tracefs_instance *inst)
{
	char *text, *e, *p;
	bool ret = false;

	if (tracing_read_file(inst, "set_ftrace_filter", &text))
		return false;
	e = list_entries(text, false);
	free(text);
	for (p = e; p && *p && !ret; p = strchr(p, '\n') + 1)
		ret = strncmp(p, ":mod:", 5) != 0;
	free(e);
	return ret;
}

/* Instance: set_ftrace_filter = the allow expressions that match. */
static int set_filter_allow(struct tracing_session *s, const struct profile *prof,
			    char *err, size_t errlen)
{
	char *allow = join_allow(prof);
	int ret;

	if (!allow)
		return -ENOMEM;
	ret = write_list(s->inst, "set_ftrace_filter", allow, missing_allow, s);
	free(allow);
	if (ret < 0) {
		msg_set(err, errlen, "cannot write set_ftrace_filter: %s",
			strerror(-ret));
		return ret;
	}
	if (!filter_selects_functions(s->inst)) {
		msg_set(err, errlen, "no function matches the profile's allow "
			"expressions (set_ftrace_filter stays empty)");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* Global with --force: someone's set_ftrace_filter would prune our graph. */
static int clear_ftrace_filter(struct tracing_session *s, char *err,
			       size_t errlen)
{
	const char *v = saved_get(s->saved, "set_ftrace_filter");
	int ret;

	if (!v || !*v)
		return 0;
	ret = write_file(NULL, "set_ftrace_filter", "");
	if (ret)
		msg_set(err, errlen, "cannot clear set_ftrace_filter: %s",
			strerror(-ret));
	return ret;
}

/*
 * funcgraph-* options belong to the tracer and are shared by all instances
 * (seen on 6.12). In our instance, turn funcgraph-irqs off only if that
 * leaves the top level's alone; otherwise put it back and note it (the
 * instance's set_ftrace_filter keeps irq handlers out of the graph anyway).
 */
static int graph_irqs_off(struct tracing_session *s, char *err, size_t errlen)
{
	char *top = NULL, *now = NULL;
	int ret;

	if (!s->inst || read_value(NULL, "options/funcgraph-irqs", &top))
		return set_option(s->inst, "funcgraph-irqs", false, false,
				  err, errlen);
	ret = set_option(s->inst, "funcgraph-irqs", false, false, err, errlen);
	if (!ret && !read_value(NULL, "options/funcgraph-irqs", &now) &&
	    strcmp(top, now)) {
		ret = set_option(s->inst, "funcgraph-irqs", true, false,
				 err, errlen);
		add_missing(s, "option", "funcgraph-irqs (shared with the top "
			    "level: left on)", 0);
	}
	free(top);
	free(now);
	return ret;
}

static int set_tracer(struct tracing_session *s, char *err, size_t errlen)
{
	int ret;

	ret = write_file(s->inst, "current_tracer", "function_graph");
	if (ret) {
		msg_set(err, errlen, "cannot set current_tracer to "
			"function_graph: %s", strerror(-ret));
		return ret;
	}
	return graph_irqs_off(s, err, errlen);
}

static int set_function_graph(struct tracing_session *s,
			      const struct session_config *cfg,
			      char *err, size_t errlen)
{
	int ret;

	if (s->strategy == STRATEGY_GLOBAL) {
		ret = clear_ftrace_filter(s, err, errlen);
		if (!ret)
			ret = set_graph_roots(s, cfg->prof, err, errlen);
	} else {
		ret = set_filter_allow(s, cfg->prof, err, errlen);
	}
	if (!ret)
		ret = set_tracer(s, err, errlen);
	return ret;
}

static int split_event(const char *spec, char *sys, size_t len,
		       const char **event)
{
	const char *slash = strchr(spec, '/');
	size_t n = slash ? (size_t)(slash - spec) : strlen(spec);

	if (!n || n >= len)
		return -EINVAL;
	memcpy(sys, spec, n);
	sys[n] = '\0';
	*event = slash && slash[1] ? slash + 1 : NULL;
	return 0;
}

static bool event_exists(struct tracefs_instance *inst, const char *sys,
			 const char *event)
{
	char file[512];

	if (event)
		snprintf(file, sizeof(file), "events/%s/%s/enable", sys, event);
	else
		snprintf(file, sizeof(file), "events/%s/enable", sys);
	return tracefs_file_exists(inst, file);
}

/* Enable one "sys/event" or "sys"; 1 enabled, 0 missing, -errno. */
static int enable_event(struct tracing_session *s, const char *spec,
			char *err, size_t errlen)
{
	const char *event;
	char sys[256];

	if (split_event(spec, sys, sizeof(sys), &event)) {
		msg_set(err, errlen, "bad event name '%s' in profile", spec);
		return -EINVAL;
	}
	if (!event_exists(s->inst, sys, event)) {
		add_missing(s, "event", spec, 0);
		return 0;
	}
	errno = 0;
	if (tracefs_event_enable(s->inst, sys, event)) {
		msg_set(err, errlen, "cannot enable event %s: %s", spec,
			strerror(errno ? errno : EIO));
		return errno ? -errno : -EIO;
	}
	return 1;
}

static int enable_events(struct tracing_session *s, const struct profile *prof,
			 char *err, size_t errlen)
{
	unsigned int i;
	int ret, nr = 0;

	if (s->strategy == STRATEGY_GLOBAL) {
		ret = write_file(NULL, "set_event", "");
		if (ret) {
			msg_set(err, errlen, "cannot clear set_event: %s",
				strerror(-ret));
			return ret;
		}
	}
	for (i = 0; i < profile_nr_events(prof); i++) {
		ret = enable_event(s, profile_event(prof, i), err, errlen);
		if (ret < 0)
			return ret;
		nr += ret;
	}
	if (!nr && s->strategy == STRATEGY_EVENTS_ONLY) {
		msg_set(err, errlen, "none of the profile's events exists "
			"on this kernel");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* Everything but the save/lock: the same for all strategies. */
static int configure(struct tracing_session *s, const struct session_config *cfg,
		     char *err, size_t errlen)
{
	int ret;

	ret = write_file(s->inst, "tracing_on", "0");
	if (ret) {
		msg_set(err, errlen, "cannot write tracing_on: %s",
			strerror(-ret));
		return ret;
	}
	ret = set_clock(s->inst, err, errlen);
	if (!ret && s->inst)
		ret = set_instance_buffer(s->inst, cfg->buffer_kb, err, errlen);
	else if (!ret)
		ret = set_buffer(NULL, cfg->buffer_kb, err, errlen);
	if (!ret)
		ret = set_pids(cfg, s->inst, err, errlen);
	if (!ret)
		ret = set_fork_options(cfg, s->inst, err, errlen);
	if (!ret && uses_tracer(s->strategy))
		ret = set_function_graph(s, cfg, err, errlen);
	if (!ret)
		ret = enable_events(s, cfg->prof, err, errlen);
	return ret;
}

/* ---- global ---- */

static int check_mono(struct tracefs_instance *inst, char *err, size_t errlen)
{
	char *clocks = NULL;

	if (tracing_clock_available(inst, "mono"))
		return 0;
	tracing_read_file(inst, "trace_clock", &clocks);
	if (clocks)
		trim(clocks);
	msg_set(err, errlen, "trace clock 'mono' is not available (trace_clock: "
		"%s); the reader needs CLOCK_MONOTONIC timestamps",
		clocks ? clocks : "unreadable");
	free(clocks);
	return -EOPNOTSUPP;
}

static int check_global_caps(char *err, size_t errlen)
{
	char *tracers;
	bool ok;

	ok = tracer_available(NULL, "function_graph", &tracers);
	if (!ok) {
		msg_set(err, errlen, "global strategy needs the function_graph "
			"tracer, which this kernel lacks (available_tracers: "
			"%s); try --strategy events-only",
			tracers ? tracers : "unreadable");
		free(tracers);
		return -EOPNOTSUPP;
	}
	free(tracers);
	if (!tracefs_file_exists(NULL, "set_graph_function")) {
		msg_set(err, errlen, "global strategy needs set_graph_function, "
			"which this kernel lacks; try --strategy instance");
		return -EOPNOTSUPP;
	}
	return check_mono(NULL, err, errlen);
}

static int check_global_free(const struct session_config *cfg,
			     char *err, size_t errlen)
{
	char why[512] = "";
	int ret;

	if (check_lock(why, sizeof(why))) {	/* --force cannot share it */
		msg_set(err, errlen, "%s; use --strategy instance", why);
		return -EBUSY;
	}
	ret = tracing_instance_in_use(NULL, why, sizeof(why));
	if (ret < 0) {
		msg_set(err, errlen, "cannot inspect the top level: %s",
			strerror(-ret));
		return ret;
	}
	if (!ret || cfg->force)
		return 0;
	msg_set(err, errlen, "the top-level tracing instance is in use (%s); "
		"use --force to take it over (it is restored at exit) or "
		"--strategy instance", why);
	return -EBUSY;
}

/* Undo a killed run's top level: restore its saved state, drop its lock. */
static int recover_global(int pid, char *msg, size_t msglen)
{
	struct saved_state *st = NULL;
	int ret;

	ret = read_state_file(&st);
	if (!ret) {
		ret = restore_global(st);
		saved_free(st);
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

/* A lock whose owner is dead: undo what that run left on the top level. */
static void recover_dead_lock(void)
{
	unsigned long long start = 0;
	int pid = lock_owner(&start);

	if (pid > 0 && !pid_alive(pid, start))
		recover_global(pid, NULL, 0);
}

static int take_lock(struct tracing_session *s, char *err, size_t errlen)
{
	unsigned long long start = 0;
	int ret, pid;

	ret = create_lock();
	if (ret == -EEXIST) {
		pid = lock_owner(&start);
		msg_set(err, errlen, "kvmmmu-graph pid %d holds the top level "
			"(%s/%s); use --strategy instance", pid, state_dir,
			LOCK_FILE);
		return -EBUSY;
	}
	if (ret) {
		msg_set(err, errlen, "cannot create %s/%s: %s", state_dir,
			LOCK_FILE, strerror(-ret));
		return ret;
	}
	s->locked = true;
	return 0;
}

static int save_and_lock(struct tracing_session *s, char *err, size_t errlen)
{
	int ret;

	ret = take_lock(s, err, errlen);
	if (!ret)
		ret = save_global(&s->saved, err, errlen);
	if (ret)
		return ret;
	ret = write_state_file(s->saved);
	if (ret) {
		msg_set(err, errlen, "cannot write %s/%s: %s", state_dir,
			STATE_FILE, strerror(-ret));
		return ret;
	}
	s->state_written = true;
	return 0;
}

/*
 * Order matters: a dead run's leftovers are undone first (they would look
 * like another user), the checks change nothing, and the state is on disk
 * before the first change.
 */
static int start_global(struct tracing_session *s,
			const struct session_config *cfg,
			char *err, size_t errlen)
{
	int ret;

	recover_dead_lock();
	ret = check_global_free(cfg, err, errlen);
	if (!ret)
		ret = check_global_caps(err, errlen);
	if (!ret)
		ret = save_and_lock(s, err, errlen);
	if (!ret)
		ret = configure(s, cfg, err, errlen);
	return ret;
}

/* ---- instances ---- */

static void destroy_instance(struct tracefs_instance *inst)
{
	int tries;

	write_file(inst, "tracing_on", "0");
	/* a reader may still be closing its per-CPU files: retry EBUSY */
	for (tries = 0; tries < 50; tries++) {
		if (!tracefs_instance_destroy(inst) || errno != EBUSY)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 20000000 }, NULL);
	}
	tracefs_instance_free(inst);
}

static int create_instance(struct tracing_session *s, char *err, size_t errlen)
{
	char name[64];
	int ret = 0;

	snprintf(name, sizeof(name), TRACING_INSTANCE_PREFIX "%d",
		 (int)getpid());
	if (tracefs_instance_exists(name)) {
		/* left by a dead process whose pid we now have */
		s->inst = tracefs_instance_alloc(NULL, name);
		if (s->inst)
			destroy_instance(s->inst);
	}
	errno = 0;
	s->inst = tracefs_instance_create(name);
	if (!s->inst)
		ret = errno ? -errno : -ENOMEM;
	else if (!tracefs_instance_is_new(s->inst))
		ret = -EEXIST;
	if (ret) {
		msg_set(err, errlen, "cannot create tracing instance %s: %s",
			name, strerror(-ret));
		tracefs_instance_free(s->inst);
		s->inst = NULL;
	}
	return ret;
}

static bool has_tracer(struct tracefs_instance *inst, const char *tracer)
{
	char *list;
	bool ok = tracer_available(inst, tracer, &list);

	free(list);
	return ok;
}

static int check_instance_tracer(struct tracing_session *s,
				 char *err, size_t errlen)
{
	char *tracers;
	bool ok;

	ok = tracer_available(s->inst, "function_graph", &tracers);
	if (!ok)
		msg_set(err, errlen, "instance strategy needs function_graph in "
			"created instances, which this kernel lacks "
			"(available_tracers there: %s); try --strategy %s",
			tracers ? tracers : "unreadable",
			has_tracer(NULL, "function_graph") ?
			"global" : "events-only");
	free(tracers);
	return ok ? 0 : -EOPNOTSUPP;
}

static int start_instance(struct tracing_session *s,
			  const struct session_config *cfg,
			  char *err, size_t errlen)
{
	int ret;

	ret = check_mono(NULL, err, errlen);
	if (!ret)
		ret = create_instance(s, err, errlen);
	if (!ret && s->strategy == STRATEGY_INSTANCE)
		ret = check_instance_tracer(s, err, errlen);
	if (!ret)
		ret = configure(s, cfg, err, errlen);
	return ret;
}

/* ---- session ---- */

static int check_config(const struct session_config *cfg,
			char *err, size_t errlen)
{
	if (!cfg || !cfg->prof || cfg->nr_tids < 0 ||
	    (cfg->nr_tids && !cfg->tids)) {
		msg_set(err, errlen, "invalid session configuration");
		return -EINVAL;
	}
	if (cfg->strategy == STRATEGY_AUTO ||
	    !strcmp(capture_strategy_name(cfg->strategy), "?")) {
		msg_set(err, errlen, "strategy must be resolved before start "
			"(got %s)", capture_strategy_name(cfg->strategy));
		return -EINVAL;
	}
	if (!tracefs_tracing_dir()) {
		msg_set(err, errlen, "tracefs is not mounted");
		return -ENOENT;
	}
	return 0;
}

int tracing_session_start(const struct session_config *cfg,
			  struct tracing_session **out,
			  char *err, size_t errlen)
{
	struct tracing_session *s;
	int ret;

	msg_set(err, errlen, "%s", "");
	*out = NULL;
	ret = check_config(cfg, err, errlen);
	if (ret)
		return ret;
	s = calloc(1, sizeof(*s));
	if (!s) {
		msg_set(err, errlen, "out of memory");
		return -ENOMEM;
	}
	s->strategy = cfg->strategy;
	if (s->strategy == STRATEGY_GLOBAL)
		ret = start_global(s, cfg, err, errlen);
	else
		ret = start_instance(s, cfg, err, errlen);
	if (ret) {
		tracing_session_end(s);
		return ret;
	}
	*out = s;
	return 0;
}

int tracing_session_enable(struct tracing_session *s)
{
	int ret;

	ret = write_file(s->inst, "trace", "");
	if (!ret)
		ret = write_file(s->inst, "tracing_on", "1");
	return ret;
}

int tracing_session_disable(struct tracing_session *s)
{
	return write_file(s->inst, "tracing_on", "0");
}

struct tracefs_instance *tracing_session_instance(struct tracing_session *s)
{
	return s->inst;
}

enum capture_strategy tracing_session_strategy(const struct tracing_session *s)
{
	return s->strategy;
}

void tracing_session_end(struct tracing_session *s)
{
	if (!s)
		return;
	if (s->inst)
		destroy_instance(s->inst);
	if (s->saved)
		restore_global(s->saved);
	if (s->state_written)
		remove_state_file(STATE_FILE);
	if (s->locked)
		remove_state_file(LOCK_FILE);
	saved_free(s->saved);
	while (s->nr_missing)
		free(s->missing[--s->nr_missing]);
	free(s);
}

/* ---- stale leftovers ---- */

/* pid of one of our instance names, 0 if the name is not ours. */
static int instance_pid(const char *name)
{
	const char *p = NULL;
	char *end;
	long pid;

	if (!strncmp(name, TRACING_PROBE_INSTANCE_PREFIX,
		     strlen(TRACING_PROBE_INSTANCE_PREFIX)))
		p = name + strlen(TRACING_PROBE_INSTANCE_PREFIX);
	else if (!strncmp(name, TRACING_INSTANCE_PREFIX,
			  strlen(TRACING_INSTANCE_PREFIX)))
		p = name + strlen(TRACING_INSTANCE_PREFIX);
	if (!p || !*p)
		return 0;
	pid = strtol(p, &end, 10);
	return *end || pid <= 0 || pid > INT_MAX ? 0 : (int)pid;
}

struct stale_ctx {
	char *msg;
	size_t msglen;
	int cleaned;
	int live;	/* live sessions seen */
};

static void clean_instance(struct stale_ctx *c, const char *name)
{
	struct tracefs_instance *inst;
	int pid = instance_pid(name);

	if (!pid)
		return;
	if (pid_alive(pid, 0)) {
		c->live++;
		return;
	}
	inst = tracefs_instance_alloc(NULL, name);
	if (!inst)
		return;
	destroy_instance(inst);
	msg_add(c->msg, c->msglen, "%s instance %s (pid dead)",
		tracefs_instance_exists(name) ? "could not remove" :
		"removed", name);
	c->cleaned++;
}

/* (opendir: tracefs_instances() of libtracefs 1.6 leaks its regex) */
static int clean_instances(struct stale_ctx *c)
{
	char *path = inst_path(NULL, "instances");
	struct dirent *e;
	DIR *d;

	if (!path)
		return -ENOMEM;
	d = opendir(path);
	tracefs_put_tracing_file(path);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, TRACING_INSTANCE_PREFIX,
			     strlen(TRACING_INSTANCE_PREFIX)))
			clean_instance(c, e->d_name);
	closedir(d);
	return 0;
}

static int clean_global(struct stale_ctx *c)
{
	unsigned long long start = 0;
	char path[PATH_MAX];
	int pid = lock_owner(&start);

	if (pid < 0)
		return pid;
	if (pid > 0 && pid_alive(pid, start)) {
		c->live++;
		return 0;
	}
	state_path(path, sizeof(path), STATE_FILE);
	if (!pid && access(path, F_OK))
		return 0;
	c->cleaned += recover_global(pid, c->msg, c->msglen);
	return 0;
}

/* "p:grp/ev ..." -> "grp/ev" if grp is ours. */
static bool our_probe(const char *line, char *name, size_t len)
{
	const char *colon = strchr(line, ':');
	size_t n;

	if (!colon || strncmp(colon + 1, TRACING_PROBE_GROUP "/",
			      strlen(TRACING_PROBE_GROUP) + 1))
		return false;
	n = strcspn(colon + 1, " \t\n");
	if (n >= len)
		return false;
	memcpy(name, colon + 1, n);
	name[n] = '\0';
	return true;
}

static int remove_probe(const char *file, const char *name)
{
	char cmd[300], enable[320];
	int fd, ret;

	snprintf(enable, sizeof(enable), "events/%s/enable", name);
	write_file(NULL, enable, "0");
	fd = open_file(NULL, file, O_WRONLY | O_APPEND);
	if (fd < 0)
		return fd;
	snprintf(cmd, sizeof(cmd), "-:%s\n", name);
	ret = write_all(fd, cmd);
	close(fd);
	return ret;
}

static int clean_probes(struct stale_ctx *c)
{
	const char *file = has_file(NULL, "dynamic_events") ?
		"dynamic_events" : "kprobe_events";
	char *text, *line, *save, name[256];
	int ret;

	if (tracing_read_file(NULL, file, &text))
		return 0;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!our_probe(line, name, sizeof(name)))
			continue;
		ret = remove_probe(file, name);
		msg_add(c->msg, c->msglen, "%s probe event %s",
			ret ? "could not remove" : "removed", name);
		c->cleaned++;
	}
	free(text);
	return 0;
}

int tracing_cleanup_stale(char *msg, size_t msglen)
{
	struct stale_ctx c = { .msg = msg, .msglen = msglen };
	int ret;

	msg_set(msg, msglen, "%s", "");
	if (!tracefs_tracing_dir()) {
		msg_set(msg, msglen, "tracefs is not mounted");
		return -ENOENT;
	}
	ret = clean_instances(&c);
	if (!ret)
		ret = clean_global(&c);
	if (!ret && !c.live)
		ret = clean_probes(&c);
	if (ret) {
		msg_set(msg, msglen, "cleanup failed: %s", strerror(-ret));
		return ret;
	}
	if (!c.cleaned)
		msg_set(msg, msglen, "nothing to clean");
	return c.cleaned;
}
