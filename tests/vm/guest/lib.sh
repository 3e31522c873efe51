# Helpers for guest-side scenarios (busybox sh). Source it:
#   . "${KVMMMU_GUEST_LIB:-/tests/vm/guest/lib.sh}"
# Everything here works on plain tracefs; nothing needs the tracer.

T=${KVMMMU_TRACEFS:-/sys/kernel/tracing}
# shellcheck disable=SC2034 # used by the scenarios
R=${KVMMMU_RESULTS:-/results}

log() { echo "scenario: $*"; }
warn() { echo "scenario: warning: $*" >&2; }

# tfs_write FILE VALUE...: write to a tracefs file (relative to $T), loud on error
tfs_write() {
	f_=$1; shift
	if ! echo "$*" >"$T/$f_" 2>/dev/null; then
		warn "write '$*' > $f_ failed"
		return 1
	fi
}
# tfs_append FILE VALUE: append (set_ftrace_pid, set_event_pid, ...)
tfs_append() {
	if ! echo "$2" >>"$T/$1" 2>/dev/null; then
		warn "append '$2' >> $1 failed"
		return 1
	fi
}
tfs_read() { cat "$T/$1" 2>/dev/null; }

has_word() { # has_word WORD "LIST"
	for w_ in $2; do [ "$w_" = "$1" ] && return 0; done
	return 1
}
yesno() { if "$@"; then echo yes; else echo no; fi; }

# The expanded per-CPU buffer size in KB ("7 (expanded: 1408)" -> 1408).
buffer_kb_effective() {
	b_=$(tfs_read buffer_size_kb)
	case "$b_" in
	*expanded:*) b_=${b_#*expanded: }; echo "${b_%)*}" ;;
	*) echo "$b_" ;;
	esac
}

uptime_s() { cut -d' ' -f1 /proc/uptime; }
# elapsed START_UPTIME -> seconds with two decimals
elapsed() { awk -v a="$1" -v b="$(uptime_s)" 'BEGIN { printf "%.2f", b - a }'; }

# capabilities FILE: facts about this kernel's KVM and tracing, key=value
capabilities() {
	out_=$1
	cat "$T/README" >"$(dirname "$out_")/tracefs-README.txt" 2>/dev/null
	ins_=$T/instances/kvmmmu-capprobe
	{
		echo "kernel=$(uname -r)"
		echo "dev_kvm=$(yesno test -e /dev/kvm)"
		echo "kvm_loaded=$(yesno test -d /sys/module/kvm)"
		echo "kvm_amd_loaded=$(yesno test -d /sys/module/kvm_amd)"
		for p_ in npt nested avic sev; do
			[ -r "/sys/module/kvm_amd/parameters/$p_" ] &&
				echo "kvm_amd.$p_=$(cat "/sys/module/kvm_amd/parameters/$p_")"
		done
		for p_ in tdp_mmu mmio_caching eager_page_split; do
			[ -r "/sys/module/kvm/parameters/$p_" ] &&
				echo "kvm.$p_=$(cat "/sys/module/kvm/parameters/$p_")"
		done
		echo "cpu_svm=$(yesno grep -qw svm /proc/cpuinfo)"
		echo "cpu_npt=$(yesno grep -qw npt /proc/cpuinfo)"
		echo "nr_cpus=$(grep -c '^processor' /proc/cpuinfo)"
		echo "tracefs=$(yesno test -e "$T/available_tracers")"
		at_=$(tfs_read available_tracers)
		echo "top.available_tracers=$at_"
		echo "top.function_graph=$(yesno has_word function_graph "$at_")"
		echo "top.set_graph_function=$(yesno test -e "$T/set_graph_function")"
		echo "top.set_ftrace_filter=$(yesno test -e "$T/set_ftrace_filter")"
		echo "top.kvm_mmu_page_fault_traceable=$(yesno grep -qE '^kvm_mmu_page_fault( |$)' "$T/available_filter_functions")"
		echo "top.buffer_size_kb=$(tfs_read buffer_size_kb)"
		echo "top.trace_clock=$(tfs_read trace_clock)"
		echo "top.options.function-fork=$(yesno test -e "$T/options/function-fork")"
		echo "top.options.event-fork=$(yesno test -e "$T/options/event-fork")"
		echo "top.options.funcgraph=$(cd "$T/options" 2>/dev/null && ls -d funcgraph-* 2>/dev/null | tr '\n' ' ')"
		echo "kprobe_events=$(yesno test -e "$T/kprobe_events")"
		echo "dynamic_events=$(yesno test -e "$T/dynamic_events")"
		echo "fprobe_events=$(yesno grep -q 'f\[:\[' "$T/README")"
		echo "btf_args_in_probes=$(yesno grep -q '<argname>' "$T/README")"
		echo "btf_vmlinux=$(yesno test -e /sys/kernel/btf/vmlinux)"
		echo "btf_kvm=$(yesno test -e /sys/kernel/btf/kvm)"
		echo "hist_triggers=$(yesno test -e "$T/events/kvm/kvm_exit/hist")"
		echo "events.kvm.kvm_page_fault=$(yesno test -d "$T/events/kvm/kvm_page_fault")"
		echo "events.kvmmmu=$(cd "$T/events/kvmmmu" 2>/dev/null && ls -d -- */ 2>/dev/null | tr -d / | tr '\n' ' ')"
		if [ -d "$ins_" ] || mkdir "$ins_" 2>/dev/null; then
			echo "instances=yes"
			iat_=$(cat "$ins_/available_tracers" 2>/dev/null)
			echo "instance.available_tracers=$iat_"
			echo "instance.function_graph=$(yesno has_word function_graph "$iat_")"
			for f_ in set_graph_function set_graph_notrace set_ftrace_filter set_ftrace_notrace \
				set_ftrace_pid set_event_pid options/function-fork options/event-fork; do
				echo "instance.$f_=$(yesno test -e "$ins_/$f_")"
			done
			if has_word function_graph "$iat_"; then
				# Can it actually run there? Filter first so it traces one function.
				ok_=no
				if echo kvm_mmu_page_fault >"$ins_/set_ftrace_filter" 2>/dev/null &&
					echo function_graph >"$ins_/current_tracer" 2>/dev/null; then
					ok_=yes
				fi
				echo nop >"$ins_/current_tracer" 2>/dev/null
				echo >"$ins_/set_ftrace_filter" 2>/dev/null
				echo "instance.function_graph_settable=$ok_"
			fi
			rmdir "$ins_" 2>/dev/null || warn "cannot remove $ins_"
		else
			echo "instances=no"
		fi
	} >"$out_"
}

# tracing_save_state: remember what trace_setup/trace_restore change
tracing_save_state() {
	SAVED_TRACER=$(tfs_read current_tracer)
	SAVED_BUFKB=$(buffer_kb_effective)
	SAVED_TRACING_ON=$(tfs_read tracing_on)
	SAVED_FFORK=$(tfs_read options/function-fork)
	SAVED_EFORK=$(tfs_read options/event-fork)
}

# tracing_restore: back to nop, no filters, no events, the old buffer size
tracing_restore() {
	tfs_write tracing_on 0
	tfs_write current_tracer "${SAVED_TRACER:-nop}"
	: >"$T/set_graph_function" 2>/dev/null
	: >"$T/set_ftrace_pid" 2>/dev/null
	: >"$T/set_event_pid" 2>/dev/null
	tfs_write events/enable 0
	[ -e "$T/options/function-fork" ] && tfs_write options/function-fork "${SAVED_FFORK:-0}"
	[ -e "$T/options/event-fork" ] && tfs_write options/event-fork "${SAVED_EFORK:-0}"
	: >"$T/trace"
	[ -n "${SAVED_BUFKB:-}" ] && tfs_write buffer_size_kb "$SAVED_BUFKB"
	tfs_write tracing_on "${SAVED_TRACING_ON:-1}"
}

# set_pids FILE PID: the PID and all its current threads
set_pids() {
	: >"$T/$1" 2>/dev/null
	for t_ in /proc/"$2"/task/*; do
		[ -d "$t_" ] && tfs_append "$1" "${t_##*/}"
	done
	# threads born meanwhile (fork options cover later ones)
	for t_ in /proc/"$2"/task/*; do
		[ -d "$t_" ] || continue
		grep -qx "${t_##*/}" "$T/$1" 2>/dev/null || tfs_append "$1" "${t_##*/}"
	done
}

# drain_raw CPUDIR OUT: consume per_cpu/cpuN/trace_pipe_raw into OUT.
# trace_pipe_raw blocks when empty, so cat runs in the background until the
# CPU's "entries:" reaches 0 and OUT stops growing, then it is stopped.
drain_raw() {
	cat "$1/trace_pipe_raw" >"$2" &
	cp_=$!
	n_=0
	while [ "$n_" -lt 1200 ]; do
		e_=$(sed -n 's/^entries: *//p' "$1/stats")
		[ "${e_:-0}" = 0 ] && break
		sleep 0.1
		n_=$((n_ + 1))
	done
	[ "$n_" -lt 1200 ] || warn "$1: entries did not reach 0 ($e_ left)"
	s0_=-1
	s1_=$(wc -c <"$2")
	while [ "$s0_" != "$s1_" ]; do
		sleep 0.3
		s0_=$s1_
		s1_=$(wc -c <"$2")
	done
	kill "$cp_" 2>/dev/null
	wait "$cp_" 2>/dev/null
	return 0
}

# save_static DIR: header and format files, cmdlines, clock, symbols, kernel
save_static() {
	d_=$1
	mkdir -p "$d_/events"
	cat "$T/events/header_page" >"$d_/events/header_page"
	cat "$T/events/header_event" >"$d_/events/header_event"
	for e_ in ftrace/funcgraph_entry ftrace/funcgraph_exit kvm/kvm_page_fault \
		kvm/kvm_entry kvm/kvm_exit $(cd "$T/events" && ls -d kvmmmu/*/ 2>/dev/null | sed 's,/$,,'); do
		if [ -r "$T/events/$e_/format" ]; then
			mkdir -p "$d_/events/$e_"
			cat "$T/events/$e_/format" >"$d_/events/$e_/format"
		else
			warn "no format for $e_"
		fi
	done
	cat "$T/saved_cmdlines" >"$d_/saved_cmdlines"
	[ -r "$T/saved_tgids" ] && cat "$T/saved_tgids" >"$d_/saved_tgids"
	cat "$T/trace_clock" >"$d_/trace_clock"
	uname -r >"$d_/kernel"
	# module kvm and kvm_amd, and core GUP/fault functions (the name, or a
	# part of it after "_", starts with the word: not "cpu_bringup")
	grep -E '[[:space:]]\[kvm(_amd)?\]$|^[0-9a-f]+ [tTwW] ([^[:space:]]*_)?(get_user_pages|gup|hva_to_pfn|follow|handle_mm_fault)' \
		/proc/kallsyms >"$d_/kallsyms"
}

# save_raw DIR: per_cpu/cpuN/{trace_pipe_raw,stats} for every CPU (consumes)
save_raw() {
	for c_ in "$T"/per_cpu/cpu*; do
		n_=${c_##*/}
		mkdir -p "$1/per_cpu/$n_"
		cat "$c_/stats" >"$1/per_cpu/$n_/stats"
		drain_raw "$c_" "$1/per_cpu/$n_/trace_pipe_raw"
	done
}

# total_overrun DIR: sum of "overrun:" and "dropped events:" over saved stats
total_overrun() {
	cat "$1"/per_cpu/cpu*/stats 2>/dev/null |
		awk '/^overrun:/ { n += $2 } /^dropped events:/ { n += $3 } END { print n + 0 }'
}

# count_trace DIR MAXLINES COUNTS: one pass over the formatted `trace`:
# keep the first MAXLINES lines in DIR/trace, write counts to COUNTS.
count_trace() {
	awk -v max="$2" -v keep="$1/trace" -v counts="$3" '
		NR <= max { print > keep }
		/kvm_mmu_page_fault( \[kvm\])?\(\) *(\{|;)/ { calls++ }
		/ kvm_page_fault: / { pf++ }
		/ fast_page_fault: / { fast++ }
		/ kvm_entry: / { entry++ }
		/ kvm_exit: / { exit_++ }
		/ kvm_mmu_spte_requested: / { spte_req++ }
		/ handle_mmio_page_fault: / { mmio_tp++ }
		END {
			print "kvm_mmu_page_fault_calls=" calls + 0 > counts
			print "kvm_page_fault_events=" pf + 0 > counts
			print "fast_page_fault_events=" fast + 0 > counts
			print "kvm_entry_events=" entry + 0 > counts
			print "kvm_exit_events=" exit_ + 0 > counts
			print "kvm_mmu_spte_requested_events=" spte_req + 0 > counts
			print "handle_mmio_page_fault_events=" mmio_tp + 0 > counts
			print "trace_lines=" NR > counts
			print "trace_lines_kept=" (NR < max ? NR : max) > counts
		}' "$T/trace"
}
