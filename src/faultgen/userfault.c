// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * userfault.c - --userfault: slot 1 is registered with userfaultfd for
 * missing pages and a thread of this VMM copies a zeroed page in for each
 * one, as postcopy migration fills guest memory from the network. KVM's
 * non-blocking GUP on such a page gives up, so with an in-kernel LAPIC
 * and guest interrupts on KVM makes it an async page fault: a worker
 * faults the page in (waiting for this server) while the vCPU halts, and
 * kvm_arch_async_page_ready maps it once it is there.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "faultgen.h"
#include "userfault.h"

static int fg_uffd_open(struct fg_userfault *u, const struct fg_slot *s)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = {
		.range = { .start = (uintptr_t)s->hva, .len = s->size },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};

	u->uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (u->uffd < 0) {
		fg_perror("--userfault: userfaultfd");
		return -1;
	}
	if (ioctl(u->uffd, UFFDIO_API, &api)) {
		fg_perror("--userfault: UFFDIO_API");
		return -1;
	}
	if (ioctl(u->uffd, UFFDIO_REGISTER, &reg)) {
		fg_perror("--userfault: UFFDIO_REGISTER");
		return -1;
	}
	return 0;
}

/* Copy the zero page in at @addr; 1 if it was copied, 0 if already there. */
static int fg_uffd_serve(struct fg_userfault *u, uint64_t addr)
{
	struct uffdio_copy copy = {
		.dst = addr & ~(FG_PAGE_SIZE - 1),
		.src = (uintptr_t)u->page,
		.len = FG_PAGE_SIZE,
	};

	if (!ioctl(u->uffd, UFFDIO_COPY, &copy))
		return 1;
	if (errno == EEXIST)	/* a second fault on the same page raced */
		return 0;
	fg_perror("--userfault: UFFDIO_COPY");
	return -1;
}

/* Read and serve what is queued; 0, or -1 on an error (printed). */
static int fg_uffd_drain(struct fg_userfault *u)
{
	struct uffd_msg msg;
	ssize_t n;
	int ret;

	for (;;) {
		n = read(u->uffd, &msg, sizeof(msg));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n != sizeof(msg)) {
			fg_perror("--userfault: read(userfaultfd)");
			return -1;
		}
		if (msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		ret = fg_uffd_serve(u, msg.arg.pagefault.address);
		if (ret < 0)
			return -1;
		u->served += (uint_fast64_t)ret;
	}
}

static void *fg_uffd_thread(void *arg)
{
	struct fg_userfault *u = arg;
	struct pollfd fds[2] = {
		{ .fd = u->uffd, .events = POLLIN },
		{ .fd = u->stop_fd, .events = POLLIN },
	};

	for (;;) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			fg_perror("--userfault: poll");
			break;
		}
		if (fds[1].revents)
			return NULL;
		if (fg_uffd_drain(u))
			break;
	}
	atomic_store(&u->failed, true);
	return NULL;
}

/**
 * fg_userfault_start() - serve slot @s's missing pages from a thread
 * @u: server to fill; fg_userfault_stop() must be called even on failure
 * @s: the slot, mapped and not touched yet
 *
 * Needs CAP_SYS_PTRACE (root) or vm.unprivileged_userfaultfd=1: KVM's
 * faults on the pages are kernel-mode faults.
 * Return: 0 on success, -1 (message printed) on failure.
 */
int fg_userfault_start(struct fg_userfault *u, const struct fg_slot *s)
{
	memset(u, 0, sizeof(*u));
	u->uffd = u->stop_fd = -1;
	atomic_init(&u->served, 0);
	atomic_init(&u->failed, false);
	if (fg_uffd_open(u, s))
		return -1;
	u->page = aligned_alloc(FG_PAGE_SIZE, FG_PAGE_SIZE);
	u->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (!u->page || u->stop_fd < 0) {
		fg_perror("--userfault");
		return -1;
	}
	memset(u->page, 0, FG_PAGE_SIZE);
	if (pthread_create(&u->thread, NULL, fg_uffd_thread, u)) {
		fg_err("--userfault: cannot start the page server thread");
		return -1;
	}
	u->running = true;
	return 0;
}

/**
 * fg_userfault_stop() - end the server thread and close its files
 * @u: server from fg_userfault_start() (also after it failed)
 */
void fg_userfault_stop(struct fg_userfault *u)
{
	uint64_t one = 1;

	if (u->running && write(u->stop_fd, &one, sizeof(one)) == sizeof(one))
		pthread_join(u->thread, NULL);
	u->running = false;
	if (u->stop_fd >= 0)
		close(u->stop_fd);
	if (u->uffd >= 0)
		close(u->uffd);
	free(u->page);
	u->page = NULL;
	u->stop_fd = u->uffd = -1;
}
