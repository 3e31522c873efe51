#!/bin/sh
# Guest part of the interop checks (sourced by profiler.sh; busybox sh):
# the formats other tools open, on real KVM faults.
#   /results/interop/tc/      trace-cmd record of faultgen, no kvmmmu-graph
#                             involved; kvmmmu-graph --input tc.dat --json
#   /results/interop/out/     kvmmmu-graph --record run.dat --chrome-trace;
#                             trace-cmd report's count of its root calls
# Needs G, FG, SCEN and R from profiler.sh.

interop_trace_cmd() {
	d=$R/interop/tc
	mkdir -p "$d"
	# shellcheck disable=SC2086
	trace-cmd record -q -p function_graph -g kvm_mmu_page_fault -e kvm \
		-e kvmmmu -b 8192 -o /tmp/tc.dat \
		"$FG" $SCEN --json "$d/faultgen.json" >"$d/record.log" 2>&1
	echo $? >"$d/record.rc"
	"$G" --input /tmp/tc.dat --json >"$d/faults.jsonl" 2>"$d/stderr.txt"
	echo $? >"$d/rc"
	log "interop: trace-cmd record rc $(cat "$d/record.rc"), replay rc $(cat "$d/rc"), $(grep -c . "$d/faults.jsonl") lines"
	rm -f /tmp/tc.dat
}

interop_outputs() {
	d=$R/interop/out
	mkdir -p "$d"
	# shellcheck disable=SC2086
	"$G" --json --record /tmp/run.dat --chrome-trace "$d/trace.json" \
		-- "$FG" $SCEN --json "$d/faultgen.json" \
		>"$d/faults.jsonl" 2>"$d/stderr.txt"
	echo $? >"$d/rc"
	trace-cmd report /tmp/run.dat >/tmp/run.txt 2>"$d/report.err"
	echo $? >"$d/report.rc"
	grep -cE 'kvm_mmu_page_fault\(\)( \{|;)' /tmp/run.txt >"$d/report.roots"
	log "interop: --record run.dat rc $(cat "$d/rc"); trace-cmd report: $(cat "$d/report.roots") root calls"
	rm -f /tmp/run.dat /tmp/run.txt
}

if command -v trace-cmd >/dev/null; then
	interop_trace_cmd
	interop_outputs
else
	mkdir -p "$R/interop"
	echo "no trace-cmd in the guest" >"$R/interop/unavailable"
fi
