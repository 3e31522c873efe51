// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_spte.c - the PFN of a fast-path fault's SPTE.
 */
#define TEST_SUITE "spte"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "spte.h"
#include "testlib.h"

#define PRESENT		(1ull << 11)

/* 6.1 TDP MMU on AMD: a writable 4K leaf after a dirty-log fix, with
 * host-/MMU-writable (57, 58) and A/D-tracking bits set above bit 51. */
TEST(npt_4k_leaf_drops_software_bits)
{
	uint64_t spte = 0x0600000012345e77ull | PRESENT | (3ull << 52) |
			(1ull << 63);
	uint64_t pfn = 0;

	CHECK(spte_pfn(spte, 0x40003000, 0, &pfn));
	CHECK_EQ(pfn, 0x12345);
}

/* SME: the C-bit (47) is above the reduced physical width (43 bits). */
TEST(encryption_bit_above_phys_bits_is_not_pfn)
{
	uint64_t spte = (1ull << 47) | 0x0000000abcdef000ull | PRESENT | 7;
	uint64_t pfn = 0;

	CHECK(spte_pfn(spte, 0x1000, 43, &pfn));
	CHECK_EQ(pfn, 0xabcdef);
	CHECK(spte_pfn(spte, 0x1000, 52, &pfn));
	CHECK_EQ(pfn, (1ull << 35) | 0xabcdef);
}

TEST(huge_leaf_adds_the_offset_in_2m)
{
	uint64_t spte = 0x0000000040200000ull | PRESENT | (1ull << 7) | 7;
	uint64_t pfn = 0;

	CHECK(spte_pfn(spte, 0x40003000ull, 0, &pfn));	/* 4th page of 2M */
	CHECK_EQ(pfn, 0x40203);
}

TEST(not_present_or_mmio_spte_has_no_pfn)
{
	uint64_t pfn = 77;

	CHECK(!spte_pfn(0, 0x1000, 0, &pfn));
	/* an MMIO SPTE: generation bits and 0b110, no bit 11 */
	CHECK(!spte_pfn((3ull << 52) | 0x6 | (0x5ull << 3), 0x1000, 0, &pfn));
	CHECK_EQ(pfn, 77);
}

TEST(phys_bits_from_cpuinfo)
{
	char path[] = "/tmp/test_spte.XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	CHECK(f != NULL);
	if (!f)
		return;
	fputs("processor\t: 0\nvendor_id\t: AuthenticAMD\n"
	      "address sizes\t: 43 bits physical, 48 bits virtual\n", f);
	fclose(f);
	CHECK_EQ(spte_host_phys_bits(path), 43);
	unlink(path);
	CHECK_EQ(spte_host_phys_bits("/nonexistent/cpuinfo"), 0);
}

int main(void)
{
	RUN(npt_4k_leaf_drops_software_bits);
	RUN(encryption_bit_above_phys_bits_is_not_pfn);
	RUN(huge_leaf_adds_the_offset_in_2m);
	RUN(not_present_or_mmio_spte_has_no_pfn);
	RUN(phys_bits_from_cpuinfo);
	return TESTS_DONE();
}
