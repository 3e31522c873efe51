#!/bin/bash
# Hostile input: damaged copies of a shipped recording (built by
# tests/data/hostile/make-cases.py), per-CPU files that are a FIFO or
# /dev/zero, a profile that never ends, and contradictory options. Each
# must give a one-line message and the documented non-zero exit status
# (1: refused, 2: usage, 4: replayed but damaged) within a few seconds,
# never a crash, a hang or a quiet wrong number.
#
#   tests/cli/run-hostile-tests.sh BUILDDIR SRCDIR
set -u
builddir=${1:-.}
srcdir=${2:-.}
G=$builddir/kvmmmu-graph
export KVMMMU_GRAPH_PROFILE_DIR=$srcdir/profiles
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() { echo "PASS: hostile/$1"; }
fail() { echo "FAIL: hostile/$1${2:+ ($2)}"; }

rec=6.12-global
tar -xJf "$srcdir/tests/data/$rec.tar.xz" -C "$tmp"
python3 "$srcdir/tests/data/hostile/make-cases.py" "$tmp/$rec" "$tmp/cases" \
	>/dev/null || { fail make-cases; exit 0; }

# expect NAME STATUS PATTERN -- ARGS...: exit status STATUS, stderr one
# line matching PATTERN, no sanitizer report, done within 20 s.
expect() {
	local name=$1 want=$2 pattern=$3 rc lines
	shift 4
	timeout 20 "$G" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	lines=$(grep -vc '^$' "$tmp/err")
	if [ "$rc" != "$want" ]; then
		fail "$name" "exit $rc, want $want: $(head -c 200 "$tmp/err")"
	elif [ "$lines" != 1 ] || ! grep -qE "$pattern" "$tmp/err"; then
		fail "$name" "stderr: $(head -c 300 "$tmp/err")"
	else
		pass "$name"
	fi
}

c=$tmp/cases
# crashes and reads past the page buffer, now skipped and counted
for n in commit_past_page commit_missed_at_end appended_random \
	 endless_padding event_past_page event_negative_len; do
	expect "$n" 4 "damaged: [1-9][0-9]* raw pages skipped" -- \
		--input "$c/$n" --summary-only
done
expect cpu_file_zeroed 4 "damaged: 17 raw pages skipped" -- \
	--input "$c/cpu_file_zeroed" --summary-only
expect field_offset_bad 4 "26 records not decodable" -- \
	--input "$c/field_offset_bad" --summary-only
# refused before anything is read
expect appended_partial 1 "not a whole number of 4096-byte pages" -- \
	--input "$c/appended_partial" --summary-only
expect cpu_file_copied 1 "cpu2/trace_pipe_raw is a copy of cpu1" -- \
	--input "$c/cpu_file_copied" --summary-only
expect cpu_gap 1 "cpu1/trace_pipe_raw is missing while cpu3 exists" -- \
	--input "$c/cpu_gap" --summary-only
# recordings that noted each CPU file's size: an emptied or cut file
# would quietly drop that CPU's faults
# the same recording with the note intact replays as before
want=$("$G" --input "$tmp/$rec" --json --summary-only 2>/dev/null | tail -n 1)
got=$("$G" --input "$c/sizes_intact" --json --summary-only 2>"$tmp/err" | tail -n 1)
if [ -n "$want" ] && [ "$got" = "$want" ] && [ ! -s "$tmp/err" ]; then
	pass sizes_intact
else
	fail sizes_intact "summary differs or stderr: $(head -c 200 "$tmp/err")"
fi
expect sizes_cpu_emptied 1 "cpu1/trace_pipe_raw holds 0 bytes, the recording wrote [1-9]" -- \
	--input "$c/sizes_cpu_emptied" --summary-only
expect sizes_cpu_cut 1 "cpu1/trace_pipe_raw holds [0-9]+ bytes, the recording wrote [1-9]" -- \
	--input "$c/sizes_cpu_cut" --summary-only
expect sizes_cpu_removed 1 "cpu1/trace_pipe_raw is missing; the recording wrote" -- \
	--input "$c/sizes_cpu_removed" --summary-only
expect sizes_garbled 1 "sizes: line 3 is not \"cpuN BYTES\"" -- \
	--input "$c/sizes_garbled" --summary-only
expect field_offset_negative 1 "kvm_page_fault/format: cannot parse it" -- \
	--input "$c/field_offset_negative" --summary-only
expect field_offset_past_page 1 "fault_address at offset 8000.*does not fit" \
	-- --input "$c/field_offset_past_page" --summary-only
expect common_offset_past_page 1 "common_pid at offset 70000" -- \
	--input "$c/common_offset_past_page" --summary-only
expect header_page_tiny_subbuffer 1 "header_page: a sub-buffer of 16 bytes" -- \
	--input "$c/header_page_tiny_subbuffer" --summary-only

# a format file with a field line missing: libtraceevent crashed on it
for n in format_missing_field format_missing_common_type; do
	if timeout 20 "$G" --input "$c/$n" --summary-only >"$tmp/out" \
		2>"$tmp/err" && grep -q "^Summary: 26 faults" "$tmp/out"; then
		pass "$n"
	else
		fail "$n" "$(head -c 200 "$tmp/err")"
	fi
done
# a function address of all ones looped the fault builder forever
if timeout 20 "$G" --input "$c/func_all_ones" --summary-only >"$tmp/out" \
	2>"$tmp/err" && grep -q "^Summary: [0-9]* faults" "$tmp/out"; then
	pass func_all_ones
else
	fail func_all_ones "exit $?: $(head -c 200 "$tmp/err")"
fi
cp -a "$tmp/$rec" "$tmp/nofield"
sed -i '/ exit_reason;/d' "$tmp/nofield/events/kvm/kvm_exit/format"
if timeout 20 "$G" --input "$tmp/nofield" --summary-only >/dev/null \
	2>"$tmp/err"; then
	pass format_print_fmt_names_missing_field
else
	fail format_print_fmt_names_missing_field "$(head -c 200 "$tmp/err")"
fi

# per-CPU files and a profile that would never end
cp -a "$tmp/$rec" "$tmp/fifo"
rm "$tmp/fifo/per_cpu/cpu1/trace_pipe_raw"
mkfifo "$tmp/fifo/per_cpu/cpu1/trace_pipe_raw"
expect cpu_file_fifo 1 "cpu1/trace_pipe_raw: not a regular file" -- \
	--input "$tmp/fifo" --summary-only
cp -a "$tmp/$rec" "$tmp/zero"
ln -sf /dev/zero "$tmp/zero/per_cpu/cpu0/trace_pipe_raw"
expect cpu_file_dev_zero 1 "cpu0/trace_pipe_raw: not a regular file" -- \
	--input "$tmp/zero" --summary-only
expect profile_dev_zero 1 "/dev/zero: not a regular file" -- \
	--profile /dev/zero --input "$tmp/$rec" --summary-only
mkfifo "$tmp/profile.fifo"
expect profile_fifo 1 "profile.fifo: not a regular file" -- \
	--profile "$tmp/profile.fifo" --input "$tmp/$rec" --summary-only

# contradictions refused as usage errors
expect threshold_nan 2 "invalid value 'nan' for --threshold" -- \
	--input "$tmp/$rec" -T nan --summary-only
expect top_101 2 "invalid value '101' for --top" -- \
	--input "$tmp/$rec" --top 101
expect input_and_check 2 "check probes this host" -- \
	--input "$tmp/$rec" check

# an events-only recording without its strategy note gave 0 faults, exit 0
tar -xJf "$srcdir/tests/data/6.12-events-only.tar.xz" -C "$tmp"
rm -f "$tmp/6.12-events-only/strategy"
expect no_strategy_note 4 "26 kvm_page_fault events but no function_graph" \
	-- --input "$tmp/6.12-events-only" --summary-only

# profile lines that were silently cut
{ echo "name t"; printf 'root'; for i in $(seq 70); do printf ' f%d' "$i"; done
  echo; } >"$tmp/words.profile"
expect profile_65_words 1 "words.profile:2: more than 64 words" -- \
	--profile "$tmp/words.profile" --input "$tmp/$rec" --summary-only
{ echo "name t"; printf 'root kvm_mmu_page_fault %01100d\n' 0; } \
	>"$tmp/long.profile"
expect profile_long_line 1 "long.profile:2: line longer than 1023 bytes" -- \
	--profile "$tmp/long.profile" --input "$tmp/$rec" --summary-only

# output errors: said, non-zero, and output paths checked before replay
timeout 20 "$G" --input "$tmp/$rec" --json >/dev/full 2>"$tmp/err"
rc=$?
if [ "$rc" != 0 ] && grep -q "write error" "$tmp/err"; then
	pass stdout_dev_full
else
	fail stdout_dev_full "exit $rc: $(head -c 200 "$tmp/err")"
fi
for opt in --folded --svg --chrome-trace --prefault-report; do
	expect "unwritable${opt#-}" 1 "$tmp/no/such/dir/out" -- \
		--input "$tmp/$rec" "$opt" "$tmp/no/such/dir/out" --summary-only
done

# the small files around the pages: FIFOs and /dev/zero never hang
cp -a "$tmp/$rec" "$tmp/notes"
rm "$tmp/notes/kallsyms" "$tmp/notes/strategy"
mkfifo "$tmp/notes/kallsyms" "$tmp/notes/strategy"
ln -sf /dev/zero "$tmp/notes/saved_cmdlines"
expect kallsyms_fifo 1 "kallsyms: not a regular file" -- \
	--input "$tmp/notes" --summary-only
rm "$tmp/notes/kallsyms"
cp "$tmp/$rec/kallsyms" "$tmp/notes/kallsyms"
if timeout 20 "$G" --input "$tmp/notes" --summary-only >"$tmp/out" \
	2>"$tmp/err" && grep -q "^Summary: 26 faults" "$tmp/out"; then
	pass notes_fifo_and_dev_zero
else
	fail notes_fifo_and_dev_zero "$(head -c 200 "$tmp/err")"
fi

# a thread name that is not UTF-8 keeps --json valid JSON
cp -a "$tmp/$rec" "$tmp/comm"
tids=$("$G" --input "$tmp/$rec" --json 2>/dev/null | python3 -c '
import json, sys
print(" ".join(sorted({str(json.loads(l)["tid"]) for l in sys.stdin
                       if "tid" in json.loads(l)})))')
for t in $tids; do printf '%s \377\376bad"\\\001\n' "$t"; done \
	>"$tmp/comm/saved_cmdlines"
if [ -n "$tids" ] && "$G" --input "$tmp/comm" --json 2>/dev/null | python3 -c '
import json, sys
names = [json.loads(l).get("comm") for l in sys.stdin]
sys.exit(0 if "\xff\xfebad\"\\\x01" in names else 1)'; then
	pass json_non_utf8_thread_name
else
	fail json_non_utf8_thread_name "tids: ${tids:-none}"
fi

# check says no strategy can run (as non-root) and exits non-zero
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$G" check >"$tmp/check.out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" = 1 ] && grep -q "no capture strategy can run" "$tmp/err"
	then
		pass check_non_root_exit_status
	else
		fail check_non_root_exit_status "exit $rc: $(head -c 200 "$tmp/err")"
	fi
else
	echo "SKIP: hostile/check_non_root_exit_status (needs root and setpriv)"
fi
