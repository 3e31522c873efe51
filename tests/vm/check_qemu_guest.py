#!/usr/bin/env python3
"""Host side of the QEMU-guest scenario (scenarios/qemu-guest.sh).

  check_qemu_guest.py CASEDIR

CASEDIR is /results/qemu/NAME of one case. Prints one line per check,
"ok NAME: details" or "BAD NAME: details", and exits 1 if any is BAD.
The checks, all over the same window (QEMU's monitor stopped the VM
before the tool and the oracle started and after the guest wrote):
  run        the tool exited 0, lost nothing; the oracle overran nothing
  oracle     faults == kvm:kvm_page_fault events of QEMU's threads
  kvm-stats  faults == pf_taken + MMIO cache hits (MMIO faults -
             pf_mmio_spte_created), fast faults == pf_fast (debugfs deltas)
  vcpus      every fault's vCPU is one of QEMU's, on the thread QEMU named
             "CPU N/KVM" for it
  memslots   every fault's memslot and HVA agree with a memslot QEMU
             set (its own trace, -trace kvm_set_user_memory: QEMU
             re-maps slots while the BIOS runs, so a slot id can stand for
             several ranges in turn); every HVA inside a mapping of QEMU,
             guest RAM from 1 MiB below its size inside the RAM mapping
  pagemap    sampled PFNs equal /proc/PID/pagemap
  written    (the Multiboot guest, whose addresses are known) round N of
             nested.mb MiB at 16 MiB + (N - 1) * nested.mb MiB, N = 1 in
             the boot window and 2 in the attach window: every 4 KiB page
             of it has a fault (THP off: ram), or every 2 MiB of it
             (hugetlb); the first half on vCPU 0, the second on vCPU 1
"""
import json
import os
import re
import sys

RAM_MB = 256


SET_MEMORY = re.compile(r"kvm_set_user_memory (?:AddrSpace#(\d+) )?Slot#(\d+) "
                        r"flags=0x[0-9a-f]+ gpa=0x([0-9a-f]+) "
                        r"size=0x([0-9a-f]+) ua=0x([0-9a-f]+) ret=0")


def qemu_memslots(d):
    """Every memslot QEMU set in address space 0, as its trace says:
    (slot, gpa, size, hva) with size > 0 (size 0 deletes)."""
    out = []
    path = os.path.join(d, "qemu.log")
    if not os.path.exists(path):
        return out
    for line in open(path, errors="replace"):
        mo = SET_MEMORY.search(line)
        if mo and (mo.group(1) in (None, "0")) and int(mo.group(4), 16):
            out.append((int(mo.group(2)), int(mo.group(3), 16),
                        int(mo.group(4), 16), int(mo.group(5), 16)))
    return out


def kv(path):
    out = {}
    if os.path.exists(path):
        for line in open(path):
            k, _, v = line.strip().partition("=")
            out[k] = v
    return out


WRITE_BASE = 16 << 20


def written_check(d, faults, check):
    """The Multiboot guest's round of this window against its faults."""
    cmd = open(os.path.join(d, "qemu.txt")).read()
    if "guest.elf" not in cmd:
        return
    mb = int(re.search(r"nested\.mb=(\d+)", cmd).group(1))
    rnd = 1 if d.rstrip("/").endswith("-boot") else 2
    lo = WRITE_BASE + (rnd - 1) * (mb << 20)
    hi, mid = lo + (mb << 20), lo + (mb << 19)
    case = os.path.basename(d.rstrip("/")).rsplit("-", 1)[0]
    thp = kv(os.path.join(os.path.dirname(d.rstrip("/")), case + ".txt"))
    shift = 12 if thp.get("thp") == "never" else 21
    got = [f for f in faults if not f.get("mmio") and f.get("gpa") and
           lo <= int(f["gpa"], 16) < hi]
    units = {int(f["gpa"], 16) >> shift for f in got}
    want = set(range(lo >> shift, hi >> shift))
    halves = sum(1 for f in got
                 if f.get("vcpu") != (0 if int(f["gpa"], 16) < mid else 1))
    check("written", units == want and halves == 0 and
          (shift == 21 or len(got) == len(want)),
          "round %d: %d MiB at %#x, %d faults on %d of its %d %s pages, "
          "%d on the other half's vCPU" %
          (rnd, mb, lo, len(got), len(units & want), len(want),
           "4 KiB" if shift == 12 else "2 MiB", halves))


def load(d):
    faults, summary = [], {}
    for line in open(os.path.join(d, "faults.jsonl")):
        line = line.strip()
        if not line:
            continue
        o = json.loads(line)
        if o.get("type") == "summary":
            summary = o
        elif "ts_ns" in o:
            faults.append(o)
    return faults, summary


def maps(d):
    out = []
    for line in open(os.path.join(d, "maps.txt")):
        f = line.split()
        lo, hi = (int(x, 16) for x in f[0].split("-"))
        out.append((lo, hi, f[5] if len(f) > 5 else ""))
    return out


def num(stats, key):
    try:
        return int(stats[key])
    except (KeyError, ValueError):
        return None


def delta(before, after, key):
    a, b = num(after, key), num(before, key)
    return None if a is None or b is None else a - b


def main():
    d = sys.argv[1]
    faults, summ = load(d)
    oracle = kv(os.path.join(d, "oracle.txt"))
    before = kv(os.path.join(d, "stats-before.txt"))
    after = kv(os.path.join(d, "stats-after.txt"))
    results = []

    def check(name, ok, detail):
        results.append(ok)
        print("%s %s: %s" % ("ok" if ok else "BAD", name, detail))

    rc = open(os.path.join(d, "rc")).read().strip() if \
        os.path.exists(os.path.join(d, "rc")) else "?"
    lost = summ.get("lost_events")
    overruns = {k: v for k, v in oracle.items() if k.endswith(".overrun")}
    check("run", rc == "0" and lost == 0 and summ and
          all(v == "0" for v in overruns.values()) and len(faults) > 0,
          "rc %s, %d faults, %s incomplete, lost %s, oracle overruns %s" %
          (rc, len(faults), summ.get("incomplete"), lost,
           ",".join(sorted(set(overruns.values()))) or "?"))

    ev = oracle.get("kvm_page_fault")
    check("oracle", ev is not None and int(ev) == len(faults),
          "%d faults, %s kvm:kvm_page_fault events" % (len(faults), ev))

    taken = delta(before, after, "pf_taken")
    created = delta(before, after, "pf_mmio_spte_created")
    pf_fast = delta(before, after, "pf_fast")
    mmio = sum(1 for f in faults if f.get("mmio"))
    fast = sum(1 for f in faults if f.get("kind") == "fast")
    if taken is None or created is None:
        check("kvm-stats", False, "no pf_taken/pf_mmio_spte_created in debugfs")
    else:
        want = taken + mmio - created
        check("kvm-stats", want == len(faults) and
              (pf_fast is None or pf_fast == fast),
              "%d faults, pf_taken %d + MMIO cache hits (%d MMIO - %d created)"
              " = %d; fast %d, pf_fast %s" %
              (len(faults), taken, mmio, created, want, fast, pf_fast))

    threads = {}
    for line in open(os.path.join(d, "threads.txt")):
        tid, _, comm = line.strip().partition(" ")
        threads[int(tid)] = comm
    vcpu_threads = {t: c for t, c in threads.items() if re.match(r"CPU \d+/KVM$", c)}
    bad = [f for f in faults
           if threads.get(f.get("tid")) != "CPU %s/KVM" % f.get("vcpu") or
           f.get("comm") != "CPU %s/KVM" % f.get("vcpu")]
    vcpus = sorted({f.get("vcpu") for f in faults})
    check("vcpus", not bad and len(vcpu_threads) > 0,
          "vCPUs %s, QEMU's vCPU threads %s, %d faults on another thread%s" %
          (vcpus, sorted(vcpu_threads.values()), len(bad),
           (" (first: tid %s comm %s vcpu %s)" %
            (bad[0].get("tid"), bad[0].get("comm"), bad[0].get("vcpu")))
           if bad else ""))

    m = maps(d)
    ram = [x for x in m if x[1] - x[0] >= RAM_MB << 20]
    slots = qemu_memslots(d)
    outside, not_ram, with_hva, unknown = 0, 0, 0, []
    for f in faults:
        if f.get("mmio") or "hva" not in f:
            continue
        with_hva += 1
        hva, gpa = int(f["hva"], 16), int(f["gpa"], 16) & ~0xfff
        if not any(s == f.get("memslot") and lo <= gpa < lo + size and
                   hva == ua + gpa - lo for s, lo, size, ua in slots):
            unknown.append(f)
        if not any(lo <= hva < hi for lo, hi, _ in m):
            outside += 1
        elif 1 << 20 <= gpa < RAM_MB << 20 and \
                not any(lo <= hva < hi for lo, hi, _ in ram):
            not_ram += 1
    non_mmio = sum(1 for f in faults if not f.get("mmio"))
    check("memslots", with_hva == non_mmio and not outside and not not_ram
          and not unknown and ram and slots,
          "%d of %d non-MMIO faults with an HVA, memslots %s, %d not as "
          "QEMU set any slot of that id (of %d it set)%s, %d outside "
          "QEMU's mappings, %d of guest RAM outside the RAM mapping%s" %
          (with_hva, non_mmio,
           sorted({f.get("memslot") for f in faults if f.get("hva")}, key=str),
           len(unknown), len(slots),
           " (first: gpa %s memslot %s hva %s)" % (
               unknown[0].get("gpa"), unknown[0].get("memslot"),
               unknown[0].get("hva")) if unknown else "",
           outside, not_ram,
           "" if ram else ", no mapping of >= %d MiB" % RAM_MB))

    samples = []
    for line in open(os.path.join(d, "pagemap.txt")):
        f = line.split()
        if len(f) == 3:
            samples.append((f[0], int(f[1], 16), int(f[2], 16)))
    agree = 0
    for _, pfn, entry in samples:
        got = entry & ((1 << 55) - 1)
        present = entry >> 63 & 1
        # a 2 MiB mapping may name the PFN of its first 4 KiB page
        if present and (pfn == got or pfn == got & ~0x1ff):
            agree += 1
    check("pagemap", len(samples) >= 8 and agree == len(samples),
          "%d of %d sampled PFNs equal /proc/PID/pagemap" %
          (agree, len(samples)))
    written_check(d, faults, check)
    sys.exit(0 if all(results) else 1)


main()
