#!/usr/bin/env python3
"""Compare kvmmmu-graph --json output with KVM's own counters.

  check_oracle.py FIXTURE_DIR OUT.jsonl     replay of a recording
  check_oracle.py --live FAULTGEN.json OUT.jsonl [--memslot] [--phases=a,b]
  check_oracle.py --live FAULTGEN.json OUT.jsonl --late [--memslot]

--late: the tool attached after pass 1 (faultgen --rewrite-wait-file) and
saw only the dirty-log rewrites: every one is a fast-path fault (all of
KVM's pf_fast), and each has the memslot, HVA and PFN of its page though
no slot faulted in while the tool ran.

--phases: the phases that must show up (default: faultin, map, and
fast_path when KVM counted fast-path faults). Functions that the kernel
inlines in a mode have no phase of their own (6.1's legacy MMU inlines
direct_map and fast_page_fault).

--memslot: the run had the kvmmmu_graph/memslot probe (so did a recording
with its format file): MEM_SLOTID/HVA must be there, not skipped.

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


def slot_of(fg, gpa):
    for s in fg["slots"]:
        base = int(s["gpa"], 16)
        if base <= gpa < base + s["size"]:
            return s
    return None


def hexnum(v):
    return int(v, 16) if isinstance(v, str) else v


ACCESS_TYPE = {"write": "Write", "read": "Read", "exec": "Exec"}


def touches(fg):
    """Per guest page of slots 1-2, the ERROR_TYPE of each touch in order:
    the first touch is faultgen's access; a dirty-log re-write hits a page
    that is mapped but write-protected: Write+Present. Pass 0 is KVM
    mapping the page ahead (--prefault; ERROR_TYPE "prefault"): with
    writable host pages (--populate) the guest's first touch then takes
    no fault, without them KVM mapped the page read-only and it does."""
    out, populated = {}, fg["scenario"].get("populate")
    for t in sorted(fg.get("touched", []), key=lambda t: t["pass"]):
        if t["slot"] not in (1, 2):
            continue
        first = int(t["gpa_first"], 16)
        for i in range(t["pages"]):
            seq = out.setdefault(first + i * 4096, [])
            if t["pass"] == 0:
                seq.append("prefault")
            elif t["pass"] == 1 and seq == ["prefault"] and populated:
                continue
            else:
                seq.append(ACCESS_TYPE[t["access"]] if t["pass"] == 1
                           else "Write+Present")
    return out


def prefault_checks(fg, faults, check):
    """--prefault: one prefault fault per page KVM mapped ahead, on
    exactly those pages, complete and of kind normal."""
    want = set()
    for t in fg.get("touched", []):
        if t["pass"] == 0:
            first = int(t["gpa_first"], 16)
            want |= {first + i * 4096 for i in range(t["pages"])}
    pre = [x for x in faults if x.get("origin") == "prefault"]
    check("prefault faults == pages KVM mapped ahead", len(pre), len(want))
    got = {int(x["gpa"], 16) & ~0xfff for x in pre if x["gpa"]}
    check("prefault fault pages == the --prefault pages",
          sorted(got) == sorted(want), True)
    check("prefault faults complete, normal, vCPU-less",
          sum(1 for x in pre if x["complete"] and x["kind"] == "normal"
              and x["vcpu"] is None), len(pre))


def userfault_checks(fg, faults, check):
    """--userfault: every slot-1 page was served through userfaultfd and
    became an async page fault: the guest's fault (KVM's non-blocking GUP
    gave up in handle_userfault, no PFN) and a repeat of it while the page
    was on its way are guest faults; kvm_arch_async_page_ready mapping the
    page is one async-pf fault, with its PFN."""
    slot1 = expected_pages(fg, 1)
    served = fg.get("userfault_pages_served")
    apf = [x for x in faults if x.get("origin") == "async-pf"]
    check("async-pf faults == pages served through userfaultfd",
          len(apf), served)
    check("pages served through userfaultfd == slot-1 pages touched",
          served, len(slot1))
    got = {int(x["gpa"], 16) & ~0xfff for x in apf if x["gpa"]}
    check("async-pf fault pages == slot-1 pages", sorted(got) == sorted(slot1),
          True)
    check("async-pf faults complete, normal, vCPU-less",
          sum(1 for x in apf if x["complete"] and x["kind"] == "normal"
              and x["vcpu"] is None), len(apf))
    guest = [x for x in faults if x.get("origin", "guest") == "guest" and
             x["gpa"] and int(x["gpa"], 16) & ~0xfff in slot1]
    check("guest faults on slot-1 pages typed Write, cause userfaultfd",
          sum(1 for x in guest if x["error_type"] == "Write"
              and x["cause"] == "userfaultfd"), len(guest))


def gmem_checks(fg, faults, check):
    """--backing gmem: KVM took every slot-1/2 page from the guest_memfd
    (kvm_gmem_get_pfn, phase gmem, cause guest-memfd), never from the
    VMM's page tables (no gup phase)."""
    want = touches(fg)
    normal = [x for x in faults if x["kind"] == "normal" and x["gpa"]
              and int(x["gpa"], 16) & ~0xfff in want]
    check("slot-1/2 normal faults", len(normal) > 0, True)
    check("slot-1/2 normal faults with phase gmem, cause guest-memfd",
          sum(1 for x in normal if "gmem" in x["phases"]
              and x.get("cause") == "guest-memfd"), len(normal))
    check("slot-1/2 normal faults without phase gup",
          sum(1 for x in normal if "gup" not in x["phases"]), len(normal))


def memslot_checks(fg, faults, check, required, has_npages=True):
    """MEM_SLOTID and HVA against faultgen's memslots, when the tool had
    them (the kvmmmu_graph/memslot kprobe)."""
    backed = [x for x in faults if not x["mmio"] and x["gpa"]]
    with_slot = [x for x in backed if x["memslot"] is not None]
    mmio = [x for x in faults if x["mmio"]]
    check("MMIO faults without HVA, PFN, memslot",
          sum(1 for x in mmio if x["hva"] or x["pfn"] or x["memslot"] is not None), 0)
    if not with_slot:
        if required:
            check("faults with memslot/HVA", 0, len(backed))
        else:
            print("skip: no memslot/HVA in the tool's output (no memslot probe)")
        return
    wrong = []
    for x in with_slot:
        gpa = int(x["gpa"], 16) & ~0xfff
        s = slot_of(fg, gpa)
        want = (s["id"], int(s["hva"], 16) + gpa - int(s["gpa"], 16)) if s else None
        if (x["memslot"], hexnum(x["hva"])) != want:
            wrong.append((x["gpa"], x["memslot"], x["hva"], want))
    check(f"memslot id and HVA == faultgen's slot id and slot HVA + "
          f"(GPA - slot GPA), {len(with_slot)} faults", len(wrong), 0)
    for w in wrong[:5]:
        print(f"     gpa {w[0]}: memslot {w[1]} hva {w[2]}, want {w[3]}")
    # Fast-path faults call no fault-in function: the tool attributes them
    # through the memslots it learned from earlier probe records (which
    # carry npages; recordings made before that have none).
    need = [x for x in backed if x["complete"] and
            (x["kind"] == "normal" or has_npages)]
    check("backed faults with memslot/HVA" +
          ("" if has_npages else " (normal only: recording without npages)"),
          sum(1 for x in need if x["memslot"] is not None), len(need))


def late_checks(fg, faults, check, want_memslot):
    """--late: the rewrites of slot 1, seen by a tool that attached after
    pass 1 (the slow faults that taught it slots happened before)."""
    st = fg["kvm_stats"]
    fast = [x for x in faults if x["kind"] == "fast"]
    check("fast-path faults == pf_fast", len(fast), st["pf_fast"])
    check("faults other than fast-path ones (pass 1 was before the attach)",
          len(faults) - len(fast), 0)
    check("incomplete faults", sum(1 for x in faults if not x["complete"]), 0)
    slot1 = [s for s in fg["slots"] if s["id"] == 1][0]
    base = int(slot1["gpa"], 16)
    check("fast-path faults on slot 1",
          sum(1 for x in fast if base <= int(x["gpa"], 16) < base + slot1["size"]),
          len(fast))
    memslot_checks(fg, faults, check, want_memslot)
    if want_memslot:
        check("fast-path faults with memslot/HVA",
              sum(1 for x in fast if x["memslot"] is not None), len(fast))
    pfn_checks(fg, faults, check, late=True)


def pfn_checks(fg, faults, check, late=False):
    """faultgen's pagemap PFNs, read after the run, against the PFN of the
    last fault that mapped the page. Dirty logging does not move pages
    (write protection and the fast-path fix keep the PFN); only a host
    migration (compaction, KSM, THP collapse) between the fault and the
    read could, and that would unmap the page and show as a new fault.
    A page whose only fault is incomplete (lost events) has no PFN."""
    last, cut = {}, set()
    for x in sorted(faults, key=lambda x: x["ts_ns"]):
        if not x["gpa"]:
            continue
        page = int(x["gpa"], 16) & ~0xfff
        if x["pfn"]:
            last[page] = int(x["pfn"], 16)
        elif not x["complete"]:
            cut.add(page)
    samples = [p for p in fg.get("pfns", []) if p.get("pfn")]
    if not samples:
        print("skip: faultgen read no PFNs (pagemap needs CAP_SYS_ADMIN)")
        return
    pages = [(int(p["gpa"], 16), int(p["pfn"], 16)) for p in samples]
    got = [(g, w, last[g]) for g, w in pages if g in last]
    wrong = [(hex(g), hex(w), hex(t)) for g, w, t in got if t != w]
    check(f"PFN == faultgen's pagemap PFN, {len(got)} of {len(pages)} "
          f"sampled pages", len(wrong), 0)
    for w in wrong[:5]:
        print(f"     gpa {w[0]}: pagemap {w[1]}, tool {w[2]}")
    if not late:    # late: pages not rewritten had no fault in the window
        check("sampled pages without a PFN (other than after an incomplete "
              "fault)", sum(1 for g, _ in pages if g not in last and g not in cut), 0)
    # the fast path's PFN comes from its new SPTE: every complete fault
    # on a backed page has one, whatever its kind; the guest's faults on
    # a page still in userfaultfd (--userfault) mapped nothing
    check("complete non-MMIO faults without a PFN",
          sum(1 for x in faults if x["complete"] and not x["mmio"]
              and x["gpa"] and not x["pfn"]
              and x.get("cause") != "userfaultfd"), 0)


def type_checks(fg, faults, check):
    """ERROR_TYPE of every fault on a touched slot-1/2 page, by its COUNT,
    and COUNT > 1 exactly on the pages touched twice (dirty log)."""
    want = touches(fg)
    typed, wrong, twice = 0, [], set()
    for x in faults:
        gpa = int(x["gpa"], 16) & ~0xfff if x["gpa"] else None
        if gpa not in want:
            continue
        if x["count"] > 1:
            twice.add(gpa)
        seq = want[gpa]
        exp = seq[x["count"] - 1] if x["count"] <= len(seq) else "no fault"
        typed += 1
        if x["error_type"] != exp:
            wrong.append((x["gpa"], x["count"], x["error_type"], exp))
    check(f"ERROR_TYPE of the {typed} slot-1/2 faults == faultgen's access "
          f"(first touch) or Write+Present (dirty-log re-write)", len(wrong), 0)
    for w in wrong[:5]:
        print(f"     gpa {w[0]} count {w[1]}: {w[2]}, want {w[3]}")
    again = {p for p, seq in want.items() if len(seq) > 1}
    check("slot-1/2 pages with COUNT > 1 == pages touched twice (dirty log)",
          sorted(twice) == sorted(again), True)
    if twice != again:
        print(f"     extra {sorted(hex(p) for p in twice - again)[:5]}, "
              f"missing {sorted(hex(p) for p in again - twice)[:5]}")
    mmio = fg.get("mmio", {})
    if mmio.get("gpa"):
        page = int(mmio["gpa"], 16) & ~0xfff
        on = [x["error_type"] for x in faults
              if x["gpa"] and int(x["gpa"], 16) & ~0xfff == page]
        check("MMIO faults typed Read+Reserved(MMIO)",
              on.count("Read+Reserved(MMIO)"), mmio.get("reads", 0))
        check("MMIO faults typed Write+Reserved(MMIO)",
              on.count("Write+Reserved(MMIO)"), mmio.get("writes", 0))


def main(argv):
    live = argv[1] == "--live"
    want_memslot = "--memslot" in argv
    has_npages = True
    if live:
        fg_path, out = argv[2], argv[3]
    else:
        fg_path, out = os.path.join(argv[1], "faultgen.json"), argv[2]
        fmt = os.path.join(argv[1], "events", "kvmmmu_graph", "memslot", "format")
        want_memslot |= os.path.exists(fmt)
        has_npages = os.path.exists(fmt) and "npages" in open(fmt).read()
    with open(fg_path) as f:
        fg = json.load(f)
    faults, summary = load(out)
    # KVM's counters count the guest's faults, not KVM mapping ahead
    everything = faults
    faults = [x for x in faults if x.get("origin", "guest") == "guest"]
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
    keys = {"ts_ns", "cpu", "pid", "tid", "comm", "vcpu", "gpa", "error_code",
            "error_type", "mmio", "delay_ns", "count", "hva", "pfn", "memslot",
            "phases", "complete", "origin"}
    check("faults missing a JSON key of the contract",
          sum(1 for x in faults if not keys <= x.keys()), 0)
    skeys = {"faults", "by_type", "delay", "phases", "lost_events"}
    check("summary keys of the contract present", skeys <= summary.keys(), True)
    if fg["scenario"].get("prefault"):
        prefault_checks(fg, everything, check)
        by = summary.get("by_origin", {})
        check("summary by_origin == faults of each origin",
              (by.get("guest"), by.get("prefault")),
              (len(faults), len(everything) - len(faults)))
    if live and not st["pf_taken"] and not faults:
        # e.g. a kvm_pvm host that emulates our paging-off guest
        print("skip: KVM took no page faults on this host")
        return 77
    if "--late" in argv:
        late_checks(fg, faults, check, want_memslot)
        return 1 if bad else 0
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
    if fg["scenario"].get("userfault"):
        userfault_checks(fg, everything, check)
    else:
        type_checks(fg, everything, check)
    pfn_checks(fg, everything, check)
    memslot_checks(fg, everything, check, want_memslot, has_npages)
    if fg["scenario"].get("backing") == "gmem" and \
            "events-only" not in summary.get("strategy", ""):
        gmem_checks(fg, everything, check)
    folded = os.path.join(os.path.dirname(out), "folded.txt")
    if os.path.exists(folded) and "events-only" not in summary.get("strategy", ""):
        total = 0
        with open(folded) as f:
            for line in f:
                total += int(line.rsplit(" ", 1)[1])
        check("sum of folded weights == sum of complete faults' delays (ns)",
              total, sum(x["delay_ns"] for x in everything if x["complete"]))
    if "events-only" not in summary.get("strategy", ""):
        phases = set()
        for x in faults:
            phases.update(x["phases"])
        want = ["faultin", "map"] + (["fast_path"] if st["pf_fast"] else [])
        for a in argv:
            if a.startswith("--phases="):
                want = [p for p in a[len("--phases="):].split(",") if p]
        for p in want:
            check(f"phase {p} present", p in phases, True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
