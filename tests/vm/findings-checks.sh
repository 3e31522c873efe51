# shellcheck shell=bash
# Host side of tests/vm/scenarios/findings.sh, sourced by run-vm-tests.sh:
# findings_checks KERNEL OUT (uses pass/fail/skip and srcdir from there).
#   - each case's first finding names the cause it was built for, and its
#     share equals the sum of the faults' times with that cause;
#   - the one-page dirty-log loop is reported as a stuck vCPU;
#   - diff: a hugepage-backed run has significantly fewer first-touch
#     faults than a 4 KiB one; two identical workloads (alternating halves of
#     one run's faults) differ in nothing.
findings_checks() {
	local k=$1 out=$2/findings c want
	if [ ! -d "$out" ]; then
		skip "$k: findings" "the scenario did not run"
		return
	fi
	for c in first-touch:first-touch page-cache:page-cache mmio:mmio dirty-log:dirty-log; do
		want=${c#*:}
		c=${c%%:*}
		if [ "$(cat "$out/$c/rc" 2>/dev/null)" = 0 ] &&
			python3 "$here/check_findings.py" "$out/$c/faults.jsonl" "$want" \
				>"$out/$c/check.txt" 2>&1; then
			pass "$k: findings: a $c run's first finding is $want, share = its faults' time"
		else
			fail "$k: findings: a $c run's first finding is $want, share = its faults' time" \
				"rc $(cat "$out/$c/rc" 2>/dev/null): $(tr '\n' ' ' <"$out/$c/check.txt" | head -c 300)"
		fi
		sed 's/^/      /' "$out/$c/check.txt"
	done
	if python3 "$here/check_findings.py" --stuck "$out/dirty-log/faults.jsonl" \
		>"$out/dirty-log/stuck.txt" 2>&1; then
		pass "$k: findings: one page re-faulting 40 times is a stuck vCPU"
	else
		fail "$k: findings: one page re-faulting 40 times is a stuck vCPU" "$(head -c 300 "$out/dirty-log/stuck.txt")"
	fi
	if python3 "$here/check_findings.py" --diff "$out/diff-huge.json" "$out/diff-same.json" \
		>"$out/diff.txt" 2>&1; then
		pass "$k: diff: hugepages give significantly fewer first-touch faults; identical workloads (alternating halves of one run) differ in nothing"
	else
		fail "$k: diff: hugepages give significantly fewer first-touch faults; identical workloads (alternating halves of one run) differ in nothing" \
			"$(tr '\n' ' ' <"$out/diff.txt" | head -c 400)"
	fi
	sed 's/^/      /' "$out/diff.txt"
}
