#!/bin/sh
# Guest part of the load checks (busybox sh): exact numbers when the tool
# is stopped by SIGINT right after the VM exits, with a backlog unread.
# Sourced by profiler.sh (G, FG, R set there) or run as a scenario itself.
#   /results/load/NAME/{args,summary.json,stderr.txt,rc,faultgen.json,seconds}
# Cases (NAME: kvmmmu-graph options):
#   global, instance (where `check` allows it): default buffer;
#   global-small: -b 128, so that the ring buffers overrun: the lost count
#     must then match the kernel's per-CPU stats.
# faultgen: KVMMMU_LOAD_ARGS, default --pages 1024 --pages2 256 --mmio 256
# --dirty-log --vcpus 2 (about 4900 faults).
if [ -z "${G:-}" ]; then
	. "${KVMMMU_GUEST_LIB:-/tests/vm/guest/lib.sh}"
	G=$(command -v kvmmmu-graph || true)
	FG=$(command -v kvmmmu-faultgen || true)
	if [ -z "$G" ] || [ -z "$FG" ]; then
		log "FAIL: kvmmmu-graph or kvmmmu-faultgen not installed in the guest"
		exit 1
	fi
	"$G" check >"$R/check.txt" 2>&1
fi
LOAD_ARGS=${KVMMMU_LOAD_ARGS:---pages 1024 --pages2 256 --mmio 256 --dirty-log --vcpus 2}

# load_case NAME OPTION...: faultgen waits; the tool attaches (--vm PID);
# faultgen runs; SIGINT the moment it exits.
load_case() {
	name=$1
	shift
	d=$R/load/$name
	mkdir -p "$d"
	echo "$* -- $LOAD_ARGS" >"$d/args"
	rm -f /tmp/load-go
	# shellcheck disable=SC2086
	"$FG" $LOAD_ARGS --wait-file /tmp/load-go --json "$d/faultgen.json" \
		>/dev/null 2>"$d/faultgen.err" &
	fpid=$!
	n=0
	while [ "$n" -lt 100 ] && ! grep -q ready "$d/faultgen.err"; do
		sleep 0.1; n=$((n + 1))
	done
	"$G" "$@" --summary-only --json --vm "$fpid" >"$d/summary.json" 2>"$d/stderr.txt" &
	gpid=$!
	n=0
	while [ "$n" -lt 600 ] && ! grep -q "tracing PID" "$d/stderr.txt"; do
		sleep 0.1; n=$((n + 1))
	done
	t0=$(uptime_s)
	touch /tmp/load-go
	wait "$fpid"
	kill -INT "$gpid" 2>/dev/null
	echo "$(elapsed "$t0")" >"$d/seconds"
	wait "$gpid"
	echo $? >"$d/rc"
	log "load $name: rc $(cat "$d/rc"), $(cat "$d/seconds") s: $(head -c 300 "$d/summary.json")"
}

load_case global --strategy global
if grep -qE "^  instance +yes" "$R/check.txt"; then
	load_case instance --strategy instance
fi
load_case global-small --strategy global -b 128
