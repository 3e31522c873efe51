/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vendor.h - which hardware virtualization a fault came from: it decides
 * how a kvm_page_fault error_code is decoded (AMD NPF exit info 1 or
 * Intel EPT violation exit qualification).
 */
#ifndef KVMMMU_VENDOR_H
#define KVMMMU_VENDOR_H

#include <stddef.h>

enum fault_vendor {
	FAULT_VENDOR_UNKNOWN,
	FAULT_VENDOR_AMD,	/* error_code = NPF exit info 1 */
	FAULT_VENDOR_INTEL,	/* error_code = EPT violation exit qualification */
};

/* "AMD", "Intel" or "unknown". */
const char *vendor_name(enum fault_vendor v);

/* "amd" / "intel" (any case) into @out; 0, or -EINVAL for another word. */
int vendor_parse(const char *word, enum fault_vendor *out);

/* The vendor a kallsyms line names (kvm_amd / kvm_intel symbols), or UNKNOWN. */
enum fault_vendor vendor_of_kallsyms_line(const char *line);

/**
 * vendor_of_host() - the vendor of this machine
 * @why:	where the answer came from ("/proc/cpuinfo", "loaded kvm module")
 * @len:	size of @why
 *
 * Which of kvm_amd / kvm_intel is loaded, else /proc/cpuinfo's vendor_id. Return: the vendor, FAULT_VENDOR_UNKNOWN if neither says.
 */
enum fault_vendor vendor_of_host(char *why, size_t len);

#endif /* KVMMMU_VENDOR_H */
