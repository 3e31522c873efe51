#!/usr/bin/env python3
"""Check kvmmmu-graph's findings on a faultgen run built for one cause.

  check_findings.py FAULTS.jsonl CAUSE   first finding is CAUSE, and its
                                         share and time equal the sum of
                                         the complete faults with CAUSE
  check_findings.py --stuck FAULTS.jsonl a stuck-vCPU finding is there
  check_findings.py --diff HUGE.json SAME.json
                                         HUGE: first-touch count change
                                         significant and negative; SAME:
                                         no group changed
Prints what it compared; exits 1 on a mismatch.
"""
import json
import sys


def load(path):
    faults, summary = [], None
    for line in open(path):
        obj = json.loads(line)
        if obj.get("type") == "summary":
            summary = obj
        else:
            faults.append(obj)
    if summary is None:
        sys.exit("no summary object in " + path)
    return faults, summary


def first_finding(path, cause):
    faults, s = load(path)
    total = sum(f["delay_ns"] for f in faults if f["complete"])
    mine = sum(f["delay_ns"] for f in faults if f["complete"] and f["cause"] == cause)
    n = sum(1 for f in faults if f["cause"] == cause)
    fi = s.get("findings") or [{}]
    top = fi[0]
    print("findings: " + ", ".join("%s %.1f%%" % (x["cause"], 100 * x["share"]) for x in fi))
    print("first %s, %s faults; %s: %d faults, %.3f ms of %.3f ms (%.4f)"
          % (top.get("cause"), top.get("faults"), cause, n, mine / 1e6,
             total / 1e6, mine / total if total else 0))
    ok = top.get("cause") == cause and top.get("faults") == n
    ok = ok and top.get("total_ns") == mine and total and \
        abs(top.get("share", -1) - mine / total) < 1e-4
    return ok


def stuck(path):
    _, s = load(path)
    st = s.get("stuck") or []
    print("stuck: %s" % st)
    return any(x["count"] > 8 for x in st)


def diff(huge, same):
    h = {g["group"]: g for g in json.load(open(huge))["groups"]}
    d = json.load(open(same))
    ft = h.get("cause:first-touch", {})
    print("4 KiB vs hugepages, first-touch: %s -> %s faults, significant %s"
          % (ft.get("a", {}).get("faults"), ft.get("b", {}).get("faults"),
             ft.get("count_significant")))
    changed = [g["group"] for g in d["groups"]
               if g["count_significant"] or g["time_significant"]]
    a = d["groups"][0]["a"]["faults"] if d["groups"] else 0
    b = d["groups"][0]["b"]["faults"] if d["groups"] else 0
    print("identical workloads (alternating halves of one run, %s vs %s faults): "
          "%d groups, changed: %s" % (a, b, len(d["groups"]), changed))
    return bool(ft.get("count_significant")) and \
        ft["b"]["faults"] < ft["a"]["faults"] and not changed and \
        a >= 500 and b >= 500


def main():
    a = sys.argv[1:]
    if a[0] == "--stuck":
        ok = stuck(a[1])
    elif a[0] == "--diff":
        ok = diff(a[1], a[2])
    else:
        ok = first_finding(a[0], a[1])
    sys.exit(0 if ok else 1)


main()
