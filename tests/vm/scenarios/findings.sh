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
#   small, huge: --pages 1 --pages2 512 [--hugepages], for diff:
#                slot 2 sits at a 2 MiB-aligned GPA (slot 1 does not), so
#                only there can THP back the guest and KVM map 2 MiB
#   pair:        --pages 512 --pages2 0 --vcpus 2, for diff: its faults
#                split in two alternating halves (1st, 3rd, ... fault of
#                each vCPU against the 2nd, 4th, ...): the same workload
#                at the same moments. Two runs one after the other are not
#                identical under TCG (on 6.1 up to 2x in every phase), nor
#                are the two vCPUs of one run (36 % apart in p50 in one
#                CI run): real differences that diff rightly reports.

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
findings_case small --pages 1 --pages2 512
findings_case huge --pages 1 --pages2 512 --hugepages
findings_case pair --pages 512 --pages2 0 --vcpus 2
F=$R/findings
awk -v a="$F/pair/half-a.jsonl" -v b="$F/pair/half-b.jsonl" '
	/"ts_ns"/ && match($0, /"vcpu":[0-9]+/) {
		v = substr($0, RSTART, RLENGTH)
		if (++n[v] % 2) print > a; else print > b
	}' "$F/pair/faults.jsonl"
"$G" --json diff "$F/pair/half-a.jsonl" "$F/pair/half-b.jsonl" \
	>"$F/diff-same.json" 2>"$F/diff-same.err"
"$G" --json diff "$F/small/faults.jsonl" "$F/huge/faults.jsonl" \
	>"$F/diff-huge.json" 2>"$F/diff-huge.err"
