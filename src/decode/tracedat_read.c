// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tracedat_read.c - read trace.dat files through libtracecmd.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <trace-cmd/trace-cmd.h>
#include <traceevent/event-parse.h>

#include "tracedat.h"

static const char magic[] = "\027\010\104tracing";

struct tracedat {
	struct tracecmd_input *in;
	struct tep_handle *tep;
	char *path;
	enum fault_vendor vendor;
	bool funcgraph;
};

static struct tracecmd_input *open_input(const char *path)
{
	tracecmd_set_loglevel(TEP_LOG_NONE);
	return tracecmd_open(path, TRACECMD_FL_LOAD_NO_PLUGINS |
			     TRACECMD_FL_LOAD_NO_SYSTEM_PLUGINS);
}

static int scan_safely(struct tracedat *td, char *err, size_t errlen);

bool tracedat_is_file(const char *path)
{
	char buf[sizeof(magic) - 1];
	struct stat st;
	bool ok = false;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return false;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) &&
	    read(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf))
		ok = !memcmp(buf, magic, sizeof(buf));
	close(fd);
	return ok;
}

struct tracedat *tracedat_open(const char *path, char *err, size_t errlen)
{
	struct tracedat *td;

	if (!tracedat_is_file(path)) {
		snprintf(err, errlen, "%s: not a trace.dat file", path);
		return NULL;
	}
	td = calloc(1, sizeof(*td));
	if (!td) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	td->path = strdup(path);
	if (!td->path || scan_safely(td, err, errlen)) {
		if (!td->path)
			snprintf(err, errlen, "out of memory");
		free(td->path);
		free(td);
		return NULL;
	}
	td->in = open_input(path);
	if (!td->in) {
		snprintf(err, errlen, "%s: libtracecmd cannot read it "
			 "(damaged or of an unknown version)", path);
		free(td->path);
		free(td);
		return NULL;
	}
	td->tep = tracecmd_get_tep(td->in);
	return td;
}

void tracedat_close(struct tracedat *td)
{
	if (!td)
		return;
	tracecmd_close(td->in);
	free(td->path);
	free(td);
}

struct tep_handle *tracedat_tep(struct tracedat *td)
{
	return td->tep;
}

struct iterate_ctx {
	int (*fn)(const struct tracedat_record *r, void *ctx);
	void *ctx;
	int ret;
};

static int one_record(struct tracecmd_input *in, struct tep_record *rec,
		      int cpu, void *data)
{
	struct iterate_ctx *it = data;
	struct tracedat_record r = {
		.cpu = cpu, .ts = rec->ts, .data = rec->data,
		.size = rec->size, .missed = rec->missed_events,
	};

	it->ret = it->fn(&r, it->ctx);
	return it->ret;
}

static int iterate(struct tracecmd_input *in,
		   int (*fn)(const struct tracedat_record *r, void *ctx),
		   void *ctx)
{
	struct iterate_ctx it = { .fn = fn, .ctx = ctx };
	int ret = tracecmd_iterate_events(in, NULL, 0, one_record, &it);

	if (it.ret)
		return it.ret;
	return ret < 0 ? -EIO : 0;
}

int tracedat_iterate(struct tracedat *td,
		     int (*fn)(const struct tracedat_record *r, void *ctx),
		     void *ctx)
{
	return iterate(td->in, fn, ctx);
}

/*
 * What a first pass learns: the vendor (isa of the first kvm:kvm_exit:
 * 1 VMX, 2 SVM) and whether function_graph events are there.
 */
struct scan {
	struct tep_handle *tep;
	struct tep_event *exit, *fg_entry;
	enum fault_vendor vendor;
	bool funcgraph;
	uint64_t records;
};

static int scan_one(const struct tracedat_record *r, void *ctx)
{
	struct scan *sc = ctx;
	struct tep_record rec = { .data = (void *)r->data, .size = r->size };
	unsigned long long isa;
	int type;

	sc->records++;
	if (r->size < 2)
		return 0;
	type = tep_data_type(sc->tep, &rec);
	if (sc->fg_entry && type == sc->fg_entry->id)
		sc->funcgraph = true;
	if (sc->exit && type == sc->exit->id && !sc->vendor &&
	    !tep_get_field_val(NULL, sc->exit, "isa", &rec, &isa, 0))
		sc->vendor = isa == 1 ? FAULT_VENDOR_INTEL :
			     isa == 2 ? FAULT_VENDOR_AMD : FAULT_VENDOR_UNKNOWN;
	return 0;
}

/* The first pass, in a child: exit 0 and the result on @fd, or die. */
static void scan_child(const char *path, int fd, unsigned int seconds)
{
	struct tracecmd_input *in;
	struct scan sc = { 0 };

	alarm(seconds);
	in = open_input(path);
	if (!in)
		_exit(3);
	sc.tep = tracecmd_get_tep(in);
	sc.exit = tep_find_event_by_name(sc.tep, "kvm", "kvm_exit");
	sc.fg_entry = tep_find_event_by_name(sc.tep, "ftrace",
					     "funcgraph_entry");
	if (sc.exit && !tep_find_field(sc.exit, "isa"))
		sc.exit = NULL;
	if (iterate(in, scan_one, &sc) < 0)
		_exit(4);
	if (write(fd, &sc, sizeof(sc)) != (ssize_t)sizeof(sc))
		_exit(5);
	_exit(0);
}

/*
 * libtracecmd trusts the file: a damaged one can crash it (a cut file
 * crashes tracecmd_open in 1.3). So the first pass runs in a child with
 * a time limit, and the file is opened here only if the child read all
 * of it.
 */
static int scan_safely(struct tracedat *td, char *err, size_t errlen)
{
	struct stat st;
	unsigned int seconds;
	struct scan sc;
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if (stat(td->path, &st))
		return -errno;
	seconds = 60 + (unsigned int)(st.st_size >> 22);	/* 4 MB/s */
	if (pipe(fds))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -errno;
	}
	if (!pid) {
		close(fds[0]);
		scan_child(td->path, fds[1], seconds);
	}
	close(fds[1]);
	n = read(fds[0], &sc, sizeof(sc));
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status) || !WIFEXITED(status) ||
	    WEXITSTATUS(status) || n != (ssize_t)sizeof(sc)) {
		snprintf(err, errlen, "%s: damaged trace.dat (libtracecmd %s)",
			 td->path, WIFSIGNALED(status) ?
			 (WTERMSIG(status) == SIGALRM ? "did not finish reading it" :
			  "crashed reading it") : "cannot read it");
		return -EBADMSG;
	}
	td->vendor = sc.vendor;
	td->funcgraph = sc.funcgraph;
	return 0;
}

enum fault_vendor tracedat_vendor(struct tracedat *td)
{
	return td->vendor;
}

bool tracedat_has_funcgraph(struct tracedat *td)
{
	return td->funcgraph;
}

const char *tracedat_comm(struct tracedat *td, int pid)
{
	const char *comm = tep_data_comm_from_pid(td->tep, pid);

	return comm && strcmp(comm, "<...>") ? comm : NULL;
}
