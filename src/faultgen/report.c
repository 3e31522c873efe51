// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report.c - write the result as one JSON object
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "faultgen.h"
#include "json.h"
#include "layout.h"
#include "report.h"

static void fg_report_scenario(struct fg_json *j, const struct fg_opts *o)
{
	fg_json_begin_object(j, "scenario");
	fg_json_u64(j, "pages", o->pages);
	fg_json_u64(j, "pages2", o->pages2);
	fg_json_hex(j, "slot2_gpa", o->slot2_gpa);
	fg_json_string(j, "access", fg_access_name(o->access));
	fg_json_u64(j, "mmio", o->mmio);
	fg_json_hex(j, "mmio_gpa", o->mmio_gpa);
	fg_json_bool(j, "dirty_log", o->dirty_log);
	fg_json_u64(j, "rewrites", o->rewrites);
	fg_json_u64(j, "vcpus", o->vcpus);
	fg_json_bool(j, "hugepages", o->hugepages);
	fg_json_string(j, "backing", fg_backing_name(o->backing));
	fg_json_bool(j, "populate", o->populate);
	fg_json_u64(j, "prefault", o->prefault);
	fg_json_bool(j, "userfault", o->userfault);
	fg_json_string(j, "wait_file", o->wait_file);
	fg_json_string(j, "rewrite_wait_file", o->rewrite_wait_file);
	fg_json_bool(j, "wait_signal", o->wait_signal);
	fg_json_string(j, "json", o->json_path);
	fg_json_end_object(j);
}

/**
 * fg_thp_setting() - the selected value of a transparent_hugepage file
 * @file: name under /sys/kernel/mm/transparent_hugepage
 * @buf: result buffer
 * @len: its size
 *
 * The file reads "always [madvise] never"; the bracketed word is chosen.
 * Return: @buf, or NULL if the file is missing or has no bracketed word.
 */
static const char *fg_thp_setting(const char *file, char *buf, size_t len)
{
	char path[128], line[256], *lb, *rb;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/mm/transparent_hugepage/%s",
		 file);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	lb = strchr(line, '[');
	rb = lb ? strchr(lb, ']') : NULL;
	if (!rb || (size_t)(rb - lb) > len)
		return NULL;
	memcpy(buf, lb + 1, rb - lb - 1);
	buf[rb - lb - 1] = '\0';
	return buf;
}

static void fg_report_thp(struct fg_json *j)
{
	char buf[32];

	fg_json_begin_object(j, "thp");
	fg_json_string(j, "enabled", fg_thp_setting("enabled", buf,
						     sizeof(buf)));
	fg_json_string(j, "shmem_enabled",
		       fg_thp_setting("shmem_enabled", buf, sizeof(buf)));
	fg_json_end_object(j);
}

static void fg_report_slots(struct fg_json *j, const struct fg_vm *vm)
{
	const struct fg_slot *s;
	unsigned int i;

	fg_json_begin_array(j, "slots");
	for (i = 0; i < FG_NR_SLOTS; i++) {
		s = &vm->slots[i];
		if (!s->used)
			continue;
		fg_json_begin_object(j, NULL);
		fg_json_u64(j, "id", s->id);
		fg_json_hex(j, "gpa", s->gpa);
		fg_json_u64(j, "size", s->size);
		fg_json_hex(j, "hva", (uintptr_t)s->hva);
		fg_json_u64(j, "flags", s->flags);
		fg_json_string(j, "backing", fg_backing_name(s->backing));
		fg_json_string(j, "populated",
			       fg_populated_name(s->populated));
		fg_json_end_object(j);
	}
	fg_json_end_array(j);
}

static void fg_report_touch(struct fg_json *j, unsigned int slot,
			    unsigned int vcpu, uint64_t gpa, uint64_t pages,
			    const char *access, uint64_t pass)
{
	fg_json_begin_object(j, NULL);
	fg_json_u64(j, "slot", slot);
	fg_json_u64(j, "vcpu", vcpu);
	fg_json_hex(j, "gpa_first", gpa);
	fg_json_u64(j, "pages", pages);
	fg_json_string(j, "access", access);
	fg_json_u64(j, "pass", pass);
	fg_json_end_object(j);
}

/**
 * fg_report_touched() - every guest page range the guest accessed
 * @j: writer
 * @o: options
 *
 * Slot 0 entries are the guest's own code page (fetched) and, for
 * --access exec only, its stack page (written by call). Pass 0 entries
 * (access "prefault") are the pages KVM mapped ahead with --prefault.
 */
static void fg_report_touched(struct fg_json *j, const struct fg_opts *o)
{
	const char *access = fg_access_name(o->access);
	uint64_t pass;
	unsigned int i;

	fg_json_begin_array(j, "touched");
	for (i = 0; i < o->vcpus; i++) {
		fg_report_touch(j, 0, i, fg_vcpu_code_gpa(i), 1, "exec", 1);
		if (o->access == FG_ACCESS_EXEC)
			fg_report_touch(j, 0, i, fg_vcpu_stack_gpa(i), 1,
					"write", 1);
		fg_report_touch(j, 1, i, fg_vcpu_slot1_gpa(o, i), o->pages,
				access, 1);
	}
	for (i = 0; o->prefault && i < o->vcpus; i++)	/* KVM, before pass 1 */
		fg_report_touch(j, 1, i, fg_vcpu_slot1_gpa(o, i), o->prefault,
				"prefault", 0);
	if (o->pages2)
		fg_report_touch(j, 2, 0, o->slot2_gpa, o->pages2, access, 1);
	for (pass = 2; o->dirty_log && pass < 2 + o->rewrites; pass++) {
		for (i = 0; i < o->vcpus; i++)
			fg_report_touch(j, 1, i, fg_vcpu_slot1_gpa(o, i),
					o->pages, "write", pass);
	}
	fg_json_end_array(j);
}

static void fg_report_mmio(struct fg_json *j, const struct fg_run *r)
{
	uint64_t reads = 0, writes = 0;
	unsigned int i;

	for (i = 0; i < r->nr_vcpus; i++) {
		reads += r->vcpus[i].mmio_reads;
		writes += r->vcpus[i].mmio_writes;
	}
	fg_json_begin_object(j, "mmio");
	fg_json_hex(j, "gpa", r->opts->mmio_gpa);
	fg_json_u64(j, "reads", r->opts->mmio);
	fg_json_u64(j, "writes", r->opts->mmio);
	fg_json_u64(j, "exits_served", reads + writes);
	fg_json_u64(j, "read_exits", reads);
	fg_json_u64(j, "write_exits", writes);
	fg_json_end_object(j);
}

static void fg_report_pfns(struct fg_json *j, const struct fg_result *res)
{
	const struct fg_pfn *p;
	unsigned int i;

	fg_json_begin_array(j, "pfns");
	for (i = 0; i < res->nr_pfns; i++) {
		p = &res->pfns[i];
		fg_json_begin_object(j, NULL);
		fg_json_u64(j, "slot", p->slot);
		fg_json_hex(j, "gpa", p->gpa);
		fg_json_hex(j, "hva", p->hva);
		if (p->valid)
			fg_json_hex(j, "pfn", p->pfn);
		else
			fg_json_null(j, "pfn");
		fg_json_end_object(j);
	}
	fg_json_end_array(j);
}

static void fg_report_stats(struct fg_json *j, const char *key,
			    const char *const *names, unsigned int n,
			    const struct fg_stat *stats)
{
	unsigned int i;

	fg_json_begin_object(j, key);
	for (i = 0; i < n; i++) {
		if (stats[i].present)
			fg_json_u64(j, names[i], stats[i].value);
		else
			fg_json_null(j, names[i]);
	}
	fg_json_end_object(j);
}

/* vCPU stats summed; a stat missing on any vCPU is null */
static void fg_report_vcpu_stats(struct fg_json *j, const struct fg_run *r,
				 const struct fg_result *res)
{
	struct fg_stat sum[FG_NR_VCPU_STATS];
	unsigned int i, k;

	for (k = 0; k < FG_NR_VCPU_STATS; k++) {
		sum[k].present = true;
		sum[k].value = 0;
		for (i = 0; i < r->nr_vcpus; i++) {
			sum[k].present &= res->vcpu_stats[i][k].present;
			sum[k].value += res->vcpu_stats[i][k].value;
		}
	}
	fg_report_stats(j, "kvm_stats", fg_vcpu_stat_names, FG_NR_VCPU_STATS,
			sum);
	fg_json_begin_array(j, "kvm_stats_per_vcpu");
	for (i = 0; i < r->nr_vcpus; i++)
		fg_report_stats(j, NULL, fg_vcpu_stat_names, FG_NR_VCPU_STATS,
				res->vcpu_stats[i]);
	fg_json_end_array(j);
}

/**
 * fg_report_write() - write the result JSON object and a newline
 * @f: output stream
 * @r: the finished run
 * @res: measurements
 *
 * Return: 0 on success, -1 if writing failed (errno set).
 */
int fg_report_write(FILE *f, const struct fg_run *r,
		    const struct fg_result *res)
{
	const struct fg_opts *o = r->opts;
	struct fg_json j;
	unsigned int i;

	fg_json_init(&j, f);
	fg_json_begin_object(&j, NULL);
	fg_json_string(&j, "version", FG_VERSION);
	fg_report_scenario(&j, o);
	fg_json_u64(&j, "pid", getpid());
	fg_json_begin_array(&j, "vcpu_tids");
	for (i = 0; i < r->nr_vcpus; i++)
		fg_json_u64(&j, NULL, r->vcpus[i].tid);
	fg_json_end_array(&j);
	fg_report_slots(&j, r->vm);
	fg_report_touched(&j, o);
	fg_report_mmio(&j, r);
	fg_report_thp(&j);
	if (o->dirty_log) {
		fg_json_u64(&j, "dirty_pages", res->dirty_pages);
		fg_json_begin_array(&j, "dirty_pages_per_round");
		for (i = 0; i < o->rewrites; i++)
			fg_json_u64(&j, NULL, r->dirty_rounds[i]);
		fg_json_end_array(&j);
	} else {
		fg_json_null(&j, "dirty_pages");
		fg_json_null(&j, "dirty_pages_per_round");
	}
	if (o->userfault)
		fg_json_u64(&j, "userfault_pages_served", res->userfault_served);
	else
		fg_json_null(&j, "userfault_pages_served");
	fg_report_pfns(&j, res);
	fg_report_vcpu_stats(&j, r, res);
	fg_report_stats(&j, "vm_stats", fg_vm_stat_names, FG_NR_VM_STATS,
			res->vm_stats);
	fg_json_end_object(&j);
	fputc('\n', f);
	return fflush(f) || ferror(f) ? -1 : 0;
}
