// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view_metrics.c - --metrics ADDR:PORT and --metrics-file FILE: fault
 * counts and latency histograms per VM process, fault type, cause and
 * phase, plus lost events and the tool's own cost, in the Prometheus text
 * format (OpenMetrics when a scraper asks for it), updated as faults
 * arrive.
 *
 * Cardinality is bounded: no per-GPA or per-vCPU labels, at most MAX_VMS
 * VM processes (the rest share pid="other"), at most MAX_CAUSES causes
 * (the profile's cause names; the rest share cause="other"), and fixed
 * histogram buckets. The server thread renders under the same mutex that
 * add_fault() takes; the file is rewritten (temporary file + rename) every
 * second from that thread and once more at the end of the run.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "metrics_server.h"
#include "profile.h"
#include "fault_cause.h"
#include "view.h"

#define MAX_VMS		64
#define MAX_CAUSES	16
#define CAUSE_LEN	32

/* Upper bounds (le) of the histogram buckets, in ns: 1 us to 1 s. */
static const uint64_t bounds_ns[] = {
	1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
	1000000, 2500000, 5000000, 10000000, 25000000, 50000000,
	100000000, 250000000, 500000000, 1000000000,
};

#define NR_BOUNDS	(sizeof(bounds_ns) / sizeof(bounds_ns[0]))

/* Values above the last bound are in count only (the +Inf bucket). */
struct mhist {
	uint64_t buckets[NR_BOUNDS];
	uint64_t count;
	uint64_t sum_ns;
};

struct vm_metrics {
	int pid;			/* -1: every VM past MAX_VMS */
	uint64_t faults[FAULT_KIND_COUNT][MAX_CAUSES];
	uint64_t incomplete;
	uint64_t ahead[FAULT_ORIGIN_COUNT];	/* faults KVM took itself */
	struct mhist delay[FAULT_KIND_COUNT];
	struct mhist phase[PROFILE_MAX_PHASES];
};

struct metrics {
	const struct view_options *o;
	pthread_mutex_t lock;
	struct metrics_server *server;
	char causes[MAX_CAUSES][CAUSE_LEN];
	unsigned int nr_causes;
	struct vm_metrics *vms[MAX_VMS + 1];
	unsigned int nr_vms;
	uint64_t seen;
	struct run_info ri;		/* counters only */
	bool finished;
	struct timespec start;
	char *tmp_path;
};

static bool metrics_wanted(const struct view_options *o)
{
	return o->metrics_addr || o->metrics_file;
}

/* ---- counting ---- */

static void mhist_add(struct mhist *h, uint64_t ns)
{
	unsigned int i;

	for (i = 0; i < NR_BOUNDS; i++) {
		if (ns <= bounds_ns[i]) {
			h->buckets[i]++;
			break;
		}
	}
	h->count++;
	h->sum_ns += ns;
}

/* NULL when out of memory. */
static struct vm_metrics *vm_of(struct metrics *m, int pid)
{
	unsigned int i;

	for (i = 0; i < m->nr_vms; i++)
		if (m->vms[i]->pid == pid)
			return m->vms[i];
	if (m->nr_vms == MAX_VMS) {
		if (!m->vms[MAX_VMS]) {
			m->vms[MAX_VMS] = calloc(1, sizeof(struct vm_metrics));
			if (m->vms[MAX_VMS])
				m->vms[MAX_VMS]->pid = -1;
		}
		return m->vms[MAX_VMS];
	}
	m->vms[m->nr_vms] = calloc(1, sizeof(struct vm_metrics));
	if (!m->vms[m->nr_vms])
		return NULL;
	m->vms[m->nr_vms]->pid = pid;
	return m->vms[m->nr_vms++];
}

static unsigned int cause_of(struct metrics *m, const char *cause)
{
	unsigned int i;

	for (i = 0; i < m->nr_causes; i++)
		if (!strcmp(m->causes[i], cause))
			return i;
	if (m->nr_causes < MAX_CAUSES - 1) {
		snprintf(m->causes[i], CAUSE_LEN, "%s", cause);
		return m->nr_causes++;
	}
	if (m->nr_causes == MAX_CAUSES - 1)
		snprintf(m->causes[m->nr_causes++], CAUSE_LEN, "other");
	return MAX_CAUSES - 1;
}

static int metrics_add(void *state, const struct fault *f)
{
	struct metrics *m = state;
	unsigned int nr = profile_nr_phases(m->o->prof), i, c;
	uint64_t ns[PROFILE_MAX_PHASES];
	unsigned char seen[PROFILE_MAX_PHASES] = { 0 };
	enum fault_kind kind = f->kind < FAULT_KIND_COUNT ? f->kind :
			       FAULT_KIND_NORMAL;
	struct vm_metrics *vm;
	const char *cause = fault_cause_name(m->o->prof, f->cause);
	int ret = 0;

	if (f->complete && f->has_tree)
		fault_phase_times(f, nr, ns, seen);
	pthread_mutex_lock(&m->lock);
	m->seen++;
	vm = vm_of(m, f->pid);
	if (!vm) {
		ret = -ENOMEM;
		goto out;
	}
	c = cause_of(m, cause);
	vm->faults[kind][c]++;
	if (f->origin != FAULT_ORIGIN_GUEST && f->origin < FAULT_ORIGIN_COUNT)
		vm->ahead[f->origin]++;
	if (!f->complete) {
		vm->incomplete++;
		goto out;
	}
	mhist_add(&vm->delay[kind], f->delay_ns);
	for (i = 0; i < nr; i++)
		if (seen[i])
			mhist_add(&vm->phase[i], ns[i]);
out:
	pthread_mutex_unlock(&m->lock);
	return ret;
}

/* ---- the exposition ---- */

/* ns as seconds: "0.000001", "1.0", "12.5" (exact, no exponent). */
static void put_seconds(FILE *out, uint64_t ns)
{
	char frac[16];
	int i;

	snprintf(frac, sizeof(frac), "%09" PRIu64, ns % 1000000000);
	for (i = 8; i > 0 && frac[i] == '0'; i--)
		frac[i] = '\0';
	fprintf(out, "%" PRIu64 ".%s", ns / 1000000000, frac);
}

/* A label value with \, " and newline escaped. */
static void put_label_value(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(out, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

static void put_pid(FILE *out, int pid)
{
	if (pid < 0)
		fputs("pid=\"other\"", out);
	else
		fprintf(out, "pid=\"%d\"", pid);
}

/* A metric family: HELP and TYPE once, before its first sample. */
struct family {
	FILE *out;
	bool om;
	const char *name;
	const char *type;
	const char *help;
	bool started;
};

static void family_start(struct family *fam)
{
	size_t n = strlen(fam->name);

	if (fam->started)
		return;
	fam->started = true;
	/* OpenMetrics names a counter without its _total suffix */
	if (fam->om && !strcmp(fam->type, "counter") && n > 6 &&
	    !strcmp(fam->name + n - 6, "_total"))
		n -= 6;
	fprintf(fam->out, "# HELP %.*s %s\n# TYPE %.*s %s\n", (int)n,
		fam->name, fam->help, (int)n, fam->name, fam->type);
}

static void put_scalar(FILE *out, bool om, const char *name,
		       const char *type, const char *help, uint64_t v)
{
	struct family fam = { out, om, name, type, help, false };

	family_start(&fam);
	fprintf(out, "%s %" PRIu64 "\n", name, v);
}

/* One histogram; @labels is printed before le (no trailing comma). */
static void put_hist(FILE *out, const char *name, const char *labels,
		     const struct mhist *h)
{
	uint64_t cum = 0;
	unsigned int i;

	for (i = 0; i < NR_BOUNDS; i++) {
		cum += h->buckets[i];
		fprintf(out, "%s_bucket{%s,le=\"", name, labels);
		put_seconds(out, bounds_ns[i]);
		fprintf(out, "\"} %" PRIu64 "\n", cum);
	}
	fprintf(out, "%s_bucket{%s,le=\"+Inf\"} %" PRIu64 "\n", name, labels,
		h->count);
	fprintf(out, "%s_sum{%s} ", name, labels);
	put_seconds(out, h->sum_ns);
	fprintf(out, "\n%s_count{%s} %" PRIu64 "\n", name, labels, h->count);
}

static void put_faults(const struct metrics *m, FILE *out, bool om)
{
	struct family fam = { out, om, "kvmmmu_faults_total", "counter",
		"Faults rebuilt, by VM process, fault type and cause "
		"(why it was slow, the CAUSE column).", false };
	struct family inc = { out, om, "kvmmmu_incomplete_faults_total",
		"counter", "Faults touched by lost events or truncation "
		"(counted in kvmmmu_faults_total, not in the histograms).",
		false };
	struct family ahead = { out, om, "kvmmmu_faults_ahead_total",
		"counter", "Faults KVM took to map pages ahead of the guest, "
		"by origin (prefault, async-pf): counted in kvmmmu_faults_total "
		"but not in KVM's pf_taken.", false };
	const struct vm_metrics *vm;
	unsigned int i, k, c;

	for (i = 0; i <= MAX_VMS; i++) {
		vm = m->vms[i];
		for (k = FAULT_ORIGIN_GUEST + 1; vm && k < FAULT_ORIGIN_COUNT;
		     k++) {
			if (!vm->ahead[k])
				continue;
			family_start(&ahead);
			fputs("kvmmmu_faults_ahead_total{", out);
			put_pid(out, vm->pid);
			fprintf(out, ",origin=\"%s\"} %" PRIu64 "\n",
				fault_origin_name(k), vm->ahead[k]);
		}
	}
	for (i = 0; i <= MAX_VMS; i++) {
		vm = m->vms[i];
		for (k = 0; vm && k < FAULT_KIND_COUNT; k++) {
			for (c = 0; c < m->nr_causes; c++) {
				if (!vm->faults[k][c])
					continue;
				family_start(&fam);
				fputs("kvmmmu_faults_total{", out);
				put_pid(out, vm->pid);
				fprintf(out, ",type=\"%s\",cause=\"",
					fault_kind_name(k));
				put_label_value(out, m->causes[c]);
				fprintf(out, "\"} %" PRIu64 "\n",
					vm->faults[k][c]);
			}
		}
	}
	for (i = 0; i <= MAX_VMS; i++) {
		vm = m->vms[i];
		if (!vm)
			continue;
		family_start(&inc);
		fputs("kvmmmu_incomplete_faults_total{", out);
		put_pid(out, vm->pid);
		fprintf(out, "} %" PRIu64 "\n", vm->incomplete);
	}
}

/* pid="N" (or "other") and one more label, for a histogram's series. */
static void hist_labels(char *buf, size_t len, int pid, const char *key,
			const char *value)
{
	char *p;
	int n;

	n = pid < 0 ? snprintf(buf, len, "pid=\"other\",%s=\"", key) :
		      snprintf(buf, len, "pid=\"%d\",%s=\"", pid, key);
	if (n < 0 || (size_t)n >= len - 2)
		return;
	p = buf + n;
	for (; *value && p < buf + len - 3; value++) {
		if (*value == '\\' || *value == '"' || *value == '\n')
			*p++ = '\\';
		*p++ = *value == '\n' ? 'n' : *value;
	}
	*p++ = '"';
	*p = '\0';
}

static void put_histograms(const struct metrics *m, FILE *out, bool om)
{
	struct family delay = { out, om, "kvmmmu_fault_duration_seconds",
		"histogram", "Time of complete faults (kvm_mmu_page_fault, "
		"or kvm_page_fault to the next kvm_entry in events-only), by "
		"VM process and fault type.", false };
	struct family phase = { out, om, "kvmmmu_phase_duration_seconds",
		"histogram", "Time of each profile phase inside complete "
		"faults that have a call tree, by VM process and phase.",
		false };
	const struct profile *prof = m->o->prof;
	unsigned int nr = profile_nr_phases(prof), i, k;
	const struct vm_metrics *vm;
	char labels[256];

	for (i = 0; i <= MAX_VMS; i++) {
		vm = m->vms[i];
		for (k = 0; vm && k < FAULT_KIND_COUNT; k++) {
			if (!vm->delay[k].count)
				continue;
			family_start(&delay);
			hist_labels(labels, sizeof(labels), vm->pid, "type",
				    fault_kind_name(k));
			put_hist(out, delay.name, labels, &vm->delay[k]);
		}
	}
	for (i = 0; i <= MAX_VMS; i++) {
		vm = m->vms[i];
		for (k = 0; vm && k < nr; k++) {
			if (!vm->phase[k].count)
				continue;
			family_start(&phase);
			hist_labels(labels, sizeof(labels), vm->pid, "phase",
				    profile_phase_name(prof, k));
			put_hist(out, phase.name, labels, &vm->phase[k]);
		}
	}
}

static uint64_t timeval_ns(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * 1000000000ull +
	       (uint64_t)tv.tv_usec * 1000ull;
}

/* The run's counters and the tool's own cost. */
static void put_run(const struct metrics *m, FILE *out, bool om)
{
	struct family cpu = { out, om, "kvmmmu_cpu_seconds_total", "counter",
		"CPU time kvmmmu-graph itself used (getrusage), by mode.",
		false };
	struct family t0 = { out, om, "kvmmmu_start_time_seconds", "gauge",
		"When kvmmmu-graph started, in seconds since the epoch.",
		false };
	struct rusage ru;

	put_scalar(out, om, "kvmmmu_faults_seen_total", "counter",
		   "Faults this view received (after --threshold and --vcpu).",
		   m->seen);
	put_scalar(out, om, "kvmmmu_filtered_faults_total", "counter",
		   "Faults left out by --threshold and --vcpu.",
		   m->ri.filtered);
	put_scalar(out, om, "kvmmmu_lost_events_total", "counter",
		   "Events the kernel dropped from the ring buffers.",
		   m->ri.lost_events);
	put_scalar(out, om, "kvmmmu_ring_buffer_pages_read_total", "counter",
		   "Raw ring-buffer pages read.", m->ri.pages);
	put_scalar(out, om, "kvmmmu_decode_errors_total", "counter",
		   "Records whose payload could not be decoded.",
		   m->ri.decode_errors);
	put_scalar(out, om, "kvmmmu_unmatched_exits_total", "counter",
		   "function_graph exits that matched no open call.",
		   m->ri.unmatched_exits);
	if (!getrusage(RUSAGE_SELF, &ru)) {
		family_start(&cpu);
		fputs("kvmmmu_cpu_seconds_total{mode=\"user\"} ", out);
		put_seconds(out, timeval_ns(ru.ru_utime));
		fputs("\nkvmmmu_cpu_seconds_total{mode=\"system\"} ", out);
		put_seconds(out, timeval_ns(ru.ru_stime));
		fputc('\n', out);
		put_scalar(out, om, "kvmmmu_max_resident_memory_bytes",
			   "gauge", "Peak resident memory of kvmmmu-graph.",
			   (uint64_t)ru.ru_maxrss * 1024);
	}
	family_start(&t0);
	fprintf(out, "kvmmmu_start_time_seconds %lld.%03ld\n",
		(long long)m->start.tv_sec, m->start.tv_nsec / 1000000);
	put_scalar(out, om, "kvmmmu_run_finished", "gauge",
		   "1 once the run has ended and the numbers are final.",
		   m->finished);
}

/* With m->lock held. */
static void render_locked(const struct metrics *m, FILE *out, bool om)
{
	put_faults(m, out, om);
	put_histograms(m, out, om);
	put_run(m, out, om);
	if (om)
		fputs("# EOF\n", out);
}

static void render(void *ctx, FILE *out, bool om)
{
	struct metrics *m = ctx;

	pthread_mutex_lock(&m->lock);
	render_locked(m, out, om);
	pthread_mutex_unlock(&m->lock);
}

/* ---- the file ---- */

/* Temporary file, then rename: readers see a whole file. m->lock held. */
static int write_file(const struct metrics *m)
{
	FILE *f = fopen(m->tmp_path, "we");
	int ret = 0;

	if (!f)
		return -errno;
	render_locked(m, f, false);
	if (fflush(f) || ferror(f))
		ret = errno ? -errno : -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(m->tmp_path, m->o->metrics_file))
		ret = -errno;
	if (ret)
		unlink(m->tmp_path);
	return ret;
}

/* Server thread, once a second; the end of the run reports errors. */
static void tick(void *ctx)
{
	struct metrics *m = ctx;

	pthread_mutex_lock(&m->lock);
	write_file(m);
	pthread_mutex_unlock(&m->lock);
}

/* ---- view operations ---- */

static void metrics_close(void *state)
{
	struct metrics *m = state;
	unsigned int i;

	if (!m)
		return;
	metrics_server_stop(m->server);
	for (i = 0; i <= MAX_VMS; i++)
		free(m->vms[i]);
	free(m->tmp_path);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

static void *metrics_open(const struct view_options *o, char *err,
			  size_t errlen)
{
	struct metrics *m = calloc(1, sizeof(*m));
	int r;

	if (!m) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	m->o = o;
	pthread_mutex_init(&m->lock, NULL);
	clock_gettime(CLOCK_REALTIME, &m->start);
	if (o->metrics_file) {
		if (asprintf(&m->tmp_path, "%s.%d.tmp", o->metrics_file,
			     (int)getpid()) < 0) {
			m->tmp_path = NULL;
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		/* a file that cannot be written fails before tracing */
		r = write_file(m);
		if (r) {
			snprintf(err, errlen, "%s: %s", o->metrics_file,
				 strerror(-r));
			goto fail;
		}
	}
	m->server = metrics_server_start(o->metrics_addr, render,
					 o->metrics_file ? tick : NULL, m,
					 err, errlen);
	if (!m->server)
		goto fail;
	return m;
fail:
	metrics_close(m);
	return NULL;
}

static void metrics_progress(void *state, const struct run_info *ri)
{
	struct metrics *m = state;

	pthread_mutex_lock(&m->lock);
	m->ri.lost_events = ri->lost_events;
	m->ri.pages = ri->pages;
	m->ri.filtered = ri->filtered;
	m->ri.decode_errors = ri->decode_errors;
	m->ri.unmatched_exits = ri->unmatched_exits;
	pthread_mutex_unlock(&m->lock);
}

/* Sleep @s seconds; a signal (Ctrl-C) ends it early. */
static void hold(double s)
{
	struct timespec ts = {
		.tv_sec = (time_t)s,
		.tv_nsec = (long)((s - (double)(time_t)s) * 1e9),
	};

	nanosleep(&ts, NULL);
}

static int metrics_finish(void *state, const struct run_info *ri,
			  char *err, size_t errlen)
{
	struct metrics *m = state;
	int r = 0;

	metrics_progress(m, ri);
	pthread_mutex_lock(&m->lock);
	m->finished = true;
	if (m->o->metrics_file)
		r = write_file(m);
	pthread_mutex_unlock(&m->lock);
	if (r) {
		snprintf(err, errlen, "%s: %s", m->o->metrics_file,
			 strerror(-r));
		return r;
	}
	if (m->o->metrics_addr && m->o->metrics_hold_s > 0) {
		fflush(m->o->out);	/* the summary, before the wait */
		hold(m->o->metrics_hold_s);
	}
	return 0;
}

const struct view_ops view_metrics = {
	.name = "metrics",
	.wanted = metrics_wanted,
	.open = metrics_open,
	.add_fault = metrics_add,
	.progress = metrics_progress,
	.finish = metrics_finish,
	.close = metrics_close,
};
