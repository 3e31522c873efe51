/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * symbols.h - kernel function addresses to names (from kallsyms text).
 *
 * Every distinct function seen in a trace gets a small dense index, so
 * that hot paths and per-fault trees carry a u32 instead of a string.
 */
#ifndef KVMMMU_SYMBOLS_H
#define KVMMMU_SYMBOLS_H

#include <stdint.h>
#include <stdio.h>

struct symbols;
struct tep_handle;

struct symbols *symbols_new(void);
void symbols_free(struct symbols *syms);

/**
 * symbols_load_kallsyms() - read text symbols in /proc/kallsyms format
 * @syms:	table to fill
 * @path:	file to read ("/proc/kallsyms" for the running kernel)
 *
 * Return: number of symbols loaded, or a negative errno.
 */
int symbols_load_kallsyms(struct symbols *syms, const char *path);

/*
 * Resolve addresses through @tep's function map (the kallsyms a trace.dat
 * carries) instead of loaded kallsyms. @tep must outlive @syms' lookups.
 */
void symbols_use_tep(struct symbols *syms, struct tep_handle *tep);

/**
 * symbols_resolve() - dense index of the function containing @addr
 * @syms:	table
 * @addr:	kernel text address from a funcgraph event
 *
 * Unknown addresses get an index too, named after the hex address.
 * Return: the index, or UINT32_MAX when out of memory.
 */
uint32_t symbols_resolve(struct symbols *syms, uint64_t addr);

/**
 * symbols_intern() - dense index for a function name (no address)
 * Return: the index, or UINT32_MAX when out of memory.
 */
uint32_t symbols_intern(struct symbols *syms, const char *name);

/* Name of a dense index; "?" when @idx is not valid. */
const char *symbols_name(const struct symbols *syms, uint32_t idx);

/**
 * symbols_write_seen() - the kallsyms lines of every function resolved
 * so far, so that a recording can name them again
 * Return: 0 or -errno.
 */
int symbols_write_seen(const struct symbols *syms, FILE *out);

#endif /* KVMMMU_SYMBOLS_H */
