#!/usr/bin/env python3
"""Compare kvmmmu-graph --json output with KVM's own counters.

  check_oracle.py FIXTURE_DIR OUT.jsonl     replay of a recording
  check_oracle.py --live FAULTGEN.json OUT.jsonl

FAULTGEN.json is what kvmmmu-faultgen printed: its scenario, memslots,
touched GPA ranges and KVM's counters read through KVM_GET_STATS_FD.
Prints one line per check with both numbers; exits 1 if any differ.
"""
import json
import os
import sys


def load(path):
    faults, summary = [], None
    with open(path) as f:
        for line in f:
            obj = json.loads(line)
            if obj.get("type") == "summary":
                summary = obj
            else:
                faults.append(obj)
    return faults, summary


def expected_pages(fg, slot_id):
    pages = set()
    for t in fg.get("touched", []):
        if t["slot"] != slot_id:
            continue
        first = int(t["gpa_first"], 16)
        for i in range(t["pages"]):
            pages.add(first + i * 4096)
    return pages


def main(argv):
    live = argv[1] == "--live"
    if live:
        fg_path, out = argv[2], argv[3]
    else:
        fg_path, out = os.path.join(argv[1], "faultgen.json"), argv[2]
    with open(fg_path) as f:
        fg = json.load(f)
    faults, summary = load(out)
    st = fg["kvm_stats"]
    mmio = fg.get("mmio", {})
    accesses = mmio.get("reads", 0) + mmio.get("writes", 0)
    created = st.get("pf_mmio_spte_created") or 0
    bad = 0

    def check(name, got, want):
        nonlocal bad
        ok = got == want
        bad += not ok
        print(f"{'ok  ' if ok else 'DIFF'} {name}: tool {got}, KVM/scenario {want}")

    if summary is None:
        print("DIFF no summary object")
        return 1
    if live and not st["pf_taken"] and not faults:
        # e.g. a kvm_pvm host that emulates our paging-off guest
        print("skip: KVM took no page faults on this host")
        return 77
    check("faults == pf_taken + MMIO cache hits",
          len(faults), st["pf_taken"] + max(accesses - created, 0))
    check("MMIO faults == MMIO accesses",
          sum(1 for x in faults if x["mmio"]), accesses)
    check("fast-path faults == pf_fast",
          sum(1 for x in faults if x["kind"] == "fast"), st["pf_fast"])
    check("incomplete faults", sum(1 for x in faults if not x["complete"]), 0)
    slot2 = [s for s in fg["slots"] if s["id"] == 2]
    if slot2:
        base, size = int(slot2[0]["gpa"], 16), slot2[0]["size"]
        seen = {int(x["gpa"], 16) & ~0xfff for x in faults
                if x["gpa"] and base <= int(x["gpa"], 16) < base + size}
        want = expected_pages(fg, 2)
        check("slot-2 fault pages == touched pages", sorted(seen) == sorted(want), True)
        if seen != want:
            print(f"     missing {len(want - seen)}, extra {len(seen - want)}")
    folded = os.path.join(os.path.dirname(out), "folded.txt")
    if os.path.exists(folded) and "events-only" not in summary.get("strategy", ""):
        total = 0
        with open(folded) as f:
            for line in f:
                total += int(line.rsplit(" ", 1)[1])
        check("sum of folded weights == sum of complete faults' delays (ns)",
              total, sum(x["delay_ns"] for x in faults if x["complete"]))
    if "events-only" not in summary.get("strategy", ""):
        phases = set()
        for x in faults:
            phases.update(x["phases"])
        for p in ("faultin", "map"):
            check(f"phase {p} present", p in phases, True)
        if st["pf_fast"]:
            check("phase fast_path present", "fast_path" in phases, True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
