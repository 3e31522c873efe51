#!/usr/bin/env python3
"""Check the terminal breakdown printed at the end of a kvmmmu-graph run.

  check_breakdown.py OUT.txt [PHASE...]

In the "all faults" section, the named phases (default: faultin, map,
fast_path) must be listed, and the shares of all lines must add up to
exactly 100.0 % as printed (the tool rounds them so that they do).
"""
import re
import sys

LINE = re.compile(r"^  (\S.*?)\s+\[[# ]*\]\s+([\d.]+)%")


def main(path, want):
    lines = open(path).read().splitlines()
    try:
        start = next(i for i, l in enumerate(lines) if l.startswith("all faults:"))
    except StopIteration:
        print("no 'all faults' section")
        return 1
    shares, total = {}, None
    for l in lines[start + 1:]:
        if not l.strip():
            break
        m = LINE.match(l)
        if not m:
            continue
        name, pct = m.group(1).strip(), float(m.group(2))
        if name == "total":
            total = pct
        else:
            shares[name] = pct
    s = round(sum(shares.values()), 1)
    missing = [p for p in want if p not in shares]
    print(f"phases: {', '.join(f'{k} {v}%' for k, v in shares.items())}; sum {s}%, total line {total}%")
    if missing:
        print(f"missing phases: {missing}")
    return 0 if not missing and s == 100.0 and total == 100.0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:] or ["faultin", "map", "fast_path"]))
