// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vendor.c - which hardware virtualization a fault came from.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "vendor.h"

const char *vendor_name(enum fault_vendor v)
{
	return v == FAULT_VENDOR_INTEL ? "Intel" :
	       v == FAULT_VENDOR_AMD ? "AMD" : "unknown";
}

int vendor_parse(const char *word, enum fault_vendor *out)
{
	if (!strcasecmp(word, "amd"))
		*out = FAULT_VENDOR_AMD;
	else if (!strcasecmp(word, "intel"))
		*out = FAULT_VENDOR_INTEL;
	else
		return -EINVAL;
	return 0;
}

enum fault_vendor vendor_of_kallsyms_line(const char *line)
{
	if (strstr(line, "[kvm_amd]") || strstr(line, " svm_vcpu_run"))
		return FAULT_VENDOR_AMD;
	if (strstr(line, "[kvm_intel]") || strstr(line, " vmx_vcpu_run"))
		return FAULT_VENDOR_INTEL;
	return FAULT_VENDOR_UNKNOWN;
}

static enum fault_vendor vendor_of_cpuinfo(void)
{
	enum fault_vendor v = FAULT_VENDOR_UNKNOWN;
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "re");

	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "vendor_id", 9))
			continue;
		if (strstr(line, "GenuineIntel"))
			v = FAULT_VENDOR_INTEL;
		else if (strstr(line, "AuthenticAMD") ||
			 strstr(line, "HygonGenuine"))
			v = FAULT_VENDOR_AMD;
		break;
	}
	if (f)
		fclose(f);
	return v;
}

enum fault_vendor vendor_of_host(char *why, size_t len)
{
	enum fault_vendor v = FAULT_VENDOR_UNKNOWN;
	const char *from = "loaded kvm module";

	/* The loaded module decides how KVM reports faults (Hygon runs SVM). */
	if (!access("/sys/module/kvm_amd", F_OK))
		v = FAULT_VENDOR_AMD;
	else if (!access("/sys/module/kvm_intel", F_OK))
		v = FAULT_VENDOR_INTEL;
	if (v == FAULT_VENDOR_UNKNOWN) {
		v = vendor_of_cpuinfo();
		from = v ? "/proc/cpuinfo" : "no vendor module, no vendor_id";
	}
	if (why)
		snprintf(why, len, "%s", from);
	return v;
}
