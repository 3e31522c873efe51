// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kvm_stats.c - parse the binary stats file of a VM or vCPU
 *
 * Layout (Documentation/virt/kvm/api.rst, KVM_GET_STATS_FD): a header,
 * then num_desc descriptors of sizeof(struct kvm_stats_desc) + name_size
 * bytes each, the NUL-terminated name following the fixed part; the value
 * of a descriptor is at data_offset + desc->offset.  Stats are looked up by
 * name only: their order differs between kernels.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "faultgen.h"
#include "kvm_stats.h"

const char *const fg_vcpu_stat_names[FG_NR_VCPU_STATS] = {
	"pf_taken", "pf_fixed", "pf_fast", "pf_emulate", "pf_spurious",
	"pf_mmio_spte_created", "pf_guest", "exits", "mmio_exits",
};

const char *const fg_vm_stat_names[FG_NR_VM_STATS] = {
	"mmu_shadow_zapped", "mmu_pte_write", "mmu_cache_miss",
	"remote_tlb_flush", "nx_lpage_splits",
	"pages_4k", "pages_2m", "pages_1g",
};

/* Sanity limits against a malformed file. */
#define FG_STATS_MAX_DESC	4096
#define FG_STATS_MAX_NAME	4096

struct fg_stats_file {
	int fd;
	struct kvm_stats_header hdr;
	size_t desc_size;	/* one descriptor including its name */
	char *descs;
};

static struct kvm_stats_desc *fg_stats_desc(struct fg_stats_file *f,
					    unsigned int i)
{
	return (struct kvm_stats_desc *)(f->descs + i * f->desc_size);
}

static int fg_stats_load(struct fg_stats_file *f)
{
	size_t len;

	if (pread(f->fd, &f->hdr, sizeof(f->hdr), 0) != sizeof(f->hdr))
		return -1;
	if (!f->hdr.num_desc || f->hdr.num_desc > FG_STATS_MAX_DESC ||
	    !f->hdr.name_size || f->hdr.name_size > FG_STATS_MAX_NAME)
		return -1;
	f->desc_size = sizeof(struct kvm_stats_desc) + f->hdr.name_size;
	len = f->desc_size * f->hdr.num_desc;
	f->descs = malloc(len);
	if (!f->descs)
		return -1;
	if (pread(f->fd, f->descs, len, f->hdr.desc_offset) != (ssize_t)len)
		return -1;
	return 0;
}

/**
 * fg_stats_lookup() - read the first value of the stat called @name
 * @f: loaded stats file
 * @name: stat name, e.g. "pf_taken"
 * @out: result; present is false if the kernel has no such stat
 */
static void fg_stats_lookup(struct fg_stats_file *f, const char *name,
			    struct fg_stat *out)
{
	struct kvm_stats_desc *d;
	unsigned int i;
	off_t off;

	out->present = false;
	out->value = 0;
	for (i = 0; i < f->hdr.num_desc; i++) {
		d = fg_stats_desc(f, i);
		if (d->size == 0 || strncmp(d->name, name, f->hdr.name_size))
			continue;
		off = (off_t)f->hdr.data_offset + d->offset;
		if (pread(f->fd, &out->value, sizeof(out->value), off) ==
		    sizeof(out->value))
			out->present = true;
		return;
	}
}

/**
 * fg_stats_read() - look up several stats of a VM or vCPU by name
 * @kvm_obj_fd: VM or vCPU file descriptor
 * @names: stat names
 * @n: number of names
 * @out: one result per name; all absent if binary stats are unsupported
 *
 * Return: 0 if the stats file was read, -1 if it is unavailable.
 */
int fg_stats_read(int kvm_obj_fd, const char *const *names, unsigned int n,
		  struct fg_stat *out)
{
	struct fg_stats_file f = { .descs = NULL };
	unsigned int i;
	int ret;

	memset(out, 0, n * sizeof(*out));
	f.fd = ioctl(kvm_obj_fd, KVM_GET_STATS_FD, NULL);
	if (f.fd < 0)
		return -1;
	ret = fg_stats_load(&f);
	for (i = 0; i < n && !ret; i++)
		fg_stats_lookup(&f, names[i], &out[i]);
	free(f.descs);
	close(f.fd);
	return ret;
}
