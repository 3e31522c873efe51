// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * guest_code.c - hand-assembled 32-bit guest code
 *
 * Every vCPU gets its own code page in slot 0 with its GPAs and counts as
 * immediates.  The guest runs in flat 32-bit protected mode without paging,
 * so every address below is a guest physical address.  The program is:
 *
 *	pass 1:	touch each page of this vCPU's slot-1 range (write/read/exec)
 *		vCPU 0 only: touch slot-2 pages, then K MMIO reads + K writes
 *		out FG_PORT_STATUS, FG_STATUS_PASS1	; VMM: dirty log on
 *	pass 2:	(--dirty-log) write each slot-1 page again; with
 *		--rewrites N do that N times, after each round but
 *		the last: out FG_PORT_STATUS, FG_STATUS_REWRITE
 *		(the VMM clears the dirty log)
 *		out FG_PORT_STATUS, FG_STATUS_DONE
 *		hlt; jmp back to hlt			; never reached
 *	fail:	out FG_PORT_STATUS, FG_STATUS_FAIL	; bad MMIO read value
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "faultgen.h"
#include "guest_code.h"
#include "layout.h"

/* x86 register numbers as used in opcodes and ModRM bytes */
enum fg_reg {
	REG_EAX = 0,
	REG_ECX = 1,
	REG_EDX = 2,
	REG_EBX = 3,
	REG_ESP = 4,
	REG_EBP = 5,
	REG_ESI = 6,
	REG_EDI = 7,
};

#define OP_JNZ_REL8		0x75
#define OP_JMP_REL8		0xeb
#define OP_HLT			0xf4
#define OP_RET			0xc3

struct fg_asm {
	uint8_t *buf;
	size_t cap;
	size_t len;
	bool overflow;
};

static void emit8(struct fg_asm *a, uint8_t byte)
{
	if (a->len < a->cap)
		a->buf[a->len] = byte;
	else
		a->overflow = true;
	a->len++;
}

static void emit32(struct fg_asm *a, uint32_t v)
{
	emit8(a, v);
	emit8(a, v >> 8);
	emit8(a, v >> 16);
	emit8(a, v >> 24);
}

/* mov r32, imm32 */
static void emit_mov_imm(struct fg_asm *a, enum fg_reg reg, uint32_t imm)
{
	emit8(a, 0xb8 + reg);
	emit32(a, imm);
}

/* jnz back to @target; loop bodies are small enough for rel8 */
static void emit_jnz_back(struct fg_asm *a, size_t target)
{
	long rel = (long)target - (long)(a->len + 2);

	if (rel < -128)
		a->overflow = true;
	emit8(a, OP_JNZ_REL8);
	emit8(a, (uint8_t)rel);
}

/* jmp back to @target, rel8 */
static void emit_jmp_back(struct fg_asm *a, size_t target)
{
	long rel = (long)target - (long)(a->len + 2);

	if (rel < -128)
		a->overflow = true;
	emit8(a, OP_JMP_REL8);
	emit8(a, (uint8_t)rel);
}

/* mov al, status ; out FG_PORT_STATUS, al */
static void emit_status(struct fg_asm *a, uint8_t status)
{
	emit8(a, 0xb0);
	emit8(a, status);
	emit8(a, 0xe6);
	emit8(a, FG_PORT_STATUS);
}

/* hlt ; jmp hlt */
static void emit_halt_forever(struct fg_asm *a)
{
	emit8(a, OP_HLT);
	emit8(a, OP_JMP_REL8);
	emit8(a, (uint8_t)-3);
}

/* the access to the page at [esi] */
static void emit_access(struct fg_asm *a, enum fg_access access)
{
	switch (access) {
	case FG_ACCESS_WRITE:	/* mov [esi], esi */
		emit8(a, 0x89);
		emit8(a, 0x36);
		break;
	case FG_ACCESS_READ:	/* mov eax, [esi] */
		emit8(a, 0x8b);
		emit8(a, 0x06);
		break;
	case FG_ACCESS_EXEC:	/* call esi ; the page starts with ret */
		emit8(a, 0xff);
		emit8(a, 0xd6);
		break;
	}
}

/**
 * emit_touch_loop() - touch @pages consecutive pages starting at @gpa
 * @a: assembler
 * @gpa: first page
 * @pages: page count, at least 1
 * @access: kind of access, made at offset 0 of each page
 *
 *	mov esi, gpa
 *	mov ecx, pages
 * 1:	<access [esi]>
 *	add esi, 4096
 *	dec ecx
 *	jnz 1b
 */
static void emit_touch_loop(struct fg_asm *a, uint32_t gpa, uint32_t pages,
			    enum fg_access access)
{
	size_t loop;

	emit_mov_imm(a, REG_ESI, gpa);
	emit_mov_imm(a, REG_ECX, pages);
	loop = a->len;
	emit_access(a, access);
	emit8(a, 0x81);			/* add esi, imm32 */
	emit8(a, 0xc0 | REG_ESI);
	emit32(a, FG_PAGE_SIZE);
	emit8(a, 0x48 + REG_ECX);	/* dec ecx */
	emit_jnz_back(a, loop);
}

/**
 * emit_mmio_loop() - @count 32-bit reads and writes of @gpa
 * @a: assembler
 * @gpa: MMIO address
 * @count: number of reads (and of writes), at least 1
 *
 *	mov ecx, count
 * 1:	mov eax, [gpa]
 *	cmp eax, FG_MMIO_PATTERN
 *	jne fail
 *	mov [gpa], eax
 *	dec ecx
 *	jnz 1b
 *
 * Return: offset of the rel32 of "jne fail", to be patched by the caller.
 */
static size_t emit_mmio_loop(struct fg_asm *a, uint32_t gpa, uint32_t count)
{
	size_t loop, fixup;

	emit_mov_imm(a, REG_ECX, count);
	loop = a->len;
	emit8(a, 0xa1);			/* mov eax, [moffs32] */
	emit32(a, gpa);
	emit8(a, 0x3d);			/* cmp eax, imm32 */
	emit32(a, FG_MMIO_PATTERN);
	emit8(a, 0x0f);			/* jne rel32 */
	emit8(a, 0x85);
	fixup = a->len;
	emit32(a, 0);
	emit8(a, 0xa3);			/* mov [moffs32], eax */
	emit32(a, gpa);
	emit8(a, 0x48 + REG_ECX);	/* dec ecx */
	emit_jnz_back(a, loop);
	return fixup;
}

/* point the rel32 at @fixup to the current position */
static void patch_rel32(struct fg_asm *a, size_t fixup)
{
	uint32_t rel = a->len - (fixup + 4);

	if (fixup + 4 > a->cap) {
		a->overflow = true;
		return;
	}
	memcpy(a->buf + fixup, &rel, sizeof(rel));	/* x86: little endian */
}

/**
 * emit_rewrite_rounds() - write @pages pages from @gpa, @rounds times
 * @a: assembler
 * @gpa: first page
 * @pages: page count, at least 1
 * @rounds: number of rounds, at least 1
 *
 *	mov ebx, rounds
 * 1:	<touch loop, write>
 *	dec ebx
 *	jz 2f
 *	out FG_PORT_STATUS, FG_STATUS_REWRITE	; VMM clears dirty log
 *	jmp 1b
 * 2:
 */
static void emit_rewrite_rounds(struct fg_asm *a, uint32_t gpa,
				uint32_t pages, uint32_t rounds)
{
	size_t round;

	emit_mov_imm(a, REG_EBX, rounds);
	round = a->len;
	emit_touch_loop(a, gpa, pages, FG_ACCESS_WRITE);
	emit8(a, 0x48 + REG_EBX);	/* dec ebx */
	emit8(a, 0x74);			/* jz rel8, over out and jmp */
	emit8(a, 4 + 2);
	emit_status(a, FG_STATUS_REWRITE);
	emit_jmp_back(a, round);
}

static void fg_guest_emit(struct fg_asm *a, const struct fg_opts *o,
			  unsigned int vcpu)
{
	uint32_t slot1 = fg_vcpu_slot1_gpa(o, vcpu);
	size_t fail = 0;

	emit_touch_loop(a, slot1, o->pages, o->access);
	if (vcpu == 0 && o->pages2)
		emit_touch_loop(a, o->slot2_gpa, o->pages2, o->access);
	if (vcpu == 0 && o->mmio)
		fail = emit_mmio_loop(a, o->mmio_gpa, o->mmio);
	emit_status(a, FG_STATUS_PASS1);
	if (o->dirty_log)
		emit_rewrite_rounds(a, slot1, o->pages, o->rewrites);
	emit_status(a, FG_STATUS_DONE);
	emit_halt_forever(a);
	if (fail) {
		patch_rel32(a, fail);
		emit_status(a, FG_STATUS_FAIL);
		emit_halt_forever(a);
	}
}

/**
 * fg_guest_load() - generate vCPU @vcpu's program into its code page
 * @vm: the VM, slot 0 mapped
 * @o: options
 * @vcpu: vCPU index
 *
 * The rest of the page is filled with hlt, so a stray jump ends in an
 * unexpected KVM_EXIT_HLT instead of running garbage.
 *
 * Return: 0 on success, -1 (message printed) if the code does not fit.
 */
int fg_guest_load(struct fg_vm *vm, const struct fg_opts *o, unsigned int vcpu)
{
	uint8_t *page = fg_vm_hva(vm, fg_vcpu_code_gpa(vcpu));
	struct fg_asm a = { .buf = page, .cap = FG_PAGE_SIZE };

	memset(page, OP_HLT, FG_PAGE_SIZE);
	fg_guest_emit(&a, o, vcpu);
	if (a.overflow) {
		fg_err("vcpu %u: guest code does not fit in one page", vcpu);
		return -1;
	}
	return 0;
}

static void fg_prefill_range(struct fg_vm *vm, uint64_t gpa, uint64_t pages)
{
	uint64_t i;

	for (i = 0; i < pages; i++)
		*fg_vm_hva(vm, gpa + i * FG_PAGE_SIZE) = OP_RET;
}

/**
 * fg_guest_prefill_exec() - put a ret at offset 0 of every page to be called
 * @vm: the VM
 * @o: options; only acts for --access exec
 *
 * Writing from the host populates the host page tables, so the guest's
 * first fetch from each page faults in KVM's second-level MMU only.
 */
void fg_guest_prefill_exec(struct fg_vm *vm, const struct fg_opts *o)
{
	if (o->access != FG_ACCESS_EXEC)
		return;
	fg_prefill_range(vm, FG_SLOT1_GPA, o->pages * o->vcpus);
	if (o->pages2)
		fg_prefill_range(vm, o->slot2_gpa, o->pages2);
}
