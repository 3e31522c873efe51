// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * page_check.c - bound-checked walk of a raw ring-buffer page, following
 * the event encoding of the kernel ring buffer (and of kbuffer).
 */
#include <stdint.h>
#include <string.h>

#include "page_check.h"

#define COMMIT_MASK	((1u << 27) - 1)
#define MISSING_EVENTS	(1ull << 31)
#define MISSING_STORED	(1ull << 30)

#define TYPE_PADDING	29
#define TYPE_TIME_EXT	30
#define TYPE_TIME_STAMP	31

static uint32_t rd4(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t read_commit(const unsigned char *page, size_t data_start)
{
	uint64_t v = 0;

	if (data_start == 12)
		return rd4(page + 8);
	memcpy(&v, page + 8, 8);
	return v;
}

/*
 * One step of the walk from @pos (< @size): the offset of the next
 * record, or 0 when the record is malformed. A data record must end
 * inside @size; padding may end the page.
 */
static uint64_t next_record(const unsigned char *data, uint64_t pos,
			    uint64_t size)
{
	uint32_t type_len;
	int64_t len;

	if (size - pos < 4)
		return 0;
	type_len = rd4(data + pos) & 31;
	if (type_len == TYPE_PADDING || type_len == TYPE_TIME_EXT ||
	    type_len == TYPE_TIME_STAMP || type_len == 0) {
		if (size - pos < 8)
			return 0;
	}
	switch (type_len) {
	case TYPE_PADDING:
		len = (int32_t)rd4(data + pos + 4);
		return len < 0 ? 0 : pos + 4 + (uint64_t)len;
	case TYPE_TIME_EXT:
	case TYPE_TIME_STAMP:
		return pos + 8;
	case 0:
		len = (int64_t)(int32_t)rd4(data + pos + 4) - 4;
		if (len < 0)
			return 0;
		len = (len + 3) & ~3ll;
		pos += 8 + (uint64_t)len;
		break;
	default:
		pos += 4 + (uint64_t)type_len * 4;
		break;
	}
	return pos > size ? 0 : pos;
}

bool raw_page_valid(const void *page, size_t page_size, size_t data_start)
{
	const unsigned char *p = page;
	uint64_t commit, size, pos, next;

	if (data_start != 12 && data_start != 16)
		return false;
	if (page_size < data_start)
		return false;
	commit = read_commit(p, data_start);
	size = commit & COMMIT_MASK;
	if (size > page_size - data_start)
		return false;
	if ((commit & MISSING_EVENTS) && (commit & MISSING_STORED) &&
	    size + (data_start - 8) > page_size - data_start)
		return false;
	for (pos = 0; pos < size; pos = next) {
		next = next_record(p + data_start, pos, size);
		if (next <= pos)
			return false;
	}
	return true;
}

bool raw_page_zero(const void *page, size_t page_size)
{
	const unsigned char *p = page;

	return page_size && !p[0] && !memcmp(p, p + 1, page_size - 1);
}
