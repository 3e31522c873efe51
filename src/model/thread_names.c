// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * thread_names.c - a small open-addressing table of thread facts.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_read.h"
#include "thread_names.h"

#define NAME_LEN	16
/* Threads named at most (24 bytes each): a recording's saved_cmdlines
 * cannot grow the table without bound. */
#define THREAD_NAMES_MAX	(1u << 16)

struct thread_entry {
	int tid;		/* 0 = empty */
	int tgid;		/* 0 = unknown */
	char comm[NAME_LEN];
};

struct thread_names {
	struct thread_entry *tab;
	unsigned int cap;	/* power of two */
	unsigned int used;
};

struct thread_names *thread_names_new(void)
{
	struct thread_names *tn = calloc(1, sizeof(*tn));

	if (!tn)
		return NULL;
	tn->cap = 64;
	tn->tab = calloc(tn->cap, sizeof(*tn->tab));
	if (!tn->tab) {
		free(tn);
		return NULL;
	}
	return tn;
}

void thread_names_free(struct thread_names *tn)
{
	if (!tn)
		return;
	free(tn->tab);
	free(tn);
}

static struct thread_entry *slot(struct thread_entry *tab, unsigned int cap,
				 int tid)
{
	unsigned int i = ((unsigned int)tid * 2654435761u) & (cap - 1);

	while (tab[i].tid && tab[i].tid != tid)
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static int grow(struct thread_names *tn)
{
	unsigned int ncap = tn->cap * 2, i;
	struct thread_entry *n = calloc(ncap, sizeof(*n));

	if (!n)
		return -ENOMEM;
	for (i = 0; i < tn->cap; i++)
		if (tn->tab[i].tid)
			*slot(n, ncap, tn->tab[i].tid) = tn->tab[i];
	free(tn->tab);
	tn->tab = n;
	tn->cap = ncap;
	return 0;
}

static struct thread_entry *get_entry(struct thread_names *tn, int tid)
{
	struct thread_entry *e = slot(tn->tab, tn->cap, tid);

	if (e->tid)
		return e;
	if (tn->used >= THREAD_NAMES_MAX)
		return NULL;
	if ((tn->used + 1) * 2 > tn->cap) {
		if (grow(tn))
			return NULL;
		e = slot(tn->tab, tn->cap, tid);
	}
	e->tid = tid;
	tn->used++;
	return e;
}

static void set_comm(struct thread_entry *e, const char *comm)
{
	size_t n = strcspn(comm, "\n");

	if (n >= NAME_LEN)
		n = NAME_LEN - 1;
	memcpy(e->comm, comm, n);
	e->comm[n] = '\0';
}

/* "PID VALUE" lines; @comm selects the name or the tgid column. */
static int load_pairs(struct thread_names *tn, const char *path, bool comm)
{
	char line[128], *rest;
	struct thread_entry *e;
	int n = 0, tid;
	FILE *f = fopen_regular(path);

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		tid = (int)strtol(line, &rest, 10);
		if (tid <= 0 || *rest != ' ')
			continue;
		e = get_entry(tn, tid);
		if (!e && tn->used >= THREAD_NAMES_MAX)
			break;		/* full: the rest stay unnamed */
		if (!e) {
			fclose(f);
			return -ENOMEM;
		}
		if (comm && !e->comm[0])
			set_comm(e, rest + 1);
		else if (!comm && !e->tgid)
			e->tgid = atoi(rest + 1);
		n++;
	}
	fclose(f);
	return n;
}

int thread_names_load_saved(struct thread_names *tn, const char *dir)
{
	char path[4096];
	int a, b;

	snprintf(path, sizeof(path), "%s/saved_cmdlines", dir);
	a = load_pairs(tn, path, true);
	snprintf(path, sizeof(path), "%s/saved_tgids", dir);
	b = load_pairs(tn, path, false);
	if (a < 0 || b < 0)
		return -ENOMEM;
	return a + b;
}

static void read_comm(int pid, int tid, struct thread_entry *e)
{
	char path[64], comm[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", pid, tid);
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(comm, sizeof(comm), f))
		set_comm(e, comm);
	fclose(f);
}

int thread_names_refresh(struct thread_names *tn, int pid)
{
	char path[64];
	struct dirent *de;
	struct thread_entry *e;
	DIR *d;
	int n = 0, tid;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		tid = atoi(de->d_name);
		if (tid <= 0)
			continue;
		e = get_entry(tn, tid);
		if (!e)
			break;
		e->tgid = pid;
		read_comm(pid, tid, e);
		n++;
	}
	closedir(d);
	return n;
}

bool thread_names_get(const struct thread_names *tn, int tid, char *comm,
		      size_t len, int *tgid)
{
	const struct thread_entry *e = slot(tn->tab, tn->cap, tid);

	if (!e->tid)
		return false;
	if (e->comm[0] && len)
		snprintf(comm, len, "%s", e->comm);
	if (e->tgid)
		*tgid = e->tgid;
	return true;
}
