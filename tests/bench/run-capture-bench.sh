#!/bin/bash
# run-capture-bench.sh [--kernel 6.1|6.12] [--runs N] [--bufkb KB]
#                      [--reuse DIR] [--out DIR] [--results FILE] [--load]
#
# What tracing costs the guest, in one boot of the QEMU test host
# (tests/bench/scenarios/capture.sh): the same kvmmmu-faultgen run at two
# sizes (small ~1.2k faults, large ~9.2k with dirty logging and MMIO),
# untraced, under function_graph with no reader, under `trace-cmd record
# -p function_graph -g kvm_mmu_page_fault -e kvm -e kvmmmu -P TID...` (every thread of faultgen), and
# under kvmmmu-graph with each strategy this kernel allows, --runs times
# each (default 3), -b --bufkb (default 4096) everywhere. Prints the table
# (tests/bench/capture_table.py) and writes it to
# tests/bench/results-capture-<kernel>.txt (--results FILE elsewhere).
# --load also runs tests/vm/scenarios/load.sh in the same boot (its results
# under DIR/load, checked by tests/vm/load-checks.sh). Not a timed test,
# not part of `make check`. Wrap it in flock like every boot.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
die() { echo "run-capture-bench: error: $*" >&2; exit 2; }

kernel=6.12 runs=3 bufkb=4096 reuse='' out='' results='' load=0
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=${2:?}; shift 2 ;;
	--runs) runs=${2:?}; shift 2 ;;
	--bufkb) bufkb=${2:?}; shift 2 ;;
	--reuse) reuse=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	--results) results=${2:?}; shift 2 ;;
	--load) load=1; shift ;;
	-h|--help) sed -n '2,17p' "$0"; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
case "$kernel" in 6.1|6.12) ;; *) die "--kernel 6.1|6.12" ;; esac
results=${results:-$here/results-capture-$kernel.txt}
vmcache=${KVMMMU_VM_CACHE:-$top/tests/vm/cache}

if [ -n "$reuse" ]; then
	data=$reuse
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/kvmmmu-capbench.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	make -C "$top" -j"$(nproc)" >"$work/make.log" 2>&1 || die "make failed"
	make -C "$top" install DESTDIR="$work/stage" >>"$work/make.log" 2>&1 || die "make install failed"
	[ -f "$vmcache/$kernel/vmlinuz" ] ||
		"$top/tests/vm/fetch-kernel.sh" "$kernel" "$vmcache" >/dev/null || die "fetch-kernel.sh failed"
	mkdir "$work/cache"
	ln -s "$vmcache/$kernel" "$work/cache/$kernel"
	ln -s "$vmcache/debs" "$work/cache/debs"
	data=${out:-$vmcache/capbench-$kernel}
	"$top/tests/vm/boot.sh" --kernel "$kernel" --scenario "$here/scenarios/capture.sh" \
		--out "$data" --destdir "$work/stage" --cache "$work/cache" --timeout 2400 \
		--append "kvmmmu.cap_runs=$runs kvmmmu.cap_bufkb=$bufkb kvmmmu.cap_load=$load" ||
		die "boot.sh failed (see $data/console.log)"
	git -C "$top" describe --always --dirty >"$data/capbench-build.txt" 2>/dev/null || true
fi
{
	python3 "$here/capture_table.py" "$data" "$kernel"
	echo "build: $(cat "$data/capbench-build.txt" 2>/dev/null || echo '?'); $(tr '\n' ' ' <"$data/capture-host.txt" 2>/dev/null)"
	echo "-b $bufkb KB per CPU in every mode; QEMU TCG, -smp 2"
	echo "trace-cmd's reader CPU (busybox time of trace-cmd record and its recorders) includes switching the tracer to function_graph (seconds under TCG); kvmmmu-graph's counts from tracing on to the end of its drain."
} | tee "$results"
