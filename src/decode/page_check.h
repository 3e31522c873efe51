/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_check.h - check a raw ring-buffer page before libtraceevent's
 * kbuffer walks it.
 *
 * kbuffer trusts the page: a commit word larger than the page makes it
 * read past the buffer, and an event length that does not move forward
 * makes it loop forever. A page from a recording is therefore walked
 * here first, with every step bounded by the page.
 */
#ifndef KVMMMU_PAGE_CHECK_H
#define KVMMMU_PAGE_CHECK_H

#include <stdbool.h>
#include <stddef.h>

/**
 * raw_page_valid() - is @page a ring-buffer page kbuffer can walk safely
 * @page:	the page as read (@page_size bytes)
 * @page_size:	bytes in @page
 * @data_start:	offset of the data after the header (16 with a 64-bit
 *		commit word, 12 with a 32-bit one)
 *
 * The commit size must fit in the page (with the stored missed-events
 * count, when the page says there is one), every event must lie inside
 * the committed data, and each step of the walk must move forward.
 * Return: true when the page is safe to load.
 */
bool raw_page_valid(const void *page, size_t page_size, size_t data_start);

/* True when the whole page is zero bytes (a wiped page, never written
 * by the kernel: its header carries a timestamp). */
bool raw_page_zero(const void *page, size_t page_size);

#endif /* KVMMMU_PAGE_CHECK_H */
