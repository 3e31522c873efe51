#!/bin/bash
# boot.sh --kernel 6.1|6.12|6.18|7|7.N --scenario SCRIPT --out DIR [--append "ARGS"]
#         [--smp N] [--timeout S] [--destdir DIR] [--mem MB] [--cache DIR]
#         [--nested]
#
# Boot a Debian kernel under QEMU TCG (-cpu max: AMD SVM + NPT, so kvm_amd
# loads in the guest) with the test initramfs, run SCRIPT in the guest (busybox
# sh, as /scenario.sh) and bring back what it wrote to /results into DIR.
#   DIR/console.log   the whole serial log
#   DIR/boot.txt      kernel, package, command line, timings, scenario rc
#   DIR/...           the guest's /results (decoded from the console)
# --append    extra kernel command line (module options like kvm.tdp_mmu=0
#             work: /init passes them to insmod)
# --smp       guest CPUs (default 2; TCG runs single-threaded, which
#             function_graph needs with more than one CPU)
# --timeout   seconds for the whole boot (default 300)
# --destdir   `make install DESTDIR=...` tree to put in the guest
#             (default $KVMMMU_VM_DESTDIR, else none)
# --cache     kernels and initramfs (default $KVMMMU_VM_CACHE or tests/vm/cache)
# --nested    also put in QEMU and a small guest for it to boot
#             (mknested.sh; scenarios/qemu-guest.sh uses them)
# Exit 0 only if the guest ran the scenario, it exited 0 and the results
# arrived intact; otherwise print why and the last 40 lines of the guest log.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
die() { echo "boot: error: $*" >&2; exit 2; }

kver='' scenario='' out='' append='' smp=2 timeout=300 mem=2048 nested=0
destdir=${KVMMMU_VM_DESTDIR:-}
cache=${KVMMMU_VM_CACHE:-$here/cache}
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kver=${2:?}; shift 2 ;;
	--scenario) scenario=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	--append) append=${2?}; shift 2 ;;
	--smp) smp=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	--destdir) destdir=${2?}; shift 2 ;;
	--mem) mem=${2:?}; shift 2 ;;
	--cache) cache=${2:?}; shift 2 ;;
	--nested) nested=1; shift ;;
	-h|--help) sed -n '2,22p' "$0"; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
[ -n "$kver" ] || die "--kernel 6.1|6.12|6.18|7|7.N is required"
[ -n "$scenario" ] || die "--scenario SCRIPT is required"
[ -f "$scenario" ] || die "scenario '$scenario' not found"
[ -n "$out" ] || die "--out DIR is required"
case "$smp$timeout$mem" in *[!0-9]*) die "--smp, --timeout, --mem take numbers" ;; esac
QEMU=${QEMU:-qemu-system-x86_64}
command -v "$QEMU" >/dev/null 2>&1 || die "$QEMU not found (install qemu-system-x86)"
for t in timeout base64 tar gzip sha256sum cpio; do
	command -v "$t" >/dev/null 2>&1 || die "'$t' not found"
done

# Fresh output dir; only a previous boot.sh output dir is ever emptied.
if [ -d "$out" ] && [ -n "$(ls -A "$out")" ]; then
	[ -f "$out/boot.txt" ] || [ -f "$out/console.log" ] ||
		die "--out '$out' exists, is not empty and is not a previous boot.sh output"
	find "$out" -mindepth 1 -delete
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)

# ---- kernel and initramfs ------------------------------------------------------
"$here/fetch-kernel.sh" "$kver" "$cache" >/dev/null || die "fetch-kernel.sh $kver failed"
kdir=$cache/$kver
base=$cache/initramfs/$kver.cpio.gz
"$here/mkinitramfs.sh" --kernel-dir "$kdir" --out "$base" ${destdir:+--destdir "$destdir"} >/dev/null ||
	die "mkinitramfs.sh failed"
extra=
if [ "$nested" = 1 ]; then
	extra=$cache/initramfs/$kver-nested.cpio.gz
	"$here/mknested.sh" --kernel-dir "$kdir" --out "$extra" >/dev/null ||
		die "mknested.sh failed"
fi
# The scenario goes in as a second, tiny archive: the kernel unpacks both.
work=$(mktemp -d "$out/.boot.XXXXXX")
monitor=
cleanup() {
	[ -z "$monitor" ] || kill "$monitor" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/s"
install -m 755 "$scenario" "$work/s/scenario.sh"
(cd "$work/s" && echo scenario.sh | cpio -o -H newc -R 0:0 --quiet | gzip -6) >"$work/scenario.cpio.gz"
cat "$base" ${extra:+"$extra"} "$work/scenario.cpio.gz" >"$work/initrd.img"

cmdline="console=ttyS0 quiet panic=-1 ${append}"
# shellcheck disable=SC2054 # commas belong to qemu options
qemu_cmd=("$QEMU" -machine q35 -accel tcg,thread=single -cpu max -m "$mem" -smp "$smp"
	-nographic -no-reboot -kernel "$kdir/vmlinuz" -initrd "$work/initrd.img"
	-append "$cmdline")

# ---- boot -------------------------------------------------------------------------
log=$out/console.log
now() { date +%s.%N; }
t0=$(now)
# Timestamp the markers as they appear (host clock).
(
	for m in SCENARIO-START SCENARIO-END; do
		until grep -aq "^@@KVMMMU-$m" "$log" 2>/dev/null; do sleep 0.2; done
		echo "$m $(now)" >>"$work/marks"
	done
) &
monitor=$!
echo "boot: $kver ($(cat "$kdir/package")), smp $smp, timeout ${timeout}s, append '${append}'" >&2
set +e
timeout --kill-after=10 "$timeout" "${qemu_cmd[@]}" </dev/null >"$log" 2>&1
qrc=$?
set -e
t_end=$(now)
sleep 0.3
kill "$monitor" 2>/dev/null || true
wait "$monitor" 2>/dev/null || true
monitor=

# ---- evaluate -----------------------------------------------------------------------
clean=$work/console.txt
tr -d '\r' <"$log" >"$clean"
mark() { grep -a -m1 "^@@KVMMMU-$1" "$clean" || true; }
mtime() { sed -n "s/^$1 //p" "$work/marks" 2>/dev/null | head -n1; }
fmt() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") print "?"; else printf "%.1f", b - a }'; }

t_start=$(mtime SCENARIO-START) t_sc_end=$(mtime SCENARIO-END)
boot_s=$(fmt "$t0" "$t_start")
scen_s=$(fmt "$t_start" "$t_sc_end")
total_s=$(fmt "$t0" "$t_end")
xfer_s=$(fmt "$t_sc_end" "$t_end")
gu_start=$(mark SCENARIO-START | sed -n 's/.*uptime=\([0-9.]*\).*/\1/p')
end_line=$(mark SCENARIO-END)
gu_end=$(printf '%s' "$end_line" | sed -n 's/.*uptime=\([0-9.]*\).*/\1/p')
src=$(printf '%s' "$end_line" | sed -n 's/.*rc=\([0-9]*\).*/\1/p')
modules=$(mark MODULES | sed -n 's/^@@KVMMMU-MODULES \([a-z]*\)@@.*/\1/p')

errors=()
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	errors+=("timeout after ${timeout}s")
elif [ "$qrc" != 0 ]; then
	errors+=("qemu exited with status $qrc")
fi
if grep -aq 'Kernel panic' "$clean"; then
	errors+=("$(grep -a -m1 'Kernel panic' "$clean" | sed 's/.*\(Kernel panic\)/\1/')")
fi
[ -n "$(mark INIT)" ] || errors+=("/init never started (no @@KVMMMU-INIT@@)")
[ "$modules" = ok ] || [ -z "$(mark INIT)" ] || echo "boot: warning: module loading: ${modules:-no marker}" >&2
[ -n "$end_line" ] || errors+=("no scenario end marker")

# results: base64 of tar.gz between the markers, checked against bytes/sha256
begin_line=$(mark RESULTS-BEGIN)
if [ -n "$begin_line" ] && grep -aq '^@@KVMMMU-RESULTS-END@@' "$clean"; then
	want_sum=$(printf '%s' "$begin_line" | sed -n 's/.*sha256=\([0-9a-f]*\).*/\1/p')
	sed -n '/^@@KVMMMU-RESULTS-BEGIN/,/^@@KVMMMU-RESULTS-END@@/p' "$clean" | sed '1d;$d' |
		grep -a -E '^[A-Za-z0-9+/=]+$' | base64 -d >"$work/results.tar.gz" 2>/dev/null || true
	got_sum=$(sha256sum "$work/results.tar.gz" | cut -d' ' -f1)
	if [ "$got_sum" != "$want_sum" ]; then
		errors+=("results corrupted on the console (sha256 $got_sum, want $want_sum)")
	elif ! tar -xzf "$work/results.tar.gz" -C "$out" --no-same-owner; then
		errors+=("results archive does not unpack")
	fi
	res_kb=$(( $(wc -c <"$work/results.tar.gz") / 1024 ))
elif [ -n "$end_line" ]; then
	errors+=("results markers missing or incomplete")
fi
[ -n "$src" ] && [ "$src" != 0 ] && errors+=("scenario exited with status $src")

{
	echo "kernel=$kver"
	echo "package=$(cat "$kdir/package")"
	echo "release=$(cat "$kdir/release")"
	echo "cmdline=$cmdline"
	echo "smp=$smp"
	echo "qemu=${qemu_cmd[*]}"
	echo "qemu_rc=$qrc"
	echo "modules=${modules:-?}"
	echo "scenario=$scenario"
	echo "scenario_rc=${src:-?}"
	echo "boot_s=$boot_s"
	echo "scenario_s=$scen_s"
	echo "results_s=$xfer_s"
	echo "total_s=$total_s"
	echo "guest_uptime_at_scenario_start=${gu_start:-?}"
	echo "guest_uptime_at_scenario_end=${gu_end:-?}"
	echo "results_kb=${res_kb:-?}"
	printf 'errors='; [ ${#errors[@]} -eq 0 ] || (IFS=';'; printf '%s' "${errors[*]}"); echo
} >"$out/boot.txt"

echo "boot: $kver: boot ${boot_s}s, scenario ${scen_s}s, total ${total_s}s (guest uptime ${gu_start:-?} -> ${gu_end:-?}), results ${res_kb:-?} KiB in ${xfer_s}s" >&2
if [ ${#errors[@]} -gt 0 ]; then
	for e in "${errors[@]}"; do echo "boot: $kver: FAILED: $e" >&2; done
	echo "---- last 40 lines of the guest log ($log) ----" >&2
	sed '/^@@KVMMMU-RESULTS-BEGIN/,/^@@KVMMMU-RESULTS-END@@/d' "$clean" | tail -n 40 >&2
	echo "----" >&2
	exit 1
fi
echo "boot: $kver: ok, results in $out" >&2
exit 0
