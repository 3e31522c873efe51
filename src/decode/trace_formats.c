// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trace_formats.c - parse events/header_page and the format files of the
 * events listed by the payload decoder.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <traceevent/event-parse.h>

#include "file_read.h"
#include "trace_events.h"
#include "trace_formats.h"

#define MAX_FORMAT_SIZE	(1 << 20)

/* Read a format file whole; its length or -errno. */
static ssize_t read_small_file(const char *path, char **out)
{
	size_t len;
	int r = file_read_all(path, MAX_FORMAT_SIZE, out, &len);

	return r ? r : (ssize_t)len;
}

static int load_header(struct tep_handle *tep, const char *dir)
{
	char path[4096], *buf;
	ssize_t len;
	int r;

	snprintf(path, sizeof(path), "%s/events/header_page", dir);
	len = read_small_file(path, &buf);
	if (len < 0)
		return (int)len;
	r = tep_parse_header_page(tep, buf, (unsigned long)len, sizeof(long));
	free(buf);
	return r ? -EINVAL : 0;
}

/* Parse one event's format; absent events are fine (older kernels). */
static int load_event(struct tep_handle *tep, const char *dir,
		      const char *sys, const char *name)
{
	char path[4096], *buf;
	ssize_t len;
	int r;

	snprintf(path, sizeof(path), "%s/events/%s/%s/format", dir, sys, name);
	len = read_small_file(path, &buf);
	if (len == -ENOENT)
		return 0;
	if (len < 0)
		return (int)len;
	r = tep_parse_event(tep, buf, (unsigned long)len, sys);
	free(buf);
	return r ? -EINVAL : 1;
}

struct tep_handle *trace_formats_load(const char *dir, char *err,
				      size_t errlen)
{
	struct tep_handle *tep = tep_alloc();
	const char *sys, *name;
	unsigned int i;
	int r;

	if (!tep) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	tep_set_long_size(tep, sizeof(long));
	tep_set_page_size(tep, getpagesize());
	r = load_header(tep, dir);
	if (r) {
		snprintf(err, errlen, "%s/events/header_page: %s", dir,
			 r == -EINVAL ? "cannot parse it" : strerror(-r));
		goto fail;
	}
	for (i = 0; event_decoder_wanted(i, &sys, &name); i++) {
		r = load_event(tep, dir, sys, name);
		if (r < 0) {
			snprintf(err, errlen, "%s/events/%s/%s/format: %s",
				 dir, sys, name, r == -EINVAL ?
				 "cannot parse it" : strerror(-r));
			goto fail;
		}
	}
	return tep;
fail:
	tep_free(tep);
	return NULL;
}
