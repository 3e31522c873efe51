// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_spte.c - the PFN of a fast-path fault's SPTE, and whether the
 * fast path fixed the fault at all (the event's ret).
 */
#define TEST_SUITE "spte"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <traceevent/event-parse.h>

#include "spte.h"
#include "testlib.h"
#include "trace_events.h"

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

/* kvmmmu:fast_page_fault as 6.18 prints it (RET_PF_SPURIOUS 6, FIXED 5;
 * 6.1 has 5 and 4): @spur and @fixed go into the print fmt */
static void fast_format(char *buf, size_t len, const char *tail)
{
	snprintf(buf, len, "name: fast_page_fault\nID: 1593\nformat:\n"
		"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
		"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
		"\tfield:int vcpu_id;\toffset:8;\tsize:4;\tsigned:1;\n"
		"\tfield:u64 cr2_or_gpa;\toffset:16;\tsize:8;\tsigned:0;\n"
		"\tfield:u64 new_spte;\toffset:24;\tsize:8;\tsigned:0;\n"
		"\tfield:int ret;\toffset:32;\tsize:4;\tsigned:1;\n\n"
		"print fmt: \"vcpu %%d gva %%llx new %%llx spurious %%d fixed %%d\", "
		"REC->vcpu_id, REC->cr2_or_gpa, REC->new_spte, %s\n", tail);
}

/* decode one fast_page_fault with @ret under the format with @tail */
static int fast_fixed(const char *tail, int ret)
{
	struct tep_handle *tep = tep_alloc();
	struct event_decoder *dec;
	struct trace_record r;
	unsigned char p[40] = { 0 };
	uint16_t type = 1593;
	char fmt[1024], err[256];
	int out = -2;

	fast_format(fmt, sizeof(fmt), tail);
	if (tep_parse_event(tep, fmt, strlen(fmt), "kvmmmu"))
		goto done;
	dec = event_decoder_new(tep, err, sizeof(err));
	if (!dec)
		goto done;
	memcpy(p, &type, 2);
	memcpy(p + 32, &ret, 4);
	if (event_decode(dec, p, sizeof(p), &r) == REC_FAST_PF)
		out = r.fast_fixed;
	event_decoder_free(dec);
done:
	tep_free(tep);
	return out;
}

TEST(fast_path_outcome_from_the_print_fmt)
{
	const char *k618 = "REC->ret == 6, REC->ret == 5";
	const char *k61 = "REC->ret == 5, REC->ret == 4";

	CHECK_EQ(fast_fixed(k618, 5), 1);	/* RET_PF_FIXED */
	CHECK_EQ(fast_fixed(k618, 6), 1);	/* RET_PF_SPURIOUS */
	CHECK_EQ(fast_fixed(k618, 4), 0);	/* RET_PF_INVALID: gave up */
	CHECK_EQ(fast_fixed(k61, 4), 1);
	CHECK_EQ(fast_fixed(k61, 5), 1);
	CHECK_EQ(fast_fixed(k61, 3), 0);
	/* a print fmt that does not say: unknown, never a guess */
	CHECK_EQ(fast_fixed("REC->ret, REC->ret", 5), -1);
	CHECK_EQ(fast_fixed("REC->ret == 5, REC->ret == 5", 5), -1);
}

int main(void)
{
	RUN(fast_path_outcome_from_the_print_fmt);
	RUN(npt_4k_leaf_drops_software_bits);
	RUN(encryption_bit_above_phys_bits_is_not_pfn);
	RUN(huge_leaf_adds_the_offset_in_2m);
	RUN(not_present_or_mmio_spte_has_no_pfn);
	RUN(phys_bits_from_cpuinfo);
	return TESTS_DONE();
}
