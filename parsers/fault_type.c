// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fault_type.c - decode the error code of a KVM second-level page fault.
 *
 * Bit meanings come from the kernel's PFERR_* / X86_PF_* definitions, the
 * EPT_VIOLATION_* definitions and the Intel SDM table of EPT violation
 * exit qualification bits.  See fault_type.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fault_type.h"

/*
 * One named bit: @mask is the bit in the raw value (0 for a flag that is
 * derived rather than read from one bit), @field the bool it sets.
 */
struct ft_bit {
	uint64_t mask;
	const char *name;
	size_t field;
};

#define FT_FIELD(f) offsetof(struct fault_access, f)

static const struct ft_bit pferr_bits[] = {
	{ FT_PFERR_PRESENT,	"P",		FT_FIELD(present) },
	{ FT_PFERR_WRITE,	"W",		FT_FIELD(write) },
	{ FT_PFERR_USER,	"U",		FT_FIELD(user) },
	{ FT_PFERR_RSVD,	"RSVD",		FT_FIELD(rsvd) },
	{ FT_PFERR_FETCH,	"F",		FT_FIELD(fetch) },
	{ FT_PFERR_PK,		"PK",		FT_FIELD(pk) },
	{ FT_PFERR_SS,		"SS",		FT_FIELD(shadow_stack) },
	{ FT_PFERR_SGX,		"SGX",		FT_FIELD(sgx) },
	{ FT_PFERR_RMP,		"RMP",		FT_FIELD(rmp) },
	{ FT_PFERR_GUEST_FINAL,	"GUEST_FINAL",	FT_FIELD(guest_final) },
	{ FT_PFERR_GUEST_PAGE,	"GUEST_PAGE",	FT_FIELD(guest_page) },
	{ FT_PFERR_GUEST_ENC,	"ENC",		FT_FIELD(enc) },
	{ FT_PFERR_GUEST_SIZEM,	"SIZEM",	FT_FIELD(sizem) },
	{ FT_PFERR_GUEST_VMPL,	"VMPL",		FT_FIELD(vmpl) },
	{ FT_PFERR_IMPLICIT,	"IMPLICIT",	FT_FIELD(implicit) },
	{ FT_PFERR_PRIVATE,	"PRIVATE",	FT_FIELD(private_access) },
};

static const struct ft_bit ept_bits[] = {
	{ FT_EPT_ACC_READ,	"R",		FT_FIELD(read) },
	{ FT_EPT_ACC_WRITE,	"W",		FT_FIELD(write) },
	{ FT_EPT_ACC_INSTR,	"X",		FT_FIELD(fetch) },
	{ FT_EPT_PROT_READ,	"EPT_R",	FT_FIELD(readable) },
	{ FT_EPT_PROT_WRITE,	"EPT_W",	FT_FIELD(writable) },
	{ FT_EPT_PROT_EXEC,	"EPT_X",	FT_FIELD(executable) },
	{ FT_EPT_PROT_USER_EXEC, "EPT_UX",	FT_FIELD(user_executable) },
	{ FT_EPT_GLA_VALID,	"GLA_VALID",	FT_FIELD(gla_valid) },
	{ 0,			"GUEST_FINAL",	FT_FIELD(guest_final) },
	{ 0,			"GUEST_PAGE",	FT_FIELD(guest_page) },
	{ FT_EPT_GLA_USER,	"GLA_USER",	FT_FIELD(user) },
	{ FT_EPT_GLA_RW,	"GLA_RW",	FT_FIELD(gla_rw) },
	{ FT_EPT_GLA_XD,	"GLA_XD",	FT_FIELD(gla_xd) },
	{ FT_EPT_NMI_UNBLOCK,	"NMI_UNBLOCK",	FT_FIELD(nmi_unblock) },
	{ FT_EPT_SHADOW_STACK,	"SS",		FT_FIELD(shadow_stack) },
	{ FT_EPT_SSS,		"SSS",		FT_FIELD(sss) },
	{ FT_EPT_PAGING_VERIFY,	"PGV",		FT_FIELD(paging_verify) },
	{ FT_EPT_ASYNC,		"ASYNC",	FT_FIELD(async) },
};

#define FT_NBITS(t) (sizeof(t) / sizeof((t)[0]))

static bool *ft_flag(struct fault_access *a, const struct ft_bit *b)
{
	return (bool *)((char *)a + b->field);
}

static bool ft_flag_get(const struct fault_access *a, const struct ft_bit *b)
{
	return *(const bool *)((const char *)a + b->field);
}

/* Set every table flag from its bit; return the bits the table knows. */
static uint64_t ft_decode_bits(uint64_t raw, const struct ft_bit *bits,
			       size_t n, struct fault_access *out)
{
	uint64_t known = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!bits[i].mask)
			continue;
		*ft_flag(out, &bits[i]) = raw & bits[i].mask;
		known |= bits[i].mask;
	}
	return known;
}

int fault_type_from_pferr(uint64_t error_code, struct fault_access *out)
{
	uint64_t known;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->raw = error_code;
	out->src = FAULT_SRC_PFERR;
	known = ft_decode_bits(error_code, pferr_bits, FT_NBITS(pferr_bits),
			       out);
	out->unknown = error_code & ~known;
	out->read = !out->write && !out->fetch;
	return 0;
}

int fault_type_from_ept_qual(uint64_t qual, struct fault_access *out)
{
	uint64_t known;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->raw = qual;
	out->src = FAULT_SRC_EPT_QUAL;
	known = ft_decode_bits(qual, ept_bits, FT_NBITS(ept_bits), out);
	out->present = out->readable || out->writable || out->executable;
	if (out->gla_valid) {
		known |= FT_EPT_GLA_TRANSLATED;
		out->guest_final = qual & FT_EPT_GLA_TRANSLATED;
		out->guest_page = !out->guest_final;
	}
	out->unknown = qual & ~known;
	return 0;
}

int fault_type_from_trace(uint64_t error_code, bool intel,
			  struct fault_access *out)
{
	if (intel)
		return fault_type_from_ept_qual(error_code, out);
	return fault_type_from_pferr(error_code, out);
}

uint64_t fault_type_pferr_from_ept_qual(uint64_t qual)
{
	uint64_t ec = 0;

	if (qual & FT_EPT_ACC_READ)
		ec |= FT_PFERR_USER;
	if (qual & FT_EPT_ACC_WRITE)
		ec |= FT_PFERR_WRITE;
	if (qual & FT_EPT_ACC_INSTR)
		ec |= FT_PFERR_FETCH;
	if (qual & (FT_EPT_PROT_READ | FT_EPT_PROT_WRITE | FT_EPT_PROT_EXEC))
		ec |= FT_PFERR_PRESENT;
	if (qual & FT_EPT_GLA_VALID)
		ec |= (qual & FT_EPT_GLA_TRANSLATED) ? FT_PFERR_GUEST_FINAL :
						       FT_PFERR_GUEST_PAGE;
	return ec;
}

/* A bounded string builder that remembers truncation. */
struct ft_out {
	char *buf;
	size_t len;
	size_t pos;
	bool truncated;
};

static void ft_put(struct ft_out *o, const char *s)
{
	size_t n = strlen(s);
	size_t room = o->len - o->pos - 1;

	if (n > room) {
		n = room;
		o->truncated = true;
	}
	memcpy(o->buf + o->pos, s, n);
	o->pos += n;
	o->buf[o->pos] = '\0';
}

static int ft_done(const struct ft_out *o)
{
	return o->truncated ? -ENOSPC : (int)o->pos;
}

static const char *ft_access_word(const struct fault_access *a)
{
	if (a->fetch)
		return "Exec";
	if (a->write)
		return "Write";
	return "Read";
}

int fault_access_name(const struct fault_access *a, bool mmio,
		      char *buf, size_t len)
{
	struct ft_out o = { buf, len, 0, false };

	if (!a || !buf || !len)
		return -EINVAL;
	buf[0] = '\0';
	ft_put(&o, ft_access_word(a));
	if (a->present && !a->rsvd)
		ft_put(&o, "+Present");
	if (a->rsvd || mmio)
		ft_put(&o, "+Reserved(MMIO)");
	return ft_done(&o);
}

static void ft_put_flag(struct ft_out *o, const char *name)
{
	if (o->pos)
		ft_put(o, "|");
	ft_put(o, name);
}

int fault_access_flags(const struct fault_access *a, char *buf, size_t len)
{
	struct ft_out o = { buf, len, 0, false };
	const struct ft_bit *bits = pferr_bits;
	size_t i, n = FT_NBITS(pferr_bits);
	char hex[24];

	if (!a || !buf || !len)
		return -EINVAL;
	buf[0] = '\0';
	if (a->src == FAULT_SRC_EPT_QUAL) {
		bits = ept_bits;
		n = FT_NBITS(ept_bits);
	}
	for (i = 0; i < n; i++)
		if (ft_flag_get(a, &bits[i]))
			ft_put_flag(&o, bits[i].name);
	if (a->unknown) {
		snprintf(hex, sizeof(hex), "0x%" PRIx64, a->unknown);
		ft_put_flag(&o, hex);
	}
	return ft_done(&o);
}
