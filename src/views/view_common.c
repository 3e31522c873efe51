// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view_common.c - what several views share: output files and the
 * ERROR_TYPE words.
 */
#include <errno.h>
#include <string.h>

#include "fault_type.h"
#include "view.h"

FILE *view_open_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "we");

	if (!f)
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return f;
}

int view_close_file(FILE *f, const char *path, char *err, size_t errlen)
{
	int ret = 0;

	if (fflush(f) || ferror(f))
		ret = errno ? -errno : -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	if (ret)
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
	return ret;
}

const char *view_error_type(const struct fault *f, char *buf, size_t len)
{
	struct fault_access a;

	if (f->gpa == FAULT_UNKNOWN) {
		snprintf(buf, len, f->kind == FAULT_KIND_MMIO ?
			 "Reserved(MMIO)" : "-");
		return buf;
	}
	fault_type_from_trace(f->error_code, f->vendor == FAULT_VENDOR_INTEL,
			      &a);
	if (fault_access_name(&a, f->kind == FAULT_KIND_MMIO, buf, len) < 0)
		snprintf(buf, len, "?");
	return buf;
}
