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

	if (f->origin != FAULT_ORIGIN_GUEST) {	/* no error code: no exit */
		snprintf(buf, len, "%s", fault_origin_name(f->origin));
		return buf;
	}
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

/* Length of the valid UTF-8 sequence at @s, 0 if it is not one. */
static int utf8_len(const unsigned char *s)
{
	int n, i;

	if (s[0] < 0x80)
		return 1;
	n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 :
	    s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

void view_json_string(FILE *out, const char *s)
{
	const unsigned char *c = (const unsigned char *)s;
	int n;

	fputc('"', out);
	while (*c) {
		n = utf8_len(c);
		if (*c == '"' || *c == '\\')
			fprintf(out, "\\%c", *c);
		else if (*c < 0x20 || !n)
			fprintf(out, "\\u%04x", *c);
		else
			fwrite(c, 1, (size_t)n, out);
		c += n ? n : 1;
	}
	fputc('"', out);
}
