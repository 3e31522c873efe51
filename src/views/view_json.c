// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view_json.c - --json: one JSON object per fault (JSON Lines), then one
 * summary object; with --summary-only just the summary object.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "fault_cause.h"
#include "findings.h"
#include "profile.h"
#include "view.h"

struct json {
	const struct view_options *o;
	struct summary *summary;
	struct findings *findings;
};

static bool json_wanted(const struct view_options *o)
{
	return o->json;
}

static void json_close(void *state)
{
	struct json *j = state;

	if (!j)
		return;
	summary_free(j->summary);
	findings_free(j->findings);
	free(j);
}

static void *json_open(const struct view_options *o, char *err, size_t errlen)
{
	struct json *j = calloc(1, sizeof(*j));

	if (j) {
		j->summary = summary_new(o->prof);
		j->findings = findings_new(o->prof);
	}
	if (!j || !j->summary || !j->findings) {
		json_close(j);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	j->o = o;
	return j;
}

static void hex_or_null(FILE *out, const char *key, uint64_t v)
{
	if (v == FAULT_UNKNOWN)
		fprintf(out, ",\"%s\":null", key);
	else
		fprintf(out, ",\"%s\":\"0x%" PRIx64 "\"", key, v);
}

static void put_phases(const struct json *j, const struct fault *f)
{
	unsigned int nr = profile_nr_phases(j->o->prof), i, n = 0;
	uint64_t ns[PROFILE_MAX_PHASES];
	unsigned char seen[PROFILE_MAX_PHASES];
	FILE *out = j->o->out;

	fputs(",\"phases\":{", out);
	if (f->has_tree) {
		fault_phase_times(f, nr, ns, seen);
		for (i = 0; i < nr; i++)
			if (seen[i])
				fprintf(out, "%s\"%s\":%" PRIu64, n++ ? "," : "",
					profile_phase_name(j->o->prof, i), ns[i]);
	}
	fputc('}', out);
}

static void put_fault(const struct json *j, const struct fault *f)
{
	char type[64];
	FILE *o = j->o->out;

	fprintf(o, "{\"ts_ns\":%" PRIu64 ",\"cpu\":%d,\"pid\":%d,\"tid\":%d,"
		"\"comm\":", f->ts_ns, f->cpu, f->pid, f->tid);
	view_json_string(o, f->comm);
	if (f->vcpu < 0)
		fputs(",\"vcpu\":null", o);
	else
		fprintf(o, ",\"vcpu\":%d", f->vcpu);
	hex_or_null(o, "gpa", f->gpa);
	fprintf(o, ",\"error_code\":\"0x%" PRIx64 "\",\"error_type\":\"%s\","
		"\"kind\":\"%s\",\"mmio\":%s,\"delay_ns\":%" PRIu64
		",\"count\":%u", f->error_code,
		view_error_type(f, type, sizeof(type)), fault_kind_name(f->kind),
		f->kind == FAULT_KIND_MMIO ? "true" : "false",
		f->complete ? f->delay_ns : 0, f->count);
	fprintf(o, ",\"origin\":\"%s\"", fault_origin_name(f->origin));
	fprintf(o, ",\"cause\":\"%s\"", fault_cause_name(j->o->prof, f->cause));
	hex_or_null(o, "hva", f->hva);
	hex_or_null(o, "pfn", f->pfn);
	if (f->memslot < 0)
		fputs(",\"memslot\":null", o);
	else
		fprintf(o, ",\"memslot\":%d", f->memslot);
	put_phases(j, f);
	fprintf(o, ",\"complete\":%s}\n", f->complete ? "true" : "false");
}

static int json_add(void *state, const struct fault *f)
{
	struct json *j = state;

	summary_add(j->summary, f);
	findings_add(j->findings, f);
	if (j->o->summary_only)
		return 0;
	put_fault(j, f);
	return ferror(j->o->out) ? -EIO : 0;
}

static int json_finish(void *state, const struct run_info *ri, char *err,
		       size_t errlen)
{
	struct json *j = state;

	summary_print_json(j->summary, ri, j->findings, j->o->out);
	if (fflush(j->o->out) || ferror(j->o->out)) {
		snprintf(err, errlen, "standard output: write error");
		return -EIO;
	}
	return 0;
}

const struct view_ops view_json = {
	.name = "json",
	.wanted = json_wanted,
	.open = json_open,
	.add_fault = json_add,
	.finish = json_finish,
	.close = json_close,
};
