# shellcheck shell=bash
# Host side of tests/vm/scenarios/load.sh, sourced by run-vm-tests.sh:
# load_checks KERNEL OUT (uses pass/fail/skip and here from there).
#   - stopped by SIGINT the moment the VM exits, kvmmmu-graph reports
#     KVM's fault count exactly, or a non-zero loss that equals the
#     kernel's per-CPU stats (check_load.py), for each strategy;
#   - with -b 128 the buffers overrun: the loss is reported and matches.
load_checks() {
	local k=$1 out=$2/load d c name opt
	if [ ! -d "$out" ]; then
		skip "$k: load" "the scenario did not run"
		return
	fi
	for d in "$out"/*/; do
		d=${d%/}
		name=${d##*/}
		opt=
		[ "$name" = global-small ] && opt=--expect-loss
		c="$k: load $name: SIGINT as the VM exits: faults == KVM's, or lost == kernel per-CPU stats"
		if [ "$(cat "$d/rc" 2>/dev/null)" != 0 ] && [ "$(cat "$d/rc" 2>/dev/null)" != 3 ]; then
			fail "$c" "rc $(cat "$d/rc" 2>/dev/null): $(head -c 300 "$d/stderr.txt")"
			continue
		fi
		if python3 "$here/check_load.py" "$d" $opt >"$d/check.txt" 2>&1; then
			pass "$c"
		else
			fail "$c" "$(grep FAIL "$d/check.txt" | tr '\n' ' ' | head -c 400)"
		fi
		sed 's/^/      /' "$d/check.txt"
	done
}
