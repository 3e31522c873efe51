/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * userfault.h - --userfault: slot 1's pages supplied through userfaultfd
 */
#ifndef FAULTGEN_USERFAULT_H
#define FAULTGEN_USERFAULT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "vm.h"

/**
 * struct fg_userfault - the page server of one memslot
 * @uffd:	userfaultfd with the slot registered for missing pages
 * @stop_fd:	eventfd that tells the server thread to end
 * @thread:	the server thread
 * @running:	@thread was started
 * @page:	the 4 KiB copied into every missing page (zeros)
 * @served:	pages copied in (UFFDIO_COPY that succeeded)
 * @failed:	the server stopped on an error (printed)
 */
struct fg_userfault {
	int uffd;
	int stop_fd;
	pthread_t thread;
	bool running;
	void *page;
	atomic_uint_fast64_t served;
	atomic_bool failed;
};

int fg_userfault_start(struct fg_userfault *u, const struct fg_slot *s);
void fg_userfault_stop(struct fg_userfault *u);

#endif /* FAULTGEN_USERFAULT_H */
