/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nested-guest.S - the small guest that scenarios/qemu-guest.sh boots
 * with QEMU inside the test host: a Multiboot (v1) kernel that QEMU's
 * -kernel loads through SeaBIOS and its multiboot option ROM.
 *
 * It speaks the protocol of guest/nested-init.sh on COM1, polled (it
 * needs no interrupt and no timer: under TCG's SVM the nested Linux guest
 * loses its timer interrupts and stops):
 *   says "@@NESTED-UP@@", then for every line it reads writes nested.mb
 *   MiB (multiboot command line, default 32) of memory it has not
 *   written before, reads the HPET's counter (MMIO that QEMU emulates),
 *   and says "@@NESTED-WROTE N mb=MB@@"; "bye" halts it.
 * The second vCPU, started with INIT and SIPI through a real-mode
 * trampoline at 0x8000, writes the second half of each round's memory.
 * Between rounds it halts with interrupts off, and each round starts it
 * again with INIT and SIPI: no interrupt is ever needed, and it takes no
 * CPU from the test host while it waits (a spinning vCPU starved the
 * tracer's reader there). If it does not come up, the first vCPU writes
 * it all.
 * Both run in 32-bit protected mode with flat segments (a GDT of our
 * own) and paging off, so every page written is a new GPA: one
 * second-level fault per 4 KiB page (or per 2 MiB if KVM maps huge).
 *
 * Built by mknested.sh: as --32, ld -m elf_i386 -Ttext=0x100000.
 */
	.set	MB_MAGIC, 0x1badb002
	.set	MB_FLAGS, 0
	.set	COM1, 0x3f8
	.set	WRITE_BASE, 0x01000000	/* 16 MiB: above the image */
	.set	WRITE_END, 0x0f000000	/* 240 MiB: inside -m 256 */
	.set	HPET_COUNTER, 0xfed000f0
	.set	HPET_READS, 8
	.set	TRAMPOLINE, 0x8000	/* SIPI vector 0x08 */
	.set	LAPIC_ICR_LO, 0xfee00300
	.set	LAPIC_ICR_HI, 0xfee00310
	.set	ICR_INIT_OTHERS, 0x000c4500	/* all but self, INIT, assert */
	.set	ICR_SIPI_OTHERS, 0x000c4600 + (TRAMPOLINE >> 12)
	.set	AP_WAIT, 0x2000000	/* spins before going on alone */

	.text
	.code32
	/* first in the image: QEMU looks in the first 8 KiB */
	.align	4
	.long	MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
	.globl	_start
_start:
	cli
	lgdt	gdt_ptr
	ljmp	$0x08, $1f
1:	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movl	$stack_top, %esp
	movl	$32, mb
	testl	$4, (%ebx)		/* multiboot info: cmdline present? */
	jz	1f
	movl	16(%ebx), %esi
	call	parse_mb
1:	call	serial_init
	call	start_ap
	movl	$msg_up, %esi
	call	puts
next_line:
	call	get_line		/* %eax: first character of the line */
	cmpb	$'b', %al
	je	halt
	call	write_round
	jmp	next_line
halt:
	hlt
	jmp	halt

/* write_round: nested.mb fresh MiB, the HPET reads, the report */
write_round:
	movl	mb, %ecx
	shll	$20, %ecx		/* bytes */
	movl	next_gpa, %edi
	movl	%edi, %edx
	addl	%ecx, %edx
	jc	1f
	cmpl	$WRITE_END, %edx
	ja	1f
	movl	%edx, next_gpa
	shrl	$2, %ecx		/* dwords */
	cmpl	$0, ap_alive
	je	3f
	shrl	%ecx			/* half each: the second to the AP */
	leal	(%edi,%ecx,4), %eax
	movl	%eax, ap_base
	movl	%ecx, ap_dwords
	lock incl ap_go
	pushl	%ecx
	call	wake_ap
	popl	%ecx
3:	movl	$0x6b766d6d, %eax	/* "mmvk" */
	cld
	rep stosl
4:	movl	ap_done, %eax		/* wait for the AP's half */
	cmpl	ap_go, %eax
	je	5f
	pause
	jmp	4b
5:
	movl	$HPET_READS, %ecx
2:	movl	HPET_COUNTER, %eax
	loop	2b
	incl	rounds
	movl	$msg_wrote, %esi
	call	puts
	movl	rounds, %eax
	call	put_dec
	movl	$msg_mb, %esi
	call	puts
	movl	mb, %eax
	call	put_dec
	movl	$msg_end, %esi
	jmp	puts
1:	movl	$msg_full, %esi
	jmp	puts

/* wake_ap: INIT, SIPI, SIPI to the other vCPUs (start them at ap_tramp) */
wake_ap:
	movl	$0, LAPIC_ICR_HI
	movl	$ICR_INIT_OTHERS, LAPIC_ICR_LO
	movl	$ICR_SIPI_OTHERS, LAPIC_ICR_LO
	movl	$ICR_SIPI_OTHERS, LAPIC_ICR_LO
	ret

/* start_ap: the trampoline in place, wake the AP, wait for it to run */
start_ap:
	movl	$ap_tramp, %esi
	movl	$TRAMPOLINE, %edi
	movl	$ap_tramp_end - ap_tramp, %ecx
	cld
	rep movsb
	call	wake_ap
	movl	$AP_WAIT, %ecx
1:	cmpl	$0, ap_alive
	jne	2f
	pause
	loop	1b
2:	ret

/*
 * the AP in 32-bit mode, after each INIT and SIPI: write the round's
 * second half if one is waiting, then halt (interrupts off: only the
 * next INIT and SIPI start it again)
 */
ap_main:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movl	$ap_stack_top, %esp
	cmpl	$0, ap_alive
	jne	1f
	lock incl ap_alive
1:	movl	ap_go, %eax
	cmpl	ap_done, %eax
	je	3f
	movl	ap_base, %edi
	movl	ap_dwords, %ecx
	movl	$0x6b766d6d, %eax
	cld
	rep stosl
	lock incl ap_done
3:	cli
	hlt
	jmp	3b

/* copied to TRAMPOLINE: the AP starts here in real mode, CS = 0x800 */
	.code16
ap_tramp:
	cli
	lgdtl	%cs:ap_gdt_ptr - ap_tramp
	movl	%cr0, %eax
	orl	$1, %eax
	movl	%eax, %cr0
	ljmpl	$0x08, $ap_main
ap_gdt_ptr:
	.word	gdt_end - gdt - 1
	.long	gdt
ap_tramp_end:
	.code32

/* parse_mb: %esi = command line; "nested.mb=N" (1..200) sets mb */
parse_mb:
	movl	$key, %edi
	movl	%esi, %edx
1:	movb	(%edi), %al
	testb	%al, %al
	jz	3f			/* whole key matched */
	cmpb	(%edx), %al
	jne	2f
	incl	%edi
	incl	%edx
	jmp	1b
2:	cmpb	$0, (%esi)
	je	5f
	incl	%esi
	jmp	parse_mb
3:	xorl	%eax, %eax
4:	movzbl	(%edx), %ecx
	subl	$'0', %ecx
	cmpl	$9, %ecx
	ja	6f
	imull	$10, %eax
	addl	%ecx, %eax
	incl	%edx
	jmp	4b
6:	testl	%eax, %eax
	jz	5f
	cmpl	$200, %eax
	ja	5f
	movl	%eax, mb
5:	ret

serial_init:
	movw	$COM1 + 1, %dx
	xorb	%al, %al
	outb	%al, %dx		/* no interrupts */
	movw	$COM1 + 3, %dx
	movb	$0x80, %al
	outb	%al, %dx		/* divisor latch */
	movw	$COM1, %dx
	movb	$1, %al
	outb	%al, %dx		/* 115200 baud */
	movw	$COM1 + 1, %dx
	xorb	%al, %al
	outb	%al, %dx
	movw	$COM1 + 3, %dx
	movb	$3, %al
	outb	%al, %dx		/* 8N1 */
	movw	$COM1 + 2, %dx
	movb	$0xc7, %al
	outb	%al, %dx		/* FIFOs on, cleared */
	ret

/* put_char: %al */
put_char:
	movb	%al, %ah
	movw	$COM1 + 5, %dx
1:	inb	%dx, %al
	testb	$0x20, %al		/* transmitter holding register empty */
	jz	1b
	movb	%ah, %al
	movw	$COM1, %dx
	outb	%al, %dx
	ret

/* puts: %esi = NUL-terminated string */
puts:
1:	lodsb
	testb	%al, %al
	jz	2f
	call	put_char
	jmp	1b
2:	ret

/* put_dec: %eax, unsigned */
put_dec:
	movl	$10, %ecx
	xorl	%ebx, %ebx
1:	xorl	%edx, %edx
	divl	%ecx
	pushl	%edx
	incl	%ebx
	testl	%eax, %eax
	jnz	1b
2:	popl	%eax
	addb	$'0', %al
	call	put_char
	decl	%ebx
	jnz	2b
	ret

/* get_line: wait for a line; %eax = its first character */
get_line:
	movl	$-1, %ecx
1:	movw	$COM1 + 5, %dx
	inb	%dx, %al
	testb	$1, %al			/* data ready */
	jz	1b
	movw	$COM1, %dx
	inb	%dx, %al
	cmpb	$'\n', %al
	je	2f
	cmpl	$-1, %ecx
	jne	1b
	movzbl	%al, %ecx
	jmp	1b
2:	movl	%ecx, %eax
	ret

	.data
	.align	8
gdt:	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: code, flat 4 GiB, 32-bit */
	.quad	0x00cf92000000ffff	/* 0x10: data, flat 4 GiB */
gdt_end:
gdt_ptr:
	.word	gdt_end - gdt - 1
	.long	gdt
ap_alive:	.long	0
ap_go:		.long	0	/* rounds handed to the AP */
ap_done:	.long	0	/* rounds the AP finished */
ap_base:	.long	0
ap_dwords:	.long	0
mb:		.long	32
rounds:		.long	0
next_gpa:	.long	WRITE_BASE
key:		.asciz	"nested.mb="
msg_up:		.asciz	"@@NESTED-UP@@\r\n"
msg_wrote:	.asciz	"@@NESTED-WROTE "
msg_mb:		.asciz	" mb="
msg_end:	.asciz	"@@\r\n"
msg_full:	.asciz	"@@NESTED-FULL@@\r\n"

	.bss
	.align	16
	.skip	4096
stack_top:
	.skip	4096
ap_stack_top:
