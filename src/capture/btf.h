/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * btf.h - struct member offsets from the kernel's BTF, without libbpf.
 *
 * Reads raw BTF as the kernel exports it: /sys/kernel/btf/vmlinux (base)
 * and /sys/kernel/btf/<module> (split BTF: its type ids continue after the
 * base's last id and its string offsets continue after the base's string
 * section).  Only what is needed to find where a member lives in a struct
 * is implemented.  Every read is bounded by the file size; corrupt input
 * makes btf_load() fail with EINVAL or a lookup return -EINVAL.
 *
 *	struct btf *vmlinux = btf_load("/sys/kernel/btf/vmlinux", NULL);
 *	struct btf *kvm = btf_load("/sys/kernel/btf/kvm", vmlinux);
 *	unsigned int off, size;
 *	btf_member_offset(kvm ? kvm : vmlinux, "kvm_page_fault", "gfn",
 *			  &off, &size);
 *	btf_free(kvm);
 *	btf_free(vmlinux);
 */
#ifndef KVMMMU_BTF_H
#define KVMMMU_BTF_H

#include <stddef.h>

struct btf;

/**
 * btf_load() - read and index a raw BTF file
 * @path:	file to read, e.g. "/sys/kernel/btf/vmlinux"
 * @base:	the base BTF when @path is split (module) BTF, else NULL.
 *		It must stay loaded while the returned object is used.
 *
 * Return: the loaded BTF, or NULL with errno set: EINVAL for bad magic,
 * unsupported version, truncated or inconsistent sections and unknown
 * type kinds, ENOMEM, or the errno of open()/read().
 */
struct btf *btf_load(const char *path, const struct btf *base);

/**
 * btf_load_mem() - index raw BTF held in memory
 * @data:	BTF bytes (copied; the caller keeps ownership)
 * @size:	number of bytes at @data
 * @base:	base BTF for split BTF, else NULL
 *
 * Return: as btf_load().
 */
struct btf *btf_load_mem(const void *data, size_t size,
			 const struct btf *base);

/**
 * btf_free() - release a BTF object
 * @btf:	object from btf_load(), or NULL
 *
 * Free split BTF before its base.
 */
void btf_free(struct btf *btf);

/**
 * btf_member_offset() - where a member lives in a named struct
 * @btf:		BTF to search (split BTF first, then its base)
 * @struct_name:	struct (or union) name without the "struct " prefix
 * @member:		member name; members of anonymous struct/union
 *			members are found too and their offsets added
 * @byte_offset:	output, offset of the member from the start of the
 *			struct; may be NULL
 * @byte_size:		output, size of the member's type after resolving
 *			typedefs and qualifiers (8 for a pointer on 64-bit);
 *			may be NULL
 *
 * Return: 0; -ENOENT when the struct or member does not exist; -EINVAL
 * for NULL @btf/@struct_name/@member, a bitfield member, a member whose
 * size cannot be known (void, function, forward declaration) or corrupt
 * type information.
 */
int btf_member_offset(const struct btf *btf, const char *struct_name,
		      const char *member, unsigned int *byte_offset,
		      unsigned int *byte_size);

#endif /* KVMMMU_BTF_H */
