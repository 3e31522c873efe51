// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * symbols.c - kallsyms text symbols and a dense index per function seen.
 *
 * Loading keeps only text symbols, sorted by address.  Resolving an
 * address goes through a small open-addressing cache, so each distinct
 * function costs one binary search for the whole run.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "file_read.h"
#include "hashtab.h"
#include "symbols.h"

struct ksym {
	uint64_t addr;
	uint32_t name;		/* offset in the string pool */
	uint32_t dense;		/* dense index, UINT32_MAX until first seen */
};

struct symbols {
	struct ksym *ksyms;
	size_t nr_ksyms, cap_ksyms;
	char *pool;
	size_t pool_len, pool_cap;
	uint32_t *dense_name;	/* dense index -> pool offset */
	uint32_t nr_dense, cap_dense;
	struct hashtab cache;		/* address -> dense index */
	struct tep_handle *tep;		/* kallsyms of a trace.dat, or NULL */
};

struct symbols *symbols_new(void)
{
	struct symbols *syms = calloc(1, sizeof(struct symbols));

	if (syms)
		hashtab_init(&syms->cache, HASHTAB_NO_LIMIT);
	return syms;
}

void symbols_free(struct symbols *syms)
{
	if (!syms)
		return;
	free(syms->ksyms);
	free(syms->pool);
	free(syms->dense_name);
	hashtab_release(&syms->cache);
	free(syms);
}

static int grow(void **ptr, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 64;
	void *n;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	n = realloc(*ptr, ncap * elem);
	if (!n)
		return -ENOMEM;
	*ptr = n;
	*cap = ncap;
	return 0;
}

static int64_t pool_add(struct symbols *syms, const char *name, size_t len)
{
	size_t off = syms->pool_len;

	if (grow((void **)&syms->pool, &syms->pool_cap, off + len + 1, 1))
		return -ENOMEM;
	memcpy(syms->pool + off, name, len);
	syms->pool[off + len] = '\0';
	syms->pool_len += len + 1;
	return off;
}

static int add_ksym(struct symbols *syms, uint64_t addr, const char *name,
		    size_t len)
{
	int64_t off;

	if (grow((void **)&syms->ksyms, &syms->cap_ksyms, syms->nr_ksyms + 1,
		 sizeof(struct ksym)))
		return -ENOMEM;
	off = pool_add(syms, name, len);
	if (off < 0)
		return (int)off;
	syms->ksyms[syms->nr_ksyms++] = (struct ksym){
		.addr = addr, .name = (uint32_t)off, .dense = UINT32_MAX };
	return 0;
}

static int cmp_ksym(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Parse "ADDR TYPE NAME [module]"; keep text symbols only. */
static int parse_kallsyms_line(struct symbols *syms, char *line)
{
	char *end, *name;
	uint64_t addr;
	char type;
	size_t len;

	addr = strtoull(line, &end, 16);
	if (end == line || *end != ' ' || !end[1] || end[2] != ' ')
		return 0;
	type = end[1];
	if (type != 't' && type != 'T')
		return 0;
	name = end + 3;
	len = strcspn(name, " \t\n");
	if (!len || !strncmp(name, "__pfx_", 6))
		return 0;
	return add_ksym(syms, addr, name, len);
}

int symbols_load_kallsyms(struct symbols *syms, const char *path)
{
	size_t before = syms->nr_ksyms;
	char line[512];
	FILE *f;
	int ret = 0;

	f = fopen_regular(path);
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		ret = parse_kallsyms_line(syms, line);
		if (ret)
			break;
	}
	fclose(f);
	if (ret)
		return ret;
	if (syms->nr_ksyms)	/* qsort(NULL, 0) is undefined */
		qsort(syms->ksyms, syms->nr_ksyms, sizeof(struct ksym),
		      cmp_ksym);
	return (int)(syms->nr_ksyms - before);
}

static uint32_t new_dense(struct symbols *syms, uint32_t name_off)
{
	size_t cap = syms->cap_dense;

	if (grow((void **)&syms->dense_name, &cap, syms->nr_dense + 1,
		 sizeof(uint32_t)))
		return UINT32_MAX;
	syms->cap_dense = (uint32_t)cap;
	syms->dense_name[syms->nr_dense] = name_off;
	return syms->nr_dense++;
}

static struct ksym *find_containing(struct symbols *syms, uint64_t addr)
{
	size_t lo = 0, hi = syms->nr_ksyms;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (syms->ksyms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &syms->ksyms[lo - 1] : NULL;
}

void symbols_use_tep(struct symbols *syms, struct tep_handle *tep)
{
	syms->tep = tep;
}

/* Insert a symbol in address order (symbols from a trace.dat's tep). */
static struct ksym *insert_ksym(struct symbols *syms, uint64_t addr,
				const char *name)
{
	struct ksym *k = find_containing(syms, addr), tmp;
	size_t at;

	if (k && k->addr == addr)
		return k;
	at = k ? (size_t)(k - syms->ksyms) + 1 : 0;	/* before add moves it */
	if (add_ksym(syms, addr, name, strlen(name)))
		return NULL;
	tmp = syms->ksyms[syms->nr_ksyms - 1];
	memmove(&syms->ksyms[at + 1], &syms->ksyms[at],
		(syms->nr_ksyms - 1 - at) * sizeof(tmp));
	syms->ksyms[at] = tmp;
	return &syms->ksyms[at];
}

/* The function containing @addr, from kallsyms or else the tep's. */
static struct ksym *lookup(struct symbols *syms, uint64_t addr)
{
	unsigned long long start;
	unsigned long size;
	const char *name;

	if (!syms->tep)
		return find_containing(syms, addr);
	/* 1 when found */
	if (tep_find_function_info(syms->tep, addr, &name, &start, &size) != 1)
		return NULL;
	return insert_ksym(syms, start, name);
}

static uint32_t resolve_uncached(struct symbols *syms, uint64_t addr)
{
	struct ksym *k = lookup(syms, addr);
	char hex[32];
	int64_t off;

	if (k) {
		if (k->dense == UINT32_MAX)
			k->dense = new_dense(syms, k->name);
		return k->dense;
	}
	snprintf(hex, sizeof(hex), "0x%" PRIx64, addr);
	off = pool_add(syms, hex, strlen(hex));
	return off < 0 ? UINT32_MAX : new_dense(syms, (uint32_t)off);
}

uint32_t symbols_resolve(struct symbols *syms, uint64_t addr)
{
	uint64_t *dense;
	int ret = hashtab_get_or_add(&syms->cache, addr, &dense);

	if (ret < 0)
		return UINT32_MAX;
	if (ret)
		*dense = resolve_uncached(syms, addr);
	return (uint32_t)*dense;
}

uint32_t symbols_intern(struct symbols *syms, const char *name)
{
	uint32_t i;
	int64_t off;

	for (i = 0; i < syms->nr_dense; i++)
		if (!strcmp(syms->pool + syms->dense_name[i], name))
			return i;
	off = pool_add(syms, name, strlen(name));
	return off < 0 ? UINT32_MAX : new_dense(syms, (uint32_t)off);
}

const char *symbols_name(const struct symbols *syms, uint32_t idx)
{
	if (!syms || idx >= syms->nr_dense)
		return "?";
	return syms->pool + syms->dense_name[idx];
}

int symbols_write_seen(const struct symbols *syms, FILE *out)
{
	size_t i;

	for (i = 0; i < syms->nr_ksyms; i++) {
		const struct ksym *k = &syms->ksyms[i];

		if (k->dense != UINT32_MAX)
			fprintf(out, "%016" PRIx64 " t %s\n", k->addr,
				syms->pool + k->name);
	}
	return ferror(out) ? -EIO : 0;
}
