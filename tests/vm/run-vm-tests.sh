#!/bin/bash
# run-vm-tests.sh [--kernel 6.1|6.12|6.18|7|7.N]... [--heavy K,K] [--qemu K,K]
#                 [--destdir DIR | --builddir DIR]
#                 [--smp N] [--timeout S] [--append ARGS] [--out DIR]
#
# For each kernel (default: 6.1, 6.12, 6.18 and the newest 7.x) boot the
# test VM with the
# raw-tracefs scenario (boot.sh) and check what it brought back:
# kvm_amd loaded, function_graph available, and, when kvmmmu-faultgen is in
# the guest (from --destdir, i.e. `make install DESTDIR=...`), that the
# traced counts agree with KVM's own counters from faultgen.json:
#   kvm_mmu_page_fault calls == pf_taken + MMIO cache hits
#     (MMIO cache hits = MMIO accesses - pf_mmio_spte_created: the repeat
#      accesses that kvm_mmu_page_fault answers from the MMIO spte without
#      kvm_mmu_do_page_fault, so without pf_taken)
#   kvm:kvm_page_fault events == kvm_mmu_page_fault calls
#   kvmmmu:fast_page_fault events >= pf_fast
# One line per check: PASS: name | FAIL: name (details) | SKIP: name (reason),
# then "N passed, N failed, N skipped". Exit 1 if any check failed.
# --destdir DIR: a `make install DESTDIR=DIR` tree for the guest
#   (default $KVMMMU_VM_DESTDIR).
# --builddir DIR: without --destdir, run `make -C DIR install
#   DESTDIR=<cache>/destdir` first and use that (skipped if DIR has no Makefile).
# --heavy K,K: the kernels that run the whole profiler scenario (views,
#   signals, interop, findings, in-guest unit tests; default
#   $KVMMMU_VM_HEAVY or "6.1,7"); the others run its attribution part
#   (strategies, exec, --vm PID) with kvmmmu.profiler=light.
# --qemu K,K: the kernels that also boot QEMU inside the test host
#   (scenarios/qemu-guest.sh, its Multiboot guest; default $KVMMMU_VM_QEMU
#   or "6.1,6.12,6.18,7"; "none" for none). The nested Linux guest
#   (--append kvmmmu.qemu_guest=linux) stops under TCG: tests/vm/README.
# --out DIR: per-kernel output dirs go to DIR/<kernel> (default
#   $KVMMMU_VM_OUT or <cache>/runs). Other options as for boot.sh.
set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
kernels=() destdir=${KVMMMU_VM_DESTDIR:-} builddir='' smp=2 timeout=300 append=''
heavy=${KVMMMU_VM_HEAVY:-6.1,7}
qemu_kernels=${KVMMMU_VM_QEMU:-6.1,6.12,6.18,7}
cache=${KVMMMU_VM_CACHE:-$here/cache}
outroot=${KVMMMU_VM_OUT:-}
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernels+=("${2:?}"); shift 2 ;;
	--heavy) heavy=${2?}; shift 2 ;;
	--qemu) qemu_kernels=${2?}; shift 2 ;;
	--destdir) destdir=${2?}; shift 2 ;;
	--builddir) builddir=${2?}; shift 2 ;;
	--smp) smp=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	--append) append=${2?}; shift 2 ;;
	--out) outroot=${2:?}; shift 2 ;;
	-h|--help) sed -n '2,34p' "$0"; exit 0 ;;
	*) echo "run-vm-tests: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
done
[ ${#kernels[@]} -gt 0 ] || kernels=(6.1 6.12 6.18 7)
# is_qemu_kernel KERNEL: does it run the QEMU-guest scenario?
is_qemu_kernel() { case ",$qemu_kernels," in *",$1,"*) return 0 ;; esac; return 1; }
# is_heavy KERNEL: does it run the whole profiler scenario?
is_heavy() { case ",$heavy," in *",$1,"*) return 0 ;; esac; return 1; }
outroot=${outroot:-$cache/runs}

npass=0 nfail=0 nskip=0
pass() { echo "PASS: $1"; npass=$((npass + 1)); }
fail() { echo "FAIL: $1 ($2)"; nfail=$((nfail + 1)); }
skip() { echo "SKIP: $1 ($2)"; nskip=$((nskip + 1)); }
finish() { echo "$npass passed, $nfail failed, $nskip skipped"; [ "$nfail" = 0 ]; exit; }

checks=("boot and scenario" "kvm_amd loads (/dev/kvm)" "function_graph available" "faultgen ran"
	"kvm_mmu_page_fault calls == pf_taken + MMIO cache hits"
	"kvm_page_fault events == kvm_mmu_page_fault calls" "fast_page_fault events >= pf_fast")
skip_all() { # skip_all REASON: every check of every kernel
	for k in "${kernels[@]}"; do
		for c in "${checks[@]}"; do skip "$k: $c" "$1"; done
	done
	finish
}

command -v "${QEMU:-qemu-system-x86_64}" >/dev/null 2>&1 ||
	skip_all "${QEMU:-qemu-system-x86_64} not installed (apt-get install qemu-system-x86)"
mkdir -p "$cache" && cache=$(cd "$cache" && pwd)

if [ -n "$destdir" ]; then
	[ -d "$destdir" ] || { echo "run-vm-tests: destdir '$destdir' is not a directory" >&2; exit 2; }
	destdir=$(cd "$destdir" && pwd)
elif [ -n "$builddir" ]; then
	if [ -f "$builddir/Makefile" ]; then
		stage=$cache/destdir
		rm -rf "$stage"
		mkdir -p "$stage"
		if ${MAKE:-make} -C "$builddir" install DESTDIR="$stage" >"$cache/make-install.log" 2>&1; then
			# unit tests that need a kernel with function_graph run in the guest
			if [ -x "$builddir/tests/unit/test_tracing_session" ]; then
				mkdir -p "$stage/usr/local/libexec/kvmmmu-graph/tests"
				cp "$builddir/tests/unit/test_tracing_session" "$stage/usr/local/libexec/kvmmmu-graph/tests/"
			fi
			pass "stage: make install DESTDIR"
			destdir=$stage
		else
			fail "stage: make install DESTDIR" "$(tail -n1 "$cache/make-install.log"); log in $cache/make-install.log"
		fi
	else
		skip "stage: make install DESTDIR" "no Makefile in $builddir"
	fi
fi

# kv FILE KEY: value of KEY=value
kv() { sed -n "s/^$2=//p" "$1" 2>/dev/null | head -n1; }
# json_obj FILE KEY: the flat object "KEY": {...} (first one), or nothing
json_obj() {
	grep -o "\"$2\"[[:space:]]*:[[:space:]]*{[^{}]*}" "$1" 2>/dev/null | head -n1
}
# json_num KEY: first "KEY": <integer> in the text on stdin
json_num() {
	grep -o "\"$1\"[[:space:]]*:[[:space:]]*-\{0,1\}[0-9][0-9]*" | head -n1 | sed 's/.*:[[:space:]]*//'
}
isnum() { case "${1:-x}" in ''|*[!0-9-]*) return 1 ;; esac; }


# shellcheck source=tests/vm/interop-checks.sh
. "$here/interop-checks.sh"
# shellcheck source=tests/vm/findings-checks.sh
. "$here/findings-checks.sh"
# shellcheck source=tests/vm/load-checks.sh
. "$here/load-checks.sh"

# ahead_check KERNEL DIR MEMSLOT NAME OK_LINE: a faultgen run of faults
# KVM takes ahead of the guest, through check_oracle.py; it passes when
# every check agrees and OK_LINE (a positive count) is among them.
ahead_check() {
	local k=$1 d=$2 ms=$3 name=$4 okline=$5
	python3 "$srcdir/tests/cli/check_oracle.py" --live "$d/faultgen.json" "$d/faults.jsonl" $ms >"$d/oracle.txt" 2>&1
	if [ "$(cat "$d/rc" 2>/dev/null)" = 0 ] && grep -q "^ok   $okline: tool [1-9]" "$d/oracle.txt" &&
		! grep -q '^DIFF' "$d/oracle.txt"; then
		pass "$k: $name"
	else
		fail "$k: $name" \
			"rc $(cat "$d/rc" 2>/dev/null): $(head -c 200 "$d/stderr.txt") $(grep DIFF "$d/oracle.txt" 2>/dev/null | tr '\n' ' ')"
	fi
	sed 's/^/      /' "$d/oracle.txt"
}

# prefault_check KERNEL OUT MEMSLOT: KVM_PRE_FAULT_MEMORY's faults, of
# origin prefault, one per page on exactly the pages mapped ahead; the
# guest's own faults still equal KVM's pf_taken. Kernels before 6.10 lack
# the ioctl: faultgen says so and the check is skipped with that reason.
prefault_check() {
	local d=$2/prefault
	if grep -q "has no KVM_PRE_FAULT_MEMORY" "$d/stderr.txt" 2>/dev/null; then
		skip "$1: --prefault: KVM's faults ahead of the guest" "$(grep -o 'this KVM has no.*' "$d/stderr.txt" | head -n1)"
		return
	fi
	ahead_check "$1" "$d" "$3" "--prefault: KVM's faults ahead of the guest, apart from its pf_taken" \
		"prefault faults == pages KVM mapped ahead"
}

# userfault_check KERNEL OUT MEMSLOT: pages served through userfaultfd
# become async page faults; one async-pf fault maps each, the guest's
# own faults on them still equal KVM's pf_taken.
userfault_check() {
	ahead_check "$1" "$2/userfault" "$3" "--userfault: async page faults, one async-pf fault per page served" \
		"async-pf faults == pages served through userfaultfd"
}

# gmem_check KERNEL OUT MEMSLOT: slots backed by a guest_memfd: counts,
# PFN and memslot/HVA as for any run, every slot fault through
# kvm_gmem_get_pfn. Kernels before 6.18 (or built without
# CONFIG_KVM_GUEST_MEMFD) cannot: faultgen says so, the check skips.
gmem_check() {
	local k=$1 d=$2/gmem name="--backing gmem: faults on guest_memfd memslots"
	if grep -q "has no guest_memfd" "$d/stderr.txt" 2>/dev/null; then
		skip "$k: $name" "$(grep -o 'this KVM has no.*' "$d/stderr.txt" | head -n1)"
		return
	fi
	ahead_check "$k" "$d" "$3" "$name" \
		"slot-1/2 normal faults with phase gmem, cause guest-memfd"
}

# late_check KERNEL OUT MEMSLOT: --vm PID attached after pass 1 sees the
# dirty-log rewrites only, fast-path faults on a slot that did not fault in
# while it ran; they must still have memslot, HVA and PFN (memslot_learn)
late_check() {
	local k=$1 d=$2/late name="--vm PID attached after pass 1: dirty-log fast-path faults with memslot, HVA, PFN"
	python3 "$srcdir/tests/cli/check_oracle.py" --live "$d/faultgen.json" "$d/faults.jsonl" --late $3 \
		>"$d/oracle.txt" 2>&1
	if [ "$(cat "$d/rc" 2>/dev/null)" = 3 ] && grep -q "^ok   fast-path faults == pf_fast: tool [1-9]" "$d/oracle.txt" &&
		{ [ -z "$3" ] || grep -q "^ok   fast-path faults with memslot/HVA: tool [1-9]" "$d/oracle.txt"; } &&
		! grep -q '^DIFF' "$d/oracle.txt"; then
		pass "$k: $name"
	else
		fail "$k: $name" \
			"rc $(cat "$d/rc" 2>/dev/null): $(head -c 200 "$d/stderr.txt") $(grep DIFF "$d/oracle.txt" 2>/dev/null | tr '\n' ' ')"
	fi
	sed 's/^/      /' "$d/oracle.txt"
	[ -n "$3" ] || return 0
	# the control: the same run with a profile without memslot_learn
	d=$2/late-nolearn name="--vm PID attached after pass 1, profile without memslot_learn: the oracle sees fast-path faults without memslot (control)"
	python3 "$srcdir/tests/cli/check_oracle.py" --live "$d/faultgen.json" "$d/faults.jsonl" --late $3 \
		>"$d/oracle.txt" 2>&1
	if [ "$(cat "$d/rc" 2>/dev/null)" = 3 ] &&
		grep -q "^DIFF fast-path faults with memslot/HVA: tool 0, KVM/scenario [1-9]" "$d/oracle.txt"; then
		pass "$k: $name"
	else
		fail "$k: $name" "rc $(cat "$d/rc" 2>/dev/null): $(grep 'memslot/HVA' "$d/oracle.txt" 2>/dev/null | tr '\n' ' ')"
	fi
}

# profiler_checks KERNEL: kvmmmu-graph itself in the guest, every strategy
# the kernel allows, checked against faultgen's KVM counters.
profiler_checks() {
	local k=$1 out=$outroot/$k-profiler s d brc light=''
	local strategies=(global instance events-only)
	if [ -z "$destdir" ]; then
		skip "$k: profiler scenario" "no DESTDIR with kvmmmu-graph (use --builddir or --destdir)"
		return
	fi
	is_heavy "$k" || light=kvmmmu.profiler=light
	echo "== kernel $k: kvmmmu-graph in the guest${light:+ (attribution runs only)}"
	mkdir -p "$outroot"
	"$here/boot.sh" --kernel "$k" --smp "$smp" --timeout 900 --scenario "$here/scenarios/profiler.sh" \
		--out "$out" --append "$append $light" --destdir "$destdir" --cache "$cache" 2>"$out.bootlog"
	brc=$?
	sed 's/^/   /' "$out.bootlog"
	if [ "$brc" != 0 ]; then
		fail "$k: profiler scenario" "boot.sh exit $brc; see $out/console.log"
		return
	fi
	pass "$k: profiler scenario"
	# MEM_SLOTID and HVA must be there wherever `check` offers the probe
	local ms=
	grep -qE '^  MEM_SLOTID, HVA +yes' "$out/check.txt" && ms=--memslot
	for s in "${strategies[@]}"; do
		d=$out/$s
		if [ -f "$d/unavailable" ]; then
			if [ "$k" = 6.1 ] && [ "$s" = instance ]; then
				pass "$k: $s strategy refused (no function_graph in instances on 6.1)"
			else
				fail "$k: $s strategy" "unavailable: $(cat "$d/unavailable")"
			fi
			continue
		fi
		if [ "$(cat "$d/rc" 2>/dev/null)" != 0 ]; then
			fail "$k: $s strategy" "kvmmmu-graph exit $(cat "$d/rc" 2>/dev/null): $(head -c 300 "$d/stderr.txt")"
			continue
		fi
		echo "   $k $s ($(cat "$d/seconds") s in the guest):"
		if python3 "$srcdir/tests/cli/check_oracle.py" --live "$d/faultgen.json" "$d/faults.jsonl" $ms >"$d/oracle.txt" 2>&1; then
			pass "$k: $s strategy agrees with KVM's counters"
		else
			fail "$k: $s strategy agrees with KVM's counters" "$(grep DIFF "$d/oracle.txt" | tr '\n' ' ')"
		fi
		sed 's/^/      /' "$d/oracle.txt"
	done
	d=$out/vm-pid
	if [ "$(cat "$d/rc" 2>/dev/null)" = 3 ] && grep -q "exited during the trace" "$d/stderr.txt" &&
		python3 "$srcdir/tests/cli/check_oracle.py" --live "$d/faultgen.json" "$d/faults.jsonl" $ms >"$d/oracle.txt" 2>&1; then
		pass "$k: --vm PID follows the VM's threads until it exits (status 3)"
	else
		fail "$k: --vm PID follows the VM's threads until it exits (status 3)" \
			"rc $(cat "$d/rc" 2>/dev/null): $(head -c 200 "$d/stderr.txt") $(grep DIFF "$d/oracle.txt" 2>/dev/null | tr '\n' ' ')"
	fi
	# (its counts are checked like the strategies'; this is about types,
	# PFN, memslot and HVA of execute-from-new-page faults)
	d=$out/exec
	python3 "$srcdir/tests/cli/check_oracle.py" --live "$d/faultgen.json" "$d/faults.jsonl" $ms >"$d/oracle.txt" 2>&1
	if [ "$(cat "$d/rc" 2>/dev/null)" = 0 ] && grep -q '"error_type":"Exec"' "$d/faults.jsonl" &&
		grep -q '^ok   ERROR_TYPE' "$d/oracle.txt" &&
		! grep -qE '^DIFF (ERROR_TYPE|PFN|sampled|memslot|normal faults with|faults with)' "$d/oracle.txt"; then
		pass "$k: --access exec: first touches of new pages are Exec faults"
	else
		fail "$k: --access exec: first touches of new pages are Exec faults" \
			"rc $(cat "$d/rc" 2>/dev/null): $(grep DIFF "$d/oracle.txt" 2>/dev/null | tr '\n' ' ')"
	fi
	prefault_check "$k" "$out" "$ms"
	userfault_check "$k" "$out" "$ms"
	gmem_check "$k" "$out" "$ms"
	late_check "$k" "$out" "$ms"
	tracefs_restored_check "$k" "$out"
	load_checks "$k" "$out"
	if [ -f "$out/light" ]; then
		skip "$k: views, signals, interop, findings" "run on the --heavy kernels ($heavy) only"
		return
	fi
	if [ "$(cat "$out/tree/rc" 2>/dev/null)" = 0 ] && grep -q "kvm_mmu_page_fault() {" "$out/tree/out.txt" &&
		python3 "$here/check_breakdown.py" "$out/tree/out.txt" >"$out/tree/breakdown.txt" 2>&1; then
		pass "$k: --tree, breakdown, --folded and --svg run"
		sed 's/^/      breakdown: /' "$out/tree/breakdown.txt"
	else
		fail "$k: --tree, breakdown, --folded and --svg run" "rc $(cat "$out/tree/rc" 2>/dev/null): $(tr '\n' ' ' <"$out/tree/breakdown.txt" 2>/dev/null)"
	fi
	svg_checks "$k" "$out"
	interop_checks "$k" "$out"
	findings_checks "$k" "$out"
	d=$out/signals
	if [ "$(cat "$d/INT.rc" 2>/dev/null)" = 0 ] && grep -q Summary "$d/INT.out"; then
		pass "$k: SIGINT ends a run with its summary (status 0)"
	else
		fail "$k: SIGINT ends a run with its summary (status 0)" "rc $(cat "$d/INT.rc" 2>/dev/null): $(head -c 200 "$d/INT.err")"
	fi
	kpid=$(cat "$d/KILL.pid" 2>/dev/null)
	if [ -n "$kpid" ] && grep -Eq "^  leftovers of killed runs +yes .*pid $kpid dead" "$d/check-after-kill.txt"; then
		pass "$k: check names what the SIGKILLed run left behind"
	else
		fail "$k: check names what the SIGKILLed run left behind" "$(grep leftovers "$d/check-after-kill.txt" 2>/dev/null)"
	fi
	if [ "$(cat "$d/next.rc" 2>/dev/null)" = 0 ] && grep -q "cleaned up after an earlier run" "$d/next.err"; then
		pass "$k: the run after a SIGKILLed one cleans up and says so"
	else
		fail "$k: the run after a SIGKILLed one cleans up and says so" "rc $(cat "$d/next.rc" 2>/dev/null): $(head -c 300 "$d/next.err")"
	fi
	if [ -f "$out/unit-tracing-session.txt" ]; then
		grep -E '^(PASS|FAIL|SKIP):' "$out/unit-tracing-session.txt" | sed "s/^\([A-Z]*\): /\1: $k: /" |
			while read -r line; do echo "$line"; done >"$out/unit.lines"
		while read -r line; do
			case "$line" in
			PASS:*) pass "${line#PASS: }" ;;
			FAIL:*) fail "${line#FAIL: }" "in the guest" ;;
			SKIP:*) skip "${line#SKIP: }" "in the guest" ;;
			esac
		done <"$out/unit.lines"
	fi
}

tracefs_restored_check() {
	local k=$1 out=$2
	if diff -u "$out/tracefs-before.txt" "$out/tracefs-after.txt" >"$out/tracefs.diff"; then
		pass "$k: tracefs state restored after every run"
	else
		fail "$k: tracefs state restored after every run" "$(tr '\n' ' ' <"$out/tracefs.diff" | head -c 400)"
	fi
}

# replay_checks KERNEL OUT: kvmmmu-graph on the host replays the raw pages
# the raw-tracefs scenario saved (no tool ran in the guest), and must agree
# with KVM's counters and, fault by fault, with the kernel's own
# function_graph durations printed in the same run's `trace` text.
replay_checks() {
	local k=$1 out=$2 g=$destdir/usr/local/bin/kvmmmu-graph c
	c="replay of the raw pages agrees with KVM's counters"
	if [ ! -x "$g" ]; then
		skip "$k: $c" "no kvmmmu-graph in the DESTDIR"
		return
	fi
	KVMMMU_GRAPH_PROFILE_DIR=$srcdir/profiles "$g" --input "$out/fixture" --json \
		>"$out/replay.jsonl" 2>"$out/replay.err"
	if python3 "$srcdir/tests/cli/check_oracle.py" --live "$out/faultgen.json" \
		"$out/replay.jsonl" >"$out/replay.oracle" 2>&1; then
		pass "$k: $c"
	else
		fail "$k: $c" "$(grep DIFF "$out/replay.oracle" | tr '\n' ' ') $(head -c 200 "$out/replay.err")"
	fi
	sed 's/^/      /' "$out/replay.oracle"
	c="every fault delay == the kernel's own function_graph duration"
	if python3 "$here/check_durations.py" "$out/fixture" "$out/replay.jsonl" >"$out/durations.txt" 2>&1; then
		pass "$k: $c"
	else
		fail "$k: $c" "$(tr '\n' ' ' <"$out/durations.txt")"
	fi
	sed 's/^/      /' "$out/durations.txt"
}

# svg_checks KERNEL OUT: the flame graph of a real run, rendered in
# headless Chromium: root and phase frames present, total == folded sum.
svg_checks() {
	local k=$1 out=$2 s svg dom browser want missing='' total folded c
	c="$k: SVG flame graph of a real run renders its root and phases"
	browser=$(command -v chromium || command -v chromium-browser || true)
	for s in global instance; do
		[ -s "$out/$s/flame.svg" ] && svg=$out/$s/flame.svg
	done
	if [ -z "$browser" ] || [ -z "${svg:-}" ]; then
		skip "$c" "${browser:+no flame.svg}${browser:-chromium not installed}"
		return
	fi
	dom=${svg%.svg}.dom.html
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --hide-scrollbars \
		--user-data-dir="$(mktemp -d)" --dump-dom "file://$svg" >"$dom" 2>/dev/null
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --hide-scrollbars \
		--user-data-dir="$(mktemp -d)" --window-size=1400,900 --screenshot="${svg%.svg}.png" \
		"file://$svg" >/dev/null 2>&1
	for want in 'data-ready="[1-9]' 'data-name="kvm_mmu_page_fault"' \
		'data-phase="faultin"' 'data-phase="map"' 'data-phase="fast_path"' 'data-phase="gup"'; do
		grep -q -- "$want" "$dom" || missing="$missing $want"
	done
	total=$(sed -n 's/.*data-total-ns="\([0-9]*\)".*/\1/p' "$svg" | head -n1)
	folded=$(awk '{ s += $NF } END { print s }' "${svg%flame.svg}folded.txt")
	[ "$total" = "$folded" ] || missing="$missing total-ns=$total!=folded=$folded"
	if [ -z "$missing" ]; then
		pass "$c"
	else
		fail "$c" "missing:$missing"
	fi
	echo "   screenshot: ${svg%.svg}.png"
}

# mmu_mode_checks KERNEL: the other MMU modes (legacy TDP MMU, shadow
# paging) boot with module options; the tool must still agree with KVM.
mmu_mode_checks() {
	local k=$1 a n out c
	[ -n "$destdir" ] || return
	for a in kvm.tdp_mmu=0 kvm_amd.npt=0; do
		n=$(echo "$a" | tr '.=' '__')
		out=$outroot/$k-$n
		c="$k $a: kvmmmu-graph agrees with KVM's counters"
		if ! "$here/boot.sh" --kernel "$k" --smp "$smp" --timeout "$timeout" --append "$a" \
			--scenario "$here/scenarios/mmu-mode.sh" --out "$out" --destdir "$destdir" \
			--cache "$cache" 2>"$out.bootlog" >/dev/null; then
			fail "$c" "boot failed: $(tail -n 3 "$out.bootlog" | tr '\n' ' ')"
			continue
		fi
		echo "   $a: $(tr '\n' ' ' <"$out/mode.txt")"
		# 6.1 inlines direct_map and fast_page_fault in these modes
		if [ "$(cat "$out/rc")" = 0 ] && python3 "$srcdir/tests/cli/check_oracle.py" --live \
			"$out/faultgen.json" "$out/faults.jsonl" --phases=faultin,gup >"$out/oracle.txt" 2>&1; then
			pass "$c"
		else
			fail "$c" "rc $(cat "$out/rc"): $(grep DIFF "$out/oracle.txt" | tr '\n' ' ')"
		fi
		sed 's/^/      /' "$out/oracle.txt"
	done
}

raw_checks() {
	local k=$1 out=$outroot/$1
	out=$outroot/$k
	echo "== kernel $k: booting (smp $smp${destdir:+, destdir $destdir})"
	bootlog=$(mktemp)
	"$here/boot.sh" --kernel "$k" --smp "$smp" --timeout "$timeout" --scenario "$here/scenarios/raw-tracefs.sh" \
		--out "$out" ${append:+--append "$append"} ${destdir:+--destdir "$destdir"} --cache "$cache" 2>"$bootlog"
	brc=$?
	sed 's/^/   /' "$bootlog"
	rm -f "$bootlog"
	if [ "$brc" = 0 ]; then
		pass "$k: boot and scenario"
	else
		fail "$k: boot and scenario" "$(kv "$out/boot.txt" errors || true)${brc:+; boot.sh exit $brc}"
	fi
	caps=$out/capabilities.txt
	if [ ! -f "$caps" ]; then
		for c in "kvm_amd loads (/dev/kvm)" "function_graph available" "faultgen ran" \
			"kvm_mmu_page_fault calls == pf_taken + MMIO cache hits" \
			"kvm_page_fault events == kvm_mmu_page_fault calls" "fast_page_fault events >= pf_fast"; do
			skip "$k: $c" "no results from the guest"
		done
		return
	fi
	echo "   kernel $(kv "$caps" kernel) ($(kv "$out/boot.txt" package)); boot $(kv "$out/boot.txt" boot_s) s, scenario $(kv "$out/boot.txt" scenario_s) s"
	echo "   kvm_amd.npt=$(kv "$caps" kvm_amd.npt) kvm.tdp_mmu=$(kv "$caps" kvm.tdp_mmu) instance function_graph=$(kv "$caps" instance.function_graph) instance set_graph_function=$(kv "$caps" instance.set_graph_function)"

	if [ "$(kv "$caps" dev_kvm)" = yes ]; then pass "$k: kvm_amd loads (/dev/kvm)"
	else fail "$k: kvm_amd loads (/dev/kvm)" "dev_kvm=$(kv "$caps" dev_kvm), kvm_amd_loaded=$(kv "$caps" kvm_amd_loaded)"; fi
	if [ "$(kv "$caps" top.function_graph)" = yes ]; then pass "$k: function_graph available"
	else fail "$k: function_graph available" "available_tracers: $(kv "$caps" top.available_tracers)"; fi

	fg_checks=("kvm_mmu_page_fault calls == pf_taken + MMIO cache hits"
		"kvm_page_fault events == kvm_mmu_page_fault calls" "fast_page_fault events >= pf_fast")
	if [ -f "$out/faultgen.absent" ]; then
		skip "$k: faultgen ran" "kvmmmu-faultgen not installed in the guest (pass --destdir from make install DESTDIR=...)"
		for c in "${fg_checks[@]}"; do skip "$k: $c" "kvmmmu-faultgen not built yet"; done
		return
	fi
	json=$out/faultgen.json
	if [ -s "$json" ] && [ "$(kv "$out/fixture/setup.txt" faultgen_rc)" = 0 ]; then
		pass "$k: faultgen ran"
	else
		fail "$k: faultgen ran" "rc=$(kv "$out/fixture/setup.txt" faultgen_rc), json $( [ -s "$json" ] && echo present || echo missing); see $out/faultgen.log"
		for c in "${fg_checks[@]}"; do skip "$k: $c" "no faultgen.json"; done
		return
	fi

	counts=$out/counts.txt
	calls=$(kv "$counts" kvm_mmu_page_fault_calls)
	pfev=$(kv "$counts" kvm_page_fault_events)
	fastev=$(kv "$counts" fast_page_fault_events)
	overrun=$(kv "$counts" overrun)
	# KVM's counters, summed over vCPUs: the "kvm_stats" object
	stats=$(json_obj "$json" kvm_stats)
	[ -n "$stats" ] || stats=$(cat "$json")
	pf_taken=$(json_num pf_taken <<<"$stats")
	pf_fast=$(json_num pf_fast <<<"$stats")
	created=$(json_num pf_mmio_spte_created <<<"$stats")
	mmio_exits=$(json_num mmio_exits <<<"$stats")
	# MMIO accesses the guest made: faultgen's "mmio": {reads, writes}, else
	# KVM's MMIO exits to userspace (one per access for plain loads/stores)
	mmio=$(json_obj "$json" mmio)
	reads=$(json_num reads <<<"$mmio") writes=$(json_num writes <<<"$mmio")
	if isnum "$reads" && isnum "$writes"; then
		mmio_acc=$((reads + writes)) mmio_src="faultgen mmio reads+writes"
	else
		mmio_acc=$mmio_exits mmio_src="KVM mmio_exits"
	fi
	hits=
	isnum "$mmio_acc" && isnum "$created" && hits=$((mmio_acc - created))
	printf '   %-28s %8s    %-30s %8s\n' "KVM counter (faultgen.json)" "" "observed (trace)" "" \
		"pf_taken" "${pf_taken:-?}" "kvm_mmu_page_fault calls" "${calls:-?}" \
		"pf_fast" "${pf_fast:-?}" "kvmmmu:fast_page_fault events" "${fastev:-?}" \
		"pf_mmio_spte_created" "${created:-?}" "kvm:kvm_page_fault events" "${pfev:-?}" \
		"mmio_exits" "${mmio_exits:-?}" "ring buffer overrun/dropped" "${overrun:-?}"
	echo "   MMIO cache hits = $mmio_src ${mmio_acc:-?} - pf_mmio_spte_created ${created:-?} = ${hits:-?}"

	c="kvm_mmu_page_fault calls == pf_taken + MMIO cache hits"
	if ! isnum "$calls"; then fail "$k: $c" "no kvm_mmu_page_fault count in counts.txt"
	elif ! isnum "$pf_taken"; then fail "$k: $c" "faultgen.json has no pf_taken"
	elif ! isnum "$hits"; then fail "$k: $c" "faultgen.json lacks pf_mmio_spte_created or mmio_exits/mmio_accesses"
	elif [ "${overrun:-0}" != 0 ]; then fail "$k: $c" "ring buffer lost $overrun events; counts unreliable"
	elif [ "$calls" -eq $((pf_taken + hits)) ]; then pass "$k: $c"
	else fail "$k: $c" "$calls calls, expected $pf_taken + $hits = $((pf_taken + hits))"; fi

	c="kvm_page_fault events == kvm_mmu_page_fault calls"
	if isnum "$calls" && isnum "$pfev" && [ "$calls" -eq "$pfev" ]; then pass "$k: $c"
	else fail "$k: $c" "${pfev:-?} events, ${calls:-?} calls"; fi

	c="fast_page_fault events >= pf_fast"
	if ! isnum "$pf_fast"; then skip "$k: $c" "faultgen.json has no pf_fast"
	elif isnum "$fastev" && [ "$fastev" -ge "$pf_fast" ]; then pass "$k: $c"
	else fail "$k: $c" "${fastev:-?} events, pf_fast $pf_fast"; fi

	replay_checks "$k" "$out"
}

# qemu_guest_checks KERNEL: QEMU inside the test host boots a small
# guest (the Multiboot one, or Linux with kvmmmu.qemu_guest=linux); kvmmmu-graph --vm traces it from before its boot and, in a second
# run, attaching to the booted guest; each window is checked against KVM's
# debugfs stats, an instance of our own, /proc/PID/maps and pagemap.
qemu_guest_checks() {
	local k=$1 out=$outroot/$1-qemu brc w name
	if ! is_qemu_kernel "$k"; then
		skip "$k: QEMU guest" "not in --qemu ($qemu_kernels)"
		return
	fi
	if [ -z "$destdir" ]; then
		skip "$k: QEMU guest" "no DESTDIR with kvmmmu-graph (use --builddir or --destdir)"
		return
	fi
	echo "== kernel $k: QEMU in the test host boots a small guest, traced with --vm"
	"$here/boot.sh" --kernel "$k" --smp "$smp" --timeout 1500 --nested \
		--scenario "$here/scenarios/qemu-guest.sh" --out "$out" \
		${append:+--append "$append"} --destdir "$destdir" --cache "$cache" \
		2>"$out.bootlog" >/dev/null
	brc=$?
	sed 's/^/   /' "$out.bootlog"
	grep -a '^scenario: qemu' "$out/console.log" 2>/dev/null | tr -d '\r' | sed 's/^/   /'
	if [ "$brc" != 0 ]; then
		fail "$k: QEMU guest scenario" "boot.sh exit $brc; see $out/console.log"
		return
	fi
	for w in ram hugetlb; do
		[ -f "$out/qemu/$w-retried" ] &&
			echo "   $w: retried with a fresh QEMU (the nested guest did not answer the first time)"
	done
	for w in ram-boot ram-attach hugetlb-boot hugetlb-attach; do
		case $w in
		*-boot) name="traced from before boot" ;;
		*) name="attached to the booted guest" ;;
		esac
		name="$k: QEMU guest (${w%-*} RAM), $name: faults == KVM's stats, instance, maps, pagemap"
		if [ ! -d "$out/qemu/$w" ]; then
			fail "$name" "no results for $w"
			continue
		fi
		if python3 "$srcdir/tests/vm/check_qemu_guest.py" "$out/qemu/$w" >"$out/qemu/$w/check.txt" 2>&1; then
			pass "$name"
		else
			fail "$name" "$(grep -v '^ok ' "$out/qemu/$w/check.txt" | head -c 400)"
		fi
		sed 's/^/      /' "$out/qemu/$w/check.txt"
	done
}

# timing_table: boot and scenario seconds of every boot of this run
timing_table() {
	local k d n
	echo "== times per kernel (s): boot to scenario, scenario, whole boot incl. results"
	for k in "${kernels[@]}"; do
		for d in "$outroot/$k" "$outroot/$k-profiler" "$outroot/$k"-kvm* "$outroot/$k-qemu"; do
			[ -f "$d/boot.txt" ] || continue
			n=${d#"$outroot/$k"}
			n=${n#-}
			printf '   %-6s %-22s %-16s boot %6s  scenario %7s  total %7s\n' "$k" \
				"$(kv "$d/boot.txt" release)" "${n:-raw-tracefs}" "$(kv "$d/boot.txt" boot_s)" \
				"$(kv "$d/boot.txt" scenario_s)" "$(kv "$d/boot.txt" total_s)"
		done
	done
}

for k in "${kernels[@]}"; do
	raw_checks "$k"
	profiler_checks "$k"
	[ "$k" = 6.1 ] && mmu_mode_checks "$k"
	qemu_guest_checks "$k"
done
timing_table

finish
