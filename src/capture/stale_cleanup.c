// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stale_cleanup.c - undo what killed runs left in tracefs.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tracefs.h>

#include "msg.h"
#include "pid_alive.h"
#include "stale_cleanup.h"
#include "top_level_state.h"
#include "tracefs_files.h"

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
	bool dry;	/* only name what would be cleaned */
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
	if (c->dry) {
		msg_add(c->msg, c->msglen, "instance %s (pid %d dead)", name,
			pid);
		c->cleaned++;
		return;
	}
	inst = tracefs_instance_alloc(NULL, name);
	if (!inst)
		return;
	tracing_destroy_instance(inst);
	msg_add(c->msg, c->msglen, "%s instance %s (pid dead)",
		tracefs_instance_exists(name) ? "could not remove" :
		"removed", name);
	c->cleaned++;
}

/* (opendir: tracefs_instances() of libtracefs 1.6 leaks its regex) */
static int clean_instances(struct stale_ctx *c)
{
	char *path = tracefs_instance_get_file(NULL, "instances");
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
	int pid = top_level_lock_owner(&start);

	if (pid < 0)
		return pid;
	if (pid > 0 && pid_alive(pid, start)) {
		c->live++;
		return 0;
	}
	if (!pid && !top_level_state_exists())
		return 0;
	if (c->dry) {
		msg_add(c->msg, c->msglen, "top-level tracing settings "
			"(pid %d dead)", pid);
		c->cleaned++;
		return 0;
	}
	c->cleaned += top_level_recover(pid, c->msg, c->msglen);
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
	tracing_write_file(NULL, enable, "0");
	fd = tracing_open_file(NULL, file, O_WRONLY | O_APPEND);
	if (fd < 0)
		return fd;
	snprintf(cmd, sizeof(cmd), "-:%s\n", name);
	ret = write_all(fd, cmd);
	close(fd);
	return ret;
}

static int clean_probes(struct stale_ctx *c)
{
	const char *file = tracing_has_file(NULL, "dynamic_events") ?
		"dynamic_events" : "kprobe_events";
	char *text, *line, *save, name[256], last[256] = "";
	int ret;

	if (tracing_read_file(NULL, file, &text))
		return 0;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		/* an event of several probes has a line for each */
		if (!our_probe(line, name, sizeof(name)) || !strcmp(name, last))
			continue;
		strcpy(last, name);
		c->cleaned++;
		if (c->dry) {
			msg_add(c->msg, c->msglen, "probe event %s", name);
			continue;
		}
		ret = remove_probe(file, name);
		msg_add(c->msg, c->msglen, "%s probe event %s",
			ret ? "could not remove" : "removed", name);
	}
	free(text);
	return 0;
}

static int walk_stale(char *msg, size_t msglen, bool dry)
{
	struct stale_ctx c = { .msg = msg, .msglen = msglen, .dry = dry };
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

int tracing_cleanup_stale(char *msg, size_t msglen)
{
	return walk_stale(msg, msglen, false);
}

int tracing_find_stale(char *msg, size_t msglen)
{
	return walk_stale(msg, msglen, true);
}
