#!/bin/bash
# run-bench.sh [--kernel 6.1|6.12] [--reuse DIR] [--rev REV] [--out DIR]
#              [--runs N] [--warmup N] [--pages N] [--pages2 M] [--mmio K]
#              [--big F] [--no-callgrind] [--results FILE]
#
# Benchmark of the replay: kvmmmu-graph against trace-cmd over the SAME raw
# ring-buffer pages of real KVM faults.
#  1. make install DESTDIR=<tmp> (this tree; --rev REV: a clean `git archive
#     REV` built in a temp dir, for a tree others are editing); the same build
#     replays on the host. tests/vm/boot.sh runs
#     tests/bench/scenarios/bench.sh in the Debian kernel (QEMU TCG): it
#     records `kvmmmu-graph --strategy global --summary-only --record rec --
#     kvmmmu-faultgen --pages N --pages2 M --vcpus 2 --dirty-log --mmio K`,
#     the same run F times larger (rec-big), and builds trace.dat from rec's
#     raw pages with `trace-cmd restore` (header from the guest's tracefs).
#     --reuse DIR skips the build and the boot and uses DIR (a previous --out).
#  2. On this host, hyperfine (--warmup, --runs) times over rec / trace.dat:
#       kvmmmu-graph --input rec --summary-only     (faults, trees, phases, pXX)
#       kvmmmu-graph --input rec --json >/dev/null
#       trace-cmd report trace.dat >/dev/null       (formatting only)
#       trace-cmd report -R trace.dat >/dev/null    (raw fields, no plugins)
#       trace-cmd report trace-minsyms.dat          (header with only the
#                                 recording's kallsyms, like kvmmmu-graph's)
#     peak RSS with /usr/bin/time, instructions with perf stat (if the PMU is
#     there) or callgrind, and checks both saw the same faults.
#  3. Bounded memory: the same tools on rec-big (F times the data; its
#     trace.dat is made here with trace-cmd restore -i trace.dat).
# Prints the tables and writes them to tests/bench/results-<kernel>.txt
# (--results FILE elsewhere). Not part of `make check`.
# Needs: hyperfine, time (/usr/bin/time), trace-cmd, jq, awk; valgrind and
# perf optional; for the boot, what tests/vm/boot.sh needs.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
die() { echo "run-bench: error: $*" >&2; exit 2; }
say() { echo "run-bench: $*" >&2; }

kernel=6.12 reuse='' out='' runs=10 warmup=3 pages=128 pages2=64 mmio=32 big=10
callgrind=1 results='' timeout=600 rev=''
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=${2:?}; shift 2 ;;
	--reuse) reuse=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	--runs) runs=${2:?}; shift 2 ;;
	--warmup) warmup=${2:?}; shift 2 ;;
	--pages) pages=${2:?}; shift 2 ;;
	--pages2) pages2=${2:?}; shift 2 ;;
	--mmio) mmio=${2:?}; shift 2 ;;
	--big) big=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	--no-callgrind) callgrind=0; shift ;;
	--results) results=${2:?}; shift 2 ;;
	--rev) rev=${2:?}; shift 2 ;;
	-h|--help) sed -n '2,31p' "$0"; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
case "$kernel" in 6.1|6.12) ;; *) die "--kernel 6.1|6.12" ;; esac
case "$runs$warmup$pages$pages2$mmio$big$timeout" in *[!0-9]*) die "numeric options take numbers" ;; esac
[ "$runs" -ge 2 ] || die "--runs must be >= 2"
for t in hyperfine trace-cmd jq awk; do
	command -v "$t" >/dev/null 2>&1 || die "'$t' not found (apt-get install hyperfine trace-cmd jq)"
done
[ -x /usr/bin/time ] || die "/usr/bin/time not found (apt-get install time)"
results=${results:-$here/results-$kernel.txt}
vmcache=${KVMMMU_VM_CACHE:-$top/tests/vm/cache}

work=$(mktemp -d "${TMPDIR:-/tmp}/kvmmmu-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# ---- 1. build; data: boot the scenario, or reuse a previous run ------------
if [ -n "$rev" ]; then
	say "building $rev (git archive) in $work/src"
	mkdir "$work/src"
	git -C "$top" archive "$rev" | tar -x -C "$work/src" || die "git archive $rev failed"
	(cd "$work/src" && ./autogen.sh && ./configure --quiet && make -j"$(nproc)") >"$work/make.log" 2>&1 ||
		{ tail -n 30 "$work/make.log"; die "build of $rev failed"; }
	builddir=$work/src
	tree="$(git -C "$top" rev-parse --short "$rev") (--rev $rev)"
else
	builddir=$top
	tree="$(git -C "$top" describe --always --dirty 2>/dev/null || echo '?') (working tree)"
	if ! make -C "$top" -j"$(nproc)" >"$work/make.log" 2>&1; then
		tail -n 30 "$work/make.log"
		[ -n "$reuse" ] || die "make failed (tree being edited? try --rev HEAD)"
		say "warning: make failed; replaying with the existing $top/kvmmmu-graph"
		tree="$tree, make failed: older binary"
	fi
fi
if [ -n "$reuse" ]; then
	data=$(cd "$reuse" && pwd)
	say "reusing $data"
else
	out=${out:-$vmcache/bench-$kernel}
	say "installing into a private DESTDIR"
	make -C "$builddir" install DESTDIR="$work/stage" >>"$work/make.log" 2>&1 ||
		{ tail -n 30 "$work/make.log"; die "make install failed"; }
	# A private VM cache (its own initramfs) next to the shared kernels, so
	# concurrent VM runs with other DESTDIRs cannot swap the initramfs.
	"$top/tests/vm/fetch-kernel.sh" "$kernel" "$vmcache" >/dev/null || die "fetch-kernel.sh failed"
	mkdir "$work/cache"
	ln -s "$vmcache/$kernel" "$work/cache/$kernel"
	ln -s "$vmcache/debs" "$work/cache/debs"
	say "booting $kernel (pages $pages, pages2 $pages2, mmio $mmio, big x$big); a few minutes"
	"$top/tests/vm/boot.sh" --kernel "$kernel" --scenario "$here/scenarios/bench.sh" \
		--out "$out" --destdir "$work/stage" --cache "$work/cache" --timeout "$timeout" \
		--append "kvmmmu.bench_pages=$pages kvmmmu.bench_pages2=$pages2 kvmmmu.bench_mmio=$mmio kvmmmu.bench_big=$big" ||
		die "boot.sh failed (see $out/console.log)"
	data=$(cd "$out" && pwd)
	echo "$tree" >"$data/bench-build.txt"
fi
recorded_by=$(cat "$data/bench-build.txt" 2>/dev/null || echo '?')
rec=$data/rec
[ -d "$rec/per_cpu" ] || die "$rec is not a recording"
[ -f "$data/trace.dat" ] || die "$data/trace.dat missing"

# The tool under test: the build that went into the guest.
graph=${KVMMMU_GRAPH:-$builddir/kvmmmu-graph}
[ -x "$graph" ] || die "$graph not built (make)"

cpu_files() { # cpu_files REC: per-CPU files in CPU order
	local i=0
	while [ -e "$1/per_cpu/cpu$i/trace_pipe_raw" ]; do
		echo "$1/per_cpu/cpu$i/trace_pipe_raw"
		i=$((i + 1))
	done
}
# shellcheck disable=SC2046 # one argument per CPU file (no spaces in them)
raw_bytes() { cat $(cpu_files "$1") | wc -c; }
# trace.dat variants from the same raw pages, headers from the guest. The
# clock in these comes from this host's tracefs; the data is the same.
restore() { # restore HEAD OUT REC
	# shellcheck disable=SC2046
	trace-cmd restore -i "$1" -o "$2" $(cpu_files "$3") >"$work/restore.log" 2>&1 ||
		{ cat "$work/restore.log"; die "trace-cmd restore -i $1 failed"; }
}
tdat=$data/trace.dat
tdat_min=''
if [ -f "$data/head-minsyms.dat" ]; then
	tdat_min=$work/trace-minsyms.dat
	restore "$data/head-minsyms.dat" "$tdat_min" "$rec"
fi
rec_big=''
tdat_big=''
if [ -d "$data/rec-big/per_cpu" ]; then
	rec_big=$data/rec-big
	tdat_big=$work/trace-big.dat
	restore "$tdat" "$tdat_big" "$rec_big"   # trace.dat's header, rec-big's pages
fi

# ---- counts: events and faults ------------------------------------------------
count_events() { trace-cmd report -R "$1" 2>/dev/null | grep -vc '^cpus=' || true; }
tc_roots() { # funcgraph_entry of the root function at depth 0
	trace-cmd report -R "$1" 2>/dev/null | grep -c 'funcgraph_entry: *func=kvm_mmu_page_fault depth=0$' || true
}
tc_roots_fmt() { # the same in the default (function graph plugin) output
	trace-cmd report "$1" 2>/dev/null | grep -cE 'funcgraph_entry: .*\| *kvm_mmu_page_fault\(\)( \{|;)' || true
}
kg_faults() { # complete + incomplete faults of kvmmmu-graph's JSON summary
	"$graph" --input "$1" --json 2>/dev/null | tail -n1 |
		jq -r 'select(.type == "summary") | "\(.faults) \(.incomplete) \(.lost_events)"'
}
kvm_expected() { # KVM's counters: pf_taken + MMIO cache hits (reads+writes - spte created)
	jq -r '(.kvm_stats.pf_taken + .mmio.reads + .mmio.writes - .kvm_stats.pf_mmio_spte_created)' "$1/faultgen.json" 2>/dev/null || echo '?'
}

say "counting events and faults"
events=$(count_events "$tdat")
read -r kg_f kg_inc kg_lost <<<"$(kg_faults "$rec")"
tc_f=$(tc_roots "$tdat")
tc_f_fmt=$(tc_roots_fmt "$tdat")
kvm_f=$(kvm_expected "$rec")
bytes=$(raw_bytes "$rec")
if [ -n "$rec_big" ]; then
	events_big=$(count_events "$tdat_big")
	read -r kgb_f kgb_inc kgb_lost <<<"$(kg_faults "$rec_big")"
	tcb_f=$(tc_roots "$tdat_big")
	kvmb_f=$(kvm_expected "$rec_big")
	bytes_big=$(raw_bytes "$rec_big")
fi

# ---- timing, memory, instructions ---------------------------------------------
# name|command (run with hyperfine -N: no shell, stdout to /dev/null)
cmds_for() { # cmds_for REC TRACE.DAT [MIN.DAT]
	echo "kvmmmu-graph --summary-only|$graph --input $1 --summary-only"
	echo "kvmmmu-graph --json|$graph --input $1 --json"
	echo "trace-cmd report|trace-cmd report $2"
	echo "trace-cmd report -R|trace-cmd report -R $2"
	[ -z "${3:-}" ] || echo "trace-cmd report (rec. kallsyms)|trace-cmd report $3"
}
perf_ok=0
if command -v perf >/dev/null 2>&1 &&
	perf stat -x, -e instructions:u true 2>&1 >/dev/null | grep -q '^[0-9]'; then
	perf_ok=1
fi
instr_how=none
[ "$perf_ok" = 1 ] && instr_how="perf stat -e instructions:u"
[ "$perf_ok" = 0 ] && [ "$callgrind" = 1 ] && command -v valgrind >/dev/null 2>&1 &&
	instr_how="callgrind (Ir)"

peak_rss() { # max RSS in KiB over 3 runs
	local m=0 r i
	for i in 1 2 3; do
		/usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null 2>/dev/null || true
		r=$(tail -n1 "$work/rss")
		case "$r" in '' | *[!0-9]*) continue ;; esac
		[ "$r" -le "$m" ] || m=$r
	done
	echo "$m"
}
instructions() { # instructions CALLGRIND_OUT COMMAND...
	local cgout=$1
	shift
	case "$instr_how" in
	perf*) perf stat -x, -e instructions:u -o "$work/perf" "$@" >/dev/null 2>&1 || true
		awk -F, '/instructions/ { print $1 }' "$work/perf" ;;
	callgrind*) valgrind --tool=callgrind --callgrind-out-file="$cgout" "$@" \
			>/dev/null 2>"$work/cg.log" || true
		sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$work/cg.log" | tail -n1 ;;
	*) echo '-' ;;
	esac
}

# bench LABEL REC TDAT [MIN]: fills $work/LABEL.tsv: name mean sd min rss instr
bench() {
	local label=$1 n=0 name cmd json
	: >"$work/$label.tsv"
	while IFS='|' read -r name cmd; do
		n=$((n + 1))
		json=$work/$label.$n.json
		say "$label: $name: hyperfine --warmup $warmup --runs $runs"
		# shellcheck disable=SC2086
		hyperfine -N --warmup "$warmup" --runs "$runs" --style none \
			--export-json "$json" "$cmd" >/dev/null 2>"$work/hf.err" ||
			{ cat "$work/hf.err"; die "hyperfine failed on: $cmd"; }
		# shellcheck disable=SC2086
		rss=$(peak_rss $cmd)
		ins='-'
		if [ "$label" = small ]; then
			# shellcheck disable=SC2086
			ins=$(instructions "$work/cg.$label.$n.out" $cmd)
		fi
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" \
			"$(jq -r '.results[0].mean' "$json")" "$(jq -r '.results[0].stddev' "$json")" \
			"$(jq -r '.results[0].min' "$json")" "$rss" "${ins:--}" >>"$work/$label.tsv"
	done < <(cmds_for "$2" "$3" "${4:-}")
}

bench small "$rec" "$tdat" "$tdat_min"
[ -z "$rec_big" ] || bench big "$rec_big" "$tdat_big"

# table LABEL EVENTS: tool, mean, stddev, min, events/s, peak RSS, instr, ratio
table() {
	awk -F'\t' -v ev="$2" -v with_ins="$3" '
	{ name[NR] = $1; mean[NR] = $2; sd[NR] = $3; mn[NR] = $4; rss[NR] = $5; ins[NR] = $6
	  if ($1 == "trace-cmd report") ref = $2 }
	END {
		printf "%-34s %10s %9s %9s %12s %10s", "tool", "mean ms", "stddev", "min ms", "events/s", "peak RSS"
		if (with_ins) printf " %14s", "instructions"
		printf " %9s\n", "/trace-cmd"
		for (i = 1; i <= NR; i++) {
			printf "%-34s %10.2f %9.2f %9.2f %12.0f %7.1f MB", name[i], mean[i] * 1000, sd[i] * 1000,
				mn[i] * 1000, ev / mean[i], rss[i] / 1024
			if (with_ins) printf " %14s", (ins[i] ~ /^[0-9]+$/ ? sprintf("%.1fM", ins[i] / 1e6) : ins[i])
			printf " %9.3f\n", mean[i] / ref
		}
	}' "$work/$1.tsv"
}
mb() { awk -v b="$1" 'BEGIN { printf "%.2f MB", b / 1048576 }'; }
same() { # same COMPLETE INCOMPLETE TC_ROOTS KVM
	if [ "$1" = "$3" ] && [ "$1" = "$4" ]; then
		printf 'same'
	else
		printf 'DIFFERENT'
	fi
	[ "$2" = 0 ] || printf ' (and %s incomplete faults in kvmmmu-graph only)' "$2"
	echo
}

kg_version=$("$graph" --version 2>/dev/null | head -n1)
{
	echo "kvmmmu-graph replay benchmark, kernel $kernel ($(cat "$rec/kernel" 2>/dev/null || echo '?')), $(date -u +%Y-%m-%d)"
	echo "host: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) CPUs, $(uname -r); ${kg_version:-kvmmmu-graph}, $(trace-cmd --version 2>&1 | grep -m1 version), hyperfine $(hyperfine --version | cut -d' ' -f2)"
	echo "replayed by: $tree; recorded by: $recorded_by"
	echo "data: $(sed -n 's/^rec \(pages=[^ ]* pages2=[^ ]* mmio=[^ ]* vcpus=[^ ]*\).*/kvmmmu-faultgen \1 --dirty-log/p' "$data/sizes.txt" 2>/dev/null)"
	echo "      $(mb "$bytes") of raw ring-buffer pages, $events events (trace-cmd report -R lines), trace.dat $(mb "$(wc -c <"$tdat")") (with the guest's full kallsyms)"
	echo "timing: hyperfine -N --warmup $warmup --runs $runs, output to /dev/null; peak RSS: /usr/bin/time max of 3; instructions: $instr_how"
	echo
	table small "$events" 1
	echo
	echo "ratio: mean time / mean time of 'trace-cmd report' (formatting only, no fault rebuilding)"
	echo "faults: kvmmmu-graph $kg_f complete + $kg_inc incomplete (lost events $kg_lost); trace-cmd kvm_mmu_page_fault roots $tc_f (-R depth=0), $tc_f_fmt (fgraph lines); KVM counters $kvm_f -> $(same "$kg_f" "$kg_inc" "$tc_f" "$kvm_f")"
	if [ -n "$rec_big" ]; then
		echo
		echo "bounded memory: rec-big, a $big-times larger faultgen run (same boot): $(mb "$bytes_big"), $events_big events"
		echo "  ($(awk -v a="$bytes_big" -v b="$bytes" 'BEGIN { printf "%.1f", a / b }')x the input)"
		table big "$events_big" 0
		echo "faults (big): kvmmmu-graph $kgb_f + $kgb_inc incomplete (lost $kgb_lost); trace-cmd roots $tcb_f; KVM counters $kvmb_f -> $(same "$kgb_f" "$kgb_inc" "$tcb_f" "$kvmb_f")"
		echo "peak RSS big/small:"
		paste "$work/small.tsv" "$work/big.tsv" | awk -F'\t' '$1 == $7 { printf "  %-34s %7.1f MB -> %7.1f MB (x%.2f)\n", $1, $5 / 1024, $11 / 1024, $11 / $5 }'
	fi
} >"$work/results.txt"

if [ "$instr_how" = "callgrind (Ir)" ] && [ -f "$work/cg.small.1.out" ] && command -v callgrind_annotate >/dev/null; then
	{
		echo
		echo "where kvmmmu-graph --summary-only spends its instructions (callgrind, self Ir, top 8):"
		callgrind_annotate "$work/cg.small.1.out" 2>/dev/null |
			awk '/^-+$/ { sep++; next } sep >= 3 && /^ *[0-9,]+ / && !/PROGRAM TOTALS/ && n < 8 { sub(/^ +/, ""); gsub(/[^ [\]]*\//, ""); print "  " $0; n++ }'
		echo "where trace-cmd report spends them (top 5):"
		callgrind_annotate "$work/cg.small.3.out" 2>/dev/null |
			awk '/^-+$/ { sep++; next } sep >= 3 && /^ *[0-9,]+ / && !/PROGRAM TOTALS/ && n < 5 { sub(/^ +/, ""); gsub(/[^ [\]]*\//, ""); print "  " $0; n++ }'
	} >>"$work/results.txt"
fi

cat "$work/results.txt"
cp "$work/results.txt" "$results"
say "written to $results"
