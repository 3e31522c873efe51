// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_fault_type.c - decoding AMD #NPF error codes, Intel EPT violation
 * exit qualifications and the ERROR_TYPE / flags strings built from them.
 */
#define TEST_SUITE "fault_type"
#include <errno.h>

#include "testlib.h"
#include "fault_type.h"

static char name_buf[128];
static char flags_buf[256];

/* ERROR_TYPE of a PFERR-layout code (AMD kvm_page_fault). */
static const char *amd_name(uint64_t ec)
{
	struct fault_access a;

	if (fault_type_from_pferr(ec, &a) ||
	    fault_access_name(&a, false, name_buf, sizeof(name_buf)) < 0)
		return NULL;
	return name_buf;
}

/* ERROR_TYPE of an EPT qualification (Intel kvm_page_fault). */
static const char *intel_name(uint64_t qual)
{
	struct fault_access a;

	if (fault_type_from_ept_qual(qual, &a) ||
	    fault_access_name(&a, false, name_buf, sizeof(name_buf)) < 0)
		return NULL;
	return name_buf;
}

static const char *amd_flags(uint64_t ec)
{
	struct fault_access a;

	if (fault_type_from_pferr(ec, &a) ||
	    fault_access_flags(&a, flags_buf, sizeof(flags_buf)) < 0)
		return NULL;
	return flags_buf;
}

static const char *intel_flags(uint64_t qual)
{
	struct fault_access a;

	if (fault_type_from_ept_qual(qual, &a) ||
	    fault_access_flags(&a, flags_buf, sizeof(flags_buf)) < 0)
		return NULL;
	return flags_buf;
}

/* ---- AMD / PFERR layout, one bit at a time ---- */

TEST(pferr_bit0_is_present)
{
	struct fault_access a;

	fault_type_from_pferr(1ULL << 0, &a);
	CHECK(a.present);
	CHECK(!a.write && !a.fetch && !a.user && !a.rsvd);
	CHECK_STR(amd_flags(1ULL << 0), "P");
}

TEST(pferr_bit1_is_write)
{
	struct fault_access a;

	fault_type_from_pferr(1ULL << 1, &a);
	CHECK(a.write);
	CHECK(!a.read && !a.present);
	CHECK_STR(amd_flags(1ULL << 1), "W");
}

TEST(pferr_bit2_is_user)
{
	struct fault_access a;

	fault_type_from_pferr(1ULL << 2, &a);
	CHECK(a.user);
	CHECK(a.read);
	CHECK_STR(amd_flags(1ULL << 2), "U");
}

TEST(pferr_bit3_is_rsvd)
{
	struct fault_access a;

	fault_type_from_pferr(1ULL << 3, &a);
	CHECK(a.rsvd);
	CHECK_STR(amd_flags(1ULL << 3), "RSVD");
}

TEST(pferr_bit4_is_fetch)
{
	struct fault_access a;

	fault_type_from_pferr(1ULL << 4, &a);
	CHECK(a.fetch);
	CHECK(!a.read);
	CHECK_STR(amd_flags(1ULL << 4), "F");
}

TEST(pferr_bit5_is_protection_key)
{
	struct fault_access a;

	fault_type_from_pferr(1ULL << 5, &a);
	CHECK(a.pk);
	CHECK_STR(amd_flags(1ULL << 5), "PK");
}

TEST(pferr_bit6_is_shadow_stack)
{
	struct fault_access a;

	fault_type_from_pferr(1ULL << 6, &a);
	CHECK(a.shadow_stack);
	CHECK_STR(amd_flags(1ULL << 6), "SS");
}

TEST(pferr_bit15_is_sgx)
{
	struct fault_access a;

	fault_type_from_pferr(1ULL << 15, &a);
	CHECK(a.sgx);
	CHECK_STR(amd_flags(1ULL << 15), "SGX");
}

TEST(pferr_bit31_is_snp_rmp)
{
	struct fault_access a;

	fault_type_from_pferr(1ULL << 31, &a);
	CHECK(a.rmp);
	CHECK_STR(amd_flags(1ULL << 31), "RMP");
}

TEST(pferr_bit32_is_guest_final)
{
	struct fault_access a;

	fault_type_from_pferr(1ULL << 32, &a);
	CHECK(a.guest_final && !a.guest_page);
	CHECK_STR(amd_flags(1ULL << 32), "GUEST_FINAL");
}

TEST(pferr_bit33_is_guest_page_walk)
{
	struct fault_access a;

	fault_type_from_pferr(1ULL << 33, &a);
	CHECK(a.guest_page && !a.guest_final);
	CHECK_STR(amd_flags(1ULL << 33), "GUEST_PAGE");
}

TEST(pferr_bits34_to_36_are_snp_enc_sizem_vmpl)
{
	struct fault_access a;

	fault_type_from_pferr(7ULL << 34, &a);
	CHECK(a.enc && a.sizem && a.vmpl);
	CHECK_STR(amd_flags(7ULL << 34), "ENC|SIZEM|VMPL");
}

TEST(pferr_bits48_49_are_kvm_implicit_and_private)
{
	struct fault_access a;

	fault_type_from_pferr(3ULL << 48, &a);
	CHECK(a.implicit && a.private_access);
	CHECK_EQ(a.unknown, 0);
	CHECK_STR(amd_flags(3ULL << 48), "IMPLICIT|PRIVATE");
}

TEST(pferr_unnamed_bits_are_kept_as_hex)
{
	struct fault_access a;

	fault_type_from_pferr(0x100000006ULL | (1ULL << 20) | (1ULL << 40), &a);
	CHECK_EQ(a.unknown, (1ULL << 20) | (1ULL << 40));
	CHECK_STR(amd_flags(0x100000006ULL | (1ULL << 20)),
		  "W|U|GUEST_FINAL|0x100000");
}

TEST(pferr_zero_has_no_flags_and_is_a_read)
{
	struct fault_access a;

	fault_type_from_pferr(0, &a);
	CHECK(a.read);
	CHECK_STR(amd_flags(0), "");
	CHECK_STR(amd_name(0), "Read");
}

/* ---- AMD error codes as KVM reports them (U is set on every #NPF) ---- */

TEST(amd_read_of_unmapped_page_is_read_not_user)
{
	CHECK_STR(amd_name(0x100000004ULL), "Read");
	CHECK_STR(amd_flags(0x100000004ULL), "U|GUEST_FINAL");
}

TEST(amd_write_of_unmapped_page_is_write)
{
	CHECK_STR(amd_name(0x100000006ULL), "Write");
	CHECK_STR(amd_name(0x100000002ULL), "Write");
}

TEST(amd_write_to_write_protected_page_is_write_present)
{
	CHECK_STR(amd_name(0x100000007ULL), "Write+Present");
	CHECK_STR(amd_name(0x100000003ULL), "Write+Present");
	CHECK_STR(amd_flags(0x100000007ULL), "P|W|U|GUEST_FINAL");
}

TEST(amd_fetch_is_exec)
{
	CHECK_STR(amd_name(0x100000014ULL), "Exec");
	CHECK_STR(amd_name(0x100000010ULL), "Exec");
}

TEST(amd_fetch_wins_over_write)
{
	CHECK_STR(amd_name(0x100000016ULL), "Exec");
}

TEST(amd_fetch_from_present_nx_page_is_exec_present)
{
	CHECK_STR(amd_name(0x100000015ULL), "Exec+Present");
}

TEST(amd_mmio_write_is_reserved_without_present)
{
	CHECK_STR(amd_name(0x10000000fULL), "Write+Reserved(MMIO)");
	CHECK_STR(amd_flags(0x10000000fULL), "P|W|U|RSVD|GUEST_FINAL");
}

TEST(amd_mmio_read_is_read_reserved)
{
	CHECK_STR(amd_name(0x10000000dULL), "Read+Reserved(MMIO)");
}

TEST(amd_guest_page_table_walk_write_is_write)
{
	struct fault_access a;

	fault_type_from_pferr(0x200000006ULL, &a);
	CHECK(a.guest_page && !a.guest_final);
	CHECK_STR(amd_name(0x200000006ULL), "Write");
	CHECK_STR(amd_flags(0x200000006ULL), "W|U|GUEST_PAGE");
}

TEST(amd_snp_rmp_fault_decodes_upper_bits)
{
	uint64_t ec = 0x100000007ULL | FT_PFERR_RMP | FT_PFERR_GUEST_ENC;

	CHECK_STR(amd_flags(ec), "P|W|U|RMP|GUEST_FINAL|ENC");
	CHECK_STR(amd_name(ec), "Write+Present");
}

/* ---- Intel EPT violation exit qualification, one bit at a time ---- */

TEST(ept_bit0_is_read_access)
{
	struct fault_access a;

	fault_type_from_ept_qual(1ULL << 0, &a);
	CHECK(a.read && !a.write && !a.fetch && !a.present);
	CHECK_STR(intel_flags(1ULL << 0), "R");
}

TEST(ept_bit1_is_write_access)
{
	struct fault_access a;

	fault_type_from_ept_qual(1ULL << 1, &a);
	CHECK(a.write && !a.read);
	CHECK_STR(intel_flags(1ULL << 1), "W");
}

TEST(ept_bit2_is_fetch)
{
	struct fault_access a;

	fault_type_from_ept_qual(1ULL << 2, &a);
	CHECK(a.fetch);
	CHECK_STR(intel_flags(1ULL << 2), "X");
}

TEST(ept_bits3_to_5_are_permissions_and_make_present)
{
	struct fault_access a;

	fault_type_from_ept_qual(1ULL << 3, &a);
	CHECK(a.readable && !a.writable && !a.executable && a.present);
	fault_type_from_ept_qual(1ULL << 4, &a);
	CHECK(a.writable && a.present);
	fault_type_from_ept_qual(1ULL << 5, &a);
	CHECK(a.executable && a.present);
	CHECK_STR(intel_flags(7ULL << 3), "EPT_R|EPT_W|EPT_X");
}

TEST(ept_bit6_user_exec_alone_is_not_present)
{
	struct fault_access a;

	fault_type_from_ept_qual(1ULL << 6, &a);
	CHECK(a.user_executable);
	CHECK(!a.present);
	CHECK_STR(intel_flags(1ULL << 6), "EPT_UX");
}

TEST(ept_bit7_gla_valid_bit8_clear_is_guest_page_walk)
{
	struct fault_access a;

	fault_type_from_ept_qual(1ULL << 7, &a);
	CHECK(a.gla_valid && a.guest_page && !a.guest_final);
	CHECK_STR(intel_flags(1ULL << 7), "GLA_VALID|GUEST_PAGE");
}

TEST(ept_bit8_with_gla_valid_is_guest_final)
{
	struct fault_access a;

	fault_type_from_ept_qual(3ULL << 7, &a);
	CHECK(a.gla_valid && a.guest_final && !a.guest_page);
	CHECK_EQ(a.unknown, 0);
	CHECK_STR(intel_flags(3ULL << 7), "GLA_VALID|GUEST_FINAL");
}

TEST(ept_bit8_without_gla_valid_is_undefined)
{
	struct fault_access a;

	fault_type_from_ept_qual(1ULL << 8, &a);
	CHECK(!a.guest_final && !a.guest_page);
	CHECK_EQ(a.unknown, 1ULL << 8);
	CHECK_STR(intel_flags(1ULL << 8), "0x100");
}

TEST(ept_bits9_to_16_advanced_info_and_misc)
{
	struct fault_access a;

	fault_type_from_ept_qual(0x1fe00ULL, &a);
	CHECK(a.user && a.gla_rw && a.gla_xd && a.nmi_unblock);
	CHECK(a.shadow_stack && a.sss && a.paging_verify && a.async);
	CHECK_EQ(a.unknown, 0);
	CHECK_STR(intel_flags(0x1fe00ULL),
		  "GLA_USER|GLA_RW|GLA_XD|NMI_UNBLOCK|SS|SSS|PGV|ASYNC");
}

TEST(ept_reserved_high_bits_are_unknown)
{
	struct fault_access a;

	fault_type_from_ept_qual(0x182ULL | (1ULL << 40), &a);
	CHECK_EQ(a.unknown, 1ULL << 40);
}

/* ---- Constructed Intel qualifications ---- */

TEST(intel_read_of_unmapped_page_is_read)
{
	/* read, no permissions, GLA valid, final translation */
	CHECK_STR(intel_name(0x181ULL), "Read");
	CHECK_STR(intel_flags(0x181ULL), "R|GLA_VALID|GUEST_FINAL");
}

TEST(intel_write_of_unmapped_page_is_write)
{
	CHECK_STR(intel_name(0x182ULL), "Write");
}

TEST(intel_fetch_of_unmapped_page_is_exec)
{
	CHECK_STR(intel_name(0x184ULL), "Exec");
}

TEST(intel_write_to_read_only_present_page_is_write_present)
{
	/* write; entry readable + executable, not writable (dirty logging) */
	CHECK_STR(intel_name(0x1aaULL), "Write+Present");
	CHECK_STR(intel_flags(0x1aaULL),
		  "W|EPT_R|EPT_X|GLA_VALID|GUEST_FINAL");
}

TEST(intel_fetch_from_non_executable_page_is_exec_present)
{
	CHECK_STR(intel_name(0x18cULL), "Exec+Present");
}

TEST(intel_page_walk_access_is_guest_page)
{
	struct fault_access a;

	/* guest walker setting an A/D bit: write during the walk */
	fault_type_from_ept_qual(0x08aULL, &a);
	CHECK(a.guest_page && !a.guest_final);
	CHECK_STR(intel_name(0x08aULL), "Write+Present");
}

TEST(intel_tdx_private_fault_qual_is_plain_write)
{
	/* tdx_handle_ept_violation() traces EPT_VIOLATION_ACC_WRITE */
	CHECK_STR(intel_name(0x2ULL), "Write");
}

TEST(intel_ept_misconfig_is_read_reserved_mmio)
{
	struct fault_access a;

	/* KVM passes only PFERR_RSVD_MASK for an EPT misconfiguration */
	fault_type_from_pferr(FT_PFERR_RSVD, &a);
	fault_access_name(&a, false, name_buf, sizeof(name_buf));
	CHECK_STR(name_buf, "Read+Reserved(MMIO)");
}

TEST(mmio_flag_adds_reserved_without_rsvd_bit)
{
	struct fault_access a;

	fault_type_from_ept_qual(0x182ULL, &a);
	fault_access_name(&a, true, name_buf, sizeof(name_buf));
	CHECK_STR(name_buf, "Write+Reserved(MMIO)");
	fault_type_from_ept_qual(0x181ULL, &a);
	fault_access_name(&a, true, name_buf, sizeof(name_buf));
	CHECK_STR(name_buf, "Read+Reserved(MMIO)");
}

TEST(mmio_flag_keeps_present_when_rsvd_clear)
{
	struct fault_access a;

	/* write to a read-only memslot, emulated as MMIO */
	fault_type_from_pferr(0x100000007ULL, &a);
	fault_access_name(&a, true, name_buf, sizeof(name_buf));
	CHECK_STR(name_buf, "Write+Present+Reserved(MMIO)");
}

/* ---- KVM's PFERR code built from the qualification ---- */

TEST(kvm_pferr_from_qual_read_sets_user_bit)
{
	CHECK_EQ(fault_type_pferr_from_ept_qual(0x181ULL), 0x100000004ULL);
}

TEST(kvm_pferr_from_qual_write_and_fetch)
{
	CHECK_EQ(fault_type_pferr_from_ept_qual(0x182ULL), 0x100000002ULL);
	CHECK_EQ(fault_type_pferr_from_ept_qual(0x184ULL), 0x100000010ULL);
}

TEST(kvm_pferr_from_qual_present_from_any_permission)
{
	CHECK_EQ(fault_type_pferr_from_ept_qual(0x1aaULL), 0x100000003ULL);
	CHECK_EQ(fault_type_pferr_from_ept_qual(0x192ULL), 0x100000003ULL);
	/* bit 6 alone (MBEC user-exec) does not make it present */
	CHECK_EQ(fault_type_pferr_from_ept_qual(0x1c2ULL), 0x100000002ULL);
}

TEST(kvm_pferr_from_qual_walk_and_no_gla)
{
	CHECK_EQ(fault_type_pferr_from_ept_qual(0x08aULL), 0x200000003ULL);
	/* no valid GLA: neither GUEST_FINAL nor GUEST_PAGE */
	CHECK_EQ(fault_type_pferr_from_ept_qual(0x102ULL), 0x2ULL);
}

TEST(both_vendors_agree_on_the_name)
{
	static const uint64_t quals[] = {
		0x181, 0x182, 0x184, 0x1aa, 0x18c, 0x08a, 0x189, 0x19a,
	};
	char from_qual[64];
	struct fault_access a, b;
	size_t i;

	for (i = 0; i < sizeof(quals) / sizeof(quals[0]); i++) {
		fault_type_from_ept_qual(quals[i], &a);
		fault_type_from_pferr(fault_type_pferr_from_ept_qual(quals[i]),
				      &b);
		fault_access_name(&a, false, from_qual, sizeof(from_qual));
		fault_access_name(&b, false, name_buf, sizeof(name_buf));
		CHECK_STR(name_buf, from_qual);
		CHECK_EQ(a.guest_final, b.guest_final);
		CHECK_EQ(a.guest_page, b.guest_page);
	}
}

TEST(trace_decoder_picks_encoding_by_vendor)
{
	struct fault_access a;

	/* 0x181 is an Intel read; read as PFERR, bit 0 would mean present */
	fault_type_from_trace(0x181ULL, true, &a);
	CHECK_EQ(a.src, FAULT_SRC_EPT_QUAL);
	CHECK(a.read && !a.present);
	fault_type_from_trace(0x181ULL, false, &a);
	CHECK_EQ(a.src, FAULT_SRC_PFERR);
	CHECK(a.present);
}

/* ---- String output edge cases ---- */

TEST(name_reports_truncation_and_stays_terminated)
{
	struct fault_access a;
	char small[8];

	fault_type_from_pferr(0x10000000fULL, &a);
	CHECK_EQ(fault_access_name(&a, false, small, sizeof(small)), -ENOSPC);
	CHECK_STR(small, "Write+R");
	CHECK_EQ(fault_access_name(&a, false, name_buf, sizeof(name_buf)),
		 strlen("Write+Reserved(MMIO)"));
}

TEST(flags_report_truncation_and_stay_terminated)
{
	struct fault_access a;
	char small[6];

	fault_type_from_pferr(0x100000007ULL, &a);
	CHECK_EQ(fault_access_flags(&a, small, sizeof(small)), -ENOSPC);
	CHECK_STR(small, "P|W|U");
}

TEST(null_arguments_are_rejected)
{
	struct fault_access a;

	CHECK_EQ(fault_type_from_pferr(0, NULL), -EINVAL);
	CHECK_EQ(fault_type_from_ept_qual(0, NULL), -EINVAL);
	fault_type_from_pferr(0, &a);
	CHECK_EQ(fault_access_name(NULL, false, name_buf, 8), -EINVAL);
	CHECK_EQ(fault_access_name(&a, false, NULL, 8), -EINVAL);
	CHECK_EQ(fault_access_name(&a, false, name_buf, 0), -EINVAL);
	CHECK_EQ(fault_access_flags(&a, NULL, 8), -EINVAL);
	CHECK_EQ(fault_access_flags(NULL, flags_buf, 8), -EINVAL);
}

int main(void)
{
	RUN(pferr_bit0_is_present);
	RUN(pferr_bit1_is_write);
	RUN(pferr_bit2_is_user);
	RUN(pferr_bit3_is_rsvd);
	RUN(pferr_bit4_is_fetch);
	RUN(pferr_bit5_is_protection_key);
	RUN(pferr_bit6_is_shadow_stack);
	RUN(pferr_bit15_is_sgx);
	RUN(pferr_bit31_is_snp_rmp);
	RUN(pferr_bit32_is_guest_final);
	RUN(pferr_bit33_is_guest_page_walk);
	RUN(pferr_bits34_to_36_are_snp_enc_sizem_vmpl);
	RUN(pferr_bits48_49_are_kvm_implicit_and_private);
	RUN(pferr_unnamed_bits_are_kept_as_hex);
	RUN(pferr_zero_has_no_flags_and_is_a_read);
	RUN(amd_read_of_unmapped_page_is_read_not_user);
	RUN(amd_write_of_unmapped_page_is_write);
	RUN(amd_write_to_write_protected_page_is_write_present);
	RUN(amd_fetch_is_exec);
	RUN(amd_fetch_wins_over_write);
	RUN(amd_fetch_from_present_nx_page_is_exec_present);
	RUN(amd_mmio_write_is_reserved_without_present);
	RUN(amd_mmio_read_is_read_reserved);
	RUN(amd_guest_page_table_walk_write_is_write);
	RUN(amd_snp_rmp_fault_decodes_upper_bits);
	RUN(ept_bit0_is_read_access);
	RUN(ept_bit1_is_write_access);
	RUN(ept_bit2_is_fetch);
	RUN(ept_bits3_to_5_are_permissions_and_make_present);
	RUN(ept_bit6_user_exec_alone_is_not_present);
	RUN(ept_bit7_gla_valid_bit8_clear_is_guest_page_walk);
	RUN(ept_bit8_with_gla_valid_is_guest_final);
	RUN(ept_bit8_without_gla_valid_is_undefined);
	RUN(ept_bits9_to_16_advanced_info_and_misc);
	RUN(ept_reserved_high_bits_are_unknown);
	RUN(intel_read_of_unmapped_page_is_read);
	RUN(intel_write_of_unmapped_page_is_write);
	RUN(intel_fetch_of_unmapped_page_is_exec);
	RUN(intel_write_to_read_only_present_page_is_write_present);
	RUN(intel_fetch_from_non_executable_page_is_exec_present);
	RUN(intel_page_walk_access_is_guest_page);
	RUN(intel_tdx_private_fault_qual_is_plain_write);
	RUN(intel_ept_misconfig_is_read_reserved_mmio);
	RUN(mmio_flag_adds_reserved_without_rsvd_bit);
	RUN(mmio_flag_keeps_present_when_rsvd_clear);
	RUN(kvm_pferr_from_qual_read_sets_user_bit);
	RUN(kvm_pferr_from_qual_write_and_fetch);
	RUN(kvm_pferr_from_qual_present_from_any_permission);
	RUN(kvm_pferr_from_qual_walk_and_no_gla);
	RUN(both_vendors_agree_on_the_name);
	RUN(trace_decoder_picks_encoding_by_vendor);
	RUN(name_reports_truncation_and_stays_terminated);
	RUN(flags_report_truncation_and_stay_terminated);
	RUN(null_arguments_are_rejected);
	return TESTS_DONE();
}
