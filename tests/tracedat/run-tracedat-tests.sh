#!/bin/bash
# trace.dat out and in: a recording written as trace.dat (--record
# FILE.dat) is read by trace-cmd with one kvm_mmu_page_fault call per
# fault; kvmmmu-graph reads it back, and reads trace-cmd's own rewrite of
# it (trace-cmd convert: version 7, compressed), with the same faults as
# the recording directory; damaged files are refused in one line.
#
#   tests/tracedat/run-tracedat-tests.sh BUILDDIR SRCDIR
set -u
builddir=${1:-.}
srcdir=${2:-.}
G=$builddir/kvmmmu-graph
export KVMMMU_GRAPH_PROFILE_DIR=$srcdir/profiles
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() { echo "PASS: tracedat/$1"; }
fail() { echo "FAIL: tracedat/$1${2:+ ($2)}"; }
skip() { echo "SKIP: tracedat/$1 ($2)"; }

faults_of() { # JSON summary's fault count
	tail -n 1 "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["faults"])'
}
# per-fault JSON lines, without the summary (its strategy differs)
fault_lines() { grep -v '"type":"summary"' "$1"; }

have_tc=1
command -v trace-cmd >/dev/null || have_tc=0

for rec in 6.12-global 6.1-global 6.12-instance 6.12-events-only; do
	tarball=$srcdir/tests/data/$rec.tar.xz
	[ -f "$tarball" ] || { skip "write_$rec" "no $tarball"; continue; }
	tar -xJf "$tarball" -C "$tmp"
	dir=$tmp/$rec dat=$tmp/$rec.dat
	"$G" --input "$dir" --json >"$tmp/$rec.dir.json" 2>"$tmp/err" ||
		{ fail "write_$rec" "replay: $(head -c 200 "$tmp/err")"; continue; }
	if ! "$G" --input "$dir" --json --record "$dat" >/dev/null 2>"$tmp/err"; then
		fail "write_$rec" "$(head -c 300 "$tmp/err")"
		continue
	fi
	want=$(faults_of "$tmp/$rec.dir.json")
	# trace-cmd reads it: one root call (or kvm_page_fault event) a fault
	if [ "$have_tc" = 0 ]; then
		skip "trace_cmd_reads_$rec" "trace-cmd not installed"
	else
		trace-cmd report "$dat" >"$tmp/$rec.txt" 2>"$tmp/err"
		case $rec in
		*events-only) got=$(grep -c ' kvm_page_fault: ' "$tmp/$rec.txt") ;;
		*) got=$(grep -cE 'kvm_mmu_page_fault\(\)( \{|;)' "$tmp/$rec.txt") ;;
		esac
		if [ "$got" = "$want" ] && [ "$want" -gt 0 ]; then
			pass "trace_cmd_reads_$rec"
		else
			fail "trace_cmd_reads_$rec" "trace-cmd report: $got, faults: $want"
		fi
	fi
	# and so does kvmmmu-graph, with the same faults
	"$G" --input "$dat" --json >"$tmp/$rec.dat.json" 2>"$tmp/err"
	if diff <(fault_lines "$tmp/$rec.dat.json") <(fault_lines "$tmp/$rec.dir.json") >"$tmp/diff" &&
		[ "$(faults_of "$tmp/$rec.dat.json")" = "$want" ]; then
		pass "read_back_$rec"
	else
		fail "read_back_$rec" "$(head -c 300 "$tmp/err" "$tmp/diff")"
	fi
	# a file trace-cmd wrote (version 7, compressed)
	if [ "$have_tc" = 1 ]; then
		if trace-cmd convert -i "$dat" -o "$tmp/$rec.v7.dat" >/dev/null 2>&1 &&
			"$G" --input "$tmp/$rec.v7.dat" --json >"$tmp/$rec.v7.json" 2>"$tmp/err" &&
			diff <(fault_lines "$tmp/$rec.v7.json") <(fault_lines "$tmp/$rec.dir.json") >/dev/null; then
			pass "reads_trace_cmd_v7_$rec"
		else
			fail "reads_trace_cmd_v7_$rec" "$(head -c 300 "$tmp/err")"
		fi
	fi
done

# ---- damaged files and wrong uses: one line, non-zero ----
expect() { # NAME STATUS REGEX CMD...
	local name=$1 want=$2 re=$3 rc
	shift 3
	"$@" >/dev/null 2>"$tmp/err"
	rc=$?
	if [ "$rc" = "$want" ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -qE "$re" "$tmp/err"; then
		pass "$name"
	else
		fail "$name" "exit $rc: $(head -c 300 "$tmp/err")"
	fi
}
dat=$tmp/6.12-global.dat
if [ -f "$dat" ]; then
	head -c 3000 "$dat" >"$tmp/cut.dat"
	expect truncated_header 1 'cut.dat' "$G" --input "$tmp/cut.dat"
	head -c 150000 "$dat" >"$tmp/short.dat"
	# cut inside the CPU data: refused or read with what is there, never a crash
	"$G" --input "$tmp/short.dat" --summary-only >/dev/null 2>"$tmp/err"
	rc=$?
	if [ "$rc" -le 1 ]; then pass truncated_data_no_crash; else fail truncated_data_no_crash "exit $rc"; fi
	expect dat_to_dat 2 'already a trace.dat' "$G" --input "$dat" --record "$tmp/again.dat"
	expect record_dir_with_input 2 'only --record FILE.dat' "$G" --input "$tmp/6.12-global" --record "$tmp/somedir"
	expect unwritable_dat 1 'nonexistent' "$G" --input "$tmp/6.12-global" --record "$tmp/nonexistent/x.dat"
fi
