#!/bin/sh
# Guest scenario (busybox sh): which kernel functions run under
# kvm_mmu_page_fault for each kvmmmu-faultgen knob, for the fault cause
# rules of kvmmmu-graph.  Plain tracefs, no kvmmmu-graph: function_graph
# with set_graph_function kvm_mmu_page_fault (funcgraph-irqs off), set up
# once; per case the buffer is cleared, tracing turned on around one
# faultgen run and the formatted `trace` read.  Nothing else in the guest
# uses KVM, so no pid filter is needed.
# Writes into $KVMMMU_RESULTS (/results):
#   capabilities.txt              kernel/KVM/tracefs facts
#   causes/traceable.txt          FUNC=yes|no: in available_filter_functions
#                                 (no: inlined, notrace or absent)
#   causes/summary.txt            one line per case: KVM counters, counts
#   causes/NAME/faultgen.json     faultgen's JSON (KVM's counters)
#   causes/NAME/faultgen.log      its stderr
#   causes/NAME/args              faultgen's arguments
#   causes/NAME/functions.txt     "CALLS FAULTS FUNC" for every function
#                                 seen: calls, and kvm_mmu_page_fault
#                                 calls whose subtree holds it; by CALLS
#   causes/NAME/counts.txt        FUNC_calls=, FUNC_faults= for $FUNCS,
#                                 prefix_*_calls= for $PREFIXES, faults=,
#                                 pf_taken=, pf_fast=, overrun=, lines=
#   causes/NAME/trace.txt.gz      the whole formatted trace
# Cases (name: arguments after the common --pages 64 --pages2 16):
#   anon           (defaults: private anonymous memory)
#   shmem          --backing shmem
#   memfd          --backing memfd
#   populate       --populate
#   memfd-populate --backing memfd --populate
#   hugepages      --hugepages --pages2 1024 (slot 2: two 2 MiB frames)
#   shmem-huge     --backing shmem --hugepages --pages2 1024, with
#                  shmem_enabled=advise for this case only
#   rewrites8      --dirty-log --rewrites 8
. "${KVMMMU_GUEST_LIB:-/tests/vm/guest/lib.sh}"

FAULTGEN_TIMEOUT=${FAULTGEN_TIMEOUT:-240}
BUFFER_KB=${BUFFER_KB:-16384}
C=$R/causes
THP=/sys/kernel/mm/transparent_hugepage
FUNCS="kvm_mmu_page_fault kvm_tdp_page_fault kvm_tdp_mmu_page_fault
fast_page_fault kvm_tdp_mmu_map direct_page_fault kvm_faultin_pfn
__kvm_faultin_pfn __gfn_to_pfn_memslot kvm_follow_pfn hva_to_pfn
hva_to_pfn_fast hva_to_pfn_slow get_user_page_fast_only
get_user_pages_fast_only internal_get_user_pages_fast gup_fast_fallback
get_user_pages_unlocked __get_user_pages faultin_page handle_mm_fault
__handle_mm_fault handle_pte_fault do_anonymous_page do_fault
do_read_fault do_shared_fault do_cow_fault do_wp_page wp_page_copy
wp_page_reuse do_pte_missing do_swap_page shmem_fault shmem_get_folio_gfp
shmem_alloc_folio shmem_alloc_and_add_folio shmem_alloc_hugefolio
shmem_add_to_page_cache filemap_map_pages filemap_fault filemap_get_entry
__filemap_get_folio do_huge_pmd_anonymous_page
__do_huge_pmd_anonymous_page do_huge_pmd_wp_page clear_huge_page
folio_zero_user clear_page_erms clear_page_rep vma_alloc_folio
__alloc_pages __alloc_pages_noprof alloc_pages_mpol
kvm_mmu_hugepage_adjust kvm_mmu_max_mapping_level host_pfn_mapping_level
mmu_try_to_unsync_pages make_spte kvm_release_pfn_clean
kvm_release_page_clean mark_page_dirty_in_slot
kvm_mmu_invalidate_retry_hva handle_mmio_page_fault userfaultfd
handle_userfault"
PREFIXES="filemap_ shmem_ gup_ follow_ tdp_mmu_"
rc=0

mkdir -p "$C"
capabilities "$R/capabilities.txt"
cat "$R/capabilities.txt"
FG=$(command -v kvmmmu-faultgen 2>/dev/null || true)
if [ -z "$FG" ]; then
	log "FAIL: kvmmmu-faultgen not installed in the guest"
	exit 1
fi
[ -e /dev/kvm ] || { log "FAIL: /dev/kvm missing"; exit 1; }

# shellcheck disable=SC2086,SC2116 # one line of words
awk -v funcs="$(echo $FUNCS)" '
	{ have[$1] = 1 }
	END {
		n = split(funcs, fl, / +/)
		for (i = 1; i <= n; i++)
			print fl[i] "=" (fl[i] in have ? "yes" : "no")
	}' "$T/available_filter_functions" >"$C/traceable.txt"
{
	echo "kernel=$(uname -r)"
	for f in enabled shmem_enabled defrag; do
		echo "thp.$f=$(cat "$THP/$f" 2>/dev/null)"
	done
} >"$C/host.txt"

tracing_save_state
SAVED_IRQS=$(tfs_read options/funcgraph-irqs)
tfs_write tracing_on 0
tfs_write current_tracer nop
tfs_write buffer_size_kb "$BUFFER_KB" || rc=1
tfs_write set_graph_function kvm_mmu_page_fault || rc=1
[ -e "$T/options/funcgraph-irqs" ] && tfs_write options/funcgraph-irqs 0
tfs_write current_tracer function_graph || rc=1
[ "$(tfs_read current_tracer)" = function_graph ] ||
	{ log "FAIL: current_tracer is not function_graph"; exit 1; }

# analyze DIR: functions.txt and counts.txt from the formatted trace.
# function_graph lines: " 1)   0.5 us   |      name [mod]() {" or "...();"
# and "}" closing; depth 0 -> 1 on kvm_mmu_page_fault starts a fault.
# Only the one vCPU thread takes faults, so one depth counter suffices.
analyze() {
	# shellcheck disable=SC2086,SC2116 # one line of words
	awk -v funcs="$(echo $FUNCS)" -v prefixes="$PREFIXES" \
		-v out="$1/functions.txt" -v counts="$1/counts.txt" '
	function endfault(  f) {
		for (f in seen)
			faults[f]++
		delete seen
		infault = 0
	}
	{
		lines++
		p = index($0, "|")
		if (!p)
			next
		rest = substr($0, p + 1)
		if (rest ~ /^ *}/) {
			if (depth > 0)
				depth--
			if (depth == 0 && infault)
				endfault()
			next
		}
		if (!match(rest, /[A-Za-z_][A-Za-z0-9_.]*( \[[A-Za-z0-9_]+\])?\(\) *[{;]/))
			next
		s = substr(rest, RSTART, RLENGTH)
		name = s
		sub(/( \[.*)?\(\).*$/, "", name)
		if (depth == 0) {
			if (name != "kvm_mmu_page_fault")
				next
			nfaults++
			infault = 1
		}
		calls[name]++
		seen[name] = 1
		if (substr(s, length(s)) == "{")
			depth++
	}
	END {
		if (infault)
			endfault()
		for (f in calls)
			printf "%d %d %s\n", calls[f], faults[f], f > out
		n = split(funcs, fl, / +/)
		for (i = 1; i <= n; i++) {
			if (fl[i] == "")
				continue
			print fl[i] "_calls=" calls[fl[i]] + 0 > counts
			print fl[i] "_faults=" faults[fl[i]] + 0 > counts
		}
		n = split(prefixes, pl, / +/)
		for (i = 1; i <= n; i++) {
			c = 0
			for (f in calls)
				if (index(f, pl[i]) == 1)
					c += calls[f]
			print "prefix_" pl[i] "*_calls=" c > counts
		}
		print "faults=" nfaults + 0 > counts
		print "lines=" lines + 0 > counts
	}' "$T/trace"
	sort -rn "$1/functions.txt" -o "$1/functions.txt"
}

# json_num FILE KEY: first "KEY":N in FILE (kvm_stats comes before per_vcpu)
json_num() {
	grep -o "\"$2\":[0-9]*" "$1" 2>/dev/null | head -n1 | cut -d: -f2
}

overrun() {
	cat "$T"/per_cpu/cpu*/stats 2>/dev/null |
		awk '/^overrun:/ { n += $2 } END { print n + 0 }'
}

# run_case NAME ARGS...: one traced faultgen run into $C/NAME
run_case() {
	name=$1
	shift
	d=$C/$name
	mkdir -p "$d"
	echo "--pages 64 --pages2 16 $*" >"$d/args"
	log "case $name: $FG --pages 64 --pages2 16 $*"
	tfs_write tracing_on 0
	: >"$T/trace"
	tfs_write tracing_on 1
	"$FG" --pages 64 --pages2 16 "$@" --json "$d/faultgen.json" \
		>/dev/null 2>"$d/faultgen.log" &
	fpid=$!
	(sleep "$FAULTGEN_TIMEOUT"; kill -9 "$fpid" 2>/dev/null) &
	wd=$!
	wait "$fpid"
	frc=$?
	tfs_write tracing_on 0
	kill "$wd" 2>/dev/null
	wait "$wd" 2>/dev/null
	if [ "$frc" -ne 0 ] || [ ! -s "$d/faultgen.json" ]; then
		log "FAIL: case $name: kvmmmu-faultgen exited with $frc"
		cat "$d/faultgen.log"
		rc=1
	fi
	analyze "$d"
	{
		echo "pf_taken=$(json_num "$d/faultgen.json" pf_taken)"
		echo "pf_fast=$(json_num "$d/faultgen.json" pf_fast)"
		echo "pf_fixed=$(json_num "$d/faultgen.json" pf_fixed)"
		echo "pf_spurious=$(json_num "$d/faultgen.json" pf_spurious)"
		echo "pages_4k=$(json_num "$d/faultgen.json" pages_4k)"
		echo "pages_2m=$(json_num "$d/faultgen.json" pages_2m)"
		echo "overrun=$(overrun)"
		echo "faultgen_rc=$frc"
	} >>"$d/counts.txt"
	gzip -c "$T/trace" >"$d/trace.txt.gz"
	# summary: the KVM counters and every listed function seen
	{
		printf '%s:' "$name"
		grep -E '^(pf_taken|pf_fast|faults|overrun|pages_2m)=' "$d/counts.txt" |
			tr '\n' ' '
		grep -E '_calls=[1-9]' "$d/counts.txt" | tr '\n' ' '
		echo
	} >>"$C/summary.txt"
	tail -n1 "$C/summary.txt"
}

run_case anon
run_case shmem --backing shmem
run_case memfd --backing memfd
run_case populate --populate
run_case memfd-populate --backing memfd --populate
run_case hugepages --hugepages --pages2 1024
old_shmem=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$THP/shmem_enabled" 2>/dev/null)
if [ -n "$old_shmem" ] && echo advise >"$THP/shmem_enabled" 2>/dev/null; then
	run_case shmem-huge --backing shmem --hugepages --pages2 1024
	echo "$old_shmem" >"$THP/shmem_enabled" 2>/dev/null ||
		warn "cannot restore shmem_enabled=$old_shmem"
else
	warn "shmem_enabled cannot be set to advise: no shmem-huge case"
fi
run_case rewrites8 --dirty-log --rewrites 8

[ -n "$SAVED_IRQS" ] && tfs_write options/funcgraph-irqs "$SAVED_IRQS"
tracing_restore
[ "$(tfs_read current_tracer)" = nop ] || { log "FAIL: tracing not restored"; rc=1; }
log "done rc=$rc"
exit "$rc"
