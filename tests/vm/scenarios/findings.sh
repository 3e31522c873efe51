#!/bin/sh
# Guest part of the findings checks (sourced by profiler.sh; busybox sh):
# kvmmmu-graph --json on faultgen runs built to have a known dominant
# cause, and the runs `diff` compares. Needs G, FG and R from profiler.sh.
#   /results/findings/NAME/{args,faults.jsonl,faultgen.json,stderr.txt,rc}
#   /results/findings/diff-{same,huge}.json   kvmmmu-graph --json diff
# Cases (NAME: faultgen arguments; the cause expected first):
#   first-touch  --pages 256 --pages2 0                  first-touch
#   page-cache   --pages 256 --pages2 0 --backing shmem  page-cache
#   mmio         --pages 2 --pages2 0 --mmio 128         mmio
#   dirty-log    --pages 1 --pages2 0 --populate --dirty-log --rewrites 40
#                (also a stuck vCPU: one GFN faulting 40 times)
#   warm-up, small-a, small-b, huge: --pages 1 --pages2 512 [--hugepages],
#                for diff (warm-up is not compared):
#                slot 2 sits at a 2 MiB-aligned GPA (slot 1 does not), so
#                only there can THP back the guest and KVM map 2 MiB

findings_case() {
	name=$1
	shift
	d=$R/findings/$name
	mkdir -p "$d"
	echo "$*" >"$d/args"
	"$G" --json -- "$FG" "$@" --json "$d/faultgen.json" \
		>"$d/faults.jsonl" 2>"$d/stderr.txt"
	echo $? >"$d/rc"
	log "findings $name: rc $(cat "$d/rc"), $(grep -c . "$d/faults.jsonl") lines"
}

findings_case first-touch --pages 256 --pages2 0
findings_case page-cache --pages 256 --pages2 0 --backing shmem
findings_case mmio --pages 2 --pages2 0 --mmio 128
findings_case dirty-log --pages 1 --pages2 0 --populate --dirty-log --rewrites 40
# warm-up, not compared: the first run of a size pays for the test host's
# own first touches (6.1 showed run A uniformly ~34 % slower than run B)
findings_case warm-up --pages 1 --pages2 512
findings_case small-a --pages 1 --pages2 512
findings_case small-b --pages 1 --pages2 512
findings_case huge --pages 1 --pages2 512 --hugepages
F=$R/findings
"$G" --json diff "$F/small-a/faults.jsonl" "$F/small-b/faults.jsonl" \
	>"$F/diff-same.json" 2>"$F/diff-same.err"
"$G" --json diff "$F/small-a/faults.jsonl" "$F/huge/faults.jsonl" \
	>"$F/diff-huge.json" 2>"$F/diff-huge.err"
