#!/bin/sh
# Guest scenario (busybox sh): the end-to-end check WITHOUT the tracer.
# Plain tracefs writes/reads in the top-level instance:
#   function_graph on kvm_mmu_page_fault, pid-filtered to kvmmmu-faultgen,
#   events kvm:kvm_page_fault, kvm:kvm_entry, kvm:kvm_exit, kvmmmu:*.
# Writes into $KVMMMU_RESULTS (/results):
#   capabilities.txt   kernel/KVM/tracefs facts (always)
#   faultgen.json      from kvmmmu-faultgen --json (when it exists)
#   faultgen.log       its stdout/stderr
#   fixture/           raw per-CPU buffers + formats etc. (see tests/vm/README)
#   counts.txt         counts taken from the formatted `trace`
#   timing.txt         guest-side durations of the phases
# Without kvmmmu-faultgen it still sets tracing up, runs briefly, saves the
# (near empty) fixture, restores tracing and passes.
. "${KVMMMU_GUEST_LIB:-/tests/vm/guest/lib.sh}"

TRACE_MAX_LINES=${TRACE_MAX_LINES:-20000}
FAULTGEN_TIMEOUT=${FAULTGEN_TIMEOUT:-240}
FIX=$R/fixture
mkdir -p "$FIX"
rc=0
t0=$(uptime_s)

capabilities "$R/capabilities.txt"
cat "$R/capabilities.txt"

if [ ! -e /dev/kvm ]; then
	log "FAIL: /dev/kvm missing (kvm_amd did not load)"
	exit 1
fi
if ! grep -qx 'top.function_graph=yes' "$R/capabilities.txt"; then
	log "FAIL: function_graph not in available_tracers"
	exit 1
fi

FG=$(command -v kvmmmu-faultgen 2>/dev/null || true)
tracing_save_state

# --- start the test VMM (it waits for /tmp/go) ---------------------------
rm -f /tmp/go
fpid=
if [ -n "$FG" ]; then
	# kernel command line kvmmmu.vcpus=N: more vCPU threads
	vcpus=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^kvmmmu\.vcpus=//p' | tail -n1)
	log "starting $FG${vcpus:+ with $vcpus vCPUs}"
	"$FG" --wait-file /tmp/go --pages 64 --pages2 16 --mmio 8 --dirty-log \
		${vcpus:+--vcpus "$vcpus"} --json "$R/faultgen.json" >"$R/faultgen.log" 2>&1 &
	fpid=$!
	# wait until the VM and its vCPU threads exist ("ready" on stderr)
	n=0
	while [ "$n" -lt 300 ] && [ -d "/proc/$fpid" ]; do
		grep -q 'kvmmmu-faultgen: ready' "$R/faultgen.log" 2>/dev/null && break
		sleep 0.1
		n=$((n + 1))
	done
	[ "$n" -lt 300 ] || warn "no 'ready' from kvmmmu-faultgen after 30 s; going on"
	if [ ! -d "/proc/$fpid" ]; then
		log "FAIL: kvmmmu-faultgen exited before the go file"
		cat "$R/faultgen.log"
		exit 1
	fi
else
	log "kvmmmu-faultgen not installed: tracing smoke test only"
	echo "faultgen=absent" >"$R/faultgen.absent"
fi

# --- set up tracing in the top-level instance ----------------------------
t_setup=$(uptime_s)
tfs_write tracing_on 0
tfs_write current_tracer nop
: >"$T/trace"
tfs_write buffer_size_kb 4096 || rc=1
tfs_write set_graph_function kvm_mmu_page_fault || rc=1
tfs_write options/function-fork 1 || rc=1
tfs_write options/event-fork 1 || rc=1
if [ -n "$fpid" ]; then
	set_pids set_ftrace_pid "$fpid" || rc=1
	set_pids set_event_pid "$fpid" || rc=1
fi
for e in kvm/kvm_page_fault kvm/kvm_entry kvm/kvm_exit kvmmmu; do
	tfs_write "events/$e/enable" 1 || rc=1
done
tfs_write current_tracer function_graph || rc=1
[ "$(tfs_read current_tracer)" = function_graph ] || { log "FAIL: current_tracer is not function_graph"; rc=1; }
{
	echo "current_tracer=$(tfs_read current_tracer)"
	echo "set_graph_function=$(tfs_read set_graph_function | tr '\n' ' ')"
	echo "set_ftrace_pid=$(tfs_read set_ftrace_pid | tr '\n' ' ')"
	echo "set_event_pid=$(tfs_read set_event_pid | tr '\n' ' ')"
	echo "buffer_size_kb=$(tfs_read buffer_size_kb)"
	echo "trace_clock=$(tfs_read trace_clock)"
	echo "set_event=$(tfs_read set_event | tr '\n' ' ')"
	echo "faultgen=${FG:-absent}"
} >"$FIX/setup.txt"
tfs_write tracing_on 1
t_run=$(uptime_s)

# --- run -------------------------------------------------------------------
if [ -n "$fpid" ]; then
	touch /tmp/go
	(sleep "$FAULTGEN_TIMEOUT"; kill -9 "$fpid" 2>/dev/null) &
	wd=$!
	wait "$fpid"
	frc=$?
	kill "$wd" 2>/dev/null
	wait "$wd" 2>/dev/null
	echo "faultgen_rc=$frc" >>"$FIX/setup.txt"
	if [ "$frc" -ne 0 ]; then
		log "FAIL: kvmmmu-faultgen exited with $frc"
		cat "$R/faultgen.log"
		rc=1
	fi
	[ -s "$R/faultgen.json" ] || { log "FAIL: no faultgen.json"; rc=1; }
else
	sleep 1
fi
tfs_write tracing_on 0
t_stop=$(uptime_s)

# --- save ------------------------------------------------------------------
save_static "$FIX"
t_text=$(uptime_s)
count_trace "$FIX" "$TRACE_MAX_LINES" "$R/counts.txt"
t_raw=$(uptime_s)
save_raw "$FIX"
echo "overrun=$(total_overrun "$FIX")" >>"$R/counts.txt"
t_saved=$(uptime_s)
cat "$R/counts.txt"

tracing_restore
[ "$(tfs_read current_tracer)" = nop ] || { log "FAIL: tracing not restored"; rc=1; }

{
	echo "setup_s=$(awk -v a="$t_setup" -v b="$t_run" 'BEGIN{printf "%.2f", b-a}')"
	echo "run_s=$(awk -v a="$t_run" -v b="$t_stop" 'BEGIN{printf "%.2f", b-a}')"
	echo "read_trace_text_s=$(awk -v a="$t_text" -v b="$t_raw" 'BEGIN{printf "%.2f", b-a}')"
	echo "read_raw_s=$(awk -v a="$t_raw" -v b="$t_saved" 'BEGIN{printf "%.2f", b-a}')"
	echo "total_s=$(elapsed "$t0")"
} >"$R/timing.txt"
cat "$R/timing.txt"
log "done rc=$rc"
exit "$rc"
