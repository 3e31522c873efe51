# shellcheck shell=bash
# Host side of tests/vm/scenarios/interop.sh, sourced by run-vm-tests.sh:
# interop_checks KERNEL OUT (uses pass/fail/skip and srcdir from there).
#   - a trace-cmd record of the same setup, read by kvmmmu-graph, agrees
#     with KVM's counters (check_oracle.py);
#   - the trace.dat kvmmmu-graph wrote has one kvm_mmu_page_fault root
#     call per complete fault in trace-cmd report;
#   - the Chrome trace validates, has one slice per fault and one track
#     per vCPU.
interop_checks() {
	local k=$1 out=$2/interop d n want tracks vcpus
	if [ -f "$out/unavailable" ]; then
		skip "$k: interop" "$(cat "$out/unavailable")"
		return
	fi
	d=$out/tc
	if [ "$(cat "$d/record.rc" 2>/dev/null)" = 0 ] && [ "$(cat "$d/rc" 2>/dev/null)" = 0 ] &&
		python3 "$srcdir/tests/cli/check_oracle.py" --live "$d/faultgen.json" "$d/faults.jsonl" >"$d/oracle.txt" 2>&1; then
		pass "$k: a trace-cmd record trace.dat, read by kvmmmu-graph, agrees with KVM's counters"
	else
		fail "$k: a trace-cmd record trace.dat, read by kvmmmu-graph, agrees with KVM's counters" \
			"record rc $(cat "$d/record.rc" 2>/dev/null), rc $(cat "$d/rc" 2>/dev/null): $(head -c 200 "$d/stderr.txt") $(grep DIFF "$d/oracle.txt" 2>/dev/null | tr '\n' ' ')"
	fi
	sed 's/^/      trace-cmd record: /' "$d/oracle.txt" 2>/dev/null
	d=$out/out
	want=$(python3 -c 'import json,sys
n = 0
for line in open(sys.argv[1]):
    o = json.loads(line)
    # every fault, complete or not: a fault cut short by lost events
    # still has its root entry in the trace.dat
    if o.get("type") != "summary":
        n += 1
print(n)' "$d/faults.jsonl" 2>/dev/null)
	n=$(cat "$d/report.roots" 2>/dev/null)
	if [ "$(cat "$d/rc" 2>/dev/null)" = 0 ] && [ "$(cat "$d/report.rc" 2>/dev/null)" = 0 ] &&
		[ -n "$want" ] && [ "$want" -gt 0 ] && [ "$n" = "$want" ]; then
		pass "$k: --record FILE.dat: trace-cmd report lists one kvm_mmu_page_fault per fault ($n)"
	else
		fail "$k: --record FILE.dat: trace-cmd report lists one kvm_mmu_page_fault per fault" \
			"rc $(cat "$d/rc" 2>/dev/null), report rc $(cat "$d/report.rc" 2>/dev/null): $n root calls, $want faults"
	fi
	if python3 "$srcdir/tests/chrome/validate.py" "$d/trace.json" >"$d/chrome.txt" 2>&1; then
		n=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["faults"])' "$d/chrome.txt")
		tracks=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tracks"])' "$d/chrome.txt")
		vcpus=$(python3 -c 'import json,sys
print(len({json.loads(l)["vcpu"] for l in open(sys.argv[1]) if "\"type\":\"summary\"" not in l}))' "$d/faults.jsonl")
		if [ "$n" = "$want" ] && [ "$tracks" = "$vcpus" ]; then
			pass "$k: --chrome-trace: one slice per fault ($n), one track per vCPU ($tracks)"
		else
			fail "$k: --chrome-trace: one slice per fault, one track per vCPU" \
				"$n slices for $want faults, $tracks tracks for $vcpus vCPUs"
		fi
	else
		fail "$k: --chrome-trace: one slice per fault, one track per vCPU" "$(head -c 300 "$d/chrome.txt")"
	fi
	interop_speedscope "$k" "$d"
}

# The Chrome trace of the run in speedscope (the npm package the chrome
# tests installed), as tests/chrome/run-chrome-tests.sh checks replays.
interop_speedscope() {
	local k=$1 d=$2 npm_dir=${KVMMMU_NPM_CACHE:-$srcdir/tests/chrome/node_modules}
	local browser=${CHROMIUM:-$(command -v chromium || true)}
	if [ -z "$browser" ] || ! command -v node >/dev/null ||
		[ ! -d "$npm_dir/speedscope/dist/release" ] || [ ! -d "$npm_dir/playwright-core" ]; then
		skip "$k: the run's Chrome trace loads in speedscope" "no chromium, node or speedscope (tests/chrome installs it)"
		return
	fi
	python3 "$srcdir/tests/chrome/expected-frames.py" "$d/trace.json" >"$d/frames.json" 2>&1
	if CHROMIUM=$browser NODE_PATH=$npm_dir timeout 180 node "$srcdir/tests/chrome/speedscope-load.js" \
		"$npm_dir/speedscope/dist/release" "$d/trace.json" "$d/speedscope.png" >"$d/speedscope.json" 2>&1 &&
		python3 - "$d/speedscope.json" "$d/frames.json" <<'PY'
import json, re, sys
got = json.load(open(sys.argv[1]))
want = json.load(open(sys.argv[2]))
ok = got["tracks"] == len(want)
for t in got["per_track"]:
    tid = re.search(r"\(tid (\d+)\)", t["name"]).group(1)
    ok &= [t["frames"], t["fault_frames"]] == want.get(tid)
sys.exit(0 if ok else 1)
PY
	then
		pass "$k: the run's Chrome trace loads in speedscope, one track per vCPU"
	else
		fail "$k: the run's Chrome trace loads in speedscope, one track per vCPU" \
			"$(head -c 300 "$d/speedscope.json") want $(cat "$d/frames.json")"
	fi
}
