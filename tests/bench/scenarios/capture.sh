#!/bin/sh
# Guest scenario for tests/bench/run-capture-bench.sh (busybox sh, run by
# tests/vm/boot.sh as /scenario.sh): what tracing costs the guest.
# For each size (small, large) and each mode, RUNS times, one faultgen run
# (--vcpus 2 --dirty-log, sizes below) started with --wait-file; the guest
# time is from releasing it to its exit (uptime, 10 ms steps):
#   untraced     no tracing
#   noreader     function_graph -g kvm_mmu_page_fault -e kvm -e kvmmmu -P TID...
#                set up by `trace-cmd start` and never read: the kernel's floor
#   trace-cmd    trace-cmd record with the same settings, SIGINT at the exit
#   global, instance (where check allows it)
#                kvmmmu-graph --strategy S --summary-only --json --vm PID,
#                SIGINT at the exit
# Every mode uses -b BUFKB per CPU. Results:
#   /results/capture/SIZE/MODE/RUN/{seconds,faultgen.json,summary.json,
#   tc.txt (trace-cmd's output with its per-CPU stats and busybox time's
#   real/user/sys of trace-cmd and its recorders), tc-summary.json
#   (trace-cmd's trace.dat read by kvmmmu-graph --input), stats.txt}
# Kernel command line: kvmmmu.cap_runs=N (3) kvmmmu.cap_bufkb=KB (4096)
# kvmmmu.cap_load=1 also runs tests/vm/scenarios/load.sh afterwards.
. "${KVMMMU_GUEST_LIB:-/tests/vm/guest/lib.sh}"

arg() { # arg NAME DEFAULT: kvmmmu.NAME=VALUE from /proc/cmdline
	v_=$(tr ' ' '\n' </proc/cmdline | sed -n "s/^kvmmmu\.$1=//p" | tail -n1)
	case "$v_" in '' | *[!0-9]*) echo "$2" ;; *) echo "$v_" ;; esac
}
RUNS=$(arg cap_runs 3)
BUFKB=$(arg cap_bufkb 4096)
SMALL="--pages 256 --pages2 64 --mmio 64 --dirty-log --vcpus 2"
LARGE="--pages 2048 --pages2 512 --mmio 256 --dirty-log --vcpus 2"
G=$(command -v kvmmmu-graph || true)
FG=$(command -v kvmmmu-faultgen || true)
[ -n "$G" ] && [ -n "$FG" ] || { warn "kvmmmu-graph or kvmmmu-faultgen missing"; exit 1; }
[ -e /dev/kvm ] || { warn "no /dev/kvm"; exit 1; }
"$G" check >"$R/check.txt" 2>&1
echo "uname=$(uname -r)" >"$R/capture-host.txt"
trace-cmd --version 2>&1 | head -n1 >>"$R/capture-host.txt"

# fg_start ARGS DIR: faultgen waiting on /tmp/cap-go; sets fpid
fg_start() {
	rm -f /tmp/cap-go
	# shellcheck disable=SC2086
	"$FG" $1 --wait-file /tmp/cap-go --json "$2/faultgen.json" >/dev/null 2>"$2/faultgen.err" &
	fpid=$!
	n=0
	while [ "$n" -lt 100 ] && ! grep -q ready "$2/faultgen.err"; do
		sleep 0.1; n=$((n + 1))
	done
}
# tids: -P for every thread of faultgen (its vCPU threads exist already:
# trace-cmd's -P PID alone would trace the main thread only)
tids() {
	for t in /proc/"$fpid"/task/*; do printf ' -P %s' "${t##*/}"; done
}
# fg_go DIR: release faultgen, wait for its exit, write the guest time
fg_go() {
	t0=$(uptime_s)
	touch /tmp/cap-go
	wait "$fpid"
	elapsed "$t0" >"$1/seconds"
}
# wait_for FILE TEXT: up to 60 s
wait_for() {
	n=0
	while [ "$n" -lt 600 ] && ! grep -q "$2" "$1" 2>/dev/null; do
		sleep 0.1; n=$((n + 1))
	done
}
# wait_recording: trace-cmd's stdout is buffered; wait for the top level
# to trace with function_graph instead
wait_recording() {
	n=0
	while [ "$n" -lt 600 ]; do
		[ "$(cat "$T/current_tracer")" = function_graph ] &&
			[ "$(cat "$T/tracing_on")" = 1 ] && return 0
		sleep 0.1; n=$((n + 1))
	done
}
stats() { # stats DIR: the top level's per-CPU stats
	for c in "$T"/per_cpu/cpu*; do
		echo "${c##*/}"
		cat "$c/stats"
	done >"$1/stats.txt" 2>/dev/null
}

mode_untraced() { fg_start "$2" "$1"; fg_go "$1"; }

mode_noreader() {
	fg_start "$2" "$1"
	# shellcheck disable=SC2046
	trace-cmd start -b "$BUFKB" -p function_graph -g kvm_mmu_page_fault \
		-e kvm -e kvmmmu $(tids) >"$1/tc.txt" 2>&1
	fg_go "$1"
	trace-cmd stop >/dev/null 2>&1
	stats "$1"
	trace-cmd reset >/dev/null 2>&1
}

mode_tracecmd() {
	fg_start "$2" "$1"
	# shellcheck disable=SC2046
	time trace-cmd record -b "$BUFKB" -p function_graph -g kvm_mmu_page_fault \
		-e kvm -e kvmmmu $(tids) -o /tmp/cap-tc.dat >"$1/tc.txt" 2>&1 &
	tpid=$!
	wait_recording
	sleep 0.5	# its recorder processes start after the tracer
	fg_go "$1"
	# busybox time ignores SIGINT while it waits: signal trace-cmd itself
	tc=$(ps -o pid,ppid | awk -v p="$tpid" '$2 == p { print $1; exit }')
	kill -INT "${tc:-$tpid}"
	wait "$tpid"
	"$G" --input /tmp/cap-tc.dat --summary-only --json >"$1/tc-summary.json" 2>"$1/tc-summary.err"
	rm -f /tmp/cap-tc.dat
	trace-cmd reset >/dev/null 2>&1
}

mode_kvmmmu() { # mode_kvmmmu DIR ARGS STRATEGY
	fg_start "$2" "$1"
	"$G" --strategy "$3" -b "$BUFKB" --summary-only --json --vm "$fpid" \
		>"$1/summary.json" 2>"$1/stderr.txt" &
	gpid=$!
	wait_for "$1/stderr.txt" "tracing PID"
	fg_go "$1"
	kill -INT "$gpid" 2>/dev/null
	wait "$gpid"
	echo $? >"$1/rc"
}

modes="untraced noreader trace-cmd global"
grep -qE "^  instance +yes" "$R/check.txt" && modes="$modes instance"
for size in small large; do
	args=$SMALL
	[ "$size" = large ] && args=$LARGE
	echo "$args" >"$R/capture-$size-args.txt"
	i=1
	while [ "$i" -le "$RUNS" ]; do
		for m in $modes; do
			d=$R/capture/$size/$m/$i
			mkdir -p "$d"
			case "$m" in
			untraced) mode_untraced "$d" "$args" ;;
			noreader) mode_noreader "$d" "$args" ;;
			trace-cmd) mode_tracecmd "$d" "$args" ;;
			*) mode_kvmmmu "$d" "$args" "$m" ;;
			esac
			log "capture $size $m $i: $(cat "$d/seconds") s"
		done
		i=$((i + 1))
	done
done

if [ "$(arg cap_load 0)" = 1 ] && [ -f /tests/vm/scenarios/load.sh ]; then
	. /tests/vm/scenarios/load.sh
fi
exit 0
