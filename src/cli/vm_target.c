// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vm_target.c - find, check and follow the traced process.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vm_target.h"

static int spawn_go_fd = -1;	/* parent's end: write to let child exec */
static int spawn_err_fd = -1;	/* parent's end: child's exec errno */
static int spawn_pid;

static void read_comm(int pid, char *comm, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(comm, (int)len, f))
		comm[strcspn(comm, "\n")] = '\0';
	fclose(f);
}

/* Return 1 if a fd of @pid is a KVM VM, 0 if none, -errno. */
static int has_kvm_vm_fd(int pid)
{
	char path[64], link[PATH_MAX], target[128];
	struct dirent *de;
	ssize_t n;
	DIR *d;
	int found = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	d = opendir(path);
	if (!d)
		return -errno;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), "%s/%s", path, de->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		found = !strcmp(target, "anon_inode:kvm-vm");
	}
	closedir(d);
	return found;
}

int vm_target_check(int pid, char *err, size_t errlen)
{
	char comm[64] = "?";
	int r;

	if (kill(pid, 0) && errno == ESRCH) {
		snprintf(err, errlen, "no process with PID %d", pid);
		return -ESRCH;
	}
	read_comm(pid, comm, sizeof(comm));
	r = has_kvm_vm_fd(pid);
	if (r == -EACCES || r == -EPERM) {
		snprintf(err, errlen, "cannot inspect PID %d (%s): permission "
			 "denied (run as root)", pid, comm);
		return -EACCES;
	}
	if (r < 0) {
		snprintf(err, errlen, "cannot inspect PID %d: %s", pid,
			 strerror(-r));
		return r;
	}
	if (!r) {
		snprintf(err, errlen, "PID %d (%s) is not a KVM virtual "
			 "machine (it holds no kvm-vm file descriptor)", pid,
			 comm);
		return -ENOTTY;
	}
	return 0;
}

int vm_target_tids(int pid, int *tids, int max)
{
	char path[64];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d)) && n < max) {
		int tid = atoi(de->d_name);

		if (tid > 0)
			tids[n++] = tid;
	}
	closedir(d);
	return n;
}

static void child_wait_and_exec(char **argv, int go_fd, int err_fd)
{
	char c;
	int e;

	if (read(go_fd, &c, 1) != 1)
		_exit(127);	/* the tracer went away: never run */
	close(go_fd);
	execvp(argv[0], argv);
	e = errno;
	if (write(err_fd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

int vm_target_spawn(char **argv, int *pid)
{
	int go[2], errp[2];

	if (pipe2(go, O_CLOEXEC))
		return -errno;
	if (pipe2(errp, O_CLOEXEC)) {
		close(go[0]);
		close(go[1]);
		return -errno;
	}
	spawn_pid = fork();
	if (spawn_pid < 0)
		return -errno;
	if (!spawn_pid) {
		close(go[1]);
		close(errp[0]);
		child_wait_and_exec(argv, go[0], errp[1]);
	}
	close(go[0]);
	close(errp[1]);
	spawn_go_fd = go[1];
	spawn_err_fd = errp[0];
	*pid = spawn_pid;
	return 0;
}

int vm_target_release(void)
{
	int e = 0;
	ssize_t n;

	if (spawn_go_fd < 0)
		return -EINVAL;
	if (write(spawn_go_fd, "g", 1) != 1)
		return -errno;
	close(spawn_go_fd);
	spawn_go_fd = -1;
	n = read(spawn_err_fd, &e, sizeof(e));	/* EOF = exec worked */
	close(spawn_err_fd);
	spawn_err_fd = -1;
	return n == sizeof(e) ? -e : 0;
}

static bool is_zombie(int pid)
{
	char path[64], buf[256], *paren;
	FILE *f;
	bool z = false;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f)) {
		paren = strrchr(buf, ')');	/* comm may hold spaces */
		z = paren && paren[1] == ' ' && paren[2] == 'Z';
	}
	fclose(f);
	return z;
}

bool vm_target_exited(int pid, int *status)
{
	int st = 0;

	if (pid == spawn_pid && spawn_pid > 0) {
		if (waitpid(pid, &st, WNOHANG) == pid) {
			if (status)
				*status = st;
			spawn_pid = -1;
			return true;
		}
		return false;
	}
	if (pid == spawn_pid)	/* already reaped */
		return true;
	if (kill(pid, 0) && errno == ESRCH)
		return true;
	return is_zombie(pid);	/* exited, not yet reaped by its parent */
}
