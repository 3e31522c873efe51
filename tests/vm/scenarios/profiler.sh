#!/bin/sh
# Guest scenario (busybox sh): kvmmmu-graph itself on real KVM faults.
# For every capture strategy this kernel allows, trace kvmmmu-faultgen
# started by the tool (-- COMMAND) and save the JSON Lines next to the
# faultgen JSON (KVM's own counters) for the host-side oracle.
#   /results/check.txt                 kvmmmu-graph check
#   /results/STRATEGY/faults.jsonl     kvmmmu-graph --json
#   /results/STRATEGY/faultgen.json    kvmmmu-faultgen's JSON
#   /results/STRATEGY/rc               exit status of kvmmmu-graph
#   /results/tree/...                  --tree, --folded, --svg of one run
#   /results/vm-pid/...                --vm PID run (faultgen started first)
#   /results/exec, /results/prefault   --access exec; --prefault (6.10+)
#   /results/userfault                 --userfault (async page faults)
#   /results/gmem                      --backing gmem (guest_memfd, 6.18+)
#   /results/late, late-nolearn        --vm PID attached after pass 1,
#                                      without memslot_learn (control)
#   /results/tracefs-before|after.txt  top-level state around all runs
# With kvmmmu.profiler=light on the kernel command line only the
# attribution runs happen (check, strategies, exec, vm-pid; /results/light
# says so): the views, signals, interop and findings runs are left to the
# kernels that run the whole scenario.
. "${KVMMMU_GUEST_LIB:-/tests/vm/guest/lib.sh}"

G=$(command -v kvmmmu-graph || true)
FG=$(command -v kvmmmu-faultgen || true)
SCEN=${KVMMMU_FAULTGEN_ARGS:---pages 64 --pages2 16 --mmio 8 --dirty-log --vcpus 2}
if [ -z "$G" ] || [ -z "$FG" ]; then
	log "FAIL: kvmmmu-graph or kvmmmu-faultgen not installed in the guest"
	exit 1
fi
[ -e /dev/kvm ] || { log "FAIL: /dev/kvm missing"; exit 1; }

# The top level's state. buffer_size_kb is compared as ring-buffer pages:
# an unexpanded "7 (expanded: 1408)" cannot be restored as text, only as the
# same effective size, which reads back as 1410 (354 pages of 4080 bytes).
tracefs_state() {
	echo "buffer_pages=$(( ($(buffer_kb_effective) * 1024 + 4079) / 4080 ))"
	for f in current_tracer set_event set_graph_function set_ftrace_pid \
		set_event_pid trace_clock tracing_on \
		options/function-fork options/event-fork options/funcgraph-irqs \
		kprobe_events; do
		echo "$f=$(tr '\n' ' ' <"$T/$f" 2>/dev/null)"
	done
	echo "instances=$(ls "$T/instances" | tr '\n' ' ')"
}

tracefs_state >"$R/tracefs-before.txt"
"$G" check >"$R/check.txt" 2>&1
echo "check rc=$?" >>"$R/check.txt"
cat "$R/check.txt"

run_strategy() {
	s=$1
	d=$R/$s
	mkdir -p "$d"
	t0=$(uptime_s)
	# shellcheck disable=SC2086
	"$G" --strategy "$s" --json --folded "$d/folded.txt" --svg "$d/flame.svg" \
		--record "$d/recording" \
		-- "$FG" $SCEN --json "$d/faultgen.json" \
		>"$d/faults.jsonl" 2>"$d/stderr.txt"
	echo $? >"$d/rc"
	echo "$(elapsed "$t0")" >"$d/seconds"
	log "strategy $s: rc $(cat "$d/rc"), $(grep -c . "$d/faults.jsonl") lines, $(cat "$d/seconds") s"
	head -c 400 "$d/stderr.txt"
}

for s in global instance events-only; do
	if grep -qE "^  $s +yes" "$R/check.txt"; then
		run_strategy "$s"
	else
		mkdir -p "$R/$s"
		grep -E "^  $s " "$R/check.txt" >"$R/$s/unavailable"
		log "strategy $s unavailable here: $(cat "$R/$s/unavailable")"
	fi
done

# --access exec: every first touch is an instruction fetch (ERROR_TYPE Exec).
mkdir -p "$R/exec"
"$G" --json -- "$FG" --pages 8 --pages2 4 --access exec \
	--json "$R/exec/faultgen.json" >"$R/exec/faults.jsonl" 2>"$R/exec/stderr.txt"
echo $? >"$R/exec/rc"
log "exec: rc $(cat "$R/exec/rc"), $(grep -c '"Exec"' "$R/exec/faults.jsonl") Exec faults"

# --prefault: KVM maps half of each vCPU's pages ahead of the guest
# (KVM_PRE_FAULT_MEMORY, 6.10+): faults of origin prefault, no exit.
mkdir -p "$R/prefault"
"$G" --json -- "$FG" --pages 16 --pages2 4 --vcpus 2 --populate --prefault 8 \
	--json "$R/prefault/faultgen.json" >"$R/prefault/faults.jsonl" 2>"$R/prefault/stderr.txt"
echo $? >"$R/prefault/rc"
log "prefault: rc $(cat "$R/prefault/rc"), $(grep -c '"origin":"prefault"' "$R/prefault/faults.jsonl") prefault faults"

# --userfault: slot 1 served by a userfaultfd page server (as postcopy
# migration does), in-kernel LAPIC: KVM takes async page faults.
mkdir -p "$R/userfault"
"$G" --json -- "$FG" --pages 16 --pages2 4 --vcpus 2 --userfault \
	--json "$R/userfault/faultgen.json" >"$R/userfault/faults.jsonl" 2>"$R/userfault/stderr.txt"
echo $? >"$R/userfault/rc"
log "userfault: rc $(cat "$R/userfault/rc"), $(grep -c '"origin":"async-pf"' "$R/userfault/faults.jsonl") async-pf faults"

# --backing gmem: slots 1 and 2 from a guest_memfd the host maps (6.18+):
# KVM takes the pages through kvm_gmem_get_pfn, not the VMM's page tables.
mkdir -p "$R/gmem"
"$G" --json -- "$FG" --pages 16 --pages2 4 --vcpus 2 --backing gmem \
	--json "$R/gmem/faultgen.json" >"$R/gmem/faults.jsonl" 2>"$R/gmem/stderr.txt"
echo $? >"$R/gmem/rc"
log "gmem: rc $(cat "$R/gmem/rc"), $(grep -c '"cause":"guest-memfd"' "$R/gmem/faults.jsonl") guest-memfd faults"

# --vm PID attached late: faultgen stops after pass 1 with dirty logging
# on, the tool attaches, the guest re-writes slot 1: fast-path faults on a
# slot that does not fault in while the tool runs. late_attach NAME
# [ARGS]: results in /results/NAME; late-nolearn is the control, with a
# profile that has no memslot_learn line.
late_attach() {
mkdir -p "$R/$1"
rm -f /tmp/go-late
"$FG" --pages 16 --pages2 4 --vcpus 2 --dirty-log --rewrites 2 \
	--rewrite-wait-file /tmp/go-late --json "$R/$1/faultgen.json" \
	>/dev/null 2>"$R/$1/faultgen.err" &
fpid=$!
n=0
while [ "$n" -lt 600 ] && ! grep -q "pass 1 done" "$R/$1/faultgen.err"; do
	sleep 0.1; n=$((n + 1))
done
# shellcheck disable=SC2086
"$G" $2 --json --vm "$fpid" >"$R/$1/faults.jsonl" 2>"$R/$1/stderr.txt" &
gpid=$!
n=0
while [ "$n" -lt 600 ] && ! grep -q "tracing PID" "$R/$1/stderr.txt"; do
	sleep 0.1; n=$((n + 1))
done
touch /tmp/go-late
wait "$fpid"
wait "$gpid"
echo $? >"$R/$1/rc"
log "$1: rc $(cat "$R/$1/rc"), $(grep -c '"kind":"fast"' "$R/$1/faults.jsonl") fast-path faults"
}
late_attach late
grep -v '^memslot_learn' "$(dirname "$G")/../share/kvmmmu-graph/profiles/kvm-x86.profile" \
	>/tmp/nolearn.profile
late_attach late-nolearn "--profile /tmp/nolearn.profile"

LIGHT=''
grep -q 'kvmmmu\.profiler=light' /proc/cmdline 2>/dev/null && LIGHT=1

# Views on one run: trees, folded stacks, SVG, breakdown.
heavy_views() {
mkdir -p "$R/tree"
# shellcheck disable=SC2086
"$G" --tree --top 3 --folded "$R/tree/folded.txt" --svg "$R/tree/flame.svg" \
	-- "$FG" $SCEN --json "$R/tree/faultgen.json" >"$R/tree/out.txt" 2>"$R/tree/stderr.txt"
echo $? >"$R/tree/rc"
tail -n 40 "$R/tree/out.txt"
}

# --vm PID: the VM process exists first, the tool attaches, the VM exits.
mkdir -p "$R/vm-pid"
rm -f /tmp/go
# shellcheck disable=SC2086
"$FG" $SCEN --wait-file /tmp/go --json "$R/vm-pid/faultgen.json" \
	>/dev/null 2>"$R/vm-pid/faultgen.err" &
fpid=$!
n=0
while [ "$n" -lt 100 ] && ! grep -q ready "$R/vm-pid/faultgen.err"; do
	sleep 0.1; n=$((n + 1))
done
"$G" --json --record "$R/vm-pid/recording" --vm "$fpid" >"$R/vm-pid/faults.jsonl" 2>"$R/vm-pid/stderr.txt" &
gpid=$!
n=0
while [ "$n" -lt 600 ] && ! grep -q "tracing PID" "$R/vm-pid/stderr.txt"; do
	sleep 0.1; n=$((n + 1))
done
touch /tmp/go
wait "$fpid"
wait "$gpid"
echo $? >"$R/vm-pid/rc"
log "vm-pid: rc $(cat "$R/vm-pid/rc"): $(cat "$R/vm-pid/stderr.txt")"

# Signals: SIGINT ends a run cleanly; after SIGKILL the next run cleans up.
heavy_signals() {
mkdir -p "$R/signals"
rm -f /tmp/never
"$FG" --pages 4 --wait-file /tmp/never --json /dev/null 2>"$R/signals/fg.err" &
fpid=$!
n=0
while [ "$n" -lt 100 ] && ! grep -q ready "$R/signals/fg.err"; do
	sleep 0.1; n=$((n + 1))
done
for sig in INT KILL; do
	"$G" --summary-only --vm "$fpid" >"$R/signals/$sig.out" 2>"$R/signals/$sig.err" &
	gpid=$!
	n=0
	while [ "$n" -lt 600 ] && ! grep -q "tracing PID" "$R/signals/$sig.err"; do
		sleep 0.1; n=$((n + 1))
	done
	kill -"$sig" "$gpid"
	wait "$gpid"
	echo $? >"$R/signals/$sig.rc"
done
echo "$gpid" >"$R/signals/KILL.pid"
tracefs_state >"$R/signals/after-kill.txt"
"$G" check >"$R/signals/check-after-kill.txt" 2>&1
"$G" --summary-only -d 1 --vm "$fpid" >"$R/signals/next.out" 2>"$R/signals/next.err"
echo $? >"$R/signals/next.rc"
kill "$fpid"
wait "$fpid" 2>/dev/null
}

if [ -n "$LIGHT" ]; then
	echo "kvmmmu.profiler=light: attribution runs only" >"$R/light"
	log "light: views, signals, interop and findings left out"
else
	heavy_views
	heavy_signals
	# trace.dat in and out, Chrome trace (tests/vm/scenarios/interop.sh)
	[ -f /tests/vm/scenarios/interop.sh ] && . /tests/vm/scenarios/interop.sh
	# causes, findings and diff on runs built for one cause (findings.sh)
	[ -f /tests/vm/scenarios/findings.sh ] && . /tests/vm/scenarios/findings.sh
fi
# SIGINT as the VM exits with a backlog unread; exact or honest (load.sh)
[ -f /tests/vm/scenarios/load.sh ] && . /tests/vm/scenarios/load.sh

tracefs_state >"$R/tracefs-after.txt"

# The tracefs session unit tests need function_graph: run them here too.
UT=/usr/local/libexec/kvmmmu-graph/tests/test_tracing_session
if [ -x "$UT" ] && [ -z "$LIGHT" ]; then
	"$UT" >"$R/unit-tracing-session.txt" 2>&1
	echo "rc=$?" >>"$R/unit-tracing-session.txt"
fi
exit 0
