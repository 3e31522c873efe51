#!/usr/bin/env python3
"""Compare kvmmmu-graph's fault delays with the kernel's own function_graph
durations for the same run.

  check_durations.py FIXTURE_DIR FAULTS.jsonl

FIXTURE_DIR is what the raw-tracefs scenario saved: the raw per-CPU pages
(replayed by kvmmmu-graph into FAULTS.jsonl) and `trace`, the kernel's
formatted function_graph text of the same buffers. Each closing brace of
kvm_mmu_page_fault (the root, two spaces after '|') carries the kernel's
duration, printed with ns digits truncated to fit 7 digits. Every one must
match a complete fault of the tool, as a multiset; when the text was not
cut short, the counts must be equal too. Exit 0 if so.
"""
import collections
import json
import re
import sys

ROOT_CLOSE = re.compile(r"^\s*\d+\)\s+[!+#*@$]?\s*(\d+)\.(\d+) us\s+\|  \}\s*$")


def kernel_durations(path):
    out = []
    with open(path, errors="replace") as f:
        for line in f:
            m = ROOT_CLOSE.match(line)
            if m:
                out.append((int(m.group(1)), m.group(2)))
    return out


def as_kernel_prints(ns):
    """How print_graph_duration() shows @ns: usecs, then at most 7 digits."""
    us = ns // 1000
    digits = min(3, 7 - len(str(us)))
    return (us, f"{ns % 1000:03d}"[:max(digits, 0)])


def main(fixture, jsonl):
    text = kernel_durations(f"{fixture}/trace")
    tool = [json.loads(l) for l in open(jsonl)]
    delays = [x["delay_ns"] for x in tool if x.get("type") != "summary" and x["complete"]]
    counts = dict(l.strip().split("=", 1) for l in open(f"{fixture}/../counts.txt") if "=" in l)
    cut = counts.get("trace_lines") != counts.get("trace_lines_kept")
    pool = collections.Counter(as_kernel_prints(d) for d in delays)
    missing = 0
    for us, frac in text:
        key = (us, frac)
        if pool[key] > 0:
            pool[key] -= 1
        else:
            missing += 1
    print(f"kernel root durations: {len(text)}{' (text cut short)' if cut else ''}, "
          f"tool complete faults: {len(delays)}, kernel durations without an equal tool delay: {missing}")
    if missing or not text:
        return 1
    if not cut and len(text) != len(delays):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
