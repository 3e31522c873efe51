#!/bin/bash
# Command-line behaviour of kvmmmu-graph: bad input gets one clear line
# and a non-zero exit (never a crash), replays of the committed fixtures
# agree with KVM's own counters, and live runs on this host work with the
# strategy the host allows.
#
#   tests/cli/run-cli-tests.sh BUILDDIR SRCDIR
set -u
builddir=${1:-.}
srcdir=${2:-.}
G=$builddir/kvmmmu-graph
FG=$builddir/kvmmmu-faultgen
export KVMMMU_GRAPH_PROFILE_DIR=$srcdir/profiles
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() { echo "PASS: cli/$1"; }
fail() { echo "FAIL: cli/$1${2:+ ($2)}"; }
skip() { echo "SKIP: cli/$1 ($2)"; }

# expect NAME STATUS REGEX -- CMD...: exit status, one stderr line matching
expect() {
	local name=$1 want=$2 re=$3 rc lines
	shift 4
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	lines=$(wc -l <"$tmp/err")
	if [ "$rc" -ne "$want" ]; then
		fail "$name" "exit $rc, wanted $want: $(head -c 300 "$tmp/err")"
	elif [ "$want" -ne 0 ] && [ "$lines" -ne 1 ]; then
		fail "$name" "$lines stderr lines, wanted 1: $(head -c 300 "$tmp/err")"
	elif ! grep -qE -e "$re" "$tmp/err" "$tmp/out"; then
		fail "$name" "no /$re/ in: $(head -c 300 "$tmp/err")"
	else
		pass "$name"
	fi
}

expect no_arguments 2 'nothing to trace' -- "$G"
expect unknown_option 2 'unknown or incomplete option' -- "$G" --bogus
expect bad_duration 2 "invalid value 'x' for --duration" -- "$G" -d x --vm 1
expect bad_strategy 2 'for --strategy' -- "$G" --strategy magic --vm 1
expect help 0 '--vm PID' -- "$G" --help
expect help_no_memslot 0 '--no-memslot' -- "$G" --help
expect version 0 '^kvmmmu-graph [0-9]' -- "$G" --version
expect no_such_pid 1 'no process with PID 999999' -- "$G" --vm 999999
sleep 30 & sleeper=$!
# the child is this shell until it has exec'd sleep
for _ in 1 2 3 4 5 6 7 8 9 10; do
	[ "$(cat /proc/$sleeper/comm 2>/dev/null)" = sleep ] && break
	sleep 0.1
done
expect pid_not_a_vm 1 "PID $sleeper \(sleep\) is not a KVM virtual machine" -- "$G" --vm "$sleeper"
kill "$sleeper" 2>/dev/null
if command -v setpriv >/dev/null; then
	expect not_root 1 'needs root' -- setpriv --reuid=65534 --regid=65534 --clear-groups "$G" --vm 1
else
	skip not_root "setpriv missing"
fi
expect missing_profile 1 "profile 'nope' not found" -- "$G" --profile nope --vm 1
expect missing_recording 1 'nosuchdir' -- "$G" --input "$tmp/nosuchdir"

# kvmmmu-faultgen refuses what it cannot do before it opens /dev/kvm
expect fg_bad_backing 2 "--backing must be anon, shmem, memfd or gmem, not 'x'" -- "$FG" --backing x
expect fg_gmem_dirty_log 2 '--backing gmem: .*not with --hugepages or --dirty-log' -- "$FG" --backing gmem --dirty-log
expect fg_gmem_hugepages 2 '--backing gmem: .*not with --hugepages or --dirty-log' -- "$FG" --backing gmem --hugepages
expect fg_userfault_gmem 2 '--userfault serves anonymous 4 KiB pages' -- "$FG" --userfault --backing gmem
expect fg_prefault_too_many 2 '--prefault 9 is more than --pages 8' -- "$FG" --pages 8 --prefault 9
expect fg_rewrite_wait_needs_dirty_log 2 '--rewrite-wait-file needs --dirty-log' -- "$FG" --rewrite-wait-file /nonexistent

# ---- replays of committed recordings ----
# tests/data/NAME.tar.xz: recordings made by tests/vm/make-fixtures.sh
for tarball in "$srcdir"/tests/data/*.tar.xz; do
	[ -f "$tarball" ] || continue
	n=$(basename "$tarball" .tar.xz)
	tar -xJf "$tarball" -C "$tmp"
	fx=$tmp/$n
	"$G" --input "$fx" --json >"$tmp/$n.jsonl" 2>"$tmp/$n.err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "replay_$n" "exit $rc: $(head -c 300 "$tmp/$n.err")"
		continue
	fi
	if python3 "$srcdir/tests/cli/check_oracle.py" "$fx" "$tmp/$n.jsonl" >"$tmp/$n.oracle" 2>&1; then
		pass "replay_$n"
	else
		fail "replay_$n" "$(tr '\n' ' ' <"$tmp/$n.oracle" | head -c 600)"
	fi
	cat "$tmp/$n.oracle" | sed 's/^/    /' >&2
	# corrupt copies: never a crash, never a silent wrong number
	cp -r "$fx" "$tmp/corrupt-$n"
	for f in "$tmp/corrupt-$n"/per_cpu/cpu*/trace_pipe_raw; do
		python3 - "$f" <<'PY'
import sys, random
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
random.seed(7)
for i in range(0, len(b), 997):
    b[i] ^= random.randrange(1, 256)
open(p, 'wb').write(bytes(b))
PY
	done
	"$G" --input "$tmp/corrupt-$n" --summary-only >"$tmp/c.out" 2>"$tmp/c.err"
	rc=$?
	if [ "$rc" -ge 128 ]; then
		fail "corrupt_$n" "crashed with status $rc"
	elif [ "$rc" -ne 0 ] && [ "$(wc -l <"$tmp/c.err")" -ne 1 ]; then
		fail "corrupt_$n" "exit $rc without a one-line error"
	else
		pass "corrupt_$n"
	fi
	truncate -s 100 "$tmp/corrupt-$n"/per_cpu/cpu0/trace_pipe_raw
	expect "truncated_$n" 1 'not a whole number of 4096-byte pages' -- "$G" --input "$tmp/corrupt-$n" --summary-only
done

# Whether the fast path fixed a fault comes from fast_page_fault's ret,
# read against the RET_PF_* values of its print fmt: values no event has
# leave no fast-path fault; a print fmt without them (or hostile ones)
# keeps the rule without ret.
fx=$tmp/6.1-global
fmt=$fx/events/kvmmmu/fast_page_fault/format
if [ -f "$fmt" ] && grep -q 'REC->ret == 5, REC->ret == 4' "$fmt"; then
	fast() { "$G" --input "$fx" --json 2>/dev/null | grep -c '"kind":"fast"'; }
	want=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['kvm_stats']['pf_fast'])" "$fx/faultgen.json")
	n_real=$(fast)
	sed -i 's/REC->ret == 5, REC->ret == 4/REC->ret == 8, REC->ret == 9/' "$fmt"
	n_none=$(fast)
	sed -i 's/REC->ret == 8, REC->ret == 9/REC->ret == 99999999999, REC->ret == -1/' "$fmt"
	n_hostile=$(fast)
	if [ "$want" -gt 0 ] && [ "$n_real" = "$want" ] && [ "$n_none" = 0 ] && [ "$n_hostile" = "$want" ]; then
		pass fast_path_outcome_from_print_fmt
	else
		fail fast_path_outcome_from_print_fmt "pf_fast $want: fast faults $n_real, with values no event has $n_none, hostile $n_hostile"
	fi
else
	skip fast_path_outcome_from_print_fmt "no 6.1-global fixture with its print fmt"
fi

# check names what a killed run left (an instance of a dead pid), and
# leaves it in place: removing it is the next trace's job
inst=/sys/kernel/tracing/instances
if [ "$(id -u)" -ne 0 ] || [ ! -d "$inst" ]; then
	skip check_names_leftovers "needs root and tracefs instances"
else
	dead=$(sh -c 'echo $$')
	while kill -0 "$dead" 2>/dev/null; do dead=$((dead + 100000)); done
	if mkdir "$inst/kvmmmu-graph-$dead" 2>/dev/null; then
		"$G" check >"$tmp/check-left.out" 2>&1
		if grep -Eq "^  leftovers of killed runs +yes instance kvmmmu-graph-$dead \(pid $dead dead\)" "$tmp/check-left.out" &&
			[ -d "$inst/kvmmmu-graph-$dead" ]; then
			pass check_names_leftovers
		else
			fail check_names_leftovers "$(grep leftovers "$tmp/check-left.out")"
		fi
		rmdir "$inst/kvmmmu-graph-$dead"
	else
		skip check_names_leftovers "cannot create a tracefs instance here"
	fi
fi

# ---- live on this host ----
if [ "$(id -u)" -ne 0 ] || [ ! -e /dev/kvm ] || [ ! -d /sys/kernel/tracing/events/kvm ]; then
	skip live_events_only "needs root, /dev/kvm and kvm tracepoints"
	exit 0
fi
"$G" check >"$tmp/check.out" 2>&1
if grep -q "function_graph" "$tmp/check.out"; then pass check_mentions_function_graph
else fail check_mentions_function_graph "$(head -c 300 "$tmp/check.out")"; fi
before=$(cd /sys/kernel/tracing && cat current_tracer set_event trace_clock tracing_on; ls instances)
"$G" --json -- "$FG" --pages 32 --pages2 8 --json "$tmp/fg.json" >"$tmp/live.jsonl" 2>"$tmp/live.err"
rc=$?
after=$(cd /sys/kernel/tracing && cat current_tracer set_event trace_clock tracing_on; ls instances)
if [ "$rc" -ne 0 ]; then
	fail live_command "exit $rc: $(head -c 300 "$tmp/live.err")"
else
	python3 "$srcdir/tests/cli/check_oracle.py" --live "$tmp/fg.json" "$tmp/live.jsonl" >"$tmp/live.oracle" 2>&1
	case $? in
	0) pass live_command ;;
	77) skip live_command "$(cat "$tmp/live.oracle")" ;;
	*) fail live_command "$(tr '\n' ' ' <"$tmp/live.oracle" | head -c 600)" ;;
	esac
fi
sed 's/^/    /' "$tmp/live.oracle" >&2
if [ "$before" = "$after" ]; then pass live_restores_tracefs
else fail live_restores_tracefs "top level or instances changed"; fi
# MEM_SLOTID/HVA: what check says is what the run does, said once
if grep -qE '^  MEM_SLOTID, HVA +no ' "$tmp/check.out"; then
	n=$(grep -c 'memslot/HVA unavailable: ' "$tmp/live.err")
	if [ "$n" = 1 ] && ! grep -q '"hva":"0x' "$tmp/live.jsonl"; then pass live_memslot_unavailable_said_once
	else fail live_memslot_unavailable_said_once "$n lines: $(head -c 300 "$tmp/live.err")"; fi
elif grep -qE '^  MEM_SLOTID, HVA +yes ' "$tmp/check.out"; then
	if grep -q '"hva":"0x' "$tmp/live.jsonl" && ! grep -q 'memslot/HVA unavailable' "$tmp/live.err"; then
		pass live_memslot_hva
	else fail live_memslot_hva "no HVA: $(head -c 300 "$tmp/live.err")"; fi
else
	fail check_says_memslot_source "no 'MEM_SLOTID, HVA' line in check"
fi

# --vm PID: a VM that exits mid-run (and stays a zombie, unreaped by its
# parent) ends the trace with status 3 and a one-line message.
go=$tmp/go
python3 -c "
import subprocess, sys, time
p = subprocess.Popen(['$FG', '--pages', '2', '--wait-file', '$go', '--json', '/dev/null'],
                     stderr=subprocess.DEVNULL)
print(p.pid, flush=True)
time.sleep(40)
" >"$tmp/vm.pid" &
parent=$!
n=0
while [ "$n" -lt 50 ] && [ ! -s "$tmp/vm.pid" ]; do sleep 0.1; n=$((n + 1)); done
vm=$(cat "$tmp/vm.pid")
start=$(date +%s)
"$G" --summary-only -d 30 --vm "$vm" >"$tmp/zombie.out" 2>"$tmp/zombie.err" &
g=$!
n=0
while [ "$n" -lt 100 ] && ! grep -q "tracing PID" "$tmp/zombie.err"; do sleep 0.1; n=$((n + 1)); done
touch "$go"
wait "$g"
rc=$?
took=$(( $(date +%s) - start ))
kill "$parent" 2>/dev/null
if [ "$rc" = 3 ] && [ "$took" -lt 15 ] && grep -q "VM process $vm exited during the trace" "$tmp/zombie.err"; then
	pass vm_exits_mid_run
else
	fail vm_exits_mid_run "rc $rc after ${took}s: $(tr '\n' ' ' <"$tmp/zombie.err" | head -c 300)"
fi
