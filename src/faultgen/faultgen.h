/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * faultgen.h - constants and helpers shared by all kvmmmu-faultgen files
 */
#ifndef FAULTGEN_H
#define FAULTGEN_H

#include <stdint.h>

#define FG_NAME			"kvmmmu-faultgen"
#define FG_VERSION		"0.1"

#define FG_EXIT_OK		0
#define FG_EXIT_FAIL		1
#define FG_EXIT_USAGE		2

#define FG_PAGE_SIZE		4096ULL
#define FG_HUGE_SIZE		(2ULL << 20)
#define FG_GUEST_LIMIT		(1ULL << 32)	/* 32-bit guest, no paging */

#define FG_MAX_VCPUS		8
#define FG_NR_SLOTS		3

/* Seconds the VMM waits for the guest at each rendezvous. */
#define FG_RUN_TIMEOUT_SEC	300

/* Port the guest writes one status byte to (OUT imm8, AL). */
#define FG_PORT_STATUS		0xf0
#define FG_STATUS_PASS1		0x01	/* first pass (and MMIO) done */
#define FG_STATUS_DONE		0x02	/* all done */
#define FG_STATUS_REWRITE	0x03	/* a round done, more follow */
#define FG_STATUS_FAIL		0xee	/* MMIO read returned a wrong value */

/* Value the VMM returns for every MMIO read. */
#define FG_MMIO_PATTERN		0x5a17c0deU

#define FG_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

void fg_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fg_perror(const char *what);

static inline uint64_t fg_round_up(uint64_t v, uint64_t align)
{
	return (v + align - 1) / align * align;
}

#endif /* FAULTGEN_H */
