// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * memslot_probe.c - the kvmmmu_graph/memslot kprobe event: which function,
 * which offsets (from BTF), its kprobe_events line, its life cycle.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tracefs.h>

#include "msg.h"
#include "btf.h"
#include "memslot_probe.h"
#include "profile.h"
#include "tracing_session.h"

#define MAX_ARG_N	16
#define BTF_VMLINUX	"/sys/kernel/btf/vmlinux"
#define BTF_KVM		"/sys/kernel/btf/kvm"
#define LOCKDOWN_FILE	"/sys/kernel/security/lockdown"
#define PROBE_FILE	"kprobe_events"
#define EVENT_DIR	"events/" MEMSLOT_EVENT_SYSTEM "/" MEMSLOT_EVENT_NAME
#define LEARN_DIR	"events/" MEMSLOT_EVENT_SYSTEM "/" MEMSLOT_LEARN_NAME

struct memslot_probe {
	struct memslot_site site;
	char def[MEMSLOT_DEF_LEN];
	bool top_enabled;	/* enabled in the top level by us */
	bool learn;		/* the memslot_learn event exists for us */
	bool learn_top_enabled;
	char learn_why[MEMSLOT_WHY_LEN];
};

/* ---- the directive ---- */

/* "$argN" -> N in 1..MAX_ARG_N, else 0 */
static unsigned int arg_number(const char *s, size_t len)
{
	unsigned int n = 0;
	size_t i;

	if (len < 5 || len > 6 || strncmp(s, "$arg", 4))
		return 0;
	for (i = 4; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		n = n * 10 + (unsigned int)(s[i] - '0');
	}
	return n <= MAX_ARG_N ? n : 0;
}

/* One "key=$argN" word; 0 or -EINVAL. */
static int parse_word(const char *w, size_t len, struct memslot_site *site)
{
	const char *eq = memchr(w, '=', len);
	unsigned int *slot, n;
	size_t klen;

	if (!eq)
		return -EINVAL;
	klen = (size_t)(eq - w);
	if (klen == 4 && !strncmp(w, "slot", 4))
		slot = &site->slot_arg;
	else if (klen == 3 && !strncmp(w, "gfn", 3))
		slot = &site->gfn_arg;
	else if (klen == 5 && !strncmp(w, "fault", 5))
		slot = &site->fault_arg;
	else
		return -EINVAL;
	n = arg_number(eq + 1, len - klen - 1);
	if (!n || *slot)
		return -EINVAL;
	*slot = n;
	return 0;
}

static bool valid_func(const char *s, size_t len)
{
	size_t i;

	if (!len || len >= MEMSLOT_FUNC_LEN)
		return false;
	for (i = 0; i < len; i++)
		if (!(s[i] == '_' || s[i] == '.' || (s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
			return false;
	return true;
}

int memslot_site_parse(const char *spec, struct memslot_site *site)
{
	const char *p = spec;
	size_t len;
	bool first = true;

	memset(site, 0, sizeof(*site));
	while (p && *p) {
		p += strspn(p, " \t");
		len = strcspn(p, " \t");
		if (!len)
			break;
		if (first && !valid_func(p, len))
			return -EINVAL;
		if (first)
			memcpy(site->func, p, len);
		else if (parse_word(p, len, site))
			return -EINVAL;
		first = false;
		p += len;
	}
	if (!site->func[0])
		return -EINVAL;
	if (site->fault_arg)
		return site->slot_arg || site->gfn_arg ? -EINVAL : 0;
	return site->slot_arg && site->gfn_arg ? 0 : -EINVAL;
}

/* ---- offsets ---- */

static int member(const struct btf *btf, const char *st, const char *m,
		  unsigned int *off, unsigned int *size, char *why,
		  size_t whylen)
{
	int ret = btf_member_offset(btf, st, m, off, size);

	if (ret)
		msg_set(why, whylen, "BTF has no %s.%s (%s)", st, m,
			strerror(-ret));
	return ret;
}

int memslot_offsets_from_btf(const struct btf *btf,
			     struct memslot_offsets *off,
			     char *why, size_t whylen)
{
	int ret;

	memset(off, 0, sizeof(*off));
	ret = member(btf, "kvm_memory_slot", "id", &off->id, &off->id_size,
		     why, whylen);
	if (!ret)
		ret = member(btf, "kvm_memory_slot", "base_gfn", &off->base_gfn,
			     &off->base_gfn_size, why, whylen);
	if (!ret)
		ret = member(btf, "kvm_memory_slot", "userspace_addr",
			     &off->uaddr, &off->uaddr_size, why, whylen);
	if (!ret)
		ret = member(btf, "kvm_memory_slot", "npages", &off->npages,
			     &off->npages_size, why, whylen);
	if (ret)
		return ret;
	off->have_fault =
		!btf_member_offset(btf, "kvm_page_fault", "slot",
				   &off->fault_slot, &off->fault_slot_size) &&
		!btf_member_offset(btf, "kvm_page_fault", "gfn",
				   &off->fault_gfn, &off->fault_gfn_size);
	return 0;
}

/* ---- the kprobe_events line ---- */

/* "s16", "u64"...: a fetch type for a member of @size bytes */
static int fetch_type(unsigned int size, bool is_signed, char *buf,
		      size_t len)
{
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return -EOPNOTSUPP;
	snprintf(buf, len, "%c%u", is_signed ? 's' : 'u', size * 8);
	return 0;
}

/*
 * @slot: fetch argument of the memslot pointer ("$arg1", "+40($arg2)"),
 * @gfn: fetch argument of the gfn, with its type.
 * The pointer itself is the last field: KVM calls the fault-in functions
 * with no slot too (MMIO, a gfn outside every slot), and a kprobe that
 * cannot read through it leaves the other fields as they were in the
 * ring buffer, so a record whose slot is 0 says nothing.
 */
static int format_line(const char *event, const struct memslot_site *site,
		       const struct memslot_offsets *off, const char *slot,
		       const char *gfn, char *buf, size_t len)
{
	char tid[8], tbase[8], tuaddr[8], tnpages[8];
	int n;

	if (fetch_type(off->id_size, true, tid, sizeof(tid)) ||
	    fetch_type(off->base_gfn_size, false, tbase, sizeof(tbase)) ||
	    fetch_type(off->uaddr_size, false, tuaddr, sizeof(tuaddr)) ||
	    fetch_type(off->npages_size, false, tnpages, sizeof(tnpages)))
		return -EOPNOTSUPP;
	n = snprintf(buf, len, "p:%s/%s %s slot_id=+%u(%s):%s "
		     "base_gfn=+%u(%s):%s uaddr=+%u(%s):%s "
		     "npages=+%u(%s):%s gfn=%s slot=%s:x64",
		     MEMSLOT_EVENT_SYSTEM, event, site->func,
		     off->id, slot, tid, off->base_gfn, slot, tbase,
		     off->uaddr, slot, tuaddr, off->npages, slot, tnpages,
		     gfn, slot);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

static int format_event(const char *event, const struct memslot_site *site,
			const struct memslot_offsets *off, char *buf, size_t len)
{
	char slot[48], gfn[48], tgfn[8];

	if (site->fault_arg) {
		if (!off->have_fault || off->fault_slot_size != 8 ||
		    fetch_type(off->fault_gfn_size, false, tgfn, sizeof(tgfn)))
			return -EOPNOTSUPP;
		snprintf(slot, sizeof(slot), "+%u($arg%u)", off->fault_slot,
			 site->fault_arg);
		snprintf(gfn, sizeof(gfn), "+%u($arg%u):%s", off->fault_gfn,
			 site->fault_arg, tgfn);
	} else {
		snprintf(slot, sizeof(slot), "$arg%u", site->slot_arg);
		snprintf(gfn, sizeof(gfn), "$arg%u:u64", site->gfn_arg);
	}
	return format_line(event, site, off, slot, gfn, buf, len);
}

int memslot_probe_format(const struct memslot_site *site,
			 const struct memslot_offsets *off,
			 char *buf, size_t len)
{
	return format_event(MEMSLOT_EVENT_NAME, site, off, buf, len);
}

int memslot_learn_format(const struct memslot_site *site,
			 const struct memslot_offsets *off,
			 char *buf, size_t len)
{
	return format_event(MEMSLOT_LEARN_NAME, site, off, buf, len);
}

/* ---- the choice ---- */

int memslot_choose(const struct profile *prof,
		   const struct memslot_offsets *off,
		   memslot_try_fn try, void *ctx,
		   struct memslot_site *site, char *def, size_t deflen,
		   char *why, size_t whylen)
{
	unsigned int i, n = profile_nr_memslot_probes(prof);
	const char *spec;
	char one[256];
	int ret = -ENOENT;

	msg_set(why, whylen, "%s", "");
	if (!n)
		msg_set(why, whylen, "profile %s has no memslot_probe function",
			profile_name(prof));
	for (i = 0; i < n; i++) {
		spec = profile_memslot_probe(prof, i);
		ret = memslot_site_parse(spec, site);
		if (ret) {
			msg_add(why, whylen, "'%s': bad memslot_probe", spec);
			continue;
		}
		ret = memslot_probe_format(site, off, def, deflen);
		if (ret) {
			msg_add(why, whylen, "%s: %s", site->func, ret == -ENOSPC ?
				"definition too long" : "BTF lacks kvm_page_fault "
				"slot/gfn");
			continue;
		}
		one[0] = '\0';
		ret = try(site, def, ctx, one, sizeof(one));
		if (!ret)
			return 0;
		msg_add(why, whylen, "%s: %s", site->func, one);
	}
	return ret;
}

/* ---- the live kernel ---- */

/* The traceable functions: available_filter_functions, else kallsyms. */
struct func_list {
	char *text;
	bool from_kallsyms;
};

static int read_whole(const char *path, char **out)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap), *tmp;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !buf) {
		n = fd < 0 ? -errno : -ENOMEM;
		free(buf);
		if (fd >= 0)
			close(fd);
		return (int)n;
	}
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (cap - len > 1)
			continue;
		tmp = realloc(buf, cap * 2);
		if (!tmp) {
			n = -ENOMEM;
			break;
		}
		buf = tmp;
		cap *= 2;
	}
	if (n < 0)
		n = n == -ENOMEM ? n : -errno;
	close(fd);
	if (n < 0) {
		free(buf);
		return (int)n;
	}
	buf[len] = '\0';
	*out = buf;
	return 0;
}

static void func_list_load(struct func_list *fl)
{
	fl->from_kallsyms = false;
	if (!tracing_read_file(NULL, "available_filter_functions", &fl->text))
		return;
	fl->text = NULL;
	fl->from_kallsyms = true;
	if (read_whole("/proc/kallsyms", &fl->text))
		fl->text = NULL;
}

/* Is @name a whole word, followed by blank, '\t', '\n' or the end? */
static bool has_name(const char *text, const char *name, bool kallsyms)
{
	size_t n = strlen(name);
	const char *p;
	char c;

	for (p = text; p && (p = strstr(p, name)); p += n) {
		c = p[n];
		if (c && c != ' ' && c != '\t' && c != '\n')
			continue;
		if (!kallsyms && (p == text || p[-1] == '\n'))
			return true;
		if (kallsyms && p - text >= 3 && p[-1] == ' ' &&
		    (p[-2] == 't' || p[-2] == 'T') && p[-3] == ' ')
			return true;
	}
	return false;
}

static int traceable(const struct func_list *fl, const char *func,
		     char *why, size_t whylen)
{
	if (!fl->text) {
		msg_set(why, whylen, "cannot read available_filter_functions "
			"or /proc/kallsyms");
		return -EACCES;
	}
	if (has_name(fl->text, func, fl->from_kallsyms))
		return 0;
	msg_set(why, whylen, "not %s on this kernel", fl->from_kallsyms ?
		"in kallsyms" : "traceable (available_filter_functions)");
	return -ENOENT;
}

static void lockdown_mode(char *buf, size_t len)
{
	char line[128] = "", *b, *e;
	FILE *f = fopen(LOCKDOWN_FILE, "re");

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(line, sizeof(line), f)) {
		b = strchr(line, '[');
		e = b ? strchr(b, ']') : NULL;
		if (b && e)
			snprintf(buf, len, "%.*s", (int)(e - b - 1), b + 1);
	}
	fclose(f);
}

/* Kprobe events usable at all? */
static int check_kprobes(char *why, size_t whylen)
{
	char mode[32];

	if (!tracefs_tracing_dir()) {
		msg_set(why, whylen, "tracefs is not mounted");
		return -ENOENT;
	}
	if (!tracefs_file_exists(NULL, PROBE_FILE)) {
		msg_set(why, whylen, "this kernel has no kprobe events (no "
			"%s in tracefs)", PROBE_FILE);
		return -EOPNOTSUPP;
	}
	lockdown_mode(mode, sizeof(mode));
	if (!strcmp(mode, "confidentiality")) {
		msg_set(why, whylen, "kernel lockdown (%s) forbids kprobes",
			mode);
		return -EPERM;
	}
	return 0;
}

static int load_offsets(struct memslot_offsets *off, char *why,
			size_t whylen)
{
	struct btf *vmlinux, *kvm = NULL;
	int ret;

	vmlinux = btf_load(BTF_VMLINUX, NULL);
	if (!vmlinux) {
		ret = -errno;
		msg_set(why, whylen, "no kernel BTF (%s: %s)", BTF_VMLINUX,
			strerror(errno));
		return ret;
	}
	if (!access(BTF_KVM, F_OK)) {
		kvm = btf_load(BTF_KVM, vmlinux);
		if (!kvm) {
			ret = -errno;
			msg_set(why, whylen, "%s: %s", BTF_KVM, strerror(errno));
			btf_free(vmlinux);
			return ret;
		}
	}
	ret = memslot_offsets_from_btf(kvm ? kvm : vmlinux, off, why, whylen);
	if (ret && !kvm)
		msg_add(why, whylen, "no %s (is kvm loaded?)", BTF_KVM);
	btf_free(kvm);
	btf_free(vmlinux);
	return ret;
}

/* Kprobes, lockdown, BTF: everything before the choice of a function. */
static int prepare(struct memslot_offsets *off, char *why, size_t whylen)
{
	int ret = check_kprobes(why, whylen);

	return ret ? ret : load_offsets(off, why, whylen);
}

/*
 * The memslot_learn lines this kernel can probe, each ending in '\n',
 * into @lines; "FUNC: reason" of the others into @why.
 */
static void learn_lines(const struct profile *prof,
			const struct memslot_offsets *off,
			const struct func_list *fl, char *lines, size_t len,
			char *why, size_t whylen)
{
	unsigned int i, n = profile_nr_memslot_learn(prof);
	struct memslot_site site;
	char def[MEMSLOT_DEF_LEN], one[256];
	const char *spec;

	lines[0] = '\0';
	for (i = 0; i < n; i++) {
		spec = profile_memslot_learn(prof, i);
		if (memslot_site_parse(spec, &site)) {
			msg_add(why, whylen, "'%s': bad memslot_learn", spec);
			continue;
		}
		if (memslot_learn_format(&site, off, def, sizeof(def))) {
			msg_add(why, whylen, "%s: no definition for it",
				site.func);
			continue;
		}
		if (traceable(fl, site.func, one, sizeof(one))) {
			msg_add(why, whylen, "%s: %s", site.func, one);
			continue;
		}
		if (strlen(lines) + strlen(def) + 2 > len) {
			msg_add(why, whylen, "%s: too many lines", site.func);
			continue;
		}
		strcat(lines, def);
		strcat(lines, "\n");
	}
}

static int try_plan(const struct memslot_site *site, const char *def,
		    void *ctx, char *why, size_t whylen)
{
	(void)def;
	return traceable(ctx, site->func, why, whylen);
}

void memslot_probe_plan(const struct profile *prof, struct memslot_plan *plan)
{
	struct memslot_offsets off;
	struct func_list fl = { 0 };

	memset(plan, 0, sizeof(*plan));
	if (prepare(&off, plan->why, sizeof(plan->why)))
		return;
	func_list_load(&fl);
	plan->ok = !memslot_choose(prof, &off, try_plan, &fl, &plan->site,
				   plan->def, sizeof(plan->def), plan->why,
				   sizeof(plan->why));
	if (plan->ok)
		learn_lines(prof, &off, &fl, plan->learn_defs,
			    sizeof(plan->learn_defs), plan->learn_why,
			    sizeof(plan->learn_why));
	free(fl.text);
}

/* ---- creating and removing ---- */

/* Append one command to kprobe_events; 0 or -errno. */
static int probe_command(const char *cmd)
{
	char *path = tracefs_instance_get_file(NULL, PROBE_FILE);
	size_t len = strlen(cmd);
	int fd, ret = 0;

	if (!path)
		return -ENOMEM;
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	tracefs_put_tracing_file(path);
	if (fd < 0)
		return -errno;
	if (write(fd, cmd, len) != (ssize_t)len)
		ret = errno ? -errno : -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

/* Delete event @name of our group, all its probes; 0 or -errno. */
static int delete_event(const char *name)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "-:%s/%s\n", MEMSLOT_EVENT_SYSTEM, name);
	return probe_command(cmd);
}

/*
 * The lines of event @name in kprobe_events (one per probe, an event
 * can have several), joined by '\n'; NULL if none.
 */
static char *current_lines(const char *name)
{
	char prefix[128], *text, *line, *save, *found = NULL, *tmp;
	size_t len = 0, n;

	snprintf(prefix, sizeof(prefix), "p:%s/%s ", MEMSLOT_EVENT_SYSTEM,
		 name);
	if (tracing_read_file(NULL, PROBE_FILE, &text))
		return NULL;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, prefix, strlen(prefix)))
			continue;
		n = strlen(line);
		tmp = realloc(found, len + n + 2);
		if (!tmp)
			break;
		found = tmp;
		if (len)
			found[len++] = '\n';
		memcpy(found + len, line, n + 1);
		len += n;
	}
	free(text);
	return found;
}

/* Is every line of @cur one of the '\n'-separated lines of @want? */
static bool lines_within(const char *cur, const char *want)
{
	const char *l, *w;
	size_t n, m;

	for (l = cur; *l; l += n + (l[n] == '\n')) {
		n = strcspn(l, "\n");
		for (w = want; *w; w += m + (w[m] == '\n')) {
			m = strcspn(w, "\n");
			if (m == n && !strncmp(l, w, n))
				break;
		}
		if (!*w)
			return false;
	}
	return true;
}

/*
 * Event @name exists: share it if it is ours to the letter (a live run
 * made it: each of its lines is one of @want), else delete it if no
 * one has it enabled.
 */
static int settle_existing(const char *name, const char *want,
			   bool *shared, char *why, size_t whylen)
{
	char *cur = current_lines(name);
	int ret;

	*shared = cur && *cur && lines_within(cur, want);
	free(cur);
	if (*shared)
		return 0;
	ret = delete_event(name);
	if (ret)
		msg_set(why, whylen, "another %s/%s event exists and is in "
			"use (%s)", MEMSLOT_EVENT_SYSTEM, name, strerror(-ret));
	return ret;
}

static int add_line(const char *def, char *why, size_t whylen)
{
	char cmd[MEMSLOT_DEF_LEN + 2];
	int ret;

	snprintf(cmd, sizeof(cmd), "%s\n", def);
	ret = probe_command(cmd);
	if (ret)
		msg_set(why, whylen, "kprobe_events refused it (%s)",
			ret == -EPERM ? "EPERM: lockdown?" : strerror(-ret));
	return ret;
}

static int write_definition(const char *def, char *why, size_t whylen)
{
	bool shared = false;
	int ret = 0;

	if (tracefs_file_exists(NULL, EVENT_DIR "/format"))
		ret = settle_existing(MEMSLOT_EVENT_NAME, def, &shared, why,
				      whylen);
	if (ret || shared)
		return ret;
	ret = add_line(def, why, whylen);
	if (!ret && !tracefs_file_exists(NULL, EVENT_DIR "/format")) {
		ret = -ENOENT;
		msg_set(why, whylen, "no %s after creating it", EVENT_DIR);
	}
	return ret;
}

static int try_create(const struct memslot_site *site, const char *def,
		      void *ctx, char *why, size_t whylen)
{
	int ret = traceable(ctx, site->func, why, whylen);

	return ret ? ret : write_definition(def, why, whylen);
}

/* ---- memslot_learn: more functions, on an event of their own ---- */

/* Create (or share) the memslot_learn event from @lines; notes in @p. */
static void learn_create(struct memslot_probe *p, const char *lines)
{
	char one[256], *why = p->learn_why;
	size_t whylen = sizeof(p->learn_why), n;
	bool shared = false;
	const char *l, *func;

	if (!*lines)
		return;
	if (tracefs_file_exists(NULL, LEARN_DIR "/format") &&
	    settle_existing(MEMSLOT_LEARN_NAME, lines, &shared, one,
			    sizeof(one))) {
		msg_add(why, whylen, "%s", one);
		return;
	}
	p->learn = shared;
	for (l = lines; !shared && *l; l += n + 1) {
		char def[MEMSLOT_DEF_LEN];

		n = strcspn(l, "\n");
		snprintf(def, sizeof(def), "%.*s", (int)n, l);
		/* the first line creates the event, the others add probes */
		if (!add_line(def, one, sizeof(one))) {
			p->learn = true;
			continue;
		}
		func = strchr(def, ' ');	/* "p:GRP/EVENT FUNC args" */
		func = func ? func + 1 : def;
		msg_add(why, whylen, "%.*s: %s", (int)strcspn(func, " "), func,
			one);
	}
}

int memslot_probe_create(const struct profile *prof,
			 struct memslot_probe **out, char *why, size_t whylen)
{
	char lines[4 * MEMSLOT_DEF_LEN];
	struct memslot_offsets off;
	struct func_list fl = { 0 };
	struct memslot_probe *p;
	int ret;

	*out = NULL;
	ret = prepare(&off, why, whylen);
	if (ret)
		return ret;
	p = calloc(1, sizeof(*p));
	if (!p) {
		msg_set(why, whylen, "out of memory");
		return -ENOMEM;
	}
	func_list_load(&fl);
	ret = memslot_choose(prof, &off, try_create, &fl, &p->site, p->def,
			     sizeof(p->def), why, whylen);
	if (!ret) {
		learn_lines(prof, &off, &fl, lines, sizeof(lines),
			    p->learn_why, sizeof(p->learn_why));
		learn_create(p, lines);
	}
	free(fl.text);
	if (ret) {
		free(p);
		return ret;
	}
	*out = p;
	return 0;
}

const char *memslot_probe_learn_why(const struct memslot_probe *p)
{
	return p->learn_why;
}

int memslot_probe_enable(struct memslot_probe *p, struct tracefs_instance *inst)
{
	errno = 0;
	if (tracefs_instance_file_write(inst, EVENT_DIR "/enable", "1") < 0)
		return errno ? -errno : -EIO;
	p->top_enabled = inst == NULL;
	if (!p->learn)
		return 0;
	errno = 0;
	if (tracefs_instance_file_write(inst, LEARN_DIR "/enable", "1") < 0) {
		msg_add(p->learn_why, sizeof(p->learn_why), "cannot enable "
			"%s/%s: %s", MEMSLOT_EVENT_SYSTEM, MEMSLOT_LEARN_NAME,
			strerror(errno ? errno : EIO));
		p->learn = false;
		delete_event(MEMSLOT_LEARN_NAME);
		return 0;
	}
	p->learn_top_enabled = inst == NULL;
	return 0;
}

void memslot_probe_remove(struct memslot_probe *p)
{
	if (!p)
		return;
	if (p->top_enabled)
		tracefs_instance_file_write(NULL, EVENT_DIR "/enable", "0");
	if (p->learn_top_enabled)
		tracefs_instance_file_write(NULL, LEARN_DIR "/enable", "0");
	/* EBUSY: another live run still uses it */
	delete_event(MEMSLOT_EVENT_NAME);
	if (p->learn)
		delete_event(MEMSLOT_LEARN_NAME);
	free(p);
}
