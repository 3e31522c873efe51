/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fault_type.h - decode the error code of a KVM second-level page fault.
 *
 * Two encodings reach us:
 *
 * 1. The x86 page-fault error code layout ("PFERR", see the PFERR_*
 *    masks in the kernel's arch/x86/include/asm/kvm_host.h).  On AMD
 *    (SVM) this is the #NPF EXITINFO1 that hardware reports and that
 *    kvm:kvm_page_fault records unchanged.  On Intel (VMX) KVM builds a
 *    value in this layout from the EPT violation exit qualification and
 *    passes it to kvm_mmu_page_fault() (it is struct
 *    kvm_page_fault.error_code), but it does NOT trace it.
 *
 * 2. The EPT violation exit qualification.  On VMX, handle_ept_violation()
 *    calls trace_kvm_page_fault(vcpu, gpa, exit_qualification): the
 *    error_code field of kvm:kvm_page_fault on Intel hosts is the raw exit
 *    qualification, as is info1 of the matching kvm:kvm_exit.  Decode it
 *    with fault_type_from_ept_qual(), or use fault_type_from_trace().
 *
 * An EPT misconfiguration (EXIT_REASON_EPT_MISCONFIG) is how KVM sees an
 * access to emulated MMIO on Intel: there is no kvm_page_fault event and
 * no access information; KVM calls kvm_mmu_page_fault() with just
 * PFERR_RSVD_MASK.  Report it with fault_access_name(a, true, ...) or by
 * decoding PFERR_RSVD with fault_type_from_pferr().
 *
 * ERROR_TYPE column (fault_access_name()), the rule:
 *   - exactly one access word: "Exec" if the access was an instruction
 *     fetch, else "Write" if it was a write, else "Read".  A read is never
 *     called "User": KVM sets PFERR_USER on every EPT read and AMD sets U
 *     on every nested page walk, so U says nothing about the access.
 *   - "+Present" when the entry existed and the access violated its
 *     permissions (P set, RSVD clear): e.g. a write to a page that is
 *     write-protected for dirty logging.  Not added when RSVD is set:
 *     hardware reports P=1 for reserved-bit faults only because the entry
 *     exists (KVM plants such entries to catch MMIO), so "Present" would
 *     wrongly suggest a protection fault.
 *   - "+Reserved(MMIO)" when RSVD is set or the caller knows the fault
 *     was MMIO (EPT misconfiguration, fault kind MMIO).
 *   Examples: 0x100000004 Read, 0x100000006 Write, 0x100000014 Exec,
 *   0x100000007 Write+Present, 0x10000000d Read+Reserved(MMIO),
 *   0x10000000f Write+Reserved(MMIO).
 */
#ifndef KVMMMU_FAULT_TYPE_H
#define KVMMMU_FAULT_TYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * x86 page-fault error code bits (kvm_host.h PFERR_*, trap_pf.h X86_PF_*).
 * Bits 31-36 are SEV-SNP #NPF bits; 48-49 are never set by hardware, KVM
 * adds them to the value it passes to kvm_mmu_page_fault().
 */
#define FT_PFERR_PRESENT	(1ULL << 0)	/* P: protection fault */
#define FT_PFERR_WRITE		(1ULL << 1)	/* W: write access */
#define FT_PFERR_USER		(1ULL << 2)	/* U: set on every #NPF */
#define FT_PFERR_RSVD		(1ULL << 3)	/* reserved bit in entry */
#define FT_PFERR_FETCH		(1ULL << 4)	/* instruction fetch */
#define FT_PFERR_PK		(1ULL << 5)	/* protection key */
#define FT_PFERR_SS		(1ULL << 6)	/* shadow-stack access */
#define FT_PFERR_SGX		(1ULL << 15)	/* SGX EPCM violation */
#define FT_PFERR_RMP		(1ULL << 31)	/* SNP RMP violation */
#define FT_PFERR_GUEST_FINAL	(1ULL << 32)	/* access to final GPA */
#define FT_PFERR_GUEST_PAGE	(1ULL << 33)	/* guest page-table walk */
#define FT_PFERR_GUEST_ENC	(1ULL << 34)	/* SNP encrypted access */
#define FT_PFERR_GUEST_SIZEM	(1ULL << 35)	/* SNP page size mismatch */
#define FT_PFERR_GUEST_VMPL	(1ULL << 36)	/* SNP VMPL violation */
#define FT_PFERR_IMPLICIT	(1ULL << 48)	/* KVM: implicit access */
#define FT_PFERR_PRIVATE	(1ULL << 49)	/* KVM: private (gmem) */

/*
 * EPT violation exit qualification bits (asm/vmx.h EPT_VIOLATION_*, Intel
 * SDM "Exit Qualification for EPT Violations").  Bit 6 is defined only
 * with mode-based execute control; bits 9-11 only when bits 7 and 8 are
 * set and the CPU reports advanced EPT violation information.
 */
#define FT_EPT_ACC_READ		(1ULL << 0)	/* data read */
#define FT_EPT_ACC_WRITE	(1ULL << 1)	/* data write */
#define FT_EPT_ACC_INSTR	(1ULL << 2)	/* instruction fetch */
#define FT_EPT_PROT_READ	(1ULL << 3)	/* entry readable */
#define FT_EPT_PROT_WRITE	(1ULL << 4)	/* entry writable */
#define FT_EPT_PROT_EXEC	(1ULL << 5)	/* entry executable */
#define FT_EPT_PROT_USER_EXEC	(1ULL << 6)	/* user-executable (MBEC) */
#define FT_EPT_GLA_VALID	(1ULL << 7)	/* linear address valid */
#define FT_EPT_GLA_TRANSLATED	(1ULL << 8)	/* final GPA, not a walk */
#define FT_EPT_GLA_USER		(1ULL << 9)	/* user-mode address */
#define FT_EPT_GLA_RW		(1ULL << 10)	/* writable address */
#define FT_EPT_GLA_XD		(1ULL << 11)	/* execute-disable */
#define FT_EPT_NMI_UNBLOCK	(1ULL << 12)	/* NMI unblocked by IRET */
#define FT_EPT_SHADOW_STACK	(1ULL << 13)	/* shadow-stack access */
#define FT_EPT_SSS		(1ULL << 14)	/* supervisor shadow stack */
#define FT_EPT_PAGING_VERIFY	(1ULL << 15)	/* guest-paging verify */
#define FT_EPT_ASYNC		(1ULL << 16)	/* async to instructions */

/* Which encoding a struct fault_access was decoded from. */
enum fault_access_src {
	FAULT_SRC_PFERR,	/* x86 page-fault error code layout */
	FAULT_SRC_EPT_QUAL,	/* Intel EPT violation exit qualification */
};

/**
 * struct fault_access - one decoded fault error code
 * @raw:		the value that was decoded
 * @src:		its encoding
 * @unknown:		set bits of @raw this decoder has no name for
 * @read:		data read (neither write nor fetch for PFERR)
 * @write:		data write
 * @fetch:		instruction fetch
 * @present:		the entry was present (PFERR P, or any EPT R/W/X bit)
 * @user:		PFERR U; for an EPT qualification, the advanced-info
 *			user-mode bit (9)
 * @rsvd:		reserved bit set in the entry (MMIO on KVM)
 * @pk:			protection-key violation
 * @shadow_stack:	shadow-stack access
 * @sgx:		SGX EPCM violation
 * @rmp:		SEV-SNP RMP violation
 * @guest_final:	access to the final guest physical address
 * @guest_page:		access to a guest page-table entry during a walk
 * @enc:		SEV-SNP encrypted access
 * @sizem:		SEV-SNP RMP page size mismatch
 * @vmpl:		SEV-SNP VMPL permission violation
 * @implicit:		KVM-synthetic implicit supervisor access
 * @private_access:	KVM-synthetic private (guest_memfd) access
 * @readable:		EPT qual: entry readable (bit 3)
 * @writable:		EPT qual: entry writable (bit 4)
 * @executable:		EPT qual: entry executable (bit 5)
 * @user_executable:	EPT qual: user-executable (bit 6, MBEC only)
 * @gla_valid:		EPT qual: guest linear address valid (bit 7)
 * @gla_rw:		EPT qual: advanced info, linear address writable
 * @gla_xd:		EPT qual: advanced info, linear address execute-disable
 * @nmi_unblock:	EPT qual: NMI unblocking due to IRET
 * @sss:		EPT qual: supervisor shadow-stack EPT entry
 * @paging_verify:	EPT qual: guest-paging verification
 * @async:		EPT qual: access asynchronous to instruction execution
 */
struct fault_access {
	uint64_t raw;
	enum fault_access_src src;
	uint64_t unknown;
	bool read;
	bool write;
	bool fetch;
	bool present;
	bool user;
	bool rsvd;
	bool pk;
	bool shadow_stack;
	bool sgx;
	bool rmp;
	bool guest_final;
	bool guest_page;
	bool enc;
	bool sizem;
	bool vmpl;
	bool implicit;
	bool private_access;
	bool readable;
	bool writable;
	bool executable;
	bool user_executable;
	bool gla_valid;
	bool gla_rw;
	bool gla_xd;
	bool nmi_unblock;
	bool sss;
	bool paging_verify;
	bool async;
};

/**
 * fault_type_from_pferr() - decode an error code in the x86 PFERR layout
 * @error_code:	kvm_page_fault.error_code on AMD (the #NPF EXITINFO1), or
 *		the value KVM passes to kvm_mmu_page_fault() on either vendor
 * @out:	decoded result
 *
 * Return: 0, or -EINVAL when @out is NULL.
 */
int fault_type_from_pferr(uint64_t error_code, struct fault_access *out);

/**
 * fault_type_from_ept_qual() - decode an EPT violation exit qualification
 * @qual:	kvm_page_fault.error_code on Intel, or kvm_exit info1 for an
 *		EPT violation exit
 * @out:	decoded result
 *
 * Besides the raw qualification bits this fills in the fields KVM derives
 * for its PFERR code (__vmx_handle_ept_violation()): @present from any of
 * the R/W/X permission bits (bit 6 is ignored, as KVM does, because it is
 * undefined without MBEC), and @guest_final / @guest_page from bit 8 when
 * bit 7 says the linear address is valid.
 *
 * Return: 0, or -EINVAL when @out is NULL.
 */
int fault_type_from_ept_qual(uint64_t qual, struct fault_access *out);

/**
 * fault_type_from_trace() - decode kvm:kvm_page_fault's error_code
 * @error_code:	the event's error_code field
 * @intel:	true on a VMX host (the field is the EPT exit qualification),
 *		false on SVM (the field is the #NPF error code)
 * @out:	decoded result
 *
 * Return: 0, or -EINVAL when @out is NULL.
 */
int fault_type_from_trace(uint64_t error_code, bool intel,
			  struct fault_access *out);

/**
 * fault_type_pferr_from_ept_qual() - the PFERR code KVM builds on VMX
 * @qual:	EPT violation exit qualification
 *
 * Mirrors __vmx_handle_ept_violation(): read -> PFERR_USER, write ->
 * PFERR_WRITE, fetch -> PFERR_FETCH, any R/W/X permission -> PFERR_PRESENT,
 * and, when the linear address is valid, bit 8 -> PFERR_GUEST_FINAL or
 * PFERR_GUEST_PAGE.  (TDX private accesses also get PFERR_PRIVATE, which
 * cannot be seen from the qualification.)
 *
 * Return: the error code KVM passes to kvm_mmu_page_fault().
 */
uint64_t fault_type_pferr_from_ept_qual(uint64_t qual);

/**
 * fault_access_name() - the ERROR_TYPE column for a decoded fault
 * @a:		decoded fault
 * @mmio:	true when the fault is known to be MMIO even if RSVD is clear
 * @buf:	output, always NUL-terminated when @len > 0
 * @len:	size of @buf
 *
 * See the rule at the top of this header.
 *
 * Return: length of the name, -EINVAL on NULL arguments or @len == 0,
 * -ENOSPC if the name was truncated.
 */
int fault_access_name(const struct fault_access *a, bool mmio,
		      char *buf, size_t len);

/**
 * fault_access_flags() - every set flag, for tree and JSON views
 * @a:		decoded fault
 * @buf:	output, always NUL-terminated when @len > 0
 * @len:	size of @buf
 *
 * PFERR codes give names from "P|W|U|RSVD|F|PK|SS|SGX|RMP|GUEST_FINAL|
 * GUEST_PAGE|ENC|SIZEM|VMPL|IMPLICIT|PRIVATE"; EPT qualifications from
 * "R|W|X|EPT_R|EPT_W|EPT_X|EPT_UX|GLA_VALID|GUEST_FINAL|GUEST_PAGE|
 * GLA_USER|GLA_RW|GLA_XD|NMI_UNBLOCK|SS|SSS|PGV|ASYNC".  Bits without a
 * name are appended as one hex value ("P|W|0x400000").  No bits set gives
 * the empty string.
 *
 * Return: length of the string, -EINVAL on NULL arguments or @len == 0,
 * -ENOSPC if it was truncated.
 */
int fault_access_flags(const struct fault_access *a, char *buf, size_t len);

#endif /* KVMMMU_FAULT_TYPE_H */
