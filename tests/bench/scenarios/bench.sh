#!/bin/sh
# Guest scenario for tests/bench/run-bench.sh (busybox sh, run by
# tests/vm/boot.sh as /scenario.sh).
#
# 1. kvmmmu-graph --strategy global --summary-only --record /results/rec
#      -- kvmmmu-faultgen --pages N --pages2 M --vcpus 2 --dirty-log --mmio K
# 2. The same run FACTOR times larger into /results/rec-big (for the
#    bounded-memory check; FACTOR 0 skips it).
# 3. From the SAME raw pages, a trace.dat for trace-cmd: a header made from
#    this kernel's live tracefs (all formats, /proc/kallsyms, saved_cmdlines),
#    trace clock set to the recording's clock while it is written:
#      trace-cmd restore -c -o /tmp/head
#      trace-cmd restore -i /tmp/head -o /results/trace.dat rec/per_cpu/cpuN/...
#    and /results/head-minsyms.dat, the same header with only the
#    recording's kallsyms (-k rec/kallsyms), so the host can tell what
#    loading the full kallsyms costs trace-cmd.
# Sizes from the kernel command line (boot.sh --append):
#   kvmmmu.bench_pages=N kvmmmu.bench_pages2=M kvmmmu.bench_mmio=K
#   kvmmmu.bench_big=FACTOR kvmmmu.bench_bufkb=KB kvmmmu.bench_bigbufkb=KB
#   (per-CPU ring buffers of the two runs: kvmmmu-graph reads them every
#   100 ms, which under TCG is too slow for the big run's burst of faults, so
#   that buffer holds the whole run: no lost events)
. "${KVMMMU_GUEST_LIB:-/tests/vm/guest/lib.sh}"

arg() { # arg NAME DEFAULT: kvmmmu.NAME=VALUE from /proc/cmdline
	v_=$(tr ' ' '\n' </proc/cmdline | sed -n "s/^kvmmmu\.$1=//p" | tail -n1)
	case "$v_" in '' | *[!0-9]*) echo "$2" ;; *) echo "$v_" ;; esac
}
PAGES=$(arg bench_pages 192)
PAGES2=$(arg bench_pages2 64)
MMIO=$(arg bench_mmio 32)
BIG=$(arg bench_big 10)
BUFKB=$(arg bench_bufkb 8192)
BIGBUFKB=$(arg bench_bigbufkb 65536)

command -v kvmmmu-graph >/dev/null || { warn "kvmmmu-graph not installed (--destdir)"; exit 1; }
command -v kvmmmu-faultgen >/dev/null || { warn "kvmmmu-faultgen not installed"; exit 1; }
[ -e /dev/kvm ] || { warn "no /dev/kvm (kvm_amd did not load)"; exit 1; }

kvmmmu-graph check >"$R/check.txt" 2>&1
grep -qE '^  global +yes' "$R/check.txt" || { cat "$R/check.txt"; warn "no global strategy"; exit 1; }

# record NAME PAGES PAGES2 MMIO BUFKB: one traced faultgen run into $R/NAME
record() {
	d=$R/$1
	t0=$(uptime_s)
	kvmmmu-graph --strategy global --summary-only -b "$5" --record "$d" \
		-- kvmmmu-faultgen --pages "$2" --pages2 "$3" --vcpus 2 --dirty-log \
		--mmio "$4" --json /tmp/fg.json >"$R/$1.summary.txt" 2>&1 ||
		{ cat "$R/$1.summary.txt"; warn "$1: kvmmmu-graph failed"; return 1; }
	cp /tmp/fg.json "$d/faultgen.json"
	uname -r >"$d/kernel"
	echo "$1 pages=$2 pages2=$3 mmio=$4 vcpus=2 dirty_log=1 bufkb=$5 guest_s=$(elapsed "$t0") raw_bytes=$(cat "$d"/per_cpu/cpu*/trace_pipe_raw | wc -c)" >>"$R/sizes.txt"
	log "$(tail -n1 "$R/sizes.txt")"
	grep '^Summary:' "$R/$1.summary.txt"
}

: >"$R/sizes.txt"
record rec "$PAGES" "$PAGES2" "$MMIO" "$BUFKB" || exit 1
cp "$R/rec/faultgen.json" "$R/faultgen.json"
if [ "$BIG" -gt 0 ]; then
	record rec-big $((PAGES * BIG)) $((PAGES2 * BIG)) $((MMIO * BIG)) "$BIGBUFKB" || exit 1
fi

# ---- trace.dat from the same raw pages ----------------------------------------
trace-cmd restore -h >"$R/trace-cmd-restore-usage.txt" 2>&1
trace-cmd --version >"$R/trace-cmd-version.txt" 2>&1
# trace-cmd writes the clock of the live top-level tracefs into the file:
# make it the recording's clock while the files are written.
clk_sel() { sed -n 's/.*\[\([^]]*\)\].*/\1/p' "$1"; }
rec_clk=$(clk_sel "$R/rec/trace_clock")
old_clk=$(clk_sel "$T/trace_clock")
[ -z "$rec_clk" ] || [ "$rec_clk" = "$old_clk" ] || tfs_write trace_clock "$rec_clk"
cpus=''
i=0
while [ -e "$R/rec/per_cpu/cpu$i/trace_pipe_raw" ]; do
	cpus="$cpus $R/rec/per_cpu/cpu$i/trace_pipe_raw"
	i=$((i + 1))
done
t0=$(uptime_s)
rc=0
# shellcheck disable=SC2086 # $cpus: one argument per CPU file, in CPU order
{
	trace-cmd restore -c -o /tmp/head &&
		trace-cmd restore -c -k "$R/rec/kallsyms" -o "$R/head-minsyms.dat" &&
		trace-cmd restore -i /tmp/head -o "$R/trace.dat" $cpus
} >"$R/restore.log" 2>&1 || rc=$?
echo "restore guest_s=$(elapsed "$t0") rc=$rc cpus=$i clock=$rec_clk (was $old_clk)" >>"$R/sizes.txt"
[ -z "$old_clk" ] || [ "$rec_clk" = "$old_clk" ] || tfs_write trace_clock "$old_clk"
[ "$rc" = 0 ] || { cat "$R/restore.log"; warn "trace-cmd restore failed"; exit 1; }
trace-cmd dump --summary "$R/trace.dat" >"$R/trace.dat.summary" 2>&1
log "trace.dat: $(wc -c <"$R/trace.dat") bytes; $(grep -a 'clock' "$R/trace.dat.summary" | head -n1)"
log "results: $(du -sk "$R" | cut -f1) KiB"
exit 0
